package io.github.grain.plugin.engine.runtime;

import io.github.grain.plugin.engine.GrainPluginException;
import io.github.grain.plugin.engine.WasmRuntimeKind;

/**
 * The runtime an engine was configured for is not on the class path.
 */
public class RuntimeNotAvailableException extends GrainPluginException {

	private final WasmRuntimeKind kind;

	public RuntimeNotAvailableException(WasmRuntimeKind kind) {
		super("WebAssembly runtime '" + kind.id() + "' is not on the class path: add the dependency "
				+ kind.artifact());
		this.kind = kind;
	}

	public WasmRuntimeKind kind() {
		return this.kind;
	}

}
