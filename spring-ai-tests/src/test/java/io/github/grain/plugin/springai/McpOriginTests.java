package io.github.grain.plugin.springai;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.grain.plugin.tool.Tool;
import io.github.grain.plugin.tool.ToolContext;
import io.github.grain.plugin.tool.ToolDefinition;
import io.github.grain.plugin.tool.ToolRegistry;
import io.github.grain.plugin.tool.ToolResult;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's Origin validation in front of Spring AI's real MCP server, on a random
 * port, in an application with no security of its own: a request from a web page of
 * another origin is refused with 403 and its tool call never runs; the server's own
 * origin, an allowed origin and clients that send no Origin (the MCP Java SDK client) are
 * served.
 */
@SpringBootTest(classes = CoexistenceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "grain.plugins.directories=",
				"grain.plugins.spring-ai.mcp.allowed-origins=https://console.example.com" })
class McpOriginTests {

	private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
			+ "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

	private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
			+ "{\"name\":\"counted\",\"arguments\":{}}}";

	private final HttpClient http = HttpClient.newHttpClient();

	private final CountedTool counted = new CountedTool();

	@Autowired
	ToolRegistry registry;

	@LocalServerPort
	int port;

	@BeforeEach
	void register() {
		this.registry.register(this.counted);
	}

	@AfterEach
	void unregister() {
		this.registry.unregister("counted");
	}

	@Test
	void aToolCallFromAForeignOriginIsRefusedAndTheToolDoesNotRun() throws Exception {
		String session = openSession(null);
		HttpResponse<String> refused = post(session, "http://evil.example", CALL);
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("Origin 'http://evil.example' may not use the MCP endpoint '/mcp'");
		assertThat(post(null, "http://evil.example", INITIALIZE).statusCode()).isEqualTo(403);
		assertThat(this.counted.calls).hasValue(0);
		HttpResponse<String> served = post(session, null, CALL);
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()).contains("counted once");
		assertThat(this.counted.calls).hasValue(1);
	}

	@Test
	void theServersOwnOriginAndAnAllowedOriginAreServed() throws Exception {
		String own = openSession("http://127.0.0.1:" + this.port);
		assertThat(post(own, "http://127.0.0.1:" + this.port, CALL).statusCode()).isEqualTo(200);
		String allowed = openSession("https://console.example.com");
		assertThat(post(allowed, "https://console.example.com", CALL).statusCode()).isEqualTo(200);
		assertThat(this.counted.calls).hasValue(2);
	}

	@Test
	void theMcpJavaSdkClientSendsNoOriginAndIsServed() {
		McpSyncClient client = McpClient
			.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + this.port).build())
			.build();
		try {
			client.initialize();
			McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("counted", java.util.Map.of()));
			assertThat(result.isError()).isFalse();
		}
		finally {
			client.close();
		}
		assertThat(this.counted.calls).hasValue(1);
	}

	private String openSession(@Nullable String origin) throws Exception {
		HttpResponse<String> initialized = post(null, origin, INITIALIZE);
		assertThat(initialized.statusCode()).isEqualTo(200);
		String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
		assertThat(post(session, origin, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode())
			.isEqualTo(202);
		return session;
	}

	private HttpResponse<String> post(@Nullable String session, @Nullable String origin, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (session != null) {
			request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
		}
		if (origin != null) {
			request.header("Origin", origin);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** A tool that counts its calls. */
	static final class CountedTool implements Tool {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public ToolDefinition definition() {
			return new ToolDefinition("counted", "Counted", "Counts its calls.",
					JsonNodeFactory.instance.objectNode().put("type", "object"), "test:counted", null, true);
		}

		@Override
		public ToolResult call(JsonNode arguments, ToolContext context) {
			this.calls.incrementAndGet();
			return ToolResult.success(JsonNodeFactory.instance.textNode("counted once"));
		}

	}

}
