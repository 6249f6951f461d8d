package io.github.grain.plugin.engine.wasmtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.module.ValueType;
import io.github.grain.plugin.engine.runtime.HostFunction;
import io.github.grain.plugin.engine.runtime.InstancePool;
import io.github.grain.plugin.engine.runtime.RuntimeInstance;
import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.FuncType;
import io.github.kawamuray.wasmtime.Instance;
import io.github.kawamuray.wasmtime.Module;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.Val;
import org.jspecify.annotations.Nullable;

/**
 * Fresh instances over pooled stores. Creating a host function costs about 100 µs per
 * store in wasmtime-java, so each pooled store carries its host functions and serves
 * many fresh instances; a store keeps every instance's memory until it is disposed, so
 * it is recycled after {@link WasmtimeRuntime#instancesPerStore()} instances.
 */
final class WasmtimeInstancePool implements InstancePool {

	private final WasmtimeRuntime runtime;

	private final String name;

	private final Module module;

	private final List<HostFunction> imports;

	private final ConcurrentLinkedDeque<StoreSlot> idle = new ConcurrentLinkedDeque<>();

	private volatile boolean closed;

	WasmtimeInstancePool(WasmtimeRuntime runtime, String name, Module module, List<HostFunction> imports) {
		this.runtime = runtime;
		this.name = name;
		this.module = module;
		this.imports = List.copyOf(imports);
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
		if (this.closed || slot.uses >= this.runtime.instancesPerStore()) {
			slot.dispose();
		}
		else {
			this.idle.offerFirst(slot);
		}
	}

	@Override
	public void close() {
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
	 * A store with this module's host functions, used by one thread at a time.
	 */
	final class StoreSlot {

		final Store<Void> store;

		private final List<Func> functions = new ArrayList<>();

		private final List<Extern> externs = new ArrayList<>();

		@Nullable WasmtimeInstance current;

		int uses;

		StoreSlot() {
			this.store = new Store<>(null, WasmtimeInstancePool.this.runtime.engine());
			try {
				for (HostFunction function : WasmtimeInstancePool.this.imports) {
					Func func = hostFunc(function);
					this.functions.add(func);
					this.externs.add(Extern.fromFunc(func));
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
				if (instance == null || !instance.ready()) {
					throw new IllegalStateException("host function called before the instance was ready");
				}
				long[] raw = new long[args.length];
				for (int i = 0; i < args.length; i++) {
					raw[i] = fromVal(args[i]);
				}
				long[] produced;
				try {
					instance.enterHost();
					produced = function.call(instance, raw);
				}
				catch (RuntimeException | Error ex) {
					instance.recordHostFailure(ex);
					throw ex;
				}
				for (int i = 0; i < out.length; i++) {
					out[i] = toVal(results[i], produced[i]);
				}
			});
		}

		RuntimeInstance instantiate(Duration deadline) {
			this.store.setEpochDeadline(WasmtimeRuntime.ticks(deadline));
			this.uses++;
			WasmtimeInstance instance = new WasmtimeInstance(WasmtimeInstancePool.this.name, this);
			this.current = instance;
			Instance native_;
			try {
				native_ = new Instance(this.store, WasmtimeInstancePool.this.module, this.externs);
			}
			catch (RuntimeException ex) {
				this.current = null;
				throw WasmtimeInstance.translate(WasmtimeInstancePool.this.name, "instantiate", ex, null);
			}
			instance.attach(native_);
			return instance;
		}

		void released(WasmtimeInstance instance) {
			if (this.current == instance) {
				this.current = null;
			}
			release(this);
		}

		void dispose() {
			for (Func func : this.functions) {
				func.dispose();
			}
			this.functions.clear();
			this.externs.clear();
			this.store.dispose();
		}

	}

	static GuestTrapException unknownTrap(String plugin, String function, RuntimeException ex) {
		return new GuestTrapException("UNKNOWN",
				"plugin '" + plugin + "' function '" + function + "' failed in wasmtime: " + ex.getMessage(), ex);
	}

}
