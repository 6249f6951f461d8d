package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.tool.Tool;
import io.github.grain.plugin.tool.ToolContext;
import io.github.grain.plugin.tool.ToolDefinition;
import io.github.grain.plugin.tool.ToolResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each startup failure of ours, for real: a {@link SpringApplication} that fails to start
 * and Boot's "APPLICATION FAILED TO START" report our analyzers write.
 */
@ExtendWith(OutputCaptureExtension.class)
class GrainPluginsFailureAnalyzersTests {

	@TempDir
	Path temp;

	@Test
	void anUnknownCapabilityNamesThePropertyWhereItWasSetAndTheKnownOnes(CapturedOutput output) throws IOException {
		Path config = Files.writeString(this.temp.resolve("application.yml"), """
				grain:
				  plugins:
				    plugin:
				      weather:
				        capabilities: [log, teleport]
				""");
		assertThat(failToStart(output, "spring.config.location=" + config.toUri()))
			.contains("Property 'grain.plugins.plugin.weather.capabilities' with value 'teleport' (set in URL [file:"
					+ config + "] - 5:24) is not a capability this host knows (log, env, http, role-orchestration).")
			.contains("Action:\n\nGrant only known capabilities: log, env, http, role-orchestration.");
	}

	@Test
	void aMalformedAllowListPatternNamesThePatternAndTheForm(CapturedOutput output) {
		assertThat(failToStart(output,
				"grain.plugins.plugin.weather.http.allow=https://api.example.com,ftp://files.example.com"))
			.contains("Property 'grain.plugins.plugin.weather.http.allow' with value 'ftp://files.example.com'")
			.contains("is not an allow-list pattern: the scheme must be http or https.")
			.contains("Write each origin as scheme://host[:port]");
	}

	@Test
	void anEnvPlaceholderThatDoesNotResolveNamesTheMissingVariable(CapturedOutput output) {
		assertThat(failToStart(output, "grain.plugins.plugin.weather.env[API_KEY]=${GRAIN_TEST_SURELY_UNSET_KEY}"))
			.contains("Property 'grain.plugins.plugin.weather.env.API_KEY' with value '${GRAIN_TEST_SURELY_UNSET_KEY}'")
			.contains("has a placeholder that does not resolve ('GRAIN_TEST_SURELY_UNSET_KEY' is not set): "
					+ "the plugin would read the literal text.")
			.contains("Set 'GRAIN_TEST_SURELY_UNSET_KEY' (an environment variable or a property), give the "
					+ "placeholder a default such as ${GRAIN_TEST_SURELY_UNSET_KEY:}, or remove the entry.");
	}

	@Test
	void aSandboxRootThatCannotBeCreatedNamesThePathAndWhy(CapturedOutput output) throws IOException {
		Path file = Files.writeString(this.temp.resolve("a-file"), "not a directory");
		assertThat(failToStart(output, "grain.plugins.sandbox.root=" + file.resolve("sandbox")))
			.contains("Property 'grain.plugins.sandbox.root' with value '" + file.resolve("sandbox") + "'")
			.contains("cannot be created (java.nio.file.FileSystemException")
			.contains("Point grain.plugins.sandbox.root at a directory this process may create and write, or "
					+ "leave it unset to refuse every path.");
	}

	@Test
	void failFastListsEveryPluginThatDidNotLoadWithItsDirectory(CapturedOutput output) throws IOException {
		Path plugins = this.temp.resolve("plugins");
		Path broken = Files.createDirectories(plugins.resolve("broken"));
		Files.write(broken.resolve("plugin.wasm"), Fixtures.bytes("core/v2-legacy.wasm"));
		Files.writeString(broken.resolve("plugin.toml"),
				"[wasm]\ncapabilities = [\"env\"]\n[wasm.env]\nGRAIN_FAIL_INIT = \"1\"\n");
		Path teleport = Files.createDirectories(plugins.resolve("teleport"));
		Files.writeString(teleport.resolve("plugin.toml"), "[wasm]\ncapabilities = [\"teleport\"]\n");
		assertThat(failToStart(output, "grain.plugins.directories=" + plugins, "grain.plugins.fail-fast=true"))
			.contains("2 plugin(s) failed to load and grain.plugins.fail-fast is true:")
			.contains("- 'broken' in " + broken + ": plugin 'broken' init returned err: init failed on request")
			.contains("- 'teleport' in " + teleport + ": teleport/plugin.toml: field 'wasm.capabilities'")
			.contains("unknown capability 'teleport'")
			.contains("turn one off with grain.plugins.plugin.broken.enabled=false, or set "
					+ "grain.plugins.fail-fast=false");
	}

	@Test
	void duplicateToolNamesSayHowToKeepEither(CapturedOutput output) {
		assertThat(failToStart(output, new Class<?>[] { GrainPluginsAutoConfigurationTests.ToolBeans.class,
				GrainPluginsAutoConfigurationTests.DuplicateGreeter.class }))
			.contains("Two tools are named 'greet': one from bean:greeter and one from bean:otherGreeter.")
			.contains("Keep one of them: rename the tool of bean 'greeter'")
			.contains("or rename the tool of bean 'otherGreeter'");
	}

	@Test
	void aToolWithAnUnusableSchemaIsNamed(CapturedOutput output) {
		assertThat(failToStart(output, new Class<?>[] { BrokenTool.class }))
			.contains("A tool cannot be registered: the parameters schema of tool 'broken' from bean:brokenTool is "
				+ "not a valid JSON Schema")
			.contains("Fix the tool's parameters schema.");
	}

	private String failToStart(CapturedOutput output, String... properties) {
		return failToStart(output, new Class<?>[0], properties);
	}

	private String failToStart(CapturedOutput output, Class<?>[] configurations, String... properties) {
		String[] all = new String[properties.length + 1];
		all[0] = "grain.plugins.directories=" + this.temp.resolve("none");
		System.arraycopy(properties, 0, all, 1, properties.length);
		return StartupFailures.report(output, configurations, all);
	}

	@Configuration(proxyBeanMethods = false)
	static class BrokenTool {

		@Bean
		Tool brokenTool() throws IOException {
			JsonNode schema = new ObjectMapper().readTree("{\"type\": 12}");
			ToolDefinition definition = new ToolDefinition("broken", "Broken", "", schema, "bean:brokenTool", null,
					true);
			return new Tool() {

				@Override
				public ToolDefinition definition() {
					return definition;
				}

				@Override
				public ToolResult call(JsonNode arguments, ToolContext context) {
					return ToolResult.success(arguments);
				}

			};
		}

	}

}
