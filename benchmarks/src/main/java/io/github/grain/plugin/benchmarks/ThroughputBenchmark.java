package io.github.grain.plugin.benchmarks;

import java.io.IOException;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fresh-instance tool calls per second on one plugin from one and from two threads
 * (the machine has two cores): how the engine scales when an agent runs tools in
 * parallel. The ratio {@code twoThreads / oneThread} is the figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ThroughputBenchmark {

	/** The runtime under test. */
	@Param({ "wasmtime", "chicory" })
	public String runtime;

	private PluginEngine engine;

	private LoadedPlugin plugin;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.engine = new PluginEngine(FreshInstanceCallBenchmark.options(this.runtime));
		this.plugin = this.engine.load(new PluginSpec("echo", "fixtures/core/v1-legacy.wasm",
				FreshInstanceCallBenchmark.fixture("core/v1-legacy.wasm"), Set.of(), Map.of()));
	}

	@Benchmark
	@Threads(1)
	public ToolCallResult oneThread() {
		return this.plugin.callTool("echo", FreshInstanceCallBenchmark.ARGS);
	}

	@Benchmark
	@Threads(2)
	public ToolCallResult twoThreads() {
		return this.plugin.callTool("echo", FreshInstanceCallBenchmark.ARGS);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.plugin.close();
		this.engine.close();
	}

}
