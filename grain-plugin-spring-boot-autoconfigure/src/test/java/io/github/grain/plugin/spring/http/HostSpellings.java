package io.github.grain.plugin.spring.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generates URL host spellings from a seed: the many ways to write an address that parsers
 * disagree about (IPv4 with leading zeros, octal, hexadecimal, integer and short forms,
 * trailing dots; IPv6 with and without compression, leading zeros, upper case, embedded
 * dotted quads, mapped/compatible/NAT64/6to4 prefixes, zone ids), names with numeric-looking
 * labels, and the same again percent-encoded or with look-alike characters. Targets lean
 * towards loopback, the unspecified address and internal ranges.
 */
final class HostSpellings {

	private static final int[][] IPV4_TARGETS = { { 127, 0, 0, 1 }, { 127, 1, 2, 3 }, { 0, 0, 0, 0 }, { 10, 0, 0, 1 },
			{ 169, 254, 169, 254 }, { 192, 168, 0, 1 }, { 8, 8, 8, 8 }, { 93, 184, 215, 14 } };

	private static final String[] IPV6_PREFIXES = { "0:0:0:0:0:0", "0:0:0:0:0:ffff", "64:ff9b:0:0:0:0",
			"0:0:0:0:ffff:0", "2002:7f00:1:0:0:0", "fe80:0:0:0:0:0", "fd00:ec2:0:0:0:0", "2001:db8:0:0:0:0" };

	private static final String[] ZONES = { "%25eth0", "%eth0", "%251", "%25lo", "%" };

	private static final String[] WORDS = { "localhost", "test", "example", "internal", "xn--bcher-kva", "a", "0x7f",
			"0", "127", "01", "1e2", "ffff", "nip", "io", "com" };

	private final Random random;

	HostSpellings(long seed) {
		this.random = new Random(seed);
	}

	/** The next spelling. */
	String next() {
		String spelling = switch (this.random.nextInt(5)) {
			case 0, 1 -> ipv4();
			case 2, 3 -> ipv6();
			default -> name();
		};
		return mutate(spelling);
	}

