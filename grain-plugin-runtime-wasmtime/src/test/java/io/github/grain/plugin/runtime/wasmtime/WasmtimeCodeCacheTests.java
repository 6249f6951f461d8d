package io.github.grain.plugin.runtime.wasmtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import io.github.grain.plugin.engine.CacheEntryForgery;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.runtime.CompilationCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries that pass the cache's checks but that wasmtime cannot take: each is replaced by
 * a fresh compile, with one warning, and the plugin answers.
 */
@Tag("runtime")
class WasmtimeCodeCacheTests {

	private static final String FIXTURE = "v1-legacy";

	@TempDir
	Path directory;

	private CacheEntryForgery forgery;

	@BeforeEach
	void forgery() {
		this.forgery = new CacheEntryForgery(this.directory, WasmRuntimeKind.WASMTIME, NativeLibrary.build());
	}

	/** The artifact's path in wasmtime's cache directory, as the entry records it. */
	private String cachedPath() {
		byte[] payload = this.forgery.payload(FIXTURE);
		return new String(payload, 2, pathLength(payload), StandardCharsets.UTF_8);
	}

	/** The artifact wasmtime wrote, as the entry records it. */
	private byte[] cachedArtifact() {
		byte[] payload = this.forgery.payload(FIXTURE);
		return Arrays.copyOfRange(payload, 2 + pathLength(payload), payload.length);
	}

	private static int pathLength(byte[] payload) {
		return (payload[0] & 0xff) << 8 | payload[1] & 0xff;
	}

	@Test
	void anArtifactWhereWasmtimeDoesNotLookIsReplaced() {
		// As from a volume copied off a host whose CPU features (part of wasmtime's key) differ.
		this.forgery.loadAndCall(FIXTURE);
		this.forgery.assertReplaced(FIXTURE, WasmtimeCodeCache.encode("modules/wasmtime-other-host/key", cachedArtifact()),
				"was not used by wasmtime (it compiled the module again)");
		assertThat(cachedPath()).startsWith("modules/").isNotEqualTo("modules/wasmtime-other-host/key");
	}

	@Test
	void anArtifactWasmtimeRefusesIsReplaced() {
		this.forgery.loadAndCall(FIXTURE);
		byte[] garbage = new byte[cachedArtifact().length];
		Arrays.fill(garbage, (byte) 0x5a);
		this.forgery.assertReplaced(FIXTURE, WasmtimeCodeCache.encode(cachedPath(), garbage),
				"was not used by wasmtime (it compiled the module again)");
	}

	@Test
	void aPayloadThatIsNoArtifactIsReplaced() {
		this.forgery.assertReplaced(FIXTURE, new byte[] { 0x7f }, "holds no wasmtime artifact (");
	}

	@Test
	void anArtifactPathLeavingWasmtimesDirectoryIsNeverWritten() {
		this.forgery.assertReplaced(FIXTURE, WasmtimeCodeCache.encode("../../../escaped", new byte[] { 1, 2, 3 }),
				"holds no wasmtime artifact (its path '../../../escaped' leaves wasmtime's cache)");
		assertThat(this.forgery.cache().generation().resolve("escaped")).doesNotExist();
		assertThat(this.directory.resolve("wasmtime/escaped")).doesNotExist();
	}

	@Test
	void theCacheIsKeyedByTheNativeLibraryBuild() {
		assertThat(NativeLibrary.build()).matches("\\d+\\.\\d+\\.\\d+_(linux|macos|windows)_(x86_64|aarch64)");
		this.forgery.loadAndCall(FIXTURE);
		assertThat(this.forgery.cache().generation())
			.isEqualTo(this.directory.resolve("wasmtime").resolve(NativeLibrary.build()))
			.isDirectoryContaining((file) -> file.getFileName().toString().endsWith(CompilationCache.ENTRY_SUFFIX));
		assertThat(this.forgery.warnings()).isEmpty();
	}

}
