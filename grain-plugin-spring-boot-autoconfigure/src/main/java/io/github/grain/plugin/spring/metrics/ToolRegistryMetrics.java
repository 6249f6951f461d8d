package io.github.grain.plugin.spring.metrics;

import io.github.grain.plugin.tool.DefaultToolRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The registry's calls abandoned at their deadline: {@code grain.tool.abandoned.threads}
 * (threads still running a call past its deadline, interrupted but not returned; each one
 * is also logged at WARN) and {@code grain.tool.abandoned.calls} (calls abandoned since
 * start).
 */
public class ToolRegistryMetrics implements MeterBinder {

	private final DefaultToolRegistry registry;

	public ToolRegistryMetrics(DefaultToolRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meters) {
		Gauge.builder("grain.tool.abandoned.threads", this.registry, DefaultToolRegistry::abandonedThreads)
			.description("Threads still running a tool call abandoned at its deadline")
			.register(meters);
		FunctionCounter.builder("grain.tool.abandoned.calls", this.registry, DefaultToolRegistry::abandonedCalls)
			.description("Tool calls abandoned at their deadline")
			.register(meters);
	}

}
