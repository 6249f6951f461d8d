package io.github.grain.plugin.runtime.chicory;

import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.runtime.RuntimeNotAvailableException;
import io.github.grain.plugin.engine.runtime.WasmRuntimes;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * This module's class path holds core and Chicory only (no wasmtime jar): the engine finds Chicory through
 * {@link java.util.ServiceLoader}, and asking for wasmtime names the artifact to add.
 */
@Tag("runtime")
class RuntimeDiscoveryTests {

	@Test
	void chicoryIsFoundOnTheClassPathAndRunsAPlugin() {
		assertThat(WasmRuntimes.isAvailable(WasmRuntimeKind.CHICORY)).isTrue();
		try (PluginEngine engine = new PluginEngine(PluginEngineOptions.defaults().withRuntime(WasmRuntimeKind.CHICORY));
				LoadedPlugin plugin = engine.load(Fixtures.spec("echo", "core/v1-legacy.wasm", Set.of(Capability.LOG),
						Map.of()))) {
			assertThat(plugin.callTool("echo", "{\"text\":\"hi\"}"))
				.isEqualTo(new ToolCallResult("{\"text\":\"hi\"}", false));
		}
	}

	@Test
	void wasmtimeIsNotOnThisClassPathAndTheErrorNamesItsArtifact() {
		assertThat(WasmRuntimes.isAvailable(WasmRuntimeKind.WASMTIME)).isFalse();
		assertThat(getClass().getClassLoader().getResource("io/github/kawamuray/wasmtime/Engine.class")).isNull();
		assertThatExceptionOfType(RuntimeNotAvailableException.class)
			.isThrownBy(() -> new PluginEngine(PluginEngineOptions.defaults()))
			.withMessage("WebAssembly runtime 'wasmtime' is not on the class path: add the dependency "
					+ "io.github.grain:grain-plugin-runtime-wasmtime");
	}

	@Test
	void aPluginThatAsksForAMissingRuntimeFailsNamingTheArtifact() {
		try (PluginEngine engine = new PluginEngine(PluginEngineOptions.defaults().withRuntime(WasmRuntimeKind.CHICORY))) {
			assertThatExceptionOfType(RuntimeNotAvailableException.class)
				.isThrownBy(() -> engine.load(Fixtures.spec("echo", "core/v1-legacy.wasm", Set.of(), Map.of())
					.withRuntime(WasmRuntimeKind.WASMTIME)))
				.withMessageContaining("add the dependency io.github.grain:grain-plugin-runtime-wasmtime");
		}
	}

}
