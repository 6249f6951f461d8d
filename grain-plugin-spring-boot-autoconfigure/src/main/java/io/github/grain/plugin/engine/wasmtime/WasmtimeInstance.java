package io.github.grain.plugin.engine.wasmtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.abi.GuestMemory;
import io.github.grain.plugin.engine.runtime.RuntimeInstance;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.Instance;
import io.github.kawamuray.wasmtime.Memory;
import io.github.kawamuray.wasmtime.Val;
import io.github.kawamuray.wasmtime.WasmFunctionError;
import org.jspecify.annotations.Nullable;

/**
 * One fresh wasmtime instance in a pooled store. Every native wrapper it obtains
 * (functions, memories, the instance) is disposed on {@link #close()}: wasmtime-java
 * frees nothing by itself.
 */
final class WasmtimeInstance implements RuntimeInstance {

	private final String plugin;

	private final WasmtimeInstancePool.StoreSlot slot;

	private @Nullable Instance instance;

	private final Map<String, Func> functions = new HashMap<>();

	private final Map<String, WasmtimeMemory> memories = new HashMap<>();

	private @Nullable Throwable hostFailure;

	private boolean closed;

	WasmtimeInstance(String plugin, WasmtimeInstancePool.StoreSlot slot) {
		this.plugin = plugin;
		this.slot = slot;
	}

	void attach(Instance instance) {
		this.instance = instance;
	}

	boolean ready() {
		return this.instance != null && !this.closed;
	}

	/** Guest code ran before this host call: memory may have grown. */
	void enterHost() {
		for (WasmtimeMemory memory : this.memories.values()) {
			memory.refresh();
		}
	}

	void recordHostFailure(Throwable failure) {
		if (this.hostFailure == null) {
			this.hostFailure = failure;
		}
	}

	@Override
	public long[] call(String export, long... args) {
		Func func = function(export);
		Val[] vals = new Val[args.length];
		for (int i = 0; i < args.length; i++) {
			vals[i] = Val.fromI32((int) args[i]);
		}
		Val[] results;
		this.hostFailure = null;
		try {
			results = func.call(this.slot.store, vals);
		}
		catch (RuntimeException ex) {
			throw translate(this.plugin, export, ex, this.hostFailure);
		}
		finally {
			enterHost();
		}
		long[] out = new long[results.length];
		for (int i = 0; i < results.length; i++) {
			out[i] = WasmtimeInstancePool.fromVal(results[i]);
		}
		return out;
	}

	private Func function(String export) {
		Func func = this.functions.get(export);
		if (func == null) {
			func = requireInstance().getFunc(this.slot.store, export)
				.orElseThrow(() -> new InvalidPluginException(
						"plugin '" + this.plugin + "' has no function export '" + export + "'"));
			this.functions.put(export, func);
		}
		return func;
	}

	@Override
	public GuestMemory memory(String export) {
		WasmtimeMemory memory = this.memories.get(export);
		if (memory == null) {
			Memory native_ = requireInstance().getMemory(this.slot.store, export)
				.orElseThrow(() -> new InvalidPluginException(
						"plugin '" + this.plugin + "' has no memory export '" + export + "'"));
			memory = new WasmtimeMemory(native_);
			this.memories.put(export, memory);
		}
		return memory;
	}

	private Instance requireInstance() {
		if (this.instance == null || this.closed) {
			throw new IllegalStateException("instance of plugin '" + this.plugin + "' is not live");
		}
		return this.instance;
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		for (Func func : this.functions.values()) {
			func.dispose();
		}
		this.functions.clear();
		for (WasmtimeMemory memory : this.memories.values()) {
			memory.dispose();
		}
		this.memories.clear();
		if (this.instance != null) {
			this.instance.dispose();
		}
		this.slot.released(this);
	}

	/**
	 * Turn what wasmtime-java threw into the engine's exceptions; a failure raised by a
	 * host function during the call wins over the trap it caused.
	 */
	static RuntimeException translate(String plugin, String function, RuntimeException ex,
			@Nullable Throwable hostFailure) {
		if (hostFailure instanceof RuntimeException runtimeFailure) {
			return runtimeFailure;
		}
		if (hostFailure instanceof Error error) {
			throw error;
		}
		if (ex instanceof WasmFunctionError.TrapError trap) {
			String kind = trap.trap().name();
			String what = "INTERRUPT".equals(kind) ? "ran past its deadline and was interrupted" : "trapped: " + kind;
			return new GuestTrapException(kind, "plugin '" + plugin + "' function '" + function + "' " + what, ex);
		}
		if (ex instanceof WasmFunctionError.I32ExitError exit) {
			return new GuestTrapException("EXIT",
					"plugin '" + plugin + "' function '" + function + "' exited with code " + exit.exitCode(), ex);
		}
		return WasmtimeInstancePool.unknownTrap(plugin, function, ex);
	}

	/** The guest memory view over a wasmtime memory's direct buffer. */
	private final class WasmtimeMemory extends GuestMemory {

		private final Memory memory;

		private ByteBuffer buffer;

		WasmtimeMemory(Memory memory) {
			this.memory = memory;
			this.buffer = fetch();
		}

		private ByteBuffer fetch() {
			return this.memory.buffer(WasmtimeInstance.this.slot.store).order(ByteOrder.LITTLE_ENDIAN);
		}

		@Override
		public long size() {
			return this.buffer.capacity();
		}

		@Override
		public void refresh() {
			if (!WasmtimeInstance.this.closed) {
				this.buffer = fetch();
			}
		}

		@Override
		protected ByteBuffer buffer() {
			if (WasmtimeInstance.this.closed) {
				throw new IllegalStateException("memory of a closed instance");
			}
			return this.buffer;
		}

		void dispose() {
			this.memory.dispose();
		}

	}

}
