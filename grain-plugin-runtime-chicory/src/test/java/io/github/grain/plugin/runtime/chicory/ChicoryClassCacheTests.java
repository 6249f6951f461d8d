package io.github.grain.plugin.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.github.grain.plugin.engine.CacheEntryForgery;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.runtime.CompilationCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chicory's generated classes in the compilation cache: keyed by Chicory's version, and an
 * entry that passes the cache's checks but that Chicory cannot load is replaced.
 */
@Tag("runtime")
class ChicoryClassCacheTests {

	private static final String FIXTURE = "v1-legacy";

	@TempDir
	Path directory;

	private CacheEntryForgery forgery;

	@BeforeEach
	void forgery() {
		this.forgery = new CacheEntryForgery(this.directory, WasmRuntimeKind.CHICORY, ChicoryRuntime.version());
	}

	@Test
	void classesChicoryCannotLoadAreReplacedByAFreshCompile() {
		// What a Chicory build reporting the same version but generating other classes could leave.
		this.forgery.assertReplaced(FIXTURE, "not a jar".getBytes(StandardCharsets.UTF_8), "was refused by chicory (");
		assertThat(this.forgery.payload(FIXTURE)).startsWith('P', 'K');
	}

	@Test
	void theCacheIsKeyedByChicorysVersion() {
		assertThat(ChicoryRuntime.version()).matches("\\d+\\.\\d+\\.\\d+.*");
		this.forgery.loadAndCall(FIXTURE);
		assertThat(this.forgery.cache().generation())
			.isEqualTo(this.directory.resolve("chicory").resolve(ChicoryRuntime.version()))
			.isDirectoryContaining((file) -> file.getFileName().toString().endsWith(CompilationCache.ENTRY_SUFFIX));
		assertThat(this.forgery.warnings()).isEmpty();
	}

}
