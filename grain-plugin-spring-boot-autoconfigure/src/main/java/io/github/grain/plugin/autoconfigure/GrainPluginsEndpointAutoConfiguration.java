package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.spring.actuate.GrainPluginsEndpoint;
import io.github.grain.plugin.spring.actuate.GrainPluginsEndpointWebExtension;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code grainplugins} Actuator endpoint (read-only unless its access is raised), when
 * Actuator is on the class path and the endpoint is available (exposed, and not turned
 * off); over HTTP with its web extension (404 for writes to an unknown plugin).
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

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(GrainPluginsEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	GrainPluginsEndpointWebExtension grainPluginsEndpointWebExtension(GrainPluginsEndpoint endpoint) {
		return new GrainPluginsEndpointWebExtension(endpoint);
	}

}
