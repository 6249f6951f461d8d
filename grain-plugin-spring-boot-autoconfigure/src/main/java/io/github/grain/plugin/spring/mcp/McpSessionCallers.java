package io.github.grain.plugin.spring.mcp;

import java.security.Principal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Who owns each MCP session, so a tool call made in a session is made by that session's
 * authenticated caller. The MCP server hands a tool its session, not the HTTP request that
 * carried the call, so this filter binds a Streamable HTTP session ({@code Mcp-Session-Id})
 * to the principal of the request that created it, and refuses (403) a request that uses
 * a session bound to another principal, as the MCP security guidance asks (a session id
 * is no credential). Ordered after Spring Security's filter chain, which sets the
 * exchange's principal; without one, nothing is bound and calls are anonymous.
 * <p>
 * At most {@link #MAX_SESSIONS} bindings are kept (the oldest forgotten first); a
 * session whose binding was forgotten is bound again by its next authenticated request.
 */
public final class McpSessionCallers implements WebFilter, Ordered {

	/** After Spring Security's filter chain (at -100). */
	public static final int ORDER = 0;

	/** The Streamable HTTP session header. */
	public static final String SESSION_HEADER = "Mcp-Session-Id";

	static final int MAX_SESSIONS = 10_000;

	private final Set<String> paths;

	private final Map<String, String> owners = new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
			return size() > MAX_SESSIONS;
		}

	};

	/**
	 * @param paths the MCP endpoints' paths within the application, such as {@code /mcp}
	 */
	public McpSessionCallers(Collection<String> paths) {
		this.paths = Set.copyOf(paths);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * The principal who owns a session.
	 * @param sessionId the MCP session id
	 * @return the principal's name, empty for an anonymous or unknown session
	 */
	public Optional<String> principal(@Nullable String sessionId) {
		if (sessionId == null) {
			return Optional.empty();
		}
		synchronized (this.owners) {
			return Optional.ofNullable(this.owners.get(sessionId));
		}
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!this.paths.contains(exchange.getRequest().getPath().pathWithinApplication().value())) {
			return chain.filter(exchange);
		}
		return exchange.getPrincipal()
			.map(Principal::getName)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((principal) -> filter(exchange, chain, principal.orElse(null)));
	}

	private Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain, @Nullable String principal) {
		if (principal == null) {
			return chain.filter(exchange);
		}
		String session = exchange.getRequest().getHeaders().getFirst(SESSION_HEADER);
		if (session == null) {
			// a new session: its id comes with the response
			exchange.getResponse().beforeCommit(() -> {
				String created = exchange.getResponse().getHeaders().getFirst(SESSION_HEADER);
				if (created != null) {
					bind(created, principal);
				}
				return Mono.empty();
			});
			return chain.filter(exchange);
		}
		String owner = bind(session, principal);
		if (!owner.equals(principal)) {
			return McpOriginFilter.forbid(exchange.getResponse(), "this MCP session belongs to another caller");
		}
		if (exchange.getRequest().getMethod() == HttpMethod.DELETE) {
			return chain.filter(exchange).doOnSuccess((done) -> forget(session));
		}
		return chain.filter(exchange);
	}

	/** Bind an unbound session to the principal; the session's owner. */
	private String bind(String session, String principal) {
		synchronized (this.owners) {
			return this.owners.computeIfAbsent(session, (id) -> principal);
		}
	}

	private void forget(String session) {
		synchronized (this.owners) {
			this.owners.remove(session);
		}
	}

	/** How many sessions are bound, for tests. */
	int boundSessions() {
		synchronized (this.owners) {
			return this.owners.size();
		}
	}

}
