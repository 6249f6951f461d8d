package io.github.grain.plugin.spring.event;

import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.orchestration.HookActionRejected;

/**
 * A host action that failed validation: it must not be applied. The reason names the
 * offending value, for example {@code role 'nobody' is not declared by plugin 'p'}.
 */
public final class HookActionRejectedEvent extends HookOutcomeEvent {

	/**
	 * An event for a rejected action.
	 * @param rejected the outcome
	 */
	public HookActionRejectedEvent(HookActionRejected rejected) {
		super(rejected);
	}

	@Override
	public HookActionRejected getOutcome() {
		return (HookActionRejected) getSource();
	}

	/** The action as the plugin returned it. */
	public HostAction getAction() {
		return getOutcome().action();
	}

	/** Why the action was rejected; several problems are joined by {@code "; "}. */
	public String getReason() {
		return getOutcome().reason();
	}

	@Override
	public String toString() {
		return "HookActionRejectedEvent[" + getAction().kind() + " from plugin '" + getPlugin() + "' at '"
				+ getPoint().witName() + "', dispatch " + getDispatchId() + "]";
	}

}
