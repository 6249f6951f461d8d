package io.github.grain.plugin.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.runtime.CompilationCache;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Component binaries load exactly as shipped and behave like their core modules.
 */
@Tag("runtime")
class ComponentLoadingTests {

	private static final Set<Capability> ALL = EnumSet.allOf(Capability.class);

	private static final List<String[]> CALLS = List.of(new String[] { "echo", "{\"x\":[1,2,3]}" },
			new String[] { "fail", "{}" }, new String[] { "env", "{\"key\":\"K\"}" }, new String[] { "nope", "{}" },
			new String[] { "wasi", "{}" }, new String[] { "big", "{\"size\":10}" });

	private static PluginEngine engine;

	@BeforeAll
	static void start() {
		engine = new PluginEngine(Fixtures.options());
	}

	@AfterAll
	static void stop() {
		engine.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "v1-legacy", "v1-standard", "v2-legacy", "v2-standard" })
	void componentBehavesExactlyLikeItsCoreModule(String fixture) {
		Map<String, String> env = Map.of("K", "v");
		try (LoadedPlugin component = engine.load(Fixtures.spec(fixture, "component/" + fixture + ".wasm", ALL, env));
				LoadedPlugin core = engine.load(Fixtures.spec(fixture, "core/" + fixture + ".wasm", ALL, env))) {
			assertThat(component.world()).isEqualTo(core.world());
			assertThat(component.info()).isEqualTo(core.info());
			assertThat(component.tools()).isEqualTo(core.tools());
			assertThat(component.roles()).isEqualTo(core.roles());
			assertThat(component.hooks()).isEqualTo(core.hooks());
			assertThat(component.sha256()).isNotEqualTo(core.sha256());
			for (String[] call : CALLS) {
				ToolCallResult fromComponent = component.callTool(call[0], call[1]);
				assertThat(fromComponent).as(call[0]).isEqualTo(core.callTool(call[0], call[1]));
			}
			if (!core.hooks().isEmpty()) {
				for (HookPoint point : HookPoint.values()) {
					assertThat(component.callHook(point, "{\"case\":\"all\"}"))
						.isEqualTo(core.callHook(point, "{\"case\":\"all\"}"));
				}
			}
		}
	}

	/**
	 * The 12 MB componentize-js plugin on Chicory: measured 63 s to compile cold, 10 s
	 * warm, 0.35–0.45 s a call (docs/benchmarks.md); far too slow for the default suite, and
	 * not a combination we recommend. Skipped there, visibly.
	 */
	private static void assumeJavaScriptPluginsAreAffordable() {
		org.junit.jupiter.api.Assumptions.assumeTrue(Fixtures.RUNTIME == WasmRuntimeKind.WASMTIME,
				"the 12 MB JavaScript plugin is not run on Chicory (63 s cold compile)");
	}

	@Test
	void compiledCodeIsCachedOnDiskAndReusedByTheNextEngine(@TempDir Path cache) {
		PluginSpec spec = Fixtures.core("v1-legacy", ALL);
		try (PluginEngine cold = new PluginEngine(Fixtures.options().withCompilationCache(cache))) {
			assertThat(cold.load(spec).callTool("echo", "{}").contentJson()).isEqualTo("{}");
		}
		Path entries = cache.resolve(Fixtures.RUNTIME.name().toLowerCase(java.util.Locale.ROOT));
		assertThat(entries).as("each runtime caches in its own directory")
			.isDirectoryRecursivelyContaining((path) -> path.toFile().isFile());
		try (PluginEngine warm = new PluginEngine(Fixtures.options().withCompilationCache(cache))) {
			assertThat(warm.load(spec).callTool("echo", "{\"warm\":1}").contentJson()).isEqualTo("{\"warm\":1}");
		}
	}

	@Test
	void javascriptPluginRunsAndItsCompiledCodeIsCachedOnDisk(@TempDir Path cache) {
		assumeJavaScriptPluginsAreAffordable();
		PluginSpec spec = Fixtures.spec("js", "component/js-plugin.wasm", ALL, Map.of("K", "from-host"));
		try (PluginEngine cold = new PluginEngine(Fixtures.options().withCompilationCache(cache));
				LoadedPlugin plugin = cold.load(spec)) {
			assertThat(plugin.info().name()).isEqualTo("fixture-js");
			assertThat(plugin.tools()).extracting("name").containsExactly("echo", "log", "env", "http_get", "fail");
			assertThat(plugin.callTool("echo", "{\"a\":1}")).isEqualTo(new ToolCallResult("{\"a\":1}", false));
			assertThat(plugin.callTool("env", "{\"key\":\"K\"}").contentJson()).contains("from-host");
			assertThat(plugin.callTool("http_get", "{\"url\":\"http://127.0.0.1:9/\"}"))
				.isEqualTo(new ToolCallResult("{\"error\":\"http egress is not configured\"}", true));
		}
		assertThat(cache.resolve("wasmtime"))
			.isDirectoryRecursivelyContaining((path) -> path.toString().endsWith(CompilationCache.ENTRY_SUFFIX));
		try (PluginEngine several = new PluginEngine(Fixtures.options().withCompilationCache(cache))) {
			for (String fixture : List.of("v1-legacy", "v2-legacy", "v1-standard", "v2-standard")) {
				assertThat(several.load(Fixtures.spec(fixture, "core/" + fixture + ".wasm", ALL, Map.of())).tools())
					.isNotEmpty();
			}
		}
		try (PluginEngine warm = new PluginEngine(Fixtures.options().withCompilationCache(cache));
				LoadedPlugin plugin = warm.load(spec)) {
			assertThat(plugin.callTool("fail", "{}").isError()).isTrue();
		}
	}

	@Test
	void compilingALargePluginDoesNotStallCallsToOthers() throws Exception {
		assumeJavaScriptPluginsAreAffordable();
		try (LoadedPlugin healthy = engine.load(Fixtures.core("v1-legacy", Set.of()))) {
			java.util.concurrent.CompletableFuture<LoadedPlugin> compiling = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> engine.load(Fixtures.spec("js-slow", "component/js-plugin.wasm", Set.of(), Map.of())));
			int callsDuringCompile = 0;
			while (!compiling.isDone() && callsDuringCompile < 50) {
				assertThat(healthy.callTool("echo", "{}").contentJson()).isEqualTo("{}");
				callsDuringCompile++;
			}
			assertThat(compiling).as("50 calls finished while the 12 MB plugin was still compiling").isNotDone();
			compiling.get().close();
		}
	}

	@Test
	void truncatedComponentIsRefusedWithItsOffset() {
		byte[] bytes = Fixtures.bytes("component/v1-legacy.wasm");
		byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
		assertThatThrownBy(() -> engine.load(new PluginSpec("cut", "cut.wasm", truncated, ALL, Map.of())))
			.isInstanceOf(InvalidPluginException.class)
			.hasMessageStartingWith("plugin 'cut' (cut.wasm): component malformed binary at offset");
	}

}
