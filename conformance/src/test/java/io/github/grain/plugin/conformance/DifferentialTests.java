package io.github.grain.plugin.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.PluginInitException;
import io.github.grain.plugin.engine.PluginSpec;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.host.JdkHttpGateway;
import io.github.grain.plugin.engine.host.PluginHostContext;
import io.github.grain.plugin.engine.wit.HookDef;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.engine.wit.RoleDef;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import io.github.grain.plugin.engine.wit.ToolDef;
import io.github.grain.plugin.engine.wit.WorldKind;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The differential check of issue 3: every run of {@code differential/plan.json} goes
 * through {@link PluginEngine} here and through jco's transpiled JavaScript with a
 * JavaScript {@code grain:plugin/host} in Node ({@code plugins/toolchain/differential.mjs},
 * run by Maven in {@code generate-test-resources}); the results must be identical,
 * load by load and call by call: plugin info, tools, roles, hooks, each call's result
 * (tool result, hook actions or {@code err}) and the guest log lines of that call.
 * Where both hosts fail a call (a trap, a refused hook) only the fact is compared,
 * not the two hosts' wording.
 * <p>
 * Runs with {@code allow} send {@code wasi:http} requests ({@code fetch} of a JavaScript
 * plugin built with componentize-js defaults) to two loopback servers each side starts:
 * {@code ${allowed}}, the one origin the run's egress policy admits, and {@code ${refused}};
 * besides the calls, how many requests reached each server is compared (none may reach
 * {@code ${refused}}). jco's shim has no egress policy, so {@code differential.mjs} applies
 * the same allow-list before its shim sends anything. A call's {@code mask} lists content
 * fields whose values differ by nature (the time) and are not compared.
 * <p>
 * Our results are written next to Node's ({@code target/differential/java-results.json})
 * so the two files can be diffed by hand.
 */
class DifferentialTests {

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	/** Value both sides' {@code failure} messages are replaced with before comparing. */
	private static final String FAILED = "<failed: message not compared>";

	/** The runtime our side runs on; the build runs the comparison on each. */
	private static final WasmRuntimeKind RUNTIME = WasmRuntimeKind
		.valueOf(property("grain.differential.runtime", "wasmtime").toUpperCase(java.util.Locale.ROOT));

	private static JsonNode plan;

	private static JsonNode nodeResults;

	private static Path fixtures;

	private static PluginEngine engine;

	private static final Map<String, JsonNode> javaResults = new LinkedHashMap<>();

	private static final Pattern ORIGIN_PLACEHOLDER = Pattern.compile("\\$\\{(allowed|refused)\\}");

	private static @Nullable LoopbackServer allowedServer;

	private static @Nullable LoopbackServer refusedServer;

	@BeforeAll
	static void readPlanAndNodeResults() throws IOException {
		Path planFile = Path.of(property("grain.differential.plan", "src/test/resources/differential/plan.json"));
		Path nodeFile = Path.of(property("grain.differential.nodeResults", "target/differential/node-results.json"));
		fixtures = Path.of(property("grain.differential.fixtures",
				"../grain-plugin-core/src/test/resources/fixtures/component"));
		plan = JSON.readTree(planFile.toFile());
		if (!Files.isRegularFile(nodeFile)) {
			fail("No Node results at " + nodeFile.toAbsolutePath() + ". They are written by Maven in"
					+ " generate-test-resources (exec-maven-plugin, needs Node.js >= 20 and npm); by hand: node"
					+ " plugins/toolchain/ensure-installed.mjs && node plugins/toolchain/differential.mjs "
					+ fixtures + " " + planFile + " " + nodeFile);
		}
		nodeResults = JSON.readTree(nodeFile.toFile());
		String cache = System.getProperty("grain.differential.compilationCache");
		PluginEngineOptions options = PluginEngineOptions.defaults().withRuntime(RUNTIME);
		engine = new PluginEngine((cache != null) ? options.withCompilationCache(Path.of(cache)) : options);
	}

