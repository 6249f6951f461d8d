package io.github.grain.plugin.spring.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.github.grain.plugin.egress.AddressCategory;
import io.github.grain.plugin.egress.EgressHost;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.egress.HostResolver;
import io.github.grain.plugin.egress.LocalListener;
import io.github.grain.plugin.engine.host.HttpGateway;
import io.github.grain.plugin.engine.host.HttpOutcome;
import io.github.grain.plugin.engine.host.HttpRequest;
import io.github.grain.plugin.engine.host.JdkHttpGateway;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.netty.transport.AddressUtils;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Egress literal parity: the policy reads every host exactly as the two connectors will,
 * and a spelling it does not read the same way never reaches a connector.
 * <ul>
 * <li>Property: for generated host spellings (seeded, {@link HostSpellings}), whenever the
 * policy accepts a host, Reactor Netty's own address parser (what the WebClient gateway's
 * client uses to decide whether a host needs resolving) and the JDK's
 * ({@link InetAddress#getAllByName}, what JDK 17's HTTP client connects with) read it the
 * same way: the same address for a literal, not an address for a name.</li>
 * <li>End to end: with a wildcard grant ({@code http://*:*}), every hostile spelling of a
 * local address, written out and generated, goes through both gateways to a listener on
 * every local address, which sees no connection at all.</li>
 * </ul>
 * Names resolve from the test hosts file ({@code loopback.test} is 127.0.0.1), never DNS.
 */
class EgressParityTests {

	private static final Map<String, List<String>> WILDCARD = Map.of("p", List.of("http://*:*", "https://*:*"));

	private static final long[] SEEDS = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

	/** What a guest is told when its request is refused before any connection. */
	private static final String REFUSED_BEFORE_TRAFFIC = "(host '.*' is refused: .*|egress refused: .*"
			+ "|the URL has no valid host|invalid URL: .*|https?://\\S+ is not in the HTTP allow-list of plugin 'p'.*)";

	private static LocalListener listener;

	private static JdkHttpGateway jdk;

	private static WebClientHttpGateway webClient;

	@BeforeAll
	static void start() throws Exception {
		listener = new LocalListener();
		EgressPolicy policy = EgressPolicy.of(WILDCARD);
		jdk = new JdkHttpGateway(policy, Duration.ofSeconds(2), 4096, 3);
		webClient = new WebClientHttpGateway(WebClient.builder(), policy, HostResolver.system(), Duration.ofSeconds(2),
				DataSize.ofKilobytes(4), 3);
	}

	@AfterAll
	static void stop() throws Exception {
		webClient.close();
		listener.close();
	}

	/** Hostile spellings of local addresses, each written out. */
	static Stream<String> hostileHosts() {
		return Stream.of("127.0.0.1", "127.0.0.2", "127.000.000.001", "127.0.0.01", "0127.0.0.1", "0177.0.0.1",
				"00177.0.0.1", "127.0.0.1.", "127.1", "127.0.1", "2130706433", "017700000001", "0x7f000001", "0x7f.0.0.1",
				"0X7F.0.0.1", "127.0.0.0x1", "0", "0.0.0.0", "00.00.00.00", "0x0", "0.0.0.0.", "%31%32%37.0.0.1",
				"127%2e0.0.1", "\uff11\uff12\uff17.0.0.1", "127\u30020\u30020\u30021", "[::1]", "[0:0:0:0:0:0:0:1]",
				"[0000::0001]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::FFFF:7F00:0001]",
				"[0:0:0:0:0:ffff:127.0.0.1]", "[::ffff:127.000.000.001]", "[::ffff:0177.0.0.1]", "[::127.0.0.1]",
				"[::7f00:1]", "[::]", "[::ffff:0.0.0.0]", "[::ffff:0:7f00:1]", "[64:ff9b::7f00:1]",
				"[64:ff9b::127.0.0.1]", "[2002:7f00:1::]", "[::1%251]", "[::1%25lo]", "[fe80::1%25lo]",
				"[::ffff:127.0.0.1%25lo]", "localhost", "LOCALHOST", "localhost.", "LocalHost.", "loopback.test",
				"loopback.test.", "LOOPBACK.TEST", "mapped-loopback.test", "unspecified.test");
	}

	static Stream<Arguments> gatewaysAndHostileHosts() {
		return hostileHosts().flatMap((host) -> Stream.of(arguments(Kind.JDK, host), arguments(Kind.WEB_CLIENT, host)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileHosts")
	void policyAndBothConnectorsReadEachHostileSpellingAlike(String host) {
		assertThat(readAlike(host)).isNotNull();
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void policyAndBothConnectorsReadEveryGeneratedSpellingAlike(long seed) {
		Tally tally = new Tally();
		for (String spelling : new HostSpellings(seed).next(2000)) {
			tally.add(readAlike(spelling));
		}
		// the generator reaches every region, the dangerous one included
		assertThat(tally.addresses).as("literals accepted").isGreaterThan(100);
		assertThat(tally.names).as("names accepted").isGreaterThan(100);
		assertThat(tally.refusedThatAConnectorReadsAsAnAddress).as("refused, though a connector reads an address")
			.isGreaterThan(100);
	}

	@ParameterizedTest(name = "{0} gateway, host {1}")
	@MethodSource("gatewaysAndHostileHosts")
	void hostileSpellingOfALocalAddressNeverReachesTheListener(Kind kind, String host) throws Exception {
		assertRefusedBeforeAnyTraffic(kind.gateway(), host);
		assertThat(listener.newConnections()).as("connections to the listener").isZero();
	}

	@ParameterizedTest(name = "{0} gateway")
	@EnumSource(Kind.class)
	void generatedSpellingsThatAConnectorReadsAsALocalAddressNeverReachTheListener(Kind kind) throws Exception {
		Set<String> local = new LinkedHashSet<>();
		for (long seed : SEEDS) {
			for (String spelling : new HostSpellings(seed).next(2000)) {
				if (local.size() < 300 && readsAsALocalAddress(spelling)) {
					local.add(spelling);
				}
			}
		}
		assertThat(local).hasSizeGreaterThan(200);
		for (String host : local) {
			assertRefusedBeforeAnyTraffic(kind.gateway(), host);
		}
		assertThat(listener.newConnections()).as("connections to the listener").isZero();
	}

	static Stream<Long> seeds() {
		return java.util.Arrays.stream(SEEDS).boxed();
	}

	private static void assertRefusedBeforeAnyTraffic(HttpGateway gateway, String host) {
		String url = listener.url(host) + "x?token=secret";
		HttpOutcome outcome = gateway.send(new HttpRequest("p", "GET", url, List.of(), null));
		assertThat(outcome).as(host).isInstanceOfSatisfying(HttpOutcome.Failure.class,
				(failure) -> assertThat(failure.reason()).as(host).matches(REFUSED_BEFORE_TRAFFIC).doesNotContain("secret"));
	}

	/**
	 * Check one spelling: where the policy accepts the host, both connectors read it as the
	 * policy does; where it does not, the request is refused.
	 * @return what the policy made of it
	 */
	private static Verdict readAlike(String spelling) {
		URI uri;
		try {
			uri = new URI("http://" + spelling + ":8080/");
		}
		catch (URISyntaxException ex) {
			// neither gateway gets further than parsing the URL
			return Verdict.UNPARSABLE;
		}
		EgressPolicy.Decision decision = EgressPolicy.of(WILDCARD).check("p", uri);
		String host = uri.getHost();
		if (host == null) {
			assertThat(decision).as(spelling).isInstanceOf(EgressPolicy.Decision.Denied.class);
			return Verdict.NO_HOST;
		}
		InetAddress netty = netty(host);
		InetAddress jdk = jdk(host);
		EgressHost parsed;
		try {
			parsed = EgressHost.parse(host);
		}
		catch (IllegalArgumentException ex) {
			assertThat(decision).as(spelling).isInstanceOf(EgressPolicy.Decision.Denied.class);
			return (netty != null || jdk != null) ? Verdict.REFUSED_ADDRESS_TO_A_CONNECTOR : Verdict.REFUSED;
		}
		if (parsed instanceof EgressHost.Address address) {
			assertThat(netty).as("Reactor Netty's reading of %s", spelling).isEqualTo(address.address());
			assertThat(jdk).as("the JDK's reading of %s", spelling).isEqualTo(address.address());
			return Verdict.ADDRESS;
		}
		assertThat(netty).as("Reactor Netty's reading of %s", spelling).isNull();
		assertThat(jdk).as("the JDK's reading of %s", spelling).isNull();
		return Verdict.NAME;
	}

	private static boolean readsAsALocalAddress(String spelling) {
		try {
			String host = new URI("http://" + spelling + ":8080/").getHost();
			if (host == null) {
				return false;
			}
			for (InetAddress address : new InetAddress[] { netty(host), jdk(host) }) {
				if (address != null && (AddressCategory.of(address) == AddressCategory.LOOPBACK
						|| address.isAnyLocalAddress())) {
					return true;
				}
			}
			return false;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	/**
	 * The address Reactor Netty reads in a URL's host, as its HTTP client does before deciding
	 * whether to ask a resolver; {@code null} when it reads a name.
	 */
	private static @Nullable InetAddress netty(String host) {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		InetSocketAddress address = AddressUtils.createUnresolved(bare, 8080);
		return address.isUnresolved() ? null : normalised(address.getAddress());
	}

	/**
	 * The address the JDK reads in a URL's host, as JDK 17's HTTP client does when it connects;
	 * {@code null} when it looks a name up (or refuses the text).
	 */
	private static @Nullable InetAddress jdk(String host) {
		try {
			InetAddress address = InetAddress.getAllByName(host)[0];
			// a literal carries no host name; a looked-up name does
			return address.toString().startsWith("/") ? normalised(address) : null;
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/** An IPv4-mapped IPv6 address is the IPv4 address the socket connects to. */
	private static InetAddress normalised(InetAddress address) {
		try {
			return InetAddress.getByAddress(address.getAddress());
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	enum Verdict {

		UNPARSABLE, NO_HOST, REFUSED, REFUSED_ADDRESS_TO_A_CONNECTOR, ADDRESS, NAME

	}

	static final class Tally {

		int addresses;

		int names;

		int refusedThatAConnectorReadsAsAnAddress;

		void add(Verdict verdict) {
			switch (verdict) {
				case ADDRESS -> this.addresses++;
				case NAME -> this.names++;
				case REFUSED_ADDRESS_TO_A_CONNECTOR -> this.refusedThatAConnectorReadsAsAnAddress++;
				default -> {
				}
			}
		}

	}

	enum Kind {

		JDK, WEB_CLIENT;

		HttpGateway gateway() {
			return (this == JDK) ? jdk : webClient;
		}

	}

}
