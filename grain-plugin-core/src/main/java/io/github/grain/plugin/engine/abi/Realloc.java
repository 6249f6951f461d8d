package io.github.grain.plugin.engine.abi;

/**
 * The guest's {@code cabi_realloc}. Calling it runs guest code.
 */
@FunctionalInterface
public interface Realloc {

	/**
	 * @return the new pointer as an unsigned 32-bit value
	 */
	long realloc(long oldPointer, long oldSize, int alignment, long newSize);

	/** A realloc for contexts that must never allocate (lifting only). */
	Realloc NONE = (oldPointer, oldSize, alignment, newSize) -> {
		throw new IllegalStateException("no realloc in this context");
	};

}
