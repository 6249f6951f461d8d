package io.github.grain.plugin.engine.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.runtime.Digests;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.wit.WorldKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Tag("runtime")
class PluginLoaderTests {

	@TempDir
	Path plugins;

	@TempDir
	Path elsewhere;

	private final PluginEngine engine = new PluginEngine(Fixtures.options());

	private final PluginLoader loader = new PluginLoader(this.engine::load, false, this.engine.options().runtime());

	private PluginCatalog catalog;

	@AfterEach
	void close() {
		if (this.catalog != null) {
			this.catalog.close();
		}
		this.engine.close();
	}

	@Test
	void loadsPluginAndReportsVersionWorldToolsAndModuleDigest() throws IOException {
		install("core", "core/v1-legacy.wasm", "[wasm]\ncapabilities = [\"log\"]\n");
		Instant before = Instant.now();
		PluginReport report = loadAll(Map.of()).get(0);
		Instant after = Instant.now();
		assertThat(report.status()).isEqualTo(PluginStatus.LOADED);
		assertThat(report.version()).isEqualTo("1.2.3");
		assertThat(report.world()).isEqualTo(WorldKind.V1);
		assertThat(report.tools()).contains("echo", "env", "http_get", "fail", "big");
		assertThat(report.sha256()).isEqualTo(Digests.sha256(Fixtures.bytes("core/v1-legacy.wasm")));
		assertThat(report.capabilities()).containsExactly(Capability.LOG);
		assertThat(report.error()).isNull();
		assertThat(report.runtime()).isEqualTo(Fixtures.RUNTIME);
		assertThat(report.loadedAt()).isBetween(before, after);
		assertThat(report.loadDuration()).isPositive();
	}

	@Test
	void thePluginRemembersTheLargestMemoryAnyOfItsInstancesHad() throws IOException {
		install("core", "core/v1-legacy.wasm", "");
		LoadedPlugin plugin = loadAll(Map.of()).get(0).plugin();
		long afterInit = plugin.memoryHighWaterBytes();
		assertThat(afterInit).isPositive();
		plugin.callTool("echo", "{}");
		assertThat(plugin.memoryHighWaterBytes()).isEqualTo(afterInit);
		plugin.callTool("big", "{\"size\":4000000}");
		long afterBig = plugin.memoryHighWaterBytes();
		assertThat(afterBig).isGreaterThan(4_000_000);
		plugin.callTool("echo", "{}");
		assertThat(plugin.memoryHighWaterBytes()).isEqualTo(afterBig);
	}

	@Test
	void settingsReplaceManifestCapabilitiesAndExtendItsEnv() throws IOException {
		install("core", "core/v1-legacy.wasm", """
				[wasm]
				capabilities = ["log"]
				[wasm.env]
				FROM_MANIFEST = "m"
				SHARED = "manifest"
				""");
		PluginSettings settings = new PluginSettings(true, Set.of(Capability.ENV), Map.of("SHARED", "config"), List.of(),
				Set.of());
		PluginReport report = loadAll(Map.of("core", settings)).get(0);
		assertThat(report.capabilities()).containsExactly(Capability.ENV);
		assertThat(report.plugin().callTool("env", "{\"key\":\"SHARED\"}").contentJson()).contains("\"config\"");
		assertThat(report.plugin().callTool("env", "{\"key\":\"FROM_MANIFEST\"}").contentJson()).contains("\"m\"");
		assertThat(report.plugin().callTool("env", "{\"key\":\"PATH\"}").contentJson()).contains("null");
	}

	@Test
	void disabledPluginIsReportedAndNotLoaded() throws IOException {
		install("core", "core/v1-legacy.wasm", "");
		PluginSettings off = new PluginSettings(false, null, Map.of(), List.of(), Set.of());
		PluginReport report = loadAll(Map.of("core", off)).get(0);
		assertThat(report.status()).isEqualTo(PluginStatus.DISABLED);
		assertThat(report.plugin()).isNull();
		assertThat(report.runtime()).isNull();
		assertThat(report.loadDuration()).isNull();
	}

	@Test
	void failedInitIsReportedWhileOthersLoad() throws IOException {
		install("broken", "core/v2-legacy.wasm", """
				[wasm]
				capabilities = ["env"]
				[wasm.env]
				GRAIN_FAIL_INIT = "1"
				""");
		install("core", "core/v1-legacy.wasm", "");
		List<PluginReport> reports = loadAll(Map.of());
		assertThat(reports).extracting(PluginReport::name).containsExactly("broken", "core");
		assertThat(reports.get(0).status()).isEqualTo(PluginStatus.FAILED);
		assertThat(reports.get(0).error()).contains("init failed on request");
		assertThat(reports.get(0).sha256()).isEqualTo(Digests.sha256(Fixtures.bytes("core/v2-legacy.wasm")));
		assertThat(reports.get(0).runtime()).isEqualTo(Fixtures.RUNTIME);
		assertThat(reports.get(0).loadDuration()).isPositive();
		assertThat(reports.get(1).status()).isEqualTo(PluginStatus.LOADED);
		assertThatExceptionOfType(InvalidPluginException.class).isThrownBy(this.catalog::requireAllLoaded)
			.withMessageContaining("1 plugin(s) failed to load: 'broken' (")
			.withMessageContaining("init failed on request");
	}