	@AfterAll
	static void writeJavaResultsAndClose() throws IOException {
		if (engine != null) {
			engine.close();
		}
		if (allowedServer != null) {
			allowedServer.close();
		}
		if (refusedServer != null) {
			refusedServer.close();
		}
		String out = System.getProperty("grain.differential.javaResults");
		if (out != null && !javaResults.isEmpty()) {
			ObjectNode root = NODES.objectNode();
			ArrayNode runs = root.putArray("runs");
			javaResults.values().forEach(runs::add);
			Files.createDirectories(Path.of(out).getParent());
			JSON.writeValue(Path.of(out).toFile(), root);
		}
	}

	@Test
	void nodeRanTheSamePlan() {
		List<String> planned = new ArrayList<>();
		plan.get("runs").forEach((run) -> planned.add(run.get("id").asText()));
		List<String> ran = new ArrayList<>();
		nodeResults.get("runs").forEach((run) -> ran.add(run.get("id").asText()));
		assertThat(ran).as("runs in node-results.json (stale? rerun differential.mjs)").isEqualTo(planned);
	}

	@Test
	void planCoversEveryToolAndEveryHookCase() {
		Set<String> tools = new LinkedHashSet<>();
		Set<String> hookCases = new LinkedHashSet<>();
		for (JsonNode run : plan.get("runs")) {
			for (JsonNode call : calls(run)) {
				if (call.has("tool")) {
					tools.add(run.get("fixture").asText() + " " + call.get("tool").asText());
				}
				else {
					hookCases.add(call.get("hook").asText() + " " + call.get("context").asText());
				}
			}
		}
		for (String fixture : List.of("v1-legacy.wasm", "v1-standard.wasm")) {
			for (String tool : List.of("echo", "log", "env", "http_get", "http_post", "wasi", "fail", "big", "nope")) {
				assertThat(tools).contains(fixture + " " + tool);
			}
		}
		for (String tool : List.of("echo", "log", "env", "http_get", "fail", "nope")) {
			assertThat(tools).contains("js-plugin.wasm " + tool);
		}
		for (String tool : List.of("console", "flood", "clock", "random", "fetch", "env", "nope")) {
			assertThat(tools).contains("js-wasi-plugin.wasm " + tool);
		}
		for (HookPoint point : HookPoint.values()) {
			for (String hookCase : List.of("all", "header-none", "header-some", "err", "empty", "invalid")) {
				assertThat(hookCases).contains(point.witName() + " {\"case\":\"" + hookCase + "\"}");
			}
			assertThat(hookCases).contains(point.witName() + " {}");
		}
	}

	@TestFactory
	Stream<DynamicTest> javaAndNodeResultsAreIdentical() {
		Map<String, JsonNode> nodeRuns = new LinkedHashMap<>();
		nodeResults.get("runs").forEach((run) -> nodeRuns.put(run.get("id").asText(), run));
		List<DynamicTest> tests = new ArrayList<>();
		for (JsonNode run : plan.get("runs")) {
			String id = run.get("id").asText();
			tests.add(DynamicTest.dynamicTest(id, () -> {
				// The 12 MB JavaScript plugin takes about a minute to compile on Chicory (docs/benchmarks.md):
				// js-plugin is compared on wasmtime only; js-wasi-plugin (WASI 0.2 and wasi:http) on both.
				org.junit.jupiter.api.Assumptions.assumeFalse(
						RUNTIME == WasmRuntimeKind.CHICORY && run.get("fixture").asText().equals("js-plugin.wasm"),
						"the --disable all JavaScript plugin is not compared on Chicory");
				JsonNode expected = nodeRuns.get(id);
				assertThat(expected).as("run '%s' in node-results.json (stale? rerun differential.mjs)", id).isNotNull();
				JsonNode actual = runThroughEngine(run);
				javaResults.put(id, actual);
				List<String> mismatches = compare(id, expected, actual);
				if (!mismatches.isEmpty()) {
					fail(mismatches.size() + " difference(s) between Node (jco) and PluginEngine in run '" + id + "':\n\n"
							+ String.join("\n\n", mismatches));
				}
			}));
		}
		return tests.stream();
	}

	// ------------------------------------------------------------------ our side

