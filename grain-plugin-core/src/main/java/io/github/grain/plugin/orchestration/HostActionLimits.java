package io.github.grain.plugin.orchestration;

/**
 * Size caps on the free text a plugin can push into a conversation or UI, counted in
 * UTF-8 bytes. An action over its cap is rejected, never truncated.
 * @param maxSystemPromptBytes cap on {@code set-system-prompt} and on the prompt of a role
 * named by {@code switch-role}
 * @param maxUserMessageBytes cap on {@code inject-user-message}
 * @param maxUiTextBytes cap on {@code set-ui-status} and on each {@code set-ui-header} field
 */
public record HostActionLimits(int maxSystemPromptBytes, int maxUserMessageBytes, int maxUiTextBytes) {

	/** Default cap on system prompts: 8 KiB. */
	public static final int DEFAULT_MAX_SYSTEM_PROMPT_BYTES = 8 * 1024;

	/** Default cap on injected user messages: 8 KiB. */
	public static final int DEFAULT_MAX_USER_MESSAGE_BYTES = 8 * 1024;

	/** Default cap on UI status and header texts: 256 bytes. */
	public static final int DEFAULT_MAX_UI_TEXT_BYTES = 256;

	public HostActionLimits {
		requireNotNegative("maxSystemPromptBytes", maxSystemPromptBytes);
		requireNotNegative("maxUserMessageBytes", maxUserMessageBytes);
		requireNotNegative("maxUiTextBytes", maxUiTextBytes);
	}

	/** 8 KiB system prompts, 8 KiB injected messages, 256-byte UI texts. */
	public static HostActionLimits defaults() {
		return new HostActionLimits(DEFAULT_MAX_SYSTEM_PROMPT_BYTES, DEFAULT_MAX_USER_MESSAGE_BYTES,
				DEFAULT_MAX_UI_TEXT_BYTES);
	}

	public HostActionLimits withMaxSystemPromptBytes(int bytes) {
		return new HostActionLimits(bytes, this.maxUserMessageBytes, this.maxUiTextBytes);
	}

	public HostActionLimits withMaxUserMessageBytes(int bytes) {
		return new HostActionLimits(this.maxSystemPromptBytes, bytes, this.maxUiTextBytes);
	}

	public HostActionLimits withMaxUiTextBytes(int bytes) {
		return new HostActionLimits(this.maxSystemPromptBytes, this.maxUserMessageBytes, bytes);
	}

	private static void requireNotNegative(String name, int value) {
		if (value < 0) {
			throw new IllegalArgumentException(name + " must not be negative: " + value);
		}
	}

}
