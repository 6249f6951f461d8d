package io.github.grain.plugin.engine.abi;

import java.util.HexFormat;

/**
 * Hand-written guest memory images for table-driven ABI tests: bytes given as hex at
 * chosen offsets, everything else zero.
 */
public final class MemoryImage {

	/** Size of every image unless a test asks otherwise. */
	public static final int DEFAULT_SIZE = 256;

	private MemoryImage() {
	}

	/**
	 * An image of {@link #DEFAULT_SIZE} bytes.
	 * @param offsetsAndHex pairs of an {@code Integer} offset and a hex string (spaces
	 * ignored), for example {@code 0, "10000000 03000000", 16, "616263"}
	 */
	public static byte[] image(Object... offsetsAndHex) {
		return sized(DEFAULT_SIZE, offsetsAndHex);
	}

	/** An image of {@code size} bytes; see {@link #image(Object...)}. */
	public static byte[] sized(int size, Object... offsetsAndHex) {
		if (offsetsAndHex.length % 2 != 0) {
			throw new IllegalArgumentException("offsets and hex come in pairs");
		}
		byte[] bytes = new byte[size];
		for (int i = 0; i < offsetsAndHex.length; i += 2) {
			byte[] chunk = hex((String) offsetsAndHex[i + 1]);
			System.arraycopy(chunk, 0, bytes, (Integer) offsetsAndHex[i], chunk.length);
		}
		return bytes;
	}

	/** Bytes from hex, spaces ignored. */
	public static byte[] hex(String hex) {
		return HexFormat.of().parseHex(hex.replace(" ", ""));
	}

	/** A context over {@code bytes} that lifts only (no realloc) with a generous budget. */
	public static AbiContext liftOnly(byte[] bytes) {
		return new AbiContext(GuestMemory.of(bytes), Realloc.NONE, 1 << 20);
	}

}
