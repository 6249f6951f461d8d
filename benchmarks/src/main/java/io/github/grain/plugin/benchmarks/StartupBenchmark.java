package io.github.grain.plugin.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.PluginSpec;
import io.github.grain.plugin.engine.discovery.PluginDiscovery;
import io.github.grain.plugin.engine.discovery.PluginLoader;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.discovery.PluginSettings;
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
 * then closing. {@code loadPlugins}: a plugin directory with N copies of the C v1 component,
 * loaded as the application loads it (discovery, then the loader compiling one or several at
 * a time), without a cache and with a warm one. {@code loadJsPluginWarmCache}: the
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

	/**
	 * The way the application loads its plugin directories: discovery, then
	 * {@link PluginLoader#loadAll} compiling {@code parallelism} plugins at a time
	 * ({@code auto}: one per available processor, the default of
	 * {@code grain.plugins.load-parallelism}; {@code 1}: one after another, as before).
	 */
	@Benchmark
	public int loadPlugins(Plugins state) {
		try (PluginEngine engine = new PluginEngine(state.options())) {
			PluginLoader loader = new PluginLoader(engine::load, false, null, state.parallelism());
			List<PluginReport> reports = loader.loadAll(new PluginDiscovery().discover(List.of(state.directory)),
					(name) -> PluginSettings.defaults());
			int tools = 0;
			for (PluginReport report : reports) {
				if (report.plugin() == null) {
					throw new IllegalStateException("plugin '" + report.name() + "' failed: " + report.error());
				}
				tools += report.tools().size();
				report.plugin().close();
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

		/** Plugins compiled at the same time: {@code auto} (one per processor) or a number. */
		@Param({ "1", "auto" })
		public String parallelism;

		/** A plugin directory holding {@link #plugins} copies of the fixture. */
		Path directory;

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

		int parallelism() {
			return "auto".equals(this.parallelism) ? PluginLoader.defaultParallelism()
					: Integer.parseInt(this.parallelism);
		}

		@Setup(Level.Trial)
		public void installPlugins() throws IOException {
			this.directory = Files.createTempDirectory("grain-startup-plugins");
			byte[] module = FreshInstanceCallBenchmark.fixture(fixture());
			for (int i = 0; i < this.plugins; i++) {
				Path plugin = Files.createDirectories(this.directory.resolve(String.format("p%03d", i)));
				Files.write(plugin.resolve("plugin.wasm"), module);
			}
		}

		@TearDown(Level.Trial)
		public void deletePlugins() {
			FreshInstanceCallBenchmark.deleteTree(this.directory);
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
