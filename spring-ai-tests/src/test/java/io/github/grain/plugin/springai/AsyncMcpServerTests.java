package io.github.grain.plugin.springai;

import java.util.Map;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same registry through Spring AI's asynchronous MCP server
 * ({@code spring.ai.mcp.server.type=ASYNC}).
 */
@SpringBootTest(classes = CoexistenceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "spring.ai.mcp.server.type=ASYNC",
				"grain.plugins.directories=" })
class AsyncMcpServerTests {

	@LocalServerPort
	int port;

	@Test
	void servesRegistryToolsThroughTheAsyncServer() {
		try (McpSyncClient client = McpClient
			.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + this.port).build())
			.build()) {
			client.initialize();
			McpSchema.Tool greet = client.listTools()
				.tools()
				.stream()
				.filter((tool) -> tool.name().equals("greet"))
				.findFirst()
				.orElseThrow();
			assertThat(greet.title()).isEqualTo("Greet");
			McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("greet", Map.of("name", "Bo")));
			assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("Hello, Bo!");
		}
	}

}
