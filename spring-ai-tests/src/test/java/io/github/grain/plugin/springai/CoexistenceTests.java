package io.github.grain.plugin.springai;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.grain.plugin.tool.ToolRegistry;
import io.github.grain.plugin.tool.ToolResult;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts an application with exactly our starter, {@code spring-ai-model} and Spring AI's
 * MCP server starter (WebFlux) on one class path, and uses both sides: a WebAssembly tool
 * and a {@code @GrainTool} bean through our registry, a Spring AI {@code @Tool} method
 * through its {@link ToolCallback} and over MCP.
 */
@SpringBootTest(classes = CoexistenceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.ai.mcp.server.protocol=STREAMABLE")
class CoexistenceTests {

	private static final Path plugins = installCorePlugin();

	@Autowired
	ToolRegistry registry;

	@Autowired
	@Qualifier("weatherToolCallbacks")
	ToolCallbackProvider weatherToolCallbacks;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("grain.plugins.directories", plugins::toString);
		registry.add("grain.plugins.plugin.core.read-only-tools", () -> "echo,big");
	}

	@Test
	void grainToolsRunBesideSpringAi() {
		ToolResult echo = this.registry.call("echo", "{\"said\":\"hi\"}");
		assertThat(echo.isError()).isFalse();
		assertThat(echo.content().path("said").asText()).isEqualTo("hi");
		ToolResult greeting = this.registry.call("greet", "{\"name\":\"Ada\"}");
		assertThat(greeting.isError()).isFalse();
		assertThat(greeting.content().asText()).isEqualTo("Hello, Ada!");
		assertThat(this.registry.definition("greet").orElseThrow().parameters().path("properties").path("name")
			.path("description").asText()).isEqualTo("who to greet");
	}

	@Test
	void schemaViolationsStillNameTheirPath() {
		ToolResult result = this.registry.call("big", JsonNodeFactory.instance.objectNode().put("size", -1));
		assertThat(result.isError()).isTrue();
		assertThat(result.content().path("violations").get(0).asText())
			.isEqualTo("$.size: must have a minimum value of 0");
	}

	@Test
	void springAiToolMethodsRunBesideOurStarter() {
		ToolCallback temperature = this.weatherToolCallbacks.getToolCallbacks()[0];
		assertThat(temperature.getToolDefinition().name()).isEqualTo("temperature");
		assertThat(temperature.getToolDefinition().inputSchema()).contains("\"city\"").contains("the city");
		assertThat(temperature.call("{\"city\":\"Oslo\"}")).isEqualTo("12");
	}

	@Test
	void mcpServerServesSpringAiToolsBesideOurStarter() {
		try (McpSyncClient client = McpClient
			.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + this.port).build())
			.build()) {
			client.initialize();
			assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("temperature");
			McpSchema.CallToolResult result = client
				.callTool(new McpSchema.CallToolRequest("temperature", Map.of("city", "Lima")));
			assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
			assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("12");
		}
	}

	private static Path installCorePlugin() {
		try (InputStream wasm = CoexistenceTests.class.getResourceAsStream("/fixtures/core/v1-legacy.wasm")) {
			Path root = Files.createTempDirectory("grain-spring-ai");
			Path plugin = Files.createDirectories(root.resolve("core"));
			Files.copy(wasm, plugin.resolve("plugin.wasm"));
			Files.writeString(plugin.resolve("plugin.toml"), "[wasm]\ncapabilities = [\"log\"]\n");
			return root;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
