package io.github.grain.plugin.runtime.wasmtime;

import java.time.Duration;
import java.util.List;

import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.TrapKind;
import io.github.grain.plugin.engine.runtime.CompiledModule;
import io.github.grain.plugin.engine.runtime.InstancePool;
import io.github.grain.plugin.engine.runtime.RuntimeInstance;
import io.github.kawamuray.wasmtime.Config;
import io.github.kawamuray.wasmtime.Engine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The epoch ticker is what makes every wasmtime deadline fire; a scheduled task that
 * throws once is cancelled for good, so one broken engine must not stop it.
 */
@Tag("runtime")
class WasmtimeEpochTickerTests {

	/** {@code (module (func (export "spin") (loop (br 0))))} */
	static final byte[] SPIN = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
			0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type: () -> ()
			0x03, 0x02, 0x01, 0x00, // func 0 of type 0
			0x07, 0x08, 0x01, 0x04, 's', 'p', 'i', 'n', 0x00, 0x00, // export "spin"
			0x0a, 0x09, 0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b }; // loop br 0 end end

	@Test
	void aDisposedEngineInTheTickerNeitherThrowsNorStopsDeadlines() {
		try (WasmtimeRuntime runtime = new WasmtimeRuntime(16, null);
				CompiledModule module = runtime.compile("spin", SPIN);
				InstancePool pool = module.link(List.of(), null)) {
			Engine broken = new Engine(new Config().epochInterruption(true));
			broken.dispose();
			runtime.track(broken);
			assertThatCode(runtime::tick).doesNotThrowAnyException();
			assertThatCode(runtime::tick).doesNotThrowAnyException();
			// the scheduled ticker met the broken engine too; deadlines still fire
			assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
				try (RuntimeInstance instance = pool.instantiate(Duration.ofMillis(200))) {
					assertThatExceptionOfType(GuestTrapException.class).isThrownBy(() -> instance.call("spin"))
						.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.kind())
							.isEqualTo(TrapKind.DEADLINE));
				}
			});
		}
	}

}
