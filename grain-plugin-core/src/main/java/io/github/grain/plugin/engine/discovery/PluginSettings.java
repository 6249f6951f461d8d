package io.github.grain.plugin.engine.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import org.jspecify.annotations.Nullable;

/**
 * What the application decides about one plugin, whatever its manifest says.
 * @param enabled whether to load it
 * @param capabilities the granted capabilities; {@code null} grants what the manifest requests
 * @param env values added to (and overriding) the manifest's {@code [wasm.env]}
 * @param httpAllow the egress patterns granted ({@code scheme://host[:port]})
 * @param readOnlyTools the plugin's tools the application declares free of side effects
 * @param callTimeout this plugin's deadline per guest call, {@code null} for the engine's
 * @param maxMemoryBytes this plugin's memory cap, {@code null} for the engine's
 * @param runtime the runtime this plugin runs on, {@code null} for the engine's
 * @param sha256 the digest the module must have (lower-case hex), {@code null} for any
 */
public record PluginSettings(boolean enabled, @Nullable Set<Capability> capabilities, Map<String, String> env,
		List<String> httpAllow, Set<String> readOnlyTools, @Nullable Duration callTimeout,
		@Nullable Long maxMemoryBytes, @Nullable WasmRuntimeKind runtime, @Nullable String sha256) {

	public PluginSettings {
		capabilities = (capabilities != null) ? Set.copyOf(capabilities) : null;
		env = Map.copyOf(env);
		httpAllow = List.copyOf(httpAllow);
		readOnlyTools = Set.copyOf(readOnlyTools);
		if (sha256 != null) {
			sha256 = sha256.strip().toLowerCase(java.util.Locale.ROOT);
			if (!sha256.matches("[0-9a-f]{64}")) {
				throw new IllegalArgumentException("sha256 must be 64 hex digits: '" + sha256 + "'");
			}
		}
	}

	/** No settings: enabled, manifest capabilities, no extra env, no egress. */
	public static PluginSettings defaults() {
		return new PluginSettings(true, null, Map.of(), List.of(), Set.of(), null, null, null, null);
	}

	/** Settings with their own limits, on the engine's runtime, any digest. */
	public PluginSettings(boolean enabled, @Nullable Set<Capability> capabilities, Map<String, String> env,
			List<String> httpAllow, Set<String> readOnlyTools, @Nullable Duration callTimeout,
			@Nullable Long maxMemoryBytes) {
		this(enabled, capabilities, env, httpAllow, readOnlyTools, callTimeout, maxMemoryBytes, null, null);
	}

	/** Settings with the engine's limits. */
	public PluginSettings(boolean enabled, @Nullable Set<Capability> capabilities, Map<String, String> env,
			List<String> httpAllow, Set<String> readOnlyTools) {
		this(enabled, capabilities, env, httpAllow, readOnlyTools, null, null);
	}

}
