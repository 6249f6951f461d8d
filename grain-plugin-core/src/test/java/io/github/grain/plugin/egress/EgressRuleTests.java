package io.github.grain.plugin.egress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Allow-list patterns at the edges of their grammar: what each reads as
 * ({@code scheme://host:port}, port {@code *} for any) and the reason each refusal gives.
 */
class EgressRuleTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "http://a.example/ | http://a.example:80",
			"HTTPS://A.Example | https://a.example:443", "http://a.example:1 | http://a.example:1",
			"http://a.example:65535 | http://a.example:65535", "http://[::1]:8080 | http://[0:0:0:0:0:0:0:1]:8080",
			"http://[::1] | http://[0:0:0:0:0:0:0:1]:80", "http://10.0.0.1:* | http://10.0.0.1:*",
			"https://bücher.example | https://xn--bcher-kva.example:443",
			"https://*.bücher.example | https://*.xn--bcher-kva.example:443", "http://* | http://*:80",
			"http://localhost:8080 | http://localhost:8080" })
	void patternsReadAsSchemeHostAndPort(String pattern, String rule) {
		assertThat(EgressRule.parse(pattern, "x")).hasToString(rule);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "://a.example | expected scheme://host[:port]",
			"a.example | expected scheme://host[:port]", "ftp://a.example | the scheme must be http or https",
			"http:// | only scheme://host[:port] is allowed, without user, path or query",
			"http://user@a.example | only scheme://host[:port] is allowed",
			"http://a.example#x | only scheme://host[:port] is allowed", "http://[::1 | unclosed IPv6 literal",
			"http://[::1]x | unexpected text after the IPv6 literal", "http://[::1]80 | unexpected text after",
			"http://a.example:0 | the port must be between 1 and 65535",
			"http://a.example:65536 | the port must be between 1 and 65535",
			"http://a.example: | the port must be a number or *", "http://:80 | the host is empty",
			"http://*.127.0.0.1 | *. must be followed by a DNS name", "http://*.localhost | *.localhost is not supported",
			"http://a..example | not a DNS name" })
	void malformedPatternsSayWhatIsWrong(String pattern, String problem) {
		assertThatIllegalArgumentException().isThrownBy(() -> EgressRule.parse(pattern, "grain.x"))
			.withMessageStartingWith("grain.x: invalid HTTP allow-list pattern")
			.withMessageContaining(problem);
	}

	@ParameterizedTest
	@CsvSource({ "63, true", "64, false" })
	void aConfiguredNameWithALabelTooLongForIdnIsRefusedByTheHostParser(int length, boolean accepted) {
		String pattern = "https://" + "a".repeat(length) + ".example";
		if (accepted) {
			assertThat(EgressRule.parse(pattern, "x")).hasToString(pattern + ":443");
		}
		else {
			assertThatIllegalArgumentException().isThrownBy(() -> EgressRule.parse(pattern, "x"))
				.withMessageContaining("not a DNS name");
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "http://*.example.com | http | 80 | a.example.com | true",
			"http://*.example.com | http | 80 | example.com | false",
			"http://*.example.com | http | 80 | aexample.com | false",
			"http://*.example.com | https | 80 | a.example.com | false",
			"http://*.example.com | http | 81 | a.example.com | false",
			"http://a.example:* | http | 1234 | a.example | true", "http://localhost | http | 80 | localhost | true",
			"http://localhost | http | 80 | a.example | false", "http://* | http | 80 | localhost | false",
			"http://* | http | 80 | a.example | true", "http://10.0.0.1 | http | 80 | 10.0.0.1 | true",
			"http://10.0.0.1 | http | 80 | 10.0.0.2 | false", "http://10.0.0.1 | http | 80 | a.example | false",
			"http://a.example | http | 80 | 10.0.0.1 | false" })
	void rulesMatchSchemePortAndHost(String pattern, String scheme, int port, String host, boolean matches) {
		assertThat(EgressRule.parse(pattern, "x").matches(scheme, port, EgressHost.parse(host))).isEqualTo(matches);
	}

	@ParameterizedTest
	@CsvSource({ "http, 80", "https, 443" })
	void defaultPorts(String scheme, int port) {
		assertThat(EgressRule.defaultPort(scheme)).isEqualTo(port);
		assertThat(EgressRule.parse(scheme + "://a.example", "x")).hasToString(scheme + "://a.example:" + port);
	}

}
