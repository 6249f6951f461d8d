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
 * {@code ToolContext}, an MCP session id, the caller's {@link #PRINCIPAL}), never
 * {@code null}
 */
public record ToolContext(String toolName, String callId, SandboxPolicy sandbox, Map<String, Object> attributes) {

	/**
	 * The call attribute naming who called: the authenticated principal's name, as the
	 * adapter that received the call knows it (a REST controller, the MCP server). The
	 * approval handler sees it in {@link ToolApprovalRequest#principal()} and a registry
	 * with a {@link CallRateLimiter} counts calls per principal. Absent for anonymous calls.
	 */
	public static final String PRINCIPAL = "grain.principal";

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

	/** The caller's principal name, empty for an anonymous call (see {@link #PRINCIPAL}). */
	public Optional<String> principal() {
		return principalOf(this.attributes);
	}

	/**
	 * The principal name among call attributes.
	 * @param attributes a call's attributes
	 * @return the {@link #PRINCIPAL} attribute when it is a non-blank string, else empty
	 */
	static Optional<String> principalOf(Map<String, ?> attributes) {
		return (attributes.get(PRINCIPAL) instanceof String name && !name.isBlank()) ? Optional.of(name)
				: Optional.empty();
	}

}