	private static JsonNode runThroughEngine(JsonNode run) throws IOException {
		String id = run.get("id").asText();
		String name = "differential-" + id.replaceAll("[^A-Za-z0-9-]", "-");
		Set<Capability> capabilities = new LinkedHashSet<>();
		run.get("capabilities").forEach((c) -> capabilities.add(Capability.fromWireName(c.asText(), "run " + id)));
		Map<String, String> env = new LinkedHashMap<>();
		if (run.has("env")) {
			run.get("env").properties().forEach((e) -> env.put(e.getKey(), e.getValue().asText()));
		}
		byte[] wasm = Files.readAllBytes(fixtures.resolve(run.get("fixture").asText()));
		PluginSpec spec = new PluginSpec(name, run.get("fixture").asText(), wasm, capabilities, env);
		boolean egress = run.has("allow");
		PluginEngine runEngine = egress ? egressEngine(name, run.get("allow")) : engine;
		int allowedBefore = egress ? allowedServer.requests() : 0;
		int refusedBefore = egress ? refusedServer.requests() : 0;

		ObjectNode result = NODES.objectNode();
		result.put("id", id);
		ArrayNode calls = NODES.arrayNode();
		try (GuestLogCapture logs = new GuestLogCapture(name)) {
			ObjectNode load = result.putObject("load");
			LoadedPlugin plugin = null;
			try {
				plugin = runEngine.load(spec);
				load.set("info", NODES.objectNode().put("name", plugin.info().name())
					.put("version", plugin.info().version()));
				load.put("world", (plugin.world() == WorldKind.V2) ? "v2" : "v1");
				load.set("tools", array(plugin.tools().stream().map(DifferentialTests::tool)));
				load.set("roles", array(plugin.roles().stream().map(DifferentialTests::role)));
				load.set("hooks", array(plugin.hooks().stream().map(DifferentialTests::hook)));
			}
			catch (PluginInitException ex) {
				load.put("initError", guestInitError(ex));
			}
			catch (RuntimeException ex) {
				load.put("failure", ex.toString());
			}
			load.set("logs", logs.drain());
			if (plugin != null) {
				try (LoadedPlugin loaded = plugin) {
					for (JsonNode call : calls(run)) {
						calls.add(call(loaded, call, logs));
					}
				}
			}
		}
		finally {
			if (egress) {
				runEngine.close();
			}
		}
		result.set("calls", calls);
		if (egress) {
			result.putObject("requests").put("allowed", allowedServer.requests() - allowedBefore)
				.put("refused", refusedServer.requests() - refusedBefore);
		}
		return result;
	}

	/** An engine whose gateway admits, for this run's plugin, only the run's {@code allow} origins. */
	private static PluginEngine egressEngine(String plugin, JsonNode allow) throws IOException {
		if (allowedServer == null) {
			allowedServer = new LoopbackServer();
			refusedServer = new LoopbackServer();
		}
		List<String> origins = new ArrayList<>();
		allow.forEach((origin) -> origins.add(resolveOrigins(origin.asText())));
		JdkHttpGateway gateway = new JdkHttpGateway(EgressPolicy.of(Map.of(plugin, origins)),
				java.time.Duration.ofSeconds(30), 1024 * 1024, 3);
		return new PluginEngine(PluginEngineOptions.defaults().withRuntime(RUNTIME).withHttpGateway(gateway));
	}

	/** {@code ${allowed}} and {@code ${refused}} replaced by the loopback servers' origins. */
	private static String resolveOrigins(String text) {
		if (allowedServer == null) {
			return text;
		}
		Matcher m = ORIGIN_PLACEHOLDER.matcher(text);
		StringBuilder out = new StringBuilder();
		while (m.find()) {
			LoopbackServer server = m.group(1).equals("allowed") ? allowedServer : refusedServer;
			m.appendReplacement(out, Matcher.quoteReplacement(server.origin()));
		}
		return m.appendTail(out).toString();
	}

	private static ObjectNode call(LoadedPlugin plugin, JsonNode call, GuestLogCapture logs) {
		ObjectNode out = NODES.objectNode();
		out.set("call", call);
		try {
			if (call.has("tool")) {
				ToolCallResult r = plugin.callTool(call.get("tool").asText(), resolveOrigins(call.get("args").asText()));
				out.putObject("result").put("contentJson", r.contentJson()).put("isError", r.isError());
			}
			else {
				HookPoint point = HookPoint.fromWitName(call.get("hook").asText());
				LoadedPlugin.HookResult r = plugin.callHook(point, call.get("context").asText());
				if (r instanceof LoadedPlugin.HookResult.Actions actions) {
					out.putObject("result").set("ok", array(actions.actions().stream().map(DifferentialTests::action)));
				}
				else {
					out.putObject("result").put("err", ((LoadedPlugin.HookResult.Error) r).message());
				}
			}
		}
		catch (RuntimeException ex) {
			out.put("failure", ex.toString());
		}
		out.set("logs", logs.drain());
		return out;
	}

