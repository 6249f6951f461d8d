package io.github.grain.plugin.spring.http;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.egress.HostResolver;
import io.github.grain.plugin.egress.TestHttpServer;
import io.github.grain.plugin.engine.host.HttpOutcome;
import io.github.grain.plugin.engine.host.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Allowed traffic goes to a real server on 127.0.0.1; every refusal is proven without
 * traffic: names resolve through a fixed table, and refused addresses are never dialled.
 */
class WebClientHttpGatewayTests {

	private TestHttpServer server;

	private final List<String> lookups = new CopyOnWriteArrayList<>();

	private WebClientHttpGateway gateway;

	@BeforeEach
	void start() throws Exception {
		this.server = new TestHttpServer();
	}

	@AfterEach
	void stop() {
		if (this.gateway != null) {
			this.gateway.close();
		}
		this.server.close();
	}

	/** A resolver that never asks DNS: localhost and the test names map to fixed addresses. */
	private HostResolver table() {
		return (host) -> {
			this.lookups.add(host);
			return switch (host) {
				case "localhost" -> List.of(InetAddress.getByName("127.0.0.1"));
				case "internal.test" -> List.of(InetAddress.getByName("10.0.0.1"));
				case "rebind.test" -> List.of(InetAddress.getByName("127.0.0.1"));
				case "metadata.test" -> List.of(InetAddress.getByName("169.254.169.254"));
				default -> throw new UnknownHostException(host);
			};
		};
	}

	private WebClientHttpGateway gateway(Map<String, List<String>> allow) {
		return gateway(allow, WebClient.builder(), Duration.ofSeconds(5), DataSize.ofKilobytes(4), 3);
	}

	private WebClientHttpGateway gateway(Map<String, List<String>> allow, WebClient.Builder builder, Duration timeout,
			DataSize maxResponse, int maxRedirects) {
		this.gateway = new WebClientHttpGateway(builder, EgressPolicy.of(allow), table(), timeout, maxResponse,
				maxRedirects);
		return this.gateway;
	}

	private Map<String, List<String>> loopbackLiteral() {
		return Map.of("p", List.of("http://127.0.0.1:" + this.server.port()));
	}

	private static HttpRequest get(String url, List<Map.Entry<String, String>> headers) {
		return new HttpRequest("p", "GET", url, headers, null);
	}

	private static HttpRequest get(String url) {
		return get(url, List.of());
	}

	@Test
	void getReachesLoopbackGrantedByItsLiteralAddress() {
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/echo")));
		assertThat(outcome).isInstanceOfSatisfying(HttpOutcome.Response.class, (response) -> {
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("GET ");
			assertThat(response.headers()).anySatisfy((header) -> {
				assertThat(header.getKey()).isEqualToIgnoringCase("x-served-by");
				assertThat(header.getValue()).isEqualTo("test");
			});
		});
	}

	@Test
	void postSendsBody() {
		HttpOutcome outcome = gateway(loopbackLiteral())
			.send(new HttpRequest("p", "POST", this.server.url("/echo"), List.of(), "hello"));
		assertThat(((HttpOutcome.Response) outcome).body()).isEqualTo("POST hello");
	}

	@Test
	void localhostPatternReachesLoopbackThroughTheResolver() {
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://localhost:" + this.server.port())))
			.send(get("http://localhost:" + this.server.port() + "/echo"));
		assertThat(outcome).isInstanceOf(HttpOutcome.Response.class);
		assertThat(this.lookups).containsExactly("localhost");
	}

	@Test
	void applicationBuilderCustomizationsApply() {
		WebClient.Builder builder = WebClient.builder().defaultHeader("x-app", "demo");
		HttpOutcome outcome = gateway(loopbackLiteral(), builder, Duration.ofSeconds(5), DataSize.ofKilobytes(4), 3)
			.send(get(this.server.url("/headers")));
		assertThat(((HttpOutcome.Response) outcome).body()).contains("x-app=demo");
	}

