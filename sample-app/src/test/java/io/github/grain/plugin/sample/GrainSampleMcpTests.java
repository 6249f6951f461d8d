package io.github.grain.plugin.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.grain.plugin.tool.Tool;
import io.github.grain.plugin.tool.ToolContext;
import io.github.grain.plugin.tool.ToolDefinition;
import io.github.grain.plugin.tool.ToolRegistry;
import io.github.grain.plugin.tool.ToolResult;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's {@code /mcp} endpoint driven end to end by the official MCP
 * TypeScript SDK client ({@code src/test/mcp/mcp-client.mjs} in Node): initialize, list,
 * call a WebAssembly tool and a bean tool, an error result, and a tool registered while
 * the client is connected announced by {@code notifications/tools/list_changed}; with the
 * user's HTTP Basic credentials passed through the transport's {@code requestInit}. Without
 * them, or from a web page of another origin, nothing runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "grain.plugins.approval.tools.write_note=deny")
@Import(RecordedApprovals.class)
class GrainSampleMcpTests {

	private static final ObjectMapper mapper = new ObjectMapper();

	private static final Path sandbox = TemporarySandbox.create("grain-sample-mcp");

	@Autowired
	ToolRegistry registry;

	@Autowired
	RecordedApprovals approvals;

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("grain.plugins.sandbox.root", sandbox::toString);
		registry.add("grain.plugins.directories", () -> "classpath:grain-plugins");
	}

	@Test
	void theTypeScriptSdkClientListsCallsAndHearsOfNewTools() throws Exception {
		String plan = mapper.writeValueAsString(Map.of("calls",
				List.of(Map.of("name", "echo", "arguments", Map.of("said", "hi")),
						Map.of("name", "text_stats", "arguments", Map.of("text", "one two\nthree")),
						Map.of("name", "write_note", "arguments", Map.of("name", "a.txt", "text", "x")),
						Map.of("name", "big", "arguments", Map.of("size", "many")))));
		Process node = client(plan, SampleCredentials.authorization(SampleCredentials.USER, SampleCredentials.PASSWORD));
		List<JsonNode> steps = new ArrayList<>();
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				JsonNode step = mapper.readTree(line);
				steps.add(step);
				if (step.path("step").asText().equals("ready-for-change")) {
					this.registry.register(new LateTool());
				}
			}
		}
		finally {
			if (!node.waitFor(60, TimeUnit.SECONDS)) {
				node.destroyForcibly();
			}
			this.registry.unregister("late_tool");
		}
		assertThat(steps).extracting((step) -> step.path("step").asText())
			.containsExactly("initialized", "tools", "call", "call", "call", "call", "ready-for-change",
					"tools-changed");
		assertThat(node.exitValue()).isZero();

		JsonNode initialized = steps.get(0);
		assertThat(initialized.at("/server/name").asText()).isEqualTo("grain-sample");
		assertThat(initialized.at("/capabilities/tools/listChanged").asBoolean()).isTrue();

		JsonNode echo = tool(steps.get(1), "echo");
		assertThat(echo.path("title").asText()).isEqualTo("Echo");
		assertThat(echo.at("/annotations/readOnlyHint").asBoolean()).isTrue();
		JsonNode writeNote = tool(steps.get(1), "write_note");
		assertThat(writeNote.at("/annotations/destructiveHint").asBoolean()).isTrue();
		assertThat(writeNote.at("/inputSchema/required")).extracting(JsonNode::asText)
			.containsExactlyInAnyOrder("name", "text");
		assertThat(tool(steps.get(1), "text_stats").path("title").asText()).isEqualTo("Text statistics");

		JsonNode wasm = steps.get(2).path("result");
		assertThat(wasm.path("isError").asBoolean()).isFalse();
		assertThat(mapper.readTree(wasm.at("/content/0/text").asText())).isEqualTo(mapper.readTree("{\"said\":\"hi\"}"));
		JsonNode bean = steps.get(3).path("result");
		assertThat(bean.path("isError").asBoolean()).isFalse();
		assertThat(mapper.readTree(bean.at("/content/0/text").asText()).path("words").asInt()).isEqualTo(3);
		JsonNode denied = steps.get(4).path("result");
		assertThat(denied.path("isError").asBoolean()).isTrue();
		assertThat(denied.at("/content/0/text").asText())
			.isEqualTo("the call to tool 'write_note' was not approved: denied by the application's configuration");
		JsonNode invalid = steps.get(5).path("result");
		assertThat(invalid.path("isError").asBoolean()).isTrue();
		assertThat(invalid.at("/content/0/text").asText()).contains("/size: string found, integer expected");

		assertThat(tool(steps.get(7), "late_tool").path("title").asText()).isEqualTo("Late tool");
		assertThat(this.approvals.of("write_note", "a.txt")).singleElement()
			.satisfies((event) -> assertThat(event.getPrincipal()).isEqualTo(SampleCredentials.USER));
	}

	@Test
	void theTypeScriptSdkClientWithoutCredentialsIsRefusedWith401() throws Exception {
		String plan = mapper.writeValueAsString(Map.of("calls", List.of()));
		for (String authorization : new String[] { null, SampleCredentials.authorization("tester", "guess") }) {
			Process node = client(plan, authorization);
			String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(node.exitValue()).isEqualTo(1);
			JsonNode failed = mapper.readTree(out.lines().findFirst().orElseThrow());
			assertThat(failed.path("step").asText()).isEqualTo("failed");
			assertThat(failed.path("code").asInt()).isEqualTo(401);
		}
	}

	@Test
	void aRequestFromAnotherOriginIsRefusedWith403AndNoToolRuns() throws Exception {
		String authorization = SampleCredentials.authorization(SampleCredentials.USER, SampleCredentials.PASSWORD);
		HttpResponse<String> initialized = mcp(null, authorization, null, "{\"jsonrpc\":\"2.0\",\"id\":1,"
				+ "\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
				+ "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
		assertThat(initialized.statusCode()).isEqualTo(200);
		String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
		assertThat(mcp(session, authorization, null, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
			.statusCode()).isEqualTo(202);
		String call = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"write_note\","
				+ "\"arguments\":{\"name\":\"origin.txt\",\"text\":\"x\"}}}";
		HttpResponse<String> foreign = mcp(session, authorization, "http://evil.example", call);
		assertThat(foreign.statusCode()).isEqualTo(403);
		assertThat(foreign.body()).contains("Origin 'http://evil.example' may not use the MCP endpoint '/mcp'");
		assertThat(this.approvals.of("write_note", "origin.txt")).isEmpty();
		// the same call without a foreign Origin reaches the tool's approval, with the session's owner
		HttpResponse<String> own = mcp(session, authorization, null, call);
		assertThat(own.statusCode()).isEqualTo(200);
		assertThat(own.body()).contains("was not approved");
		assertThat(this.approvals.of("write_note", "origin.txt")).singleElement()
			.satisfies((event) -> assertThat(event.getPrincipal()).isEqualTo(SampleCredentials.USER));
		assertThat(sandbox.resolve("origin.txt")).doesNotExist();
	}

	private Process client(String plan, @Nullable String authorization) throws IOException {
		List<String> command = new ArrayList<>(List.of("node", "mcp-client.mjs", "http://127.0.0.1:" + this.port + "/mcp", plan));
		if (authorization != null) {
			command.add(authorization);
		}
		return new ProcessBuilder(command)
			.directory(new java.io.File(System.getProperty("grain.mcp.client.dir", "src/test/mcp")))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
	}

	private HttpResponse<String> mcp(@Nullable String session, String authorization, @Nullable String origin,
			String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("Authorization", authorization)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (session != null) {
			request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
		}
		if (origin != null) {
			request.header("Origin", origin);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode tool(JsonNode toolsStep, String name) {
		for (JsonNode tool : toolsStep.path("tools")) {
			if (tool.path("name").asText().equals(name)) {
				return tool;
			}
		}
		throw new AssertionError("no tool '" + name + "' in " + toolsStep);
	}

	/** A tool registered while the client is connected. */
	static final class LateTool implements Tool {

		@Override
		public ToolDefinition definition() {
			return new ToolDefinition("late_tool", "Late tool", "Registered at runtime.",
					JsonNodeFactory.instance.objectNode().put("type", "object"), "test:late", null, true);
		}

		@Override
		public ToolResult call(JsonNode arguments, ToolContext context) {
			return ToolResult.success(JsonNodeFactory.instance.textNode("late"));
		}

	}

}
