package io.github.grain.plugin.runtime.wasmtime;

import java.util.List;

import io.github.grain.plugin.engine.runtime.CompiledModule;
import io.github.grain.plugin.engine.runtime.HostFunction;
import io.github.grain.plugin.engine.runtime.InstancePool;
import io.github.kawamuray.wasmtime.Module;
import org.jspecify.annotations.Nullable;

/**
 * A wasmtime {@link Module} with the engine it was compiled on; shareable across
 * threads. On close the module is disposed and the engine handed back to the runtime.
 */
final class WasmtimeCompiledModule implements CompiledModule {

	private final WasmtimeRuntime runtime;

	private final String name;

	private final WasmtimeRuntime.Lease lease;

	private final Module module;

	private boolean closed;

	WasmtimeCompiledModule(WasmtimeRuntime runtime, String name, WasmtimeRuntime.Lease lease, Module module) {
		this.runtime = runtime;
		this.name = name;
		this.lease = lease;
		this.module = module;
	}

	@Override
	public InstancePool link(List<HostFunction> imports, @Nullable String initializer) {
		return new WasmtimeInstancePool(this.runtime, this.name, this.lease.engine(), this.module, imports, initializer);
	}

	@Override
	public synchronized void close() {
		if (!this.closed) {
			this.closed = true;
			this.module.dispose();
			this.runtime.release(this.lease);
		}
	}

}
