package io.github.grain.plugin.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

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
 * Who may use the sample application, over a real server on a random port: every path but
 * {@code /actuator/health} needs the configured user's HTTP Basic credentials, a page of
 * another site cannot post with them, and the approval handler is told who called.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(RecordedApprovals.class)
class GrainSampleSecurityTests {

	private static final Path sandbox = TemporarySandbox.create("grain-sample-security");

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	RecordedApprovals approvals;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("grain.plugins.sandbox.root", sandbox::toString);
		registry.add("grain.plugins.directories", () -> "classpath:grain-plugins");
	}

	@Test
	void withoutCredentialsToolsMcpTheConsoleAndTheActuatorAnswer401() throws Exception {
		for (HttpRequest.Builder request : everyKindOfRequest()) {
			HttpResponse<String> response = send(request, null);
			assertThat(response.statusCode()).as("%s", response.request()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
					(challenge) -> assertThat(challenge).startsWith("Basic"));
		}
		assertThat(send(request("/actuator/health"), null).statusCode()).isEqualTo(200);
		assertThat(sandbox.resolve("anonymous.txt")).doesNotExist();
	}

	@Test
	void wrongCredentialsAnswer401() throws Exception {
		for (HttpRequest.Builder request : everyKindOfRequest()) {
			HttpResponse<String> response = send(request, SampleCredentials.authorization("tester", "guess"));
			assertThat(response.statusCode()).as("%s", response.request()).isEqualTo(401);
		}
		assertThat(send(request("/api/tools"), SampleCredentials.authorization("admin", "tester-secret")).statusCode())
			.isEqualTo(401);
		assertThat(sandbox.resolve("anonymous.txt")).doesNotExist();
	}

	@Test
	void theConfiguredUserCallsToolsAndTheApprovalHandlerSeesWhoCalled() throws Exception {
		String authorization = SampleCredentials.authorization(SampleCredentials.USER, SampleCredentials.PASSWORD);
		assertThat(send(request("/api/tools"), authorization).statusCode()).isEqualTo(200);
		HttpResponse<String> written = send(post("/api/tools/write_note", "{\"name\":\"mine.txt\",\"text\":\"hi\"}"),
				authorization);
		assertThat(written.statusCode()).isEqualTo(200);
		assertThat(written.body()).isEqualTo("{\"content\":{\"name\":\"mine.txt\",\"bytes\":2},\"isError\":false}");
		assertThat(sandbox.resolve("mine.txt")).hasContent("hi");
		assertThat(this.approvals.of("write_note", "mine.txt")).singleElement().satisfies((event) -> {
			assertThat(event.getPrincipal()).isEqualTo("tester");
			assertThat(event.getRequest().principal()).hasValue("tester");
			assertThat(event.getDecision().approved()).isTrue();
		});
	}

	@Test
	void aPageOfAnotherSiteCannotPostWithTheBrowsersCredentials() throws Exception {
		String authorization = SampleCredentials.authorization(SampleCredentials.USER, SampleCredentials.PASSWORD);
		HttpResponse<String> forged = send(post("/api/tools/write_note", "{\"name\":\"forged.txt\",\"text\":\"x\"}")
			.header("Origin", "http://evil.example"), authorization);
		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(sandbox.resolve("forged.txt")).doesNotExist();
		assertThat(this.approvals.of("write_note", "forged.txt")).isEmpty();
		// the application's own pages (the console) post with their own origin
		HttpResponse<String> sameOrigin = send(post("/api/tools/echo", "{\"s\":\"console\"}")
			.header("Origin", "http://127.0.0.1:" + this.port), authorization);
		assertThat(sameOrigin.statusCode()).isEqualTo(200);
	}

	private List<HttpRequest.Builder> everyKindOfRequest() {
		return List.of(request("/api/tools"), post("/api/tools/write_note", "{\"name\":\"anonymous.txt\",\"text\":\"x\"}"),
				request("/api/plugins"), post("/api/hooks/before-agent-start", "{}"),
				post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")
					.header("Accept", "application/json, text/event-stream"),
				request("/"), request("/index.html"), request("/actuator/grainplugins"));
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
	}

	private HttpRequest.Builder post(String path, String json) {
		return request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
	}

	private HttpResponse<String> send(HttpRequest.Builder request, @Nullable String authorization) throws Exception {
		HttpRequest.Builder copy = request.copy();
		if (authorization != null) {
			copy.header("Authorization", authorization);
		}
		return this.http.send(copy.build(), HttpResponse.BodyHandlers.ofString());
	}

}
