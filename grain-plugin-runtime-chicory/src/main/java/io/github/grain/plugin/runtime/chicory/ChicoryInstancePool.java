package io.github.grain.plugin.runtime.chicory;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ValType;
import io.github.grain.plugin.engine.module.ValueType;
import io.github.grain.plugin.engine.runtime.HostFunction;
import io.github.grain.plugin.engine.runtime.InstancePool;
import io.github.grain.plugin.engine.runtime.RuntimeInstance;
import org.jspecify.annotations.Nullable;

/**
 * Fresh Chicory instances of one linked module. An instance is cheap here (memory,
 * globals and tables are Java arrays; the machine is an object of the class generated
 * at compile time), so nothing is pooled: every call gets a new instance and the
 * garbage collector takes it back.
 */
final class ChicoryInstancePool implements InstancePool {

	private final ChicoryRuntime runtime;

	private final String name;

	private final WasmModule module;

	private final Function<Instance, Machine> machines;

	private final List<HostFunction> imports;

	private final String[][] importNames;

	private final FunctionType[] importTypes;

	private final @Nullable String initializer;

	private volatile boolean closed;

	ChicoryInstancePool(ChicoryRuntime runtime, String name, WasmModule module, Function<Instance, Machine> machines,
			List<HostFunction> imports, @Nullable String initializer) {
		this.runtime = runtime;
		this.name = name;
		this.module = module;
		this.machines = machines;
		this.imports = List.copyOf(imports);
		this.initializer = initializer;
		int count = module.importSection().importCount();
		if (count != this.imports.size()) {
			throw new IllegalArgumentException(
					"plugin '" + name + "' has " + count + " imports, " + this.imports.size() + " host functions given");
		}
		this.importNames = new String[count][];
		this.importTypes = new FunctionType[count];
		for (int i = 0; i < count; i++) {
			Import imported = module.importSection().getImport(i);
			if (!(imported instanceof FunctionImport)) {
				throw new IllegalArgumentException("plugin '" + name + "' import '" + imported.module() + "' '"
						+ imported.name() + "' is not a function");
			}
			this.importNames[i] = new String[] { imported.module(), imported.name() };
			this.importTypes[i] = chicoryType(this.imports.get(i).type());
		}
	}

	private static FunctionType chicoryType(io.github.grain.plugin.engine.module.FunctionType type) {
		return FunctionType.of(type.params().stream().map(ChicoryInstancePool::valType).toList(),
				type.results().stream().map(ChicoryInstancePool::valType).toList());
	}

	private static ValType valType(ValueType type) {
		return switch (type) {
			case I32 -> ValType.I32;
			case I64 -> ValType.I64;
			case F32 -> ValType.F32;
			case F64 -> ValType.F64;
			default -> throw new IllegalArgumentException("unsupported host function value type " + type);
		};
	}

	@Override
	public RuntimeInstance instantiate(Duration deadline) {
		if (this.closed) {
			throw new IllegalStateException("instance pool of plugin '" + this.name + "' is closed");
		}
		this.runtime.ensureOpen();
		ChicoryInstance instance = new ChicoryInstance(this.name, this.runtime.deadlines().start(deadline));
		try {
			instance.bind(Instance.builder(this.module)
				.withImportValues(importValues(instance))
				.withMachineFactory(this.machines)
				.build());
			if (this.initializer != null) {
				instance.call(this.initializer);
			}
			return instance;
		}
		catch (RuntimeException | StackOverflowError ex) {
			instance.close();
			throw instance.translate(this.initializer != null ? this.initializer : "instantiate", ex);
		}
	}

	/** The host functions, bound to the instance that will call them. */
	private ImportValues importValues(ChicoryInstance instance) {
		ImportFunction[] functions = new ImportFunction[this.imports.size()];
		for (int i = 0; i < functions.length; i++) {
			HostFunction function = this.imports.get(i);
			functions[i] = new com.dylibso.chicory.runtime.HostFunction(this.importNames[i][0], this.importNames[i][1],
					this.importTypes[i], (caller, args) -> instance.callHost(function, args));
		}
		return ImportValues.builder().addFunction(functions).build();
	}

	@Override
	public void close() {
		this.closed = true;
	}

}
