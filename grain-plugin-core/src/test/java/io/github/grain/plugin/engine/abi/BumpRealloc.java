package io.github.grain.plugin.engine.abi;

import java.util.ArrayList;
import java.util.List;

/**
 * A guest {@code realloc} stand-in: a bump allocator over the same byte array the
 * memory views, recording every call as {@code [oldPtr, oldSize, align, newSize]}.
 */
public final class BumpRealloc implements Realloc {

	private long next;

	private final List<List<Long>> calls = new ArrayList<>();

	/** @param start the first address handed out */
	public BumpRealloc(long start) {
		this.next = start;
	}

	@Override
	public long realloc(long oldPointer, long oldSize, int alignment, long newSize) {
		this.calls.add(List.of(oldPointer, oldSize, (long) alignment, newSize));
		long pointer = (this.next + alignment - 1) / alignment * alignment;
		this.next = pointer + newSize;
		return pointer;
	}

	/** Every call so far, each as {@code [oldPtr, oldSize, align, newSize]}. */
	public List<List<Long>> calls() {
		return this.calls;
	}

	/** The next free address. */
	public long next() {
		return this.next;
	}

}
