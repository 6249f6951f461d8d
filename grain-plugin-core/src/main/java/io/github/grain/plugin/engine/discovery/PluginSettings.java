package io.github.grain.plugin.engine.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import org.jspecify.annotations.Nullable;

/**
 * What the application decides about one plugin, whatever its manifest says.
 * @param enabled whether to load it
 * @param capabilities the granted capabilities; {@code null} grants what the manifest requests
 * @param env values added to (and overriding) the manifest's {@code [wasm.env]}
 * @param httpAllow the egress patterns granted ({@code scheme://host[:port]})
 * @param readOnlyTools the plugin's tools the application declares free of side effects
 */
public record PluginSettings(boolean enabled, @Nullable Set<Capability> capabilities, Map<String, String> env,
		List<String> httpAllow, Set<String> readOnlyTools, @Nullable Duration callTimeout,
		@Nullable Long maxMemoryBytes) {

	public PluginSettings {
		capabilities = (capabilities != null) ? Set.copyOf(capabilities) : null;
		env = Map.copyOf(env);
		httpAllow = List.copyOf(httpAllow);
		readOnlyTools = Set.copyOf(readOnlyTools);
	}

	/** No settings: enabled, manifest capabilities, no extra env, no egress. */
	public static PluginSettings defaults() {
		return new PluginSettings(true, null, Map.of(), List.of(), Set.of(), null, null);
	}

	/** Settings with the engine's limits. */
	public PluginSettings(boolean enabled, @Nullable Set<Capability> capabilities, Map<String, String> env,
			List<String> httpAllow, Set<String> readOnlyTools) {
		this(enabled, capabilities, env, httpAllow, readOnlyTools, null, null);
	}

}
