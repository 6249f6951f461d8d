package io.github.grain.plugin.tool;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call to a tool that is not read-only, waiting for a decision.
 * @param callId the call's identifier (also in the {@link ToolContext})
 * @param tool the tool's definition
 * @param arguments the validated arguments
 * @param requestedAt when the call was made
 * @param attributes what the caller passed along, as the tool will see them in
 * {@link ToolContext#attributes()} (among them who called, {@link ToolContext#PRINCIPAL})
 */
public record ToolApprovalRequest(String callId, ToolDefinition tool, JsonNode arguments, Instant requestedAt,
		Map<String, Object> attributes) {

	public ToolApprovalRequest {
		Objects.requireNonNull(callId, "callId");
		Objects.requireNonNull(tool, "tool");
		arguments = arguments.deepCopy();
		Objects.requireNonNull(requestedAt, "requestedAt");
		attributes = Map.copyOf(attributes);
	}

	/** A request without call attributes (an anonymous caller). */
	public ToolApprovalRequest(String callId, ToolDefinition tool, JsonNode arguments, Instant requestedAt) {
		this(callId, tool, arguments, requestedAt, Map.of());
	}

	/**
	 * Who made the call, so a handler can decide per caller.
	 * @return the caller's principal name, empty for an anonymous call
	 */
	public Optional<String> principal() {
		return ToolContext.principalOf(this.attributes);
	}

	/** The arguments as a fresh copy. */
	@Override
	public JsonNode arguments() {
		return this.arguments.deepCopy();
	}

}
