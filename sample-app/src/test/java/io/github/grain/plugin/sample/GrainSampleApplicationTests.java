package io.github.grain.plugin.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the sample application for real, on a random port, with its bundled plugins,
 * and drives the REST API over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT60S") // a bound on waiting on a loaded machine, not a measurement
class GrainSampleApplicationTests {

	private static final Path sandbox;

	private static final HttpServer upstream;

	static {
		try {
			sandbox = Files.createTempDirectory("grain-sample-test");
			upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			upstream.createContext("/hello", (exchange) -> {
				byte[] body = "hello from upstream".getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			upstream.start();
			// Shared by this class and its subclass (the same suite on Chicory): stopped when the JVM ends.
			Runtime.getRuntime().addShutdownHook(new Thread(() -> upstream.stop(0)));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Autowired
	WebTestClient client;

	@BeforeEach
	void authenticate() {
		this.client = this.client.mutate().defaultHeaders(SampleCredentials::basic).build();
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("grain.plugins.sandbox.root", sandbox::toString);
		registry.add("grain.plugins.directories", () -> "classpath:grain-plugins");
		registry.add("grain.plugins.plugin.core.http.allow",
				() -> "http://127.0.0.1:" + upstream.getAddress().getPort());
	}

	@Test
	void listsWasmAndBeanToolsWithTheirSchemas() {
		this.client.get()
			.uri("/api/tools")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[*].name")
			.value((List<String> values) -> assertThat(values).contains("echo", "http_get", "current_time", "write_note", "read_note", "list_notes", "text_stats"))
			.jsonPath("$[?(@.name == 'echo')].source")
			.isEqualTo("wasm:core")
			.jsonPath("$[?(@.name == 'echo')].label")
			.isEqualTo("Echo")
			.jsonPath("$[?(@.name == 'echo')].capability")
			.isEqualTo("log,env,http")
			.jsonPath("$[?(@.name == 'echo')].readOnly")
			.isEqualTo(true)
			.jsonPath("$[?(@.name == 'echo')].parameters.type")
			.isEqualTo("object")
			.jsonPath("$[?(@.name == 'write_note')].source")
			.isEqualTo("bean:noteTools")
			.jsonPath("$[?(@.name == 'write_note')].capability")
			.isEqualTo("filesystem")
			.jsonPath("$[?(@.name == 'write_note')].readOnly")
			.isEqualTo(false)
			.jsonPath("$[?(@.name == 'write_note')].parameters.required[*]")
			.value((List<String> values) -> assertThat(values).contains("name", "text"))
			.jsonPath("$[?(@.name == 'write_note')].parameters.properties.name.description")
			.isEqualTo("File name of the note, for example ideas.txt")
			.jsonPath("$[?(@.name == 'current_time')].capability")
			.isEqualTo(null);
	}

	@Test
	void schemasAndContentAreWrittenAsJsonNotAsJacksonNodeBeans() {
		String tools = this.client.get().uri("/api/tools").exchange().expectBody(String.class).returnResult()
			.getResponseBody();
		assertThat(tools).doesNotContain("nodeType").doesNotContain("containerNode");
		this.client.post()
			.uri("/api/tools/echo")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"a\":[1,{\"b\":true}],\"s\":\"x\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"content\":{\"a\":[1,{\"b\":true}],\"s\":\"x\"},\"isError\":false}", true);
	}

	@Test
	void callsABeanToolWrittenAgainstRawJson() {
		this.client.post()
			.uri("/api/tools/text_stats")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"text\":\"one two\\nthree\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"content\":{\"characters\":13,\"words\":3,\"lines\":2},\"isError\":false}", true);
	}

	@Test
	void mutatingToolWritesInsideTheSandboxOnly() {
		call("write_note", "{\"name\":\"ideas.txt\",\"text\":\"plant trees\"}").jsonPath("$.isError")
			.isEqualTo(false)
			.jsonPath("$.content.bytes")
			.isEqualTo(11);
		assertThat(sandbox.resolve("ideas.txt")).hasContent("plant trees");
		call("read_note", "{\"name\":\"ideas.txt\"}").jsonPath("$.content").isEqualTo("plant trees");
		call("list_notes", "").jsonPath("$.content[*]").value((List<String> values) -> assertThat(values).contains("ideas.txt"));
		call("write_note", "{\"name\":\"../escape.txt\",\"text\":\"x\"}").jsonPath("$.isError")
			.isEqualTo(true)
			.jsonPath("$.content.error")
			.value((String value) -> assertThat(value).contains("outside the sandbox"));
		assertThat(sandbox.resolveSibling("escape.txt")).doesNotExist();
	}

	@Test
	void aLoneSurrogateInTheArgumentsIsAnOrdinaryResult() {
		// valid JSON text, but the string it holds has half a UTF-16 pair, which no UTF-8 encoder writes
		call("text_stats", "{\"text\":\"a\\ud800b\"}").jsonPath("$.isError")
			.isEqualTo(false)
			.jsonPath("$.content.characters")
			.isEqualTo(3);
		call("echo", "{\"s\":\"a\\udc00b\"}").jsonPath("$.isError").isEqualTo(false);
		call("read_note", "{\"name\":\"\\ud800.txt\"}").jsonPath("$.isError").isEqualTo(true);
	}

	@Test
	void argumentsUpToTheConfiguredLimitAreCalledAndLargerBodiesAreAClear413() {
		// the default grain.plugins.max-arguments-size is 1 MB: four times Spring's 256 KB codec default
		String text = "a".repeat(1_000_000);
		call("text_stats", "{\"text\":\"" + text + "\"}").jsonPath("$.isError")
			.isEqualTo(false)
			.jsonPath("$.content.characters")
			.isEqualTo(1_000_000);
		this.client.post()
			.uri("/api/tools/text_stats")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"text\":\"" + "a".repeat(1_100_000) + "\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("the request body is larger than the limit of 1048576 bytes (grain.plugins.max-arguments-size)")
			.jsonPath("$.limit")
			.isEqualTo(1048576);
	}

	@Test
	void argumentsViolatingTheSchemaAreAnErrorTheModelCanRead() {
		call("write_note", "{\"name\":\"a.txt\"}").jsonPath("$.isError")
			.isEqualTo(true)
			.jsonPath("$.content.error")
			.value((String value) -> assertThat(value).contains("do not match the parameters schema of tool 'write_note'"))
			.jsonPath("$.content.violations[0]")
			.value((String value) -> assertThat(value).contains("text"));
	}

	@Test
	void unknownToolIsA404ProblemDetail() {
		this.client.post()
			.uri("/api/tools/no_such_tool")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404)
			.jsonPath("$.title")
			.isEqualTo("Unknown tool")
			.jsonPath("$.detail")
			.isEqualTo("unknown tool 'no_such_tool'");
	}

	@Test
	void malformedJsonBodyIsA400ProblemDetail() {
		this.client.post()
			.uri("/api/tools/echo")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"a\": ")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.detail")
			.value((String value) -> assertThat(value).contains("not valid JSON"));
	}

