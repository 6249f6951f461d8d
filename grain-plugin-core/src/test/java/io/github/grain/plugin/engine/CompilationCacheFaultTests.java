package io.github.grain.plugin.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.grain.plugin.engine.runtime.CompilationCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults on disk under real plugins, on each runtime: damaged entries, a cache past its
 * bound, a directory that cannot be written, and engines sharing one directory. Every
 * plugin still loads and answers, and the cache heals.
 */
@Tag("runtime")
class CompilationCacheFaultTests {

	/** Four different modules, each with an echo tool. */
	private static final List<String> PLUGINS = List.of("v1-legacy", "v2-legacy", "v1-standard", "v2-standard");

	@TempDir
	Path cache;

	private ListAppender<ILoggingEvent> log;

	@BeforeEach
	void captureLog() {
		this.log = Fixtures.captureLog(CompilationCache.class.getName());
	}

	private PluginEngine engine(long maxBytes) {
		return new PluginEngine(Fixtures.options().withCompilationCache(this.cache, maxBytes));
	}

	private PluginEngine engine() {
		return engine(CompilationCacheOptions.DEFAULT_MAX_BYTES);
	}

	private static void loadAndCall(PluginEngine engine, String fixture) {
		Fixtures.loadAndCall(engine, fixture);
	}

	private Path generation() {
		try (Stream<Path> versions = Files.list(this.cache.resolve(Fixtures.RUNTIME.id()))) {
			return versions.filter(Files::isDirectory).findFirst().orElseThrow();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private List<Path> entries() throws IOException {
		try (Stream<Path> files = Files.walk(this.cache)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(CompilationCache.ENTRY_SUFFIX))
				.sorted()
				.toList();
		}
	}

	private static Path entryOf(Path generation, String fixture) {
		return generation.resolve(Fixtures.compiledSha256(fixture) + CompilationCache.ENTRY_SUFFIX);
	}

	private List<String> warnings() {
		return Fixtures.warnings(this.log);
	}

	private long size() throws IOException {
		long total = 0;
		for (Path entry : entries()) {
			total += Files.size(entry);
		}
		return total;
	}

	enum Damage {

		FLIP_20_BYTES {
			@Override
			void apply(Path entry, Path other) throws IOException {
				byte[] bytes = Files.readAllBytes(entry);
				for (int i = 0; i < 20; i++) {
					bytes[bytes.length / 2 + i * 7] ^= (byte) 0xa5;
				}
				Files.write(entry, bytes);
			}
		},
		TRUNCATE {
			@Override
			void apply(Path entry, Path other) throws IOException {
				Files.write(entry, Arrays.copyOf(Files.readAllBytes(entry), (int) Files.size(entry) / 2));
			}
		},
		SWAP {
			@Override
			void apply(Path entry, Path other) throws IOException {
				Path aside = entry.resolveSibling("aside");
				Files.move(entry, aside);
				Files.move(other, entry);
				Files.move(aside, other);
			}
		};

		abstract void apply(Path entry, Path other) throws IOException;

	}

	@ParameterizedTest
	@EnumSource(Damage.class)
	void damagedEntriesAreReportedOnceReplacedAndThePluginsStillAnswer(Damage damage) throws IOException {
		try (PluginEngine cold = engine()) {
			PLUGINS.forEach((fixture) -> loadAndCall(cold, fixture));
		}
		Path first = entryOf(generation(), "v1-legacy");
		Path second = entryOf(generation(), "v2-legacy");
		assertThat(entries()).contains(first, second);
		damage.apply(first, second);

		try (PluginEngine restarted = engine()) {
			PLUGINS.forEach((fixture) -> loadAndCall(restarted, fixture));
		}
		int damaged = (damage == Damage.SWAP) ? 2 : 1;
		assertThat(warnings()).hasSize(damaged).allSatisfy((warning) -> assertThat(warning)
			.contains("compilation cache entry " + generation(), "deleted it, compiling the module again"));
		assertThat(warnings()).anySatisfy((warning) -> assertThat(warning)
			.startsWith("Plugin 'v1-legacy': compilation cache entry " + first + " fails its check ("));

		try (PluginEngine healed = engine()) {
			PLUGINS.forEach((fixture) -> loadAndCall(healed, fixture));
		}
		assertThat(warnings()).as("rewritten at the first reload: no warning afterwards").hasSize(damaged);
		assertThat(entries()).hasSize(PLUGINS.size());
	}

	@Test
	void theCacheStaysWithinItsBoundEvictingOtherVersionsThenTheLeastRecentlyUsed() throws IOException {
		try (PluginEngine unbounded = engine()) {
			PLUGINS.forEach((fixture) -> loadAndCall(unbounded, fixture));
		}
		Path generation = generation();
		long smallest = Long.MAX_VALUE;
		for (Path entry : entries()) {
			smallest = Math.min(smallest, Files.size(entry));
		}
		// Room for the two plugins loaded last, never for a third.
		long bound = Files.size(entryOf(generation, "v1-standard")) + Files.size(entryOf(generation, "v2-standard"))
				+ smallest / 2;
		Path olderVersion = Files.createDirectories(generation.resolveSibling("0.0.1-older"))
			.resolve(generation.relativize(entryOf(generation, "v1-legacy")));
		Files.copy(entryOf(generation, "v1-legacy"), olderVersion);
		Files.setLastModifiedTime(olderVersion, FileTime.from(Instant.now().plusSeconds(3600)));
		for (int i = 0; i < PLUGINS.size(); i++) {
			Files.setLastModifiedTime(entryOf(generation, PLUGINS.get(i)), FileTime.from(Instant.ofEpochSecond(1000 + i)));
		}

		try (PluginEngine bounded = engine(bound)) {
			assertThat(olderVersion).as("another version's entry goes first, however recent").doesNotExist();
			assertThat(entryOf(generation, "v1-legacy")).as("then the least recently used").doesNotExist();
			assertThat(size()).isLessThanOrEqualTo(bound);
			for (String fixture : PLUGINS) {
				loadAndCall(bounded, fixture);
				assertThat(size()).as("after loading " + fixture).isLessThanOrEqualTo(bound);
				assertThat(entryOf(generation, fixture)).as("just written").exists();
			}
			assertThat(entries()).containsExactlyInAnyOrder(entryOf(generation, "v1-standard"),
					entryOf(generation, "v2-standard"));
			loadAndCall(bounded, "v1-legacy");
		}
		assertThat(warnings()).isEmpty();
	}

	@Test
	void aFileWhereTheCacheDirectoryShouldBeLeavesOneWarningAndPluginsLoading() throws IOException {
		Files.delete(this.cache);
		Files.writeString(this.cache, "not a directory");
		try (PluginEngine engine = engine()) {
			PLUGINS.forEach((fixture) -> loadAndCall(engine, fixture));
		}
		assertThat(warnings()).singleElement()
			.asString()
			.isEqualTo("Compilation cache in " + this.cache + " is off: " + this.cache
					+ " is in the way: a file where a directory should be; plugins are compiled in memory");
		assertThat(this.cache).hasContent("not a directory");
	}

	@Test
	void aCacheThatCannotBeWrittenMidwayTurnsOffOnceAndPluginsStillLoad() throws IOException {
		try (PluginEngine engine = engine()) {
			loadAndCall(engine, "v1-legacy");
			Path generation = generation();
			// wasmtime's idle engine keeps its work directory there
			try (Stream<Path> files = Files.walk(generation)) {
				for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(file);
				}
			}
			Files.writeString(generation, "in the way");
			for (String fixture : PLUGINS) {
				loadAndCall(engine, fixture);
			}
			assertThat(warnings()).singleElement()
				.asString()
				.startsWith("Compilation cache in " + this.cache + " is off: ")
				.contains(generation + " is in the way: a file where a directory should be")
				.endsWith("; plugins are compiled in memory");
		}
	}

