package io.github.grain.plugin.engine.host;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.grain.plugin.egress.EgressListener;
import io.github.grain.plugin.egress.HostileHttpServer;
import io.github.grain.plugin.egress.TestHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link HttpGateway} guarantees, run against each one (JDK and WebClient): one
 * egress policy, one request flow. Allowed traffic goes to a real server on 127.0.0.1;
 * names resolve through the JVM from the test hosts file ({@code egress-test-hosts}:
 * {@code loopback.test}, {@code private.test}, {@code metadata.test}); every refusal is
 * shown to happen before the server sees anything.
 */
public abstract class HttpGatewayContract {

	protected TestHttpServer server;

	@BeforeEach
	void startServer() throws Exception {
		this.server = new TestHttpServer();
	}

	@AfterEach
	void stopServer() throws Exception {
		closeGateways();
		this.server.close();
	}

	/**
	 * A gateway under test, closed after the test by {@link #closeGateways()}.
	 * @param allow the allow-lists per plugin
	 * @param timeout the gateway's timeout
	 * @param maxResponseBytes its response-size cap
	 * @param maxRedirects how many redirects it follows
	 * @param listener hears its refusals
	 */
	protected abstract HttpGateway gateway(Map<String, List<String>> allow, Duration timeout, int maxResponseBytes,
			int maxRedirects, EgressListener listener);

	protected HttpGateway gateway(Map<String, List<String>> allow, Duration timeout, int maxResponseBytes,
			int maxRedirects) {
		return gateway(allow, timeout, maxResponseBytes, maxRedirects, EgressListener.NONE);
	}

	/** Close the gateways this test created. */
	protected abstract void closeGateways() throws Exception;

	protected HttpGateway gateway(Map<String, List<String>> allow) {
		return gateway(allow, Duration.ofSeconds(5), 4096, 3);
	}

	protected Map<String, List<String>> loopbackLiteral() {
		return Map.of("p", List.of(this.server.origin()));
	}

	protected static HttpRequest get(String url, List<Map.Entry<String, String>> headers) {
		return new HttpRequest("p", "GET", url, headers, null);
	}

	protected static HttpRequest get(String url) {
		return get(url, List.of());
	}

	protected static HttpRequest post(String url, List<Map.Entry<String, String>> headers, String text) {
		return new HttpRequest("p", "POST", url, headers, text.getBytes(StandardCharsets.UTF_8));
	}

	protected static String reason(HttpOutcome outcome) {
		assertThat(outcome).isInstanceOf(HttpOutcome.Failure.class);
		return ((HttpOutcome.Failure) outcome).reason();
	}

	protected static String body(HttpOutcome outcome) {
		assertThat(outcome).isInstanceOf(HttpOutcome.Response.class);
		return ((HttpOutcome.Response) outcome).text();
	}

	protected static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/** The reason a refused or unknown name gives: the same for both, and no address category. */
	protected static String refusedName(String name) {
		return "egress refused: the name '" + name + "' does not resolve only to addresses the egress policy allows "
				+ "(names reach public addresses only; allow another address by writing it literally in the "
				+ "plugin's allow-list)";
	}

	@Test
	void getReachesLoopbackGrantedByItsLiteralAddress() {
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/echo")));
		assertThat(outcome).isInstanceOfSatisfying(HttpOutcome.Response.class, (response) -> {
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("GET ");
			assertThat(response.headers()).anySatisfy((header) -> {
				assertThat(header.getKey()).isEqualToIgnoringCase("x-served-by");
				assertThat(header.getValue()).isEqualTo("test");
			});
		});
	}

	@Test
	void postSendsBody() {
		HttpOutcome outcome = gateway(loopbackLiteral())
			.send(post(this.server.url("/echo"), List.of(), "hello"));
		assertThat(body(outcome)).isEqualTo("POST hello");
	}

	@Test
	void localhostPatternReachesLoopback() {
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://localhost:" + this.server.port())))
			.send(get("http://localhost:" + this.server.port() + "/echo"));
		assertThat(body(outcome)).isEqualTo("GET ");
	}

