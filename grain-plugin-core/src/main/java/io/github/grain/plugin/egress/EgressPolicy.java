package io.github.grain.plugin.egress;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Deny-by-default egress for guests. A request is allowed in two steps:
 * <ol>
 * <li><b>Before the request</b> ({@link #check}): the URL is {@code http} or
 * {@code https}, carries no user info, its host is one {@link EgressHost} accepts (a
 * canonical IP literal or a DNS name: the spellings HTTP clients read differently are
 * refused here), and its scheme, host and port match one of the plugin's
 * {@link EgressRule}s. A host that is an IP literal matches only a rule naming that same
 * address; a name matches name rules ({@code localhost} only the rule {@code localhost}).
 * Because the connectors read an accepted host exactly as this check does, an IP literal
 * needs no second step: the connector connects to that address without any lookup.</li>
 * <li><b>At connection</b> ({@link #connectableAddresses}): a name is resolved with the
 * connector's resolver and only addresses that pass {@link #mayConnect} may be connected
 * to: a name other than {@code localhost} reaches {@link AddressCategory#PUBLIC} addresses
 * only, {@code localhost} loopback ones only.</li>
 * </ol>
 * Every redirect hop goes through both steps again ({@link EgressExchange}).
 */
public final class EgressPolicy {

	private static final Log logger = LogFactory.getLog(EgressPolicy.class);

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
		if (uri.getHost() == null) {
			return new Decision.Denied(EgressRefusal.INVALID_HOST, "the URL has no valid host");
		}
		EgressHost host;
		try {
			host = EgressHost.parse(uri.getHost());
		}
		catch (IllegalArgumentException ex) {
			return new Decision.Denied(EgressRefusal.INVALID_HOST, ex.getMessage());
		}
		int port = (uri.getPort() != -1) ? uri.getPort() : EgressRule.defaultPort(scheme);
		String origin = scheme + "://" + host.text() + ":" + port;
		List<EgressRule> granted = rules(plugin);
		if (granted.isEmpty()) {
			return new Decision.Denied(EgressRefusal.NO_ALLOW_LIST, "plugin '" + plugin
					+ "' is not allowed any HTTP egress (" + origin
					+ " requested; grant it with grain.plugins.plugin." + plugin + ".http.allow)");
		}
		for (EgressRule rule : granted) {
			if (rule.matches(scheme, port, host)) {
				return new Decision.Allowed(rule, host, origin);
			}
		}
		String hint = "";
		if (host instanceof EgressHost.Address address && AddressCategory.of(address.address()).isSpecial()) {
			// the guest wrote this address itself: naming its category tells it nothing new
			hint = " (" + AddressCategory.of(address.address()).label()
					+ " addresses must be allowed by their literal address)";
		}
		return new Decision.Denied(EgressRefusal.NOT_ALLOWED,
				origin + " is not in the HTTP allow-list of plugin '" + plugin + "'" + hint);
	}

	/**
	 * Decide one address of a host, at the point of connection.
	 * @param host the host the URL names
	 * @param address one address it resolved to
	 * @return whether a connection to the address may be made
	 */
	public static boolean mayConnect(EgressHost host, InetAddress address) {
		if (host instanceof EgressHost.Address literal) {
			// an IP literal matched a rule naming exactly this address in check()
			return literal.address().equals(address);
		}
		AddressCategory category = AddressCategory.of(address);
		return ((EgressHost.Name) host).isLocalhost() ? category == AddressCategory.LOOPBACK
				: category == AddressCategory.PUBLIC;
	}

	/**
	 * Resolve a host the way a connector is about to connect to it, keeping only what the
	 * policy allows. The guest learns only that the name is refused, never which kind of
	 * address it resolved to, nor whether it resolved at all: that would make the policy an
	 * oracle for internal DNS. The detail goes to this class's DEBUG log.
	 * @param host the host as the connector has it (a name, an IP literal with or without brackets)
	 * @param resolver the lookup the connector uses
	 * @param needed whether any or every address must pass
	 * @return the addresses a connection may go to, at least one
	 * @throws EgressRefusedException if the name does not resolve, or not to addresses the policy allows
	 */
	public static List<InetAddress> connectableAddresses(String host, HostResolver resolver, AddressesNeeded needed)
			throws EgressRefusedException {
		EgressHost parsed;
		try {
			parsed = EgressHost.parse((host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]" : host);
		}
		catch (IllegalArgumentException ex) {
			throw new EgressRefusedException("egress refused: " + ex.getMessage());
		}
		if (parsed instanceof EgressHost.Address literal) {
			return List.of(literal.address());
		}
		EgressHost.Name name = (EgressHost.Name) parsed;
		List<InetAddress> candidates;
		try {
			candidates = resolver.resolve(host);
		}
		catch (UnknownHostException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Egress refused '" + EgressLog.escape(host) + "': it does not resolve");
			}
			throw refusedName(name);
		}
		List<InetAddress> allowed = new ArrayList<>();
		List<String> refused = new ArrayList<>();
		for (InetAddress address : candidates) {
			if (mayConnect(name, address)) {
				allowed.add(address);
			}
			else {
				refused.add(AddressCategory.of(address).label() + " " + address.getHostAddress());
			}
		}
		if (allowed.isEmpty() || (needed == AddressesNeeded.EVERY && !refused.isEmpty())) {
			if (logger.isDebugEnabled()) {
				logger.debug("Egress refused '" + EgressLog.escape(host) + "': it resolves to " + refused);
			}
			throw refusedName(name);
		}
		return allowed;
	}

	private static EgressRefusedException refusedName(EgressHost.Name name) {
		return new EgressRefusedException("egress refused: the name '" + name.name()
				+ "' does not resolve only to addresses the egress policy allows ("
				+ (name.isLocalhost() ? "localhost reaches loopback addresses only" : "names reach public addresses only")
				+ "; allow another address by writing it literally in the plugin's allow-list)");
	}

	/** How many of a name's addresses must pass for a connection. */
	public enum AddressesNeeded {

		/** The connector connects only to the addresses that passed (it takes them from us). */
		ANY,

		/** The connector resolves the name again and picks an address by itself. */
		EVERY

	}

	/** The outcome of {@link #check}. */
	public sealed interface Decision {

		/**
		 * The URL may be requested.
		 * @param rule the rule that matched
		 * @param host the URL's host
		 * @param origin {@code scheme://host:port}
		 */
		record Allowed(EgressRule rule, EgressHost host, String origin) implements Decision {
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