	@Test
	void twoEnginesSharingOneCacheLoadConcurrentlyAndNeitherSeesADamagedEntry() throws Exception {
		loadConcurrently(CompilationCacheOptions.DEFAULT_MAX_BYTES);
		long largest = 0;
		for (Path entry : entries()) {
			largest = Math.max(largest, Files.size(entry));
		}
		loadConcurrently(2 * largest + largest / 2);
		try (PluginEngine after = engine()) {
			PLUGINS.forEach((fixture) -> loadAndCall(after, fixture));
		}
		assertThat(warnings()).isEmpty();
	}

	/** Two engines, each loading every plugin on two threads, all released at once; twice over. */
	private void loadConcurrently(long bound) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try (PluginEngine one = engine(bound); PluginEngine two = engine(bound)) {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> loads = new ArrayList<>();
			for (PluginEngine engine : List.of(one, two)) {
				for (int half = 0; half < 2; half++) {
					List<String> fixtures = new ArrayList<>(PLUGINS);
					if (half == 1) {
						java.util.Collections.reverse(fixtures);
					}
					loads.add(threads.submit(() -> {
						start.await();
						for (int round = 0; round < 2; round++) {
							fixtures.forEach((fixture) -> loadAndCall(engine, fixture));
						}
						return null;
					}));
				}
			}
			start.countDown();
			for (Future<?> load : loads) {
				load.get();
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(entries()).as("bound " + bound).allSatisfy((entry) -> assertThat(entry.getFileName().toString())
			.matches("[0-9a-f]{64}\\.v" + CompilationCache.FORMAT));
		try (Stream<Path> files = Files.list(generation())) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.as("no temporary file or work directory left behind")
				.allMatch((name) -> name.endsWith(CompilationCache.ENTRY_SUFFIX));
		}
	}

	@Test
	void eachRuntimeCachesUnderItsNameAndVersionKeyedByTheModuleItCompiled() throws IOException {
		try (PluginEngine engine = engine()) {
			loadAndCall(engine, "v1-legacy");
		}
		assertThat(generation().getParent()).isEqualTo(this.cache.resolve(Fixtures.RUNTIME.id()));
		assertThat(entries()).singleElement().isEqualTo(entryOf(generation(), "v1-legacy"));
	}

}
