package io.github.grain.plugin.engine.host;

/**
 * The engine's port for the guests' outbound HTTP: the {@code http-get} and
 * {@code http-post} imports and {@code wasi:http/outgoing-handler}. Request and response
 * bodies are bytes, passed through unchanged (the grain imports encode and decode their
 * text as UTF-8 on their side). Implementations are synchronous (the guest is blocked in a
 * host call), send the methods of {@link io.github.grain.plugin.egress.EgressExchange#METHODS}
 * only, enforce their own timeout and response-size cap (the whole body is buffered within
 * it), and decide egress. Every failure is reported as
 * {@link HttpOutcome.Failure} so the guest receives {@code err(reason)}; an
 * implementation never throws for a transport or policy failure.
 */
@FunctionalInterface
public interface HttpGateway {

	/**
	 * Perform one request on behalf of a plugin.
	 * @param request what the guest asked for, with the plugin it came from
	 * @return the response or the reason it failed
	 */
	HttpOutcome send(HttpRequest request);

	/** A gateway that refuses every request. */
	static HttpGateway denyAll() {
		return (request) -> new HttpOutcome.Failure("http egress is not configured");
	}

}
