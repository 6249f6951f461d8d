package io.github.grain.plugin.sample.security;

import java.util.Set;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.cors.reactive.CorsUtils;

/**
 * Everything the sample serves (the REST API, {@code /mcp}, the console at {@code /}, the
 * actuator endpoints) needs HTTP Basic with Boot's {@code spring.security.user.*}; only
 * {@code /actuator/health} is open, for probes. No session is kept: each request carries
 * its credentials.
 * <p>
 * Cross-site request forgery: a browser that has logged in sends the Basic credentials
 * with every request to this origin, including a form another site posts here, so they
 * are as ambient as a session cookie. Rather than a CSRF token (which curl and MCP
 * clients would have to fetch first), an unsafe request that carries an {@code Origin}
 * other than the server's own is refused (403) by Spring Security's CSRF filter; browsers
 * send {@code Origin} with every cross-site POST, clients that are not browsers send none.
 * The MCP endpoint is also guarded by the starter's Origin validation.
 */
@Configuration(proxyBeanMethods = false)
class SampleSecurityConfiguration {

	private static final Set<HttpMethod> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.TRACE);

	@Bean
	SecurityWebFilterChain sampleSecurityWebFilterChain(ServerHttpSecurity http) {
		return http
			.authorizeExchange((exchanges) -> exchanges.pathMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.anyExchange()
				.authenticated())
			.httpBasic(Customizer.withDefaults())
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.csrf((csrf) -> csrf.requireCsrfProtectionMatcher(crossSiteUnsafeRequest()))
			.build();
	}

	/** An unsafe method with an Origin that is not the request's own: a browser posting for another site. */
	static ServerWebExchangeMatcher crossSiteUnsafeRequest() {
		return (exchange) -> {
			boolean crossSite = !SAFE_METHODS.contains(exchange.getRequest().getMethod())
					&& CorsUtils.isCorsRequest(exchange.getRequest());
			return crossSite ? ServerWebExchangeMatcher.MatchResult.match()
					: ServerWebExchangeMatcher.MatchResult.notMatch();
		};
	}

}
