package io.github.grain.plugin.runtime.chicory;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * at compile time); what a fresh instance costs is mostly its memory: zeroed pages and
 * the data segments copied in. So a module with one memory of its own and no start
 * function is instantiated from a {@link InstanceTemplate} taken from its first
 * instance: each new instance gets a {@link ResettableMemory} that already holds the
 * image (taken from an idle one, restored block by block when its last instance
 * closed, or copied anew), its host functions linked once for all instances, and, when
 * the reactor initialiser made no host call, the initialiser's result by copy instead
 * of a run. Globals and tables are built afresh for every instance. Nothing a call
 * wrote can reach the next: every byte it wrote is restored from the image before the
 * memory is handed on.
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

	/** Host functions shared by every instance built on a {@link ResettableMemory}: they find their instance through it. */
	private final @Nullable ImportValues sharedImports;

	private final AtomicBoolean capturing = new AtomicBoolean();

	private volatile @Nullable InstanceTemplate template;

	private final Queue<ResettableMemory> idle = new ConcurrentLinkedQueue<>();

	private final AtomicInteger idleCount = new AtomicInteger();

	private final int maxIdle;

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
		this.sharedImports = templated(module) ? importValues(ChicoryInstancePool::owner) : null;
		this.maxIdle = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
	}

	/** Whether instances can start from a template: one memory of the module's own, no start function. */
	private static boolean templated(WasmModule module) {
		return module.startSection().isEmpty()
				&& module.memorySection().map((memories) -> memories.memoryCount() == 1).orElse(false);
	}

	private static ChicoryInstance owner(Instance caller) {
		if (caller.memory() instanceof ResettableMemory memory) {
			return memory.owner();
		}
		throw new IllegalStateException("a shared host function was called by an instance without its memory");
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
		InstanceTemplate current = this.template;
		if (current != null) {
			return instantiate(current, deadline);
		}
		boolean capture = this.sharedImports != null && this.capturing.compareAndSet(false, true);
		ChicoryInstance instance = new ChicoryInstance(this.name, this.runtime.deadlines().start(deadline));
		try {
			instance.bind(Instance.builder(this.module)
				.withImportValues(importValues((caller) -> instance))
				.withMachineFactory(this.machines)
				.build());
			if (capture) {
				this.template = InstanceTemplate.capture(this.name, instance.chicory(),
						(this.initializer != null) ? () -> instance.callCounting(this.initializer) : null);
			}
			else if (this.initializer != null) {
				instance.call(this.initializer);
			}
			return instance;
		}
		catch (RuntimeException | StackOverflowError ex) {
			if (capture) {
				this.capturing.set(false);
			}
			instance.close();
			throw instance.translate(this.initializer != null ? this.initializer : "instantiate", ex);
		}
	}

	/** An instance on a memory that holds the template's image already. */
	private RuntimeInstance instantiate(InstanceTemplate template, Duration deadline) {
		ResettableMemory memory = take(template);
		ChicoryInstance instance = new ChicoryInstance(this.name, this.runtime.deadlines().start(deadline), memory,
				this::release);
		memory.owner(instance);
		try {
			Instance built = Instance.builder(this.module)
				.withImportValues(this.sharedImports)
				.withMachineFactory(this.machines)
				.withMemoryFactory((limits) -> memory)
				.build();
			instance.bind(built);
			if (template.initialized() != null) {
				template.initialized().applyTo(built);
			}
			else if (this.initializer != null) {
				instance.call(this.initializer);
			}
			return instance;
		}
		catch (RuntimeException | StackOverflowError ex) {
			instance.close();
			throw instance.translate(this.initializer != null ? this.initializer : "instantiate", ex);
		}
	}

	/** An idle memory, or a new one holding the template's image. */
	private ResettableMemory take(InstanceTemplate template) {
		ResettableMemory memory = this.idle.poll();
		if (memory == null) {
			return new ResettableMemory(template.memory());
		}
		this.idleCount.decrementAndGet();
		return memory;
	}

	/** A memory whose instance closed: restored to the image, kept for the next instance while few are idle. */
	private void release(ResettableMemory memory) {
		memory.restore();
		if (!this.closed && this.idleCount.incrementAndGet() <= this.maxIdle) {
			this.idle.offer(memory);
		}
		else {
			this.idleCount.decrementAndGet();
		}
	}

	/** The host functions, each calling the instance {@code target} finds for its caller. */
	private ImportValues importValues(Function<Instance, ChicoryInstance> target) {
		ImportFunction[] functions = new ImportFunction[this.imports.size()];
		for (int i = 0; i < functions.length; i++) {
			HostFunction function = this.imports.get(i);
			functions[i] = new com.dylibso.chicory.runtime.HostFunction(this.importNames[i][0], this.importNames[i][1],
					this.importTypes[i], (caller, args) -> target.apply(caller).callHost(function, args));
		}
		return ImportValues.builder().addFunction(functions).build();
	}

	/** How many restored memories wait for an instance; for tests. */
	int idleMemories() {
		return this.idleCount.get();
	}

	/** Whether instances start from a template taken from the first; for tests. */
	@Nullable InstanceTemplate template() {
		return this.template;
	}

	@Override
	public void close() {
		this.closed = true;
		this.idle.clear();
	}

}
