package io.github.grain.plugin.tool;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.host.JdkHttpGateway;
import io.github.grain.plugin.engine.wit.ToolDef;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin's limit on calls in flight, through the registry, with real guests on real
 * threads: calls beyond it wait their turn, the wait holds none of the registry's threads
 * (a plugin stuck in guest loops leaves the others answering), and a call that waited as
 * long as it may gets a busy result saying when to come back. Calls are held in flight by
 * a loopback HTTP server that answers only when the test opens its gate, or by a guest
 * loop that only its deadline ends; nothing here measures time.
 */
@Tag("runtime")
@Timeout(120)
class BusyPluginTests {

	private static final ObjectMapper mapper = ToolJson.newMapper();

	private final GatedServer server = new GatedServer();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private @Nullable DefaultToolRegistry registry;

	BusyPluginTests() throws IOException {
	}

	@BeforeEach
	void register() {
		this.resources.add(this.server);
	}

	@AfterEach
	void close() throws Exception {
		this.server.open();
		if (this.registry != null) {
			this.registry.close();
		}
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void callsBeyondThePluginsLimitWaitTheirTurnAndAllSucceed() throws Exception {
		LoadedPlugin plugin = load(options().withMaxConcurrentCallsPerPlugin(2), "v1-legacy");
		this.registry = registry(4, plugin);
		List<CompletableFuture<ToolResult>> calls = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			calls.add(this.registry.callAsync("http_get", this.server.gateArguments()));
		}
		ExecutorService callers = Executors.newFixedThreadPool(2);
		try {
			for (int i = 0; i < 2; i++) {
				calls.add(CompletableFuture.supplyAsync(
						() -> this.registry.call("http_get", this.server.gateArguments()), callers));
			}
			awaitState(() -> this.server.inFlight() == 2 && plugin.permits().waiting() == 6, calls);
			this.server.open();
			for (CompletableFuture<ToolResult> call : calls) {
				ToolResult result = call.get();
				assertThat(result.isError()).as(result.toString()).isFalse();
				assertThat(result.content().get("status").asInt()).isEqualTo(200);
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(this.server.mostAtOnce()).isEqualTo(2);
		assertThat(plugin.permits().inFlight()).isZero();
	}

	@Test
	void callersOfTheEngineItselfWaitTheirTurnToo() throws Exception {
		LoadedPlugin plugin = load(options().withMaxConcurrentCallsPerPlugin(1), "v1-legacy");
		ExecutorService callers = Executors.newFixedThreadPool(4);
		try {
			List<CompletableFuture<String>> calls = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				calls.add(CompletableFuture.supplyAsync(
						() -> plugin.callTool("http_get", this.server.gateArguments()).contentJson(), callers));
			}
			awaitState(() -> this.server.inFlight() == 1 && plugin.permits().waiting() == 3, calls);
			this.server.open();
			for (CompletableFuture<String> call : calls) {
				assertThat(call.get()).startsWith("{\"status\":200,");
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(this.server.mostAtOnce()).isEqualTo(1);
	}

	@Test
	void aPluginStuckInGuestLoopsLeavesAnotherPluginAndBeanToolsAnswering() throws Exception {
		PluginEngineOptions options = options().withMaxConcurrentCallsPerPlugin(1).withCallTimeout(Duration.ofSeconds(10));
		LoadedPlugin looping = load(options, "hostile");
		LoadedPlugin other = load(options, "v1-legacy");
		// two threads: the looping plugin may take one of them, never both
		this.registry = registry(2, looping, other);
		this.registry.register(new DefaultToolRegistryTests.EchoTool("bean_echo", true));
		List<CompletableFuture<ToolResult>> loops = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			loops.add(this.registry.callAsync("loop", "{}"));
		}
		awaitState(() -> looping.permits().inFlight() == 1, loops);

		assertThat(this.registry.callAsync("bean_echo", "{\"text\":\"async\"}").get().content().get("text").asText())
			.isEqualTo("async");
		assertThat(this.registry.callAsync("echo", "{\"n\":1}").get().content()).isEqualTo(mapper.readTree("{\"n\":1}"));
		assertThat(this.registry.call("bean_echo", "{\"text\":\"sync\"}").content().get("text").asText())
			.isEqualTo("sync");
		assertThat(this.registry.call("echo", "{\"n\":2}").content()).isEqualTo(mapper.readTree("{\"n\":2}"));
		// all of that while every looping call was still in flight or waiting (on no thread)
		assertThat(loops).noneMatch(CompletableFuture::isDone);
		assertThat(looping.permits().waiting()).isEqualTo(3);

		ToolResult first = loops.get(0).get();
		assertThat(first.isError()).isTrue();
		assertThat(first.content().get("error").asText()).contains("ran past its deadline");
		for (CompletableFuture<ToolResult> waited : loops.subList(1, 4)) {
			// each waited until its own deadline: refused as busy, or given the slot with nothing left to run
			ToolResult result = waited.get();
			assertThat(result.isError()).isTrue();
			assertThat(result.content().get("error").asText()).containsAnyOf("is busy", "ran past its deadline");
		}
		assertThat(this.registry.call("ok", "{}").isError()).isFalse();
	}

	@Test
	void aCallThatWaitedAsLongAsItMayGetsABusyResultSayingWhenToRetry() throws Exception {
		LoadedPlugin plugin = load(options().withMaxConcurrentCallsPerPlugin(1)
			.withMaxWaitingCallsPerPlugin(1)
			.withBusyWait(Duration.ofMillis(100)), "v1-legacy");
		this.registry = registry(4, plugin);
		CompletableFuture<ToolResult> holding = this.registry.callAsync("http_get", this.server.gateArguments());
		awaitState(() -> this.server.inFlight() == 1, List.of(holding));

		ToolResult waitedOut = this.registry.call("echo", "{}");
		assertThat(waitedOut.isError()).isTrue();
		assertThat(waitedOut.content().get("error").asText())
			.startsWith("plugin 'v1-legacy' is busy: no call slot freed within ")
			.contains(" ms (1 calls in flight, its limit, and 0 more waiting); retry after ");
		assertThat(waitedOut.content().get("retryAfterMs").asLong()).isPositive();
		assertThat(waitedOut.content().get("error").asText())
			.endsWith("retry after " + waitedOut.content().get("retryAfterMs").asLong() + " ms");

		CompletableFuture<ToolResult> waiting = this.registry.callAsync("echo", "{}");
		awaitState(() -> plugin.permits().waiting() == 1, List.of(holding, waiting));
		ToolResult lineFull = this.registry.callAsync("echo", "{}").get();
		assertThat(lineFull.content().get("error").asText())
			.startsWith("plugin 'v1-legacy' is busy: its 1 calls in flight and 1 waiting are its limits; retry after ");
		assertThat(waiting.get().content().get("error").asText()).contains("is busy");

		this.server.open();
		assertThat(holding.get().content().get("status").asInt()).isEqualTo(200);
		assertThat(this.registry.call("echo", "{\"after\":true}").content()).isEqualTo(mapper.readTree("{\"after\":true}"));
		assertThat(plugin.permits().inFlight()).isZero();
	}

	private PluginEngineOptions options() {
		return Fixtures.options()
			.withCallTimeout(Duration.ofSeconds(60))
			.withHttpGateway(new JdkHttpGateway(EgressPolicy.of(Map.of("v1-legacy", List.of(this.server.origin()))),
					Duration.ofSeconds(60), 1024, 0));
	}

	private LoadedPlugin load(PluginEngineOptions options, String fixture) {
		PluginEngine engine = new PluginEngine(options);
		this.resources.add(engine);
		return engine.load(Fixtures.core(fixture, EnumSet.allOf(Capability.class)));
	}

	private static DefaultToolRegistry registry(int threads, LoadedPlugin... plugins) {
		DefaultToolRegistry registry = DefaultToolRegistry.builder()
			.executor(DefaultToolRegistry.newExecutor(threads, 64))
			.build();
		for (LoadedPlugin plugin : plugins) {
			for (ToolDef tool : plugin.tools()) {
				registry.register(new WasmTool(plugin, tool, true, mapper));
			}
		}
		return registry;
	}

	/**
	 * Wait for a state the calls reach on their own (no time is measured); none of them may
	 * end before it (a call refused instead of waiting would).
	 */
	private static void awaitState(BooleanSupplier state, List<? extends CompletableFuture<?>> calls)
			throws InterruptedException {
		while (!state.getAsBoolean()) {
			for (CompletableFuture<?> call : calls) {
				assertThat(call).as("a call that should be in flight or waiting").isNotDone();
			}
			Thread.sleep(1);
		}
	}

	/** Answers {@code /gate} only once the test opens the gate; counts requests in flight. */
	static final class GatedServer implements AutoCloseable {

		private final HttpServer server;

		private final ExecutorService executor = Executors.newCachedThreadPool();

		private final CountDownLatch gate = new CountDownLatch(1);

		private final AtomicInteger inFlight = new AtomicInteger();

		private final AtomicInteger mostAtOnce = new AtomicInteger();

		GatedServer() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			this.server.createContext("/gate", (exchange) -> {
				this.mostAtOnce.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
				try {
					this.gate.await(100, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				this.inFlight.decrementAndGet();
				byte[] body = "open".getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			this.server.setExecutor(this.executor);
			this.server.start();
		}

		String origin() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort();
		}

		String gateArguments() {
			return "{\"url\":\"" + origin() + "/gate\"}";
		}

		int inFlight() {
			return this.inFlight.get();
		}

		int mostAtOnce() {
			return this.mostAtOnce.get();
		}

		void open() {
			this.gate.countDown();
		}

		@Override
		public void close() {
			this.server.stop(0);
			this.executor.shutdownNow();
		}

	}

}
