package io.github.grain.plugin.engine.runtime;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content digests, one implementation for the engine and every runtime adapter.
 */
public final class Digests {

	private Digests() {
	}

	/**
	 * The lower-case hex SHA-256 of bytes, as {@code LoadedPlugin#sha256()} reports it.
	 * @param bytes the bytes
	 * @return 64 hex digits
	 */
	public static String sha256(byte[] bytes) {
		return HexFormat.of().formatHex(sha256(bytes, 0, bytes.length));
	}

	/**
	 * The SHA-256 of a range of bytes.
	 * @param bytes the bytes
	 * @param offset where the range starts
	 * @param length how long it is
	 * @return the 32-byte digest
	 */
	public static byte[] sha256(byte[] bytes, int offset, int length) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(bytes, offset, length);
			return digest.digest();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
