package io.github.grain.plugin.spring.event;

import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.orchestration.HookActionAccepted;

import org.springframework.core.ResolvableType;
import org.springframework.core.ResolvableTypeProvider;

/**
 * A host action that passed validation: the application may apply it. One event per
 * action. The type argument is resolved from the action at runtime, so a listener
 * declares the kind it handles:
 * <pre class="code">
 * &#64;EventListener
 * void onRoleSwitch(HookActionAcceptedEvent&lt;HostAction.SwitchRole&gt; event) {
 *     agent.switchRole(event.getAction().role());
 * }
 * </pre>
 * {@code HookActionAcceptedEvent<?>} (or the raw type) receives every accepted action.
 * {@code HookActionAcceptedEvent<HostAction>} receives none: the type argument is always
 * the concrete action type, and generics do not widen.
 * @param <A> the action's type, one of the records of {@link HostAction}
 */
public final class HookActionAcceptedEvent<A extends HostAction> extends HookOutcomeEvent
		implements ResolvableTypeProvider {

	/**
	 * An event for an accepted action.
	 * @param accepted the outcome
	 */
	public HookActionAcceptedEvent(HookActionAccepted<A> accepted) {
		super(accepted);
	}

	@Override
	@SuppressWarnings("unchecked")
	public HookActionAccepted<A> getOutcome() {
		return (HookActionAccepted<A>) getSource();
	}

	/** The accepted action. */
	public A getAction() {
		return getOutcome().action();
	}

	@Override
	public ResolvableType getResolvableType() {
		return ResolvableType.forClassWithGenerics(HookActionAcceptedEvent.class, getOutcome().actionType());
	}

	@Override
	public String toString() {
		return "HookActionAcceptedEvent[" + getAction().kind() + " from plugin '" + getPlugin() + "' at '"
				+ getPoint().witName() + "', dispatch " + getDispatchId() + "]";
	}

}