	@Test
	void originOutsideTheAllowListIsRefusedWithoutTraffic() {
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://127.0.0.1:1")))
			.send(get(this.server.url("/echo?api_key=secret")));
		assertThat(reason(outcome)).isEqualTo(this.server.origin() + " is not in the HTTP allow-list of plugin 'p' "
				+ "(loopback addresses must be allowed by their literal address)");
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void pluginWithoutGrantsIsRefused() {
		HttpOutcome outcome = gateway(loopbackLiteral())
			.send(new HttpRequest("other", "GET", this.server.url("/echo"), List.of(), null));
		assertThat(reason(outcome)).startsWith("plugin 'other' is not allowed any HTTP egress");
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void everyRefusalIsHeardWithItsReasonAndAllowedTrafficIsNot() {
		List<String> heard = new CopyOnWriteArrayList<>();
		Map<String, List<String>> allow = Map.of("p",
				List.of(this.server.origin(), "http://private.test:" + this.server.port()));
		HttpGateway gateway = gateway(allow, Duration.ofSeconds(5), 4096, 3,
				(plugin, refusal) -> heard.add(plugin + " " + refusal.tagValue()));
		gateway.send(get(this.server.url("/echo")));
		gateway.send(new HttpRequest("other", "GET", this.server.url("/echo"), List.of(), null));
		gateway.send(get("http://127.0.0.1:1/"));
		gateway.send(get("http://private.test:" + this.server.port() + "/echo"));
		gateway.send(get(this.server.url("/redirect/302?to=" + encode("http://169.254.169.254/latest"))));
		gateway.send(get("file:///etc/passwd"));
		assertThat(heard).containsExactly("other no-allow-list", "p not-allowed", "p address", "p not-allowed",
				"p scheme");
		assertThat(this.server.requests).containsExactly("GET /echo", "GET /redirect/302");
	}

	@Test
	void nameResolvingToAPrivateAddressIsRefusedWithoutNamingItsCategory() {
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://private.test:" + this.server.port())))
			.send(get("http://private.test:" + this.server.port() + "/echo"));
		assertThat(reason(outcome)).isEqualTo(refusedName("private.test"));
	}

	@Test
	void unknownNameIsRefusedInTheSameWordsAsAnInternalOne() {
		HttpGateway gateway = gateway(Map.of("p", List.of("http://*:*")));
		String unknown = reason(gateway.send(get("http://no-such-name.test/")));
		String internal = reason(gateway.send(get("http://private.test/")));
		assertThat(unknown).isEqualTo(refusedName("no-such-name.test"));
		assertThat(internal.replace("private.test", "no-such-name.test")).isEqualTo(unknown);
	}

	@Test
	void nameResolvingToLoopbackIsRefusedAndTheServerSeesNothing() {
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://loopback.test:" + this.server.port())))
			.send(get("http://loopback.test:" + this.server.port() + "/echo"));
		assertThat(reason(outcome)).isEqualTo(refusedName("loopback.test"));
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void nameResolvingToAMetadataAddressIsRefused() {
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://metadata.test")))
			.send(get("http://metadata.test/latest/meta-data/"));
		assertThat(reason(outcome)).isEqualTo(refusedName("metadata.test"));
	}

	@Test
	void hostSpelledTheWayOnlySomeClientsReadIsRefusedBeforeAnyTraffic() {
		HttpGateway gateway = gateway(Map.of("p", List.of(this.server.origin(), "http://*:*")));
		HttpOutcome outcome = gateway.send(get("http://127.000.000.001:" + this.server.port() + "/echo"));
		assertThat(reason(outcome)).isEqualTo("host '127.000.000.001' is refused: an IPv4 address must be four "
				+ "decimal numbers from 0 to 255 without leading zeros (HTTP clients read other spellings differently)");
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void redirectWithinTheAllowListIsFollowed() {
		String target = this.server.url("/echo");
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/redirect/302?to=" + encode(target))));
		assertThat(body(outcome)).isEqualTo("GET ");
		assertThat(this.server.requests).containsExactly("GET /redirect/302", "GET /echo");
	}

	@Test
	void relativeRedirectIsResolvedAgainstTheCurrentUrl() {
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/redirect/301?to=%2Fecho")));
		assertThat(((HttpOutcome.Response) outcome).status()).isEqualTo(200);
	}

	@Test
	void redirectToAMetadataAddressIsRefusedWithoutFollowing() {
		String target = "http://169.254.169.254/latest/meta-data/iam";
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/redirect/302?to=" + encode(target))));
		assertThat(reason(outcome)).isEqualTo("http://169.254.169.254:80 is not in the HTTP allow-list of plugin 'p' "
				+ "(metadata addresses must be allowed by their literal address)");
		assertThat(this.server.requests).containsExactly("GET /redirect/302");
	}

	@Test
	void redirectToAnAllowedNameThatResolvesPrivateIsRefused() {
		Map<String, List<String>> allow = Map.of("p", List.of(this.server.origin(), "http://private.test"));
		HttpOutcome outcome = gateway(allow)
			.send(get(this.server.url("/redirect/307?to=" + encode("http://private.test/"))));
		assertThat(reason(outcome)).isEqualTo(refusedName("private.test"));
	}

	@Test
	void redirectToAnIntegerSpellingOfLoopbackUnderAWildcardIsRefused() {
		Map<String, List<String>> allow = Map.of("p", List.of(this.server.origin(), "http://*:*"));
		String target = "http://2130706433:" + this.server.port() + "/echo";
		HttpOutcome outcome = gateway(allow).send(get(this.server.url("/redirect/302?to=" + encode(target))));
		assertThat(reason(outcome)).startsWith("host '2130706433' is refused: an IPv4 address must be four");
		assertThat(this.server.requests).containsExactly("GET /redirect/302");
	}

	@Test
	void redirectLoopStopsAfterMaxRedirects() {
		String self = this.server.url("/redirect/302?to=" + encode(this.server.url("/redirect/302?to=%2Fredirect%2F302")));
		HttpOutcome outcome = gateway(loopbackLiteral(), Duration.ofSeconds(5), 4096, 2)
			.send(get(this.server.url("/redirect/302?to=" + encode(this.server.url("/redirect/302?to=" + encode(self))))));
		assertThat(reason(outcome)).isEqualTo("too many redirects (more than 2)");
		assertThat(this.server.requests).hasSize(3);
	}

	@Test
	void seeOtherTurnsPostIntoGetAndTemporaryRedirectKeepsIt() {
		HttpGateway gateway = gateway(loopbackLiteral());
		String echo = encode(this.server.url("/echo"));
		HttpOutcome seeOther = gateway.send(post(this.server.url("/redirect/303?to=" + echo), List.of(), "payload"));
		assertThat(body(seeOther)).isEqualTo("GET ");
		HttpOutcome temporary = gateway.send(post(this.server.url("/redirect/307?to=" + echo), List.of(), "payload"));
		assertThat(body(temporary)).isEqualTo("POST payload");
	}

	@Test
	void credentialsAreKeptOnSameOriginRedirectAndDroppedAcrossOrigins() {
		int port = this.server.port();
		HttpGateway gateway = gateway(Map.of("p", List.of(this.server.origin(), "http://localhost:" + port)));
		List<Map.Entry<String, String>> auth = List.of(Map.entry("Authorization", "Bearer s3cret"));
		HttpOutcome same = gateway.send(get(this.server.url("/redirect/302?to=%2Fheaders"), auth));
		assertThat(body(same)).contains("authorization=Bearer s3cret");
		String other = encode("http://localhost:" + port + "/headers");
		HttpOutcome cross = gateway.send(get(this.server.url("/redirect/302?to=" + other), auth));
		assertThat(body(cross)).contains("authorization=null");
	}

	private static final List<Map.Entry<String, String>> CREDENTIALS_AND_APP = List.of(
			Map.entry("Authorization", "Bearer s3cret"), Map.entry("Cookie", "session=1"), Map.entry("x-app", "demo"));

	@Test
	void crossOriginRedirectDropsTheCredentialsAndKeepsTheOtherHeaders() {
		int port = this.server.port();
		HttpGateway gateway = gateway(Map.of("p", List.of(this.server.origin(), "http://localhost:" + port)));
		String other = encode("http://localhost:" + port + "/headers");
		HttpOutcome cross = gateway.send(get(this.server.url("/redirect/302?to=" + other), CREDENTIALS_AND_APP));
		assertThat(body(cross)).isEqualTo("authorization=null x-app=demo host=localhost:" + port
				+ " cookie=null content-type=null method=GET");
		HttpOutcome same = gateway.send(get(this.server.url("/redirect/302?to=%2Fheaders"), CREDENTIALS_AND_APP));
		assertThat(body(same)).isEqualTo("authorization=Bearer s3cret x-app=demo host=127.0.0.1:" + port
				+ " cookie=session=1 content-type=null method=GET");
	}

	@Test
	void redirectToAnotherPortOfTheSameHostIsCrossOrigin() throws Exception {
		try (TestHttpServer other = new TestHttpServer()) {
			HttpGateway gateway = gateway(Map.of("p", List.of(this.server.origin(), other.origin())));
			HttpOutcome outcome = gateway
				.send(get(this.server.url("/redirect/307?to=" + encode(other.url("/headers"))), CREDENTIALS_AND_APP));
			assertThat(body(outcome)).startsWith("authorization=null x-app=demo").contains("cookie=null");
		}
	}

	@Test
	void postRedirectedAsGetLosesItsBodyAndContentTypeOnly() {
		HttpGateway gateway = gateway(loopbackLiteral());
		List<Map.Entry<String, String>> headers = List.of(Map.entry("Content-Type", "application/json"),
				Map.entry("x-app", "demo"), Map.entry("Authorization", "Bearer s3cret"));
		String target = encode(this.server.url("/headers"));
		for (int status : List.of(301, 302, 303)) {
			HttpOutcome outcome = gateway
				.send(post(this.server.url("/redirect/" + status + "?to=" + target), headers, "{}"));
			assertThat(body(outcome)).as("POST then %d", status)
				.isEqualTo("authorization=Bearer s3cret x-app=demo host=127.0.0.1:" + this.server.port()
						+ " cookie=null content-type=null method=GET");
		}
		for (int status : List.of(307, 308)) {
			HttpOutcome outcome = gateway.send(post(
					this.server.url("/redirect/" + status + "?to=" + encode(this.server.url("/echo"))), headers, "{}"));
			assertThat(body(outcome)).as("POST then %d", status).isEqualTo("POST {}");
		}
		HttpOutcome kept = gateway.send(post(this.server.url("/redirect/307?to=" + target), headers, "{}"));
		assertThat(body(kept)).contains("content-type=application/json method=POST");
	}

	@Test
	void getStaysGetAcrossEveryRedirectStatus() {
		HttpGateway gateway = gateway(loopbackLiteral());
		for (int status : List.of(301, 302, 303, 307, 308)) {
			HttpOutcome outcome = gateway.send(get(this.server.url("/redirect/" + status + "?to=%2Fecho")));
			assertThat(body(outcome)).as("GET then %d", status).isEqualTo("GET ");
		}
	}

	@Test
	void restrictedHeadersFromTheGuestAreDropped() {
		List<Map.Entry<String, String>> headers = List.of(Map.entry("Host", "internal.example"),
				Map.entry("x-app", "demo"), Map.entry("Connection", "close"));
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/headers"), headers));
		assertThat(body(outcome)).isEqualTo("authorization=null x-app=demo host=127.0.0.1:" + this.server.port()
				+ " cookie=null content-type=null method=GET");
	}

	@Test
	void headerWithALineBreakRefusesTheRequestWithoutTraffic() {
		List<Map.Entry<String, String>> headers = List.of(Map.entry("x-app", "demo\r\nAuthorization: forged"));
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/headers"), headers));
		assertThat(reason(outcome))
			.isEqualTo("invalid value for request header 'x-app' (control characters are not allowed)");
		HttpOutcome badName = gateway(loopbackLiteral()).send(get(this.server.url("/headers"),
				List.of(Map.entry("x app", "demo"))));
		assertThat(reason(badName)).isEqualTo("invalid request header name (an HTTP token is required)");
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void responseLargerThanTheCapFails() {
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/big?n=5000")));
		assertThat(reason(outcome)).isEqualTo("the response from " + this.server.origin() + " is larger than 4096 bytes");
		assertThat(body(gateway(loopbackLiteral()).send(get(this.server.url("/big?n=4096"))))).hasSize(4096);
	}

	@Test
	void chunkedResponseLargerThanTheCapFailsAndOneAtTheCapIsRead() {
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/chunked?n=4097")));
		assertThat(reason(outcome)).isEqualTo("the response from " + this.server.origin() + " is larger than 4096 bytes");
		assertThat(body(gateway(loopbackLiteral()).send(get(this.server.url("/chunked?n=4096"))))).hasSize(4096);
	}

	@Test
	void aRedirectsBodyIsDiscardedNotHeldToTheCap() {
		HttpOutcome outcome = gateway(loopbackLiteral())
			.send(get(this.server.url("/redirect-with-body/302?to=" + encode(this.server.url("/echo")))));
		assertThat(body(outcome)).isEqualTo("GET ");
		assertThat(this.server.requests).containsExactly("GET /redirect-with-body/302", "GET /echo");
	}

	/**
	 * A server that never finishes its answer: a body growing past the cap, a body declared
	 * past it of which no byte comes (waiting for one would end in the timeout instead), a
	 * body within the cap trickling in past the deadline. The guest gets the reason, and the
	 * gateway hangs up on the server.
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource({ "/endless, 30000, 4096, the response from ORIGIN is larger than 4096 bytes",
			"/declared, 30000, 4096, the response from ORIGIN is larger than 4096 bytes",
			"/trickle, 1000, 65536, the request timed out after 1000 ms" })
	void aHostileAnswerEndsWithItsReasonAndTheGatewayHangsUp(String path, long timeoutMillis, int maxResponseBytes,
			String expected) throws Exception {
		try (HostileHttpServer hostile = new HostileHttpServer()) {
			hostile.release();
			HttpOutcome outcome = gateway(Map.of("p", List.of(hostile.origin())), Duration.ofMillis(timeoutMillis),
					maxResponseBytes, 3)
				.send(get(hostile.url(path)));
			assertThat(outcome).isEqualTo(new HttpOutcome.Failure(expected.replace("ORIGIN", hostile.origin())));
			assertThat(hostile.awaitHangUp()).as("the gateway hung up on the server").isTrue();
		}
	}

	@Test
	void redirectStatusWithoutALocationIsTheAnswer() {
		HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/status/302")));
		assertThat(outcome).isInstanceOfSatisfying(HttpOutcome.Response.class, (response) -> {
			assertThat(response.status()).isEqualTo(302);
			assertThat(response.text()).isEqualTo("no location");
		});
		assertThat(this.server.requests).containsExactly("GET /status/302");
	}

	@Test
	void slowResponseTimesOut() {
		HttpOutcome outcome = gateway(loopbackLiteral(), Duration.ofMillis(300), 4096, 3)
			.send(get(this.server.url("/slow")));
		assertThat(reason(outcome)).isEqualTo("the request timed out after 300 ms");
	}

	@Test
	void closedPortIsAConnectFailure() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			closed = socket.getLocalPort();
		}
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://127.0.0.1:" + closed)))
			.send(get("http://127.0.0.1:" + closed + "/x?token=abc"));
		// a failure, not a refusal under the policy
		assertThat(outcome).isEqualTo(new HttpOutcome.Failure("cannot connect to http://127.0.0.1:" + closed));
	}

	@Test
	void reasonsNeverContainHeaderValuesPathsOrQueries() {
		List<Map.Entry<String, String>> headers = List.of(Map.entry("Authorization", "Bearer top-secret"));
		List<String> reasons = new ArrayList<>();
		HttpGateway gateway = gateway(loopbackLiteral(), Duration.ofMillis(300), 1024, 3);
		for (String path : List.of("/slow?key=top-secret", "/big?n=5000&key=top-secret")) {
			reasons.add(reason(gateway.send(get(this.server.url(path), headers))));
		}
		reasons.add(reason(gateway.send(get("http://10.1.1.1/top-secret?key=top-secret", headers))));
		assertThat(reasons).allSatisfy((reason) -> assertThat(reason).doesNotContain("top-secret").doesNotContain("key="));
	}

	@Test
	void binaryResponseBodyArrivesByteExact() {
		HttpGateway gateway = gateway(loopbackLiteral());
		for (int n : List.of(256, 4096)) {
			HttpOutcome outcome = gateway.send(get(this.server.url("/bytes?n=" + n)));
			assertThat(outcome).isInstanceOfSatisfying(HttpOutcome.Response.class,
					(response) -> assertThat(response.body()).as("%d bytes", n).isEqualTo(TestHttpServer.pattern(n)));
		}
	}

	@Test
	void binaryRequestBodyReachesTheServerByteExactWithEveryMethodThatCarriesOne() {
		HttpGateway gateway = gateway(loopbackLiteral());
		byte[] body = TestHttpServer.pattern(3000);
		for (String method : List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
			HttpOutcome outcome = gateway.send(new HttpRequest("p", method, this.server.url("/record"), List.of(), body));
			assertThat(outcome).isInstanceOfSatisfying(HttpOutcome.Response.class,
					(response) -> assertThat(response.status()).isEqualTo(204));
		}
		assertThat(this.server.requests).containsExactly("POST /record", "PUT /record", "PATCH /record",
				"DELETE /record", "OPTIONS /record");
		assertThat(this.server.bodies).hasSize(5).allSatisfy((received) -> assertThat(received).isEqualTo(body));
	}

	@Test
	void aBodyGoesOutWithTheContentTypeTheGuestSetAndNoOther() {
		HttpGateway gateway = gateway(loopbackLiteral());
		assertThat(body(gateway.send(post(this.server.url("/headers"), List.of(), "text"))))
			.endsWith("content-type=null method=POST");
		assertThat(body(gateway.send(post(this.server.url("/headers"),
				List.of(Map.entry("Content-Type", "application/octet-stream")), "text"))))
			.endsWith("content-type=application/octet-stream method=POST");
	}

	@Test
	void everyMethodArrivesAsItselfAndHeadAnswersWithoutABody() {
		HttpGateway gateway = gateway(loopbackLiteral());
		for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
			HttpOutcome outcome = gateway.send(new HttpRequest("p", method, this.server.url("/headers"), List.of(), null));
			assertThat(outcome).as(method).isInstanceOfSatisfying(HttpOutcome.Response.class,
					(response) -> assertThat(response.text())
						.isEqualTo(method.equals("HEAD") ? "" : "authorization=null x-app=null host=127.0.0.1:"
								+ this.server.port() + " cookie=null content-type=null method=" + method));
		}
		assertThat(this.server.requests).containsExactly("GET /headers", "HEAD /headers", "POST /headers",
				"PUT /headers", "PATCH /headers", "DELETE /headers", "OPTIONS /headers");
	}

	@Test
	void headIsAnsweredWhenTheLengthItDeclaresIsOverTheCap() {
		HttpOutcome outcome = gateway(loopbackLiteral()).send(
				new HttpRequest("p", "HEAD", this.server.url("/bytes?n=5000"), List.of(), null));
		assertThat(outcome).isInstanceOfSatisfying(HttpOutcome.Response.class, (response) -> {
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEmpty();
			assertThat(response.headers()).anySatisfy((header) -> {
				assertThat(header.getKey()).isEqualToIgnoringCase("content-length");
				assertThat(header.getValue()).isEqualTo("5000");
			});
		});
	}

	@Test
	void putRedirectedBySeeOtherBecomesGetAndTemporaryRedirectKeepsItsBody() {
		HttpGateway gateway = gateway(loopbackLiteral());
		byte[] body = TestHttpServer.pattern(300);
		HttpOutcome seeOther = gateway.send(new HttpRequest("p", "PUT",
				this.server.url("/redirect/303?to=" + encode(this.server.url("/headers"))), List.of(), body));
		assertThat(body(seeOther)).endsWith("method=GET");
		HttpOutcome temporary = gateway.send(new HttpRequest("p", "PUT",
				this.server.url("/redirect/307?to=%2Frecord"), List.of(), body));
		assertThat(((HttpOutcome.Response) temporary).status()).isEqualTo(204);
		assertThat(this.server.requests).containsExactly("PUT /redirect/303", "GET /headers", "PUT /redirect/307",
				"PUT /record");
		assertThat(this.server.bodies).singleElement().isEqualTo(body);
	}

	@Test
	void connectTraceAndUnknownMethodsAreRefusedWithoutTraffic() {
		HttpGateway gateway = gateway(loopbackLiteral());
		for (String method : List.of("CONNECT", "TRACE", "PROPFIND", "")) {
			assertThat(reason(gateway.send(new HttpRequest("p", method, this.server.url("/echo"), List.of(), null))))
				.as(method)
				.isEqualTo("unsupported HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS are sent)");
		}
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void aBodyOnGetOrHeadIsRefusedWithoutTraffic() {
		HttpGateway gateway = gateway(loopbackLiteral());
		for (String method : List.of("GET", "HEAD")) {
			assertThat(reason(gateway.send(new HttpRequest("p", method, this.server.url("/echo"), List.of(),
					new byte[] { 1 })))).isEqualTo("a " + method + " request has no body");
		}
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void malformedUrlIsAFailure() {
		assertThat(reason(gateway(loopbackLiteral()).send(get("http://exa mple.com/")))).startsWith("invalid URL");
	}

}
