package io.github.grain.plugin.engine;

/**
 * Why a guest stopped, in the same terms on every runtime. The runtime traps keep
 * wasmtime's names; the host's own reasons ({@link #DEADLINE}, {@link #CANCELLED},
 * {@link #EXIT}, {@link #OUT_OF_MEMORY}) are distinct constants, never strings that
 * resemble each other.
 */
public enum TrapKind {

	/** The guest executed {@code unreachable} (a panic, {@code abort()}). */
	UNREACHABLE_CODE_REACHED,

	/** The guest's call stack was exhausted (runaway recursion). */
	STACK_OVERFLOW,

	/** A load or store outside the guest's linear memory. */
	MEMORY_OUT_OF_BOUNDS,

	/** A misaligned atomic access. */
	HEAP_MISALIGNED,

	/** An indirect call past the end of a table. */
	TABLE_OUT_OF_BOUNDS,

	/** An indirect call through an uninitialised table element. */
	INDIRECT_CALL_TO_NULL,

	/** An indirect call whose signature does not match. */
	BAD_SIGNATURE,

	/** Integer overflow in a trapping instruction. */
	INTEGER_OVERFLOW,

	/** Integer division by zero. */
	INTEGER_DIVISION_BY_ZERO,

	/** A float that cannot be converted to the integer type. */
	BAD_CONVERSION_TO_INTEGER,

	/** The call ran past its deadline and the runtime interrupted it. */
	DEADLINE,

	/** The thread running the call was interrupted: the call was cancelled. */
	CANCELLED,

	/** The guest called WASI {@code proc_exit}. */
	EXIT,

	/** Growing the guest's memory exhausted the JVM heap (Chicory). */
	OUT_OF_MEMORY,

	/** A runtime failure with no better name. */
	UNKNOWN

}
