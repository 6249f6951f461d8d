package io.github.grain.plugin.engine.abi;

import java.util.Arrays;

import io.github.grain.plugin.engine.AbiViolationException;

/**
 * A cursor over flattened core values (all carried as {@code long}; i32 values in the
 * low 32 bits).
 */
public final class FlatValues {

	private final long[] values;

	private int position;

	public FlatValues(long... values) {
		this.values = values;
	}

	public int nextI32() {
		if (this.position >= this.values.length) {
			throw new AbiViolationException("too few flat values: needed more than " + this.values.length);
		}
		return (int) this.values[this.position++];
	}

	public long nextI64() {
		if (this.position >= this.values.length) {
			throw new AbiViolationException("too few flat values: needed more than " + this.values.length);
		}
		return this.values[this.position++];
	}

	int position() {
		return this.position;
	}

	void skip(int count) {
		this.position += count;
	}

	/** Collects flat values when lowering. */
	public static final class Builder {

		private long[] values = new long[8];

		private int size;

		public void addI32(int value) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = value;
		}

		public void addI64(long value) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = value;
		}

		public int size() {
			return this.size;
		}

		public long[] toArray() {
			return Arrays.copyOf(this.values, this.size);
		}

	}

}
