package io.github.grain.plugin.egress;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What the exchange decides before any transport runs (the guest's header names and
 * values, the method, the deadline), seen through a transport that only records the hops
 * it is handed. Redirects and what reaches a real server are in the gateways' contract tests.
 */
class EgressExchangeTests {

	private static final String URL = "http://10.0.0.1/x";

	private final EgressExchange exchange = new EgressExchange(EgressPolicy.of(Map.of("p", List.of("http://10.0.0.1"))),
			3);

	private final List<EgressExchange.Hop> hops = new ArrayList<>();

	private static final byte[] BODY = { 0, (byte) 0xff, 'b' };

	private String send(String method, List<Map.Entry<String, String>> headers, Duration timeout) {
		return send(method, headers, method.equalsIgnoreCase("GET") ? null : BODY, timeout);
	}

	private String send(String method, List<Map.Entry<String, String>> headers, byte @Nullable [] body,
			Duration timeout) {
		return this.exchange.send("p", method, URL, headers, body, timeout, (hop, remaining) -> {
			this.hops.add(hop);
			return EgressExchange.Reply.answer("sent");
		}, (reason) -> "refused: " + reason);
	}

	private String sendHeader(String name, String value) {
		return send("GET", List.of(Map.entry(name, value)), Duration.ofSeconds(5));
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "9", "a", "z", "A", "Z", "!#$%&'*+-.^_`|~", "X-Trace-Id" })
	void headerNamesOfTokenCharactersAreSent(String name) {
		assertThat(sendHeader(name, "v")).isEqualTo("sent");
		assertThat(this.hops.get(0).headers()).containsExactly(Map.entry(name, "v"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", ":", "@", "[", "{", "\"", "x y", "é", "(", "" })
	void headerNamesWithAnythingElseRefuseTheRequest(String name) {
		assertThat(sendHeader(name, "v")).isEqualTo("refused: invalid request header name (an HTTP token is required)");
		assertThat(this.hops).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "tab\there", "space and ~", "é and 😀", "\u0080" })
	void headerValuesWithoutControlCharactersAreSent(String value) {
		assertThat(sendHeader("x", value)).isEqualTo("sent");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\u001f", "\u007f", "line\nbreak", "\u0000" })
	void headerValuesWithControlCharactersRefuseTheRequest(String value) {
		assertThat(sendHeader("x-app", value))
			.isEqualTo("refused: invalid value for request header 'x-app' (control characters are not allowed)");
		assertThat(this.hops).isEmpty();
	}

	@Test
	void restrictedHeadersAreDroppedWhateverTheirCaseAndTheOthersKeepTheirOrder() {
		List<Map.Entry<String, String>> headers = List.of(Map.entry("b", "1"), Map.entry("HOST", "x"),
				Map.entry("Content-Length", "9"), Map.entry("a", "2"), Map.entry("Expect", "100-continue"),
				Map.entry("b", "3"));
		assertThat(send("GET", headers, Duration.ofSeconds(5))).isEqualTo("sent");
		assertThat(this.hops.get(0).headers()).containsExactly(Map.entry("b", "1"), Map.entry("a", "2"),
				Map.entry("b", "3"));
	}

	@Test
	void getSendsNoBodyAndPostSendsItsBody() {
		send("get", List.of(), Duration.ofSeconds(5));
		send("Post", List.of(), Duration.ofSeconds(5));
		assertThat(this.hops).extracting(EgressExchange.Hop::method).containsExactly("GET", "POST");
		assertThat(this.hops).extracting(EgressExchange.Hop::body).containsExactly(null, BODY);
	}

	@ParameterizedTest
	@CsvSource(nullValues = "none", value = { "HEAD, none, none", "POST, none, ''", "PUT, none, ''",
			"PATCH, none, ''", "PUT, body, body", "PATCH, body, body", "DELETE, none, none", "DELETE, '', none",
			"DELETE, body, body", "OPTIONS, none, none", "OPTIONS, body, body" })
	void eachMethodCarriesTheBodyItMayHave(String method, @Nullable String given, @Nullable String sent) {
		assertThat(send(method, List.of(), (given != null) ? given.getBytes(StandardCharsets.UTF_8) : null,
				Duration.ofSeconds(5))).isEqualTo("sent");
		assertThat(this.hops).singleElement().satisfies((hop) -> {
			assertThat(hop.method()).isEqualTo(method);
			assertThat(hop.body()).isEqualTo((sent != null) ? sent.getBytes(StandardCharsets.UTF_8) : null);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "CONNECT", "TRACE", "PROPFIND", "GET ", "" })
	void methodsOutsideTheSupportedOnesAreRefusedBeforeTheTransport(String method) {
		assertThat(send(method, List.of(), Duration.ofSeconds(5))).isEqualTo(
				"refused: unsupported HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS are sent)");
		assertThat(this.hops).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET", "HEAD" })
	void aBodyOnAMethodWithoutOneIsRefusedAndAnEmptyOneIsNot(String method) {
		assertThat(send(method, List.of(), BODY, Duration.ofSeconds(5)))
			.isEqualTo("refused: a " + method + " request has no body");
		assertThat(send(method, List.of(), new byte[0], Duration.ofSeconds(5))).isEqualTo("sent");
		assertThat(this.hops).singleElement().extracting(EgressExchange.Hop::body).isNull();
	}

	@Test
	void anExchangeWithNoTimeLeftNeverReachesTheTransport() {
		assertThat(send("GET", List.of(), Duration.ZERO)).isEqualTo("refused: the request timed out after 0 ms");
		assertThat(this.hops).isEmpty();
	}

	@Test
	void theDeadlineCoversEveryHopAndNoHopIsSentWithNoTimeLeft() {
		long[] now = { 0 };
		EgressExchange exchange = new EgressExchange(EgressPolicy.of(Map.of("p", List.of("http://10.0.0.1"))), 5,
				EgressListener.NONE, () -> now[0]);
		// each hop takes some of the time and redirects: the third leaves none for a fourth
		List<Duration> taken = List.of(Duration.ofSeconds(2), Duration.ofSeconds(3).minusNanos(1), Duration.ofNanos(1));
		List<Duration> given = new ArrayList<>();
		String outcome = exchange.send("p", "GET", URL, List.of(), null, Duration.ofSeconds(5), (hop, remaining) -> {
			now[0] += taken.get(given.size()).toNanos();
			given.add(remaining);
			return EgressExchange.Reply.redirect(302, "/again");
		}, (reason) -> "refused: " + reason);
		assertThat(outcome).isEqualTo("refused: the request timed out after 5000 ms");
		assertThat(given).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofNanos(1));
	}

	@ParameterizedTest
	@CsvSource({ "HEAD, 303, HEAD", "GET, 303, GET", "DELETE, 303, GET", "HEAD, 301, HEAD", "HEAD, 302, HEAD",
			"DELETE, 302, DELETE" })
	void aRedirectKeepsOrChangesTheMethod(String method, int status, String next) {
		List<String> methods = new ArrayList<>();
		String outcome = this.exchange.send("p", method, URL, List.of(), null, Duration.ofSeconds(5), (hop, remaining) -> {
			methods.add(hop.method());
			return (methods.size() == 1) ? EgressExchange.Reply.redirect(status, "/y") : EgressExchange.Reply.answer("sent");
		}, (reason) -> "refused: " + reason);
		assertThat(outcome).isEqualTo("sent");
		assertThat(methods).containsExactly(method, next);
	}

	@ParameterizedTest
	@CsvSource({ "200, false", "300, false", "301, true", "302, true", "303, true", "304, false", "305, false",
			"306, false", "307, true", "308, true", "309, false" })
	void redirectStatuses(int status, boolean redirect) {
		assertThat(EgressExchange.isRedirect(status)).isEqualTo(redirect);
	}

	@Test
	void maxRedirectsMayBeZeroButNotNegative() {
		EgressPolicy policy = EgressPolicy.of(Map.of());
		assertThat(new EgressExchange(policy, 0).policy()).isSameAs(policy);
		assertThatIllegalArgumentException().isThrownBy(() -> new EgressExchange(policy, -1))
			.withMessage("grain.plugins.http.max-redirects must not be negative: -1");
	}

	@Test
	void withZeroRedirectsTheFirstRedirectIsRefused() {
		EgressExchange strict = new EgressExchange(EgressPolicy.of(Map.of("p", List.of("http://10.0.0.1"))), 0);
		String outcome = strict.send("p", "GET", URL, List.of(), null, Duration.ofSeconds(5), (hop, remaining) -> {
			this.hops.add(hop);
			return EgressExchange.Reply.redirect(302, "/y");
		}, (reason) -> "refused: " + reason);
		assertThat(outcome).isEqualTo("refused: too many redirects (more than 0)");
		assertThat(this.hops).hasSize(1);
	}

}
