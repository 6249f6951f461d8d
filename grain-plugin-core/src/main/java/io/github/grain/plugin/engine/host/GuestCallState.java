package io.github.grain.plugin.engine.host;

/**
 * Per-call accounting for what a guest makes the host do (log volume), bound to the
 * thread running the call: a guest call never leaves its thread.
 */
public final class GuestCallState {

	private static final ThreadLocal<GuestCallState> CURRENT = new ThreadLocal<>();

	private final int maxLogBytes;

	private final long deadlineNanos;

	private long loggedBytes;

	private boolean logLimitReported;

	private GuestCallState(int maxLogBytes, long deadlineNanos) {
		this.maxLogBytes = maxLogBytes;
		this.deadlineNanos = deadlineNanos;
	}

	/**
	 * Start accounting for a call on this thread.
	 * @param maxLogBytes the call's log budget
	 * @param deadline the call's deadline from now; host calls (HTTP) spend it too
	 */
	public static void begin(int maxLogBytes, java.time.Duration deadline) {
		CURRENT.set(new GuestCallState(maxLogBytes, System.nanoTime() + deadline.toNanos()));
	}

	/** What is left of the current call's deadline, or {@code null} outside a call. */
	static java.time.@org.jspecify.annotations.Nullable Duration remaining() {
		GuestCallState state = CURRENT.get();
		return (state != null) ? java.time.Duration.ofNanos(state.deadlineNanos - System.nanoTime()) : null;
	}

	/** Stop accounting for the call on this thread. */
	public static void end() {
		CURRENT.remove();
	}

	static GuestCallState current() {
		GuestCallState state = CURRENT.get();
		return (state != null) ? state : new GuestCallState(64 * 1024, Long.MAX_VALUE);
	}

	/**
	 * Count {@code bytes} of guest output.
	 * @return 1 when it may be logged, 0 when dropped silently, -1 when dropped and the
	 * limit should be reported once
	 */
	int admitLog(int bytes) {
		this.loggedBytes += bytes;
		if (this.loggedBytes <= this.maxLogBytes) {
			return 1;
		}
		if (!this.logLimitReported) {
			this.logLimitReported = true;
			return -1;
		}
		return 0;
	}

}
