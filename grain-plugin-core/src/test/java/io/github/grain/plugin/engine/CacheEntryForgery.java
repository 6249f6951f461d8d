package io.github.grain.plugin.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.grain.plugin.engine.runtime.CompilationCache;

/**
 * Writes cache entries that pass every check of the {@link CompilationCache} but hold
 * what a runtime cannot use, and checks that the runtime replaces them: for the runtime
 * modules' own tests, which know what their payloads look like.
 */
public final class CacheEntryForgery {

	private final Path directory;

	private final PluginEngineOptions options;

	private final String runtime;

	private final String runtimeVersion;

	private final ListAppender<ILoggingEvent> log = Fixtures.captureLog(CompilationCache.class.getName());

	/**
	 * @param directory the cache directory
	 * @param kind the runtime under test
	 * @param runtimeVersion the version that runtime writes in its entries
	 */
	public CacheEntryForgery(Path directory, WasmRuntimeKind kind, String runtimeVersion) {
		this.directory = directory;
		this.options = PluginEngineOptions.defaults().withRuntime(kind).withCompilationCache(directory);
		this.runtime = kind.id();
		this.runtimeVersion = runtimeVersion;
	}

	/** The cache as the runtime opens it. */
	public CompilationCache cache() {
		return CompilationCache.open(new CompilationCacheOptions(this.directory, CompilationCacheOptions.DEFAULT_MAX_BYTES),
				this.runtime, this.runtimeVersion);
	}

	/** What the runtime cached for a core fixture. */
	public byte[] payload(String fixture) {
		return cache().read(fixture, Fixtures.compiledSha256(fixture)).orElseThrow();
	}

	/** Load a core fixture on a new engine and have it answer. */
	public void loadAndCall(String fixture) {
		try (PluginEngine engine = new PluginEngine(this.options)) {
			Fixtures.loadAndCall(engine, fixture);
		}
	}

	/** The WARN messages logged by the cache so far. */
	public List<String> warnings() {
		return Fixtures.warnings(this.log);
	}

	/**
	 * Put a forged entry in place of a fixture's, load it twice: one warning with the
	 * reason for the forged entry, none once it is rewritten by a fresh compile.
	 */
	public void assertReplaced(String fixture, byte[] forgedPayload, String reason) {
		cache().write(fixture, Fixtures.compiledSha256(fixture), forgedPayload);
		int before = warnings().size();
		loadAndCall(fixture);
		assertThat(warnings()).hasSize(before + 1);
		assertThat(warnings().get(before))
			.startsWith("Plugin '" + fixture + "': compilation cache entry " + cache().generation())
			.contains(reason, "deleted it, compiling the module again");
		loadAndCall(fixture);
		assertThat(warnings()).as("rewritten by the fresh compile").hasSize(before + 1);
		assertThat(payload(fixture)).isNotEqualTo(forgedPayload);
		assertThat(this.log.list).noneMatch((event) -> event.getLevel() == Level.ERROR);
	}

}
