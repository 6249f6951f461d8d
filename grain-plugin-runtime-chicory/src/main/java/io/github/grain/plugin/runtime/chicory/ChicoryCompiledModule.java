package io.github.grain.plugin.runtime.chicory;

import java.util.List;
import java.util.function.Function;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import io.github.grain.plugin.engine.runtime.CompiledModule;
import io.github.grain.plugin.engine.runtime.HostFunction;
import io.github.grain.plugin.engine.runtime.InstancePool;
import org.jspecify.annotations.Nullable;

/**
 * A parsed, validated module with its generated machine classes; immutable and shared
 * by every thread. Nothing native to release: closing only refuses further links.
 */
final class ChicoryCompiledModule implements CompiledModule {

	private final ChicoryRuntime runtime;

	private final String name;

	private final WasmModule module;

	private final Function<Instance, Machine> machines;

	ChicoryCompiledModule(ChicoryRuntime runtime, String name, WasmModule module,
			Function<Instance, Machine> machines) {
		this.runtime = runtime;
		this.name = name;
		this.module = module;
		this.machines = machines;
	}

	@Override
	public InstancePool link(List<HostFunction> imports, @Nullable String initializer) {
		this.runtime.ensureOpen();
		return new ChicoryInstancePool(this.runtime, this.name, this.module, this.machines, imports, initializer);
	}

	@Override
	public void close() {
	}

}
