package io.github.grain.plugin.egress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * A URL's host as the egress policy reads it, and as both HTTP connectors will read it.
 * <p>
 * One strict parser decides what a host is; every spelling it does not know is refused,
 * never guessed at. The connectors disagree about the lenient spellings: Reactor Netty
 * reads {@code 127.000.000.001} as the address {@code 127.0.0.1} (and then never asks a
 * resolver), the JDK reads {@code 0177.0.0.1} as {@code 177.0.0.1} where a C library reads
 * {@code 127.0.0.1}, the JDK reads {@code 2130706433} and {@code 0} as addresses, Netty
 * turns {@code ::127.0.0.1} into {@code ::ffff:127.0.0.1} and drops zone ids. A host is
 * therefore exactly one of:
 * <ul>
 * <li>an {@link Address}: a canonical dotted quad ({@code 10.1.2.3}: four decimal numbers
 * 0–255 without leading zeros), or an IPv6 literal in brackets (hexadecimal groups of one
 * to four digits, at most one {@code ::}, no zone id; a dotted-quad tail only in the mapped
 * form {@code ::ffff:a.b.c.d}; the deprecated IPv4-compatible range {@code ::/96} refused).
 * An IPv4-mapped address is the IPv4 address, as the socket will connect to it;</li>
 * <li>a {@link Name}: letters, digits and hyphens (IDN in its {@code xn--} form), labels of 1
 * to 63 characters that neither start nor end with a hyphen, at most 253 characters, one
 * trailing dot ignored, case ignored, and a last label that is not a number (decimal or
 * {@code 0x} hexadecimal: a name ending in a number is an IPv4 spelling to some parser).</li>
 * </ul>
 * Percent-encoding, zone ids, non-ASCII characters, trailing dots on addresses, short and
 * integer IPv4 forms are all refused.
 */
public sealed interface EgressHost {

	/**
	 * The host as rules compare it and messages show it: {@code 10.1.2.3}, {@code [fd00::1]},
	 * {@code api.example.com}.
	 */
	String text();

	/**
	 * Parse a host as {@link java.net.URI#getHost()} returns it (IPv6 in brackets).
	 * @param host the host text
	 * @return the address or name
	 * @throws IllegalArgumentException naming the host and what is wrong with it
	 */
	static EgressHost parse(String host) {
		if (host.startsWith("[")) {
			if (!host.endsWith("]") || host.length() < 3) {
				throw refused(host, "an IPv6 address must be enclosed in brackets");
			}
			return new Address(ipv6(host, host.substring(1, host.length() - 1)));
		}
		if (host.indexOf(':') >= 0) {
			throw refused(host, "an IPv6 address must be enclosed in brackets");
		}
		if (host.indexOf('%') >= 0) {
			throw refused(host, "percent-encoding is not allowed in a host");
		}
		String text = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
		if (text.isEmpty()) {
			throw refused(host, "the host is empty");
		}
		String[] labels = text.split("\\.", -1);
		if (isNumber(labels[labels.length - 1])) {
			if (text.length() != host.length()) {
				throw refused(host, "an IPv4 address must not end with a dot");
			}
			return new Address(dottedQuad(host, labels));
		}
		if (text.length() > 253) {
			throw refused(host, "a DNS name has at most 253 characters");
		}
		for (String label : labels) {
			if (!isLdhLabel(label)) {
				throw refused(host, "not a DNS name (letters, digits and '-' in labels of 1 to 63 characters, "
						+ "IDN in its xn-- form)");
			}
		}
		return new Name(text.toLowerCase(Locale.ROOT));
	}

