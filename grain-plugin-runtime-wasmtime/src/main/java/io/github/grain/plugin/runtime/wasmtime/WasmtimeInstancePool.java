package io.github.grain.plugin.runtime.wasmtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.TrapKind;
import io.github.grain.plugin.engine.module.ValueType;
import io.github.grain.plugin.engine.runtime.HostFunction;
import io.github.grain.plugin.engine.runtime.InstancePool;
import io.github.grain.plugin.engine.runtime.RuntimeInstance;
import io.github.kawamuray.wasmtime.Caller;
import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.FuncType;
import io.github.kawamuray.wasmtime.Linker;
import io.github.kawamuray.wasmtime.Module;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.Val;
import org.jspecify.annotations.Nullable;

/**
 * Fresh instances over pooled stores. What wasmtime-java makes expensive is done once
 * per store, not per call (measured on wasmtime-java 0.19): creating a host function
 * (~250 µs each), and passing imports to {@code new Instance} (~6.5 µs per import, each
 * converted through JNI). So each pooled store carries a {@link Linker} with this
 * module's host functions defined once, and every fresh instance is created by
 * {@link Linker#module} under a new name: one JNI call, imports resolved inside
 * wasmtime, {@code _initialize} run by wasmtime. A store keeps every instance's memory
 * until it is disposed, so it is recycled after
 * {@link WasmtimeRuntime#instancesPerStore()} instances or once the memories it retains
 * pass {@link #RETAINED_MEMORY_PER_STORE}, whichever comes first.
 */
final class WasmtimeInstancePool implements InstancePool {

	/** Memory retained by disposed instances before their store is recycled. */
	static final long RETAINED_MEMORY_PER_STORE = 256L * 1024 * 1024;

	private static final String WASMTIME_INITIALIZE = "_initialize";

	private final WasmtimeRuntime runtime;

	private final String name;

	private final Engine engine;

	private final Module module;

	private final List<HostFunction> imports;

	private final List<String[]> importNames;

	private final @Nullable String initializer;

	private final ConcurrentLinkedDeque<StoreSlot> idle = new ConcurrentLinkedDeque<>();

	private volatile boolean closed;

	WasmtimeInstancePool(WasmtimeRuntime runtime, String name, Engine engine, Module module,
			List<HostFunction> imports, @Nullable String initializer) {
		this.runtime = runtime;
		this.name = name;
		this.engine = engine;
		this.module = module;
		this.imports = List.copyOf(imports);
		this.initializer = initializer;
		List<String[]> names = new ArrayList<>();
		for (io.github.kawamuray.wasmtime.ImportType imported : module.imports()) {
			names.add(new String[] { imported.module(), imported.name() });
		}
		if (names.size() != this.imports.size()) {
			throw new IllegalArgumentException("plugin '" + name + "' has " + names.size() + " imports, "
					+ this.imports.size() + " host functions given");
		}
		this.importNames = names;
	}

	@Override
	public RuntimeInstance instantiate(Duration deadline) {
		if (this.closed) {
			throw new IllegalStateException("instance pool of plugin '" + this.name + "' is closed");
		}
		this.runtime.ensureOpen();
		StoreSlot slot = this.idle.pollFirst();
		if (slot == null) {
			slot = new StoreSlot();
		}
		try {
			return slot.instantiate(deadline);
		}
		catch (RuntimeException | Error ex) {
			slot.dispose();
			throw ex;
		}
	}

	void release(StoreSlot slot) {
		if (this.closed) {
			slot.dispose();
		}
		else if (slot.uses >= this.runtime.instancesPerStore() || slot.retainedMemory >= RETAINED_MEMORY_PER_STORE) {
			// Retire it and prepare its replacement in the background.
			this.runtime.maintain(() -> {
				slot.dispose();
				prepareSpare();
			});
		}
		else {
			this.idle.offerFirst(slot);
		}
	}

	/**
	 * Create a store for the next caller if none is idle. Under the pool's lock, so that
	 * {@link #close()} (and the engine's disposal after it) waits for a creation under way.
	 */
	private synchronized void prepareSpare() {
		if (!this.closed && this.idle.isEmpty()) {
			this.idle.offerLast(new StoreSlot());
		}
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		StoreSlot slot;
		while ((slot = this.idle.pollFirst()) != null) {
			slot.dispose();
		}
	}

	private static Val.Type valType(ValueType type) {
		return switch (type) {
			case I32 -> Val.Type.I32;
			case I64 -> Val.Type.I64;
			case F32 -> Val.Type.F32;
			case F64 -> Val.Type.F64;
			default -> throw new IllegalArgumentException("unsupported host function value type " + type);
		};
	}

