package io.github.grain.plugin.runtime.wasmtime;

import java.util.List;

import io.github.grain.plugin.engine.runtime.CompiledModule;
import io.github.grain.plugin.engine.runtime.HostFunction;
import io.github.grain.plugin.engine.runtime.InstancePool;
import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Module;
import org.jspecify.annotations.Nullable;

/**
 * A wasmtime {@link Module} with the engine it was compiled on; shareable across
 * threads; both disposed on close, then the engine's private cache directory deleted.
 */
final class WasmtimeCompiledModule implements CompiledModule {

	private final WasmtimeRuntime runtime;

	private final String name;

	private final Engine engine;

	private final Module module;

	private final WasmtimeCodeCache.@Nullable Handover cacheDirectory;

	private boolean closed;

	/**
	 * @param cacheDirectory the engine's private wasmtime cache directory, deleted after the
	 * engine: wasmtime's cache worker may still write its statistics there after the compile
	 */
	WasmtimeCompiledModule(WasmtimeRuntime runtime, String name, Engine engine, Module module,
			WasmtimeCodeCache.@Nullable Handover cacheDirectory) {
		this.runtime = runtime;
		this.name = name;
		this.engine = engine;
		this.module = module;
		this.cacheDirectory = cacheDirectory;
	}

	@Override
	public InstancePool link(List<HostFunction> imports, @Nullable String initializer) {
		return new WasmtimeInstancePool(this.runtime, this.name, this.engine, this.module, imports, initializer);
	}

	@Override
	public synchronized void close() {
		if (!this.closed) {
			this.closed = true;
			this.module.dispose();
			this.runtime.release(this.engine);
			if (this.cacheDirectory != null) {
				this.cacheDirectory.close();
			}
		}
	}

}
