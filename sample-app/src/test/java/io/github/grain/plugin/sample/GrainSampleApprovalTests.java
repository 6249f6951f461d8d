package io.github.grain.plugin.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sample.approval.mode=ask} over HTTP: a call to a tool with side effects waits,
 * is announced on {@code GET /api/events}, listed by {@code GET /api/approvals} and
 * decided by {@code POST /api/approvals/{id}}; bad answers are refused by name.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.approval.mode=ask", "grain.plugins.directories=classpath:grain-plugins" })
@AutoConfigureWebTestClient(timeout = "PT60S") // a bound on waiting on a loaded machine, not a measurement
class GrainSampleApprovalTests {

	private static final ObjectMapper mapper = new ObjectMapper();

	/** How long to wait for an event that must come; a bound, not a measurement. */
	private static final long WAIT_SECONDS = 60;

	private static final Path sandbox = createSandbox();

	@Autowired
	WebTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("grain.plugins.sandbox.root", sandbox::toString);
	}

	@BeforeEach
	void authenticate() {
		this.client = this.client.mutate().defaultHeaders(SampleCredentials::basic).build();
	}

	@Test
	void aCallWaitsForAPersonIsAnnouncedAndRunsAsTheyDecide() throws Exception {
		BlockingQueue<ServerSentEvent<String>> events = new LinkedBlockingQueue<>();
		Disposable stream = this.client.get()
			.uri("/api/events")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody()
			.subscribe(events::add);
		try {
			next(events, "connected");
			CompletableFuture<JsonNode> call = CompletableFuture.supplyAsync(
					() -> post("/api/tools/write_note", "{\"name\":\"held.txt\",\"text\":\"x\"}", 200));
			String id = next(events, "approval-pending").path("id").asText();

			JsonNode approvals = get("/api/approvals");
			assertThat(approvals.path("mode").asText()).isEqualTo("ask");
			assertThat(approvals.at("/pending/0/id").asText()).isEqualTo(id);
			assertThat(approvals.at("/pending/0/tool").asText()).isEqualTo("write_note");
			assertThat(approvals.at("/pending/0/arguments"))
				.isEqualTo(mapper.readTree("{\"name\":\"held.txt\",\"text\":\"x\"}"));

			assertThat(post("/api/approvals/" + id, "{}", 400).path("detail").asText())
				.contains("boolean \"approved\"");
			JsonNode decision = post("/api/approvals/" + id, "{\"approved\":false,\"reason\":\"not today\"}", 200);
			assertThat(decision).isEqualTo(mapper.readTree(
					"{\"id\":\"" + id + "\",\"tool\":\"write_note\",\"approved\":false,\"reason\":\"not today\"}"));

			JsonNode result = call.get(WAIT_SECONDS, TimeUnit.SECONDS);
			assertThat(result.path("isError").asBoolean()).isTrue();
			assertThat(result.at("/content/error").asText())
				.isEqualTo("the call to tool 'write_note' was not approved: not today");
			assertThat(next(events, "approval-decided").path("approved").asBoolean()).isFalse();
			JsonNode ended = next(events, "tool-call");
			assertThat(ended.path("tool").asText()).isEqualTo("write_note");
			assertThat(ended.path("outcome").asText()).isEqualTo("denied");
			assertThat(Files.exists(sandbox.resolve("held.txt"))).isFalse();

			assertThat(post("/api/approvals/" + id, "{\"approved\":true}", 404).path("detail").asText())
				.isEqualTo("no call '" + id + "' waits for approval (it was answered, timed out or never existed)");
			assertThat(get("/api/approvals").path("pending")).isEmpty();
		}
		finally {
			stream.dispose();
		}
	}

	@Test
	void readOnlyToolsDoNotWaitForAPerson() {
		assertThat(post("/api/tools/text_stats", "{\"text\":\"a b\"}", 200).at("/content/words").asInt()).isEqualTo(2);
		assertThat(get("/api/approvals").path("pending")).isEmpty();
	}

	/** The next event with the given name (earlier ones of other names are passed over), as JSON. */
	private static JsonNode next(BlockingQueue<ServerSentEvent<String>> events, String name) throws Exception {
		while (true) {
			ServerSentEvent<String> event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
			assertThat(event).as("event '" + name + "' on /api/events").isNotNull();
			if (name.equals(event.event())) {
				return mapper.readTree(event.data());
			}
		}
	}

	private JsonNode get(String path) {
		return json(this.client.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class)
			.returnResult().getResponseBody());
	}

	private JsonNode post(String path, String body, int status) {
		return json(this.client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	private static JsonNode json(String body) {
		try {
			return mapper.readTree(body);
		}
		catch (IOException ex) {
			throw new AssertionError("not JSON: " + body, ex);
		}
	}

	private static Path createSandbox() {
		try {
			return Files.createTempDirectory("grain-sample-approval");
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
