package io.github.grain.plugin.runtime.wasmtime;

import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.runtime.WasmRuntime;
import io.github.grain.plugin.engine.runtime.WasmRuntimeProvider;

/**
 * Makes wasmtime available to engines that ask for {@link WasmRuntimeKind#WASMTIME}.
 */
public final class WasmtimeRuntimeProvider implements WasmRuntimeProvider {

	@Override
	public WasmRuntimeKind kind() {
		return WasmRuntimeKind.WASMTIME;
	}

	@Override
	public WasmRuntime create(PluginEngineOptions options) {
		return new WasmtimeRuntime(options.instancesPerStore(), options.compilationCache());
	}

}
