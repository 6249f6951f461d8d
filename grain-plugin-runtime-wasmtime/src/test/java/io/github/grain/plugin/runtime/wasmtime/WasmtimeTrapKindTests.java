package io.github.grain.plugin.runtime.wasmtime;

import io.github.grain.plugin.engine.TrapKind;
import io.github.kawamuray.wasmtime.Trap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every wasmtime trap has a kind in the engine's terms; only the interruptions are deadlines. */
@Tag("runtime")
class WasmtimeTrapKindTests {

	@ParameterizedTest
	@CsvSource(textBlock = """
			INTERRUPT, DEADLINE
			OUF_OF_FUEL, DEADLINE
			ALWAYS_TRAP_ADAPTER, UNKNOWN
			UNKNOWN, UNKNOWN
			UNREACHABLE_CODE_REACHED, UNREACHABLE_CODE_REACHED
			STACK_OVERFLOW, STACK_OVERFLOW
			MEMORY_OUT_OF_BOUNDS, MEMORY_OUT_OF_BOUNDS
			""")
	void interruptionIsTheDeadline(Trap trap, TrapKind kind) {
		assertThat(WasmtimeInstance.trapKind(trap)).isEqualTo(kind);
	}

	@ParameterizedTest
	@EnumSource(value = Trap.class, names = { "INTERRUPT", "OUF_OF_FUEL", "ALWAYS_TRAP_ADAPTER" },
			mode = EnumSource.Mode.EXCLUDE)
	void everyOtherTrapKeepsWasmtimesName(Trap trap) {
		assertThat(WasmtimeInstance.trapKind(trap).name()).isEqualTo(trap.name());
	}

}
