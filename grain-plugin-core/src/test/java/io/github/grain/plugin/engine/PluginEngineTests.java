package io.github.grain.plugin.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.engine.runtime.Digests;
import io.github.grain.plugin.engine.host.JdkHttpGateway;
import io.github.grain.plugin.engine.wit.PluginInfo;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import io.github.grain.plugin.engine.wit.WorldKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The v1 fixtures, both manglings, end to end through every host import.
 */
@Tag("runtime")
class PluginEngineTests {

	private static final Set<Capability> ALL = EnumSet.allOf(Capability.class);

	private static LoopbackHttpServer server;

	private static PluginEngine engine;

	@BeforeAll
	static void start() throws Exception {
		server = new LoopbackHttpServer();
		engine = new PluginEngine(Fixtures.options()
			.withHttpGateway(new JdkHttpGateway(EgressPolicy.of(Map.of("v1-legacy", List.of(server.origin()),
					"v1-standard", List.of(server.origin()))), Duration.ofSeconds(5), 1024 * 1024, 3)));
	}

	@AfterAll
	static void stop() {
		engine.close();
		server.close();
	}

	private static LoadedPlugin load(String fixture, Set<Capability> capabilities, Map<String, String> env) {
		return engine.load(Fixtures.spec(fixture, "core/" + fixture + ".wasm", capabilities, env));
	}

	@ParameterizedTest
	@ValueSource(strings = { "v1-legacy", "v1-standard" })
	void loadsV1PluginWithItsToolsInOrder(String fixture) {
		try (LoadedPlugin plugin = load(fixture, ALL, Map.of())) {
			assertThat(plugin.world()).isEqualTo(WorldKind.V1);
			assertThat(plugin.info()).isEqualTo(new PluginInfo("fixture-v1", "1.2.3"));
			assertThat(plugin.tools()).extracting("name")
				.containsExactly("echo", "log", "env", "http_get", "http_post", "wasi", "fail", "big");
			assertThat(plugin.tools().get(2).parametersJson()).contains("\"key\"");
			assertThat(plugin.sha256()).hasSize(64).isEqualTo(Digests.sha256(Fixtures.bytes("core/" + fixture + ".wasm")));
			assertThat(plugin.roles()).isEmpty();
			assertThat(plugin.hooks()).isEmpty();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "v1-legacy", "v1-standard" })
	void echoReturnsArgumentsVerbatim(String fixture) {
		try (LoadedPlugin plugin = load(fixture, Set.of(), Map.of())) {
			String args = "{\"text\":\"héllo ✓ \\\"quoted\\\"\",\"n\":" + "x".repeat(300).length() + "}";
			assertThat(plugin.callTool("echo", args)).isEqualTo(new ToolCallResult(args, false));
			assertThat(plugin.callTool("echo", "")).isEqualTo(new ToolCallResult("", false));
		}
	}

	@Test
	void unpairedSurrogatesReachTheGuestAsReplacementCharacters() {
		try (LoadedPlugin plugin = load("v1-legacy", Set.of(), Map.of())) {
			assertThat(plugin.callTool("echo", "{\"s\":\"a\ud800b\ud83d\ude00\"}").contentJson())
				.isEqualTo("{\"s\":\"a\ufffdb\ud83d\ude00\"}");
		}
	}

