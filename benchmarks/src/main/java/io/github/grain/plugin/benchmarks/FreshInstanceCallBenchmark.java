package io.github.grain.plugin.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.PluginSpec;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A tool call as agents make it: a fresh instance, the reactor initialiser, {@code init},
 * {@code call-tool("echo", ~300 bytes of JSON)}, post-return, dispose; on each runtime.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FreshInstanceCallBenchmark {

	static final String ARGS = "{\"text\":\"" + "x".repeat(280) + "\",\"n\":1}";

	/** The runtime under test. */
	@Param({ "wasmtime", "chicory" })
	public String runtime;

	/** Fresh instances served by one pooled store before it is recycled (wasmtime only). */
	@Param({ "256" })
	public int instancesPerStore;

	private PluginEngine engine;

	private LoadedPlugin plugin;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.engine = new PluginEngine(options(this.runtime).withInstancesPerStore(this.instancesPerStore));
		this.plugin = this.engine.load(new PluginSpec("echo", "fixtures/core/v1-legacy.wasm",
				fixture("core/v1-legacy.wasm"), Set.of(), Map.of()));
		if (!this.plugin.callTool("echo", ARGS).contentJson().equals(ARGS)) {
			throw new IllegalStateException("echo did not echo");
		}
	}

	/** The engine defaults on the named runtime ({@code wasmtime} or {@code chicory}). */
	static PluginEngineOptions options(String runtime) {
		return PluginEngineOptions.defaults().withRuntime(WasmRuntimeKind.valueOf(runtime.toUpperCase(Locale.ROOT)));
	}

	/** Delete a temporary directory and everything in it. */
	static void deleteTree(java.nio.file.Path directory) {
		try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(directory)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	static byte[] fixture(String path) throws IOException {
		try (InputStream in = FreshInstanceCallBenchmark.class.getResourceAsStream("/fixtures/" + path)) {
			return in.readAllBytes();
		}
	}

	@Benchmark
	public ToolCallResult echoInFreshInstance() {
		return this.plugin.callTool("echo", ARGS);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.plugin.close();
		this.engine.close();
	}

}
