package io.github.grain.plugin.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class FingerprintTests {

	private static final byte[] CLASS = { 1, 2, 3 };

	@Test
	void isTheSameForTheSameClassAndTests() {
		assertThat(Fingerprint.of(CLASS.clone(), tests("a.ATests", new byte[] { 9 })))
			.isEqualTo(Fingerprint.of(CLASS.clone(), tests("a.ATests", new byte[] { 9 })))
			.hasSize(64)
			.matches("[0-9a-f]+");
	}

	@Test
	void changesWithTheMutatedClass() {
		assertThat(Fingerprint.of(new byte[] { 1, 2, 4 }, tests("a.ATests", new byte[] { 9 })))
			.isNotEqualTo(Fingerprint.of(CLASS, tests("a.ATests", new byte[] { 9 })));
	}

	@Test
	void changesWithACoveringTestsBytesItsNameOrATestMore() {
		String base = Fingerprint.of(CLASS, tests("a.ATests", new byte[] { 9 }));

		assertThat(Fingerprint.of(CLASS, tests("a.ATests", new byte[] { 8 }))).isNotEqualTo(base);
		assertThat(Fingerprint.of(CLASS, tests("a.BTests", new byte[] { 9 }))).isNotEqualTo(base);
		SortedMap<String, byte[]> two = tests("a.ATests", new byte[] { 9 });
		two.put("a.BTests", new byte[0]);
		assertThat(Fingerprint.of(CLASS, two)).isNotEqualTo(base);
		assertThat(Fingerprint.of(CLASS, new TreeMap<>())).isNotEqualTo(base);
	}

	@Test
	void bytesMovedFromTheClassToATestGiveAnotherFingerprint() {
		assertThat(Fingerprint.of(new byte[] { 1, 2 }, tests("t", new byte[] { 3 })))
			.isNotEqualTo(Fingerprint.of(new byte[] { 1 }, tests("t", new byte[] { 2, 3 })));
	}

	private static SortedMap<String, byte[]> tests(String name, byte[] bytes) {
		SortedMap<String, byte[]> tests = new TreeMap<>();
		tests.put(name, bytes);
		return tests;
	}

}
