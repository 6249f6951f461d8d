package io.github.grain.plugin.mutation;

import java.io.Reader;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.pitest.classinfo.ClassName;
import org.pitest.classpath.CodeSource;
import org.pitest.coverage.CoverageDatabase;
import org.pitest.coverage.TestInfo;
import org.pitest.mutationtest.DetectionStatus;
import org.pitest.mutationtest.History;
import org.pitest.mutationtest.MutationResult;
import org.pitest.mutationtest.MutationStatusTestPair;
import org.pitest.mutationtest.engine.MutationDetails;
import org.pitest.mutationtest.incremental.WriterFactory;

/**
 * PIT's view of the history file: before the analysis, every mutant whose fingerprint
 * (class and covering tests) matches the recorded one gets its recorded status and is
 * not run; after it, every result is written with the fingerprint of this run.
 */
final class FingerprintHistory implements History {

	/** Statuses that are a verdict on the tests, so worth keeping; the others are run again. */
	private static final Set<DetectionStatus> VERDICTS = EnumSet.of(DetectionStatus.KILLED,
			DetectionStatus.SURVIVED, DetectionStatus.TIMED_OUT, DetectionStatus.MEMORY_ERROR,
			DetectionStatus.NO_COVERAGE, DetectionStatus.NON_VIABLE);

	private final CodeSource code;

	private final WriterFactory output;

	private final Optional<Reader> input;

	private Map<String, MutantRecord> previous = Map.of();

	private final Map<ClassName, String> fingerprints = new ConcurrentHashMap<>();

	private final Map<String, MutantRecord> recorded = new ConcurrentHashMap<>();

	private @Nullable CoverageDatabase coverage;

	FingerprintHistory(CodeSource code, WriterFactory output, Optional<Reader> input) {
		this.code = code;
		this.output = output;
		this.input = input;
	}

	@Override
	public void initialize() {
		this.previous = this.input.map(HistoryFile::read).orElse(Map.of());
	}

	@Override
	public void processCoverage(CoverageDatabase coverage) {
		this.coverage = coverage;
	}

	@Override
	public List<MutationResult> analyse(List<MutationDetails> mutations) {
		List<MutationResult> known = new ArrayList<>();
		for (MutationDetails mutation : mutations) {
			MutantRecord record = this.previous.get(mutation.getId().toString());
			if (record != null && fingerprint(mutation.getClassName()).equals(record.fingerprint())
					&& VERDICTS.contains(DetectionStatus.valueOf(record.status()))) {
				known.add(new MutationResult(mutation, new MutationStatusTestPair(0,
						DetectionStatus.valueOf(record.status()), record.killingTests(), List.of())));
			}
		}
		return known;
	}

	@Override
	public void recordResult(MutationResult result) {
		String mutant = result.getDetails().getId().toString();
		this.recorded.put(mutant, new MutantRecord(mutant, fingerprint(result.getDetails().getClassName()),
				result.getStatus().name(), result.getKillingTests()));
	}

	@Override
	public void close() {
		try {
			HistoryFile.write(this.recorded.values(), this.output.create());
		}
		finally {
			this.output.close();
		}
	}

	private String fingerprint(ClassName mutatedClass) {
		return this.fingerprints.computeIfAbsent(mutatedClass, this::computeFingerprint);
	}

	private String computeFingerprint(ClassName mutatedClass) {
		CoverageDatabase coverage = this.coverage;
		if (coverage == null) {
			throw new IllegalStateException("mutation history: fingerprint of '" + mutatedClass.asJavaName()
					+ "' asked for before PIT's coverage analysis");
		}
		SortedMap<String, byte[]> tests = new TreeMap<>();
		for (TestInfo test : coverage.getTestsForClass(mutatedClass)) {
			ClassName testClass = TestInfo.toDefiningClassName().apply(test);
			if (testClass != null) {
				tests.computeIfAbsent(testClass.asJavaName(), (name) -> bytes(testClass));
			}
		}
		return Fingerprint.of(bytes(mutatedClass), tests);
	}

	private byte[] bytes(ClassName className) {
		return this.code.fetchClassBytes(className)
			.orElseThrow(() -> new IllegalStateException(
					"mutation history: no bytes for class '" + className.asJavaName() + "' on PIT's class path"));
	}

}
