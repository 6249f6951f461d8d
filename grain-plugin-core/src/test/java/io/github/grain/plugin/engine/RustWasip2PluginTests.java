package io.github.grain.plugin.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Tag;

/**
 * A plugin shaped like a Rust {@code wasm32-wasip2} std build ({@code rust_wasip2.c}: its main
 * module imports {@code wasi:cli/environment}, {@code exit}, stdio, {@code io/error},
 * {@code io/streams}, {@code clocks/wall-clock}, {@code filesystem/types} and
 * {@code preopens} at {@code @0.2.0}, and reads arguments, environment and preopens at
 * start-up), as a component wrapped with the WASI 0.2.12 WIT and as the bare core module:
 * both load and answer the same way.
 */
@Tag("runtime")
class RustWasip2PluginTests {

	private static final String PLUGIN = "rust-wasip2";

	private static PluginEngine engine;

	private static ListAppender<ILoggingEvent> log;

	@BeforeAll
	static void start() {
		log = Fixtures.captureLog("grain.plugins.guest." + PLUGIN);
		engine = new PluginEngine(Fixtures.options());
	}

	@AfterAll
	static void stop() {
		engine.close();
	}

	@BeforeEach
	void clearLog() {
		log.list.clear();
	}

	private static LoadedPlugin load(String path) {
		return engine.load(Fixtures.spec(PLUGIN, path, EnumSet.of(Capability.LOG, Capability.ENV), Map.of("K", "v")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "component/rust-wasip2.wasm", "core/rust-wasip2.wasm" })
	void itLoadsAndPrintsToThePluginLogSeeingNoArgumentsEnvironmentOrPreopens(String path) {
		try (LoadedPlugin plugin = load(path)) {
			assertThat(plugin.info().name()).isEqualTo("rust-wasip2");
			assertThat(plugin.tools()).extracting("name").containsExactly("hello", "open", "exit");
			assertThat(plugin.callTool("hello", "{\"name\":\"ferris\"}").contentJson()).isEqualTo(
					"{\"greeted\":\"ferris\",\"args\":0,\"env\":0,\"preopens\":0,\"time_ok\":true,\"stdin_closed\":true}");
			assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
				.containsExactly("hello, ferris", "note: ferris");
			assertThat(log.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.WARN);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "component/rust-wasip2.wasm", "core/rust-wasip2.wasm" })
	void aFileOpenWithoutPreopensAndProcessExitFailOnlyThatCall(String path) {
		try (LoadedPlugin plugin = load(path)) {
			assertThatThrownBy(() -> plugin.callTool("open", "{}")).isInstanceOf(AbiViolationException.class)
				.hasMessageContaining("plugin 'rust-wasip2'")
				.hasMessageContaining("handle 3 passed as borrow<wasi:filesystem/types#descriptor> was never handed to this instance");
			assertThatThrownBy(() -> plugin.callTool("exit", "{\"code\":0}")).isInstanceOf(GuestTrapException.class)
				.hasMessageContaining("plugin 'rust-wasip2' called wasi:cli/exit exit(ok)");
			assertThatThrownBy(() -> plugin.callTool("exit", "{\"code\":1}")).isInstanceOf(GuestTrapException.class)
				.hasMessageContaining("plugin 'rust-wasip2' called wasi:cli/exit exit(err)");
			assertThat(plugin.callTool("hello", "{}").contentJson()).startsWith("{\"greeted\":\"world\",");
		}
	}

}
