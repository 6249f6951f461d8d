package io.github.grain.plugin.runtime.chicory;

import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.runtime.WasmRuntime;
import io.github.grain.plugin.engine.runtime.WasmRuntimeProvider;

/**
 * Makes Chicory available to engines that ask for {@link WasmRuntimeKind#CHICORY}.
 */
public final class ChicoryRuntimeProvider implements WasmRuntimeProvider {

	@Override
	public WasmRuntimeKind kind() {
		return WasmRuntimeKind.CHICORY;
	}

	@Override
	public WasmRuntime create(PluginEngineOptions options) {
		return new ChicoryRuntime(options.compilationCache());
	}

}
