package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.spring.actuate.GrainPluginsEndpoint;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The read-only {@code grainplugins} Actuator endpoint, when Actuator is on the class path
 * and the endpoint is available (exposed, and not turned off).
 */
@AutoConfiguration(after = GrainPluginsAutoConfiguration.class)
@ConditionalOnClass(value = Endpoint.class,
		name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
@ConditionalOnBean(PluginCatalog.class)
@ConditionalOnAvailableEndpoint(GrainPluginsEndpoint.class)
public final class GrainPluginsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	GrainPluginsEndpoint grainPluginsEndpoint(PluginCatalog catalog) {
		return new GrainPluginsEndpoint(catalog);
	}

}
