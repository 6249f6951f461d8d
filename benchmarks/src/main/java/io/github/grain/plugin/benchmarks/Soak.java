package io.github.grain.plugin.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.GrainPluginException;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginSpec;

/**
 * Many fresh-instance calls in one JVM, printing resident memory and native mapping
 * count as it goes: {@code java -cp benchmarks/target/benchmarks.jar
 * io.github.grain.plugin.benchmarks.Soak [calls] [hostileEvery] [wasmtime|chicory]}. With
 * {@code hostileEvery > 0}, every n-th call goes to a hostile guest (trap, bad pointer,
 * deadline) instead.
 */
public final class Soak {

	private Soak() {
	}

	public static void main(String[] args) throws IOException {
		int calls = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		int hostileEvery = (args.length > 1) ? Integer.parseInt(args[1]) : 0;
		String runtime = (args.length > 2) ? args[2] : "wasmtime";
		String[] hostileTools = { "trap", "bad_ptr", "invalid_utf8", "area_oob", "loop" };
		try (PluginEngine engine = new PluginEngine(
				FreshInstanceCallBenchmark.options(runtime).withCallTimeout(java.time.Duration.ofMillis(200)));
				LoadedPlugin echo = engine.load(new PluginSpec("echo", "v1-legacy", FreshInstanceCallBenchmark.fixture(
						"core/v1-legacy.wasm"), Set.of(), Map.of()));
				LoadedPlugin hostile = engine.load(new PluginSpec("hostile", "hostile",
						FreshInstanceCallBenchmark.fixture("core/hostile.wasm"), EnumSet.allOf(Capability.class),
						Map.of()))) {
			long start = System.nanoTime();
			int failures = 0;
			report(0, start, failures);
			for (int i = 1; i <= calls; i++) {
				if (hostileEvery > 0 && i % hostileEvery == 0) {
					try {
						hostile.callTool(hostileTools[(i / hostileEvery) % hostileTools.length], "{}");
					}
					catch (GrainPluginException expected) {
						failures++;
					}
				}
				else if (!echo.callTool("echo", FreshInstanceCallBenchmark.ARGS).contentJson()
					.equals(FreshInstanceCallBenchmark.ARGS)) {
					throw new IllegalStateException("wrong echo at call " + i);
				}
				if (i % (calls / 10) == 0) {
					report(i, start, failures);
				}
			}
		}
	}

	static void report(int calls, long start, int failures) throws IOException {
		List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
		long rssKb = statusField(status, "VmRSS:");
		// The runtime's own threads (wasmtime's cache workers) are invisible to Thread.activeCount.
		long nativeThreads = statusField(status, "Threads:");
		long mappings;
		try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
			mappings = lines.count();
		}
		// Live heap after a full collection: with Chicory, guest memory is on the heap, so a leak would show here.
		System.gc();
		long liveHeap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		System.out.printf(
				"calls=%d rss=%d MiB live-heap=%d MiB mappings=%d classes=%d threads=%d native-threads=%d hostile-failures=%d elapsed=%.1f s%n",
				calls, rssKb / 1024, liveHeap / (1024 * 1024), mappings,
				java.lang.management.ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(),
				Thread.activeCount(), nativeThreads, failures, (System.nanoTime() - start) / 1e9);
	}

	private static long statusField(List<String> status, String field) {
		return status.stream()
			.filter((line) -> line.startsWith(field))
			.mapToLong((line) -> Long.parseLong(line.replaceAll("[^0-9]", "")))
			.findFirst()
			.orElse(-1);
	}

}
