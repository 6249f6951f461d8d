package io.github.grain.plugin.mutation;

import java.io.Reader;
import java.util.Optional;

import org.pitest.mutationtest.History;
import org.pitest.mutationtest.HistoryFactory;
import org.pitest.mutationtest.HistoryParams;
import org.pitest.mutationtest.incremental.WriterFactory;
import org.pitest.plugin.Feature;

/**
 * Registers {@link FingerprintHistory} with PIT (feature {@code grain_history}, on by
 * default); PIT uses it whenever a history input or output file is configured.
 */
public final class FingerprintHistoryFactory implements HistoryFactory {

	@Override
	public History makeHistory(HistoryParams params, WriterFactory output, Optional<Reader> input) {
		return new FingerprintHistory(params.code(), output, input);
	}

	@Override
	public Feature provides() {
		return Feature.named("grain_history")
			.withOnByDefault(true)
			.withDescription("reuses the results of mutants whose class and covering tests are unchanged");
	}

	@Override
	public String description() {
		return "grain mutation history (fingerprints of mutated and covering test classes)";
	}

}
