package io.github.grain.plugin.mutation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HistoryFileTests {

	private static final MutantRecord KILLED = new MutantRecord("MutationIdentifier [b]", "f1", "KILLED",
			List.of("a.BTests.[method:one()]", "a.BTests.[method:two()]"));

	private static final MutantRecord SURVIVED = new MutantRecord("MutationIdentifier [a]", "f2", "SURVIVED", List.of());

	@Test
	void writesOneSortedLinePerMutantAfterTheHeader() {
		String written = write(List.of(KILLED, SURVIVED));

		assertThat(written).isEqualTo(HistoryFile.HEADER + "\n" + "f2\tSURVIVED\tMutationIdentifier [a]\n"
				+ "f1\tKILLED\tMutationIdentifier [b]\ta.BTests.[method:one()]\ta.BTests.[method:two()]\n");
	}

	@Test
	void readsBackWhatItWrote() {
		Map<String, MutantRecord> read = HistoryFile.read(new StringReader(write(List.of(KILLED, SURVIVED))));

		assertThat(read).containsExactly(Map.entry(SURVIVED.mutant(), SURVIVED), Map.entry(KILLED.mutant(), KILLED));
	}

	@Test
	void anEmptyFileIsAnEmptyHistory() {
		assertThat(HistoryFile.read(new StringReader(""))).isEmpty();
	}

	@Test
	void refusesAFileWithoutTheHeader() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> HistoryFile.read(new StringReader("f1\tKILLED\tm\n")))
			.withMessageStartingWith("mutation history line 1: expected the header")
			.withMessageContaining("found 'f1\tKILLED\tm'");
	}

	@Test
	void refusesALineWithTooFewFieldsNamingIt() {
		String file = HistoryFile.HEADER + "\nf1\tKILLED\tm\nf2\tSURVIVED\n";

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> HistoryFile.read(new StringReader(file)))
			.withMessage("mutation history line 3: expected at least 3 tab-separated fields (fingerprint, status, "
					+ "mutant), found 2");
	}

	@Test
	void refusesAnEmptyFieldNamingTheLine() {
		String file = HistoryFile.HEADER + "\n\tKILLED\tm\n";

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> HistoryFile.read(new StringReader(file)))
			.withMessageStartingWith("mutation history line 2: fingerprint '' is empty");
	}

	@Test
	void refusesAMutantRecordedTwice() {
		String file = HistoryFile.HEADER + "\nf1\tKILLED\tm\nf2\tSURVIVED\tm\n";

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> HistoryFile.read(new StringReader(file)))
			.withMessage("mutation history line 3: mutant 'm' appears twice");
	}

	@Test
	void aRecordCannotHoldWhatWouldBreakItsLine() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MutantRecord("m", "f", "KILLED", List.of("a\tb")))
			.withMessageStartingWith("killing test 'a\tb' is empty or holds a tab or line break");
		assertThatIllegalArgumentException().isThrownBy(() -> new MutantRecord("m\n", "f", "KILLED", List.of()))
			.withMessageStartingWith("mutant 'm\n'");
		assertThatIllegalArgumentException().isThrownBy(() -> new MutantRecord("m", "f", "KILLED\r", List.of()))
			.withMessageStartingWith("status 'KILLED\r'");
	}

	private static String write(List<MutantRecord> records) {
		StringWriter out = new StringWriter();
		HistoryFile.write(records, new PrintWriter(out));
		return out.toString();
	}

}
