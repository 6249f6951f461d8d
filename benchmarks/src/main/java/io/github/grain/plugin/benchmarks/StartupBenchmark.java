package io.github.grain.plugin.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.PluginSpec;
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
 * Startup: a new engine loading plugins (compile, link, {@code init}, {@code list-tools}),
 * then closing. {@code loadPlugins}: N copies of the C v1 component, each compiled on its
 * own engine, without a cache and with a warm one. {@code loadJsPluginWarmCache}: the
 * 12.5 MB componentize-js plugin with a compilation cache filled in the trial's setup.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 8)
@Fork(1)
public class StartupBenchmark {

	private static PluginSpec spec(String name, byte[] wasm) {
		return new PluginSpec(name, name + ".wasm", wasm, Set.of(), Map.of());
	}

	@Benchmark
	public int loadPlugins(Plugins state) {
		try (PluginEngine engine = new PluginEngine(state.options())) {
			List<LoadedPlugin> loaded = new ArrayList<>();
			for (int i = 0; i < state.plugins; i++) {
				loaded.add(engine.load(spec("p" + i, state.wasm)));
			}
			int tools = 0;
			for (LoadedPlugin plugin : loaded) {
				tools += plugin.tools().size();
				plugin.close();
			}
			return tools;
		}
	}

	@Benchmark
	public int loadJsPluginWarmCache(JsPlugin state) {
		try (PluginEngine engine = new PluginEngine(state.options()); LoadedPlugin plugin = engine.load(spec("js", state.wasm))) {
			return plugin.tools().size();
		}
	}

	/** A cache directory, warmed with one load in the trial's setup when asked to. */
	public abstract static class CacheState {

		byte[] wasm;

		private Path cacheDirectory;

		abstract String fixture();

		abstract boolean warm();

		/** The runtime under test. */
		abstract String runtime();

		PluginEngineOptions options() {
			PluginEngineOptions options = FreshInstanceCallBenchmark.options(runtime());
			return warm() ? options.withCompilationCache(this.cacheDirectory) : options;
		}

		@Setup(Level.Trial)
		public void prepare() throws IOException {
			this.wasm = FreshInstanceCallBenchmark.fixture(fixture());
			this.cacheDirectory = Files.createTempDirectory("grain-startup-bench");
			if (warm()) {
				try (PluginEngine engine = new PluginEngine(options())) {
					engine.load(spec("warm", this.wasm)).close();
				}
			}
		}

		@TearDown(Level.Trial)
		public void delete() {
			FreshInstanceCallBenchmark.deleteTree(this.cacheDirectory);
		}

	}

	@State(Scope.Benchmark)
	public static class Plugins extends CacheState {

		@Param({ "1", "10", "50" })
		public int plugins;

		@Param({ "none", "warm" })
		public String cache;

		@Param({ "wasmtime", "chicory" })
		public String runtime;

		@Override
		String runtime() {
			return this.runtime;
		}

		@Override
		String fixture() {
			return "component/v1-legacy.wasm";
		}

		@Override
		boolean warm() {
			return "warm".equals(this.cache);
		}

	}

	@State(Scope.Benchmark)
	public static class JsPlugin extends CacheState {

		@Param({ "wasmtime", "chicory" })
		public String runtime;

		@Override
		String runtime() {
			return this.runtime;
		}

		@Override
		String fixture() {
			return "component/js-plugin.wasm";
		}

		@Override
		boolean warm() {
			return true;
		}

	}

}
