package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.egress.EgressListener;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.spring.metrics.GrainPluginMetrics;
import io.github.grain.plugin.spring.metrics.HookActionMetrics;
import io.github.grain.plugin.spring.metrics.ToolRegistryMetrics;
import io.github.grain.plugin.tool.DefaultToolRegistry;
import io.github.grain.plugin.spring.metrics.MeterEgressListener;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Meters of the hosted plugins, when the application has a {@link MeterRegistry}:
 * {@code grain.plugins}, {@code grain.plugin.load.duration}, {@code grain.plugin.memory.peak},
 * {@code grain.egress.refusals}, {@code grain.hook.actions} and the registry's
 * {@code grain.tool.abandoned.threads} and {@code grain.tool.abandoned.calls}.
 */
@AutoConfiguration(after = GrainPluginsAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "grain.plugins.enabled", matchIfMissing = true)
public final class GrainPluginsMetricsAutoConfiguration {

	@Bean
	@ConditionalOnBean(PluginCatalog.class)
	GrainPluginMetrics grainPluginMetrics(PluginCatalog catalog) {
		return new GrainPluginMetrics(catalog);
	}

	@Bean
	@ConditionalOnMissingBean(EgressListener.class)
	MeterEgressListener grainEgressListener(ObjectProvider<MeterRegistry> registry) {
		return new MeterEgressListener(registry::getObject);
	}

	@Bean
	@ConditionalOnBean(DefaultToolRegistry.class)
	ToolRegistryMetrics grainToolRegistryMetrics(DefaultToolRegistry toolRegistry) {
		return new ToolRegistryMetrics(toolRegistry);
	}

	@Bean
	HookActionMetrics grainHookActionMetrics(MeterRegistry registry) {
		return new HookActionMetrics(registry);
	}

}