	@Test
	void listsLoadedAndFailedPlugins() throws Exception {
		String digest;
		try (InputStream in = getClass().getResourceAsStream("/grain-plugins/core/v1-legacy.wasm")) {
			digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
		}
		this.client.get()
			.uri("/api/plugins")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[?(@.name == 'core')].status")
			.isEqualTo("loaded")
			.jsonPath("$[?(@.name == 'core')].version")
			.isEqualTo("1.2.3")
			.jsonPath("$[?(@.name == 'core')].world")
			.isEqualTo("v1")
			.jsonPath("$[?(@.name == 'core')].sha256")
			.isEqualTo(digest)
			.jsonPath("$[?(@.name == 'core')].runtime")
			.isEqualTo(expectedRuntime())
			.jsonPath("$[?(@.name == 'core')].capabilities[*]")
			.value((List<String> values) -> assertThat(values).contains("log", "env", "http"))
			.jsonPath("$[?(@.name == 'core')].tools[*]")
			.value((List<String> values) -> assertThat(values).contains("echo", "env", "http_get", "http_post", "wasi", "fail", "big", "log"))
			.jsonPath("$[?(@.name == 'broken')].status")
			.isEqualTo("failed")
			.jsonPath("$[?(@.name == 'broken')].error")
			.value((List<String> errors) -> assertThat(errors).singleElement().asString().contains("init failed on request"))
			.jsonPath("$[?(@.name == 'broken')].sha256")
			.value((List<String> digests) -> assertThat(digests).singleElement().asString().hasSize(64));
	}

