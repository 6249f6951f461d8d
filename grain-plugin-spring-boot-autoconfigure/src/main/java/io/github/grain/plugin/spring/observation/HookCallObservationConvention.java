package io.github.grain.plugin.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags of hook-call observations; a bean of this type replaces
 * {@link DefaultHookCallObservationConvention}.
 */
public interface HookCallObservationConvention extends ObservationConvention<HookCallObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof HookCallObservationContext;
	}

}
