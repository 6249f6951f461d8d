package io.github.grain.plugin.sample;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.grain.plugin.autoconfigure.GrainPluginsAutoConfiguration;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginStatus;
import io.github.grain.plugin.tool.ToolRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example plugins the build puts in {@code target/example-plugins/} (from
 * {@code plugins/examples/}) load as a user would drop them into {@code .grain/plugins/},
 * side by side, and answer.
 */
class ExamplePluginsTests {

	private static final Path EXAMPLES = Path.of("target/example-plugins");

	@Test
	void theExamplePluginsLoadAndAnswer() {
		assertThat(EXAMPLES.resolve("echo-c/plugin.toml")).exists();
		assertThat(Files.exists(EXAMPLES.resolve("fetch-js/js-wasi-plugin.wasm"))).isTrue();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GrainPluginsAutoConfiguration.class))
			.withPropertyValues("grain.plugins.directories=" + EXAMPLES.toAbsolutePath(),
					"grain.plugins.plugin.fetch-js.exclude-tools=env",
					"grain.plugins.plugin.echo-c.read-only-tools=echo",
					"grain.plugins.plugin.fetch-js.read-only-tools=clock")
			.run((context) -> {
				PluginCatalog catalog = context.getBean(PluginCatalog.class);
				assertThat(catalog.plugins()).allSatisfy((plugin) -> assertThat(plugin.status())
					.as(plugin.name() + ": " + plugin.error())
					.isEqualTo(PluginStatus.LOADED));
				assertThat(catalog.plugins()).extracting((plugin) -> plugin.name()).contains("echo-c", "fetch-js");
				ToolRegistry tools = context.getBean(ToolRegistry.class);
				assertThat(tools.call("echo", "{\"text\":\"hi\"}").isError()).isFalse();
				assertThat(tools.call("clock", "{}").isError()).isFalse();
			});
	}

}
