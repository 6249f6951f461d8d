package io.github.grain.plugin.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What is particular to the Chicory adapter: deadlines by thread interruption that never
 * leak into the caller's thread, wasmtime's trap vocabulary, and its own load errors.
 * (The engine suites run on Chicory too, in the build's second test execution.)
 */
@Tag("runtime")
class ChicoryRuntimeTests {

	private static PluginEngineOptions chicory() {
		return PluginEngineOptions.defaults().withRuntime(WasmRuntimeKind.CHICORY);
	}

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void aDeadlineStopsTheGuestAndLeavesTheCallersThreadUninterrupted() {
		try (PluginEngine engine = new PluginEngine(chicory().withCallTimeout(Duration.ofMillis(100)));
				LoadedPlugin hostile = engine.load(Fixtures.core("hostile", EnumSet.allOf(Capability.class)))) {
			assertThatThrownBy(() -> hostile.callTool("loop", "{}")).isInstanceOfSatisfying(GuestTrapException.class,
					(ex) -> assertThat(ex.isDeadline()).isTrue());
			assertThat(Thread.currentThread().isInterrupted()).isFalse();
			assertThat(hostile.callTool("ok", "{}").contentJson()).isEqualTo("{\"ok\":true}");
		}
	}

	@Test
	void aCancelledCallIsReportedAsCancellationAndKeepsTheInterrupt() {
		try (PluginEngine engine = new PluginEngine(chicory());
				LoadedPlugin plugin = engine.load(Fixtures.core("v1-legacy", Set.of()))) {
			Thread.currentThread().interrupt();
			assertThatThrownBy(() -> plugin.callTool("echo", "{}")).isInstanceOfSatisfying(GuestTrapException.class,
					(ex) -> assertThat(ex.isCancellation()).isTrue());
			assertThat(Thread.interrupted()).as("the canceller's interrupt is still pending").isTrue();
			assertThat(plugin.callTool("echo", "{}").contentJson()).isEqualTo("{}");
		}
	}

	@Test
	void anExpiredWatchTakesBackItsInterruptWhenFinished() throws InterruptedException {
		try (ChicoryDeadlines deadlines = new ChicoryDeadlines()) {
			ChicoryDeadlines.Watch watch = deadlines.start(Duration.ZERO);
			awaitInterrupt();
			watch.finish();
			assertThat(Thread.currentThread().isInterrupted()).isFalse();
		}
	}

	@Test
	void anInterruptPendingBeforeTheDeadlineIsLeftForItsSender() throws InterruptedException {
		try (ChicoryDeadlines deadlines = new ChicoryDeadlines()) {
			Thread.currentThread().interrupt();
			ChicoryDeadlines.Watch watch = deadlines.start(Duration.ZERO);
			while (!watch.expired()) {
				Thread.onSpinWait();
			}
			watch.finish();
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
	}

	@Test
	void aFinishedWatchIsNeverInterrupted() throws InterruptedException {
		try (ChicoryDeadlines deadlines = new ChicoryDeadlines()) {
			deadlines.start(Duration.ofMillis(20)).finish();
			Thread.sleep(100);
			assertThat(Thread.currentThread().isInterrupted()).isFalse();
		}
	}

	private static void awaitInterrupt() {
		long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!Thread.currentThread().isInterrupted() && System.nanoTime() < until) {
			Thread.onSpinWait();
		}
		assertThat(Thread.currentThread().isInterrupted()).as("the ticker interrupted the watched thread").isTrue();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			Trapped on unreachable instruction | UNREACHABLE_CODE_REACHED
			call stack exhausted               | STACK_OVERFLOW
			out of bounds memory access        | MEMORY_OUT_OF_BOUNDS
			integer divide by zero             | INTEGER_DIVISION_BY_ZERO
			integer overflow                   | INTEGER_OVERFLOW
			invalid conversion to integer      | BAD_CONVERSION_TO_INTEGER
			indirect call type mismatch        | BAD_SIGNATURE
			undefined element                  | TABLE_OUT_OF_BOUNDS
			uninitialized element 3            | INDIRECT_CALL_TO_NULL
			""")
	void trapsAreNamedAsWasmtimeNamesThem(String chicoryMessage, io.github.grain.plugin.engine.TrapKind kind) {
		assertThat(ChicoryInstance.trapKind(chicoryMessage)).isEqualTo(kind);
	}

	@Test
	void anUnrecognisedFailureHasNoTrapKind() {
		assertThat(ChicoryInstance.trapKind("something new")).isNull();
		assertThat(ChicoryInstance.trapKind(null)).isNull();
	}

	@Test
	void aPluginThatCouldFillTheHeapIsWarnedAboutAtLoad() {
		var warnings = Fixtures.captureLog("io.github.grain.plugin.engine.PluginEngine");
		long cap = PluginEngineOptions.MAX_MEMORY_BYTES;
		try (PluginEngine engine = new PluginEngine(chicory().withMaxMemoryBytes(cap));
				LoadedPlugin plugin = engine.load(Fixtures.core("v1-legacy", Set.of()))) {
			assertThat(plugin.callTool("echo", "{}").contentJson()).isEqualTo("{}");
		}
		assertThat(warnings.list).filteredOn((event) -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
			.singleElement()
			.extracting(Object::toString)
			.asString()
			.contains("Plugin 'v1-legacy' runs where guest memory is on the heap (Chicory): 32 calls in flight of up to 2047 MiB each");
	}

	@Test
	void aModuleChicoryCannotValidateIsRefusedNamingThePlugin() {
		// a function whose body returns nothing though its type promises an i32
		byte[] invalid = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
				0x03, 0x02, 0x01, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b };
		try (ChicoryRuntime runtime = new ChicoryRuntime(null)) {
			assertThatThrownBy(() -> runtime.compile("broken", invalid)).isInstanceOf(InvalidPluginException.class)
				.hasMessageStartingWith("plugin 'broken': chicory rejected the module: ");
		}
	}

}
