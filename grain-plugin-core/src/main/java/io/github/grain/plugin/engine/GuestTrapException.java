package io.github.grain.plugin.engine;

import org.jspecify.annotations.Nullable;

/**
 * The guest trapped (unreachable, out-of-bounds access, stack overflow, …), was
 * interrupted at its deadline, or was stopped because the thread running its call was
 * interrupted (a cancelled call).
 */
public class GuestTrapException extends GrainPluginException {

	private final String trapKind;

	public GuestTrapException(String trapKind, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.trapKind = trapKind;
	}

	/** The trap's kind as the runtime reports it, for example {@code UNREACHABLE_CODE_REACHED} or {@code INTERRUPT}. */
	public String trapKind() {
		return this.trapKind;
	}

	/** Whether the guest was stopped because its call ran past the deadline. */
	public boolean isDeadline() {
		return "INTERRUPT".equals(this.trapKind);
	}

	/** Whether the guest was stopped because the thread running its call was interrupted. */
	public boolean isCancellation() {
		return INTERRUPTED.equals(this.trapKind);
	}

	/** The kind of a call stopped because its thread was interrupted. */
	public static final String INTERRUPTED = "INTERRUPTED";

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
		return new GuestTrapException(INTERRUPTED,
				"plugin '" + plugin + "' call was cancelled " + where + ": its thread was interrupted", cause);
	}

}
