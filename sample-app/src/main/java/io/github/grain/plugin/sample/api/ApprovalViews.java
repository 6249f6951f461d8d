package io.github.grain.plugin.sample.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.grain.plugin.tool.ToolApprovalDecision;
import io.github.grain.plugin.tool.ToolApprovalRequest;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of {@code /api/approvals} and of the approval events of {@code /api/events}.
 */
final class ApprovalViews {

	private ApprovalViews() {
	}

	/**
	 * The answer of {@code GET /api/approvals}.
	 * @param mode {@code ask} when a person decides here, else {@code configured}
	 * @param pending the calls waiting for an answer, oldest first (always empty unless {@code ask})
	 */
	record ApprovalsView(String mode, List<PendingView> pending) {
	}

	/**
	 * A call waiting for a person's answer.
	 * @param id the call's id, to answer with {@code POST /api/approvals/{id}}
	 * @param tool the tool's name
	 * @param source {@code wasm:<plugin>} or {@code bean:<bean>}
	 * @param capability what the tool needs from the host, if anything
	 * @param arguments the validated arguments
	 * @param requestedAt when the call was made
	 */
	record PendingView(String id, String tool, String source, @Nullable String capability, JsonNode arguments,
			Instant requestedAt) {

		static PendingView of(ToolApprovalRequest request) {
			return new PendingView(request.callId(), request.tool().name(), request.tool().source(),
					request.tool().capability(), request.arguments(), request.requestedAt());
		}

	}

	/**
	 * The body of {@code POST /api/approvals/{id}}.
	 * @param approved whether the call may run
	 * @param reason why; shown to the model when the call is denied
	 */
	record AnswerBody(@Nullable Boolean approved, @Nullable String reason) {
	}

	/**
	 * A decision, answered here or made by the configured handler.
	 * @param id the call's id
	 * @param tool the tool's name
	 * @param approved whether the call may run
	 * @param reason why
	 */
	record DecisionView(String id, String tool, boolean approved, String reason) {

		static DecisionView of(ToolApprovalRequest request, ToolApprovalDecision decision) {
			return new DecisionView(request.callId(), request.tool().name(), decision.approved(), decision.reason());
		}

	}

}
