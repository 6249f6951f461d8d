package io.github.grain.plugin.egress;

import java.net.IDN;
import java.net.InetAddress;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One allow-list pattern: {@code scheme://host[:port]}.
 * <ul>
 * <li>{@code scheme} is {@code http} or {@code https}.</li>
 * <li>{@code host} is an exact DNS name ({@code api.example.com}; IDN in Unicode or
 * {@code xn--} form), a wildcard for sub-domains ({@code *.example.com}: any name ending in
 * {@code .example.com}, not {@code example.com} itself), {@code *} for any name, an IPv4
 * literal ({@code 10.1.2.3}), an IPv6 literal in brackets ({@code [fd00::1]}), or
 * {@code localhost}; hosts are read by {@link EgressHost}, so a spelling it refuses in a URL
 * is an error in a pattern too.</li>
 * <li>{@code port} defaults to the scheme's (80, 443); {@code :*} allows any port.</li>
 * </ul>
 * Which addresses a match may reach is decided by {@link EgressPolicy}: names reach
 * public addresses only, {@code localhost} reaches loopback only, and an IP literal
 * reaches exactly that address, whatever its category — naming an address literally is
 * how an application grants a private, loopback or metadata address.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the host as {@link EgressHost#text()} writes it ({@code *.suffix} or {@code *} for wildcards)
 * @param port the port, or {@code -1} for any port
 * @param kind what the host is
 * @param literal the address of an IP-literal host
 */
public record EgressRule(String scheme, String host, int port, Kind kind, @Nullable InetAddress literal) {

	/** What an allow-list host is. */
	public enum Kind {

		/** An exact DNS name. */
		NAME,

		/** {@code *.suffix}. */
		SUBDOMAINS,

		/** {@code *}: any DNS name. */
		ANY_NAME,

		/** The name {@code localhost}. */
		LOCALHOST,

		/** An IPv4 or IPv6 literal. */
		ADDRESS

	}

	/**
	 * Parse a pattern.
	 * @param pattern for example {@code https://api.example.com} or {@code http://127.0.0.1:8080}
	 * @param where who configured it, quoted in errors
	 * @return the rule
	 * @throws IllegalArgumentException naming {@code where} and the pattern if it is malformed
	 */
	public static EgressRule parse(String pattern, String where) {
		String text = pattern.trim();
		int separator = text.indexOf("://");
		if (separator <= 0) {
			throw invalid(pattern, where, "expected scheme://host[:port]");
		}
		String scheme = text.substring(0, separator).toLowerCase(Locale.ROOT);
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw invalid(pattern, where, "the scheme must be http or https");
		}
		String authority = text.substring(separator + 3);
		if (authority.endsWith("/")) {
			authority = authority.substring(0, authority.length() - 1);
		}
		if (authority.isEmpty() || authority.contains("/") || authority.contains("?") || authority.contains("#")
				|| authority.contains("@")) {
			throw invalid(pattern, where, "only scheme://host[:port] is allowed, without user, path or query");
		}
		String hostPart = authority;
		String portPart = null;
		if (authority.startsWith("[")) {
			int close = authority.indexOf(']');
			if (close < 0) {
				throw invalid(pattern, where, "unclosed IPv6 literal");
			}
			hostPart = authority.substring(0, close + 1);
			String rest = authority.substring(close + 1);
			if (!rest.isEmpty()) {
				if (!rest.startsWith(":")) {
					throw invalid(pattern, where, "unexpected text after the IPv6 literal");
				}
				portPart = rest.substring(1);
			}
		}
		else if (authority.indexOf(':') >= 0) {
			hostPart = authority.substring(0, authority.lastIndexOf(':'));
			portPart = authority.substring(authority.lastIndexOf(':') + 1);
		}
		int port = defaultPort(scheme);
		if (portPart != null) {
			if (portPart.equals("*")) {
				port = -1;
			}
			else {
				try {
					port = Integer.parseInt(portPart);
				}
				catch (NumberFormatException ex) {
					throw invalid(pattern, where, "the port must be a number or *");
				}
				if (port < 1 || port > 65535) {
					throw invalid(pattern, where, "the port must be between 1 and 65535");
				}
			}
		}
		if (hostPart.equals("*")) {
			return new EgressRule(scheme, "*", port, Kind.ANY_NAME, null);
		}
		boolean subdomains = hostPart.startsWith("*.");
		EgressHost host;
		try {
			host = EgressHost.parse(toAscii(subdomains ? hostPart.substring(2) : hostPart));
		}
		catch (IllegalArgumentException ex) {
			throw invalid(pattern, where, ex.getMessage());
		}
		if (host instanceof EgressHost.Address address) {
			if (subdomains) {
				throw invalid(pattern, where, "*. must be followed by a DNS name");
			}
			return new EgressRule(scheme, address.text(), port, Kind.ADDRESS, address.address());
		}
		EgressHost.Name name = (EgressHost.Name) host;
		if (name.isLocalhost()) {
			if (subdomains) {
				throw invalid(pattern, where, "*.localhost is not supported");
			}
			return new EgressRule(scheme, name.name(), port, Kind.LOCALHOST, null);
		}
		return new EgressRule(scheme, subdomains ? "*." + name.name() : name.name(), port,
				subdomains ? Kind.SUBDOMAINS : Kind.NAME, null);
	}

	/**
	 * Whether the rule allows an origin.
	 * @param scheme the URL's scheme, lower case
	 * @param port the URL's port, the scheme's default filled in
	 * @param host the URL's host
	 * @return whether the scheme, host and port match
	 */
	public boolean matches(String scheme, int port, EgressHost host) {
		if (!this.scheme.equals(scheme) || (this.port != -1 && this.port != port)) {
			return false;
		}
		if (host instanceof EgressHost.Address address) {
			return this.kind == Kind.ADDRESS && address.address().equals(this.literal);
		}
		EgressHost.Name name = (EgressHost.Name) host;
		return switch (this.kind) {
			case ADDRESS -> false;
			case LOCALHOST -> name.isLocalhost();
			case NAME -> name.name().equals(this.host);
			case SUBDOMAINS -> name.name().endsWith(this.host.substring(1));
			case ANY_NAME -> !name.isLocalhost();
		};
	}

	/** A configured name in Unicode turned into its {@code xn--} form; anything else as it is. */
	private static String toAscii(String host) {
		if (host.chars().allMatch((c) -> c < 128)) {
			return host;
		}
		try {
			return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
		}
		catch (IllegalArgumentException ex) {
			return host;
		}
	}

	/** The port a URL of this scheme means when it names none (443 for https, else 80). */
	public static int defaultPort(String scheme) {
		return scheme.equals("https") ? 443 : 80;
	}

	private static IllegalArgumentException invalid(String pattern, String where, String problem) {
		return new IllegalArgumentException(where + ": invalid HTTP allow-list pattern '" + pattern + "': " + problem);
	}

	@Override
	public String toString() {
		return this.scheme + "://" + this.host + ":" + ((this.port == -1) ? "*" : this.port);
	}

}
