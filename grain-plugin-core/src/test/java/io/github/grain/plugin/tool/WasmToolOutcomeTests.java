package io.github.grain.plugin.tool;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.LoopbackHttpServer;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.host.JdkHttpGateway;
import io.github.grain.plugin.engine.wit.ToolDef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What stops a real guest reaches the {@link ToolCallObserver} as the call's outcome,
 * though the caller only ever sees an error result: a trap, an ABI violation, a passed
 * deadline, a plugin with no room for another call, a cancelled call.
 */
@Tag("runtime")
class WasmToolOutcomeTests {

	private static final Set<Capability> ALL = EnumSet.allOf(Capability.class);

	private static final ObjectMapper mapper = ToolJson.newMapper();

	private static LoopbackHttpServer server;

	private static PluginEngine engine;

	private final RecordingToolCallObserver observer = new RecordingToolCallObserver();

	private final DefaultToolRegistry registry = DefaultToolRegistry.builder().observer(this.observer).build();

	@BeforeAll
	static void loadPlugins() throws Exception {
		server = new LoopbackHttpServer();
		engine = new PluginEngine(Fixtures.options()
			.withCallTimeout(Duration.ofMillis(500))
			.withMaxConcurrentCallsPerPlugin(1)
			// a call finding no free slot is refused at once (BusyPluginTests covers the wait)
			.withBusyWait(Duration.ZERO)
			.withHttpGateway(new JdkHttpGateway(EgressPolicy.of(Map.of("v1-legacy", List.of(server.origin()))),
					Duration.ofSeconds(30), 1024, 0)));
	}

	@AfterAll
	static void close() {
		engine.close();
		server.close();
	}

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@Test
	void aGuestsAnswerIsSuccessOrErrorAsItsResultSays() {
		register(engine.load(Fixtures.core("v1-legacy", ALL)));
		assertThat(this.registry.call("echo", "{\"a\":1}").isError()).isFalse();
		assertThat(this.registry.call("fail", "{}").isError()).isTrue();
		assertThat(this.observer.calls()).extracting((call) -> call.source + " " + call.tool + "=" + call.outcome())
			.containsExactly("wasm:v1-legacy echo=SUCCESS", "wasm:v1-legacy fail=ERROR");
	}

	@Test
	void aTrapAnAbiViolationAndAPassedDeadlineAreTrapTrapAndTimeout() {
		register(engine.load(Fixtures.core("hostile", ALL)));
		for (String tool : new String[] { "trap", "bad_ptr", "loop", "ok" }) {
			assertThat(this.registry.call(tool, "{}").isError()).as(tool).isEqualTo(!tool.equals("ok"));
		}
		assertThat(this.observer.calls()).extracting((call) -> call.tool + "=" + call.outcome())
			.containsExactly("trap=TRAP", "bad_ptr=TRAP", "loop=TIMEOUT", "ok=SUCCESS");
	}

	@Test
	void aPluginWithNoRoomForAnotherCallIsBusyAndACancelledCallIsCancelled() throws Exception {
		// a deadline the stalled request cannot reach while the test looks
		LoadedPlugin plugin = engine.load(Fixtures.core("v1-legacy", ALL).withLimits(Duration.ofSeconds(60), null));
		register(plugin);
		CompletableFuture<ToolResult> stalled = this.registry.callAsync("http_get",
				"{\"url\":\"" + server.url("/stall") + "\"}");
		assertThat(server.awaitStalled(Duration.ofSeconds(10))).isTrue();
		ToolResult refused = this.registry.call("echo", "{}");
		assertThat(refused.content().get("error").asText()).contains("plugin 'v1-legacy' is busy");
		assertThat(refused.content().get("retryAfterMs").asLong()).isPositive();
		assertThat(stalled.cancel(true)).isTrue();
		assertThat(this.observer.calls()).extracting((call) -> call.tool + "=" + call.outcome())
			.containsExactly("http_get=CANCELLED", "echo=BUSY");
		// once the cancelled guest has stopped, its slot is free again
		this.registry.close();
		assertThat(plugin.callTool("echo", "{}").isError()).isFalse();
	}

	private void register(LoadedPlugin plugin) {
		for (ToolDef tool : plugin.tools()) {
			this.registry.register(new WasmTool(plugin, tool, true, mapper));
		}
	}

}
