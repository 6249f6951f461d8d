package io.github.grain.plugin.engine;

import java.util.Map;
import java.util.Set;

/**
 * Everything the engine needs to load one plugin: its bytes and what it is granted.
 * @param name the plugin's name as the host knows it (manifest or directory name)
 * @param source where the bytes came from, quoted in errors (a path or resource)
 * @param wasm the core module or component binary
 * @param capabilities granted capabilities; everything else is denied
 * @param env the values the guest may read with {@code env-get}; never the OS environment
 */
public record PluginSpec(String name, String source, byte[] wasm, Set<Capability> capabilities,
		Map<String, String> env) {

	public PluginSpec {
		capabilities = Set.copyOf(capabilities);
		env = Map.copyOf(env);
	}

}
