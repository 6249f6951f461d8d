package io.github.grain.plugin.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.engine.host.JdkHttpGateway;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A JavaScript plugin built with componentize-js defaults ({@code guests/js-wasi/plugin.js}):
 * its main module imports WASI 0.2 directly, {@code wasi:http} included, and it loads and
 * answers: console output reaches the plugin log, {@code Date.now()} and
 * {@code Math.random()} work, {@code env-get} reads the plugin's env, and {@code fetch}
 * goes through the same gateway and egress policy as {@code http-get}.
 */
@Tag("runtime")
class JavaScriptWasiPluginTests {

	private static final String PLUGIN = "js-wasi";

	private static LoopbackHttpServer allowed;

	private static LoopbackHttpServer refused;

	private static PluginEngine engine;

	private static LoadedPlugin plugin;

	private static ListAppender<ILoggingEvent> guestLog;

	private static ListAppender<ILoggingEvent> hostLog;

	@BeforeAll
	static void start() throws Exception {
		guestLog = Fixtures.captureLog("grain.plugins.guest." + PLUGIN);
		hostLog = Fixtures.captureLog("io.github.grain.plugin.engine.host.WasiHttp");
		allowed = new LoopbackHttpServer();
		refused = new LoopbackHttpServer();
		JdkHttpGateway gateway = new JdkHttpGateway(EgressPolicy.of(Map.of(PLUGIN, List.of(allowed.origin()))),
				Duration.ofSeconds(30), 1024 * 1024, 3);
		engine = new PluginEngine(Fixtures.options().withHttpGateway(gateway).withCallTimeout(Duration.ofSeconds(60)));
		plugin = engine.load(Fixtures.spec(PLUGIN, "component/js-wasi-plugin.wasm",
				EnumSet.of(Capability.LOG, Capability.ENV, Capability.HTTP), Map.of("K", "from-host")));
	}

	@AfterAll
	static void stop() {
		engine.close();
		allowed.close();
		refused.close();
	}

	@BeforeEach
	void clearLogs() {
		guestLog.list.clear();
		hostLog.list.clear();
	}

	@Test
	void itLoadsWithItsTools() {
		assertThat(plugin.info().name()).isEqualTo("fixture-js-wasi");
		assertThat(plugin.tools()).extracting("name")
			.containsExactly("console", "flood", "clock", "random", "fetch", "env");
	}

	@Test
	void consoleLogAndErrorReachThePluginLog() {
		assertThat(plugin.callTool("console", "{\"text\":\"hello js\"}").contentJson()).isEqualTo("{\"written\":2}");
		assertThat(guestLog.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly("hello js", "error: hello js");
		assertThat(guestLog.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.WARN);
	}

	@Test
	void dateNowTellsTheTime() {
		assertThat(plugin.callTool("clock", "{}").contentJson()).startsWith("{\"wallOk\":true,");
	}

	@Test
	void mathRandomDrawsDistinctNumbersInRange() {
		assertThat(plugin.callTool("random", "{\"count\":16}").contentJson())
			.isEqualTo("{\"count\":16,\"inRange\":true,\"distinct\":16}");
	}

	@Test
	void envGetReadsThePluginsEnv() {
		assertThat(plugin.callTool("env", "{\"key\":\"K\"}").contentJson())
			.isEqualTo("{\"key\":\"K\",\"value\":\"from-host\"}");
	}

	@Test
	void fetchGetsFromAnAllowedOrigin() {
		assertThat(plugin.callTool("fetch", "{\"url\":\"" + allowed.url("/echo") + "\"}"))
			.isEqualTo(new ToolCallResult("{\"status\":200,\"echo\":\"1\",\"body\":\"GET \"}", false));
	}

	@Test
	void fetchPostsItsBody() {
		assertThat(plugin.callTool("fetch", "{\"url\":\"" + allowed.url("/echo") + "\",\"body\":\"hi there\"}"))
			.isEqualTo(new ToolCallResult("{\"status\":200,\"echo\":\"1\",\"body\":\"POST hi there\"}", false));
	}

	@Test
	void fetchOfARefusedDestinationFailsInTheGuestWithoutAConnection() {
		int before = refused.requests();
		ToolCallResult result = plugin.callTool("fetch", "{\"url\":\"" + refused.url("/echo") + "\"}");
		assertThat(result.isError()).isTrue();
		assertThat(result.contentJson()).startsWith("{\"error\":");
		assertThat(refused.requests()).isEqualTo(before);
		assertThat(hostLog.list).extracting(ILoggingEvent::getFormattedMessage)
			.singleElement()
			.asString()
			.startsWith("wasi:http request of plugin 'js-wasi' refused: ");
		assertThat(plugin.callTool("fetch", "{\"url\":\"" + allowed.url("/echo") + "\"}").isError()).isFalse();
	}

	@Test
	void fetchWithoutTheHttpCapabilityIsRefusedWithoutAConnection() {
		int before = allowed.requests();
		try (LoadedPlugin denied = engine.load(Fixtures.spec(PLUGIN, "component/js-wasi-plugin.wasm",
				Set.of(Capability.LOG), Map.of()))) {
			ToolCallResult result = denied.callTool("fetch", "{\"url\":\"" + allowed.url("/echo") + "\"}");
			assertThat(result.isError()).isTrue();
		}
		assertThat(allowed.requests()).isEqualTo(before);
		assertThat(hostLog.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly("wasi:http request of plugin 'js-wasi' refused: http capability not granted");
	}

}
