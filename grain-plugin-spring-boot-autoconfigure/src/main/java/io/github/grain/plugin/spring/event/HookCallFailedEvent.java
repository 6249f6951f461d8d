package io.github.grain.plugin.spring.event;

import io.github.grain.plugin.orchestration.HookCallFailed;
import org.jspecify.annotations.Nullable;

/**
 * A plugin's hook call failed (it returned {@code err}, trapped, ran past its deadline or
 * broke the ABI); the dispatch went on with the next plugin. The failure is also logged at
 * WARN by the dispatcher.
 */
public final class HookCallFailedEvent extends HookOutcomeEvent {

	/**
	 * An event for a failed hook call.
	 * @param failed the outcome
	 */
	public HookCallFailedEvent(HookCallFailed failed) {
		super(failed);
	}

	@Override
	public HookCallFailed getOutcome() {
		return (HookCallFailed) getSource();
	}

	/** What went wrong. */
	public HookCallFailed.Kind getKind() {
		return getOutcome().kind();
	}

	/** The guest's {@code err} text, or the exception's message. */
	public String getMessage() {
		return getOutcome().message();
	}

	/** The exception, {@code null} when the guest returned {@code err}. */
	public @Nullable RuntimeException getCause() {
		return getOutcome().cause();
	}

	@Override
	public String toString() {
		return "HookCallFailedEvent[" + getKind() + " of plugin '" + getPlugin() + "' at '" + getPoint().witName()
				+ "', dispatch " + getDispatchId() + "]";
	}

}
