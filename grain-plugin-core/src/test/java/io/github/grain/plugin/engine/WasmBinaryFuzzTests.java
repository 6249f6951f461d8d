package io.github.grain.plugin.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.grain.plugin.engine.component.ComponentModel;
import io.github.grain.plugin.engine.component.ComponentReader;
import io.github.grain.plugin.engine.component.WasmBinaryKind;
import io.github.grain.plugin.engine.module.MemoryLimiter;
import io.github.grain.plugin.engine.module.ModuleInfo;
import io.github.grain.plugin.engine.module.ModuleParser;

/**
 * Coverage-guided fuzzing of the path a plugin binary takes before it is compiled:
 * {@link WasmBinaryKind#detect}, {@link ComponentReader} down to the main core module,
 * {@link ModuleParser} and {@link MemoryLimiter}. Inputs are the committed component and
 * core fixtures with a few edits the fuzzer chooses (overwrite, insert, delete,
 * truncate), or the fuzzer's bytes as they are: starting from real binaries gets past the
 * framing on the first execution, so coverage feedback is spent inside the sections.
 * <p>
 * Whatever the bytes, each step returns a result or refuses with a
 * {@link MalformedBinaryException} whose offset lies inside its input, or with an
 * {@link InvalidPluginException}; a result is the same on every run; a limited module
 * parses to the same imports, exports and initial sizes with every maximum within the
 * cap. Any other exception, a hang or running out of memory is a finding. Seeds and found
 * regressions live in {@code WasmBinaryFuzzTestsInputs/}.
 */
class WasmBinaryFuzzTests {

	private static final int MAX_EDITS = 8;

	private static final List<byte[]> FIXTURES = Arrays
		.stream(new String[] { "component/v1-legacy.wasm", "component/v1-standard.wasm", "component/v2-legacy.wasm",
				"component/v2-standard.wasm", "core/v1-legacy.wasm", "core/v2-standard.wasm", "core/hostile.wasm",
				"core/hostile-v2.wasm", "core/hostile-realloc.wasm", "core/wasi-extra.wasm" })
		.map(Fixtures::bytes)
		.toList();

	@FuzzTest(maxExecutions = 10_000, maxDuration = "10s")
	void decodesOrRefusesWithAnOffset(FuzzedDataProvider data) {
		long capPages = data.consumeInt(0, 65536);
		byte[] bytes = next(data);
		byte[] core;
		try {
			if (WasmBinaryKind.detect(bytes) == WasmBinaryKind.COMPONENT) {
				ComponentModel model = ComponentReader.read(bytes, "fuzzed");
				assertThat(ComponentReader.read(bytes, "fuzzed")).isEqualTo(model);
				core = model.mainModule();
			}
			else {
				core = bytes;
			}
		}
		catch (MalformedBinaryException ex) {
			assertOffsetInside(ex, bytes);
			return;
		}
		catch (InvalidPluginException ex) {
			return;
		}
		ModuleInfo info;
		byte[] limited;
		try {
			info = ModuleParser.parse(core);
			assertThat(ModuleParser.parse(core)).isEqualTo(info);
			limited = MemoryLimiter.limit("fuzzed", core, capPages * MemoryLimiter.PAGE_BYTES);
		}
		catch (MalformedBinaryException ex) {
			assertOffsetInside(ex, core);
			return;
		}
		catch (InvalidPluginException ex) {
			return;
		}
		ModuleInfo after = ModuleParser.parse(limited);
		assertThat(after.imports()).isEqualTo(info.imports());
		assertThat(after.exports()).isEqualTo(info.exports());
		assertThat(after.memories()).extracting(ModuleInfo.MemoryLimits::minimumPages)
			.isEqualTo(info.memories().stream().map(ModuleInfo.MemoryLimits::minimumPages).toList());
		assertThat(after.memories()).allSatisfy((memory) -> {
			assertThat(memory.imported()).isFalse();
			assertThat(memory.maximumPages()).isBetween(0L, capPages);
		});
	}

	private static void assertOffsetInside(MalformedBinaryException ex, byte[] input) {
		assertThat(ex.offset()).as(ex.getMessage()).isBetween(0L, (long) input.length);
		assertThat(ex.getMessage()).startsWith("malformed binary at offset " + ex.offset() + " ");
	}

	/** A fixture with up to {@link #MAX_EDITS} edits, or the remaining bytes as they are. */
	private static byte[] next(FuzzedDataProvider data) {
		int which = data.consumeInt(0, FIXTURES.size());
		if (which == FIXTURES.size()) {
			return data.consumeRemainingAsBytes();
		}
		byte[] bytes = FIXTURES.get(which);
		int edits = data.consumeInt(0, MAX_EDITS);
		for (int i = 0; i < edits && bytes.length > 0; i++) {
			int at = data.consumeInt(0, bytes.length - 1);
			switch (data.consumeInt(0, 3)) {
				case 0 -> {
					bytes = bytes.clone();
					bytes[at] = data.consumeByte();
				}
				case 1 -> bytes = splice(bytes, at, 0, data.consumeBytes(16));
				case 2 -> bytes = splice(bytes, at, data.consumeInt(1, 64), new byte[0]);
				default -> bytes = Arrays.copyOf(bytes, at);
			}
		}
		return bytes;
	}

	/** {@code bytes} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
	private static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
		int end = Math.min(bytes.length, at + removed);
		byte[] out = new byte[at + inserted.length + bytes.length - end];
		System.arraycopy(bytes, 0, out, 0, at);
		System.arraycopy(inserted, 0, out, at, inserted.length);
		System.arraycopy(bytes, end, out, at + inserted.length, bytes.length - end);
		return out;
	}

}
