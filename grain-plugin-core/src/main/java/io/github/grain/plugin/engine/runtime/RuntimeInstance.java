package io.github.grain.plugin.engine.runtime;

import io.github.grain.plugin.engine.abi.GuestMemory;
import io.github.grain.plugin.engine.abi.Realloc;

/**
 * One live instance. Not thread-safe: used by the thread that instantiated it.
 */
public interface RuntimeInstance extends AutoCloseable {

	/**
	 * Call an exported function.
	 * @param export the export's name
	 * @param args core arguments (i32 values in the low 32 bits)
	 * @return core results
	 * @throws io.github.grain.plugin.engine.GuestTrapException when the guest traps or
	 * passes its deadline; a failure raised by a host function during the call is
	 * rethrown as itself
	 */
	long[] call(String export, long... args);

	/**
	 * The exported memory, as a view valid until this instance is closed.
	 * @param export the memory export's name
	 */
	GuestMemory memory(String export);

	/**
	 * The guest's realloc export as the canonical ABI calls it.
	 * @param export the realloc export's name
	 */
	default Realloc realloc(String export) {
		return (oldPointer, oldSize, alignment, newSize) -> Integer
			.toUnsignedLong((int) call(export, oldPointer, oldSize, alignment, newSize)[0]);
	}

	/** Releases the instance's native handles. */
	@Override
	void close();

}
