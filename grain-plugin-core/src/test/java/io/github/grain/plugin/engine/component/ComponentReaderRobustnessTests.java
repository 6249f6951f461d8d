package io.github.grain.plugin.engine.component;

import static io.github.grain.plugin.engine.component.ComponentBytes.CORE_FUNC;
import static io.github.grain.plugin.engine.component.ComponentBytes.aliasCoreExport;
import static io.github.grain.plugin.engine.component.ComponentBytes.canonLift;
import static io.github.grain.plugin.engine.component.ComponentBytes.coreModule;
import static io.github.grain.plugin.engine.component.ComponentBytes.funcType;
import static io.github.grain.plugin.engine.component.ComponentBytes.instantiate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.MalformedBinaryException;
import io.github.grain.plugin.engine.component.ComponentBytes.Entry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: every failure is a {@link MalformedBinaryException} with a byte offset
 * inside the input (or an {@link InvalidPluginException} for a well-formed component the
 * host cannot run), never an exception from deep inside the reader.
 */
class ComponentReaderRobustnessTests {

	private static final int HEADER = 8;

	@Test
	void refusesEveryTruncationOfAValidComponent() {
		ComponentBytes component = PluginComponents.witComponentLayout();
		byte[] valid = component.toBytes();
		// A prefix cut after the header or after a whole section is a well-formed component.
		List<Integer> sectionEnds = new java.util.ArrayList<>(component.sectionEnds());
		sectionEnds.add(HEADER);
		for (int length = 0; length < valid.length; length++) {
			byte[] prefix = Arrays.copyOf(valid, length);
			try {
				ComponentReader.read(prefix, "prefix");
				assertThat(sectionEnds).as("prefix of %d bytes read as a whole component", length).contains(length);
			}
			catch (MalformedBinaryException ex) {
				assertThat(sectionEnds).as("prefix of %d bytes ends on a section boundary: %s", length, ex.getMessage())
					.doesNotContain(length);
				assertThat(ex.offset()).as("offset of: %s", ex.getMessage()).isBetween(0L, (long) length);
			}
			catch (InvalidPluginException ex) {
				assertThat(sectionEnds).as("prefix of %d bytes: %s", length, ex.getMessage()).contains(length);
			}
		}
	}

	@Test
	void refusesEveryTruncationOfARealComponent() throws IOException {
		byte[] valid;
		try (InputStream in = getClass().getResourceAsStream("/fixtures/component/v2-legacy.wasm")) {
			Assumptions.assumeTrue(in != null, "fixture v2-legacy.wasm not built");
			valid = in.readAllBytes();
		}
		ComponentReader.read(valid, "v2-legacy.wasm");
		int rejected = 0;
		for (int length = 0; length < valid.length; length++) {
			try {
				ComponentReader.read(Arrays.copyOf(valid, length), "prefix");
			}
			catch (MalformedBinaryException ex) {
				assertThat(ex.offset()).as("offset of: %s", ex.getMessage()).isBetween(0L, (long) length);
				rejected++;
			}
			catch (InvalidPluginException ex) {
				// cut after a whole section, before the lifts
			}
		}
		// Only the few prefixes that end on a section boundary may pass as a (lift-less) component.
		assertThat(rejected).isGreaterThan(valid.length - 200);
	}

