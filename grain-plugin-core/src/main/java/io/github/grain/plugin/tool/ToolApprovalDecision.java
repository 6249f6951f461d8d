package io.github.grain.plugin.tool;

import java.util.Objects;

/**
 * The answer to a {@link ToolApprovalRequest}.
 * @param approved whether the call may run
 * @param reason why, shown to the model when the call is refused
 */
public record ToolApprovalDecision(boolean approved, String reason) {

	public ToolApprovalDecision {
		Objects.requireNonNull(reason, "reason");
	}

	public static ToolApprovalDecision approve(String reason) {
		return new ToolApprovalDecision(true, reason);
	}

	public static ToolApprovalDecision deny(String reason) {
		return new ToolApprovalDecision(false, reason);
	}

}
