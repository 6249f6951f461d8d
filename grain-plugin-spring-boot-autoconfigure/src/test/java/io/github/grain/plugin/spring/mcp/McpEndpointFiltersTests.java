package io.github.grain.plugin.spring.mcp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP endpoint filters on a real Reactor Netty server on a random port, in front of a
 * handler standing in for the MCP server (the real one runs in spring-ai-tests and the
 * sample app): it records every request it is reached by and opens a session for a
 * request without one. Who is authenticated comes from an {@code X-User} header set into
 * the exchange's principal, as Spring Security's filter chain does from credentials.
 */
class McpEndpointFiltersTests {

	private final List<String> reached = new CopyOnWriteArrayList<>();

	private final McpSessionCallers callers = new McpSessionCallers(List.of("/mcp"));

	private final HttpClient http = HttpClient.newHttpClient();

	private DisposableServer server;

	private String base;

	@BeforeEach
	void start() {
		WebFilter authentication = (exchange, chain) -> {
			String user = exchange.getRequest().getHeaders().getFirst("X-User");
			return chain.filter((user != null)
					? exchange.mutate().principal(Mono.just((Principal) () -> user)).build() : exchange);
		};
		HttpHandler handler = WebHttpHandlerBuilder.webHandler((exchange) -> {
			this.reached.add(exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value());
			if (exchange.getRequest().getHeaders().getFirst(McpSessionCallers.SESSION_HEADER) == null) {
				exchange.getResponse().getHeaders().set(McpSessionCallers.SESSION_HEADER, UUID.randomUUID().toString());
			}
			return exchange.getResponse().setComplete();
		})
			.filters((filters) -> filters.addAll(List.of(
					new McpOriginFilter(List.of("/mcp"), List.of("https://Console.Example.com:443", "http://localhost:3000")),
					authentication, this.callers)))
			.build();
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
		this.base = "http://127.0.0.1:" + this.server.port();
	}

	@AfterEach
	void stop() {
		this.server.disposeNow();
	}

	@Test
	void aForeignOriginIsRefusedBeforeTheMcpServerIsReached() throws Exception {
		HttpResponse<String> refused = post("/mcp", "http://evil.example", null, null);
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).isEqualTo("Origin 'http://evil.example' may not use the MCP endpoint '/mcp': only "
				+ "the server's own origin and grain.plugins.spring-ai.mcp.allowed-origins may\n");
		assertThat(post("/mcp", "null", null, null).statusCode()).isEqualTo(403);
		assertThat(post("/mcp", "http://localhost:3001", null, null).statusCode()).isEqualTo(403);
		assertThat(post("/mcp", "http://127.0.0.1:" + this.server.port() + "/path", null, null).statusCode())
			.isEqualTo(403);
		assertThat(this.reached).isEmpty();
	}

	@Test
	void noOriginTheServersOwnOriginAndAllowedOriginsPass() throws Exception {
		assertThat(post("/mcp", null, null, null).statusCode()).isEqualTo(200);
		assertThat(post("/mcp", this.base, null, null).statusCode()).isEqualTo(200);
		assertThat(post("/mcp", "https://console.example.com", null, null).statusCode()).isEqualTo(200);
		assertThat(post("/mcp", "http://localhost:3000", null, null).statusCode()).isEqualTo(200);
		assertThat(post("/api/tools", "http://evil.example", null, null).statusCode()).isEqualTo(200);
		assertThat(this.reached).hasSize(5);
	}

	@Test
	void aSessionBelongsToTheCallerWhoOpenedItAndNoOneElse() throws Exception {
		HttpResponse<String> opened = post("/mcp", null, "alice", null);
		String session = opened.headers().firstValue(McpSessionCallers.SESSION_HEADER).orElseThrow();
		assertThat(this.callers.principal(session)).hasValue("alice");
		assertThat(post("/mcp", null, "alice", session).statusCode()).isEqualTo(200);
		HttpResponse<String> hijack = post("/mcp", null, "mallory", session);
		assertThat(hijack.statusCode()).isEqualTo(403);
		assertThat(hijack.body()).isEqualTo("this MCP session belongs to another caller\n");
		assertThat(this.reached).hasSize(2);
		HttpResponse<String> deleted = this.http.send(HttpRequest.newBuilder(URI.create(this.base + "/mcp"))
			.DELETE()
			.header("X-User", "alice")
			.header(McpSessionCallers.SESSION_HEADER, session)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(deleted.statusCode()).isEqualTo(200);
		assertThat(this.callers.principal(session)).isEmpty();
		assertThat(this.callers.boundSessions()).isZero();
	}

	@Test
	void anonymousSessionsAreNotBound() throws Exception {
		HttpResponse<String> opened = post("/mcp", null, null, null);
		String session = opened.headers().firstValue(McpSessionCallers.SESSION_HEADER).orElseThrow();
		assertThat(this.callers.principal(session)).isEmpty();
		assertThat(post("/mcp", null, null, session).statusCode()).isEqualTo(200);
		assertThat(this.callers.boundSessions()).isZero();
	}

	private HttpResponse<String> post(String path, @Nullable String origin, @Nullable String user,
			@Nullable String session) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.POST(HttpRequest.BodyPublishers.ofString("{}"));
		if (origin != null) {
			request.header("Origin", origin);
		}
		if (user != null) {
			request.header("X-User", user);
		}
		if (session != null) {
			request.header(McpSessionCallers.SESSION_HEADER, session);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
