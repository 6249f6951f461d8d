package io.github.grain.plugin.engine.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.grain.plugin.engine.MalformedBinaryException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WasmBinaryKindTests {

	@Test
	void detectsACoreModule() {
		assertThat(WasmBinaryKind.detect(bytes("00 61 73 6d 01 00 00 00 01"))).isEqualTo(WasmBinaryKind.CORE_MODULE);
	}

	@Test
	void detectsAComponent() {
		assertThat(WasmBinaryKind.detect(bytes("00 61 73 6d 0d 00 01 00"))).isEqualTo(WasmBinaryKind.COMPONENT);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			                         | 0 | truncated header: 0 bytes
			00 61                    | 2 | truncated header: 2 bytes
			00 61 73 6d 0d 00 01     | 7 | truncated header: 7 bytes
			7f 45 4c 46 02 01 01 00  | 0 | expected magic 00 61 73 6d, found 7f 45 4c 46
			00 61 73 00 01 00 00 00  | 3 | expected magic 00 61 73 6d, found 00 61 73 00
			00 61 73 6d 02 00 00 00  | 4 | unsupported WebAssembly version/layer 02 00 00 00
			00 61 73 6d 0c 00 01 00  | 4 | unsupported WebAssembly version/layer 0c 00 01 00
			00 61 73 6d 0d 01 01 00  | 5 | unsupported WebAssembly version/layer 0d 01 01 00
			00 61 73 6d 01 00 02 00  | 6 | unsupported WebAssembly version/layer 01 00 02 00
			""")
	void refusesAnythingElseAtTheOffsetOfTheFirstWrongByte(String hex, long offset, String message) {
		assertThatExceptionOfType(MalformedBinaryException.class)
			.isThrownBy(() -> WasmBinaryKind.detect(bytes((hex != null) ? hex : "")))
			.withMessageContaining(message)
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(offset));
	}

	static byte[] bytes(String hex) {
		String[] parts = hex.trim().isEmpty() ? new String[0] : hex.trim().split("\\s+");
		byte[] out = new byte[parts.length];
		for (int i = 0; i < parts.length; i++) {
			out[i] = (byte) Integer.parseInt(parts[i], 16);
		}
		return out;
	}

}
