package io.github.grain.plugin.engine.abi;

import io.github.grain.plugin.engine.AbiViolationException;

/**
 * Per-call state of lifting and lowering: the guest's memory and realloc, and a budget
 * capping how many bytes a guest can make the host materialise in one call.
 */
public final class AbiContext {

	private final GuestMemory memory;

	private final Realloc realloc;

	private final long budgetBytes;

	private final Handles handles;

	private long used;

	/**
	 * @param memory the guest's memory
	 * @param realloc the guest's realloc, or {@link Realloc#NONE}
	 * @param budgetBytes the most bytes of strings and list elements lifted in this context
	 */
	public AbiContext(GuestMemory memory, Realloc realloc, long budgetBytes) {
		this(memory, realloc, budgetBytes, Handles.NONE);
	}

	/**
	 * @param memory the guest's memory
	 * @param realloc the guest's realloc, or {@link Realloc#NONE}
	 * @param budgetBytes the most bytes of strings and list elements lifted in this context
	 * @param handles the instance's resource handles
	 */
	public AbiContext(GuestMemory memory, Realloc realloc, long budgetBytes, Handles handles) {
		if (budgetBytes < 0 || budgetBytes > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("budget must be between 0 and " + Integer.MAX_VALUE + ": " + budgetBytes);
		}
		this.memory = memory;
		this.realloc = realloc;
		this.budgetBytes = budgetBytes;
		this.handles = handles;
	}

	public Handles handles() {
		return this.handles;
	}

	public GuestMemory memory() {
		return this.memory;
	}

	/**
	 * Allocate in the guest and validate the answer: aligned and inside memory.
	 */
	public long allocate(int alignment, long size, String what) {
		long pointer = this.realloc.realloc(0, 0, alignment, size);
		try {
			// first, so that a negative pointer is never taken for an aligned one
			this.memory.checkRange(pointer, size, "realloc result for " + what);
		}
		catch (AbiViolationException ex) {
			throw new AbiViolationException("realloc returned " + pointer + " for " + size + " bytes of " + what
					+ ", outside memory of " + this.memory.size() + " bytes", ex);
		}
		if (pointer % alignment != 0) {
			throw new AbiViolationException("realloc returned misaligned pointer " + pointer + " for " + what
					+ " (alignment " + alignment + ")");
		}
		return pointer;
	}

	/** Count {@code bytes} against the budget. */
	void charge(long bytes, String what) {
		this.used += bytes;
		if (this.used > this.budgetBytes) {
			throw new AbiViolationException(what + " exceeds the host's limit of " + this.budgetBytes
					+ " bytes for one result");
		}
	}

}