	@Test
	void errorResultsAndUnknownToolsComeBackAsErrorResults() {
		try (LoadedPlugin plugin = load("v1-legacy", Set.of(), Map.of())) {
			assertThat(plugin.callTool("fail", "{}"))
				.isEqualTo(new ToolCallResult("{\"message\":\"failed on request\"}", true));
			assertThat(plugin.callTool("nope", "{}"))
				.isEqualTo(new ToolCallResult("{\"error\":\"unknown tool: nope\"}", true));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "v1-legacy", "v1-standard" })
	void logGoesToThePluginLoggerOnlyWhenGranted(String fixture) {
		ListAppender<ILoggingEvent> appender = Fixtures.captureLog("grain.plugins.guest." + fixture);
		try (LoadedPlugin granted = load(fixture, Set.of(Capability.LOG), Map.of())) {
			assertThat(granted.callTool("log", "{}").contentJson()).isEqualTo("{\"logged\":4}");
			assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
				.containsExactly("debug message", "info message", "warn message", "error message");
			assertThat(appender.list).extracting(ILoggingEvent::getLevel)
				.containsExactly(Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR);
		}
		appender.list.clear();
		try (LoadedPlugin denied = load(fixture, Set.of(), Map.of())) {
			assertThat(denied.callTool("log", "{}").contentJson()).isEqualTo("{\"logged\":4}");
			assertThat(appender.list).isEmpty();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "v1-legacy", "v1-standard" })
	void envGetReadsOnlyThePluginsOwnValuesWhenGranted(String fixture) {
		Map<String, String> env = Map.of("API_KEY", "s3cr\"et");
		try (LoadedPlugin granted = load(fixture, Set.of(Capability.ENV), env);
				LoadedPlugin denied = load(fixture, Set.of(), env)) {
			assertThat(granted.callTool("env", "{\"key\":\"API_KEY\"}").contentJson())
				.isEqualTo("{\"key\":\"API_KEY\",\"value\":\"s3cr\\\"et\"}");
			assertThat(granted.callTool("env", "{\"key\":\"PATH\"}").contentJson())
				.as("the OS environment is never visible").isEqualTo("{\"key\":\"PATH\",\"value\":null}");
			assertThat(denied.callTool("env", "{\"key\":\"API_KEY\"}").contentJson())
				.isEqualTo("{\"key\":\"API_KEY\",\"value\":null}");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "v1-legacy", "v1-standard" })
	void httpGetAndPostReachALoopbackServerThroughTheGateway(String fixture) {
		try (LoadedPlugin plugin = load(fixture, Set.of(Capability.HTTP), Map.of())) {
			assertThat(plugin.callTool("http_get", "{\"url\":\"" + server.url("/echo") + "\"}"))
				.satisfies((result) -> {
					assertThat(result.isError()).isFalse();
					assertThat(result.contentJson()).contains("\"status\":200").contains("\"body\":\"GET \"")
						.contains("\"echo\":\"1\"");
				});
			assertThat(plugin.callTool("http_post",
					"{\"url\":\"" + server.url("/echo") + "\",\"body\":\"payload ✓\"}"))
				.satisfies((result) -> {
					assertThat(result.isError()).isFalse();
					assertThat(result.contentJson()).contains("\"body\":\"POST payload ✓\"");
				});
			assertThat(plugin.callTool("http_get", "{\"url\":\"" + server.url("/status/404") + "\"}").contentJson())
				.contains("\"status\":404");
		}
	}

	@Test
	@org.junit.jupiter.api.Timeout(20)
	void timeSpentInHttpCountsAgainstTheCallDeadline() {
		try (PluginEngine strict = new PluginEngine(Fixtures.options()
			.withCallTimeout(Duration.ofMillis(500))
			.withHttpGateway(new JdkHttpGateway(EgressPolicy.of(Map.of("v1-legacy", List.of(server.origin()))),
					Duration.ofSeconds(120), 1024, 3)));
				LoadedPlugin plugin = strict.load(Fixtures.core("v1-legacy", Set.of(Capability.HTTP)))) {
			// The gateway answers within what is left of the 500 ms call, not its own 120 s: the guest
			// either gets err(timed out) and returns, or is interrupted when it resumes.
			try {
				ToolCallResult result = plugin.callTool("http_get", "{\"url\":\"" + server.url("/stall") + "\"}");
				assertThat(result.isError()).isTrue();
				assertThat(result.contentJson()).matches("\\{\"error\":\"the request timed out after [0-4]\\d{0,2} ms\"}");
			}
			catch (GuestTrapException ex) {
				assertThat(ex.isDeadline()).isTrue();
			}
			assertThat(plugin.callTool("echo", "{}").contentJson()).isEqualTo("{}");
		}
	}

