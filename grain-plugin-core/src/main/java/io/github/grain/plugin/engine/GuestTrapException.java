package io.github.grain.plugin.engine;

import org.jspecify.annotations.Nullable;

/**
 * The guest trapped (unreachable, out-of-bounds access, stack overflow, …), was
 * interrupted at its deadline, or was stopped because the thread running its call was
 * interrupted (a cancelled call).
 */
public class GuestTrapException extends GrainPluginException {

	private final TrapKind kind;

	public GuestTrapException(TrapKind kind, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.kind = java.util.Objects.requireNonNull(kind, "kind");
	}

	/** Why the guest stopped. */
	public TrapKind kind() {
		return this.kind;
	}

	/** Whether the guest was stopped because its call ran past the deadline. */
	public boolean isDeadline() {
		return this.kind == TrapKind.DEADLINE;
	}

	/** Whether the guest was stopped because the thread running its call was interrupted. */
	public boolean isCancellation() {
		return this.kind == TrapKind.CANCELLED;
	}

	/**
	 * Stop a call whose thread was interrupted. The interrupt status is left set, for
	 * whoever cancelled the call.
	 * @param plugin the plugin
	 * @param where what was about to run (an export or a host import)
	 * @throws GuestTrapException when the current thread is interrupted
	 */
	public static void throwIfInterrupted(String plugin, String where) {
		if (Thread.currentThread().isInterrupted()) {
			throw cancelled(plugin, "before " + where, null);
		}
	}

	/**
	 * A call stopped because its thread was interrupted.
	 * @param plugin the plugin
	 * @param where where it stopped, e.g. {@code "before export 'x'"}
	 * @param cause what the runtime threw, if anything
	 * @return the exception
	 */
	public static GuestTrapException cancelled(String plugin, String where, @Nullable Throwable cause) {
		return new GuestTrapException(TrapKind.CANCELLED,
				"plugin '" + plugin + "' call was cancelled " + where + ": its thread was interrupted", cause);
	}

}
