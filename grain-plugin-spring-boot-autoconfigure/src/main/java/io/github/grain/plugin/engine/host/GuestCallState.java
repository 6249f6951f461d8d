package io.github.grain.plugin.engine.host;

/**
 * Per-call accounting for what a guest makes the host do (log volume), bound to the
 * thread running the call: a guest call never leaves its thread.
 */
public final class GuestCallState {

	private static final ThreadLocal<GuestCallState> CURRENT = new ThreadLocal<>();

	private final int maxLogBytes;

	private long loggedBytes;

	private boolean logLimitReported;

	private GuestCallState(int maxLogBytes) {
		this.maxLogBytes = maxLogBytes;
	}

	/** Start accounting for a call on this thread. */
	public static void begin(int maxLogBytes) {
		CURRENT.set(new GuestCallState(maxLogBytes));
	}

	/** Stop accounting for the call on this thread. */
	public static void end() {
		CURRENT.remove();
	}

	static GuestCallState current() {
		GuestCallState state = CURRENT.get();
		return (state != null) ? state : new GuestCallState(64 * 1024);
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