	@Test
	void listsTheRolesAndHooksOfV2Plugins() {
		this.client.get()
			.uri("/api/plugins")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[?(@.name == 'orchestrator')].status")
			.isEqualTo("loaded")
			.jsonPath("$[?(@.name == 'orchestrator')].world")
			.isEqualTo("v2")
			.jsonPath("$[?(@.name == 'orchestrator')].capabilities[*]")
			.isEqualTo("role-orchestration")
			.jsonPath("$[?(@.name == 'orchestrator')].roles[*].name")
			.value((List<String> names) -> assertThat(names).containsExactly("planner", "coder"))
			.jsonPath("$[?(@.name == 'orchestrator')].roles[0]")
			.isEqualTo(Map.of("name", "planner", "model", "anthropic/claude-sonnet-4", "prompt", "You plan.", "tools",
					List.of("echo"), "thinkingLevel", "high"))
			.jsonPath("$[?(@.name == 'orchestrator')].roles[1].thinkingLevel")
			.isEqualTo(null)
			.jsonPath("$[?(@.name == 'orchestrator')].hooks[*].point")
			.value((List<String> points) -> assertThat(points).containsExactly("before-agent-start", "after-tool-call",
					"prepare-next-turn", "should-stop-after-turn"))
			.jsonPath("$[?(@.name == 'orchestrator')].hooks[*].name")
			.value((List<String> names) -> assertThat(names).containsExactly("start", "after", "prepare", "stop"))
			.jsonPath("$[?(@.name == 'core')].roles[*]")
			.isEmpty()
			.jsonPath("$[?(@.name == 'core')].hooks[*]")
			.isEmpty()
			.jsonPath("$[?(@.name == 'broken')].roles[*]")
			.isEmpty();
	}

	@Test
	void hookDispatchAnswersWithEveryAcceptedActionInOrder() {
		hook("should-stop-after-turn", "{\"case\":\"all\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.dispatchId")
			.value((String id) -> assertThat(UUID.fromString(id)).isNotNull())
			.jsonPath("$.point")
			.isEqualTo("should-stop-after-turn")
			.jsonPath("$.plugins")
			.isEqualTo(List.of("orchestrator"))
			.jsonPath("$.accepted[*].action.kind")
			.isEqualTo(List.of("switch-role", "switch-model", "set-system-prompt", "set-active-tools",
					"inject-user-message", "stop-after-turn", "emit-custom", "set-ui-header", "set-ui-status"))
			.jsonPath("$.accepted[0]")
			.isEqualTo(Map.of("plugin", "orchestrator", "point", "should-stop-after-turn", "action",
					Map.of("kind", "switch-role", "role", "planner")))
			.jsonPath("$.accepted[3].action.tools")
			.isEqualTo(List.of("echo", "fail"))
			.jsonPath("$.accepted[5].action.stop")
			.isEqualTo(true)
			.jsonPath("$.accepted[6].action.json")
			.isEqualTo("{\"k\":1}")
			.jsonPath("$.accepted[7].action.header.provider")
			.isEqualTo("anthropic")
			.jsonPath("$.rejected")
			.isEmpty()
			.jsonPath("$.failures")
			.isEmpty();
	}

	@Test
	void hookDispatchReportsRejectedActionsWithTheirReasons() {
		hook("prepare-next-turn", "{\"case\":\"invalid\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.accepted")
			.isEmpty()
			.jsonPath("$.rejected[*].action.kind")
			.isEqualTo(List.of("switch-role", "set-active-tools", "emit-custom", "stop-after-turn", "switch-model",
					"set-system-prompt"))
			.jsonPath("$.rejected[0]")
			.isEqualTo(Map.of("plugin", "orchestrator", "point", "prepare-next-turn", "action",
					Map.of("kind", "switch-role", "role", "nobody"), "reason",
					"role 'nobody' is not declared by plugin 'orchestrator' (declared: 'planner', 'coder')"))
			.jsonPath("$.rejected[1].reason")
			.isEqualTo("unknown tool 'nope'; the whole tool set is refused");
	}

