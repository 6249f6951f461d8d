package io.github.grain.plugin.engine.component;

import io.github.grain.plugin.engine.MalformedBinaryException;

/**
 * What a {@code .wasm} file holds, told by its first eight bytes.
 */
public enum WasmBinaryKind {

	/** A core module: {@code 00 61 73 6d 01 00 00 00}. */
	CORE_MODULE,

	/** A Component Model component: {@code 00 61 73 6d 0d 00 01 00} (pre-standard version 0x0d). */
	COMPONENT;

	static final byte[] CORE_MODULE_HEADER = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00 };

	static final byte[] COMPONENT_HEADER = { 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00 };

	private static final int HEADER_LENGTH = 8;

	/**
	 * Tell a core module from a component.
	 * @param bytes the file
	 * @return its kind
	 * @throws MalformedBinaryException when the header is neither, at the offset of the
	 * first byte that does not match
	 */
	public static WasmBinaryKind detect(byte[] bytes) {
		for (int i = 0; i < 4; i++) {
			if (i >= bytes.length) {
				throw new MalformedBinaryException(
						"truncated header: " + bytes.length + " bytes, expected the 8-byte WebAssembly preamble", i);
			}
			if (bytes[i] != COMPONENT_HEADER[i]) {
				throw new MalformedBinaryException("not a WebAssembly binary: expected magic 00 61 73 6d, found "
						+ hex(bytes, 0, Math.min(4, bytes.length)), i);
			}
		}
		if (bytes.length < HEADER_LENGTH) {
			throw new MalformedBinaryException(
					"truncated header: " + bytes.length + " bytes, expected the 8-byte WebAssembly preamble",
					bytes.length);
		}
		if (matches(bytes, CORE_MODULE_HEADER)) {
			return CORE_MODULE;
		}
		if (matches(bytes, COMPONENT_HEADER)) {
			return COMPONENT;
		}
		// Point at the first byte that differs from the header this one is closest to:
		// the layer field (bytes 6-7) says which of the two was meant.
		byte[] meant = (bytes[6] == 0x01 && bytes[7] == 0x00) ? COMPONENT_HEADER : CORE_MODULE_HEADER;
		// bytes 4-7 differ from the meant header somewhere (it would have matched), so this stops by byte 7
		int at = 4;
		while (bytes[at] == meant[at]) {
			at++;
		}
		throw new MalformedBinaryException("unsupported WebAssembly version/layer " + hex(bytes, 4, 8)
				+ ": expected 01 00 00 00 (core module) or 0d 00 01 00 (component)", at);
	}

	private static boolean matches(byte[] bytes, byte[] header) {
		for (int i = 0; i < header.length; i++) {
			if (bytes[i] != header[i]) {
				return false;
			}
		}
		return true;
	}

	private static String hex(byte[] bytes, int from, int to) {
		StringBuilder out = new StringBuilder();
		for (int i = from; i < to; i++) {
			if (out.length() > 0) {
				out.append(' ');
			}
			out.append(String.format("%02x", bytes[i] & 0xFF));
		}
		return out.toString();
	}

}
