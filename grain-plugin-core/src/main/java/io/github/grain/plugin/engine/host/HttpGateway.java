package io.github.grain.plugin.engine.host;

/**
 * The engine's port for the guests' {@code http-get} and {@code http-post} imports.
 * Implementations are synchronous (the guest is blocked in a host call), enforce their
 * own timeout and response-size cap, and decide egress. Every failure is reported as
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