	@Test
	void refusesASectionSizeLeb128LongerThanFiveBytes() {
		byte[] bytes = concat(ComponentBytes.COMPONENT_HEADER, new byte[] { 7, (byte) 0x80, (byte) 0x80, (byte) 0x80,
				(byte) 0x80, (byte) 0x80, 0x00 });

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("type section size: LEB128 u32 longer than 5 bytes")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(HEADER + 1));
	}

	@Test
	void refusesALeb128ThatOverflows32Bits() {
		byte[] bytes = concat(ComponentBytes.COMPONENT_HEADER,
				new byte[] { 7, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x1f });

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("overflows 32 bits")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(HEADER + 1));
	}

	@Test
	void refusesASectionSizePastTheEnd() {
		byte[] bytes = concat(ComponentBytes.COMPONENT_HEADER, new byte[] { 1, 100, 0, 0x61, 0x73 });

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("core module section size 100 exceeds the 3 bytes left in the file")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(HEADER + 1));
	}

	@Test
	void refusesAnUnknownSectionId() {
		byte[] bytes = concat(ComponentBytes.COMPONENT_HEADER, new byte[] { 13, 0 });

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("unknown component section id 13")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(HEADER));
	}

	@Test
	void refusesTrailingBytesInASection() {
		byte[] bytes = ComponentBytes.component().section(2, new byte[] { 0, 0x42 }).toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("core instance section has 1 bytes after its last entry")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(HEADER + 3));
	}

	@Test
	void refusesAnIndexOutOfRange() {
		ComponentBytes component = ComponentBytes.component()
			.coreModuleSection(coreModule("main"))
			.coreInstances(instantiate(0));
		int aliasSectionStart = component.toBytes().length;
		byte[] bytes = component.aliases(aliasCoreExport(CORE_FUNC, 5, "run")).toBytes();

		// section id, size, count, sort (2 bytes), target: the instance index follows
		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("core instance index 5 out of range (the core instance index space has 1 entry here)")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(aliasSectionStart + 6));
	}

	@Test
	void refusesAForwardReferenceToAModule() {
		byte[] bytes = ComponentBytes.component().coreInstances(instantiate(0)).toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("core module index 0 out of range");
	}

	@Test
	void refusesAVectorCountOfTwoToThe32MinusOne() {
		byte[] bytes = ComponentBytes.component()
			.section(8, new Entry().u32(0xFFFF_FFFFL).u8(0, 0, 0).toArray())
			.toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("canon count 4294967295 exceeds the 3 bytes left in the canon section")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(HEADER + 2));
	}

	@Test
	void refusesANameLengthPastTheSection() {
		byte[] bytes = ComponentBytes.component()
			.section(0, new Entry().u32(0x7FFF_FFFFL).toArray())
			.toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("custom section name length 2147483647 exceeds the 0 bytes left")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(HEADER + 2));
	}

	@Test
	void refusesANameThatIsNotUtf8() {
		byte[] bytes = ComponentBytes.component()
			.section(0, new Entry().u32(2).u8(0xc3, 0x28).toArray())
			.toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("custom section name is not valid UTF-8")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(HEADER + 2));
	}

	@Test
	void refusesAnUnknownCanonOpcode() {
		byte[] bytes = ComponentBytes.component().section(8, new Entry().u32(1).u8(0x3f).toArray()).toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("unknown canon opcode 0x3f")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(HEADER + 3));
	}

	@Test
	void refusesAnUnknownCanonicalOption() {
		byte[] bytes = ComponentBytes.component()
			.types(funcType())
			.coreModuleSection(coreModule("main"))
			.coreInstances(instantiate(0))
			.aliases(aliasCoreExport(CORE_FUNC, 0, "run"))
			.canons(canonLift(0, 0, new Entry().u8(0x0a)))
			.toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("unknown canonical option 0xa");
	}

	@Test
	void refusesAnOuterAliasBeyondTheOutermostComponent() {
		byte[] bytes = ComponentBytes.component()
			.types(funcType())
			.aliases(new Entry().u8(ComponentBytes.TYPE).u8(0x02).u32(1).u32(0))
			.toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("outer alias reaches 1 components out of the outermost component");
	}

	@Test
	void survivesRandomMutationsOfAValidComponent() {
		byte[] valid = PluginComponents.witComponentLayout().toBytes();
		Random random = new Random(20240611L);
		int[] outcomes = new int[3];
		for (int round = 0; round < 5000; round++) {
			byte[] mutated = mutate(valid, random);
			try {
				ComponentReader.read(mutated, "mutant " + round);
				outcomes[0]++;
			}
			catch (MalformedBinaryException ex) {
				assertThat(ex.offset()).as("round %d: %s", round, ex.getMessage()).isBetween(0L, (long) mutated.length);
				outcomes[1]++;
			}
			catch (InvalidPluginException ex) {
				outcomes[2]++;
			}
			catch (RuntimeException ex) {
				fail("round " + round + " threw " + ex + " for " + Arrays.toString(mutated), ex);
			}
		}
		// The loop must exercise every outcome, or it tests less than it claims.
		assertThat(outcomes).as("successes, malformed, invalid").doesNotContain(0);
	}

	private static byte[] mutate(byte[] valid, Random random) {
		byte[] bytes = valid.clone();
		int edits = 1 + random.nextInt(4);
		for (int i = 0; i < edits; i++) {
			int at = HEADER + random.nextInt(bytes.length - HEADER);
			switch (random.nextInt(4)) {
				case 0 -> bytes[at] = (byte) random.nextInt(256);
				case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
				case 2 -> bytes[at] = (byte) (bytes[at] + ((random.nextBoolean()) ? 1 : -1));
				default -> bytes[at] = (byte) (0x80 | random.nextInt(256));
			}
		}
		if (random.nextInt(10) == 0) {
			bytes = Arrays.copyOf(bytes, HEADER + random.nextInt(bytes.length - HEADER));
		}
		return bytes;
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] out = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

}
