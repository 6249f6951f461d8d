package io.github.grain.plugin.benchmarks;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.grain.plugin.engine.Capability;
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
 * What a WASI 0.2 plugin costs per fresh-instance tool call, next to its counterpart
 * without WASI 0.2, on each runtime:
 * <ul>
 * <li>{@code js-disable-all} / {@code js-wasi}: {@code env} ({@code env-get}, JSON in and
 * out) on the componentize-js plugin built with {@code --disable all} and on the one built
 * with defaults (WASI 0.2 and {@code wasi:http} imports, its start-up through them). Same
 * guest work; the difference is what the default build does per instance.</li>
 * <li>{@code c-v1}: {@code echo} (~300 B) on the v1 C fixture (preview1, the baseline of
 * {@link FreshInstanceCallBenchmark}); {@code c-wasi02}: {@code env} on the C wasi02 fixture
 * (five WASI 0.2 imports: environment, arguments, cwd, preopens, terminal);
 * {@code c-rust-wasip2}: {@code hello} on the Rust-std-shaped component (start-up reads
 * arguments, environment and preopens; the call writes stdout and stderr through streams,
 * reads the clock and stdin).</li>
 * </ul>
 * No capabilities are granted, so stdout / stderr lines are dropped, not logged.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WasiPreview2CallBenchmark {

	@Param({ "wasmtime", "chicory" })
	public String runtime;

	@Param({ "c-v1", "c-wasi02", "c-rust-wasip2", "js-disable-all", "js-wasi" })
	public String plugin;

	private PluginEngine engine;

	private LoadedPlugin loaded;

	private String tool;

	private String args;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		String path;
		String expected;
		switch (this.plugin) {
			case "c-v1" -> {
				path = "core/v1-legacy.wasm";
				this.tool = "echo";
				this.args = FreshInstanceCallBenchmark.ARGS;
				expected = this.args;
			}
			case "c-wasi02" -> {
				path = "core/wasi02.wasm";
				this.tool = "env";
				this.args = "{}";
				expected = "{\"env\":0,\"args\":0,\"cwd\":null,\"preopens\":0,\"terminal\":null}";
			}
			case "c-rust-wasip2" -> {
				path = "component/rust-wasip2.wasm";
				this.tool = "hello";
				this.args = "{\"name\":\"ferris\"}";
				expected = "{\"greeted\":\"ferris\",\"args\":0,\"env\":0,\"preopens\":0,\"time_ok\":true,\"stdin_closed\":true}";
			}
			case "js-disable-all", "js-wasi" -> {
				path = this.plugin.equals("js-wasi") ? "component/js-wasi-plugin.wasm" : "component/js-plugin.wasm";
				this.tool = "env";
				this.args = "{\"key\":\"K\"}";
				expected = "{\"key\":\"K\",\"value\":\"v\"}";
			}
			default -> throw new IllegalArgumentException("unknown plugin " + this.plugin);
		}
		this.engine = new PluginEngine(FreshInstanceCallBenchmark.options(this.runtime));
		Set<Capability> capabilities = this.plugin.startsWith("js-") ? Set.of(Capability.ENV) : Set.of();
		this.loaded = this.engine.load(new PluginSpec(this.plugin, path, FreshInstanceCallBenchmark.fixture(path),
				capabilities, Map.of("K", "v")));
		String answer = this.loaded.callTool(this.tool, this.args).contentJson();
		if (!answer.equals(expected)) {
			throw new IllegalStateException(this.plugin + " answered " + answer);
		}
	}

	@Benchmark
	public ToolCallResult callInFreshInstance() {
		return this.loaded.callTool(this.tool, this.args);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.loaded.close();
		this.engine.close();
	}

}
