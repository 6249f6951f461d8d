package io.github.grain.plugin.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The one host parser, spelling by spelling: what it accepts and how it reads it, and what
 * it refuses with which reason. (That both HTTP connectors read every accepted spelling the
 * same way is shown by the parity tests next to the connectors.)
 */
class EgressHostTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "127.0.0.1 | 127.0.0.1", "0.0.0.0 | 0.0.0.0", "10.20.30.40 | 10.20.30.40",
			"255.255.255.255 | 255.255.255.255", "[::ffff:127.0.0.1] | 127.0.0.1", "[::FFFF:7F00:1] | 127.0.0.1",
			"[0:0:0:0:0:ffff:10.0.0.1] | 10.0.0.1", "[0000:0000:0000:0000:0000:ffff:0a00:0001] | 10.0.0.1" })
	void ipv4LiteralsAndTheirMappedFormsAreIpv4Addresses(String host, String address) {
		assertThat(EgressHost.parse(host)).isInstanceOfSatisfying(EgressHost.Address.class, (parsed) -> {
			assertThat(parsed.address()).isInstanceOf(Inet4Address.class);
			assertThat(parsed.address().getHostAddress()).isEqualTo(address);
			assertThat(parsed.text()).isEqualTo(address);
		});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "[::1] | [0:0:0:0:0:0:0:1]", "[::] | [0:0:0:0:0:0:0:0]",
			"[0:0:0:0:0:0:0:1] | [0:0:0:0:0:0:0:1]", "[FD00:EC2::254] | [fd00:ec2:0:0:0:0:0:254]",
			"[64:ff9b::7f00:1] | [64:ff9b:0:0:0:0:7f00:1]", "[1:2:3:4:5:6:7::] | [1:2:3:4:5:6:7:0]",
			"[::2:3:4:5:6:7:8] | [0:2:3:4:5:6:7:8]", "[2001:db8::ffff:0:1] | [2001:db8:0:0:0:ffff:0:1]" })
	void ipv6LiteralsInBracketsAreIpv6Addresses(String host, String text) {
		assertThat(EgressHost.parse(host)).isInstanceOfSatisfying(EgressHost.Address.class, (parsed) -> {
			assertThat(parsed.address()).isInstanceOf(Inet6Address.class);
			assertThat(parsed.text()).isEqualTo(text);
		});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "api.example.com | api.example.com", "API.Example.COM. | api.example.com",
			"localhost | localhost", "LOCALHOST. | localhost", "xn--bcher-kva.example | xn--bcher-kva.example",
			"127.0.0.1.nip.io | 127.0.0.1.nip.io", "0x7f.example | 0x7f.example", "1.2.3.4a | 1.2.3.4a",
			"a-b.c | a-b.c", "1e2 | 1e2" })
	void namesAreLowerCaseWithoutTheTrailingDot(String host, String name) {
		assertThat(EgressHost.parse(host)).isEqualTo(new EgressHost.Name(name));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			// IPv4 spellings that Reactor Netty, the JDK or a C library read as an address
			"127.000.000.001 | an IPv4 address must be four decimal numbers from 0 to 255 without leading zeros",
			"127.0.0.01 | an IPv4 address must be four decimal numbers",
			"0177.0.0.1 | an IPv4 address must be four decimal numbers",
			"0x7f.0.0.1 | an IPv4 address must be four decimal numbers",
			"127.0.0.0x1 | an IPv4 address must be four decimal numbers",
			"127.1 | an IPv4 address must be four decimal numbers",
			"127.0.1 | an IPv4 address must be four decimal numbers",
			"2130706433 | an IPv4 address must be four decimal numbers",
			"0x7f000001 | an IPv4 address must be four decimal numbers",
			"0 | an IPv4 address must be four decimal numbers",
			"256.0.0.1 | an IPv4 address must be four decimal numbers",
			"1.2.3.4.5 | an IPv4 address must be four decimal numbers",
			"example.123 | an IPv4 address must be four decimal numbers",
			"example.0x1f | an IPv4 address must be four decimal numbers",
			"127.0.0.1. | an IPv4 address must not end with a dot",
			// IPv6 spellings the connectors read differently, or that name no single address
			"[::127.0.0.1] | an IPv4 address inside an IPv6 address is allowed only in the mapped form ::ffff:a.b.c.d",
			"[64:ff9b::127.0.0.1] | an IPv4 address inside an IPv6 address is allowed only in the mapped form",
			"[::ffff:127.000.000.001] | an IPv4 address must be four decimal numbers",
			"[::7f00:1] | IPv4-compatible IPv6 addresses (::/96) are deprecated",
			"[::1%25lo] | zone ids are not allowed in an IPv6 address",
			"[fe80::1%eth0] | zone ids are not allowed in an IPv6 address",
			"[1::2::3] | an IPv6 address has at most one '::'",
			"[1:2:3:4:5:6:7:8:9] | an IPv6 address has eight groups",
			"[1:2:3:4:5:6:7::8] | an IPv6 address has eight groups",
			"[1:2:3:4:5:6:7] | an IPv6 address has eight groups",
			"[00000::1] | an IPv6 group is one to four hexadecimal digits",
			"[:1::] | an IPv6 group is one to four hexadecimal digits",
			"[g::1] | an IPv6 group is one to four hexadecimal digits",
			"[] | an IPv6 address must be enclosed in brackets",
			"::1 | an IPv6 address must be enclosed in brackets",
			// names that are not LDH names
			"%31%32%37.0.0.1 | percent-encoding is not allowed in a host",
			"exa%6dple.com | percent-encoding is not allowed in a host",
			"a_b.example | not a DNS name", "-a.example | not a DNS name", "a..b | not a DNS name",
			"bücher.example | not a DNS name", "１２７.0.0.1 | an IPv4 address must be four decimal numbers",
			"127。0。0。1 | not a DNS name",
			". | the host is empty" })
	void ambiguousOrInvalidSpellingsAreRefusedSayingWhy(String host, String problem) {
		assertThatIllegalArgumentException().isThrownBy(() -> EgressHost.parse(host))
			.withMessageStartingWith("host '")
			.withMessageContaining("' is refused: " + problem);
	}

	// ---- edges -----------------------------------------------------------------------

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "AZaz09-x.example | azaz09-x.example", "example.0y1 | example.0y1",
			"example.1x1f | example.1x1f", "example.0xg | example.0xg", "example.0xG | example.0xg",
			"x0.example | x0.example" })
	void namesAtTheEdgesOfEachCharacterClass(String host, String name) {
		assertThat(EgressHost.parse(host)).isEqualTo(new EgressHost.Name(name));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "9.9.9.9 | 9.9.9.9", "[1:2:3:4:5:6:7:8] | [1:2:3:4:5:6:7:8]",
			"[a:b:c:d:e:f:A:F] | [a:b:c:d:e:f:a:f]", "[9::] | [9:0:0:0:0:0:0:0]", "[::0:1] | [0:0:0:0:0:0:0:1]",
			"[ffff:0:0:0:0:0:0:1] | [ffff:0:0:0:0:0:0:1]" })
	void addressesAtTheEdgesOfTheGrammar(String host, String text) {
		assertThat(EgressHost.parse(host)).isInstanceOfSatisfying(EgressHost.Address.class,
				(parsed) -> assertThat(parsed.text()).isEqualTo(text));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "[::ffff:1.2.3.4] | 1.2.3.4", "[::ffff:102:304] | 1.2.3.4",
			"[::ffff:255.254.253.252] | 255.254.253.252" })
	void mappedAddressesKeepEveryOctetInPlace(String host, String address) {
		assertThat(EgressHost.parse(host)).isInstanceOfSatisfying(EgressHost.Address.class,
				(parsed) -> assertThat(parsed.text()).isEqualTo(address));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "[1] | an IPv6 address has eight groups",
			"[::2] | IPv4-compatible IPv6 addresses", "[::100] | IPv4-compatible IPv6 addresses",
			"[::101] | IPv4-compatible IPv6 addresses", "[::1:0] | IPv4-compatible IPv6 addresses",
			"[::1:1] | IPv4-compatible IPv6 addresses",
			"[::ffff:.1.2.3] | an IPv4 address must be four decimal numbers",
			"[::1::2] | an IPv6 address has at most one '::'", "[:::1] | an IPv6 address has at most one '::'",
			"[%25::1] | zone ids are not allowed in an IPv6 address",
			"[1:2:3:4:5:6:7:g] | an IPv6 group is one to four hexadecimal digits",
			"[G::1] | an IPv6 group is one to four hexadecimal digits",
			"[@::1] | an IPv6 group is one to four hexadecimal digits",
			"[`::1] | an IPv6 group is one to four hexadecimal digits",
			"[/::1] | an IPv6 group is one to four hexadecimal digits",
			"[１::1] | an IPv6 group is one to four hexadecimal digits",
			"example.0x | an IPv4 address must be four decimal numbers",
			"example.0X1F | an IPv4 address must be four decimal numbers",
			"example.0x0 | an IPv4 address must be four decimal numbers",
			"example.0x１ | not a DNS name", "a-.example | not a DNS name", "a.-b | not a DNS name",
			"a@b.example | not a DNS name", "a[b.example | not a DNS name", "a`b.example | not a DNS name",
			"a{b.example | not a DNS name", "a/b.example | not a DNS name" })
	void spellingsJustOutsideTheGrammarAreRefused(String host, String problem) {
		assertThatIllegalArgumentException().isThrownBy(() -> EgressHost.parse(host))
			.withMessageContaining("' is refused: " + problem);
	}

	@ParameterizedTest
	@CsvSource({ "253, true", "254, false" })
	void namesHaveAtMostTwoHundredFiftyThreeCharacters(int length, boolean accepted) {
		String name = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(length - 192);
		assertThat(name).hasSize(length);
		if (accepted) {
			assertThat(EgressHost.parse(name)).isEqualTo(new EgressHost.Name(name));
			assertThat(EgressHost.parse(name + ".")).isEqualTo(new EgressHost.Name(name));
		}
		else {
			assertThatIllegalArgumentException().isThrownBy(() -> EgressHost.parse(name))
				.withMessageContaining("a DNS name has at most 253 characters");
		}
	}

	@Test
	void logTextKeepsPrintableAsciiAndEscapesEverythingElse() {
		assertThat(EgressLog.escape("plain ~text")).isEqualTo("plain ~text");
		assertThat(EgressLog.escape("back\\slash")).isEqualTo("back\\u005cslash");
		assertThat(EgressLog.escape("a\u007fb\u001fc d")).isEqualTo("a\\u007fb\\u001fc d");
		assertThat(EgressLog.escape("\u0000\u00e9")).isEqualTo("\\u0000\\u00e9");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a\nforged log line", "tab\there", "bell\u0007" })
	void controlCharactersAreEscapedInTheReason(String host) {
		assertThatIllegalArgumentException().isThrownBy(() -> EgressHost.parse(host))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\n").doesNotContain("\t").contains("\\u00"));
	}

	@ParameterizedTest
	@CsvSource({ "63, true", "64, false" })
	void labelsHaveAtMostSixtyThreeCharacters(int length, boolean accepted) {
		String host = "a".repeat(length) + ".example";
		if (accepted) {
			assertThat(EgressHost.parse(host)).isInstanceOf(EgressHost.Name.class);
		}
		else {
			assertThatIllegalArgumentException().isThrownBy(() -> EgressHost.parse(host));
		}
	}

}
