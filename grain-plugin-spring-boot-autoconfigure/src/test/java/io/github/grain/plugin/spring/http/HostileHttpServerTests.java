package io.github.grain.plugin.spring.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.egress.HostileHttpServer;
import io.github.grain.plugin.egress.HostResolver;
import io.github.grain.plugin.egress.LocalListener;
import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.host.HttpGateway;
import io.github.grain.plugin.engine.host.JdkHttpGateway;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A guest's {@code http-get} against a server that never finishes its answer, through
 * each gateway and a real plugin: the call ends with {@code err(...)} from the size cap,
 * the gateway's timeout or the call's deadline, the gateway hangs up on the server, and
 * while the hostile exchange is held open other calls, from other threads, answer
 * correctly. And a guest granted every name ({@code http://*:*}) that spells a local
 * address the way some HTTP client reads as an address gets {@code err(...)} through each
 * gateway, with no connection made.
 */
class HostileHttpServerTests {

	private static final int CAP = 64 * 1024;

	private static final Duration SHORT = Duration.ofSeconds(1);

	private static final Duration LONG = Duration.ofSeconds(60);

	private HostileHttpServer server;

	private final ExecutorService callers = Executors.newFixedThreadPool(3);

	@BeforeEach
	void start() throws Exception {
		this.server = new HostileHttpServer();
	}

	@AfterEach
	void stop() throws Exception {
		this.callers.shutdownNow();
		this.server.close();
	}

	static Stream<Arguments> hostileAnswers() {
		return Stream.of(
				arguments(Gateway.JDK, "/endless", LONG, LONG, "the response from ORIGIN is larger than 65536 bytes", true),
				arguments(Gateway.WEB_CLIENT, "/endless", LONG, LONG,
						"the response from ORIGIN is larger than 65536 bytes", true),
				// JDK 17's client refuses the headers past its jdk.http.maxHeaderSize but does not
				// close that socket: the server is not told, so the hang-up is not asserted
				arguments(Gateway.JDK, "/huge-headers", LONG, LONG, "the request to ORIGIN failed \\(ProtocolException\\)",
						false),
				arguments(Gateway.WEB_CLIENT, "/huge-headers", LONG, LONG,
						"the response headers from ORIGIN are too large", true),
				arguments(Gateway.JDK, "/trickle", SHORT, LONG, "the request timed out after 1000 ms", true),
				arguments(Gateway.WEB_CLIENT, "/trickle", SHORT, LONG, "the request timed out after 1000 ms", true),
				arguments(Gateway.JDK, "/trickle", LONG, SHORT, "the request timed out after \\d{1,3} ms", true),
				arguments(Gateway.WEB_CLIENT, "/trickle", LONG, SHORT, "the request timed out after \\d{1,3} ms",
						true));
	}

	@ParameterizedTest(name = "{0} {1} (gateway timeout {2}, call deadline {3}): {4}")
	@MethodSource("hostileAnswers")
	void hostileAnswerEndsAsErrWhileOtherCallsKeepAnswering(Gateway kind, String path, Duration gatewayTimeout,
			Duration callTimeout, String expectedError, boolean hangsUp) throws Exception {
		HttpGateway gateway = kind.create(EgressPolicy.of(Map.of("v1-legacy", List.of(this.server.origin()))),
				gatewayTimeout);
		try (PluginEngine engine = new PluginEngine(
				Fixtures.options().withCallTimeout(callTimeout).withHttpGateway(gateway));
				LoadedPlugin fetching = engine.load(Fixtures.core("v1-legacy", Set.of(Capability.HTTP)));
				LoadedPlugin healthy = engine.load(Fixtures.core("v1-legacy", Set.of()))) {
			Future<Object> hostile = this.callers.submit(
					() -> callCatchingTraps(fetching, "http_get", "{\"url\":\"" + this.server.url(path) + "\"}"));
			try {
				hostileCallEndsAsErr(hostile, healthy, callTimeout, expectedError);
				if (hangsUp) {
					assertThat(this.server.awaitHangUp()).as("the gateway hung up on the server").isTrue();
				}
			}
			finally {
				// a hung call fails the test instead of hanging it: interrupting cancels the guest
				hostile.cancel(true);
			}
		}
		finally {
			if (gateway instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}
	}

	static Stream<Arguments> hostileHosts() {
		return Stream.of(Gateway.values())
			.flatMap((gateway) -> Stream.of("127.000.000.001", "127.0.0.01", "2130706433", "0", "0.0.0.0",
					"[::ffff:127.0.0.1]", "[::127.0.0.1]", "[::1%25lo]", "localhost.", "loopback.test")
				.map((host) -> arguments(gateway, host)));
	}

	@ParameterizedTest(name = "{0} gateway, host {1}")
	@MethodSource("hostileHosts")
	void hostileSpellingOfALocalAddressUnderAWildcardGrantIsErrAndNeverConnects(Gateway kind, String host)
			throws Exception {
		HttpGateway gateway = kind.create(EgressPolicy.of(Map.of("v1-legacy", List.of("http://*:*"))), LONG);
		try (LocalListener listener = new LocalListener();
				PluginEngine engine = new PluginEngine(Fixtures.options().withHttpGateway(gateway));
				LoadedPlugin fetching = engine.load(Fixtures.core("v1-legacy", Set.of(Capability.HTTP)))) {
			ToolCallResult result = fetching.callTool("http_get", "{\"url\":\"" + listener.url(host) + "\"}");
			assertThat(result.isError()).isTrue();
			assertThat(result.contentJson())
				.matches("\\{\"error\":\"(host '.*' is refused: .*|egress refused: the name .*|http://\\S+ is not in "
						+ "the HTTP allow-list of plugin 'v1-legacy'.*)\"}");
			assertThat(listener.newConnections()).as("connections to the listener").isZero();
		}
		finally {
			if (gateway instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}
	}

	private void hostileCallEndsAsErr(Future<Object> hostile, LoadedPlugin healthy, Duration callTimeout,
			String expectedError) throws Exception {
		assertThat(this.server.awaitHeld()).as("the server started answering").isTrue();
		List<CompletableFuture<List<String>>> echoes = new ArrayList<>();
		for (int thread = 0; thread < 2; thread++) {
			int id = thread;
			echoes.add(CompletableFuture.supplyAsync(() -> echo(healthy, id), this.callers));
		}
		for (int thread = 0; thread < 2; thread++) {
			assertThat(echoes.get(thread).get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(expectedEchoes(thread));
		}
		this.server.release();
		Object outcome = hostile.get(30, TimeUnit.SECONDS);
		String expected = expectedError.replace("ORIGIN", this.server.origin());
		if (outcome instanceof GuestTrapException trap) {
			// the deadline passed while the guest was in the host: it is stopped when it resumes
			assertThat(callTimeout).isEqualTo(SHORT);
			assertThat(trap.isDeadline()).as(trap.getMessage()).isTrue();
		}
		else {
			assertThat(outcome).isInstanceOfSatisfying(ToolCallResult.class, (result) -> {
				assertThat(result.isError()).isTrue();
				assertThat(result.contentJson()).matches("\\{\"error\":\"" + expected + "\"}");
			});
		}
		assertThat(healthy.callTool("echo", "{\"after\":true}").contentJson()).isEqualTo("{\"after\":true}");
	}

	private static Object callCatchingTraps(LoadedPlugin plugin, String tool, String args) {
		try {
			return plugin.callTool(tool, args);
		}
		catch (GuestTrapException ex) {
			return ex;
		}
	}

	private static List<String> echo(LoadedPlugin plugin, int thread) {
		List<String> answers = new ArrayList<>();
		for (String args : expectedEchoes(thread)) {
			answers.add(plugin.callTool("echo", args).contentJson());
		}
		return answers;
	}

	private static List<String> expectedEchoes(int thread) {
		return Stream.iterate(0, (i) -> i + 1).limit(10).map((i) -> "{\"t\":" + thread + ",\"i\":" + i + "}").toList();
	}

	enum Gateway {

		JDK((policy, timeout) -> new JdkHttpGateway(policy, timeout, CAP, 3)),

		WEB_CLIENT((policy, timeout) -> new WebClientHttpGateway(WebClient.builder(), policy, HostResolver.system(),
				timeout, DataSize.ofBytes(CAP), 3));

		private final BiFunction<EgressPolicy, Duration, HttpGateway> factory;

		Gateway(BiFunction<EgressPolicy, Duration, HttpGateway> factory) {
			this.factory = factory;
		}

		HttpGateway create(EgressPolicy policy, Duration timeout) {
			return this.factory.apply(policy, timeout);
		}

	}

}
