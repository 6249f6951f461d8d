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
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