	static long fromVal(Val val) {
		return switch (val.getType()) {
			case I32 -> val.i32();
			case I64 -> val.i64();
			case F32 -> Float.floatToRawIntBits(val.f32()) & 0xFFFF_FFFFL;
			case F64 -> Double.doubleToRawLongBits(val.f64());
			default -> throw new IllegalArgumentException("unsupported value type " + val.getType());
		};
	}

	static Val toVal(Val.Type type, long value) {
		return switch (type) {
			case I32 -> Val.fromI32((int) value);
			case I64 -> Val.fromI64(value);
			case F32 -> Val.fromF32(Float.intBitsToFloat((int) value));
			case F64 -> Val.fromF64(Double.longBitsToDouble(value));
			default -> throw new IllegalArgumentException("unsupported value type " + type);
		};
	}

	/**
	 * A store and linker with this module's host functions, used by one thread at a time.
	 */
	final class StoreSlot {

		final Store<Void> store;

		private final Linker linker;

		private final List<Func> functions = new ArrayList<>();

		@Nullable WasmtimeInstance current;

		int uses;

		long retainedMemory;

		StoreSlot() {
			this.store = new Store<>(null, WasmtimeInstancePool.this.engine);
			this.linker = new Linker(WasmtimeInstancePool.this.engine);
			try {
				for (int i = 0; i < WasmtimeInstancePool.this.imports.size(); i++) {
					Func func = hostFunc(WasmtimeInstancePool.this.imports.get(i));
					this.functions.add(func);
					String[] importName = WasmtimeInstancePool.this.importNames.get(i);
					this.linker.define(this.store, importName[0], importName[1], Extern.fromFunc(func));
				}
			}
			catch (RuntimeException ex) {
				dispose();
				throw ex;
			}
		}

		private Func hostFunc(HostFunction function) {
			Val.Type[] params = function.type().params().stream().map(WasmtimeInstancePool::valType)
				.toArray(Val.Type[]::new);
			Val.Type[] results = function.type().results().stream().map(WasmtimeInstancePool::valType)
				.toArray(Val.Type[]::new);
			return new Func(this.store, new FuncType(params, results), (caller, args, out) -> {
				WasmtimeInstance instance = this.current;
				if (instance == null) {
					throw new IllegalStateException("host function called outside a guest call");
				}
				long[] raw = new long[args.length];
				for (int i = 0; i < args.length; i++) {
					raw[i] = fromVal(args[i]);
				}
				long[] produced;
				Caller<Void> outer = instance.enterHost(caller);
				try {
					produced = function.call(instance, raw);
				}
				catch (RuntimeException | Error ex) {
					instance.recordHostFailure(ex);
					throw ex;
				}
				finally {
					instance.exitHost(outer);
				}
				for (int i = 0; i < out.length; i++) {
					out[i] = toVal(results[i], produced[i]);
				}
			});
		}

		RuntimeInstance instantiate(Duration deadline) {
			this.store.setEpochDeadline(WasmtimeRuntime.ticks(deadline));
			String instanceName = "grain-instance-" + this.uses++;
			WasmtimeInstance instance = new WasmtimeInstance(WasmtimeInstancePool.this.name, this, instanceName);
			this.current = instance;
			try {
				// Linker.module instantiates a reactor and runs its "_initialize" itself.
				this.linker.module(this.store, instanceName, WasmtimeInstancePool.this.module);
			}
			catch (RuntimeException ex) {
				this.current = null;
				throw WasmtimeInstance.translate(WasmtimeInstancePool.this.name, WASMTIME_INITIALIZE, ex,
						instance.takeHostFailure());
			}
			String initializer = WasmtimeInstancePool.this.initializer;
			if (initializer != null && !WASMTIME_INITIALIZE.equals(initializer)) {
				try {
					instance.call(initializer);
				}
				catch (RuntimeException ex) {
					instance.close();
					throw ex;
				}
			}
			return instance;
		}

		Linker linker() {
			return this.linker;
		}

		void released(WasmtimeInstance instance, long memoryBytes) {
			if (this.current == instance) {
				this.current = null;
			}
			this.retainedMemory += memoryBytes;
			release(this);
		}

		void dispose() {
			this.linker.dispose();
			for (Func func : this.functions) {
				func.dispose();
			}
			this.functions.clear();
			this.store.dispose();
		}

	}

	static GuestTrapException unknownTrap(String plugin, String function, RuntimeException ex) {
		return new GuestTrapException(TrapKind.UNKNOWN,
				"plugin '" + plugin + "' function '" + function + "' failed in wasmtime: " + ex.getMessage(), ex);
	}

}