	/** The guest's reason from the engine's message ("plugin 'x' init returned err: reason"). */
	private static String guestInitError(PluginInitException ex) {
		String marker = " init returned err: ";
		String message = String.valueOf(ex.getMessage());
		int at = message.indexOf(marker);
		return (at < 0) ? message : message.substring(at + marker.length());
	}

	private static ObjectNode tool(ToolDef t) {
		return NODES.objectNode().put("name", t.name()).put("label", t.label()).put("description", t.description())
			.put("parametersJson", t.parametersJson());
	}

	private static ObjectNode role(RoleDef r) {
		ObjectNode node = NODES.objectNode().put("name", r.name()).put("model", r.model()).put("prompt", r.prompt());
		node.set("tools", array(r.tools().stream().map(NODES::textNode)));
		node.put("thinkingLevel", r.thinkingLevel());
		return node;
	}

	private static ObjectNode hook(HookDef h) {
		return NODES.objectNode().put("point", h.point().witName()).put("name", h.name());
	}

	/** jco's shape of a variant: {@code {"tag": case, "val": payload}}. */
	private static ObjectNode action(HostAction action) {
		ObjectNode node = NODES.objectNode().put("tag", action.kind());
		if (action instanceof HostAction.SwitchRole a) {
			node.put("val", a.role());
		}
		else if (action instanceof HostAction.SwitchModel a) {
			node.put("val", a.model());
		}
		else if (action instanceof HostAction.SetSystemPrompt a) {
			node.put("val", a.prompt());
		}
		else if (action instanceof HostAction.SetActiveTools a) {
			node.set("val", array(a.tools().stream().map(NODES::textNode)));
		}
		else if (action instanceof HostAction.InjectUserMessage a) {
			node.put("val", a.message());
		}
		else if (action instanceof HostAction.StopAfterTurn a) {
			node.put("val", a.stop());
		}
		else if (action instanceof HostAction.EmitCustom a) {
			node.put("val", a.json());
		}
		else if (action instanceof HostAction.SetUiHeader a) {
			node.putObject("val").put("provider", a.header().provider()).put("model", a.header().model());
		}
		else if (action instanceof HostAction.SetUiStatus a) {
			node.put("val", a.status());
		}
		else {
			throw new IllegalStateException("unknown host action " + action);
		}
		return node;
	}

	private static ArrayNode array(Stream<? extends JsonNode> items) {
		ArrayNode array = NODES.arrayNode();
		items.forEach(array::add);
		return array;
	}

	private static List<JsonNode> calls(JsonNode run) {
		JsonNode calls = run.get("calls");
		if (calls.isTextual()) {
			calls = plan.path("callSets").get(calls.asText());
			assertThat(calls).as("callSets entry '%s' of run %s", run.get("calls").asText(), run.get("id")).isNotNull();
		}
		List<JsonNode> list = new ArrayList<>();
		calls.forEach(list::add);
		return list;
	}

	private static String property(String name, String fallback) {
		return System.getProperty(name, fallback);
	}

	// ------------------------------------------------------------------ comparison

