package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.spring.actuate.GrainPluginsHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * The {@code grainPlugins} health contributor, when Boot's health support is on the class
 * path ({@code management.health.grainplugins.enabled=false} turns it off).
 */
@AutoConfiguration(after = GrainPluginsAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(PluginCatalog.class)
@ConditionalOnEnabledHealthIndicator("grainplugins")
@EnableConfigurationProperties(GrainPluginsHealthProperties.class)
public final class GrainPluginsHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "grainPluginsHealthIndicator")
	GrainPluginsHealthIndicator grainPluginsHealthIndicator(PluginCatalog catalog,
			GrainPluginsHealthProperties properties) {
		return new GrainPluginsHealthIndicator(catalog, new Status(properties.getFailedPluginStatus()));
	}

}
