package io.github.grain.plugin.egress;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.grain.plugin.engine.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EgressPolicyTests {

	private final EgressPolicy policy = EgressPolicy.of(Map.of("weather",
			List.of("https://api.example.com", "https://*.cdn.example.org", "http://127.0.0.1:8080",
					"http://localhost:9000", "http://[fd00::5]:81"),
			"local", List.of("http://169.254.169.254"), "open", List.of("https://*:*")));

	@ParameterizedTest
	@CsvSource({ "https://api.example.com/v1/forecast?key=secret", "https://API.Example.COM./x",
			"https://api.example.com:443/", "https://img.cdn.example.org/a.png", "https://a.b.cdn.example.org/",
			"http://127.0.0.1:8080/x", "http://localhost:9000/", "http://[fd00::5]:81/" })
	void allowedUrls(String url) {
		assertThat(this.policy.check("weather", URI.create(url))).isInstanceOf(EgressPolicy.Decision.Allowed.class);
	}

	@ParameterizedTest
	@CsvSource({ "http://api.example.com/, http://api.example.com:80 is not in the HTTP allow-list, NOT_ALLOWED",
			"https://api.example.com:8443/, https://api.example.com:8443 is not in the HTTP allow-list, NOT_ALLOWED",
			"https://cdn.example.org/, https://cdn.example.org:443 is not in the HTTP allow-list, NOT_ALLOWED",
			"http://127.0.0.1:8081/, http://127.0.0.1:8081 is not in the HTTP allow-list, NOT_ALLOWED",
			"http://localhost:8080/, http://localhost:8080 is not in the HTTP allow-list, NOT_ALLOWED",
			"https://localhost/, https://localhost:443 is not in the HTTP allow-list, NOT_ALLOWED",
			"http://10.0.0.1:8080/, private addresses must be allowed by their literal address, NOT_ALLOWED",
			"https://169.254.169.254/, metadata addresses must be allowed by their literal address, NOT_ALLOWED",
			"https://[::1]/, loopback addresses must be allowed by their literal address, NOT_ALLOWED",
			"https://8.8.8.8/, https://8.8.8.8:443 is not in the HTTP allow-list, NOT_ALLOWED",
			"ftp://api.example.com/, only http and https URLs are allowed, SCHEME",
			"https://user:pw@api.example.com/, credentials in the URL are not allowed, CREDENTIALS",
			"https://exa_mple.com/, the URL has no valid host, INVALID_HOST" })
	void deniedUrls(String url, String reason, EgressRefusal refusal) {
		EgressPolicy.Decision decision = this.policy.check("weather", URI.create(url));
		assertThat(decision).isInstanceOf(EgressPolicy.Decision.Denied.class);
		assertThat(((EgressPolicy.Decision.Denied) decision).reason()).contains(reason).doesNotContain("secret");
		assertThat(((EgressPolicy.Decision.Denied) decision).refusal()).isEqualTo(refusal);
	}

	@Test
	void anyNameWildcardReachesNamesButNeitherLocalhostNorLiterals() {
		assertThat(this.policy.check("open", URI.create("https://anything.test:8443/")))
			.isInstanceOf(EgressPolicy.Decision.Allowed.class);
		assertThat(this.policy.check("open", URI.create("https://localhost/")))
			.isInstanceOf(EgressPolicy.Decision.Denied.class);
		assertThat(this.policy.check("open", URI.create("https://10.0.0.1/")))
			.isInstanceOf(EgressPolicy.Decision.Denied.class);
		assertThat(this.policy.check("open", URI.create("http://anything.test/")))
			.isInstanceOf(EgressPolicy.Decision.Denied.class);
	}

	@Test
	void pluginWithoutAllowListIsDeniedEverything() {
		EgressPolicy.Decision decision = this.policy.check("other", URI.create("https://api.example.com/?token=t"));
		assertThat(((EgressPolicy.Decision.Denied) decision).reason())
			.isEqualTo("plugin 'other' is not allowed any HTTP egress (https://api.example.com:443 requested; "
					+ "grant it with grain.plugins.plugin.other.http.allow)");
		assertThat(((EgressPolicy.Decision.Denied) decision).refusal()).isEqualTo(EgressRefusal.NO_ALLOW_LIST);
	}

	@Test
	void literalMetadataAddressIsReachableOnlyWhenNamedLiterally() {
		assertThat(this.policy.check("local", URI.create("http://169.254.169.254/latest")))
			.isInstanceOf(EgressPolicy.Decision.Allowed.class);
		assertThat(this.policy.check("weather", URI.create("http://169.254.169.254/latest")))
			.isInstanceOf(EgressPolicy.Decision.Denied.class);
	}

	@Test
	void namesReachOnlyPublicAddressesAtConnection() throws Exception {
		EgressHost name = EgressHost.parse("api.example.com");
		assertThat(EgressPolicy.mayConnect(name, InetAddress.getByName("93.184.215.14"))).isTrue();
		assertThat(EgressPolicy.mayConnect(name, InetAddress.getByName("10.0.0.7"))).isFalse();
		assertThat(EgressPolicy.mayConnect(name, InetAddress.getByName("127.0.0.1"))).isFalse();
		assertThat(EgressPolicy.mayConnect(name, InetAddress.getByName("169.254.169.254"))).isFalse();
		assertThat(EgressPolicy.mayConnect(name, InetAddress.getByName("::ffff:127.0.0.1"))).isFalse();
		assertThat(EgressPolicy.mayConnect(EgressHost.parse("localhost"), InetAddress.getByName("127.0.0.1"))).isTrue();
		assertThat(EgressPolicy.mayConnect(EgressHost.parse("localhost"), InetAddress.getByName("10.0.0.1"))).isFalse();
		assertThat(EgressPolicy.mayConnect(EgressHost.parse("127.0.0.1"), InetAddress.getByName("127.0.0.1"))).isTrue();
		assertThat(EgressPolicy.mayConnect(EgressHost.parse("127.0.0.1"), InetAddress.getByName("127.0.0.2"))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.000.000.001:8080/", "http://0177.0.0.1/", "http://2130706433/",
			"http://0x7f000001/", "http://0/", "http://[::127.0.0.1]/", "http://[::7f00:1]/", "http://[::1%25lo]/",
			"http://127.0.0.01/" })
	void lenientSpellingsOfAnAddressAreRefusedEvenUnderAWildcard(String url) {
		EgressPolicy open = EgressPolicy.of(Map.of("p", List.of("http://*:*", "http://127.0.0.1:8080")));
		assertThat(open.check("p", URI.create(url))).isInstanceOfSatisfying(EgressPolicy.Decision.Denied.class,
				(denied) -> assertThat(denied.reason()).startsWith("host '").contains("' is refused: "));
	}

	@Test
	void mappedFormOfAGrantedAddressIsThatAddress() {
		EgressPolicy literal = EgressPolicy.of(Map.of("p", List.of("http://127.0.0.1:8080")));
		assertThat(literal.check("p", URI.create("http://[::ffff:7f00:1]:8080/")))
			.isInstanceOfSatisfying(EgressPolicy.Decision.Allowed.class,
					(allowed) -> assertThat(allowed.origin()).isEqualTo("http://127.0.0.1:8080"));
	}

	/** Looks names up in a fixed table, the way a connector's resolver would. */
	private static List<InetAddress> table(String host) throws UnknownHostException {
		return switch (host) {
			case "internal.test" -> List.of(InetAddress.getByName("10.0.0.1"));
			case "metadata.test" -> List.of(InetAddress.getByName("169.254.169.254"));
			case "split.test" -> List.of(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("93.184.215.14"));
			case "public.test" -> List.of(InetAddress.getByName("93.184.215.14"));
			case "localhost" -> List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.0.0.1"));
			default -> throw new UnknownHostException(host);
		};
	}

	@Test
	void refusedAndUnknownNamesGiveTheSameReasonWithoutAnAddressCategory() {
		List<String> reasons = new ArrayList<>();
		for (String host : List.of("internal.test", "metadata.test", "unknown.test")) {
			assertThatExceptionOfType(EgressRefusedException.class).isThrownBy(() -> EgressPolicy
				.connectableAddresses(host, EgressPolicyTests::table, EgressPolicy.AddressesNeeded.ANY))
				.satisfies((ex) -> reasons.add(ex.getMessage().replace(host, "NAME")));
		}
		assertThat(reasons).containsOnly("egress refused: the name 'NAME' does not resolve only to addresses the "
				+ "egress policy allows (names reach public addresses only; allow another address by writing it "
				+ "literally in the plugin's allow-list)");
	}

	@Test
	void theCategoryARefusedNameResolvedToGoesOnlyToTheDebugLog() throws Exception {
		ListAppender<ILoggingEvent> log = Fixtures.captureLog(EgressPolicy.class.getName());
		assertThatExceptionOfType(EgressRefusedException.class).isThrownBy(() -> EgressPolicy
			.connectableAddresses("metadata.test", EgressPolicyTests::table, EgressPolicy.AddressesNeeded.ANY));
		assertThatExceptionOfType(EgressRefusedException.class).isThrownBy(() -> EgressPolicy
			.connectableAddresses("unknown.test", EgressPolicyTests::table, EgressPolicy.AddressesNeeded.ANY));
		assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly("Egress refused 'metadata.test': it resolves to [metadata 169.254.169.254]",
					"Egress refused 'unknown.test': it does not resolve");
		assertThat(log.list).allSatisfy((event) -> assertThat(event.getLevel()).isEqualTo(Level.DEBUG));
	}

	@Test
	void aConnectorThatConnectsOnlyToCheckedAddressesGetsThePublicOnes() throws Exception {
		assertThat(EgressPolicy.connectableAddresses("split.test", EgressPolicyTests::table,
				EgressPolicy.AddressesNeeded.ANY))
			.containsExactly(InetAddress.getByName("93.184.215.14"));
		assertThat(EgressPolicy.connectableAddresses("localhost", EgressPolicyTests::table,
				EgressPolicy.AddressesNeeded.ANY))
			.containsExactly(InetAddress.getByName("127.0.0.1"));
	}

	@Test
	void aConnectorThatPicksAnAddressItselfNeedsEveryAddressToPass() throws Exception {
		assertThatExceptionOfType(EgressRefusedException.class).isThrownBy(() -> EgressPolicy
			.connectableAddresses("split.test", EgressPolicyTests::table, EgressPolicy.AddressesNeeded.EVERY));
		assertThat(EgressPolicy.connectableAddresses("public.test", EgressPolicyTests::table,
				EgressPolicy.AddressesNeeded.EVERY))
			.containsExactly(InetAddress.getByName("93.184.215.14"));
	}

	@Test
	void aLiteralHandedToTheResolverIsNeverLookedUp() throws Exception {
		HostResolver none = (host) -> {
			throw new AssertionError("looked up " + host);
		};
		assertThat(EgressPolicy.connectableAddresses("10.0.0.1", none, EgressPolicy.AddressesNeeded.ANY))
			.containsExactly(InetAddress.getByName("10.0.0.1"));
		assertThat(EgressPolicy.connectableAddresses("::1", none, EgressPolicy.AddressesNeeded.ANY))
			.containsExactly(InetAddress.getByName("::1"));
		assertThatExceptionOfType(EgressRefusedException.class)
			.isThrownBy(() -> EgressPolicy.connectableAddresses("127.000.000.001", none,
					EgressPolicy.AddressesNeeded.ANY))
			.withMessageStartingWith("egress refused: host '127.000.000.001' is refused: ");
	}

	@ParameterizedTest
	@ValueSource(strings = { "api.example.com", "https://", "https://a.com/path", "https://a.com?q", "gopher://a.com",
			"https://u@a.com", "https://a.com:0", "https://a.com:x", "https://*.localhost", "https://a*.com",
			"https://[::1", "https://exa mple.com", "http://127.000.000.001", "http://[::1%25lo]", "http://0x7f000001",
			"http://*.10.0.0.1", "http://[::127.0.0.1]" })
	void malformedPatternsAreRejectedNamingTheProperty(String pattern) {
		assertThatIllegalArgumentException().isThrownBy(() -> EgressPolicy.of(Map.of("p", List.of(pattern))))
			.withMessageStartingWith("grain.plugins.plugin.p.http.allow: invalid HTTP allow-list pattern");
	}

	@Test
	void aUrlWithoutAValidHostIsDenied() {
		EgressPolicy policy = EgressPolicy.of(Map.of("p", List.of("http://*")));
		assertThat(policy.check("p", URI.create("http://exa_mple.com/")))
			.isEqualTo(new EgressPolicy.Decision.Denied(EgressRefusal.INVALID_HOST, "the URL has no valid host"));
	}

	@Test
	void localhostResolvingBeyondLoopbackIsRefusedSayingLocalhostReachesLoopbackOnly() {
		HostResolver resolver = (host) -> List.of(InetAddress.getByName("10.0.0.1"));
		assertThatExceptionOfType(EgressRefusedException.class)
			.isThrownBy(() -> EgressPolicy.connectableAddresses("localhost", resolver, EgressPolicy.AddressesNeeded.ANY))
			.withMessage("egress refused: the name 'localhost' does not resolve only to addresses the egress policy "
					+ "allows (localhost reaches loopback addresses only; allow another address by writing it "
					+ "literally in the plugin's allow-list)");
	}

	@Test
	void ruleToStringShowsPortOrWildcard() {
		assertThat(EgressRule.parse("https://*.example.com", "x")).hasToString("https://*.example.com:443");
		assertThat(EgressRule.parse("http://[::1]:*", "x")).hasToString("http://[0:0:0:0:0:0:0:1]:*");
	}

}
