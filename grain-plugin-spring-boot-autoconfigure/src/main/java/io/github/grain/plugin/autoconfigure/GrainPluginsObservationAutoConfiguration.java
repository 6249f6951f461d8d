package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.orchestration.HookCallObserver;
import io.github.grain.plugin.spring.observation.HookCallObservationConvention;
import io.github.grain.plugin.spring.observation.ObservationHookCallObserver;
import io.github.grain.plugin.spring.observation.ObservationToolCallObserver;
import io.github.grain.plugin.spring.observation.ToolCallObservationConvention;
import io.github.grain.plugin.tool.ToolCallObserver;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.function.SingletonSupplier;

/**
 * Tool calls ({@code grain.tool.call}) and hook calls ({@code grain.hook.dispatch}) as
 * Micrometer observations, when Micrometer's observation API is on the class path, in the
 * application's {@link ObservationRegistry} ({@link ObservationRegistry#NOOP} without one,
 * which costs nothing per call).
 */
@AutoConfiguration(before = GrainPluginsAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "grain.plugins.enabled", matchIfMissing = true)
public final class GrainPluginsObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ToolCallObserver.class)
	ObservationToolCallObserver grainToolCallObserver(ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<ToolCallObservationConvention> convention, ObjectProvider<PluginCatalog> catalog) {
		// the catalog is looked up once, at the first call of a plugin's tool
		SingletonSupplier<PluginCatalog> plugins = SingletonSupplier.of(catalog::getIfAvailable);
		return new ObservationToolCallObserver(registry.getIfAvailable(() -> ObservationRegistry.NOOP),
				convention.getIfAvailable(), (plugin) -> runtimeOf(plugins.get(), plugin));
	}

	@Bean
	@ConditionalOnMissingBean(HookCallObserver.class)
	ObservationHookCallObserver grainHookCallObserver(ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<HookCallObservationConvention> convention) {
		return new ObservationHookCallObserver(registry.getIfAvailable(() -> ObservationRegistry.NOOP),
				convention.getIfAvailable());
	}

	private static @Nullable String runtimeOf(@Nullable PluginCatalog catalog, String plugin) {
		PluginReport report = (catalog != null) ? catalog.find(plugin).orElse(null) : null;
		return (report != null && report.runtime() != null) ? report.runtime().id() : null;
	}

}
