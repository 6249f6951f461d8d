package io.github.grain.plugin.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What kind of network an address belongs to, for egress decisions. Everything that is
 * not {@link #PUBLIC} is refused unless a pattern names the address literally (or
 * {@code localhost} for loopback). IPv4 addresses embedded in IPv6 (mapped
 * {@code ::ffff:0:0/96}, translated {@code ::ffff:0:0:0/96}, compatible {@code ::/96},
 * NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by the embedded address.
 */
public enum AddressCategory {

	/** A globally routable address. */
	PUBLIC,

	/** {@code 127.0.0.0/8}, {@code ::1}. */
	LOOPBACK,

	/**
	 * {@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, shared {@code 100.64/10},
	 * benchmarking {@code 198.18/15}, IETF {@code 192.0.0/24}, unique-local {@code fc00::/7},
	 * site-local {@code fec0::/10}, local-use NAT64 {@code 64:ff9b:1::/48}.
	 */
	PRIVATE,

	/** {@code 169.254/16}, {@code fe80::/10}. */
	LINK_LOCAL,

	/**
	 * Cloud instance-metadata endpoints: {@code 169.254.169.254} (AWS, GCP, Azure, OCI …),
	 * {@code 169.254.170.2} (ECS task metadata), {@code 100.100.100.200} (Alibaba),
	 * {@code 168.63.129.16} (Azure wire server), {@code fd00:ec2::254} (AWS IPv6).
	 */
	METADATA,

	/**
	 * Addresses that are never a sensible destination: unspecified ({@code 0.0.0.0/8},
	 * {@code ::}), multicast, broadcast, reserved ({@code 240/4}), documentation ranges,
	 * and discard-only {@code 100::/64}.
	 */
	RESERVED;

	private static final Set<String> METADATA_V4 = Set.of("169.254.169.254", "169.254.170.2", "100.100.100.200",
			"168.63.129.16");

	private static final byte[] METADATA_V6 = { (byte) 0xfd, 0x00, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
			0x54 };

	/**
	 * Classify an address.
	 * @param address the address
	 * @return its category
	 */
	public static AddressCategory of(InetAddress address) {
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			return ofIpv4(bytes);
		}
		if (address instanceof Inet6Address) {
			return ofIpv6(bytes);
		}
		return RESERVED;
	}

	/** Whether the category is anything but {@link #PUBLIC}. */
	public boolean isSpecial() {
		return this != PUBLIC;
	}

	/** The category as messages and logs write it: {@code loopback}, {@code link-local}. */
	public String label() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private static AddressCategory ofIpv4(byte[] b) {
		int a0 = b[0] & 0xff;
		int a1 = b[1] & 0xff;
		int a2 = b[2] & 0xff;
		String dotted = a0 + "." + a1 + "." + a2 + "." + (b[3] & 0xff);
		if (METADATA_V4.contains(dotted)) {
			return METADATA;
		}
		if (a0 == 127) {
			return LOOPBACK;
		}
		if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)
				|| (a0 == 100 && a1 >= 64 && a1 <= 127) || (a0 == 198 && (a1 == 18 || a1 == 19))
				|| (a0 == 192 && a1 == 0 && a2 == 0)) {
			return PRIVATE;
		}
		if (a0 == 169 && a1 == 254) {
			return LINK_LOCAL;
		}
		if (a0 == 0 || a0 >= 224 || (a0 == 192 && a1 == 0 && a2 == 2) || (a0 == 198 && a1 == 51 && a2 == 100)
				|| (a0 == 203 && a1 == 0 && a2 == 113)) {
			return RESERVED;
		}
		return PUBLIC;
	}

	private static AddressCategory ofIpv6(byte[] b) {
		if (Arrays.equals(b, METADATA_V6)) {
			return METADATA;
		}
		byte[] embedded = embeddedIpv4(b);
		if (embedded != null) {
			return ofIpv4(embedded);
		}
		boolean allZeroButLast = true;
		for (int i = 0; i < 15; i++) {
			allZeroButLast &= (b[i] == 0);
		}
		if (allZeroButLast && b[15] == 1) {
			return LOOPBACK;
		}
		if (allZeroButLast && b[15] == 0) {
			return RESERVED;
		}
		int first = b[0] & 0xff;
		int second = b[1] & 0xff;
		if ((first & 0xfe) == 0xfc) {
			return PRIVATE;
		}
		if (first == 0xfe && (second & 0xc0) == 0x80) {
			return LINK_LOCAL;
		}
		if (first == 0xfe && (second & 0xc0) == 0xc0) {
			return PRIVATE;
		}
		if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && b[4] == 0
				&& b[5] == 1) {
			return PRIVATE;
		}
		if (first == 0xff) {
			return RESERVED;
		}
		// 100::/64 discard-only, 2001:db8::/32 documentation
		if (first == 0x01 && second == 0x00 && isZero(b, 2, 8)) {
			return RESERVED;
		}
		if (first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
			return RESERVED;
		}
		return PUBLIC;
	}

	/** The IPv4 address inside mapped, translated, compatible, NAT64 and 6to4 forms; {@code null} otherwise. */
	private static byte @Nullable [] embeddedIpv4(byte[] b) {
		boolean firstTenZero = isZero(b, 0, 10);
		if (firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
			return Arrays.copyOfRange(b, 12, 16);
		}
		if (isZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0) {
			return Arrays.copyOfRange(b, 12, 16);
		}
		if (firstTenZero && b[10] == 0 && b[11] == 0 && !(isZero(b, 12, 15) && (b[15] == 0 || b[15] == 1))) {
			return Arrays.copyOfRange(b, 12, 16);
		}
		if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
				&& isZero(b, 4, 12)) {
			return Arrays.copyOfRange(b, 12, 16);
		}
		if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
			return Arrays.copyOfRange(b, 2, 6);
		}
		return null;
	}

	private static boolean isZero(byte[] b, int from, int to) {
		for (int i = from; i < to; i++) {
			if (b[i] != 0) {
				return false;
			}
		}
		return true;
	}

}
