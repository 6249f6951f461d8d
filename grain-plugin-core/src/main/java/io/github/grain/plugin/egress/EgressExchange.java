package io.github.grain.plugin.egress;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One guest request through the egress policy, whatever HTTP client carries it: every
 * HTTP gateway runs its requests through here and supplies only a {@link Transport} that
 * performs one hop. This decides, once for all gateways:
 * <ul>
 * <li>the method, one of {@link #METHODS} (any other, {@code CONNECT} and {@code TRACE}
 * among them, is refused before anything is sent), the body (bytes, sent as they are;
 * none for {@code GET} and {@code HEAD}, where one is refused), and the guest's headers: hop-by-hop,
 * framing and proxy headers are dropped ({@code Host}, {@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection}, {@code Upgrade}, {@code TE},
 * {@code Trailer}, {@code Keep-Alive}, {@code Proxy-Connection},
 * {@code Proxy-Authorization}, {@code Expect}); a name that is not an HTTP token or a value
 * with a control character refuses the request;</li>
 * <li>each hop's URL with {@link EgressPolicy#check} (the transport then resolves names
 * with {@link EgressPolicy#connectableAddresses});</li>
 * <li>redirects, which no HTTP client follows by itself: at most {@code maxRedirects}
 * hops, each checked again; {@code 303} (except after a {@code HEAD}), and
 * {@code 301}/{@code 302} after a {@code POST}, continue as a {@code GET} without body
 * (as browsers do); {@code 307}/{@code 308} keep the method and body; {@code Authorization}, {@code Cookie} and
 * {@code Proxy-Authorization} are dropped when the origin changes;</li>
 * <li>one deadline for the whole exchange, redirects included.</li>
 * </ul>
 * Every refusal reason names the origin at most, never a path, a query or a header value.
 * Every refusal under the policy (a hop's URL, or a name whose addresses the transport
 * found refused) is also told to the {@link EgressListener} with its {@link EgressRefusal}.
 */
public final class EgressExchange {

	private static final Log logger = LogFactory.getLog(EgressExchange.class);

	private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
			"connection", "upgrade", "te", "trailer", "keep-alive", "proxy-connection", "proxy-authorization",
			"expect");

	/**
	 * The methods a guest may send: what a tool plausibly needs. {@code CONNECT} (a tunnel
	 * past the policy's view of the traffic) and {@code TRACE} (it echoes the request,
	 * credentials included) are not among them.
	 */
	public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

	/** The reason a method outside {@link #METHODS} gives. */
	public static final String UNSUPPORTED_METHOD = "unsupported HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE "
			+ "and OPTIONS are sent)";

	private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

	private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

	private final EgressPolicy policy;

	private final int maxRedirects;

	private final EgressListener listener;

	private final LongSupplier nanoTime;

	/**
	 * @param policy who may reach what
	 * @param maxRedirects how many redirects are followed
	 * @throws IllegalArgumentException if {@code maxRedirects} is negative
	 */
	public EgressExchange(EgressPolicy policy, int maxRedirects) {
		this(policy, maxRedirects, EgressListener.NONE);
	}

	/**
	 * @param policy who may reach what
	 * @param maxRedirects how many redirects are followed
	 * @param listener hears every refusal under the policy
	 * @throws IllegalArgumentException if {@code maxRedirects} is negative
	 */
	public EgressExchange(EgressPolicy policy, int maxRedirects, EgressListener listener) {
		this(policy, maxRedirects, listener, System::nanoTime);
	}

	/**
	 * @param policy who may reach what
	 * @param maxRedirects how many redirects are followed
	 * @param listener hears every refusal under the policy
	 * @param nanoTime the clock deadlines are measured with, {@link System#nanoTime()} but in tests
	 */
	EgressExchange(EgressPolicy policy, int maxRedirects, EgressListener listener, LongSupplier nanoTime) {
		if (maxRedirects < 0) {
			throw new IllegalArgumentException("grain.plugins.http.max-redirects must not be negative: " + maxRedirects);
		}
		this.policy = policy;
		this.maxRedirects = maxRedirects;
		this.listener = listener;
		this.nanoTime = nanoTime;
	}

	/** The policy every hop is checked with. */
	public EgressPolicy policy() {
		return this.policy;
	}

	/**
	 * Run one guest request to its final answer.
	 * @param <R> what the gateway answers with
	 * @param plugin the plugin asking
	 * @param method the method the guest asked for
	 * @param url the URL as the guest wrote it
	 * @param headers the guest's headers in order
	 * @param body the body, {@code null} for none
	 * @param timeout the deadline of the whole exchange
	 * @param transport performs one hop
	 * @param refused turns a refusal reason into the gateway's answer
	 * @return the transport's final answer, or a refusal
	 */
	public <R> R send(String plugin, String method, String url, List<Map.Entry<String, String>> headers,
			byte @Nullable [] body, Duration timeout, Transport<R> transport, Function<String, R> refused) {
		return send(plugin, method, url, headers, body, timeout, transport, refused, refused);
	}

	/**
	 * Run one guest request to its final answer, telling a refusal under the policy apart
	 * from the other refusals (a malformed request, the deadline, too many redirects).
	 * @param <R> what the gateway answers with
	 * @param plugin the plugin asking
	 * @param method the method the guest asked for
	 * @param url the URL as the guest wrote it
	 * @param headers the guest's headers in order
	 * @param body the body, {@code null} for none
	 * @param timeout the deadline of the whole exchange
	 * @param transport performs one hop
	 * @param refused turns a refusal reason into the gateway's answer
	 * @param deniedAnswer turns the reason a hop's URL was denied under the policy into the gateway's answer
	 * @return the transport's final answer, or a refusal
	 */
	public <R> R send(String plugin, String method, String url, List<Map.Entry<String, String>> headers,
			byte @Nullable [] body, Duration timeout, Transport<R> transport, Function<String, R> refused,
			Function<String, R> deniedAnswer) {
		String currentMethod = method.toUpperCase(Locale.ROOT);
		if (!METHODS.contains(currentMethod)) {
			return refused.apply(UNSUPPORTED_METHOD);
		}
		if (!hasBody(currentMethod) && body != null && body.length > 0) {
			return refused.apply("a " + currentMethod + " request has no body");
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return refused.apply("invalid URL: " + ex.getReason());
		}
		List<Map.Entry<String, String>> currentHeaders;
		try {
			currentHeaders = guestHeaders(headers);
		}
		catch (IllegalArgumentException ex) {
			return refused.apply(ex.getMessage());
		}
		byte[] currentBody = bodyToSend(currentMethod, body);
		long deadline = this.nanoTime.getAsLong() + timeout.toNanos();
		for (int hop = 0;; hop++) {
			EgressPolicy.Decision decision = this.policy.check(plugin, uri);
			if (decision instanceof EgressPolicy.Decision.Denied denied) {
				if (logger.isDebugEnabled()) {
					logger.debug("Egress denied for plugin '" + plugin + "': " + EgressLog.escape(denied.reason()));
				}
				this.listener.refused(plugin, denied.refusal());
				return deniedAnswer.apply(denied.reason());
			}
			EgressPolicy.Decision.Allowed allowed = (EgressPolicy.Decision.Allowed) decision;
			long remaining = deadline - this.nanoTime.getAsLong();
			if (remaining <= 0) {
				return refused.apply(timedOut(timeout));
			}
			Reply<R> reply = transport.send(new Hop(currentMethod, uri, allowed.host(), allowed.origin(),
					currentHeaders, currentBody), Duration.ofNanos(remaining));
			if (reply instanceof Reply.Answer<R> answer) {
				return answer.outcome();
			}
			if (reply instanceof Reply.Refused<R> addressRefused) {
				this.listener.refused(plugin, EgressRefusal.ADDRESS);
				return addressRefused.outcome();
			}
			Reply.Redirect<R> redirect = (Reply.Redirect<R>) reply;
			if (hop >= this.maxRedirects) {
				return refused.apply("too many redirects (more than " + this.maxRedirects + ")");
			}
			URI next;
			try {
				next = uri.resolve(new URI(redirect.location()));
			}
			catch (URISyntaxException | IllegalArgumentException ex) {
				return refused.apply("invalid redirect location from " + allowed.origin());
			}
			if ((redirect.status() == 303 && !currentMethod.equals("HEAD"))
					|| ((redirect.status() == 301 || redirect.status() == 302) && currentMethod.equals("POST"))) {
				currentMethod = "GET";
				currentBody = null;
				currentHeaders = without(currentHeaders, Set.of("content-type"));
			}
			if (!sameOrigin(uri, next)) {
				currentHeaders = without(currentHeaders, CREDENTIAL_HEADERS);
			}
			uri = next;
		}
	}

	private static boolean hasBody(String method) {
		return !method.equals("GET") && !method.equals("HEAD");
	}

	/**
	 * What is sent: {@code POST}, {@code PUT} and {@code PATCH} always carry a body (empty
	 * when the guest gave none), {@code DELETE} and {@code OPTIONS} only a non-empty one.
	 */
	private static byte @Nullable [] bodyToSend(String method, byte @Nullable [] body) {
		if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
			return (body != null) ? body.clone() : new byte[0];
		}
		return (hasBody(method) && body != null && body.length > 0) ? body.clone() : null;
	}

	/** Whether a status is a redirect this exchange follows (when it carries a {@code Location}). */
	public static boolean isRedirect(int status) {
		return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
	}

	/** The reason a request that ran out of time gives, the same through every gateway. */
	public static String timedOut(Duration timeout) {
		return "the request timed out after " + timeout.toMillis() + " ms";
	}

	private static List<Map.Entry<String, String>> guestHeaders(List<Map.Entry<String, String>> headers) {
		List<Map.Entry<String, String>> result = new ArrayList<>();
		for (Map.Entry<String, String> header : headers) {
			String name = header.getKey();
			if (name.isEmpty() || !name.chars().allMatch(EgressExchange::isTokenChar)) {
				throw new IllegalArgumentException("invalid request header name (an HTTP token is required)");
			}
			if (!header.getValue().chars().allMatch((c) -> c == '\t' || (c >= 0x20 && c != 0x7f))) {
				throw new IllegalArgumentException("invalid value for request header '" + name
						+ "' (control characters are not allowed)");
			}
			if (!RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
				result.add(Map.entry(name, header.getValue()));
			}
		}
		return List.copyOf(result);
	}

	private static boolean isTokenChar(int c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
				|| TOKEN_SYMBOLS.indexOf(c) >= 0;
	}

	private static List<Map.Entry<String, String>> without(List<Map.Entry<String, String>> headers,
			Set<String> lowerCaseNames) {
		return headers.stream()
			.filter((header) -> !lowerCaseNames.contains(header.getKey().toLowerCase(Locale.ROOT)))
			.toList();
	}

	private static boolean sameOrigin(URI a, URI b) {
		String schemeA = String.valueOf(a.getScheme()).toLowerCase(Locale.ROOT);
		String schemeB = String.valueOf(b.getScheme()).toLowerCase(Locale.ROOT);
		int portA = (a.getPort() != -1) ? a.getPort() : EgressRule.defaultPort(schemeA);
		int portB = (b.getPort() != -1) ? b.getPort() : EgressRule.defaultPort(schemeB);
		return schemeA.equals(schemeB) && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
				&& portA == portB;
	}

	/**
	 * Performs one hop of an exchange with a real HTTP client. It never follows redirects
	 * nor uses a proxy, resolves names only through {@link EgressPolicy#connectableAddresses},
	 * answers within {@code remaining}, and reports its own failures as answers (never
	 * throws for them).
	 * @param <R> what the gateway answers with
	 */
	@FunctionalInterface
	public interface Transport<R> {

		/**
		 * Send one hop.
		 * @param hop what to send
		 * @param remaining what is left of the exchange's deadline
		 * @return the final answer, or the redirect to follow
		 */
		Reply<R> send(Hop hop, Duration remaining);

	}

	/**
	 * One request of an exchange, checked and ready to send.
	 * @param method one of {@link EgressExchange#METHODS}
	 * @param uri the URL
	 * @param host the URL's host as the policy read it
	 * @param origin {@code scheme://host:port}, for failure reasons
	 * @param headers the headers to send
	 * @param body the body to send, {@code null} for none (always for {@code GET} and {@code HEAD});
	 * the transport sends these bytes as they are
	 */
	public record Hop(String method, URI uri, EgressHost host, String origin, List<Map.Entry<String, String>> headers,
			byte @Nullable [] body) {

		public Hop {
			headers = List.copyOf(headers);
		}

	}

	/**
	 * What one hop came back with.
	 * @param <R> what the gateway answers with
	 */
	public sealed interface Reply<R> {

		/** The exchange is over: a response or a failure. */
		static <R> Reply<R> answer(R outcome) {
			return new Answer<>(outcome);
		}

		/** A redirect status with its {@code Location}, to be checked and followed. */
		static <R> Reply<R> redirect(int status, String location) {
			return new Redirect<>(status, location);
		}

		/**
		 * The exchange is over: the host's name resolved only to addresses the policy
		 * refuses ({@link EgressPolicy#connectableAddresses} threw).
		 */
		static <R> Reply<R> refused(R outcome) {
			return new Refused<>(outcome);
		}

		/**
		 * The final answer.
		 * @param <R> what the gateway answers with
		 * @param outcome a response or a failure
		 */
		record Answer<R>(R outcome) implements Reply<R> {
		}

		/**
		 * A refusal at connection.
		 * @param <R> what the gateway answers with
		 * @param outcome the failure the guest receives
		 */
		record Refused<R>(R outcome) implements Reply<R> {
		}

		/**
		 * A redirect.
		 * @param <R> what the gateway answers with
		 * @param status the status, one {@link #isRedirect} accepts
		 * @param location the {@code Location} header as sent
		 */
		record Redirect<R>(int status, String location) implements Reply<R> {
		}

	}

}
