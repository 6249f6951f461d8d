package io.github.grain.plugin.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's {@code /mcp} endpoint driven end to end by the official MCP
 * TypeScript SDK client ({@code src/test/mcp/mcp-client.mjs} in Node): initialize, list,
 * call a WebAssembly tool and a bean tool, an error result, and a tool registered while
 * the client is connected announced by {@code notifications/tools/list_changed}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "grain.plugins.approval.tools.write_note=deny")
class GrainSampleMcpTests {

	private static final ObjectMapper mapper = new ObjectMapper();

	private static final Path sandbox = createSandbox();

	@Autowired
	ToolRegistry registry;

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
		Process node = new ProcessBuilder("node", "mcp-client.mjs", "http://127.0.0.1:" + this.port + "/mcp", plan)
			.directory(new java.io.File(System.getProperty("grain.mcp.client.dir", "src/test/mcp")))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
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
	}

	private static JsonNode tool(JsonNode toolsStep, String name) {
		for (JsonNode tool : toolsStep.path("tools")) {
			if (tool.path("name").asText().equals(name)) {
				return tool;
			}
		}
		throw new AssertionError("no tool '" + name + "' in " + toolsStep);
	}

	private static Path createSandbox() {
		try {
			return Files.createTempDirectory("grain-sample-mcp");
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
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
