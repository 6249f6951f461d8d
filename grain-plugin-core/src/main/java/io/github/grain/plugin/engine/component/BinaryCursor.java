package io.github.grain.plugin.engine.component;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.github.grain.plugin.engine.MalformedBinaryException;

/**
 * A bounds-checked cursor over a window of a component binary. Every read checks the
 * bytes left first, and every error carries the absolute file offset, so hostile input
 * ends in a {@link MalformedBinaryException} rather than an exception from deep inside or
 * an allocation sized by the input.
 */
final class BinaryCursor {

	private final byte[] bytes;

	private int position;

	private final int limit;

	private final String region;

	/**
	 * @param bytes the whole file, so that positions are absolute file offsets
	 * @param start first byte of the window
	 * @param limit one past the last byte of the window
	 * @param region what the window is, for messages ("file", "canon section")
	 */
	BinaryCursor(byte[] bytes, int start, int limit, String region) {
		if (start < 0 || limit > bytes.length || start > limit) {
			throw new IllegalArgumentException("bad cursor window " + start + ".." + limit);
		}
		this.bytes = bytes;
		this.position = start;
		this.limit = limit;
		this.region = region;
	}

	/** Absolute file offset of the next byte. */
	long offset() {
		return this.position;
	}

	int position() {
		return this.position;
	}

	boolean atEnd() {
		return this.position >= this.limit;
	}

	int remaining() {
		return this.limit - this.position;
	}

	int u8(String what) {
		if (this.position >= this.limit) {
			throw new MalformedBinaryException("unexpected end of " + enclosing() + " while reading " + what,
					this.position);
		}
		return this.bytes[this.position++] & 0xFF;
	}

	/** The next byte, not consumed. */
	int peek(String what) {
		if (this.position >= this.limit) {
			throw new MalformedBinaryException("unexpected end of " + enclosing() + " while reading " + what,
					this.position);
		}
		return this.bytes[this.position] & 0xFF;
	}

	/** An unsigned LEB128 of at most 5 bytes whose value fits 32 bits. */
	long u32(String what) {
		long start = this.position;
		long result = 0;
		for (int shift = 0; shift < 35; shift += 7) {
			int b = u8(what);
			if (shift == 28 && (b & 0x70) != 0) {
				throw new MalformedBinaryException(what + ": LEB128 u32 overflows 32 bits", start);
			}
			result |= (long) (b & 0x7F) << shift;
			if ((b & 0x80) == 0) {
				return result;
			}
		}
		throw new MalformedBinaryException(what + ": LEB128 u32 longer than 5 bytes", start);
	}

	/**
	 * A signed LEB128 of at most 33 bits (component value types: negative one-byte codes
	 * are primitive types, non-negative values are type indexes).
	 */
	long s33(String what) {
		long start = this.position;
		long result = 0;
		int shift = 0;
		int b;
		do {
			if (shift >= 35) {
				throw new MalformedBinaryException(what + ": LEB128 s33 longer than 5 bytes", start);
			}
			b = u8(what);
			if (shift == 28) {
				// 33 bits: 5 value bits here; the unused high bits must repeat the sign bit
				int high = b & 0x70;
				boolean negative = (b & 0x10) != 0;
				if ((b & 0x80) != 0 || (negative ? high != 0x70 : high != 0)) {
					throw new MalformedBinaryException(what + ": LEB128 s33 out of range", start);
				}
			}
			result |= (long) (b & 0x7F) << shift;
			shift += 7;
		}
		while ((b & 0x80) != 0);
		if (shift < 64 && (b & 0x40) != 0) {
			result |= -1L << shift;
		}
		return result;
	}

	/** An index, a size or a count: a u32 that must also fit a Java {@code int}. */
	int u32AsInt(String what) {
		long start = this.position;
		long value = u32(what);
		if (value > Integer.MAX_VALUE) {
			throw new MalformedBinaryException(what + " " + value + " is too large", start);
		}
		return (int) value;
	}

	/**
	 * A vector count, refused when the bytes left cannot hold that many elements of the
	 * smallest possible encoded size (so a count never sizes an allocation by itself).
	 */
	int count(String what, int minElementBytes) {
		long start = this.position;
		long n = u32(what + " count");
		long needed = n * Math.max(1, minElementBytes);
		if (needed > remaining()) {
			throw new MalformedBinaryException(what + " count " + n + " needs at least " + needed + " bytes but only "
					+ remaining() + " are left in the " + enclosing(), start);
		}
		return (int) n;
	}

	/** A length-prefixed name, validated as UTF-8. */
	String name(String what) {
		long start = this.position;
		long length = u32(what + " length");
		if (length > remaining()) {
			throw new MalformedBinaryException(what + " length " + length + " exceeds the " + remaining()
					+ " bytes left in the " + enclosing(), start);
		}
		int n = (int) length;
		try {
			String name = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(this.bytes, this.position, n))
				.toString();
			this.position += n;
			return name;
		}
		catch (CharacterCodingException ex) {
			throw new MalformedBinaryException(what + " is not valid UTF-8", start, ex);
		}
	}

	void skip(int length, String what) {
		if (length < 0 || length > remaining()) {
			throw new MalformedBinaryException(
					what + " of " + length + " bytes exceeds the " + remaining() + " bytes left in the " + enclosing(),
					this.position);
		}
		this.position += length;
	}

	/** A cursor over the next {@code length} bytes; this cursor moves past them. */
	BinaryCursor slice(long length, String what) {
		if (length < 0 || length > remaining()) {
			throw new MalformedBinaryException(
					what + " of " + length + " bytes exceeds the " + remaining() + " bytes left in the " + enclosing(),
					this.position);
		}
		BinaryCursor slice = new BinaryCursor(this.bytes, this.position, this.position + (int) length, what);
		this.position += (int) length;
		return slice;
	}

	/** Whether the window starts with these bytes (nothing consumed). */
	boolean startsWith(byte[] prefix) {
		if (remaining() < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if (this.bytes[this.position + i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	private String enclosing() {
		return this.region;
	}

}
