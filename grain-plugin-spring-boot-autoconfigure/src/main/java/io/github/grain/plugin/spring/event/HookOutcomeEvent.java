package io.github.grain.plugin.spring.event;

import java.util.UUID;

import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.orchestration.HookOutcome;

import org.springframework.context.ApplicationEvent;

/**
 * One outcome of a hook dispatch, published as an application event: an accepted action,
 * a rejected action or a failed hook call. Listen to this type for all three. Published
 * synchronously, in dispatch order, on the thread that called
 * {@link io.github.grain.plugin.orchestration.HookDispatcher#dispatch dispatch}. The
 * event's source is the {@link HookOutcome}.
 */
public abstract sealed class HookOutcomeEvent extends ApplicationEvent
		permits HookActionAcceptedEvent, HookActionRejectedEvent, HookCallFailedEvent {

	HookOutcomeEvent(HookOutcome outcome) {
		super(outcome);
	}

	/** The outcome this event carries. */
	public HookOutcome getOutcome() {
		return (HookOutcome) getSource();
	}

	/** The dispatch the outcome belongs to; shared by every event of one dispatch. */
	public UUID getDispatchId() {
		return getOutcome().dispatchId();
	}

	/** The name of the plugin whose hook was called. */
	public String getPlugin() {
		return getOutcome().plugin();
	}

	/** The hook point that was dispatched. */
	public HookPoint getPoint() {
		return getOutcome().point();
	}

}
