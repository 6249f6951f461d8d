package io.github.grain.plugin.spring.mcp;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import io.github.grain.plugin.engine.UntrustedText;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Validates the {@code Origin} of requests to the MCP endpoints, as the MCP transport
 * rules ask of a server so that a web page the user visits cannot drive it (DNS
 * rebinding, cross-site requests): a request with an {@code Origin} that is neither the
 * request's own origin nor an allowed one is answered 403 before it reaches the MCP
 * server, so no tool runs. Requests without {@code Origin} (MCP clients that are not
 * browsers) pass. Ordered before Spring Security's filter chain, so a foreign page learns
 * nothing from an authentication challenge either.
 * <p>
 * The request's own origin is built from its {@code Host} header, which a DNS-rebinding
 * page controls: same-origin requests pass this filter, and it is authentication (which
 * the browser does not send to the rebound name) that stops those.
 */
public final class McpOriginFilter implements WebFilter, Ordered {

	/** Before Spring Security's filter chain (at -100). */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private static final Log logger = LogFactory.getLog(McpOriginFilter.class);

	private final Set<String> paths;

	private final Set<String> allowedOrigins;

	/**
	 * @param paths the MCP endpoints' paths within the application, such as {@code /mcp}
	 * @param allowedOrigins origins allowed besides the request's own, such as
	 * {@code https://console.example.com}
	 * @throws IllegalArgumentException naming an allowed origin that is not
	 * {@code scheme://host[:port]}
	 */
	public McpOriginFilter(Collection<String> paths, Collection<String> allowedOrigins) {
		this.paths = Set.copyOf(paths);
		Set<String> origins = new LinkedHashSet<>();
		for (String origin : allowedOrigins) {
			String normalized = normalize(origin);
			if (normalized == null) {
				throw new IllegalArgumentException("allowed MCP origin '" + origin
						+ "' is not an origin: expected scheme://host[:port], such as https://console.example.com");
			}
			origins.add(normalized);
		}
		this.allowedOrigins = Set.copyOf(origins);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (!this.paths.contains(path)) {
			return chain.filter(exchange);
		}
		String origin = exchange.getRequest().getHeaders().getFirst(HttpHeaders.ORIGIN);
		if (origin == null || isAllowed(origin, exchange.getRequest().getURI())) {
			return chain.filter(exchange);
		}
		String message = "Origin '" + UntrustedText.forLog(origin) + "' may not use the MCP endpoint '" + path
				+ "': only the server's own origin and grain.plugins.spring-ai.mcp.allowed-origins may";
		if (logger.isDebugEnabled()) {
			logger.debug("Refused a request: " + message);
		}
		return forbid(exchange.getResponse(), message);
	}

	private boolean isAllowed(String origin, URI request) {
		String normalized = normalize(origin);
		if (normalized == null) {
			return false;
		}
		return this.allowedOrigins.contains(normalized) || normalized.equals(normalize(request));
	}

	/** Answer 403 with a plain-text reason. */
	static Mono<Void> forbid(ServerHttpResponse response, String message) {
		response.setStatusCode(HttpStatus.FORBIDDEN);
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		DataBuffer body = response.bufferFactory().wrap((message + "\n").getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(body));
	}

	/** {@code scheme://host[:port]} in lower case without a default port, {@code null} when it is not an origin. */
	static @Nullable String normalize(String origin) {
		try {
			URI uri = new URI(origin.trim());
			if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
				return null;
			}
			if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
				return null;
			}
			return normalize(uri);
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	private static @Nullable String normalize(URI uri) {
		String scheme = uri.getScheme();
		String host = uri.getHost();
		if (scheme == null || host == null) {
			return null;
		}
		scheme = scheme.toLowerCase(Locale.ROOT);
		int port = uri.getPort();
		boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
				|| (scheme.equals("https") && port == 443);
		return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
	}

}
