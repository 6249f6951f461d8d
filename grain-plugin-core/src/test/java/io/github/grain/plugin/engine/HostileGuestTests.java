package io.github.grain.plugin.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guests that break the ABI on purpose: each misbehaviour is a clear exception for that
 * call, naming plugin, function and offset, and the next call succeeds.
 */
@Tag("runtime")
class HostileGuestTests {

	private static final Set<Capability> ALL = EnumSet.allOf(Capability.class);

	private static PluginEngine engine;

	private static LoadedPlugin hostile;

	private static LoadedPlugin healthy;

	@BeforeAll
	static void start() {
		engine = new PluginEngine(Fixtures.options().withCallTimeout(Duration.ofMillis(500)));
		hostile = engine.load(Fixtures.core("hostile", ALL));
		healthy = engine.load(Fixtures.core("v1-legacy", Set.of()));
	}

	@AfterAll
	static void stop() {
		engine.close();
	}

	static Stream<Arguments> hostileTools() {
		return Stream.of(
				Arguments.of("trap", GuestTrapException.class,
						"plugin 'hostile' function 'grain:plugin/plugin#call-tool' trapped: UNREACHABLE_CODE_REACHED"),
				Arguments.of("bad_ptr", AbiViolationException.class,
						"plugin 'hostile' function 'grain:plugin/plugin#call-tool': string at offset 4294967280 with length 8 is out of bounds"),
				Arguments.of("absurd_len", AbiViolationException.class, "with length 4294967280 is out of bounds"),
				Arguments.of("invalid_utf8", AbiViolationException.class, "is not valid UTF-8"),
				Arguments.of("misaligned_area", AbiViolationException.class, "is not aligned to 4 bytes"),
				Arguments.of("area_oob", AbiViolationException.class,
						"tool-result at offset 4294967292 with length 12 is out of bounds"),
				Arguments.of("loop", GuestTrapException.class, "ran past its deadline and was interrupted"),
				Arguments.of("recurse", GuestTrapException.class, "trapped: STACK_OVERFLOW"),
				Arguments.of("big_result", GuestTrapException.class, "trapped: UNREACHABLE_CODE_REACHED"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileTools")
	void hostileToolFailsClearlyAndTheNextCallSucceeds(String tool, Class<? extends Throwable> type, String message) {
		assertThatThrownBy(() -> hostile.callTool(tool, "{}")).isInstanceOf(type).hasMessageContaining(message);
		assertThat(hostile.callTool("ok", "{}")).isEqualTo(new ToolCallResult("{\"ok\":true}", false));
		assertThat(healthy.callTool("echo", "{\"after\":\"" + tool + "\"}").contentJson())
			.isEqualTo("{\"after\":\"" + tool + "\"}");
	}

	@Test
	void aSaturatedPluginWithoutBusyWaitRefusesFurtherCallsAtOnceWhileOthersKeepAnswering() throws Exception {
		try (PluginEngine limited = new PluginEngine(Fixtures.options()
			.withMaxConcurrentCallsPerPlugin(1)
			.withBusyWait(Duration.ZERO)
			.withCallTimeout(Duration.ofSeconds(2)));
				LoadedPlugin looping = limited.load(Fixtures.core("hostile", ALL));
				LoadedPlugin other = limited.load(Fixtures.core("v1-legacy", Set.of()))) {
			java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
			java.util.concurrent.CompletableFuture<Throwable> busy = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
				started.countDown();
				while (true) {
					try {
						looping.callTool("loop", "{}");
						return null;
					}
					catch (PluginBusyException ex) {
						// the test thread held the only slot: try again
					}
					catch (GrainPluginException ex) {
						return ex;
					}
				}
			});
			started.await();
			Throwable refused = null;
			for (int i = 0; i < 1000 && refused == null; i++) {
				try {
					looping.callTool("ok", "{}");
					Thread.sleep(1);
				}
				catch (PluginBusyException ex) {
					refused = ex;
				}
			}
			assertThat(refused).isNotNull()
				.hasMessageStartingWith("plugin 'hostile' is busy: its 1 calls in flight are its limit and calls do not "
						+ "wait (busy-wait is 0); retry after ");
			assertThat(other.callTool("echo", "{}").contentJson()).isEqualTo("{}");
			assertThat(busy.get()).isInstanceOf(GuestTrapException.class);
			assertThat(looping.callTool("ok", "{}").isError()).isFalse();
		}
	}

	@Test
	void deadlineTrapIsReportedAsSuch() {
		assertThatThrownBy(() -> hostile.callTool("loop", "{}")).isInstanceOfSatisfying(GuestTrapException.class,
				(ex) -> assertThat(ex.isDeadline()).isTrue());
	}

	@Test
	void boolBytesOtherThanZeroAreTrueAsTheSpecSays() {
		assertThat(hostile.callTool("bad_bool", "{}").isError()).isTrue();
	}

	@Test
	void memoryGrowthStopsAtTheConfiguredCap() {
		// growing to 64 MB page by page (copied each time on Chicory) is slow on a loaded machine: the
		// cap is tested here, not the deadline, so the deadline is one no machine reaches
		try (PluginEngine patient = new PluginEngine(Fixtures.options().withCallTimeout(Duration.ofSeconds(120)));
				LoadedPlugin plugin = patient.load(Fixtures.core("hostile", ALL))) {
			assertThat(plugin.callTool("grow", "{}")).isEqualTo(new ToolCallResult("{\"pages\":1024}", false));
		}
		try (PluginEngine small = new PluginEngine(Fixtures.options().withMaxMemoryBytes(4 * 1024 * 1024));
				LoadedPlugin plugin = small.load(Fixtures.core("hostile", ALL))) {
			assertThat(plugin.callTool("grow", "{}")).isEqualTo(new ToolCallResult("{\"pages\":64}", false));
			assertThat(plugin.callTool("ok", "{}").isError()).isFalse();
		}
	}

	@Test
	void resultsLargerThanTheHostAcceptsAreRefused() {
		try (PluginEngine strict = new PluginEngine(Fixtures.options().withMaxResultBytes(1024 * 1024));
				LoadedPlugin plugin = strict.load(Fixtures.core("v1-legacy", Set.of()))) {
			assertThat(plugin.callTool("big", "{\"size\":1000000}").contentJson()).hasSize(1_000_002);
			assertThatThrownBy(() -> plugin.callTool("big", "{\"size\":2000000}"))
				.isInstanceOf(AbiViolationException.class)
				.hasMessage("plugin 'v1-legacy' function 'grain:plugin/plugin#call-tool': string of 2000002 bytes exceeds the host's limit of 1048576 bytes for one result");
		}
	}

	@Test
	void aModuleStartingAboveTheCapIsRefused() {
		try (PluginEngine tiny = new PluginEngine(Fixtures.options().withMaxMemoryBytes(65536))) {
			assertThatThrownBy(() -> tiny.load(Fixtures.core("v1-legacy", ALL))).isInstanceOf(InvalidPluginException.class)
				.hasMessageMatching("plugin 'v1-legacy' memory 0 starts at \\d+ pages, more than the cap of 1 pages \\(65536 bytes\\)");
		}
	}

	@Test
	void logFloodIsCappedPerCall() {
		ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = Fixtures
			.captureLog("grain.plugins.guest.flood");
		// 100,000 host calls: a deadline no loaded machine reaches, since the cap is what is tested
		try (PluginEngine patient = new PluginEngine(
				Fixtures.options().withMaxLogBytesPerCall(1000).withCallTimeout(Duration.ofSeconds(120)));
				LoadedPlugin plugin = patient.load(Fixtures.spec("flood", "core/hostile.wasm", ALL, Map.of()))) {
			assertThat(plugin.callTool("log_flood", "{}").isError()).isFalse();
			assertThat(appender.list).hasSize(1000 / "flood".length() + 1);
			assertThat(appender.list.get(appender.list.size() - 1).getFormattedMessage())
				.isEqualTo("plugin 'flood' exceeded its log budget of 1000 bytes for this call; further output is dropped");
		}
	}

	static Stream<Arguments> hostileInits() {
		return Stream.of(Arguments.of("init-trap", GuestTrapException.class, "function 'grain:plugin/plugin#init' trapped"),
				Arguments.of("init-bad-disc", AbiViolationException.class,
						"function 'grain:plugin/plugin#init': discriminant 7 out of range for result (2 cases)"),
				Arguments.of("init-bad-utf8", AbiViolationException.class, "is not valid UTF-8"),
				Arguments.of("init-bad-ptr", AbiViolationException.class, "string at offset 4294967280 with length 16"),
				Arguments.of("init-loop", GuestTrapException.class, "ran past its deadline"),
				Arguments.of("list-bad-ptr", AbiViolationException.class,
						"function 'grain:plugin/plugin#list-tools': list<tool-def> of 3 elements at offset 4294967040"),
				Arguments.of("list-absurd", AbiViolationException.class, "list<tool-def> of 268435456 elements"),
				Arguments.of("list-misaligned", AbiViolationException.class, "is not aligned to 4 bytes"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileInits")
	void hostileLoadFailsClearlyAndTheEngineStaysUsable(String mode, Class<? extends Throwable> type, String message) {
		assertThatThrownBy(() -> engine.load(Fixtures.spec("hostile", "core/hostile.wasm", ALL, Map.of("MODE", mode))))
			.isInstanceOf(type)
			.hasMessageContaining("plugin 'hostile'")
			.hasMessageContaining(message);
		assertThat(healthy.callTool("echo", "{}").contentJson()).isEqualTo("{}");
	}

	@Test
	void hostImportsMayBeCalledFromInit() {
		try (LoadedPlugin plugin = engine
			.load(Fixtures.spec("hostile", "core/hostile.wasm", ALL, Map.of("MODE", "init-imports")))) {
			assertThat(plugin.callTool("ok", "{}").isError()).isFalse();
		}
	}

	@Test
	void aMillionToolsExceedTheResultBudget() {
		// The default deadline: building a million tools is real work (on Chicory, cold JVM code runs it in ~1 s).
		try (PluginEngine patient = new PluginEngine(Fixtures.options())) {
			assertThatThrownBy(() -> patient.load(Fixtures.spec("hostile", "core/hostile.wasm", ALL,
					Map.of("MODE", "list-million"))))
				.isInstanceOf(AbiViolationException.class)
				.hasMessageContaining("exceeds the host's limit");
		}
		assertThat(healthy.callTool("echo", "{}").contentJson()).isEqualTo("{}");
	}

	@Test
	void garbageFromReallocIsRefused() {
		try (LoadedPlugin plugin = engine.load(Fixtures.core("hostile-realloc", ALL))) {
			assertThatThrownBy(() -> plugin.callTool("echo", "{}")).isInstanceOf(AbiViolationException.class)
				.hasMessageContaining("plugin 'hostile-realloc' function 'grain:plugin/plugin#call-tool': realloc returned");
		}
	}

	static Stream<Arguments> hostileHooks() {
		return Stream.of(
				Arguments.of("bad-action-disc", AbiViolationException.class,
						"discriminant 9 out of range for host-action (9 cases)"),
				Arguments.of("bad-utf8", AbiViolationException.class, "is not valid UTF-8"),
				Arguments.of("bad-list", AbiViolationException.class, "is out of bounds"),
				Arguments.of("trap", GuestTrapException.class, "function 'grain:plugin/orchestration#call-hook' trapped"),
				Arguments.of("loop", GuestTrapException.class, "ran past its deadline"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileHooks")
	void hostileHookFailsClearly(String hookCase, Class<? extends Throwable> type, String message) {
		try (LoadedPlugin plugin = engine.load(Fixtures.core("hostile-v2", ALL))) {
			assertThatThrownBy(() -> plugin.callHook(HookPoint.AFTER_TOOL_CALL, "{\"case\":\"" + hookCase + "\"}"))
				.isInstanceOf(type)
				.hasMessageContaining(message);
			// the same instance answers the next hook as if nothing happened
			assertThat(plugin.callHook(HookPoint.AFTER_TOOL_CALL, "{}")).isEqualTo(new LoadedPlugin.HookResult.Actions(List.of()));
		}
	}

	@Test
	void badDiscriminantsInMetadataAreRefusedAtLoad() {
		assertThatThrownBy(() -> engine.load(Fixtures.spec("hostile-v2", "core/hostile-v2.wasm", ALL,
				Map.of("MODE", "hook-bad-point"))))
			.isInstanceOf(AbiViolationException.class)
			.hasMessageContaining("discriminant 9 out of range for hook-point");
		assertThatThrownBy(() -> engine.load(Fixtures.spec("hostile-v2", "core/hostile-v2.wasm", ALL,
				Map.of("MODE", "role-bad-option"))))
			.isInstanceOf(AbiViolationException.class)
			.hasMessageContaining("discriminant 3 out of range for option");
	}

	@Test
	void malformedBinariesAreRefusedWithTheirOffset() {
		byte[] truncated = java.util.Arrays.copyOf(Fixtures.bytes("core/v1-legacy.wasm"), 100);
		assertThatThrownBy(() -> engine.load(new PluginSpec("broken", "broken.wasm", truncated, Set.of(), Map.of())))
			.isInstanceOf(InvalidPluginException.class)
			.hasMessageStartingWith("plugin 'broken' (broken.wasm): malformed binary at offset");
		assertThatThrownBy(() -> engine.load(new PluginSpec("text", "text.wasm", "hello".getBytes(), Set.of(), Map.of())))
			.isInstanceOf(InvalidPluginException.class)
			.hasMessageStartingWith("plugin 'text' (text.wasm): not a WebAssembly module or component: malformed binary at offset 0");
	}

}
