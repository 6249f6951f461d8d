package io.github.grain.plugin.spring.metrics;

import io.github.grain.plugin.spring.event.HookActionAcceptedEvent;
import io.github.grain.plugin.spring.event.HookActionRejectedEvent;
import io.github.grain.plugin.spring.event.HookOutcomeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationListener;

/**
 * Counts the host actions plugins return from hooks, from the dispatch's application
 * events: {@code grain.hook.actions}, tags {@code point}, {@code plugin}, {@code action}
 * (its kind, such as {@code set-active-tools}) and {@code result} ({@code accepted},
 * {@code rejected}).
 */
public class HookActionMetrics implements ApplicationListener<HookOutcomeEvent> {

	private final MeterRegistry registry;

	public HookActionMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onApplicationEvent(HookOutcomeEvent event) {
		if (event instanceof HookActionAcceptedEvent<?> accepted) {
			count(event, accepted.getAction().kind(), "accepted");
		}
		else if (event instanceof HookActionRejectedEvent rejected) {
			count(event, rejected.getAction().kind(), "rejected");
		}
	}

	private void count(HookOutcomeEvent event, String action, String result) {
		Counter.builder("grain.hook.actions")
			.description("Host actions returned by plugin hooks")
			.tag("point", event.getPoint().witName())
			.tag("plugin", event.getPlugin())
			.tag("action", action)
			.tag("result", result)
			.register(this.registry)
			.increment();
	}

}
