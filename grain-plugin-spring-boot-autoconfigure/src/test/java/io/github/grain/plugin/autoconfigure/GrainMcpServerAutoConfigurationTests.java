package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.spring.mcp.McpToolPublisher;
import io.github.grain.plugin.spring.mcp.McpToolSpecifications;
import io.modelcontextprotocol.server.McpAsyncServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the MCP integration backs off. Serving over a real MCP server, with a real client,
 * is tested where Spring AI's MCP server starter is on the class path
 * ({@code spring-ai-tests}: McpServerTests; the sample app: GrainSampleMcpTests).
 */
class GrainMcpServerAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(GrainPluginsAutoConfiguration.class, GrainMcpServerAutoConfiguration.class))
		.withPropertyValues("grain.plugins.directories=");

	@Test
	void withoutAnMcpServerBeanNothingIsPublished() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(McpToolSpecifications.class);
			assertThat(context).doesNotHaveBean(McpToolPublisher.class);
		});
	}

	@Test
	void backsOffWithoutTheMcpSdkOnTheClassPath() {
		this.runner.withClassLoader(new FilteredClassLoader(McpAsyncServer.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(McpToolSpecifications.class);
		});
	}

	@Test
	void backsOffWhenTurnedOff() {
		this.runner.withPropertyValues("grain.plugins.spring-ai.mcp.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(McpToolSpecifications.class));
	}

}
