package io.github.grain.plugin.engine.module;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.github.grain.plugin.engine.MalformedBinaryException;
import org.jspecify.annotations.Nullable;

/**
 * The one bounds-checked reader of WebAssembly binaries, for core modules and components
 * alike. Every read checks the bytes left first, so hostile input ends in a
 * {@link MalformedBinaryException} carrying the absolute offset, never in an exception
 * from deep inside or an allocation sized by the input.
 * <p>
 * A reader may name its window ({@code "file"}, {@code "canon section"}): messages then say
 * where the input ended ("… exceeds the 3 bytes left in the canon section"). Reads given a
 * {@code what} name the item being read.
 */
public final class WasmReader {

	private final byte[] bytes;

	private final int base;

	private int position;

	private final int limit;

	private final @Nullable String region;

	/**
	 * @param bytes the whole file
	 * @param start first byte to read
	 * @param end one past the last byte this reader may read
	 * @param base the absolute file offset of {@code bytes[0]}, added to error offsets
	 */
	public WasmReader(byte[] bytes, int start, int end, int base) {
		this(bytes, start, end, base, null);
	}

	/**
	 * A named window of a file whose offsets are absolute.
	 * @param bytes the whole file
	 * @param start first byte to read
	 * @param end one past the last byte this reader may read
	 * @param region what the window is, for messages ({@code "file"}, {@code "canon section"})
	 */
	public WasmReader(byte[] bytes, int start, int end, String region) {
		this(bytes, start, end, 0, region);
	}

	public WasmReader(byte[] bytes) {
		this(bytes, 0, bytes.length, 0, null);
	}

	private WasmReader(byte[] bytes, int start, int end, int base, @Nullable String region) {
		if (start < 0 || end > bytes.length || start > end) {
			throw new IllegalArgumentException("bad reader window " + start + ".." + end);
		}
		this.bytes = bytes;
		this.position = start;
		this.limit = end;
		this.base = base;
		this.region = region;
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
		return u8(null);
	}

	/** One byte; at the end of the window the error names {@code what} was being read. */
	public int u8(@Nullable String what) {
		if (this.position >= this.limit) {
			throw new MalformedBinaryException(endOf(what), offset());
		}
		return this.bytes[this.position++] & 0xFF;
	}

	/** The next byte, not consumed. */
	public int peek(String what) {
		if (this.position >= this.limit) {
			throw new MalformedBinaryException(endOf(what), offset());
		}
		return this.bytes[this.position] & 0xFF;
	}

	/** An unsigned LEB128 of at most 5 bytes whose value fits 32 bits. */
	public long u32() {
		return u32(null);
	}

	/** An unsigned LEB128 of at most 5 bytes whose value fits 32 bits; errors start with {@code what}. */
	public long u32(@Nullable String what) {
		long start = offset();
		long result = 0;
		for (int shift = 0; shift < 35; shift += 7) {
			int b = u8(what);
			if (shift == 28 && (b & 0x70) != 0) {
				throw new MalformedBinaryException(prefixed(what, "LEB128 u32 overflows 32 bits"), start);
			}
			result |= (long) (b & 0x7F) << shift;
			if ((b & 0x80) == 0) {
				return result;
			}
		}
		throw new MalformedBinaryException(prefixed(what, "LEB128 u32 longer than 5 bytes"), start);
	}

	/**
	 * A signed LEB128 of at most 33 bits (component value types: negative one-byte codes
	 * are primitive types, non-negative values are type indexes).
	 */
	public long s33(String what) {
		long start = offset();
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

	/** An unsigned LEB128 that must fit a Java int (used for sizes, counts and indexes). */
	public int u32AsInt(String what) {
		long start = offset();
		long value = u32(what);
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
	 * A vector count, refused when the bytes left cannot hold that many elements of the
	 * smallest possible encoded size (so a count never sizes an allocation by itself).
	 */
	public int count(String what, int minElementBytes) {
		long start = offset();
		long n = u32(what + " count");
		if (n * Math.max(1, minElementBytes) > remaining()) {
			throw new MalformedBinaryException(what + " count " + n + " exceeds the " + left(), start);
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

	public void skip(int length, String what) {
		if (length < 0 || length > remaining()) {
			throw new MalformedBinaryException(what + " of " + length + " bytes exceeds the " + left(), offset());
		}
		this.position += length;
	}

	/** A length-prefixed UTF-8 name. */
	public String name() {
		return name("name");
	}

	/** A length-prefixed name, validated as UTF-8; errors name {@code what}. */
	public String name(String what) {
		long start = offset();
		long length = u32(what + " length");
		if (length > remaining()) {
			throw new MalformedBinaryException(what + " length " + length + " exceeds the " + left(), start);
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

	/** A reader over the next {@code length} bytes, with this reader's offsets; this reader moves past them. */
	public WasmReader slice(int length) {
		return slice(length, "section", this.region == null ? null : "section");
	}

	/** A reader named {@code what} over the next {@code length} bytes; this reader moves past them. */
	public WasmReader slice(long length, String what) {
		return slice(length, what, what);
	}

	private WasmReader slice(long length, String what, @Nullable String region) {
		if (length < 0 || length > remaining()) {
			throw new MalformedBinaryException(what + " of " + length + " bytes exceeds the " + left(), offset());
		}
		WasmReader slice = new WasmReader(this.bytes, this.position, this.position + (int) length, this.base, region);
		this.position += (int) length;
		return slice;
	}

	/** Whether the window starts with these bytes (nothing consumed). */
	public boolean startsWith(byte[] prefix) {
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

	private String endOf(@Nullable String what) {
		String window = (this.region != null) ? this.region : "data";
		return (what != null && this.region != null) ? "unexpected end of " + window + " while reading " + what
				: "unexpected end of " + window;
	}

	private String left() {
		return remaining() + " bytes left" + ((this.region != null) ? " in the " + this.region : "");
	}

	private static String prefixed(@Nullable String what, String message) {
		return (what != null) ? what + ": " + message : message;
	}

}
