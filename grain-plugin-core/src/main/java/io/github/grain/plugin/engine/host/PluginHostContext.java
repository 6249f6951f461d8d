package io.github.grain.plugin.engine.host;

import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What the host imports of one plugin may use: its grants, its env map, its logger and
 * the HTTP gateway. Built once per plugin; shared by all its instances.
 * @param plugin the plugin's name
 * @param capabilities granted capabilities
 * @param env values readable with {@code env-get} only (under the {@code env} capability): WASI
 * {@code environ_get} and {@code wasi:cli/environment} always answer an empty environment
 * @param guestLog where the guest's {@code log} and stdout/stderr go
 * @param httpGateway how the guest reaches the network
 * @param maxLogBytesPerCall how much a guest may log in one call before the rest is dropped
 */
public record PluginHostContext(String plugin, Set<Capability> capabilities, Map<String, String> env, Log guestLog,
		HttpGateway httpGateway, int maxLogBytesPerCall) {

	/** Logger category prefix for guest output: {@code grain.plugins.guest.<plugin>}. */
	public static final String GUEST_LOG_PREFIX = "grain.plugins.guest.";

	public PluginHostContext {
		capabilities = Set.copyOf(capabilities);
		env = Map.copyOf(env);
	}

	public static PluginHostContext of(String plugin, Set<Capability> capabilities, Map<String, String> env,
			HttpGateway httpGateway) {
		return new PluginHostContext(plugin, capabilities, env, LogFactory.getLog(GUEST_LOG_PREFIX + plugin),
				httpGateway, 64 * 1024);
	}

	public boolean granted(Capability capability) {
		return this.capabilities.contains(capability);
	}

}
