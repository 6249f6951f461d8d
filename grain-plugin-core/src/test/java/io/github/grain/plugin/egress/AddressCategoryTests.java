package io.github.grain.plugin.egress;

import java.net.InetAddress;

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

	@ParameterizedTest
	@CsvSource({ "LINK_LOCAL, link-local", "PUBLIC, public", "METADATA, metadata" })
	void labelIsLowerCaseWithHyphens(AddressCategory category, String label) {
		assertThat(category.label()).isEqualTo(label);
	}

}