	private static List<String> compare(String run, JsonNode node, JsonNode java) {
		List<String> mismatches = new ArrayList<>();
		JsonNode nodeLoad = node.get("load");
		JsonNode javaLoad = java.get("load");
		List<String> loadDiff = new ArrayList<>();
		diff("", comparable(nodeLoad), comparable(javaLoad), loadDiff);
		if (!loadDiff.isEmpty()) {
			mismatches.add("load:\n" + describeFailures(nodeLoad, javaLoad) + String.join("\n", loadDiff));
		}
		JsonNode nodeCalls = node.get("calls");
		JsonNode javaCalls = java.get("calls");
		if (nodeCalls.size() != javaCalls.size()) {
			mismatches.add("number of calls: node " + nodeCalls.size() + ", java " + javaCalls.size());
		}
		List<String> requestsDiff = new ArrayList<>();
		if (node.has("requests") || java.has("requests")) {
			diff("/requests", node.get("requests"), java.get("requests"), requestsDiff);
		}
		if (!requestsDiff.isEmpty()) {
			mismatches.add("requests that reached the loopback servers:\n" + String.join("\n", requestsDiff));
		}
		for (int i = 0; i < Math.min(nodeCalls.size(), javaCalls.size()); i++) {
			List<String> callDiff = new ArrayList<>();
			diff("", masked(comparable(nodeCalls.get(i))), masked(comparable(javaCalls.get(i))), callDiff);
			if (!callDiff.isEmpty()) {
				mismatches.add("call #" + i + " " + abbreviate(safe(javaCalls.get(i).get("call").toString()), 160) + ":\n"
						+ describeFailures(nodeCalls.get(i), javaCalls.get(i)) + String.join("\n", callDiff));
			}
		}
		return mismatches;
	}

	/** A copy in which failure messages (host-specific wording) are replaced by a marker. */
	private static JsonNode comparable(JsonNode result) {
		if (result.has("failure")) {
			ObjectNode copy = result.deepCopy();
			copy.put("failure", FAILED);
			return copy;
		}
		return result;
	}

	/** A copy whose content JSON has the call's {@code mask} fields replaced by a marker. */
	private static JsonNode masked(JsonNode call) {
		JsonNode mask = call.path("call").path("mask");
		JsonNode content = call.path("result").path("contentJson");
		if (!mask.isArray() || !content.isTextual()) {
			return call;
		}
		try {
			JsonNode parsed = JSON.readTree(content.asText());
			if (parsed instanceof ObjectNode fields) {
				mask.forEach((name) -> {
					if (fields.has(name.asText())) {
						fields.put(name.asText(), "<masked>");
					}
				});
			}
			ObjectNode copy = call.deepCopy();
			((ObjectNode) copy.get("result")).put("contentJson", parsed.toString());
			return copy;
		}
		catch (IOException ex) {
			return call;
		}
	}

	private static String describeFailures(JsonNode node, JsonNode java) {
		StringBuilder text = new StringBuilder();
		if (node.has("failure")) {
			text.append("  node failed: ").append(node.get("failure").asText()).append('\n');
		}
		if (java.has("failure")) {
			text.append("  java failed: ").append(java.get("failure").asText()).append('\n');
		}
		return text.toString();
	}

	/** Every differing leaf as "  at /path: node=… java=…" (strings around the first differing character). */
	private static void diff(String path, JsonNode node, JsonNode java, List<String> out) {
		if (node == null || java == null || node.getNodeType() != java.getNodeType()) {
			out.add("  at " + display(path) + ": node=" + show(node) + "  java=" + show(java));
			return;
		}
		if (node.isObject()) {
			Set<String> names = new LinkedHashSet<>();
			node.fieldNames().forEachRemaining(names::add);
			java.fieldNames().forEachRemaining(names::add);
			for (String name : names) {
				diff(path + "/" + name, node.get(name), java.get(name), out);
			}
		}
		else if (node.isArray()) {
			if (node.size() != java.size()) {
				out.add("  at " + display(path) + ": node has " + node.size() + " elements, java " + java.size());
			}
			for (int i = 0; i < Math.min(node.size(), java.size()); i++) {
				diff(path + "/" + i, node.get(i), java.get(i), out);
			}
		}
		else if (node.isTextual()) {
			String a = node.asText();
			String b = java.asText();
			if (!a.equals(b)) {
				int at = 0;
				while (at < a.length() && at < b.length() && a.charAt(at) == b.charAt(at)) {
					at++;
				}
				out.add("  at " + display(path) + ": strings differ at char " + at + " (lengths node " + a.length()
						+ ", java " + b.length() + ")\n    node: " + window(a, at) + "\n    java: " + window(b, at));
			}
		}
		else if (!node.equals(java)) {
			out.add("  at " + display(path) + ": node=" + show(node) + "  java=" + show(java));
		}
	}

	private static String display(String path) {
		return path.isEmpty() ? "/" : path;
	}

