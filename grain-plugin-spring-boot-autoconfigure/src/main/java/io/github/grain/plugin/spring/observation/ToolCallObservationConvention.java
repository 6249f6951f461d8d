package io.github.grain.plugin.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags of tool-call observations; a bean of this type replaces
 * {@link DefaultToolCallObservationConvention}.
 */
public interface ToolCallObservationConvention extends ObservationConvention<ToolCallObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ToolCallObservationContext;
	}

}
