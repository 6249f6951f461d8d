package io.github.grain.plugin.spring.observation;

import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.orchestration.HookCallObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Every plugin's hook call as an {@link Observation}, child of the dispatching thread's
 * current observation and in scope while the plugin runs (start and stop happen on that
 * thread). On a no-op registry nothing is created.
 */
public class ObservationHookCallObserver implements HookCallObserver {

	private static final HookCallObservationConvention DEFAULT_CONVENTION = new DefaultHookCallObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable HookCallObservationConvention convention;

	/**
	 * @param registry where observations go
	 * @param convention names and tags, {@code null} for the default
	 */
	public ObservationHookCallObserver(ObservationRegistry registry, @Nullable HookCallObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public Call start(HookPoint point, String plugin) {
		if (this.registry.isNoop()) {
			return Call.NONE;
		}
		HookCallObservationContext context = new HookCallObservationContext(point, plugin);
		Observation observation = Observation
			.createNotStarted(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
			.parentObservation(this.registry.getCurrentObservation())
			.start();
		Observation.Scope scope = observation.openScope();
		return (outcomes) -> {
			scope.close();
			context.setOutcomes(outcomes);
			observation.stop();
		};
	}

}
