package io.github.grain.plugin.orchestration;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;

/**
 * The result of one {@link HookDispatcher#dispatch(HookPoint, String) dispatch}.
 * @param id the dispatch id every outcome carries
 * @param point the hook point
 * @param plugins the names of the subscribed plugins, in the order they were called
 * @param outcomes every outcome in the order it happened (plugin by plugin, action by action)
 */
public record HookDispatch(UUID id, HookPoint point, List<String> plugins, List<HookOutcome> outcomes) {

	public HookDispatch {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(point, "point");
		plugins = List.copyOf(plugins);
		outcomes = List.copyOf(outcomes);
	}

	/** The accepted actions with their plugins, in order. */
	public List<HookActionAccepted<?>> accepted() {
		return this.outcomes.stream()
			.filter(HookActionAccepted.class::isInstance)
			.<HookActionAccepted<?>>map(HookActionAccepted.class::cast)
			.toList();
	}

	/** The accepted actions alone, in order: what the host should apply. */
	public List<HostAction> actions() {
		return accepted().stream().<HostAction>map(HookActionAccepted::action).toList();
	}

	/** The rejected actions with their reasons, in order. */
	public List<HookActionRejected> rejected() {
		return this.outcomes.stream()
			.filter(HookActionRejected.class::isInstance)
			.map(HookActionRejected.class::cast)
			.toList();
	}

	/** The failed hook calls, in order. */
	public List<HookCallFailed> failures() {
		return this.outcomes.stream().filter(HookCallFailed.class::isInstance).map(HookCallFailed.class::cast).toList();
	}

}
