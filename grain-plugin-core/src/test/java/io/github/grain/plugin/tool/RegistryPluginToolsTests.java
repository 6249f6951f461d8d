package io.github.grain.plugin.tool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.discovery.PluginStatus;
import io.github.grain.plugin.engine.wit.ToolDef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@link PluginToolRegistration} without a runtime: plugins stand in for loaded ones (what
 * is registered and reported depends only on their names and tools; the runtime suites run
 * {@code PluginToolRegistrationTests} with real guests). Plugins {@code a}, {@code b},
 * {@code c} in that order, next to the application's tool {@code app_tool}: {@code b}
 * wants a name {@code a} has, {@code c} one the application has.
 */
class RegistryPluginToolsTests {

	private static final ObjectMapper mapper = ToolJson.newMapper();

	private final DefaultToolRegistry registry = DefaultToolRegistry.builder().build();

	private final List<WasmTool> tools = new ArrayList<>();

	private PluginCatalog catalog;

	@BeforeEach
	void loadPlugins() {
		this.registry.register(RegistryTestTool.from("bean:app", "app_tool", (arguments) -> ToolResult.error("unused")));
		List<PluginReport> reports = new ArrayList<>();
		reports.add(plugin("a", "alpha", "shared"));
		reports.add(plugin("b", "shared", "b_only"));
		reports.add(plugin("c", "c_only", "app_tool"));
		this.catalog = new PluginCatalog(reports, List.of());
	}

	@AfterEach
	void close() {
		this.registry.close();
		this.catalog.close();
	}

	@Test
	void aPluginWhoseNameIsTakenIsReportedFailedAndTheOthersServe() {
		WasmTool foreign = tool(loaded("x"), "foreign");
		this.tools.add(foreign);
		List<WasmTool> registered = PluginToolRegistration.register(this.registry, this.catalog, this.tools, false);
		assertThat(registered).extracting((tool) -> tool.definition().source() + " " + tool.definition().name())
			.containsExactly("wasm:x foreign", "wasm:a alpha", "wasm:a shared");
		assertThat(this.registry.definitions()).extracting(ToolDefinition::name)
			.containsExactly("alpha", "app_tool", "foreign", "shared");
		assertThat(this.registry.definition("app_tool")).get().extracting(ToolDefinition::source).isEqualTo("bean:app");
		assertThat(this.catalog.plugins()).extracting(PluginReport::name, PluginReport::status, PluginReport::error)
			.containsExactly(tuple("a", PluginStatus.LOADED, null),
					tuple("b", PluginStatus.FAILED,
							"duplicate tool name 'shared': defined by wasm:a and by wasm:b; none of the plugin's tools is served"),
					tuple("c", PluginStatus.FAILED,
							"duplicate tool name 'app_tool': defined by bean:app and by wasm:c; none of the plugin's tools is served"));
	}

	@Test
	void failFastThrowsAtTheFirstPluginThatCannotBeRegistered() {
		assertThatExceptionOfType(DuplicateToolException.class)
			.isThrownBy(() -> PluginToolRegistration.register(this.registry, this.catalog, this.tools, true))
			.withMessage("duplicate tool name 'shared': defined by wasm:a and by wasm:b");
		assertThat(this.registry.definitions()).extracting(ToolDefinition::name)
			.containsExactly("alpha", "app_tool", "shared");
		assertThat(this.catalog.failed()).isEmpty();
	}

	@Test
	void aToolOfNoCatalogPluginIsTheApplicationsOwnAndAConflictThrows() {
		this.tools.add(tool(loaded("x"), "app_tool"));
		assertThatExceptionOfType(DuplicateToolException.class)
			.isThrownBy(() -> PluginToolRegistration.register(this.registry, this.catalog, this.tools, false))
			.withMessage("duplicate tool name 'app_tool': defined by bean:app and by wasm:x");
		assertThat(this.registry.definitions()).extracting(ToolDefinition::name).containsExactly("app_tool");
	}

	private PluginReport plugin(String name, String... toolNames) {
		LoadedPlugin plugin = loaded(name);
		for (String toolName : toolNames) {
			this.tools.add(tool(plugin, toolName));
		}
		return new PluginReport(name, Path.of("plugins", name), PluginStatus.LOADED, "1.0", null, Set.of(),
				List.of(toolNames), null, null, plugin);
	}

	private static LoadedPlugin loaded(String name) {
		LoadedPlugin plugin = mock(LoadedPlugin.class);
		given(plugin.name()).willReturn(name);
		given(plugin.capabilities()).willReturn(Set.of());
		return plugin;
	}

	private static WasmTool tool(LoadedPlugin plugin, String name) {
		return new WasmTool(plugin, new ToolDef(name, "", "a plugin tool", "{\"type\":\"object\"}"), true, mapper);
	}

}
