package io.github.grain.plugin.engine.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An outbound request made by a guest.
 * @param plugin the plugin that made it
 * @param method the method; a gateway sends those in {@link io.github.grain.plugin.egress.EgressExchange#METHODS}
 * and refuses any other
 * @param url the URL as the guest wrote it
 * @param headers the guest's headers in order
 * @param body the body as bytes, sent as they are ({@code http-post} gives its text as UTF-8),
 * {@code null} for none
 * @param callBudget what is left of the guest call's deadline, or {@code null} when
 * unbounded: a gateway answers within the smaller of it and its own timeout
 */
public record HttpRequest(String plugin, String method, String url, List<Map.Entry<String, String>> headers,
		byte @Nullable [] body, @Nullable Duration callBudget) {

	public HttpRequest {
		headers = List.copyOf(headers);
		body = (body != null) ? body.clone() : null;
	}

	/** A request not bounded by a guest call's deadline. */
	public HttpRequest(String plugin, String method, String url, List<Map.Entry<String, String>> headers,
			byte @Nullable [] body) {
		this(plugin, method, url, headers, body, null);
	}

	/** The smaller of {@code timeout} and the call's budget. */
	public Duration effectiveTimeout(Duration timeout) {
		return (this.callBudget != null && this.callBudget.compareTo(timeout) < 0) ? this.callBudget : timeout;
	}

}
