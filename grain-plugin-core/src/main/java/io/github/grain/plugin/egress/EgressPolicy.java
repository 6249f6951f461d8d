package io.github.grain.plugin.egress;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Deny-by-default egress for guests. A request is allowed in two steps:
 * <ol>
 * <li><b>Before the request</b> ({@link #check}): the URL is {@code http} or
 * {@code https}, carries no user info, and its scheme, host and port match one of the
 * plugin's {@link EgressRule}s. A host that is an IP literal matches only a rule naming
 * that same address; a name matches name rules ({@code localhost} only the rule
 * {@code localhost}).</li>
 * <li><b>At connection</b> ({@link #mayConnect}): the name is resolved by the gateway's own
 * resolver, and the connection goes only to addresses that pass: a name other than
 * {@code localhost} may reach {@link AddressCategory#PUBLIC} addresses only;
 * {@code localhost} may reach loopback only; an IP literal was decided in step 1. There
 * is no second lookup between the check and the connection, so DNS rebinding cannot
 * swap in another address.</li>
 * </ol>
 * Every redirect hop goes through both steps again.
 */
public final class EgressPolicy {

	private final Map<String, List<EgressRule>> rules;

	private EgressPolicy(Map<String, List<EgressRule>> rules) {
		this.rules = rules;
	}

	/**
	 * Build a policy from allow-lists.
	 * @param patterns per plugin name, its {@code scheme://host[:port]} patterns
	 * @return the policy
	 * @throws IllegalArgumentException naming the plugin's property and the pattern when one is malformed
	 */
	public static EgressPolicy of(Map<String, List<String>> patterns) {
		Map<String, List<EgressRule>> rules = new LinkedHashMap<>();
		patterns.forEach((plugin, list) -> {
			List<EgressRule> parsed = new ArrayList<>();
			for (String pattern : list) {
				parsed.add(EgressRule.parse(pattern, "grain.plugins.plugin." + plugin + ".http.allow"));
			}
			rules.put(plugin, List.copyOf(parsed));
		});
		return new EgressPolicy(Map.copyOf(rules));
	}

	/** The rules granted to a plugin. */
	public List<EgressRule> rules(String plugin) {
		return this.rules.getOrDefault(plugin, List.of());
	}

	/**
	 * Decide a URL before any traffic.
	 * @param plugin the plugin asking
	 * @param uri the URL
	 * @return allowed, or denied with a reason that names the origin but never the path or query
	 */
	public Decision check(String plugin, URI uri) {
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			return new Decision.Denied(EgressRefusal.SCHEME, "only http and https URLs are allowed");
		}
		if (uri.getRawUserInfo() != null) {
			return new Decision.Denied(EgressRefusal.CREDENTIALS,
					"credentials in the URL are not allowed; send an Authorization header");
		}
		String rawHost = uri.getHost();
		if (rawHost == null) {
			return new Decision.Denied(EgressRefusal.INVALID_HOST, "the URL has no valid host");
		}
		InetAddress literal = AddressCategory.parseLiteral(rawHost);
		String host = (literal != null) ? literal.getHostAddress() : EgressRule.normaliseName(rawHost);
		if (host == null) {
			return new Decision.Denied(EgressRefusal.INVALID_HOST, "the URL has no valid host");
		}
		String origin = origin(scheme, host, uri.getPort(), literal);
		List<EgressRule> granted = rules(plugin);
		if (granted.isEmpty()) {
			return new Decision.Denied(EgressRefusal.NO_ALLOW_LIST, "plugin '" + plugin
					+ "' is not allowed any HTTP egress (" + origin
					+ " requested; grant it with grain.plugins.plugin." + plugin + ".http.allow)");
		}
		for (EgressRule rule : granted) {
			if (rule.matches(uri, host, literal)) {
				return new Decision.Allowed(rule, host, origin);
			}
		}
		String hint = (literal != null && AddressCategory.of(literal).isSpecial())
				? " (" + AddressCategory.of(literal).name().toLowerCase(Locale.ROOT).replace('_', '-')
						+ " addresses must be allowed by their literal address)"
				: "";
		return new Decision.Denied(EgressRefusal.NOT_ALLOWED,
				origin + " is not in the HTTP allow-list of plugin '" + plugin + "'" + hint);
	}

	/**
	 * Decide one resolved address of a host, at the point of connection.
	 * @param host the name being connected to (normalised), or an IP literal
	 * @param address one address it resolved to
	 * @return whether a connection to the address may be made
	 */
	public static boolean mayConnect(String host, InetAddress address) {
		InetAddress literal = AddressCategory.parseLiteral(host);
		if (literal != null) {
			// an IP literal matched a rule naming exactly this address in check()
			return literal.equals(address);
		}
		AddressCategory category = AddressCategory.of(address);
		if ("localhost".equals(EgressRule.normaliseName(host))) {
			return category == AddressCategory.LOOPBACK;
		}
		return category == AddressCategory.PUBLIC;
	}

	static String origin(String scheme, String host, int port, @Nullable InetAddress literal) {
		String shownHost = (literal != null && host.indexOf(':') >= 0) ? "[" + host + "]" : host;
		int shownPort = (port != -1) ? port : EgressRule.defaultPort(scheme);
		return scheme + "://" + shownHost + ":" + shownPort;
	}

	/** The outcome of {@link #check}. */
	public sealed interface Decision {

		/**
		 * The URL may be requested.
		 * @param rule the rule that matched
		 * @param host the normalised host
		 * @param origin {@code scheme://host:port}
		 */
		record Allowed(EgressRule rule, String host, String origin) implements Decision {
		}

		/**
		 * The URL may not be requested.
		 * @param refusal why, for counting
		 * @param reason why, for the guest
		 */
		record Denied(EgressRefusal refusal, String reason) implements Decision {
		}

	}

}
