package io.github.grain.plugin.spring.metrics;

import java.util.function.Supplier;

import io.github.grain.plugin.egress.EgressListener;
import io.github.grain.plugin.egress.EgressRefusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts egress refusals: {@code grain.egress.refusals}, tags {@code plugin} and
 * {@code reason} ({@link EgressRefusal#tagValue()}).
 */
public class MeterEgressListener implements EgressListener {

	private final Supplier<MeterRegistry> registry;

	/**
	 * @param registry where to count, asked at the first refusal (the gateway that holds this
	 * listener is built before most beans)
	 */
	public MeterEgressListener(Supplier<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void refused(String plugin, EgressRefusal refusal) {
		Counter.builder("grain.egress.refusals")
			.description("Guest HTTP requests refused by the egress policy")
			.tag("plugin", plugin)
			.tag("reason", refusal.tagValue())
			.register(this.registry.get())
			.increment();
	}

}