	private static String show(JsonNode value) {
		return (value == null) ? "(absent)" : abbreviate(safe(value.toString()), 300);
	}

	/** The string around {@code at}, JSON-escaped so invisible characters show. */
	private static String window(String s, int at) {
		int from = Math.max(0, at - 40);
		int to = Math.min(s.length(), at + 40);
		return ((from > 0) ? "…" : "") + safe(NODES.textNode(s.substring(from, to)).toString())
				+ ((to < s.length()) ? "…" : "");
	}

	/**
	 * Lone surrogates (which no UTF-8 report can carry) and other invisible characters as
	 * {@code \\uXXXX}; other text unchanged.
	 */
	private static String safe(String s) {
		StringBuilder out = new StringBuilder(s.length());
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
					&& Character.isLowSurrogate(s.charAt(i + 1));
			if (paired) {
				out.append(c).append(s.charAt(++i));
			}
			else if (Character.isSurrogate(c) || Character.isISOControl(c) || c == '\uFFFD'
					|| Character.getType(c) == Character.FORMAT) {
				out.append(String.format("\\u%04X", (int) c));
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	private static String abbreviate(String s, int max) {
		return (s.length() <= max) ? s : s.substring(0, max) + "… (" + s.length() + " chars)";
	}

	// ------------------------------------------------------------------ loopback HTTP

	/**
	 * A real HTTP server on 127.0.0.1 answering as {@code plugins/toolchain/echo-server.mjs}
	 * does: {@code /echo} → 200 {@code "<METHOD> <body>"} with {@code x-echo} copying the
	 * request's {@code x-grain-test}; {@code /status/N} → N, no body. Counts its requests.
	 */
	private static final class LoopbackServer implements AutoCloseable {

		private final HttpServer server;

		private final AtomicInteger requests = new AtomicInteger();

		LoopbackServer() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			this.server.createContext("/", this::answer);
			this.server.start();
		}

		private void answer(HttpExchange exchange) throws IOException {
			this.requests.incrementAndGet();
			try (exchange; InputStream in = exchange.getRequestBody()) {
				byte[] body = in.readAllBytes();
				Matcher status = Pattern.compile("/status/(\\d{3})").matcher(exchange.getRequestURI().getPath());
				if (status.matches()) {
					exchange.sendResponseHeaders(Integer.parseInt(status.group(1)), -1);
					return;
				}
				String echo = exchange.getRequestHeaders().getFirst("x-grain-test");
				exchange.getResponseHeaders().add("content-type", "text/plain");
				exchange.getResponseHeaders().add("x-echo", (echo != null) ? echo : "none");
				byte[] out = (exchange.getRequestMethod() + " " + new String(body, StandardCharsets.UTF_8))
					.getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(200, out.length);
				try (OutputStream os = exchange.getResponseBody()) {
					os.write(out);
				}
			}
		}

		String origin() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort();
		}

		int requests() {
			return this.requests.get();
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

	// ------------------------------------------------------------------ guest logs

	/** Collects what the plugin's guest logger receives, as {@code [level, message]} pairs. */
	private static final class GuestLogCapture implements AutoCloseable {

		private final Logger logger;

		private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

		private final Level previousLevel;

		private final boolean previousAdditive;

		GuestLogCapture(String plugin) {
			this.logger = (Logger) LoggerFactory.getLogger(PluginHostContext.GUEST_LOG_PREFIX + plugin);
			this.previousLevel = this.logger.getLevel();
			this.previousAdditive = this.logger.isAdditive();
			this.appender.start();
			this.logger.addAppender(this.appender);
			this.logger.setLevel(Level.TRACE);
			this.logger.setAdditive(false);
		}

		/** The lines logged since the last drain. */
		ArrayNode drain() {
			ArrayNode lines = NODES.arrayNode();
			for (ILoggingEvent event : List.copyOf(this.appender.list)) {
				lines.add(NODES.arrayNode().add(event.getLevel().toString().toLowerCase(Locale.ROOT))
					.add(event.getFormattedMessage()));
			}
			this.appender.list.clear();
			return lines;
		}

		@Override
		public void close() {
			this.logger.detachAppender(this.appender);
			this.appender.stop();
			this.logger.setLevel(this.previousLevel);
			this.logger.setAdditive(this.previousAdditive);
		}

	}

}
