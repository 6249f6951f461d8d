package io.github.grain.plugin.runtime.chicory;

import java.util.Locale;
import java.util.function.Consumer;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.ChicoryException;
import io.github.grain.plugin.engine.GrainPluginException;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.TrapKind;
import io.github.grain.plugin.engine.abi.GuestMemory;
import io.github.grain.plugin.engine.runtime.HostFunction;
import io.github.grain.plugin.engine.runtime.RuntimeInstance;
import org.jspecify.annotations.Nullable;

/**
 * One fresh Chicory instance, confined to the thread that created it. Traps are reported
 * with the same kinds as on wasmtime ({@code UNREACHABLE_CODE_REACHED},
 * {@code STACK_OVERFLOW}, {@code INTERRUPT} for a deadline, …), so callers see one
 * vocabulary whichever runtime runs the plugin.
 */
final class ChicoryInstance implements RuntimeInstance {

	private final String plugin;

	private final ChicoryDeadlines.Watch watch;

	private @Nullable Instance instance;

	/** The exports looked up so far (a call uses a handful): names and functions, side by side. */
	private String[] functionNames = new String[8];

	private ExportFunction[] functions = new ExportFunction[8];

	private int functionCount;

	private @Nullable String memoryName;

	private @Nullable ChicoryMemory memory;

	private @Nullable Throwable hostFailure;

	private int hostCalls;

	private @Nullable ResettableMemory pooledMemory;

	private final @Nullable Consumer<ResettableMemory> release;

	private boolean closed;

	ChicoryInstance(String plugin, ChicoryDeadlines.Watch watch) {
		this(plugin, watch, null, null);
	}

	/**
	 * @param memory the memory this instance runs on, handed to {@code release} when it
	 * closes
	 */
	ChicoryInstance(String plugin, ChicoryDeadlines.Watch watch, @Nullable ResettableMemory memory,
			@Nullable Consumer<ResettableMemory> release) {
		this.plugin = plugin;
		this.watch = watch;
		this.pooledMemory = memory;
		this.release = release;
	}

	void bind(Instance instance) {
		this.instance = instance;
	}

	/** The Chicory instance, while it is open. */
	Instance chicory() {
		return live();
	}

	/**
	 * Call an export that takes and returns nothing.
	 * @return how many host functions it called
	 */
	int callCounting(String export) {
		int before = this.hostCalls;
		call(export);
		return this.hostCalls - before;
	}

	private Instance live() {
		Instance current = this.instance;
		if (this.closed || current == null) {
			throw new IllegalStateException("instance of plugin '" + this.plugin + "' is closed");
		}
		return current;
	}

	/** A host function called by this instance's guest code. */
	long[] callHost(HostFunction function, long[] args) {
		this.hostCalls++;
		try {
			return function.call(this, args);
		}
		catch (RuntimeException | Error ex) {
			if (this.hostFailure == null) {
				this.hostFailure = ex;
			}
			throw ex;
		}
	}

	@Override
	public long[] call(String export, long... args) {
		ExportFunction function = function(export);
		this.hostFailure = null;
		try {
			long[] results = function.apply(args);
			return (results != null) ? results : new long[0];
		}
		catch (RuntimeException | StackOverflowError ex) {
			throw translate(export, ex);
		}
		catch (OutOfMemoryError ex) {
			// The heap ran out while the guest grew its memory (which lives on the heap here):
			// dropping this instance gives the memory back.
			close();
			throw new GuestTrapException(TrapKind.OUT_OF_MEMORY, "plugin '" + this.plugin + "' function '" + export
					+ "' ran the JVM's heap out while growing its memory; lower max-memory or raise -Xmx", ex);
		}
	}

	private ExportFunction function(String export) {
		for (int i = 0; i < this.functionCount; i++) {
			if (this.functionNames[i].equals(export)) {
				return this.functions[i];
			}
		}
		ExportFunction function = lookUp(export);
		if (this.functionCount == this.functions.length) {
			this.functionNames = java.util.Arrays.copyOf(this.functionNames, this.functionCount * 2);
			this.functions = java.util.Arrays.copyOf(this.functions, this.functionCount * 2);
		}
		this.functionNames[this.functionCount] = export;
		this.functions[this.functionCount++] = function;
		return function;
	}

	private ExportFunction lookUp(String export) {
		Instance current = live();
		try {
			current.exportType(export);
			return current.export(export);
		}
		catch (ChicoryException ex) {
			throw new InvalidPluginException("plugin '" + this.plugin + "' has no function export '" + export + "'", ex);
		}
	}

	@Override
	public GuestMemory memory(String export) {
		ChicoryMemory memory = export.equals(this.memoryName) ? this.memory : null;
		if (memory == null) {
			Memory found;
			try {
				found = live().exports().memory(export);
			}
			catch (ChicoryException ex) {
				throw new InvalidPluginException("plugin '" + this.plugin + "' has no memory export '" + export + "'",
						ex);
			}
			if (found == null) {
				throw new InvalidPluginException("plugin '" + this.plugin + "' has no memory export '" + export + "'");
			}
			memory = new ChicoryMemory(found);
			this.memoryName = export;
			this.memory = memory;
		}
		return memory;
	}

