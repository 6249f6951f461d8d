package io.github.grain.plugin.spring.observation;

import io.micrometer.common.KeyValues;

/**
 * {@code grain.hook.dispatch}, named {@code hook <point>} in traces, with low-cardinality
 * tags {@code point}, {@code plugin} and {@code outcome}, and the counts of accepted and
 * rejected actions as high-cardinality {@code grain.hook.actions.accepted} and
 * {@code grain.hook.actions.rejected} (on spans; the {@code grain.hook.actions} counter
 * has them as metrics).
 */
public class DefaultHookCallObservationConvention implements HookCallObservationConvention {

	/** The observation's name, and so the timer's. */
	public static final String NAME = "grain.hook.dispatch";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(HookCallObservationContext context) {
		return "hook " + context.getPoint().witName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(HookCallObservationContext context) {
		return KeyValues.of("outcome", context.getOutcome(), "plugin", context.getPlugin(), "point",
				context.getPoint().witName());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(HookCallObservationContext context) {
		return KeyValues.of("grain.hook.actions.accepted", Long.toString(context.getAccepted()),
				"grain.hook.actions.rejected", Long.toString(context.getRejected()));
	}

}
