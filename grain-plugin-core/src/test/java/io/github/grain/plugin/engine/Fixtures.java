package io.github.grain.plugin.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * The committed guest fixtures (built by {@code plugins/build-fixtures.sh}).
 */
public final class Fixtures {

	private Fixtures() {
	}

	/**
	 * The runtime the engine suites run on: wasmtime unless the build sets
	 * {@code grain.test.runtime} (the autoconfigure module runs them a second time on Chicory).
	 */
	public static final WasmRuntimeKind RUNTIME = WasmRuntimeKind
		.valueOf(System.getProperty("grain.test.runtime", "wasmtime").toUpperCase(java.util.Locale.ROOT));

	/** The engine defaults, on the runtime under test. */
	public static PluginEngineOptions options() {
		return PluginEngineOptions.defaults().withRuntime(RUNTIME);
	}

	public static byte[] bytes(String path) {
		try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
			if (in == null) {
				throw new IllegalArgumentException("no fixture " + path);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static PluginSpec spec(String name, String path, Set<Capability> capabilities, Map<String, String> env) {
		return new PluginSpec(name, "fixtures/" + path, bytes(path), capabilities, env);
	}

	public static PluginSpec core(String fixture, Set<Capability> capabilities) {
		return spec(fixture, "core/" + fixture + ".wasm", capabilities, Map.of());
	}

	/**
	 * The SHA-256 of what the runtime compiles for a core fixture loaded with the default
	 * options (its memory maximum capped): the key of its compilation cache entry.
	 */
	public static String compiledSha256(String fixture) {
		byte[] compiled = io.github.grain.plugin.engine.module.MemoryLimiter.limit(fixture,
				bytes("core/" + fixture + ".wasm"), options().maxMemoryBytes());
		return io.github.grain.plugin.engine.runtime.Digests.sha256(compiled);
	}

	/** Load a core fixture and have its echo tool answer; whatever a cache holds, it must. */
	public static void loadAndCall(PluginEngine engine, String fixture) {
		try (LoadedPlugin plugin = engine.load(core(fixture, Set.of()))) {
			String args = "{\"from\":\"" + fixture + "\"}";
			org.assertj.core.api.Assertions.assertThat(plugin.callTool("echo", args).contentJson()).isEqualTo(args);
		}
	}

	/** The WARN messages a captured logger received. */
	public static java.util.List<String> warnings(ListAppender<ILoggingEvent> log) {
		return log.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	/** Route a logger's events, DEBUG and up, to a list instead of its appenders. */
	public static ListAppender<ILoggingEvent> captureLog(String loggerName) {
		Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
		logger.setLevel(Level.DEBUG);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.detachAndStopAllAppenders();
		logger.addAppender(appender);
		return appender;
	}

}
