package io.github.grain.plugin.spring.actuate;

import io.github.grain.plugin.spring.actuate.GrainPluginsEndpoint.PluginDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * Over HTTP, reloading or unloading a plugin the host does not know answers 404, as a read
 * of it does (Boot answers 204 to a write operation that returns nothing).
 */
@EndpointWebExtension(endpoint = GrainPluginsEndpoint.class)
public class GrainPluginsEndpointWebExtension {

	private final GrainPluginsEndpoint delegate;

	public GrainPluginsEndpointWebExtension(GrainPluginsEndpoint delegate) {
		this.delegate = delegate;
	}

	@WriteOperation
	public WebEndpointResponse<PluginDescriptor> reload(@Selector String name) {
		return found(this.delegate.reload(name));
	}

	@DeleteOperation
	public WebEndpointResponse<PluginDescriptor> unload(@Selector String name) {
		return found(this.delegate.unload(name));
	}

	private static WebEndpointResponse<PluginDescriptor> found(@Nullable PluginDescriptor plugin) {
		return (plugin != null) ? new WebEndpointResponse<>(plugin)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
