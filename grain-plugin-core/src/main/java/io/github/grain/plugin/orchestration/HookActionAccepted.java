package io.github.grain.plugin.orchestration;

import java.util.Objects;
import java.util.UUID;

import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;

/**
 * A host action that passed validation: the host may apply it. The type parameter is the
 * action's kind, so a listener can ask for one kind only (an event adapter resolves it
 * from {@link #actionType()}).
 * @param <A> the action's type
 * @param dispatchId the dispatch this action belongs to
 * @param plugin the plugin that returned it
 * @param point the hook point that was called
 * @param action the action
 */
public record HookActionAccepted<A extends HostAction>(UUID dispatchId, String plugin, HookPoint point, A action)
		implements HookOutcome {

	public HookActionAccepted {
		Objects.requireNonNull(dispatchId, "dispatchId");
		Objects.requireNonNull(plugin, "plugin");
		Objects.requireNonNull(point, "point");
		Objects.requireNonNull(action, "action");
	}

	/** The action's concrete type, for example {@code HostAction.SwitchRole.class}. */
	public Class<? extends HostAction> actionType() {
		return this.action.getClass();
	}

}
