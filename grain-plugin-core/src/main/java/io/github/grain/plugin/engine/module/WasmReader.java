package io.github.grain.plugin.engine.module;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.github.grain.plugin.engine.MalformedBinaryException;

/**
 * A bounds-checked cursor over a WebAssembly binary. Every read checks the bytes left
 * first, so hostile input ends in a {@link MalformedBinaryException} carrying the
 * absolute offset, never in an allocation sized by the input.
 */
public final class WasmReader {

	private final byte[] bytes;

	private final int base;

	private int position;

	private final int limit;

	/**
	 * @param bytes the whole file
	 * @param start first byte to read
	 * @param end one past the last byte this reader may read
	 * @param base the absolute file offset of {@code bytes[0]}, added to error offsets
	 */
	public WasmReader(byte[] bytes, int start, int end, int base) {
		if (start < 0 || end > bytes.length || start > end) {
			throw new IllegalArgumentException("bad reader window " + start + ".." + end);
		}
		this.bytes = bytes;
		this.position = start;
		this.limit = end;
		this.base = base;
	}

	public WasmReader(byte[] bytes) {
		this(bytes, 0, bytes.length, 0);
	}

	/** Absolute offset of the next byte. */
	public long offset() {
		return (long) this.base + this.position;
	}

	public int position() {
		return this.position;
	}

	public boolean atEnd() {
		return this.position >= this.limit;
	}

	public int remaining() {
		return this.limit - this.position;
	}

	public int u8() {
		if (this.position >= this.limit) {
			throw new MalformedBinaryException("unexpected end of data", offset());
		}
		return this.bytes[this.position++] & 0xFF;
	}

	/** An unsigned LEB128 of at most 32 bits. */
	public long u32() {
		long start = offset();
		long result = 0;
		for (int shift = 0; shift < 35; shift += 7) {
			int b = u8();
			if (shift == 28 && (b & 0x70) != 0) {
				throw new MalformedBinaryException("LEB128 u32 overflows 32 bits", start);
			}
			result |= (long) (b & 0x7F) << shift;
			if ((b & 0x80) == 0) {
				return result;
			}
		}
		throw new MalformedBinaryException("LEB128 u32 longer than 5 bytes", start);
	}

	/** An unsigned LEB128 that must fit a Java int (used for sizes, counts and indexes). */
	public int u32AsInt(String what) {
		long start = offset();
		long value = u32();
		if (value > Integer.MAX_VALUE) {
			throw new MalformedBinaryException(what + " too large: " + value, start);
		}
		return (int) value;
	}

	/** A signed LEB128 of at most 33 bits (block types); skipped, not interpreted. */
	public void skipLeb() {
		long start = offset();
		for (int i = 0; i < 10; i++) {
			if ((u8() & 0x80) == 0) {
				return;
			}
		}
		throw new MalformedBinaryException("LEB128 longer than 10 bytes", start);
	}

	/**
	 * A vector count, checked against the bytes left given the smallest possible element size.
	 */
	public int count(String what, int minElementBytes) {
		long start = offset();
		long n = u32();
		if (n * Math.max(1, minElementBytes) > remaining()) {
			throw new MalformedBinaryException(what + " count " + n + " exceeds the " + remaining() + " bytes left",
					start);
		}
		return (int) n;
	}

	public byte[] bytes(int length) {
		if (length < 0 || length > remaining()) {
			throw new MalformedBinaryException("need " + length + " bytes, " + remaining() + " left", offset());
		}
		byte[] out = new byte[length];
		System.arraycopy(this.bytes, this.position, out, 0, length);
		this.position += length;
		return out;
	}

	public void skip(int length) {
		if (length < 0 || length > remaining()) {
			throw new MalformedBinaryException("need " + length + " bytes, " + remaining() + " left", offset());
		}
		this.position += length;
	}

	/** A length-prefixed UTF-8 name. */
	public String name() {
		long start = offset();
		int length = u32AsInt("name length");
		if (length > remaining()) {
			throw new MalformedBinaryException("name length " + length + " exceeds the " + remaining() + " bytes left",
					start);
		}
		try {
			String name = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(this.bytes, this.position, length))
				.toString();
			this.position += length;
			return name;
		}
		catch (CharacterCodingException ex) {
			throw new MalformedBinaryException("name is not valid UTF-8", start, ex);
		}
	}

	/** A reader over the next {@code length} bytes; this reader moves past them. */
	public WasmReader slice(int length) {
		if (length < 0 || length > remaining()) {
			throw new MalformedBinaryException("section of " + length + " bytes exceeds the " + remaining()
					+ " bytes left", offset());
		}
		WasmReader slice = new WasmReader(this.bytes, this.position, this.position + length, this.base);
		this.position += length;
		return slice;
	}

}
