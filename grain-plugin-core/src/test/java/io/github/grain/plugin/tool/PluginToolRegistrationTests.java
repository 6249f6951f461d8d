package io.github.grain.plugin.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginDiscovery;
import io.github.grain.plugin.engine.discovery.PluginLoader;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.discovery.PluginSettings;
import io.github.grain.plugin.engine.discovery.PluginStatus;
import io.github.grain.plugin.engine.wit.ToolDef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Real plugins dropped into a plugin directory ({@code mimic.wasm}, each told its tool
 * names) next to an application tool, through discovery, loading and registration.
 */
@Tag("runtime")
class PluginToolRegistrationTests {

	@TempDir
	Path plugins;

	private final PluginEngine engine = new PluginEngine(Fixtures.options());

	private final DefaultToolRegistry registry = DefaultToolRegistry.builder().build();

	private PluginCatalog catalog;

	@BeforeEach
	void dropInPlugins() throws IOException {
		install("a", "alpha_one,common");
		install("b", "common,b_only");
		install("c", "c_only,shared");
		List<PluginReport> reports = new PluginLoader(this.engine::load)
			.loadAll(new PluginDiscovery().discover(List.of(this.plugins)), (name) -> PluginSettings.defaults());
		this.catalog = new PluginCatalog(reports, List.of());
		new AnnotatedToolFactory(ToolJson.newMapper()).createTools(new ApplicationTools(), ApplicationTools.class,
				"bean:applicationTools")
			.forEach(this.registry::register);
	}

	@AfterEach
	void close() {
		this.registry.close();
		this.catalog.close();
		this.engine.close();
	}

	@Test
	void aPluginWhoseToolNameIsTakenIsReportedFailedNamingBothWhileEverythingElseServes() {
		List<WasmTool> registered = PluginToolRegistration.register(this.registry, this.catalog, wasmTools(), false);

		assertThat(registered).extracting((tool) -> tool.definition().name()).containsExactly("alpha_one", "common");
		assertThat(this.catalog.plugins()).extracting(PluginReport::name, PluginReport::status)
			.containsExactly(tuple("a", PluginStatus.LOADED), tuple("b", PluginStatus.FAILED),
					tuple("c", PluginStatus.FAILED));
		assertThat(this.catalog.find("b").orElseThrow().error()).isEqualTo("duplicate tool name 'common': defined by "
				+ "wasm:a and by wasm:b; none of the plugin's tools is served");
		assertThat(this.catalog.find("c").orElseThrow().error()).isEqualTo("duplicate tool name 'shared': defined by "
				+ "bean:applicationTools and by wasm:c; none of the plugin's tools is served");
		assertThat(this.catalog.find("c").orElseThrow()).satisfies((report) -> {
			assertThat(report.plugin()).isNull();
			assertThat(report.tools()).isEmpty();
			assertThat(report.sha256()).hasSize(64);
			assertThat(report.version()).isEqualTo("0.1.0");
		});
		// all of a plugin's tools or none
		assertThat(this.registry.definitions()).extracting(ToolDefinition::name)
			.containsExactly("alpha_one", "common", "shared");
		assertThat(this.registry.call("common", "{\"text\":\"from a\"}").content().get("said").asText())
			.isEqualTo("from a");
		assertThat(this.registry.call("shared", "{}").content().asText()).isEqualTo("the application's");
	}

	@Test
	void withFailFastTheConflictIsThrown() {
		assertThatExceptionOfType(DuplicateToolException.class)
			.isThrownBy(() -> PluginToolRegistration.register(this.registry, this.catalog, wasmTools(), true))
			.withMessage("duplicate tool name 'common': defined by wasm:a and by wasm:b");
		assertThat(this.catalog.failed()).isEmpty();
	}

	private List<WasmTool> wasmTools() {
		List<WasmTool> tools = new ArrayList<>();
		for (PluginReport report : this.catalog.loaded()) {
			for (ToolDef tool : report.plugin().tools()) {
				tools.add(new WasmTool(report.plugin(), tool, true, ToolJson.newMapper()));
			}
		}
		return tools;
	}

	private void install(String name, String tools) throws IOException {
		Path dir = Files.createDirectories(this.plugins.resolve(name));
		Files.write(dir.resolve("plugin.wasm"), Fixtures.bytes("core/mimic.wasm"));
		Files.writeString(dir.resolve("plugin.toml"), """
				[wasm]
				capabilities = ["env"]
				[wasm.env]
				TOOLS = "%s"
				""".formatted(tools));
	}

	/** The application's own tool. */
	public static class ApplicationTools {

		@GrainTool(description = "the application's", readOnly = true)
		public String shared() {
			return "the application's";
		}

	}

}
