package io.github.grain.plugin.engine.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginClosedException;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginSpec;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Plugins compiled side by side on the runtime under test ({@code grain.test.runtime}):
 * the same reports and log lines in the same order as one after another, real overlap,
 * concurrent compiles through one compilation cache, and loaded plugins answering while
 * another is being (re)loaded. Waits on latches are bounded only so that a broken build
 * fails instead of hanging; nothing here measures time.
 */
@Tag("runtime")
class ParallelPluginLoadingTests {

	private static final long GUARD_SECONDS = 120;

	@TempDir
	Path plugins;

	@TempDir
	Path cache;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
	}

	@Test
	void pluginsCompiledSideBySideAreReportedAndLoggedInDiscoveryOrderAsOneAfterAnother() throws IOException {
		for (String name : List.of("a", "b", "c", "d", "e")) {
			install(name, Fixtures.bytes("core/v1-legacy.wasm"), "");
		}
		install("broken", new byte[] { 0, 'a', 's', 'm', 1, 0, 0, 0, 99 }, "");
		install("manifest", Fixtures.bytes("core/v1-legacy.wasm"), "[wasm]\ncapabilities = [\"teleport\"]\n");
		install("off", Fixtures.bytes("core/v1-legacy.wasm"), "");
		install("standard", Fixtures.bytes("core/v1-standard.wasm"), "");
		PluginEngine engine = engine(Fixtures.options());
		Function<String, PluginSettings> settings = (name) -> name.equals("off")
				? new PluginSettings(false, null, Map.of(), List.of(), Set.of()) : PluginSettings.defaults();
		List<DiscoveredPlugin> discovered = new PluginDiscovery().discover(List.of(this.plugins));

		ListAppender<ILoggingEvent> log = Fixtures.captureLog(PluginLoader.class.getName());
		List<PluginReport> oneByOne = loadAll(new PluginLoader(engine::load, false, null, 1), discovered, settings);
		List<String> oneByOneLog = messages(log);
		log.list.clear();
		List<PluginReport> sideBySide = loadAll(new PluginLoader(engine::load, false, null, 4), discovered, settings);

		assertThat(summaries(sideBySide)).isEqualTo(summaries(oneByOne))
			.containsExactly("a LOADED null", "b LOADED null", "broken FAILED " + sideBySide.get(2).error(),
					"c LOADED null", "d LOADED null", "e LOADED null", "manifest FAILED " + sideBySide.get(6).error(),
					"off DISABLED null", "standard LOADED null");
		assertThat(sideBySide.get(2).error()).contains("broken");
		assertThat(sideBySide.get(6).error()).contains("unknown capability 'teleport'");
		assertThat(messages(log)).isEqualTo(oneByOneLog).hasSize(9);
		for (PluginReport report : sideBySide) {
			if (report.plugin() != null && report.tools().contains("echo")) {
				assertThat(report.plugin().callTool("echo", "{\"from\":\"" + report.name() + "\"}").contentJson())
					.isEqualTo("{\"from\":\"" + report.name() + "\"}");
			}
		}
	}

	@Test
	void asManyPluginsAsTheParallelismCompileAtTheSameTime() throws IOException {
		install("a", Fixtures.bytes("core/v1-legacy.wasm"), "");
		install("b", Fixtures.bytes("core/v1-legacy.wasm"), "");
		PluginEngine engine = engine(Fixtures.options());
		CountDownLatch bothStarted = new CountDownLatch(2);
		// each load waits for the other to have started: one after another, both would fail
		PluginLoader loader = new PluginLoader((spec) -> {
			bothStarted.countDown();
			if (!awaitGuarded(bothStarted)) {
				throw new IllegalStateException("plugin '" + spec.name() + "' was compiled alone");
			}
			return engine.load(spec);
		}, false, null, 2);

		List<PluginReport> reports = loadAll(loader, new PluginDiscovery().discover(List.of(this.plugins)),
				(name) -> PluginSettings.defaults());

		assertThat(reports).extracting(PluginReport::status).containsExactly(PluginStatus.LOADED, PluginStatus.LOADED);
	}

	@Test
	void concurrentCompilesOfOneModuleFillAndThenShareTheCompilationCache() throws IOException {
		for (int i = 0; i < 6; i++) {
			install("p" + i, Fixtures.bytes("core/v1-legacy.wasm"), "");
		}
		List<DiscoveredPlugin> discovered = new PluginDiscovery().discover(List.of(this.plugins));
		for (String run : List.of("cold", "warm")) {
			PluginEngine engine = engine(Fixtures.options().withCompilationCache(this.cache));
			List<PluginReport> reports = loadAll(new PluginLoader(engine::load, false, null, 3), discovered,
					(name) -> PluginSettings.defaults());
			assertThat(reports).as(run).allSatisfy((report) -> {
				assertThat(report.error()).isNull();
				assertThat(report.plugin().callTool("echo", "{\"run\":\"" + run + "\"}").contentJson())
					.isEqualTo("{\"run\":\"" + run + "\"}");
			});
		}
		try (var entries = Files.walk(this.cache)) {
			assertThat(entries.filter(Files::isRegularFile)).isNotEmpty();
		}
	}

	@Test
	void anErrorWhileLoadingClosesThePluginsTheOthersLoadedAndIsThrown() throws IOException {
		for (String name : List.of("a", "b", "c")) {
			install(name, Fixtures.bytes("core/v1-legacy.wasm"), "");
		}
		PluginEngine engine = engine(Fixtures.options());
		List<LoadedPlugin> loaded = new java.util.concurrent.CopyOnWriteArrayList<>();
		PluginLoader loader = new PluginLoader((spec) -> {
			if (spec.name().equals("b")) {
				throw new OutOfMemoryError("no room to compile plugin 'b'");
			}
			LoadedPlugin plugin = engine.load(spec);
			loaded.add(plugin);
			return plugin;
		}, false, null, 3);
		List<DiscoveredPlugin> discovered = new PluginDiscovery().discover(List.of(this.plugins));

		assertThatExceptionOfType(OutOfMemoryError.class)
			.isThrownBy(() -> loader.loadAll(discovered, (name) -> PluginSettings.defaults()))
			.withMessage("no room to compile plugin 'b'");
		assertThat(loaded).hasSize(2).allSatisfy((plugin) -> assertThatExceptionOfType(PluginClosedException.class)
			.isThrownBy(() -> plugin.callTool("echo", "{}")));
	}

	@Test
	void aParallelismBelowOneIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PluginLoader((spec) -> {
			throw new AssertionError();
		}, false, null, 0)).withMessage("plugin load parallelism must be at least 1, not 0");
	}

	@ParameterizedTest
	@ValueSource(strings = { "rescan", "reload" })
	void loadedPluginsKeepAnsweringWhileAChangedPluginIsCompiling(String change) throws Exception {
		install("fast", Fixtures.bytes("core/v1-legacy.wasm"), "");
		install("slow", Fixtures.bytes("core/v1-legacy.wasm"), "");
		PluginCatalog catalog = catalogWithSlowLoads("slow");
		LoadedPlugin before = catalog.find("slow").orElseThrow().plugin();
		// slow changes on disk: the change compiles it again and stays inside that compile until released
		install("slow", Fixtures.bytes("core/v1-legacy.wasm"), "description = \"second version\"\n");
		assertAnsweringWhileBlocked(catalog, before,
				() -> change.equals("rescan") ? catalog.rescan() : catalog.reload("slow").orElseThrow());
		assertThat(catalog.live("slow").orElseThrow().current()).isNotSameAs(before)
			.isSameAs(catalog.find("slow").orElseThrow().plugin());
	}

	private final CountDownLatch slowLoadEntered = new CountDownLatch(1);

	private final CountDownLatch releaseSlowLoad = new CountDownLatch(1);

	private volatile boolean slowLoadsArmed;

	/** A catalog of the plugins installed now, whose later loads of {@code slow} wait for the test. */
	private PluginCatalog catalogWithSlowLoads(String slow) {
		PluginEngine engine = engine(Fixtures.options());
		PluginLoader loader = new PluginLoader((spec) -> {
			if (this.slowLoadsArmed && spec.name().equals(slow)) {
				this.slowLoadEntered.countDown();
				if (!awaitGuarded(this.releaseSlowLoad)) {
					throw new IllegalStateException("the test never released the load of '" + slow + "'");
				}
			}
			return engine.load(spec);
		}, false, null, 2);
		PluginSource source = new PluginSource(List.of(this.plugins), loader, (name) -> PluginSettings.defaults());
		PluginCatalog catalog = new PluginCatalog(source.loadAll(source.discover()), List.of(), source);
		this.closeables.add(catalog);
		assertThat(catalog.loaded()).extracting(PluginReport::name).containsExactly("fast", "slow");
		this.slowLoadsArmed = true;
		return catalog;
	}

	private void assertAnsweringWhileBlocked(PluginCatalog catalog, LoadedPlugin before,
			java.util.concurrent.Callable<?> change)
			throws Exception {
		CompletableFuture<Object> changing = CompletableFuture.supplyAsync(() -> {
			try {
				return change.call();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		try {
			assertThat(awaitGuarded(this.slowLoadEntered)).as("the change reached the slow compile").isTrue();
			for (int i = 0; i < 20; i++) {
				String args = "{\"call\":" + i + "}";
				ToolCallResult fast = catalog.live("fast").orElseThrow().call((plugin) -> plugin.callTool("echo", args));
				assertThat(fast).isEqualTo(new ToolCallResult(args, false));
				// the version being replaced serves too, and the catalog answers questions
				ToolCallResult slow = catalog.live("slow").orElseThrow().call((plugin) -> plugin.callTool("echo", args));
				assertThat(slow).isEqualTo(new ToolCallResult(args, false));
				assertThat(catalog.live("slow").orElseThrow().current()).isSameAs(before);
			}
			assertThat(changing).isNotDone();
		}
		finally {
			this.releaseSlowLoad.countDown();
		}
		changing.get(GUARD_SECONDS, TimeUnit.SECONDS);
	}

	private static boolean awaitGuarded(CountDownLatch latch) {
		try {
			return latch.await(GUARD_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private PluginEngine engine(io.github.grain.plugin.engine.PluginEngineOptions options) {
		PluginEngine engine = new PluginEngine(options);
		this.closeables.add(engine);
		return engine;
	}

	private List<PluginReport> loadAll(PluginLoader loader, List<DiscoveredPlugin> discovered,
			Function<String, PluginSettings> settings) {
		List<PluginReport> reports = loader.loadAll(discovered, settings);
		this.closeables.add(new PluginCatalog(reports, List.of()));
		return reports;
	}

	private static List<String> summaries(List<PluginReport> reports) {
		return reports.stream().map((report) -> report.name() + " " + report.status() + " " + report.error()).toList();
	}

	/** What was logged, load durations left out. */
	private static List<String> messages(ListAppender<ILoggingEvent> log) {
		return log.list.stream()
			.map((event) -> event.getLevel() + " " + event.getFormattedMessage().replaceAll(" in \\d+ ms$", ""))
			.toList();
	}

	private void install(String name, byte[] wasm, String manifest) throws IOException {
		Path dir = Files.createDirectories(this.plugins.resolve(name));
		Files.write(dir.resolve("plugin.wasm"), wasm);
		Files.writeString(dir.resolve("plugin.toml"), manifest);
	}

}
