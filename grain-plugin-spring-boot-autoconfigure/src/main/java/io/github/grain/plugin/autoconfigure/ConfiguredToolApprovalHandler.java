package io.github.grain.plugin.autoconfigure;

import java.util.Map;

import io.github.grain.plugin.spring.event.ToolApprovalRequestedEvent;
import io.github.grain.plugin.tool.ToolApprovalDecision;
import io.github.grain.plugin.tool.ToolApprovalHandler;
import io.github.grain.plugin.tool.ToolApprovalRequest;

import org.springframework.context.ApplicationEventPublisher;

/**
 * The default {@link ToolApprovalHandler}: decides from {@code grain.plugins.approval.*}
 * (a per-tool decision, else the default decision) and publishes a
 * {@link ToolApprovalRequestedEvent} for each request. Replace it with a bean of your own
 * to ask a person.
 */
public class ConfiguredToolApprovalHandler implements ToolApprovalHandler {

	private final GrainPluginsProperties.Approval.Decision defaultDecision;

	private final Map<String, GrainPluginsProperties.Approval.Decision> decisions;

	private final ApplicationEventPublisher publisher;

	public ConfiguredToolApprovalHandler(GrainPluginsProperties.Approval properties,
			ApplicationEventPublisher publisher) {
		this.defaultDecision = properties.getDefaultDecision();
		this.decisions = Map.copyOf(properties.getTools());
		this.publisher = publisher;
	}

	@Override
	public ToolApprovalDecision decide(ToolApprovalRequest request) {
		String tool = request.tool().name();
		GrainPluginsProperties.Approval.Decision configured = this.decisions.get(tool);
		ToolApprovalDecision decision;
		if (configured != null) {
			decision = (configured == GrainPluginsProperties.Approval.Decision.APPROVE)
					? ToolApprovalDecision.approve("approved by grain.plugins.approval.tools." + tool)
					: ToolApprovalDecision.deny("denied by the application's configuration");
		}
		else {
			decision = (this.defaultDecision == GrainPluginsProperties.Approval.Decision.APPROVE)
					? ToolApprovalDecision.approve("approved by grain.plugins.approval.default-decision")
					: ToolApprovalDecision.deny("denied by the application's configuration");
		}
		this.publisher.publishEvent(new ToolApprovalRequestedEvent(this, request, decision));
		return decision;
	}

}