	/**
	 * What Chicory threw, in the engine's terms. A passed deadline wins over whatever the
	 * interrupt caused; then a failure raised by a host function during the call.
	 */
	RuntimeException translate(String function, Throwable ex) {
		String where = "plugin '" + this.plugin + "' function '" + function + "' ";
		if (this.watch.expired()) {
			return new GuestTrapException(TrapKind.DEADLINE, where + "ran past its deadline and was interrupted", ex);
		}
		Throwable host = this.hostFailure;
		this.hostFailure = null;
		if (host instanceof RuntimeException runtimeFailure) {
			return runtimeFailure;
		}
		if (host instanceof Error error) {
			throw error;
		}
		if (ex instanceof GrainPluginException engineFailure) {
			return engineFailure;
		}
		if (ex instanceof ChicoryInterruptedException) {
			return GuestTrapException.cancelled(this.plugin, "in function '" + function + "'", ex);
		}
		if (ex instanceof StackOverflowError) {
			return new GuestTrapException(TrapKind.STACK_OVERFLOW, where + "trapped: STACK_OVERFLOW", ex);
		}
		TrapKind kind = trapKind(ex.getMessage());
		if (kind != null) {
			return new GuestTrapException(kind, where + "trapped: " + kind, ex);
		}
		return new GuestTrapException(TrapKind.UNKNOWN, where + "failed in chicory: " + ex, ex);
	}

	/** wasmtime's name for the trap Chicory describes, so both runtimes report alike. */
	static @Nullable TrapKind trapKind(@Nullable String message) {
		if (message == null) {
			return null;
		}
		String text = message.toLowerCase(Locale.ROOT);
		if (text.contains("unreachable")) {
			return TrapKind.UNREACHABLE_CODE_REACHED;
		}
		if (text.contains("call stack exhausted")) {
			return TrapKind.STACK_OVERFLOW;
		}
		if (text.contains("out of bounds memory")) {
			return TrapKind.MEMORY_OUT_OF_BOUNDS;
		}
		if (text.contains("divide by zero")) {
			return TrapKind.INTEGER_DIVISION_BY_ZERO;
		}
		if (text.contains("integer overflow")) {
			return TrapKind.INTEGER_OVERFLOW;
		}
		if (text.contains("invalid conversion to integer")) {
			return TrapKind.BAD_CONVERSION_TO_INTEGER;
		}
		if (text.contains("indirect call type mismatch")) {
			return TrapKind.BAD_SIGNATURE;
		}
		if (text.contains("undefined element") || text.contains("out of bounds table")) {
			return TrapKind.TABLE_OUT_OF_BOUNDS;
		}
		if (text.contains("uninitialized element") || text.contains("null function")) {
			return TrapKind.INDIRECT_CALL_TO_NULL;
		}
		return null;
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.watch.finish();
		java.util.Arrays.fill(this.functions, null);
		this.functionCount = 0;
		this.memory = null;
		this.instance = null;
		ResettableMemory memory = this.pooledMemory;
		if (memory != null && this.release != null) {
			this.pooledMemory = null;
			this.release.accept(memory);
		}
	}

	/** The guest memory view over a Chicory memory; its size is read live, so growth needs no reload. */
	private final class ChicoryMemory extends GuestMemory {

		private final Memory memory;

		ChicoryMemory(Memory memory) {
			this.memory = memory;
		}

		/** Its memory may serve another instance once this one closed: a view of a closed instance reads nothing. */
		private Memory open() {
			if (ChicoryInstance.this.closed) {
				throw new IllegalStateException("memory of a closed instance of plugin '" + ChicoryInstance.this.plugin + "'");
			}
			return this.memory;
		}

		@Override
		public long size() {
			return (long) open().pages() * Memory.PAGE_SIZE;
		}

		@Override
		protected byte loadByte(int address) {
			return open().read(address);
		}

		@Override
		protected short loadShort(int address) {
			return open().readShort(address);
		}

		@Override
		protected int loadInt(int address) {
			return open().readInt(address);
		}

		@Override
		protected byte[] loadBytes(int address, int length) {
			return open().readBytes(address, length);
		}

		@Override
		protected void storeByte(int address, byte value) {
			open().writeByte(address, value);
		}

		@Override
		protected void storeShort(int address, short value) {
			open().writeShort(address, value);
		}

		@Override
		protected void storeInt(int address, int value) {
			open().writeI32(address, value);
		}

		@Override
		protected void storeLong(int address, long value) {
			open().writeLong(address, value);
		}

		@Override
		protected void storeBytes(int address, byte[] bytes) {
			open().write(address, bytes);
		}

	}

}