	@Test
	void originOutsideTheAllowListIsRefusedWithoutTraffic() {
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://127.0.0.1:1")))
			.send(get(this.server.url("/echo?api_key=secret")));
		assertThat(outcome).isInstanceOfSatisfying(HttpOutcome.Failure.class, (failure) -> assertThat(failure.reason())
			.isEqualTo("http://127.0.0.1:" + this.server.port() + " is not in the HTTP allow-list of plugin 'p' "
					+ "(loopback addresses must be allowed by their literal address)"));
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void pluginWithoutGrantsIsRefused() {
		HttpOutcome outcome = gateway(loopbackLiteral())
			.send(new HttpRequest("other", "GET", this.server.url("/echo"), List.of(), null));
		assertThat(((HttpOutcome.Failure) outcome).reason()).startsWith("plugin 'other' is not allowed any HTTP egress");
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void nameResolvingToPrivateAddressIsRefusedBeforeConnecting() {
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://internal.test:" + this.server.port())))
			.send(get("http://internal.test:" + this.server.port() + "/echo"));
		assertThat(outcome).isInstanceOfSatisfying(HttpOutcome.Failure.class, (failure) -> assertThat(failure.reason())
			.startsWith("egress refused: 'internal.test' resolves only to addresses the egress policy refuses [private]"));
		assertThat(this.lookups).containsExactly("internal.test");
	}

	@Test
	void nameRebindingToLoopbackIsRefusedAndTheLoopbackServerSeesNothing() {
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://rebind.test:" + this.server.port())))
			.send(get("http://rebind.test:" + this.server.port() + "/echo"));
		assertThat(((HttpOutcome.Failure) outcome).reason()).contains("[loopback]");
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void nameResolvingToMetadataAddressIsRefused() {
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://metadata.test")))
			.send(get("http://metadata.test/latest/meta-data/"));
		assertThat(((HttpOutcome.Failure) outcome).reason()).contains("[metadata]");
	}

	@Test
	void everyRefusalIsHeardWithItsReasonAndAllowedTrafficIsNot() {
		List<String> heard = new CopyOnWriteArrayList<>();
		Map<String, List<String>> allow = Map.of("p", List.of("http://127.0.0.1:" + this.server.port(),
				"http://internal.test:" + this.server.port()));
		this.gateway = new WebClientHttpGateway(WebClient.builder(), EgressPolicy.of(allow), table(),
				Duration.ofSeconds(5), DataSize.ofKilobytes(4), 3,
				(plugin, refusal) -> heard.add(plugin + " " + refusal.tagValue()));
		this.gateway.send(get(this.server.url("/echo")));
		this.gateway.send(new HttpRequest("other", "GET", this.server.url("/echo"), List.of(), null));
		this.gateway.send(get("http://127.0.0.1:1/"));
		this.gateway.send(get("http://internal.test:" + this.server.port() + "/echo"));
		this.gateway.send(get(this.server.url("/redirect/302?to=" + encode("http://169.254.169.254/latest"))));
		this.gateway.send(get("file:///etc/passwd"));
		assertThat(heard).containsExactly("other no-allow-list", "p not-allowed", "p address", "p not-allowed",
				"p scheme");
		assertThat(this.server.requests).containsExactly("GET /echo", "GET /redirect/302");
	}

	@Test
	void redirectWithinTheAllowListIsFollowed() {
		String target = this.server.url("/echo");
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/redirect/302?to=" + encode(target))));
		assertThat(((HttpOutcome.Response) outcome).body()).isEqualTo("GET ");
		assertThat(this.server.requests).containsExactly("GET /redirect/302", "GET /echo");
	}

	@Test
	void relativeRedirectIsResolvedAgainstTheCurrentUrl() {
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/redirect/301?to=%2Fecho")));
		assertThat(((HttpOutcome.Response) outcome).status()).isEqualTo(200);
	}

	@Test
	void redirectToMetadataAddressIsRefusedWithoutFollowing() {
		String target = "http://169.254.169.254/latest/meta-data/iam";
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/redirect/302?to=" + encode(target))));
		assertThat(((HttpOutcome.Failure) outcome).reason())
			.isEqualTo("http://169.254.169.254:80 is not in the HTTP allow-list of plugin 'p' "
					+ "(metadata addresses must be allowed by their literal address)");
		assertThat(this.server.requests).containsExactly("GET /redirect/302");
	}

	@Test
	void redirectToAllowedNameThatResolvesPrivateIsRefused() {
		Map<String, List<String>> allow = Map.of("p",
				List.of("http://127.0.0.1:" + this.server.port(), "http://internal.test"));
		HttpOutcome outcome = gateway(allow).send(get(this.server.url("/redirect/307?to=" + encode("http://internal.test/"))));
		assertThat(((HttpOutcome.Failure) outcome).reason()).contains("egress refused").contains("[private]");
	}

	@Test
	void redirectLoopStopsAfterMaxRedirects() {
		String self = this.server.url("/redirect/302?to=" + encode(this.server.url("/redirect/302?to=%2Fredirect%2F302")));
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://127.0.0.1:" + this.server.port())), WebClient.builder(),
				Duration.ofSeconds(5), DataSize.ofKilobytes(4), 2)
			.send(get(this.server.url("/redirect/302?to=" + encode(this.server.url("/redirect/302?to=" + encode(self))))));
		assertThat(((HttpOutcome.Failure) outcome).reason()).isEqualTo("too many redirects (more than 2)");
		assertThat(this.server.requests).hasSize(3);
	}

	@Test
	void seeOtherTurnsPostIntoGetAndTemporaryRedirectKeepsIt() {
		WebClientHttpGateway gateway = gateway(loopbackLiteral());
		String echo = encode(this.server.url("/echo"));
		HttpOutcome seeOther = gateway.send(new HttpRequest("p", "POST", this.server.url("/redirect/303?to=" + echo),
				List.of(), "payload"));
		assertThat(((HttpOutcome.Response) seeOther).body()).isEqualTo("GET ");
		HttpOutcome temporary = gateway.send(new HttpRequest("p", "POST", this.server.url("/redirect/307?to=" + echo),
				List.of(), "payload"));
		assertThat(((HttpOutcome.Response) temporary).body()).isEqualTo("POST payload");
	}

	@Test
	void credentialsAreKeptOnSameOriginRedirectAndDroppedAcrossOrigins() {
		int port = this.server.port();
		WebClientHttpGateway gateway = gateway(
				Map.of("p", List.of("http://127.0.0.1:" + port, "http://localhost:" + port)));
		List<Map.Entry<String, String>> auth = List.of(Map.entry("Authorization", "Bearer s3cret"));
		HttpOutcome same = gateway.send(get(this.server.url("/redirect/302?to=%2Fheaders"), auth));
		assertThat(((HttpOutcome.Response) same).body()).contains("authorization=Bearer s3cret");
		String other = encode("http://localhost:" + port + "/headers");
		HttpOutcome cross = gateway.send(get(this.server.url("/redirect/302?to=" + other), auth));
		assertThat(((HttpOutcome.Response) cross).body()).contains("authorization=null");
	}

	@Test
	void responseLargerThanTheCapFails() {
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/big?n=5000")));
		assertThat(((HttpOutcome.Failure) outcome).reason())
			.isEqualTo("the response from http://127.0.0.1:" + this.server.port() + " is larger than 4096 bytes");
		assertThat(((HttpOutcome.Response) gateway(loopbackLiteral()).send(get(this.server.url("/big?n=4096")))).body())
			.hasSize(4096);
	}

	@Test
	void slowResponseTimesOut() {
		HttpOutcome outcome = gateway(loopbackLiteral(), WebClient.builder(), Duration.ofMillis(300),
				DataSize.ofKilobytes(4), 3)
			.send(get(this.server.url("/slow")));
		assertThat(((HttpOutcome.Failure) outcome).reason()).isEqualTo("the request timed out after 300 ms");
	}

	@Test
	void closedPortIsAConnectFailure() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			closed = socket.getLocalPort();
		}
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://127.0.0.1:" + closed)))
			.send(get("http://127.0.0.1:" + closed + "/x?token=abc"));
		assertThat(((HttpOutcome.Failure) outcome).reason()).isEqualTo("cannot connect to http://127.0.0.1:" + closed);
	}

