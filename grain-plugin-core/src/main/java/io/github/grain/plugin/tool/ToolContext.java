package io.github.grain.plugin.tool;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the host gives a tool for one call.
 * @param toolName the tool being called
 * @param callId an identifier of this call, shared with the approval request and logs
 * @param sandbox the file-system policy the tool must apply to paths it was given
 * @param attributes what the caller passed along (a conversation id from Spring AI's
 * {@code ToolContext}, an MCP session id), never {@code null}
 */
public record ToolContext(String toolName, String callId, SandboxPolicy sandbox, Map<String, Object> attributes) {

	public ToolContext {
		Objects.requireNonNull(toolName, "toolName");
		Objects.requireNonNull(callId, "callId");
		Objects.requireNonNull(sandbox, "sandbox");
		attributes = Map.copyOf(attributes);
	}

	/** A context without attributes. */
	public ToolContext(String toolName, String callId, SandboxPolicy sandbox) {
		this(toolName, callId, sandbox, Map.of());
	}

	/**
	 * Look an attribute up.
	 * @param name the attribute name
	 * @return its value, empty when the caller did not pass it
	 */
	public Optional<Object> attribute(String name) {
		return Optional.ofNullable(this.attributes.get(name));
	}

}
