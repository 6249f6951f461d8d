package io.github.grain.plugin.runtime.wasmtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.TrapKind;
import io.github.grain.plugin.engine.abi.GuestMemory;
import io.github.grain.plugin.engine.runtime.RuntimeInstance;
import io.github.kawamuray.wasmtime.Caller;
import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.Memory;
import io.github.kawamuray.wasmtime.Trap;
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

	private final String instanceName;

	private final Map<String, Func> functions = new HashMap<>();

	private final Map<String, WasmtimeMemory> memories = new HashMap<>();

	private @Nullable Throwable hostFailure;

	private @Nullable Caller<Void> activeCaller;

	private boolean closed;

	WasmtimeInstance(String plugin, WasmtimeInstancePool.StoreSlot slot, String instanceName) {
		this.plugin = plugin;
		this.slot = slot;
		this.instanceName = instanceName;
	}

	/**
	 * A host call begins: exports are looked up through the caller, because during
	 * {@code _initialize} the instance is not yet registered in the linker. (Memory growth
	 * needs nothing here: views re-read the memory when an access needs grown pages.)
	 * @return the caller of an enclosing host call, to restore on exit
	 */
	@Nullable Caller<Void> enterHost(Caller<Void> caller) {
		Caller<Void> outer = this.activeCaller;
		this.activeCaller = caller;
		return outer;
	}

	void exitHost(@Nullable Caller<Void> outer) {
		this.activeCaller = outer;
	}

	private Extern export(String export) {
		ensureLive();
		Caller<Void> caller = this.activeCaller;
		java.util.Optional<Extern> found = (caller != null) ? caller.getExport(export)
				: this.slot.linker().get(this.slot.store, this.instanceName, export);
		return found.orElseThrow(() -> new InvalidPluginException(
				"plugin '" + this.plugin + "' has no export '" + export + "'"));
	}


	void recordHostFailure(Throwable failure) {
		if (this.hostFailure == null) {
			this.hostFailure = failure;
		}
	}

	@Nullable Throwable takeHostFailure() {
		Throwable failure = this.hostFailure;
		this.hostFailure = null;
		return failure;
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
			throw translate(this.plugin, export, ex, takeHostFailure());
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
			Extern extern = export(export);
			if (extern.type() != Extern.Type.FUNC) {
				throw new InvalidPluginException("plugin '" + this.plugin + "' export '" + export + "' is not a function");
			}
			func = extern.func();
			this.functions.put(export, func);
		}
		return func;
	}

	@Override
	public GuestMemory memory(String export) {
		WasmtimeMemory memory = this.memories.get(export);
		if (memory == null) {
			Extern extern = export(export);
			if (extern.type() != Extern.Type.MEMORY) {
				throw new InvalidPluginException("plugin '" + this.plugin + "' export '" + export + "' is not a memory");
			}
			memory = new WasmtimeMemory(extern.memory());
			this.memories.put(export, memory);
		}
		return memory;
	}

	private void ensureLive() {
		if (this.closed) {
			throw new IllegalStateException("instance of plugin '" + this.plugin + "' is closed");
		}
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
		long memoryBytes = 0;
		for (WasmtimeMemory memory : this.memories.values()) {
			memoryBytes += memory.currentSize();
			memory.dispose();
		}
		this.memories.clear();
		this.slot.released(this, memoryBytes);
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
			TrapKind kind = trapKind(trap.trap());
			String what = (kind == TrapKind.DEADLINE) ? "ran past its deadline and was interrupted" : "trapped: " + kind;
			return new GuestTrapException(kind, "plugin '" + plugin + "' function '" + function + "' " + what, ex);
		}
		if (ex instanceof WasmFunctionError.I32ExitError exit) {
			return new GuestTrapException(TrapKind.EXIT,
					"plugin '" + plugin + "' function '" + function + "' exited with code " + exit.exitCode(), ex);
		}
		return WasmtimeInstancePool.unknownTrap(plugin, function, ex);
	}

	/** The engine's name for a wasmtime trap: its epoch interruption is our deadline. */
	static TrapKind trapKind(Trap trap) {
		return switch (trap) {
			case INTERRUPT, OUF_OF_FUEL -> TrapKind.DEADLINE;
			case STACK_OVERFLOW -> TrapKind.STACK_OVERFLOW;
			case MEMORY_OUT_OF_BOUNDS -> TrapKind.MEMORY_OUT_OF_BOUNDS;
			case HEAP_MISALIGNED -> TrapKind.HEAP_MISALIGNED;
			case TABLE_OUT_OF_BOUNDS -> TrapKind.TABLE_OUT_OF_BOUNDS;
			case INDIRECT_CALL_TO_NULL -> TrapKind.INDIRECT_CALL_TO_NULL;
			case BAD_SIGNATURE -> TrapKind.BAD_SIGNATURE;
			case INTEGER_OVERFLOW -> TrapKind.INTEGER_OVERFLOW;
			case INTEGER_DIVISION_BY_ZERO -> TrapKind.INTEGER_DIVISION_BY_ZERO;
			case BAD_CONVERSION_TO_INTEGER -> TrapKind.BAD_CONVERSION_TO_INTEGER;
			case UNREACHABLE_CODE_REACHED -> TrapKind.UNREACHABLE_CODE_REACHED;
			case UNKNOWN, ALWAYS_TRAP_ADAPTER -> TrapKind.UNKNOWN;
		};
	}

	/** The guest memory view over a wasmtime memory's direct buffer. */
	private final class WasmtimeMemory extends GuestMemory.OverBuffer {

		private final Memory memory;

		private @Nullable ByteBuffer buffer;

		WasmtimeMemory(Memory memory) {
			this.memory = memory;
		}

		private ByteBuffer fetch() {
			return this.memory.buffer(WasmtimeInstance.this.slot.store).order(ByteOrder.LITTLE_ENDIAN);
		}

		@Override
		public long size() {
			return buffer().capacity();
		}

		/**
		 * wasmtime's static memories (the runtime's configuration) never move, so a buffer
		 * fetched earlier stays valid after guest code ran; growth is picked up here when an
		 * access needs the new pages.
		 */
		@Override
		protected void reloadExtent() {
			this.buffer = fetch();
		}

		@Override
		protected ByteBuffer buffer() {
			if (WasmtimeInstance.this.closed) {
				throw new IllegalStateException("memory of a closed instance");
			}
			ByteBuffer current = this.buffer;
			if (current == null) {
				current = fetch();
				this.buffer = current;
			}
			return current;
		}

		/** The memory's size now, read from wasmtime (guest code may have grown it unseen). */
		long currentSize() {
			return this.memory.dataSize(WasmtimeInstance.this.slot.store);
		}

		void dispose() {
			this.memory.dispose();
		}

	}

}