	@Test
	void reasonsNeverContainHeaderValuesPathsOrQueries() {
		List<Map.Entry<String, String>> headers = List.of(Map.entry("Authorization", "Bearer top-secret"));
		List<String> reasons = new ArrayList<>();
		WebClientHttpGateway gateway = gateway(loopbackLiteral(), WebClient.builder(), Duration.ofMillis(300),
				DataSize.ofKilobytes(1), 3);
		for (String path : List.of("/slow?key=top-secret", "/big?n=5000&key=top-secret")) {
			reasons.add(((HttpOutcome.Failure) gateway.send(get(this.server.url(path), headers))).reason());
		}
		reasons.add(((HttpOutcome.Failure) gateway.send(get("http://10.1.1.1/top-secret?key=top-secret", headers)))
			.reason());
		assertThat(reasons).allSatisfy((reason) -> assertThat(reason).doesNotContain("top-secret").doesNotContain("key="));
	}

	@Test
	void unsupportedMethodAndMalformedUrlAreFailures() {
		WebClientHttpGateway gateway = gateway(loopbackLiteral());
		assertThat(((HttpOutcome.Failure) gateway.send(new HttpRequest("p", "DELETE", this.server.url("/echo"), List.of(),
				null))).reason()).isEqualTo("unsupported HTTP method");
		assertThat(((HttpOutcome.Failure) gateway.send(get("http://exa mple.com/"))).reason()).startsWith("invalid URL");
	}

	@Test
	void callFromANonBlockingThreadIsRefused() {
		WebClientHttpGateway gateway = gateway(loopbackLiteral());
		HttpOutcome outcome = Mono.fromCallable(() -> gateway.send(get(this.server.url("/echo"))))
			.subscribeOn(Schedulers.parallel())
			.block(Duration.ofSeconds(5));
		assertThat(((HttpOutcome.Failure) outcome).reason()).isEqualTo("http is not available on this thread");
		assertThat(this.server.requests).isEmpty();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
