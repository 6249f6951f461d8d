package io.github.grain.plugin.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginCatalogEvent;
import io.github.grain.plugin.engine.discovery.PluginLoader;
import io.github.grain.plugin.engine.discovery.PluginSettings;
import io.github.grain.plugin.engine.discovery.PluginSource;

/**
 * Reloads one plugin many times in one JVM, as the directory watcher would, printing live
 * heap, classes, threads, native mappings and compilation-cache entries as it goes:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.grain.plugin.benchmarks.ReloadSoak
 * [reloads] [wasmtime|chicory] [cache|nocache]}. Each reload changes the manifest and alternates between two
 * builds of the plugin, and calls the new version once.
 */
public final class ReloadSoak {

	private ReloadSoak() {
	}

	public static void main(String[] args) throws IOException {
		int reloads = (args.length > 0) ? Integer.parseInt(args[0]) : 1000;
		String runtime = (args.length > 1) ? args[1] : "wasmtime";
		boolean useCache = args.length < 3 || !args[2].equals("nocache");
		Path work = Files.createTempDirectory("grain-reload-soak");
		Path plugins = Files.createDirectories(work.resolve("plugins"));
		Path cache = work.resolve("cache");
		byte[][] builds = { FreshInstanceCallBenchmark.fixture("core/v1-legacy.wasm"),
				FreshInstanceCallBenchmark.fixture("core/v1-standard.wasm") };
		install(plugins, builds[0], 0);
		try (PluginEngine engine = new PluginEngine(
				FreshInstanceCallBenchmark.options(runtime).withCompilationCache(useCache ? cache : null))) {
			PluginSource source = new PluginSource(List.of(plugins), new PluginLoader(engine::load),
					(name) -> PluginSettings.defaults());
			try (PluginCatalog catalog = new PluginCatalog(source.loadAll(source.discover()),
					List.of(), source)) {
				long start = System.nanoTime();
				Soak.report(0, start, 0);
				System.out.println("  cache entries=" + countFiles(cache));
				for (int i = 1; i <= reloads; i++) {
					install(plugins, builds[i % 2], i);
					List<PluginCatalogEvent> changes = catalog.rescan();
					if (changes.size() != 1 || !(changes.get(0) instanceof PluginCatalogEvent.Replaced)) {
						throw new IllegalStateException("reload " + i + " gave " + changes);
					}
					String echoed = catalog.live("p").orElseThrow().current()
						.callTool("echo", FreshInstanceCallBenchmark.ARGS).contentJson();
					if (!echoed.equals(FreshInstanceCallBenchmark.ARGS)) {
						throw new IllegalStateException("wrong echo after reload " + i);
					}
					if (i % Math.max(1, reloads / 10) == 0) {
						Soak.report(i, start, 0);
						System.out.println("  cache entries=" + countFiles(cache));
					}
				}
			}
		}
	}

	private static void install(Path plugins, byte[] module, int version) throws IOException {
		Path dir = Files.createDirectories(plugins.resolve("p"));
		Files.write(dir.resolve("plugin.wasm"), module);
		Files.writeString(dir.resolve("plugin.toml"),
				"[wasm]\ncapabilities = [\"log\", \"env\"]\n[wasm.env]\nVERSION = \"" + version + "\"\n");
	}

	private static long countFiles(Path directory) throws IOException {
		if (!Files.isDirectory(directory)) {
			return 0;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			return paths.filter(Files::isRegularFile).count();
		}
	}

}
