package io.github.grain.plugin.tool;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call to a tool that is not read-only, waiting for a decision.
 * @param callId the call's identifier (also in the {@link ToolContext})
 * @param tool the tool's definition
 * @param arguments the validated arguments
 * @param requestedAt when the call was made
 */
public record ToolApprovalRequest(String callId, ToolDefinition tool, JsonNode arguments, Instant requestedAt) {

	public ToolApprovalRequest {
		Objects.requireNonNull(callId, "callId");
		Objects.requireNonNull(tool, "tool");
		arguments = arguments.deepCopy();
		Objects.requireNonNull(requestedAt, "requestedAt");
	}

	/** The arguments as a fresh copy. */
	@Override
	public JsonNode arguments() {
		return this.arguments.deepCopy();
	}

}
