package io.github.grain.plugin.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console at {@code /} in a real browser: Debian's headless Chromium driven by
 * playwright-core ({@code src/test/e2e/console-e2e.mjs} in Node) against the sample app on
 * a random port, with approvals asked of a person. The script lists tools and plugins,
 * calls a WebAssembly tool and a bean tool through the generated form, gets a validation
 * error, dispatches a hook and sees its events and the tool calls arrive over
 * server-sent events, and approves a call on the page; this test checks what the page
 * showed. Skipped, with the reason, where Chromium is not installed.
 */
@EnabledIf(value = "chromiumIsInstalled", disabledReason = GrainSampleConsoleTests.SKIPPED)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.approval.mode=ask", "grain.plugins.directories=classpath:grain-plugins" })
class GrainSampleConsoleTests {

	static final String SKIPPED = "Chromium is not installed (at /usr/bin/chromium or -Dgrain.e2e.chromium):"
			+ " the web console's browser tests are skipped; install Debian's package with apt-get install -y chromium";

	private static final ObjectMapper mapper = new ObjectMapper();

	private static final String CHROMIUM = System.getProperty("grain.e2e.chromium", "/usr/bin/chromium");

	private static final Path sandbox = createSandbox();

	@Autowired
	Environment environment;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("grain.plugins.sandbox.root", sandbox::toString);
	}

	/** Where the test is skipped: named, never silent (and before an application starts for nothing). */
	static boolean chromiumIsInstalled() {
		boolean installed = Files.isExecutable(Path.of(CHROMIUM));
		if (!installed) {
			// surefire counts a skip but keeps its reason in the report: say it where the build is read
			System.err.println("GrainSampleConsoleTests SKIPPED: " + SKIPPED);
		}
		return installed;
	}

	@Test
	void theConsoleListsCallsShowsErrorsHearsEventsAndAnswersApprovalsInChromium() throws Exception {
		List<JsonNode> steps = runConsoleScript();
		assertThat(steps).extracting((step) -> step.path("step").asText())
			.containsExactly("tools", "plugins", "call-wasm", "call-bean", "validation-error", "hook-event",
					"tool-call-events", "approval", "done");

		JsonNode tools = steps.get(0).path("tools");
		assertThat(row(tools, "echo").path("source").asText()).isEqualTo("wasm:core");
		assertThat(row(tools, "echo").path("readOnly").asText()).isEqualTo("yes");
		assertThat(row(tools, "write_note").path("capability").asText()).isEqualTo("filesystem");
		assertThat(row(tools, "write_note").path("readOnly").asText()).isEqualTo("no");
		assertThat(row(tools, "text_stats").path("source").asText()).isEqualTo("bean:textStatsTool");

		JsonNode plugins = steps.get(1).path("plugins");
		assertThat(row(plugins, "core").path("status").asText()).isEqualTo("loaded");
		assertThat(row(plugins, "core").path("runtime").asText()).isEqualTo("wasmtime");
		assertThat(row(plugins, "core").path("sha256").asText()).hasSize(64);
		assertThat(row(plugins, "broken").path("status").asText()).isEqualTo("failed");
		assertThat(row(plugins, "broken").path("error").asText()).contains("init failed on request");

		assertThat(steps.get(2).path("kind").asText()).isEqualTo("ok");
		assertThat(steps.get(2).path("content")).isEqualTo(mapper.readTree("{\"said\":\"hi from the console\"}"));
		assertThat(steps.get(3).path("kind").asText()).isEqualTo("ok");
		assertThat(steps.get(3).at("/content/words").asInt()).isEqualTo(3);

		JsonNode invalid = steps.get(4);
		assertThat(invalid.path("kind").asText()).isEqualTo("error");
		assertThat(invalid.path("error").asText())
			.isEqualTo("the arguments do not match the parameters schema of tool 'big'");
		assertThat(invalid.path("violations")).extracting(JsonNode::asText)
			.containsExactly("$.size: string found, integer expected");

		JsonNode hook = steps.get(5);
		assertThat(hook.path("dispatch").asText()).matches("\\d+ accepted, \\d+ rejected, 0 failed");
		assertThat(hook.path("event").asText()).contains("orchestrator at before-agent-start");

		assertThat(steps.get(6).path("events")).extracting(JsonNode::asText)
			.anySatisfy((event) -> assertThat(event).startsWith("success echo (wasm:core)"))
			.anySatisfy((event) -> assertThat(event).startsWith("success text_stats (bean:textStatsTool)"))
			.anySatisfy((event) -> assertThat(event).startsWith("invalid-arguments big (wasm:core)"));

		JsonNode approval = steps.get(7);
		assertThat(approval.path("pendingArguments"))
			.isEqualTo(mapper.readTree("{\"name\":\"from-console.txt\",\"text\":\"written after a person approved it\"}"));
		assertThat(approval.path("kind").asText()).isEqualTo("ok");
		assertThat(approval.at("/content/name").asText()).isEqualTo("from-console.txt");
		assertThat(approval.path("event").asText()).isEqualTo("approved write_note: looks fine");
		assertThat(approval.path("pendingAfter").asInt()).isZero();
		assertThat(sandbox.resolve("from-console.txt")).hasContent("written after a person approved it");

		assertThat(steps.get(8).path("pageErrors")).isEmpty();
	}

	private List<JsonNode> runConsoleScript() throws IOException, InterruptedException {
		String screenshots = System.getProperty("grain.console.screenshots", "target/console-screenshots");
		ProcessBuilder builder = new ProcessBuilder("node", "console-e2e.mjs", "http://127.0.0.1:" + this.port,
				Path.of(screenshots).toAbsolutePath().toString())
			.directory(Path.of(System.getProperty("grain.console.e2e.dir", "src/test/e2e")).toFile())
			.redirectError(ProcessBuilder.Redirect.INHERIT);
		builder.environment().put("GRAIN_E2E_CHROMIUM", CHROMIUM);
		// once the application asks for HTTP Basic credentials, the browser sends these
		String user = this.environment.getProperty("spring.security.user.name");
		if (user != null) {
			builder.environment().put("GRAIN_E2E_USER", user);
			builder.environment()
				.put("GRAIN_E2E_PASSWORD", this.environment.getProperty("spring.security.user.password", ""));
		}
		Process node = builder.start();
		List<JsonNode> steps = new ArrayList<>();
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				steps.add(mapper.readTree(line));
			}
		}
		finally {
			if (!node.waitFor(120, TimeUnit.SECONDS)) {
				node.destroyForcibly();
			}
		}
		assertThat(steps).as("the console script's steps (a 'failed' step names where and why)")
			.noneMatch((step) -> step.path("step").asText().equals("failed"));
		assertThat(node.exitValue()).isZero();
		return steps;
	}

	private static JsonNode row(JsonNode rows, String name) {
		for (JsonNode row : rows) {
			if (row.path("name").asText().equals(name)) {
				return row;
			}
		}
		throw new AssertionError("no row '" + name + "' in " + rows);
	}

	private static Path createSandbox() {
		try {
			return Files.createTempDirectory("grain-sample-console");
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