	/** {@code count} spellings. */
	List<String> next(int count) {
		List<String> spellings = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			spellings.add(next());
		}
		return spellings;
	}

	private int[] ipv4Target() {
		if (this.random.nextInt(4) == 0) {
			return new int[] { this.random.nextInt(256), this.random.nextInt(256), this.random.nextInt(256),
					this.random.nextInt(256) };
		}
		return IPV4_TARGETS[this.random.nextInt(IPV4_TARGETS.length)];
	}

	private String ipv4() {
		int[] octets = ipv4Target();
		int parts = switch (this.random.nextInt(8)) {
			case 0 -> 1;
			case 1 -> 2;
			case 2 -> 3;
			default -> 4;
		};
		List<String> rendered = new ArrayList<>();
		for (int i = 0; i < parts - 1; i++) {
			rendered.add(number(octets[i]));
		}
		long rest = 0;
		for (int i = parts - 1; i < 4; i++) {
			rest = (rest << 8) | octets[i];
		}
		rendered.add(number(rest));
		String text = String.join(".", rendered);
		return (this.random.nextInt(10) == 0) ? text + "." : text;
	}

	/** A number as some parser reads it: decimal, with leading zeros, octal or hexadecimal. */
	private String number(long value) {
		return switch (this.random.nextInt(10)) {
			case 0 -> "0".repeat(1 + this.random.nextInt(2)) + value;
			case 1 -> "0" + Long.toOctalString(value);
			case 2 -> "0x" + Long.toHexString(value);
			case 3 -> "0X" + Long.toHexString(value).toUpperCase(Locale.ROOT);
			case 4 -> (value < 10) ? "0" + value : String.valueOf(value);
			default -> String.valueOf(value);
		};
	}

	private String ipv6() {
		String prefix = IPV6_PREFIXES[this.random.nextInt(IPV6_PREFIXES.length)];
		int[] octets = ipv4Target();
		List<String> groups = new ArrayList<>(List.of(prefix.split(":")));
		boolean dotted = this.random.nextInt(3) == 0;
		if (this.random.nextInt(6) == 0) {
			// ::1, :: and other addresses without an embedded IPv4 address
			groups = new ArrayList<>(List.of("0", "0", "0", "0", "0", "0", "0", String.valueOf(this.random.nextInt(3))));
			dotted = false;
		}
		else if (!dotted) {
			groups.add(Integer.toHexString((octets[0] << 8) | octets[1]));
			groups.add(Integer.toHexString((octets[2] << 8) | octets[3]));
		}
		List<String> padded = new ArrayList<>();
		for (String group : groups) {
			String text = (this.random.nextInt(5) == 0) ? "0".repeat(this.random.nextInt(4)) + group : group;
			if (text.length() > 4 && this.random.nextInt(4) != 0) {
				text = text.substring(text.length() - 4);
			}
			padded.add((this.random.nextInt(4) == 0) ? text.toUpperCase(Locale.ROOT) : text);
		}
		String text = compress(padded);
		if (dotted) {
			String quad = (text.endsWith(":") ? "" : ":") + quad(octets);
			text = text + quad;
		}
		if (this.random.nextInt(8) == 0) {
			text = text + ZONES[this.random.nextInt(ZONES.length)];
		}
		return (this.random.nextInt(25) == 0) ? text : "[" + text + "]";
	}

	private String quad(int[] octets) {
		List<String> parts = new ArrayList<>();
		for (int octet : octets) {
			parts.add((this.random.nextInt(6) == 0) ? number(octet) : String.valueOf(octet));
		}
		return String.join(".", parts);
	}

	/** Replace one run of zero groups with {@code ::} (most of the time). */
	private String compress(List<String> groups) {
		if (this.random.nextInt(4) == 0) {
			return String.join(":", groups);
		}
		List<int[]> runs = new ArrayList<>();
		for (int i = 0; i < groups.size(); i++) {
			if (groups.get(i).chars().allMatch((c) -> c == '0')) {
				int end = i;
				while (end + 1 < groups.size() && groups.get(end + 1).chars().allMatch((c) -> c == '0')) {
					end++;
				}
				runs.add(new int[] { i, end });
				i = end;
			}
		}
		if (runs.isEmpty()) {
			return String.join(":", groups);
		}
		int[] run = runs.get(this.random.nextInt(runs.size()));
		int from = run[0] + ((run[1] > run[0]) ? this.random.nextInt(2) : 0);
		return String.join(":", groups.subList(0, from)) + "::" + String.join(":", groups.subList(run[1] + 1, groups.size()));
	}

	private String name() {
		int labels = 1 + this.random.nextInt(4);
		List<String> parts = new ArrayList<>();
		for (int i = 0; i < labels; i++) {
			parts.add(label());
		}
		String text = String.join(".", parts);
		if (this.random.nextInt(5) == 0) {
			text = text.toUpperCase(Locale.ROOT);
		}
		return (this.random.nextInt(6) == 0) ? text + "." : text;
	}

	private String label() {
		return switch (this.random.nextInt(4)) {
			case 0 -> WORDS[this.random.nextInt(WORDS.length)];
			case 1 -> number(this.random.nextInt(300));
			default -> {
				StringBuilder label = new StringBuilder();
				String alphabet = "abcdefxyz0123456789-";
				for (int i = 0, n = 1 + this.random.nextInt(8); i < n; i++) {
					label.append(alphabet.charAt(this.random.nextInt(alphabet.length())));
				}
				yield label.toString();
			}
		};
	}

	/** Sometimes percent-encode a character, or swap in a look-alike dot or digit. */
	private String mutate(String spelling) {
		int choice = this.random.nextInt(20);
		if (spelling.isEmpty() || choice > 2) {
			return spelling;
		}
		int at = this.random.nextInt(spelling.length());
		String replacement = switch (choice) {
			case 0 -> String.format(Locale.ROOT, "%%%02X", (int) spelling.charAt(at));
			case 1 -> (spelling.charAt(at) == '.') ? "\u3002" : "\uff11";
			default -> "%00";
		};
		return spelling.substring(0, at) + replacement + spelling.substring(at + 1);
	}

}
