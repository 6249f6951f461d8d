package io.github.grain.plugin.spring.observation;

import io.github.grain.plugin.tool.ToolCallOutcome;
import io.micrometer.common.KeyValues;

/**
 * {@code grain.tool.call}, named {@code execute_tool <tool>} in traces, with low-cardinality
 * tags {@code tool}, {@code source} ({@code wasm}, {@code bean}), {@code plugin},
 * {@code runtime}, {@code outcome} and {@code gen_ai.operation.name=execute_tool} (the
 * OpenTelemetry GenAI name, as Spring AI's {@code spring.ai.tool} observation it nests
 * under). A call still running has outcome {@code unknown}.
 */
public class DefaultToolCallObservationConvention implements ToolCallObservationConvention {

	/** The observation's name, and so the timer's. */
	public static final String NAME = "grain.tool.call";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ToolCallObservationContext context) {
		return "execute_tool " + context.getTool().name();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ToolCallObservationContext context) {
		ToolCallOutcome outcome = context.getOutcome();
		return KeyValues.of("gen_ai.operation.name", "execute_tool", "outcome",
				(outcome != null) ? outcome.tagValue() : "unknown", "plugin", context.getPlugin(), "runtime",
				context.getRuntime(), "source", context.getSourceKind(), "tool", context.getTool().name());
	}

}