	@Test
	void interruptingTheCallersThreadStopsAGuestWaitingOnTheHost() throws Exception {
		try (PluginEngine patient = new PluginEngine(Fixtures.options()
			.withCallTimeout(Duration.ofSeconds(60))
			.withHttpGateway(new JdkHttpGateway(EgressPolicy.of(Map.of("v1-legacy", List.of(server.origin()))),
					Duration.ofSeconds(120), 1024, 3)));
				LoadedPlugin plugin = patient.load(Fixtures.core("v1-legacy", Set.of(Capability.HTTP)))) {
			java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
			Thread caller = new Thread(() -> {
				try {
					outcome.set(plugin.callTool("http_get", "{\"url\":\"" + server.url("/stall") + "\"}"));
				}
				catch (RuntimeException ex) {
					outcome.set(ex);
				}
			});
			caller.start();
			Thread.sleep(300);
			long cancelledAt = System.nanoTime();
			caller.interrupt();
			caller.join(Duration.ofSeconds(10).toMillis());
			// Far from the 60 s deadline: the cancellation, not the deadline, ended the call; and
			// the guest did not go on with an err from the host, it was stopped.
			assertThat(caller.isAlive()).isFalse();
			assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(10));
			assertThat(outcome.get()).isInstanceOfSatisfying(GuestTrapException.class, (ex) -> {
				assertThat(ex.isCancellation()).isTrue();
				assertThat(ex.isDeadline()).isFalse();
				assertThat(ex).hasMessageContaining("plugin 'v1-legacy' call was cancelled");
			});
			assertThat(plugin.callTool("echo", "{}").contentJson()).isEqualTo("{}");
		}
	}

	@Test
	void aCallOnAnInterruptedThreadIsRefusedAsCancelledAndLeavesTheInterrupt() {
		try (LoadedPlugin plugin = load("v1-legacy", ALL, Map.of())) {
			Thread.currentThread().interrupt();
			try {
				assertThatThrownBy(() -> plugin.callTool("echo", "{}")).isInstanceOfSatisfying(GuestTrapException.class,
						(ex) -> {
							assertThat(ex.isCancellation()).isTrue();
							assertThat(ex).hasMessageContaining("plugin 'v1-legacy' call was cancelled");
						});
				assertThat(Thread.currentThread().isInterrupted()).isTrue();
			}
			finally {
				Thread.interrupted();
			}
			assertThat(plugin.callTool("echo", "{}").contentJson()).isEqualTo("{}");
		}
	}

	@Test
	void httpFailuresReachTheGuestAsErr() {
		try (LoadedPlugin granted = load("v1-legacy", Set.of(Capability.HTTP), Map.of());
				LoadedPlugin denied = load("v1-legacy", Set.of(), Map.of())) {
			assertThat(denied.callTool("http_get", "{\"url\":\"" + server.url("/echo") + "\"}"))
				.isEqualTo(new ToolCallResult("{\"error\":\"http capability not granted\"}", true));
			assertThat(granted.callTool("http_get", "{\"url\":\"http://example.invalid/\"}"))
				.isEqualTo(new ToolCallResult(
						"{\"error\":\"http://example.invalid:80 is not in the HTTP allow-list of plugin 'v1-legacy'\"}",
						true));
			assertThat(granted.callTool("http_get", "{\"url\":\"not a url\"}").isError()).isTrue();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "v1-legacy", "v1-standard" })
	void wasiPreview1GivesStdoutClockRandomAndAnEmptyEnvironmentEvenWithEnvGranted(String fixture) {
		ListAppender<ILoggingEvent> appender = Fixtures.captureLog("grain.plugins.guest." + fixture);
		try (LoadedPlugin plugin = load(fixture, Set.of(Capability.LOG, Capability.ENV),
				Map.of("GRAIN_WASI_ENV", "given"))) {
			assertThat(plugin.callTool("wasi", "{}").contentJson())
				.as("getenv reads environ_get, which is empty")
				.isEqualTo("{\"clock_ok\":true,\"random_ok\":true,\"wasi_env\":\"\"}");
			assertThat(plugin.callTool("env", "{\"key\":\"GRAIN_WASI_ENV\"}").contentJson())
				.as("env-get reads the configured value").isEqualTo("{\"key\":\"GRAIN_WASI_ENV\",\"value\":\"given\"}");
			assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
				.containsExactly("stdout line", "stderr line");
		}
		try (LoadedPlugin plugin = load(fixture, Set.of(), Map.of("GRAIN_WASI_ENV", "given"))) {
			assertThat(plugin.callTool("wasi", "{}").contentJson()).contains("\"wasi_env\":\"\"");
		}
	}

	@Test
	void filesystemCallsAreAnsweredWithAnErrnoNotATrap() {
		try (LoadedPlugin plugin = load("wasi-extra", ALL, Map.of())) {
			ToolCallResult result = plugin.callTool("files", "{}");
			assertThat(result.isError()).isFalse();
			assertThat(result.contentJson()).contains("\"fopen\":null");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "v1-legacy", "v1-standard" })
	void initErrAbortsLoadingWithThePluginsMessage(String fixture) {
		assertThatThrownBy(() -> load(fixture, Set.of(Capability.ENV), Map.of("GRAIN_FAIL_INIT", "1")))
			.isInstanceOf(PluginInitException.class)
			.hasMessage("plugin '" + fixture + "' init returned err: init failed on request");
	}

	@Test
	void largeResultsWithinTheCapArriveIntact() {
		try (LoadedPlugin plugin = load("v1-legacy", Set.of(), Map.of())) {
			String content = plugin.callTool("big", "{\"size\":1000000}").contentJson();
			assertThat(content).hasSize(1_000_002).startsWith("\"aaa").endsWith("aa\"");
		}
	}

	@Test
	void everyCallRunsInAFreshInstanceAcrossStoreRecycling() {
		try (PluginEngine small = new PluginEngine(Fixtures.options().withInstancesPerStore(2));
				LoadedPlugin plugin = small.load(Fixtures.core("v1-legacy", Set.of()))) {
			for (int i = 0; i < 25; i++) {
				assertThat(plugin.callTool("echo", "{\"i\":" + i + "}").contentJson()).isEqualTo("{\"i\":" + i + "}");
			}
		}
	}

	@Test
	void callsFromManyThreadsAreIndependent() throws Exception {
		try (LoadedPlugin plugin = load("v1-legacy", Set.of(), Map.of())) {
			List<Thread> threads = new java.util.ArrayList<>();
			java.util.concurrent.ConcurrentLinkedQueue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
			for (int t = 0; t < 4; t++) {
				int id = t;
				threads.add(new Thread(() -> {
					for (int i = 0; i < 100; i++) {
						String args = "{\"t\":" + id + ",\"i\":" + i + "}";
						String got = plugin.callTool("echo", args).contentJson();
						if (!got.equals(args)) {
							failures.add(got);
						}
					}
				}));
			}
			threads.forEach(Thread::start);
			for (Thread thread : threads) {
				thread.join();
			}
			assertThat(failures).isEmpty();
		}
	}

	@Test
	void unknownCapabilityNamesAreRejected() {
		assertThatThrownBy(() -> Capability.fromWireName("filesystem", "plugin 'x'"))
			.isInstanceOf(InvalidPluginException.class)
			.hasMessage("plugin 'x': unknown capability 'filesystem' (known: log, env, http, role-orchestration)");
	}

}
