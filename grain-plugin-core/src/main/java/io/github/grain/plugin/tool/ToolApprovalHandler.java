package io.github.grain.plugin.tool;

/**
 * Decides whether a call to a tool that is not read-only may run. Called on the tool
 * executor, never on an event loop, so an implementation may block (for example while a
 * person decides), bounded by its own timeout.
 */
@FunctionalInterface
public interface ToolApprovalHandler {

	/**
	 * Decide one call.
	 * @param request the call
	 * @return the decision; a denial's reason reaches the model
	 */
	ToolApprovalDecision decide(ToolApprovalRequest request);

	/** Approves every call. */
	static ToolApprovalHandler approveAll() {
		return (request) -> ToolApprovalDecision.approve("approved by default");
	}

	/** Denies every call. */
	static ToolApprovalHandler denyAll() {
		return (request) -> ToolApprovalDecision.deny("tools with side effects are not allowed");
	}

}
