package io.github.grain.plugin.springai;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry served over MCP Streamable HTTP by Spring AI's MCP server starter, driven
 * by the MCP Java SDK's client: our titles and annotations, WebAssembly and bean tools,
 * every failure an {@code isError} result, runtime changes as
 * {@code notifications/tools/list_changed}.
 */
@SpringBootTest(classes = CoexistenceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "grain.plugins.approval.tools.http_post=deny",
				"grain.plugins.plugin.core.read-only-tools=echo,big,fail",
				"grain.plugins.plugin.hostile.read-only-tools=loop", "grain.plugins.plugin.hostile.call-timeout=300ms",
				"grain.plugins.plugin.hostile.exclude-tools=ok,trap,bad_ptr,absurd_len,invalid_utf8,misaligned_area,"
						+ "area_oob,recurse,grow,log_flood,big_result,bad_bool" })
class McpServerTests {

	private static final Path plugins = install();

	private final BlockingQueue<List<McpSchema.Tool>> toolListChanges = new LinkedBlockingQueue<>();

	@Autowired
	ToolRegistry registry;

	@LocalServerPort
	int port;

	private McpSyncClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("grain.plugins.directories", plugins::toString);
	}

	@BeforeEach
	void connect() {
		this.client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + this.port).build())
			.clientInfo(new McpSchema.Implementation("grain-tests", "1.0"))
			.toolsChangeConsumer(this.toolListChanges::add)
			.build();
		this.client.initialize();
	}

	@AfterEach
	void disconnect() {
		this.client.close();
	}

	@Test
	void servesEveryRegistryToolWithOurTitleAndAnnotations() {
		Map<String, McpSchema.Tool> tools = tools();
		assertThat(tools).containsKeys("echo", "http_get", "greet", "loop", "temperature");
		McpSchema.Tool echo = tools.get("echo");
		assertThat(echo.title()).isEqualTo("Echo");
		assertThat(echo.description()).isEqualTo("Returns its arguments unchanged.");
		assertThat(echo.annotations().readOnlyHint()).isTrue();
		assertThat(echo.annotations().destructiveHint()).isNull();
		assertThat(echo.annotations().openWorldHint()).isTrue();
		McpSchema.Tool httpGet = tools.get("http_get");
		assertThat(httpGet.annotations().readOnlyHint()).isFalse();
		assertThat(httpGet.annotations().destructiveHint()).isTrue();
		assertThat(httpGet.inputSchema()).containsEntry("required", List.of("url"));
		McpSchema.Tool greet = tools.get("greet");
		assertThat(greet.title()).isEqualTo("Greet");
		assertThat(greet.annotations().readOnlyHint()).isTrue();
		assertThat(greet.annotations().openWorldHint()).isFalse();
		assertThat(tools.get("loop").annotations().openWorldHint()).isFalse();
	}

	@Test
	void callsAWasmToolAndABeanTool() {
		McpSchema.CallToolResult echo = call("echo", Map.of("said", "hi"));
		assertThat(echo.isError()).isFalse();
		assertThat(text(echo)).isEqualTo("{\"said\":\"hi\"}");
		McpSchema.CallToolResult greet = call("greet", Map.of("name", "Ada"));
		assertThat(greet.isError()).isFalse();
		assertThat(text(greet)).isEqualTo("Hello, Ada!");
	}

	@Test
	void failuresAreErrorResultsWithReadableText() {
		McpSchema.CallToolResult failed = call("fail", Map.of());
		assertThat(failed.isError()).isTrue();
		assertThat(text(failed)).isNotBlank();
		// the MCP SDK checks arguments against the tool's inputSchema (ours) before the registry checks them again
		McpSchema.CallToolResult invalid = call("big", Map.of("size", -1));
		assertThat(invalid.isError()).isTrue();
		assertThat(text(invalid)).contains("/size: must have a minimum value of 0");
		McpSchema.CallToolResult denied = call("http_post", Map.of("url", "http://127.0.0.1:9/", "body", "x"));
		assertThat(denied.isError()).isTrue();
		assertThat(text(denied))
			.isEqualTo("the call to tool 'http_post' was not approved: denied by the application's configuration");
		McpSchema.CallToolResult deadline = call("loop", Map.of());
		assertThat(deadline.isError()).isTrue();
		assertThat(text(deadline)).contains("plugin 'hostile'").contains("deadline");
	}

	@Test
	void toolsRegisteredOrRemovedAtRuntimeReachConnectedClients() throws InterruptedException {
		awaitNotificationStream();
		this.registry.register(new ConstantTool("late_tool"));
		try {
			assertThat(awaitToolList((names) -> names.contains("late_tool"))).contains("late_tool");
			assertThat(text(call("late_tool", Map.of()))).isEqualTo("late");
		}
		finally {
			this.registry.unregister("late_tool");
		}
		assertThat(awaitToolList((names) -> !names.contains("late_tool"))).contains("echo");
	}

	/**
	 * Streamable HTTP delivers notifications only once the client's listening stream (its
	 * GET request, opened after initialize) is up; a change before that reaches nobody.
	 * Changes a probe tool until a notification arrives.
	 */
	private void awaitNotificationStream() throws InterruptedException {
		for (int attempt = 0; attempt < 20; attempt++) {
			this.registry.register(new ConstantTool("probe_tool"));
			this.registry.unregister("probe_tool");
			if (this.toolListChanges.poll(3, TimeUnit.SECONDS) != null) {
				return;
			}
		}
		throw new AssertionError("the client never received notifications/tools/list_changed");
	}

	/**
	 * The names in the first tool list, fetched by the client after a list_changed
	 * notification, that shows the change (earlier notifications may still be queued).
	 */
	private List<String> awaitToolList(java.util.function.Predicate<List<String>> showsTheChange)
			throws InterruptedException {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < end) {
			List<McpSchema.Tool> tools = this.toolListChanges.poll(1, TimeUnit.SECONDS);
			if (tools != null) {
				List<String> names = tools.stream().map(McpSchema.Tool::name).toList();
				if (showsTheChange.test(names)) {
					return names;
				}
			}
		}
		throw new AssertionError("no notifications/tools/list_changed showing the change");
	}

	private Map<String, McpSchema.Tool> tools() {
		Map<String, McpSchema.Tool> tools = new java.util.TreeMap<>();
		this.client.listTools().tools().forEach((tool) -> tools.put(tool.name(), tool));
		return tools;
	}

	private McpSchema.CallToolResult call(String name, Map<String, Object> arguments) {
		return this.client.callTool(new McpSchema.CallToolRequest(name, arguments));
	}

	private static String text(McpSchema.CallToolResult result) {
		return ((McpSchema.TextContent) result.content().get(0)).text();
	}

	private static Path install() {
		try {
			Path root = Files.createTempDirectory("grain-mcp");
			copy(root, "core", "/fixtures/core/v1-legacy.wasm", "[wasm]\ncapabilities = [\"log\", \"http\"]\n");
			copy(root, "hostile", "/fixtures/core/hostile.wasm", "[wasm]\ncapabilities = [\"log\"]\n");
			return root;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void copy(Path root, String name, String fixture, String manifest) throws IOException {
		Path plugin = Files.createDirectories(root.resolve(name));
		try (InputStream wasm = McpServerTests.class.getResourceAsStream(fixture)) {
			Files.copy(wasm, plugin.resolve("plugin.wasm"));
		}
		Files.writeString(plugin.resolve("plugin.toml"), manifest);
	}

	record ConstantTool(String name) implements Tool {

		@Override
		public ToolDefinition definition() {
			return new ToolDefinition(this.name, "Late", "Added at runtime.",
					JsonNodeFactory.instance.objectNode().put("type", "object"), "test:" + this.name, null, true);
		}

		@Override
		public ToolResult call(JsonNode arguments, ToolContext context) {
			return ToolResult.success(JsonNodeFactory.instance.textNode("late"));
		}

	}

}
