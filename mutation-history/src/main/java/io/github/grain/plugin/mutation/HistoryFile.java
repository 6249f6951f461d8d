package io.github.grain.plugin.mutation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The history file: a header line, then one line per mutant, sorted so that a refresh
 * shows in a diff as the mutants whose results changed. Fields are tab-separated:
 * fingerprint, status, mutant, then the killing tests.
 */
final class HistoryFile {

	static final String HEADER = "# grain mutation history 1: fingerprint, status, mutant, killing tests (tab-separated)";

	private HistoryFile() {
	}

	/**
	 * Read a history.
	 * @param reader the file's content
	 * @return its records by mutant
	 * @throws IllegalStateException naming the line if the file is not a history of this format
	 */
	static Map<String, MutantRecord> read(Reader reader) {
		Map<String, MutantRecord> records = new LinkedHashMap<>();
		try (BufferedReader lines = new BufferedReader(reader)) {
			String header = lines.readLine();
			if (header == null) {
				return records;
			}
			if (!header.equals(HEADER)) {
				throw new IllegalStateException("mutation history line 1: expected the header '" + HEADER + "', found '"
						+ header + "' (delete the file or refresh it with .ci/refresh-mutation-history)");
			}
			int number = 1;
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				number++;
				String[] fields = line.split("\t", -1);
				if (fields.length < 3) {
					throw new IllegalStateException("mutation history line " + number + ": expected at least 3 "
							+ "tab-separated fields (fingerprint, status, mutant), found " + fields.length);
				}
				MutantRecord record;
				try {
					record = new MutantRecord(fields[2], fields[0], fields[1],
							Arrays.asList(fields).subList(3, fields.length));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalStateException("mutation history line " + number + ": " + ex.getMessage(), ex);
				}
				if (records.put(record.mutant(), record) != null) {
					throw new IllegalStateException(
							"mutation history line " + number + ": mutant '" + record.mutant() + "' appears twice");
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the mutation history", ex);
		}
		return records;
	}

	/**
	 * Write a history.
	 * @param records the records, in any order
	 * @param out where to write; left open
	 */
	static void write(Collection<MutantRecord> records, PrintWriter out) {
		out.print(HEADER);
		out.print('\n');
		List<MutantRecord> sorted = records.stream().sorted(Comparator.comparing(MutantRecord::mutant)).toList();
		for (MutantRecord record : sorted) {
			out.print(record.fingerprint());
			out.print('\t');
			out.print(record.status());
			out.print('\t');
			out.print(record.mutant());
			for (String test : record.killingTests()) {
				out.print('\t');
				out.print(test);
			}
			out.print('\n');
		}
		out.flush();
	}

}