	private static InetAddress dottedQuad(String host, String[] labels) {
		if (labels.length != 4) {
			throw refused(host, notCanonicalIpv4());
		}
		byte[] bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			String label = labels[i];
			boolean decimal = !label.isEmpty() && label.length() <= 3 && label.chars().allMatch(EgressHost::isDigit);
			if (!decimal || (label.length() > 1 && label.charAt(0) == '0') || Integer.parseInt(label) > 255) {
				throw refused(host, notCanonicalIpv4());
			}
			bytes[i] = (byte) Integer.parseInt(label);
		}
		return address(bytes);
	}

	private static String notCanonicalIpv4() {
		return "an IPv4 address must be four decimal numbers from 0 to 255 without leading zeros "
				+ "(HTTP clients read other spellings differently)";
	}

	/** Whether a label reads as a number to an IPv4 parser: decimal digits, or {@code 0x} and hex digits. */
	private static boolean isNumber(String label) {
		if (!label.isEmpty() && label.chars().allMatch(EgressHost::isDigit)) {
			return true;
		}
		return label.length() >= 2 && label.charAt(0) == '0' && (label.charAt(1) == 'x' || label.charAt(1) == 'X')
				&& label.substring(2).chars().allMatch(EgressHost::isHexDigit);
	}

	private static boolean isLdhLabel(String label) {
		if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
			return false;
		}
		for (int i = 0; i < label.length(); i++) {
			char c = label.charAt(i);
			if (!(isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) {
				return false;
			}
		}
		return true;
	}

	private static boolean isDigit(int c) {
		return c >= '0' && c <= '9';
	}

	/** ASCII only: {@link Character#digit} would also take full-width and other scripts' digits. */
	private static boolean isHexDigit(int c) {
		return "0123456789abcdefABCDEF".indexOf(c) >= 0;
	}

	private static IllegalArgumentException refused(String host, String problem) {
		return new IllegalArgumentException("host '" + EgressLog.escape(host) + "' is refused: " + problem);
	}

	/**
	 * An IP literal: the connection goes to exactly this address.
	 * @param address the address ({@link Inet4Address} for an IPv4-mapped literal)
	 */
	record Address(InetAddress address) implements EgressHost {

		@Override
		public String text() {
			return (this.address instanceof Inet4Address) ? this.address.getHostAddress()
					: "[" + this.address.getHostAddress() + "]";
		}

	}

	/**
	 * A DNS name, resolved by the connector's resolver and checked address by address.
	 * @param name lower case, without a trailing dot
	 */
	record Name(String name) implements EgressHost {

		@Override
		public String text() {
			return this.name;
		}

		/** Whether this is {@code localhost}, which may reach loopback addresses only. */
		public boolean isLocalhost() {
			return this.name.equals("localhost");
		}

	}

	/** The bracketed IPv6 grammar of RFC 4291 §2.2, without zone ids. */
	private static InetAddress ipv6(String host, String text) {
		if (text.indexOf('%') >= 0) {
			throw refused(host, "zone ids are not allowed in an IPv6 address");
		}
		int compressed = text.indexOf("::");
		boolean gap = compressed >= 0;
		if (gap && text.lastIndexOf("::") != compressed) {
			throw refused(host, "an IPv6 address has at most one '::'");
		}
		String head = gap ? text.substring(0, compressed) : text;
		String tail = gap ? text.substring(compressed + 2) : "";
		int[] headGroups = ipv6Groups(host, head, !gap);
		int[] tailGroups = ipv6Groups(host, tail, true);
		boolean dotted = text.contains(".");
		int count = headGroups.length + tailGroups.length;
		if (gap ? count > 7 : count != 8) {
			throw refused(host, "an IPv6 address has eight groups of hexadecimal digits");
		}
		byte[] bytes = new byte[16];
		for (int i = 0; i < headGroups.length; i++) {
			bytes[2 * i] = (byte) (headGroups[i] >> 8);
			bytes[2 * i + 1] = (byte) headGroups[i];
		}
		int offset = 16 - 2 * tailGroups.length;
		for (int i = 0; i < tailGroups.length; i++) {
			bytes[offset + 2 * i] = (byte) (tailGroups[i] >> 8);
			bytes[offset + 2 * i + 1] = (byte) tailGroups[i];
		}
		boolean mapped = isZero(bytes, 10) && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
		if (dotted && !mapped) {
			throw refused(host, "an IPv4 address inside an IPv6 address is allowed only in the mapped form "
					+ "::ffff:a.b.c.d");
		}
		if (isZero(bytes, 12) && !(isZero(bytes, 15) && (bytes[15] == 0 || bytes[15] == 1))) {
			throw refused(host, "IPv4-compatible IPv6 addresses (::/96) are deprecated and HTTP clients read "
					+ "them differently");
		}
		return address(bytes);
	}

	/**
	 * The 16-bit groups of one side of {@code ::}; a dotted quad may end the last side and
	 * counts as two groups.
	 */
	private static int[] ipv6Groups(String host, String side, boolean last) {
		if (side.isEmpty()) {
			return new int[0];
		}
		String[] parts = side.split(":", -1);
		int[] groups = new int[parts.length + 1];
		int count = 0;
		for (int i = 0; i < parts.length; i++) {
			String part = parts[i];
			if (last && i == parts.length - 1 && part.contains(".")) {
				byte[] quad = dottedQuad(host, part.split("\\.", -1)).getAddress();
				groups[count++] = ((quad[0] & 0xff) << 8) | (quad[1] & 0xff);
				groups[count++] = ((quad[2] & 0xff) << 8) | (quad[3] & 0xff);
				continue;
			}
			if (part.isEmpty() || part.length() > 4 || !part.chars().allMatch(EgressHost::isHexDigit)) {
				throw refused(host, "an IPv6 group is one to four hexadecimal digits");
			}
			groups[count++] = Integer.parseInt(part, 16);
		}
		return Arrays.copyOf(groups, count);
	}

	private static boolean isZero(byte[] bytes, int to) {
		for (int i = 0; i < to; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return true;
	}

	/** An address from its bytes, without any lookup (a mapped IPv6 address becomes IPv4). */
	private static InetAddress address(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("an address of " + bytes.length + " bytes", ex);
		}
	}

}