	@Test
	void missingModuleIsReported() throws IOException {
		Files.createDirectories(this.plugins.resolve("ghost"));
		Files.writeString(this.plugins.resolve("ghost/plugin.toml"), "[wasm]\nmodule = \"ghost.wasm\"\n");
		PluginReport report = loadAll(Map.of()).get(0);
		assertThat(report.status()).isEqualTo(PluginStatus.FAILED);
		assertThat(report.error()).contains("ghost.wasm").contains("cannot be read");
		assertThat(report.sha256()).isNull();
	}

	@Test
	void garbageModuleIsReportedWithItsDigest() throws IOException {
		Path dir = Files.createDirectories(this.plugins.resolve("garbage"));
		Files.write(dir.resolve("plugin.wasm"), new byte[] { 1, 2, 3, 4 });
		PluginReport report = loadAll(Map.of()).get(0);
		assertThat(report.status()).isEqualTo(PluginStatus.FAILED);
		assertThat(report.sha256()).isEqualTo(Digests.sha256(new byte[] { 1, 2, 3, 4 }));
		assertThat(report.error()).isNotBlank();
	}

	@Test
	void errorsNameModulesRelativeToThePluginDirectory() throws IOException {
		Path dir = Files.createDirectories(this.plugins.resolve("garbage"));
		Files.write(dir.resolve("plugin.wasm"), new byte[] { 1, 2, 3, 4 });
		PluginReport report = loadAll(Map.of()).get(0);
		assertThat(report.error()).startsWith("plugin 'garbage' (garbage/plugin.wasm): ")
			.doesNotContain(this.plugins.toString());
	}

	@Test
	void aModuleLinkedFromOutsideItsPluginIsReportedWithoutDigestBytesOrHostPath() throws IOException {
		Files.write(this.elsewhere.resolve("secret.bin"), "SECRET-BYTES".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		Files.write(this.elsewhere.resolve("plugin.wasm"), Fixtures.bytes("core/v1-legacy.wasm"));
		Path linked = Files.createDirectories(this.plugins.resolve("linked"));
		Files.createSymbolicLink(linked.resolve("plugin.wasm"), this.elsewhere.resolve("secret.bin"));
		Path viaDirectory = Files.createDirectories(this.plugins.resolve("via-dir"));
		Files.writeString(viaDirectory.resolve("plugin.toml"), "[wasm]\nmodule = \"bin/plugin.wasm\"\n");
		Files.createSymbolicLink(viaDirectory.resolve("bin"), this.elsewhere);
		Path inner = Files.createDirectories(this.plugins.resolve("inner/build"));
		Files.write(inner.resolve("v1.wasm"), Fixtures.bytes("core/v1-legacy.wasm"));
		Files.createSymbolicLink(inner.resolveSibling("plugin.wasm"), Path.of("build/v1.wasm"));

		List<PluginReport> reports = loadAll(Map.of());
		assertThat(reports).extracting(PluginReport::name, PluginReport::status)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("inner", PluginStatus.LOADED),
					org.assertj.core.groups.Tuple.tuple("linked", PluginStatus.FAILED),
					org.assertj.core.groups.Tuple.tuple("via-dir", PluginStatus.FAILED));
		assertThat(reports.get(1).error()).isEqualTo("module linked/plugin.wasm cannot be read: 'linked/plugin.wasm' is "
				+ "a symbolic link leading outside its plugin's directory; such links are refused unless allowed "
				+ "(allow-symlinks)");
		assertThat(reports.get(2).error()).startsWith("module via-dir/bin/plugin.wasm cannot be read: ");
		assertThat(reports.subList(1, 3)).allSatisfy((report) -> {
			assertThat(report.sha256()).isNull();
			assertThat(report.error()).doesNotContain(this.elsewhere.toString()).doesNotContain("SECRET");
		});

		this.catalog.close();
		List<PluginReport> allowed = loadAll(Map.of(), true);
		assertThat(allowed).extracting(PluginReport::status)
			.containsExactly(PluginStatus.LOADED, PluginStatus.FAILED, PluginStatus.LOADED);
		assertThat(allowed.get(1).sha256())
			.isEqualTo(Digests.sha256("SECRET-BYTES".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
	}

	@Test
	void badManifestIsReportedAsFailed() throws IOException {
		install("bad", "core/v1-legacy.wasm", "[wasm]\ncapabilities = [\"teleport\"]\n");
		PluginReport report = loadAll(Map.of()).get(0);
		assertThat(report.status()).isEqualTo(PluginStatus.FAILED);
		assertThat(report.error()).contains("plugin.toml").contains("unknown capability 'teleport'");
	}

	private List<PluginReport> loadAll(Map<String, PluginSettings> settings) {
		return loadAll(settings, false);
	}

	private List<PluginReport> loadAll(Map<String, PluginSettings> settings, boolean allowSymlinks) {
		List<DiscoveredPlugin> discovered = new PluginDiscovery(allowSymlinks).discover(List.of(this.plugins));
		List<PluginReport> reports = this.loader.loadAll(discovered,
				(name) -> settings.getOrDefault(name, PluginSettings.defaults()));
		this.catalog = new PluginCatalog(reports, List.of());
		return reports;
	}

	private void install(String name, String fixture, String manifest) throws IOException {
		Path dir = Files.createDirectories(this.plugins.resolve(name));
		Files.write(dir.resolve("plugin.wasm"), Fixtures.bytes(fixture));
		Files.writeString(dir.resolve("plugin.toml"), manifest);
	}

}
