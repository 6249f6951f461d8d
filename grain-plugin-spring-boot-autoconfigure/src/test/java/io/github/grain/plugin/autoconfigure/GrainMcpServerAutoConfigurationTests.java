package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.spring.mcp.McpOriginFilter;
import io.github.grain.plugin.spring.mcp.McpSessionCallers;
import io.github.grain.plugin.spring.mcp.McpToolPublisher;
import io.github.grain.plugin.spring.mcp.McpToolSpecifications;
import io.modelcontextprotocol.server.McpAsyncServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.web.server.WebFilter;

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

	private final ReactiveWebApplicationContextRunner reactiveRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(GrainPluginsAutoConfiguration.class, GrainMcpServerAutoConfiguration.class))
		.withPropertyValues("grain.plugins.directories=");

	@Test
	void aReactiveApplicationGuardsItsMcpEndpointsWithOriginValidationAndSessionOwners() {
		this.reactiveRunner.run((context) -> {
			assertThat(context).hasSingleBean(McpOriginFilter.class);
			assertThat(context).hasSingleBean(McpSessionCallers.class);
		});
	}

	@Test
	void theMcpEndpointsAreFoundWhereSpringAiServesThem() {
		this.reactiveRunner
			.withPropertyValues("spring.ai.mcp.server.streamable-http.mcp-endpoint=/tools/mcp",
					"spring.ai.mcp.server.sse-endpoint=/events")
			.run((context) -> assertThat(
					GrainMcpServerAutoConfiguration.ReactiveMcpEndpoints.mcpPaths(context.getEnvironment()))
				.containsExactly("/tools/mcp", "/events", "/mcp/message"));
	}

	@Test
	void anAllowedOriginThatIsNotAnOriginFailsStartupNamingTheProperty() {
		this.reactiveRunner.withPropertyValues("grain.plugins.spring-ai.mcp.allowed-origins=https://ok.example,console")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("allowed MCP origin 'console' is not an origin"));
		this.reactiveRunner.withPropertyValues("grain.plugins.spring-ai.mcp.allowed-origins=https://ok.example/app")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("grain.plugins.spring-ai.mcp.allowed-origins value 'https://ok.example/app' holds "
						+ "an entry that is not an origin"));
	}

	@Test
	void noMcpFiltersWithoutTheMcpSdkOrOutsideAReactiveWebApplication() {
		this.reactiveRunner.withClassLoader(new FilteredClassLoader(McpAsyncServer.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(McpOriginFilter.class);
			assertThat(context).doesNotHaveBean(McpSessionCallers.class);
		});
		this.reactiveRunner.withClassLoader(new FilteredClassLoader(WebFilter.class))
			.run((context) -> assertThat(context).doesNotHaveBean(McpOriginFilter.class));
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(McpOriginFilter.class));
		this.reactiveRunner.withPropertyValues("grain.plugins.spring-ai.mcp.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(McpOriginFilter.class));
	}

}
