package io.github.grain.plugin.runtime.wasmtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.grain.plugin.engine.CompilationCacheOptions;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.runtime.CompilationCache;
import io.github.grain.plugin.engine.runtime.Digests;
import io.github.grain.plugin.engine.runtime.CompiledModule;
import io.github.grain.plugin.engine.runtime.InstancePool;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a compilation cache, every wasmtime engine starts a cache worker thread that never
 * ends; compiling a plugin again and again (hot reload) must not start one each time.
 */
@Tag("runtime")
class WasmtimeEngineReuseTests {

	private static final int COMPILES = 40;

	@TempDir
	Path directory;

	private final ListAppender<ILoggingEvent> log = Fixtures.captureLog(CompilationCache.class.getName());

	@Test
	void compilingAndClosingRepeatedlyWithACacheStartsNoThreadPerCompile() throws IOException {
		assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "native threads are counted in /proc");
		try (WasmtimeRuntime runtime = new WasmtimeRuntime(16, cacheOptions())) {
			compileLinkClose(runtime);
			long threadsBefore = nativeThreads();
			for (int i = 0; i < COMPILES; i++) {
				compileLinkClose(runtime);
			}
			// Before engines were reused, each compile left one more native thread behind.
			assertThat(nativeThreads() - threadsBefore).isLessThan(COMPILES / 2);
			assertThat(runtime.cachingEnginesCreated()).isOne();
		}
	}

	@Test
	void aReusedEngineTakesTheCachedArtifactAndWritesNothingNew() {
		try (WasmtimeRuntime runtime = new WasmtimeRuntime(16, cacheOptions())) {
			compileLinkClose(runtime);
			byte[] entry = cache().read("spin", Digests.sha256(WasmtimeEpochTickerTests.SPIN)).orElseThrow();
			for (int i = 0; i < 5; i++) {
				compileLinkClose(runtime);
			}
			// An artifact placed but not used would have been discarded with a warning and rewritten.
			assertThat(Fixtures.warnings(this.log)).isEmpty();
			assertThat(cache().read("spin", Digests.sha256(WasmtimeEpochTickerTests.SPIN))).hasValue(entry);
			assertThat(runtime.cachingEnginesCreated()).isOne();
		}
	}

	@Test
	void modulesAliveTogetherHaveAnEngineEachAndTheirEnginesServeTheNextOnes() {
		try (WasmtimeRuntime runtime = new WasmtimeRuntime(16, cacheOptions())) {
			for (int round = 0; round < 3; round++) {
				try (CompiledModule first = runtime.compile("first", WasmtimeEpochTickerTests.SPIN);
						CompiledModule second = runtime.compile("second", WasmtimeEpochTickerTests.SPIN);
						InstancePool firstPool = first.link(List.of(), null);
						InstancePool secondPool = second.link(List.of(), null)) {
					firstPool.instantiate(Duration.ofSeconds(5)).close();
					secondPool.instantiate(Duration.ofSeconds(5)).close();
				}
			}
			assertThat(runtime.cachingEnginesCreated()).isEqualTo(2);
		}
	}

	@Test
	void aCorruptEntryMetOnAReusedEngineIsReplaced() {
		try (WasmtimeRuntime runtime = new WasmtimeRuntime(16, cacheOptions())) {
			compileLinkClose(runtime);
			String sha256 = Digests.sha256(WasmtimeEpochTickerTests.SPIN);
			byte[] good = cache().read("spin", sha256).orElseThrow();
			byte[] garbage = good.clone();
			java.util.Arrays.fill(garbage, 2 + pathLength(good), garbage.length, (byte) 0x5a);
			cache().write("spin", sha256, garbage);
			compileLinkClose(runtime);
			assertThat(Fixtures.warnings(this.log)).singleElement()
				.asString()
				.contains("was not used by wasmtime (it compiled the module again)");
			assertThat(cache().read("spin", sha256)).hasValueSatisfying((entry) -> assertThat(entry).isNotEqualTo(garbage));
			compileLinkClose(runtime);
			assertThat(Fixtures.warnings(this.log)).hasSize(1);
			assertThat(runtime.cachingEnginesCreated()).isOne();
		}
	}

	private static int pathLength(byte[] payload) {
		return (payload[0] & 0xff) << 8 | payload[1] & 0xff;
	}

	private CompilationCache cache() {
		return CompilationCache.open(cacheOptions(), "wasmtime", NativeLibrary.build());
	}

	private CompilationCacheOptions cacheOptions() {
		return new CompilationCacheOptions(this.directory, CompilationCacheOptions.DEFAULT_MAX_BYTES);
	}

	private static void compileLinkClose(WasmtimeRuntime runtime) {
		try (CompiledModule module = runtime.compile("spin", WasmtimeEpochTickerTests.SPIN);
				InstancePool pool = module.link(List.of(), null)) {
			pool.instantiate(Duration.ofSeconds(5)).close();
		}
	}

	/** Threads of this process, the runtime's native ones included (the JVM does not see those). */
	private static long nativeThreads() throws IOException {
		return Files.readAllLines(Path.of("/proc/self/status")).stream()
			.filter((line) -> line.startsWith("Threads:"))
			.mapToLong((line) -> Long.parseLong(line.replaceAll("[^0-9]", "")))
			.findFirst()
			.orElseThrow();
	}

}
