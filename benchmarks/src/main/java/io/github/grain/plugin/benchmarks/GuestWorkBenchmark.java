package io.github.grain.plugin.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginSpec;
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
 * Calls where the guest does real work, on each runtime: {@code bigResult} has the C
 * plugin fill and return 1 MB (guest memory writes, then the host lifts and validates
 * 1 MB of UTF-8); {@code javascriptEcho} is an echo call on the 12.5 MB componentize-js
 * plugin, whose fresh instance starts a JavaScript engine (SpiderMonkey) before it
 * answers: compute-heavy guest code. The JavaScript plugin is compiled in the trial's
 * setup (on Chicory that takes about a minute).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(1)
public class GuestWorkBenchmark {

	@Param({ "wasmtime", "chicory" })
	public String runtime;

	private Path cacheDirectory;

	private PluginEngine engine;

	private LoadedPlugin c;

	private LoadedPlugin javascript;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.cacheDirectory = Files.createTempDirectory("grain-work-bench");
		this.engine = new PluginEngine(FreshInstanceCallBenchmark.options(this.runtime)
			.withCallTimeout(Duration.ofSeconds(30))
			.withCompilationCache(this.cacheDirectory));
		this.c = this.engine.load(new PluginSpec("c", "v1-legacy.wasm",
				FreshInstanceCallBenchmark.fixture("core/v1-legacy.wasm"), Set.of(), Map.of()));
		this.javascript = this.engine.load(new PluginSpec("js", "js-plugin.wasm",
				FreshInstanceCallBenchmark.fixture("component/js-plugin.wasm"), Set.of(), Map.of()));
	}

	@Benchmark
	public ToolCallResult bigResult() {
		return this.c.callTool("big", "{\"size\":1000000}");
	}

	@Benchmark
	public ToolCallResult javascriptEcho() {
		return this.javascript.callTool("echo", FreshInstanceCallBenchmark.ARGS);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.javascript.close();
		this.c.close();
		this.engine.close();
		FreshInstanceCallBenchmark.deleteTree(this.cacheDirectory);
	}

}
