package io.github.grain.plugin.engine.runtime;

import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.WasmRuntimeKind;

/**
 * How a runtime artifact ({@code grain-plugin-runtime-wasmtime}, {@code -chicory}) makes
 * itself known: listed in {@code META-INF/services}, found with {@link java.util.ServiceLoader}
 * by {@link WasmRuntimes}. The engine never names a runtime's classes.
 */
public interface WasmRuntimeProvider {

	/** Which runtime this provider builds. */
	WasmRuntimeKind kind();

	/**
	 * A new runtime for one engine, which owns and closes it.
	 * @param options the engine's options (compilation cache, instances per store, …)
	 * @return the runtime
	 */
	WasmRuntime create(PluginEngineOptions options);

}
