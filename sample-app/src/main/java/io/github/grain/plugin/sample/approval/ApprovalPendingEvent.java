package io.github.grain.plugin.sample.approval;

import io.github.grain.plugin.tool.ToolApprovalRequest;

/**
 * A call now waits in the {@link ApprovalInbox} for a person's answer; its decision is
 * published later as a {@link io.github.grain.plugin.spring.event.ToolApprovalRequestedEvent}.
 * @param request the waiting call
 */
public record ApprovalPendingEvent(ToolApprovalRequest request) {
}
