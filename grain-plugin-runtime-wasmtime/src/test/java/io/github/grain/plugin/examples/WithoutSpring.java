package io.github.grain.plugin.examples;

// README "Without Spring": this file is the example, compiled and run by WithoutSpringTests.
// Class path: io.github.grain:grain-plugin-core and io.github.grain:grain-plugin-runtime-wasmtime.
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.PluginSpec;
import io.github.grain.plugin.engine.wit.ToolCallResult;

public final class WithoutSpring {

	public static void main(String[] args) throws IOException {
		Path wasm = Path.of(args[0]); // e.g. .grain/plugins/echo/plugin.wasm
		System.out.println(callEcho(wasm, "{\"text\":\"hi\"}").contentJson());
	}

	public static ToolCallResult callEcho(Path wasm, String argumentsJson) throws IOException {
		PluginSpec spec = new PluginSpec("echo", wasm.toString(), Files.readAllBytes(wasm), Set.of(Capability.LOG),
				Map.of());
		try (PluginEngine engine = new PluginEngine(PluginEngineOptions.defaults());
				LoadedPlugin plugin = engine.load(spec)) {
			System.out.println(plugin.tools()); // List<ToolDef> from the plugin's list-tools
			return plugin.callTool("echo", argumentsJson);
		}
	}

}
