package io.github.grain.plugin.mutation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a mutant's result depends on, as far as the history tracks it: the bytes of its
 * class and the names and bytes of the test classes that cover that class. A test added,
 * removed or edited, or any change to the class, gives another fingerprint.
 */
final class Fingerprint {

	private Fingerprint() {
	}

	/**
	 * The fingerprint, SHA-256 in hex.
	 * @param mutatedClass the bytes of the mutated class
	 * @param coveringTests the covering test classes' bytes by class name
	 * @return the fingerprint
	 */
	static String of(byte[] mutatedClass, SortedMap<String, byte[]> coveringTests) {
		MessageDigest digest = sha256();
		update(digest, mutatedClass);
		for (Map.Entry<String, byte[]> test : coveringTests.entrySet()) {
			update(digest, test.getKey().getBytes(StandardCharsets.UTF_8));
			update(digest, test.getValue());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	// length-prefixed, so that two inputs cannot run into each other
	private static void update(MessageDigest digest, byte[] bytes) {
		int length = bytes.length;
		digest.update(new byte[] { (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
				(byte) length });
		digest.update(bytes);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JDK", ex);
		}
	}

}