	@Test
	void hookDispatchReportsAFailedHookCall() {
		hook("after-tool-call", "{\"case\":\"err\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.failures")
			.isEqualTo(List.of(Map.of("plugin", "orchestrator", "point", "after-tool-call", "kind", "guest-error",
					"message", "hook failed on request")))
			.jsonPath("$.accepted")
			.isEmpty();
	}

	@Test
	void hookOutcomesReachTheExampleListener() {
		String dispatchId = hook("before-agent-start", "").expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("dispatchId")
			.toString();
		this.client.get()
			.uri("/api/hooks/events")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[?(@.dispatchId == '" + dispatchId + "')]")
			.value((List<Map<String, Object>> events) -> assertThat(events).singleElement()
				.satisfies((event) -> assertThat(event).containsEntry("type", "accepted")
					.containsEntry("plugin", "orchestrator")
					.containsEntry("point", "before-agent-start")
					.containsEntry("action", Map.of("kind", "switch-role", "role", "planner"))
					.containsKey("at")
					.doesNotContainKeys("reason", "kind", "message")));
	}

	@Test
	void unknownHookPointIsA404ProblemDetail() {
		hook("before_agent_start", "{}").expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Unknown hook point")
			.jsonPath("$.detail")
			.isEqualTo("unknown hook point 'before_agent_start'")
			.jsonPath("$.points")
			.isEqualTo(List.of("before-agent-start", "after-tool-call", "prepare-next-turn", "should-stop-after-turn"));
	}

	@Test
	void malformedHookContextIsA400ProblemDetail() {
		hook("after-tool-call", "{\"tool\": ").expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Invalid hook context")
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).startsWith("hook context for 'after-tool-call' is not valid JSON"));
		hook("after-tool-call", "{} {}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("has content after its JSON value"));
	}

	@Test
	void pluginReachesOnlyTheOriginsTheApplicationGrants() {
		String granted = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/hello";
		call("http_get", "{\"url\":\"" + granted + "\"}").jsonPath("$.isError")
			.isEqualTo(false)
			.jsonPath("$.content.status")
			.isEqualTo(200)
			.jsonPath("$.content.body")
			.isEqualTo("hello from upstream");
		call("http_get", "{\"url\":\"http://169.254.169.254/latest/meta-data\"}").jsonPath("$.isError")
			.isEqualTo(true)
			.jsonPath("$.content.error")
			.value((String value) -> assertThat(value).contains("is not in the HTTP allow-list of plugin 'core'"));
	}

	@Test
	void pluginReadsOnlyTheEnvironmentItWasGiven() {
		call("env", "{\"key\":\"GREETING\"}").jsonPath("$.content.value").isEqualTo("hello from plugin.toml");
		call("env", "{\"key\":\"HOME\"}").jsonPath("$.content.value").isEqualTo(null);
	}

	private WebTestClient.ResponseSpec hook(String point, String context) {
		return this.client.post()
			.uri("/api/hooks/" + point)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(context)
			.exchange();
	}

	@Test
	void approvalsAreNotAskedOfAPersonUnlessTheSampleIsStartedToAsk() {
		this.client.get().uri("/api/approvals").exchange().expectStatus().isOk().expectBody()
			.json("{\"mode\":\"configured\",\"pending\":[]}", true);
		this.client.post()
			.uri("/api/approvals/any")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"approved\":true}")
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("sample.approval.mode=ask"));
	}

	private WebTestClient.BodyContentSpec call(String tool, String arguments) {
		return this.client.post()
			.uri("/api/tools/" + tool)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(arguments)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody();
	}

	/** The runtime the bundled plugins run on in this suite ({@code /api/plugins} reports it). */
	protected String expectedRuntime() {
		return "wasmtime";
	}

}
