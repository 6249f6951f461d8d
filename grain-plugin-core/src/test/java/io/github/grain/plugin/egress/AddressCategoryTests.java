package io.github.grain.plugin.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AddressCategoryTests {

	@ParameterizedTest
	@CsvSource({ "93.184.215.14, PUBLIC", "8.8.8.8, PUBLIC", "2606:4700::1111, PUBLIC", "127.0.0.1, LOOPBACK",
			"127.255.0.9, LOOPBACK", "::1, LOOPBACK", "10.0.0.1, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE",
			"172.32.0.1, PUBLIC", "192.168.1.1, PRIVATE", "100.64.0.1, PRIVATE", "198.18.0.1, PRIVATE",
			"fd12:3456::1, PRIVATE", "fc00::1, PRIVATE", "169.254.1.1, LINK_LOCAL", "fe80::1, LINK_LOCAL",
			"169.254.169.254, METADATA", "169.254.170.2, METADATA", "100.100.100.200, METADATA", "168.63.129.16, METADATA",
			"fd00:ec2::254, METADATA", "0.0.0.0, RESERVED", "::, RESERVED", "224.0.0.1, RESERVED",
			"255.255.255.255, RESERVED", "240.0.0.1, RESERVED", "192.0.2.1, RESERVED", "ff02::1, RESERVED",
			"2001:db8::1, RESERVED", "::ffff:127.0.0.1, LOOPBACK", "::ffff:10.1.2.3, PRIVATE",
			"64:ff9b::a9fe:a9fe, METADATA", "64:ff9b::808:808, PUBLIC", "2002:0a00:0001::1, PRIVATE",
			"::10.0.0.1, PRIVATE", "::ffff:0:7f00:1, LOOPBACK", "::ffff:0:a9fe:a9fe, METADATA",
			"64:ff9b:1::a00:1, PRIVATE", "64:ff9b:1:ffff::1, PRIVATE" })
	void classifies(String address, AddressCategory expected) throws Exception {
		assertThat(AddressCategory.of(InetAddress.getByName(address))).isEqualTo(expected);
	}

	/** The first and last address of every special range, and the addresses just outside it. */
	@ParameterizedTest
	@CsvSource({ "9.255.255.255, PUBLIC", "10.0.0.0, PRIVATE", "10.255.255.255, PRIVATE", "11.0.0.0, PUBLIC",
			"172.15.255.255, PUBLIC", "172.16.0.0, PRIVATE", "172.31.255.255, PRIVATE", "172.32.0.0, PUBLIC",
			"173.16.0.1, PUBLIC", "192.167.255.255, PUBLIC", "192.168.0.0, PRIVATE", "192.168.255.255, PRIVATE",
			"192.169.0.0, PUBLIC", "193.168.0.1, PUBLIC", "100.63.255.255, PUBLIC", "100.64.0.0, PRIVATE",
			"100.127.255.255, PRIVATE", "100.128.0.0, PUBLIC", "101.64.0.1, PUBLIC", "198.17.255.255, PUBLIC",
			"198.18.0.0, PRIVATE", "198.19.255.255, PRIVATE", "198.20.0.0, PUBLIC", "199.18.0.1, PUBLIC",
			"192.0.0.0, PRIVATE", "192.0.0.255, PRIVATE", "192.0.1.0, PUBLIC", "192.1.0.0, PUBLIC",
			"126.255.255.255, PUBLIC", "127.0.0.0, LOOPBACK", "127.255.255.255, LOOPBACK", "128.0.0.0, PUBLIC",
			"169.253.255.255, PUBLIC", "169.254.0.0, LINK_LOCAL", "169.254.255.255, LINK_LOCAL", "169.255.0.0, PUBLIC",
			"170.254.0.1, PUBLIC", "0.255.255.255, RESERVED", "1.0.0.0, PUBLIC", "223.255.255.255, PUBLIC",
			"224.0.0.0, RESERVED", "192.0.1.255, PUBLIC", "192.0.2.0, RESERVED", "192.0.2.255, RESERVED",
			"192.0.3.0, PUBLIC", "193.0.2.1, PUBLIC", "192.1.2.1, PUBLIC", "198.51.99.255, PUBLIC",
			"198.51.100.0, RESERVED", "198.51.100.255, RESERVED", "198.51.101.0, PUBLIC", "198.50.100.1, PUBLIC",
			"199.51.100.1, PUBLIC", "203.0.112.255, PUBLIC", "203.0.113.0, RESERVED", "203.0.113.255, RESERVED",
			"203.0.114.0, PUBLIC", "203.1.113.1, PUBLIC", "204.0.113.1, PUBLIC", "169.254.169.253, LINK_LOCAL",
			"169.254.170.3, LINK_LOCAL", "100.100.100.201, PRIVATE", "168.63.129.15, PUBLIC", "168.63.129.17, PUBLIC",
			"fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, PUBLIC", "fc00::, PRIVATE",
			"fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, PRIVATE", "fe00::, PUBLIC",
			"fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff, PUBLIC", "fe80::, LINK_LOCAL",
			"febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff, LINK_LOCAL", "fec0::, PRIVATE",
			"feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, PRIVATE", "ff00::, RESERVED", "fd00:ec2::253, PRIVATE",
			"64:ff9b:1::, PRIVATE", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff, PRIVATE", "64:ff9b:2::, PUBLIC",
			"64:ff9b:0:1::, PUBLIC", "64:ff9a:1::, PUBLIC", "64:fe9b:1::, PUBLIC", "65:ff9b:1::, PUBLIC",
			"1064:ff9b:1::, PUBLIC", "64:ff9b:101::, PUBLIC", "100::, RESERVED", "100::ffff:ffff:ffff:ffff, RESERVED",
			"100:0:0:1::, PUBLIC", "100:1::, PUBLIC", "101::, PUBLIC", "0:100::, PUBLIC", "2001:db8::, RESERVED",
			"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, RESERVED", "2001:db7:ffff::, PUBLIC", "2001:db9::, PUBLIC",
			"2001:cb8::, PUBLIC", "2001:d88::, PUBLIC", "2000:db8::, PUBLIC", "2101:db8::, PUBLIC",
			"::2, RESERVED", "::0.1.0.0, RESERVED", "::1:0:0:1, PUBLIC", "::1:0:0, PUBLIC",
			"2002:0808:0808::, PUBLIC", "2002:7f00:0001::, LOOPBACK", "2003:7f00:0001::, PUBLIC",
			"2102:7f00:0001::, PUBLIC", "64:ff9b::7f00:1, LOOPBACK", "64:ff9b:0:0:0:1:7f00:1, PUBLIC",
			"64:ff9b:0:0:1::7f00:1, PUBLIC", "0:0:0:0:1:ffff:7f00:1, PUBLIC", "::fffe:7f00:1, PUBLIC",
			"::1:ffff:0:7f00:1, PUBLIC", "::fffe:0:7f00:1, PUBLIC", "::ffff:1:7f00:1, PUBLIC" })
	void classifiesEveryRangeAtItsEdges(String address, AddressCategory expected) throws Exception {
		assertThat(AddressCategory.of(InetAddress.getByName(address))).isEqualTo(expected);
	}

	/**
	 * The JDK turns {@code ::ffff:a.b.c.d} text into an {@link Inet4Address}, but an
	 * {@link Inet6Address} holding those bytes (what a resolver may hand back) must be judged
	 * by its embedded IPv4 address too.
	 */
	@ParameterizedTest
	@CsvSource({ "127.0.0.1, LOOPBACK", "10.1.2.3, PRIVATE", "169.254.169.254, METADATA", "169.254.0.1, LINK_LOCAL",
			"0.0.0.0, RESERVED", "8.8.8.8, PUBLIC" })
	void ipv4MappedIpv6AddressObjectIsJudgedByItsIpv4Address(String ipv4, AddressCategory expected)
			throws Exception {
		byte[] mapped = new byte[16];
		mapped[10] = (byte) 0xff;
		mapped[11] = (byte) 0xff;
		System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, mapped, 12, 4);
		Inet6Address address = Inet6Address.getByAddress(null, mapped, -1);
		assertThat(address).isInstanceOf(Inet6Address.class);
		assertThat(AddressCategory.of(address)).isEqualTo(expected);
	}

	@Test
	void onlyPublicIsNotSpecial() {
		assertThat(AddressCategory.PUBLIC.isSpecial()).isFalse();
		assertThat(java.util.EnumSet.complementOf(java.util.EnumSet.of(AddressCategory.PUBLIC)))
			.hasSize(5)
			.allSatisfy((category) -> assertThat(category.isSpecial()).isTrue());
	}

	@Test
	void theSystemResolverAsksTheJvm() throws Exception {
		// the test JVM resolves from src/test/resources/egress-test-hosts
		assertThat(HostResolver.system().resolve("private.test")).containsExactly(InetAddress.getByName("10.0.0.1"));
	}

	@ParameterizedTest
	@CsvSource({ "LINK_LOCAL, link-local", "PUBLIC, public", "METADATA, metadata" })
	void labelIsLowerCaseWithHyphens(AddressCategory category, String label) {
		assertThat(category.label()).isEqualTo(label);
	}

}
