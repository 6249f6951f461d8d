package io.github.grain.plugin.spring.event;

import io.github.grain.plugin.tool.ToolApprovalDecision;
import io.github.grain.plugin.tool.ToolApprovalRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Published by the default {@link io.github.grain.plugin.tool.ToolApprovalHandler} for
 * every call to a tool that is not read-only, with the decision it made (for audit logs
 * and dashboards). Listeners run on the tool executor thread, before the tool runs.
 */
public class ToolApprovalRequestedEvent extends ApplicationEvent {

	private final ToolApprovalRequest request;

	private final ToolApprovalDecision decision;

	public ToolApprovalRequestedEvent(Object source, ToolApprovalRequest request, ToolApprovalDecision decision) {
		super(source);
		this.request = request;
		this.decision = decision;
	}

	/** The call awaiting approval. */
	public ToolApprovalRequest getRequest() {
		return this.request;
	}

	/**
	 * Who made the call ({@link ToolApprovalRequest#principal()}).
	 * @return the caller's principal name, {@code null} for an anonymous call
	 */
	public @Nullable String getPrincipal() {
		return this.request.principal().orElse(null);
	}

	/** What the handler decided. */
	public ToolApprovalDecision getDecision() {
		return this.decision;
	}

}
