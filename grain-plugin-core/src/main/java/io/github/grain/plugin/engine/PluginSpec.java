package io.github.grain.plugin.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Everything the engine needs to load one plugin: its bytes and what it is granted.
 * @param name the plugin's name as the host knows it (manifest or directory name)
 * @param source where the bytes came from, quoted in errors (a path or resource)
 * @param wasm the core module or component binary
 * @param capabilities granted capabilities; everything else is denied
 * @param env the values the guest may read with {@code env-get}; never the OS environment
 * @param callTimeout this plugin's deadline per guest call, {@code null} for the engine's
 * @param maxMemoryBytes this plugin's cap on linear memory, {@code null} for the engine's
 * @param runtime the runtime this plugin runs on, {@code null} for the engine's
 */
public record PluginSpec(String name, String source, byte[] wasm, Set<Capability> capabilities,
		Map<String, String> env, @Nullable Duration callTimeout, @Nullable Long maxMemoryBytes,
		@Nullable WasmRuntimeKind runtime) {

	public PluginSpec {
		capabilities = Set.copyOf(capabilities);
		env = Map.copyOf(env);
		if (callTimeout != null && (callTimeout.isZero() || callTimeout.isNegative())) {
			throw new IllegalArgumentException("plugin '" + name + "': call timeout must be positive: " + callTimeout);
		}
		if (maxMemoryBytes != null
				&& (maxMemoryBytes < 65536 || maxMemoryBytes > PluginEngineOptions.MAX_MEMORY_BYTES)) {
			throw new IllegalArgumentException("plugin '" + name + "': memory cap must be between 65536 and "
					+ PluginEngineOptions.MAX_MEMORY_BYTES + " bytes: " + maxMemoryBytes);
		}
	}

	/** A plugin with the engine's limits, on the engine's runtime. */
	public PluginSpec(String name, String source, byte[] wasm, Set<Capability> capabilities, Map<String, String> env) {
		this(name, source, wasm, capabilities, env, null, null, null);
	}

	/** This spec with its own limits ({@code null} keeps the engine's). */
	public PluginSpec withLimits(@Nullable Duration callTimeout, @Nullable Long maxMemoryBytes) {
		return new PluginSpec(this.name, this.source, this.wasm, this.capabilities, this.env, callTimeout,
				maxMemoryBytes, this.runtime);
	}

	/** This spec on its own runtime ({@code null} keeps the engine's). */
	public PluginSpec withRuntime(@Nullable WasmRuntimeKind runtime) {
		return new PluginSpec(this.name, this.source, this.wasm, this.capabilities, this.env, this.callTimeout,
				this.maxMemoryBytes, runtime);
	}

}
