package io.github.grain.plugin.engine;

import org.jspecify.annotations.Nullable;

/**
 * The guest trapped (unreachable, out-of-bounds access, stack overflow, …) or was
 * interrupted at its deadline.
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

}
