package io.github.grain.plugin.orchestration;

import java.util.Objects;
import java.util.UUID;

import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;

/**
 * A host action that failed validation: reported, never applied.
 * @param dispatchId the dispatch this action belongs to
 * @param plugin the plugin that returned it
 * @param point the hook point that was called
 * @param action the action as the plugin returned it
 * @param reason why it was rejected, naming the offending value
 */
public record HookActionRejected(UUID dispatchId, String plugin, HookPoint point, HostAction action, String reason)
		implements HookOutcome {

	public HookActionRejected {
		Objects.requireNonNull(dispatchId, "dispatchId");
		Objects.requireNonNull(plugin, "plugin");
		Objects.requireNonNull(point, "point");
		Objects.requireNonNull(action, "action");
		Objects.requireNonNull(reason, "reason");
	}

}
