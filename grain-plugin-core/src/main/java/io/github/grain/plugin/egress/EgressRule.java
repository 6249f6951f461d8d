package io.github.grain.plugin.egress;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One allow-list pattern: {@code scheme://host[:port]}.
 * <ul>
 * <li>{@code scheme} is {@code http} or {@code https}.</li>
 * <li>{@code host} is an exact DNS name ({@code api.example.com}), a wildcard for
 * sub-domains ({@code *.example.com}: any name ending in {@code .example.com}, not
 * {@code example.com} itself), {@code *} for any name, an IPv4 literal
 * ({@code 10.1.2.3}), an IPv6 literal in brackets ({@code [fd00::1]}), or
 * {@code localhost}.</li>
 * <li>{@code port} defaults to the scheme's (80, 443); {@code :*} allows any port.</li>
 * </ul>
 * Which addresses a match may reach is decided by {@link EgressPolicy}: names reach
 * public addresses only, {@code localhost} reaches loopback only, and an IP literal
 * reaches exactly that address, whatever its category — naming an address literally is
 * how an application grants a private, loopback or metadata address.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the host as written, lower-case, IDN in ASCII form, IPv6 without brackets
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
		if (hostPart.startsWith("[")) {
			InetAddress address = AddressCategory.parseLiteral(hostPart);
			if (address == null) {
				throw invalid(pattern, where, "not a valid IPv6 literal");
			}
			return new EgressRule(scheme, address.getHostAddress(), port, Kind.ADDRESS, address);
		}
		InetAddress literal = AddressCategory.parseLiteral(hostPart);
		if (literal != null) {
			return new EgressRule(scheme, literal.getHostAddress(), port, Kind.ADDRESS, literal);
		}
		if (hostPart.equals("*")) {
			return new EgressRule(scheme, "*", port, Kind.ANY_NAME, null);
		}
		boolean subdomains = hostPart.startsWith("*.");
		String name = normaliseName(subdomains ? hostPart.substring(2) : hostPart);
		if (name == null || name.contains("*")) {
			throw invalid(pattern, where, "not a valid host name");
		}
		if (name.equals("localhost")) {
			if (subdomains) {
				throw invalid(pattern, where, "*.localhost is not supported");
			}
			return new EgressRule(scheme, name, port, Kind.LOCALHOST, null);
		}
		return new EgressRule(scheme, subdomains ? "*." + name : name, port, subdomains ? Kind.SUBDOMAINS : Kind.NAME,
				null);
	}

	/**
	 * Whether the rule allows a URL's origin. The URL's host must already be normalised with
	 * {@link #normaliseName(String)} or be an IP literal.
	 * @param uri the URL
	 * @param host the URL's normalised host (an IP literal without brackets, or a name)
	 * @param literal the host's address when it is an IP literal
	 * @return whether the scheme, host and port match
	 */
	public boolean matches(URI uri, String host, @Nullable InetAddress literal) {
		String uriScheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
		if (!this.scheme.equals(uriScheme)) {
			return false;
		}
		int uriPort = (uri.getPort() != -1) ? uri.getPort() : defaultPort(uriScheme);
		if (this.port != -1 && this.port != uriPort) {
			return false;
		}
		return switch (this.kind) {
			case ADDRESS -> literal != null && literal.equals(this.literal);
			case LOCALHOST -> literal == null && host.equals("localhost");
			case NAME -> literal == null && host.equals(this.host);
			case SUBDOMAINS -> literal == null && host.endsWith(this.host.substring(1));
			case ANY_NAME -> literal == null && !host.equals("localhost");
		};
	}

	/**
	 * A DNS name in the form rules compare: lower-case ASCII (IDN converted), no trailing dot.
	 * @param name the name
	 * @return the normalised name, {@code null} if it is not a valid name
	 */
	public static @Nullable String normaliseName(String name) {
		String text = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
		if (text.isEmpty()) {
			return null;
		}
		try {
			text = IDN.toASCII(text, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		return text.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*") ? text : null;
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
		String shownHost = (this.kind == Kind.ADDRESS && this.host.indexOf(':') >= 0) ? "[" + this.host + "]" : this.host;
		return this.scheme + "://" + shownHost + ":" + ((this.port == -1) ? "*" : this.port);
	}

}
