package io.github.grain.plugin.mutation;

import java.util.List;

/**
 * One mutant's result as the history file keeps it.
 * @param mutant PIT's identifier of the mutant (class, method, instruction, mutator)
 * @param fingerprint the fingerprint of its class and covering tests when it was analysed
 * @param status PIT's detection status, e.g. {@code KILLED}
 * @param killingTests the tests that killed it, empty unless killed
 */
record MutantRecord(String mutant, String fingerprint, String status, List<String> killingTests) {

	MutantRecord {
		requirePlain(mutant, "mutant");
		requirePlain(fingerprint, "fingerprint");
		requirePlain(status, "status");
		killingTests = List.copyOf(killingTests);
		killingTests.forEach((test) -> requirePlain(test, "killing test"));
	}

	private static void requirePlain(String value, String what) {
		if (value.isEmpty() || value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
			throw new IllegalArgumentException(what + " '" + value + "' is empty or holds a tab or line break, "
					+ "which the history file cannot keep");
		}
	}

}
