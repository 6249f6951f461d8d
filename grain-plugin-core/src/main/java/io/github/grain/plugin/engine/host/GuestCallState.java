package io.github.grain.plugin.engine.host;

/**
 * Per-call accounting for what a guest makes the host do (log volume), bound to the
 * thread running the call: a guest call never leaves its thread. A call (a guest
 * session) owns exactly one instance, so this is also where that instance's
 * {@link ResourceTable} lives; it is closed with the call.
 */
public final class GuestCallState {

	private static final ThreadLocal<GuestCallState> CURRENT = new ThreadLocal<>();

	private final int maxLogBytes;

	private final long deadlineNanos;

	private long loggedBytes;

	private boolean logLimitReported;

	private @org.jspecify.annotations.Nullable ResourceTable resources;

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

	/** Stop accounting for the call on this thread and close what its instance still holds. */
	public static void end() {
		GuestCallState state = CURRENT.get();
		try {
			// closed while the call's budget still applies (an unflushed stdout line is logged under it)
			if (state != null && state.resources != null) {
				state.resources.close();
			}
		}
		finally {
			CURRENT.remove();
		}
	}

	/** Whether a call is being accounted for on this thread. */
	static boolean inCall() {
		return CURRENT.get() != null;
	}

	/**
	 * The resource handles of the instance running on this thread, looked up when a
	 * handle is lifted or lowered (most host calls pass none).
	 */
	static io.github.grain.plugin.engine.abi.Handles handles() {
		return HANDLES;
	}

	private static final io.github.grain.plugin.engine.abi.Handles HANDLES = new io.github.grain.plugin.engine.abi.Handles() {
			@Override
			public Object lift(io.github.grain.plugin.engine.abi.WitType.HandleType type, int handle) {
				return current().resources().lift(type, handle);
			}

			@Override
			public int lower(io.github.grain.plugin.engine.abi.WitType.HandleType type, Object resource) {
				return current().resources().lower(type, resource);
			}
	};

	/** The resource handles of the call's instance, created on first use. */
	ResourceTable resources() {
		if (this.resources == null) {
			this.resources = new ResourceTable();
		}
		return this.resources;
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
