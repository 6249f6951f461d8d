package io.github.grain.plugin.tool;

import java.util.Objects;

/**
 * What the host gives a tool for one call.
 * @param toolName the tool being called
 * @param callId an identifier of this call, shared with the approval request and logs
 * @param sandbox the file-system policy the tool must apply to paths it was given
 */
public record ToolContext(String toolName, String callId, SandboxPolicy sandbox) {

	public ToolContext {
		Objects.requireNonNull(toolName, "toolName");
		Objects.requireNonNull(callId, "callId");
		Objects.requireNonNull(sandbox, "sandbox");
	}

}
