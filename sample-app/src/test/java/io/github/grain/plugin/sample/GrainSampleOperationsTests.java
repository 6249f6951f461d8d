package io.github.grain.plugin.sample;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.github.grain.plugin.autoconfigure.GrainPluginsProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application as an operator sees it, on a real server: the grainplugins
 * endpoint, health with the grainPlugins contributor, and the Prometheus scrape after real
 * tool and hook calls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "grain.plugins.directories=classpath:grain-plugins",
				"grain.plugins.plugin.core.http.allow=http://127.0.0.1:9" })
@AutoConfigureWebTestClient
class GrainSampleOperationsTests {

	@Autowired
	WebTestClient client;

	private WebTestClient anonymous;

	@BeforeEach
	void authenticate() {
		this.anonymous = this.client;
		this.client = this.client.mutate().defaultHeaders(SampleCredentials::basic).build();
	}

	@Test
	void healthIsOpenToProbesAndEveryOtherEndpointNeedsCredentials() {
		this.anonymous.get().uri("/actuator/health").exchange().expectStatus().isOk();
		for (String endpoint : List.of("/actuator/grainplugins", "/actuator/prometheus", "/actuator/metrics",
				"/actuator/info")) {
			this.anonymous.get().uri(endpoint).exchange().expectStatus().isUnauthorized();
		}
		this.client.get().uri("/actuator/info").exchange().expectStatus().isOk();
	}

	@Autowired
	GrainPluginsProperties properties;

	@Test
	void theGrainpluginsEndpointShowsEveryPluginAndEachOne() {
		String runtime = this.properties.getRuntime().id();
		this.client.get()
			.uri("/actuator/grainplugins")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.plugins[*].name")
			.value((List<String> names) -> assertThat(names).containsExactlyInAnyOrder("broken", "core", "orchestrator"))
			.jsonPath("$.plugins[?(@.name == 'broken')].status")
			.isEqualTo("failed")
			.jsonPath("$.plugins[?(@.name == 'broken')].error")
			.value((List<String> errors) -> assertThat(errors).singleElement().asString().contains("init failed on request"));
		this.client.get()
			.uri("/actuator/grainplugins/core")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("loaded")
			.jsonPath("$.version")
			.isEqualTo("1.2.3")
			.jsonPath("$.world")
			.isEqualTo("v1")
			.jsonPath("$.runtime")
			.isEqualTo(runtime)
			.jsonPath("$.capabilities")
			.isEqualTo(List.of("log", "env", "http"))
			.jsonPath("$.sha256")
			.value((String digest) -> assertThat(digest).hasSize(64))
			.jsonPath("$.loadedAt")
			.isNotEmpty()
			.jsonPath("$.loadMillis")
			.isNumber()
			.jsonPath("$.memoryHighWaterBytes")
			.value((Number bytes) -> assertThat(bytes.longValue()).isPositive());
		this.client.get().uri("/actuator/grainplugins/nope").exchange().expectStatus().isNotFound();
	}

	@Test
	void healthIsUpWithTheFailedPluginInItsDetails() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.grainPlugins.status")
			.isEqualTo("UP")
			.jsonPath("$.components.grainPlugins.details.core.status")
			.isEqualTo("loaded")
			.jsonPath("$.components.grainPlugins.details.broken.status")
			.isEqualTo("failed")
			.jsonPath("$.components.grainPlugins.details.broken.error")
			.value((String error) -> assertThat(error).contains("init failed on request"));
	}

	@Test
	void thePrometheusScrapeHasTheCallsHooksPluginsAndRefusals() {
		call("echo", "{\"secret\":\"never-a-tag\"}");
		call("text_stats", "{\"text\":\"one two\"}");
		call("text_stats", "{\"text\":7}");
		call("fail", "{}");
		call("http_get", "{\"url\":\"http://127.0.0.1:10/\"}");
		this.client.post()
			.uri("/api/hooks/should-stop-after-turn")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"case\":\"invalid\"}")
			.exchange()
			.expectStatus()
			.isOk();
		String scrape = this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		String runtime = this.properties.getRuntime().id();
		assertThat(scrape).doesNotContain("never-a-tag");
		assertThat(sample(scrape, "grain_tool_call_seconds_count", Map.of("tool", "echo", "source", "wasm", "plugin",
				"core", "runtime", runtime, "outcome", "success", "gen_ai_operation_name", "execute_tool")))
			.isGreaterThanOrEqualTo(1);
		assertThat(sample(scrape, "grain_tool_call_seconds_count",
				Map.of("tool", "text_stats", "source", "bean", "plugin", "none", "runtime", "none", "outcome", "success")))
			.isGreaterThanOrEqualTo(1);
		assertThat(sample(scrape, "grain_tool_call_seconds_count",
				Map.of("tool", "text_stats", "outcome", "invalid-arguments"))).isGreaterThanOrEqualTo(1);
		assertThat(sample(scrape, "grain_tool_call_seconds_count", Map.of("tool", "fail", "outcome", "error")))
			.isGreaterThanOrEqualTo(1);
		assertThat(sample(scrape, "grain_tool_call_seconds_sum", Map.of("tool", "echo"))).isPositive();
		assertThat(sample(scrape, "grain_egress_refusals_total", Map.of("plugin", "core", "reason", "not-allowed")))
			.isGreaterThanOrEqualTo(1);
		assertThat(sample(scrape, "grain_hook_dispatch_seconds_count",
				Map.of("point", "should-stop-after-turn", "plugin", "orchestrator", "outcome", "success")))
			.isGreaterThanOrEqualTo(1);
		assertThat(sample(scrape, "grain_hook_actions_total",
				Map.of("plugin", "orchestrator", "result", "rejected", "action", "switch-role"))).isGreaterThanOrEqualTo(1);
		assertThat(sample(scrape, "grain_plugins", Map.of("status", "loaded"))).isEqualTo(2);
		assertThat(sample(scrape, "grain_plugins", Map.of("status", "failed"))).isEqualTo(1);
		assertThat(sample(scrape, "grain_plugin_load_duration_seconds", Map.of("plugin", "core", "status", "loaded")))
			.isPositive();
		assertThat(sample(scrape, "grain_plugin_memory_peak_bytes", Map.of("plugin", "core", "runtime", runtime)))
			.isPositive();
	}

	@Test
	void theMetricsEndpointNamesTheToolCallTimersTags() {
		call("echo", "{}");
		this.client.get()
			.uri("/actuator/metrics/grain.tool.call")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.availableTags[*].tag")
			.value((List<String> tags) -> assertThat(tags).contains("tool", "source", "plugin", "runtime", "outcome",
					"gen_ai.operation.name"));
	}

	private void call(String tool, String arguments) {
		this.client.post()
			.uri("/api/tools/" + tool)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(arguments)
			.exchange()
			.expectStatus()
			.isOk();
	}

	/**
	 * The value of the one sample of a metric whose labels include these; fails when there
	 * is none or more than one.
	 */
	private static double sample(String scrape, String metric, Map<String, String> labels) {
		List<String> lines = Arrays.stream(scrape.split("\n"))
			.filter((line) -> line.startsWith(metric + "{"))
			.filter((line) -> labels.entrySet()
				.stream()
				.allMatch((label) -> line.contains(label.getKey() + "=\"" + label.getValue() + "\"")))
			.toList();
		assertThat(lines).as(metric + " " + labels + " in the scrape").hasSize(1);
		String line = lines.get(0);
		return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
	}

}
