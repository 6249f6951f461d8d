package io.github.grain.plugin.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A guest whose core module imports WASI 0.2 interfaces directly ({@code wasi02.c}, mixed
 * 0.2.x versions): what it may use works, what it may not is refused, and every hostile
 * use of handles, streams and pollables fails that call clearly and leaves the plugin healthy.
 */
@Tag("runtime")
class WasiPreview2Tests {

	private static final String LOGGER = "grain.plugins.guest.wasi02";

	private static PluginEngine engine;

	private static LoadedPlugin plugin;

	private static ListAppender<ILoggingEvent> log;

	@BeforeAll
	static void start() {
		log = Fixtures.captureLog(LOGGER);
		PluginEngineOptions o = Fixtures.options().withCallTimeout(Duration.ofSeconds(2));
		engine = new PluginEngine(new PluginEngineOptions(o.httpGateway(), o.callTimeout(), o.maxMemoryBytes(),
				o.maxResultBytes(), o.instancesPerStore(), 1000, o.compilationCache(), o.maxConcurrentCallsPerPlugin(),
				o.maxWaitingCallsPerPlugin(), o.busyWait(), o.runtime()));
		plugin = engine.load(Fixtures.core("wasi02", EnumSet.of(Capability.LOG)));
	}

	@AfterAll
	static void stop() {
		engine.close();
	}

	@BeforeEach
	void clearLog() {
		log.list.clear();
	}

	private static String call(String tool, String args) {
		return plugin.callTool(tool, args).contentJson();
	}

	@Test
	void stdoutAndStderrReachThePluginLogLineByLine() {
		assertThat(call("stdout", "{\"text\":\"hello wasi\"}")).isEqualTo("{\"ok\":true,\"permit\":4096}");
		assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("hello wasi", "err: hello wasi");
		assertThat(log.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.WARN);
	}

	@Test
	void anUnflushedLineIsLoggedWhenItsStreamIsDropped() {
		assertThat(call("partial", "{}")).isEqualTo("{\"ok\":true}");
		assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("no newline");
	}

	@Test
	void stdoutIsBoundedByTheCallsLogBudget() {
		assertThat(call("flood", "{\"count\":20}")).isEqualTo("{\"lines\":20}");
		assertThat(log.list.stream().filter((e) -> e.getLevel() == Level.INFO)).hasSize(10);
		assertThat(Fixtures.warnings(log)).singleElement().asString()
			.contains("plugin 'wasi02' exceeded its log budget of 1000 bytes");
	}

	@Test
	void stdoutOfAPluginWithoutTheLogCapabilityIsDropped() {
		try (LoadedPlugin silent = engine.load(Fixtures.core("wasi02", Set.of()))) {
			assertThat(silent.callTool("stdout", "{\"text\":\"quiet\"}").contentJson()).contains("\"ok\":true");
			assertThat(log.list).isEmpty();
		}
	}

	@Test
	void clocksTellTheTimeAndAShortPollableFires() {
		assertThat(call("clocks", "{}")).isEqualTo("{\"wall_ok\":true,\"mono_ok\":true}");
	}

	@Test
	void randomGivesTheBytesAskedFor() {
		assertThat(call("random", "{}")).isEqualTo("{\"bytes\":16,\"u64_differ\":true,\"seed_differ\":true}");
	}

	@Test
	void theEnvironmentArgumentsPreopensAndTerminalAreEmpty() {
		assertThat(call("env", "{}"))
			.isEqualTo("{\"env\":0,\"args\":0,\"cwd\":null,\"preopens\":0,\"terminal\":null}");
	}

	@Test
	void stdinIsAtItsEndHoweverMuchIsAskedFor() {
		assertThat(call("stdin", "{}")).isEqualTo("{\"closed\":true,\"bytes\":0}");
	}

	static Stream<Arguments> hostileTools() {
		return Stream.of(
				Arguments.of("bogus_handle", AbiViolationException.class,
						"handle 424242 passed as borrow<wasi:io/streams#output-stream> was never handed to this instance"),
				Arguments.of("double_drop", AbiViolationException.class,
						"passed as own<wasi:io/streams#output-stream> was dropped already"),
				Arguments.of("use_after_drop", AbiViolationException.class,
						"passed as borrow<wasi:io/streams#output-stream> was dropped already"),
				Arguments.of("wrong_type", AbiViolationException.class,
						"passed as borrow<wasi:io/streams#output-stream> is a wasi:io/poll#pollable"),
				Arguments.of("poll_empty", AbiViolationException.class, "wasi:io/poll poll was given no pollables"),
				Arguments.of("descriptor", AbiViolationException.class,
						"handle 3 passed as borrow<wasi:filesystem/types#descriptor> was never handed to this instance"),
				Arguments.of("random_huge", AbiViolationException.class,
						"get-random-bytes of 1099511627776 bytes exceeds the host's limit of 1048576 bytes per call"),
				Arguments.of("handles", AbiViolationException.class,
						"the guest holds 4096 resource handles, the most one instance may hold"),
				Arguments.of("exit", GuestTrapException.class, "plugin 'wasi02' called wasi:cli/exit exit(err)"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileTools")
	void hostileUseOfWasiFailsTheCallClearlyAndTheNextCallSucceeds(String tool, Class<? extends Throwable> type,
			String message) {
		assertThatThrownBy(() -> call(tool, "{}")).isInstanceOf(type)
			.hasMessageContaining("plugin 'wasi02'")
			.hasMessageContaining(message);
		assertThat(call("env", "{}")).startsWith("{\"env\":0");
	}

	@ParameterizedTest
	@org.junit.jupiter.params.provider.ValueSource(strings = { "never_fires", "poll_never" })
	void aPollableThatNeverFiresEndsAtTheCallsDeadline(String tool) {
		assertThatThrownBy(() -> call(tool, "{}")).isInstanceOfSatisfying(GuestTrapException.class,
				// the host's wait ends at the deadline (wasmtime) or the runtime's own deadline ends it first (Chicory)
				(ex) -> assertThat(ex.kind()).isEqualTo(TrapKind.DEADLINE))
			.hasMessageContaining("plugin 'wasi02'");
		assertThat(call("env", "{}")).startsWith("{\"env\":0");
	}

}
