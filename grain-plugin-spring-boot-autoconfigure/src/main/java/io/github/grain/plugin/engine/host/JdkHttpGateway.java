package io.github.grain.plugin.engine.host;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An {@link HttpGateway} on the JDK's {@link HttpClient}, for applications without
 * Spring WebFlux: a per-request timeout, a response-size cap, no automatic redirects
 * (a 3xx reaches the guest as is), and an allow predicate deciding which URLs may be
 * requested at all. Deny-all unless given a predicate.
 */
public final class JdkHttpGateway implements HttpGateway {

	private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
			"upgrade");

	private final HttpClient client;

	private final Duration timeout;

	private final long maxResponseBytes;

	private final Predicate<URI> allowed;

	/**
	 * @param timeout the whole request's deadline
	 * @param maxResponseBytes the largest body accepted
	 * @param allowed which URLs may be requested
	 */
	public JdkHttpGateway(Duration timeout, long maxResponseBytes, Predicate<URI> allowed) {
		this.client = HttpClient.newBuilder()
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.timeout = timeout;
		this.maxResponseBytes = maxResponseBytes;
		this.allowed = allowed;
	}

	@Override
	public HttpOutcome send(HttpRequest request) {
		URI uri;
		try {
			uri = new URI(request.url());
		}
		catch (URISyntaxException ex) {
			return new HttpOutcome.Failure("invalid url: " + ex.getReason());
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase() : "";
		if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
			return new HttpOutcome.Failure("only absolute http and https urls are supported");
		}
		if (!this.allowed.test(uri)) {
			return new HttpOutcome.Failure("egress to " + scheme + "://" + uri.getHost()
					+ ((uri.getPort() != -1) ? ":" + uri.getPort() : "") + " is not allowed for this plugin");
		}
		Duration timeout = request.effectiveTimeout(this.timeout);
		java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(uri).timeout(timeout);
		for (Map.Entry<String, String> header : request.headers()) {
			if (RESTRICTED_HEADERS.contains(header.getKey().toLowerCase())) {
				continue;
			}
			try {
				builder.header(header.getKey(), header.getValue());
			}
			catch (IllegalArgumentException ex) {
				return new HttpOutcome.Failure("invalid request header '" + header.getKey() + "'");
			}
		}
		if ("POST".equals(request.method())) {
			builder.POST(java.net.http.HttpRequest.BodyPublishers.ofString(
					(request.body() != null) ? request.body() : "", StandardCharsets.UTF_8));
		}
		else {
			builder.GET();
		}
		try {
			HttpResponse<InputStream> response = this.client.send(builder.build(),
					HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream body = response.body()) {
				byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, this.maxResponseBytes + 1));
				if (bytes.length > this.maxResponseBytes) {
					return new HttpOutcome.Failure("response body exceeds " + this.maxResponseBytes + " bytes");
				}
				List<Map.Entry<String, String>> headers = new ArrayList<>();
				response.headers().map().forEach((name, values) -> values.forEach((v) -> headers.add(Map.entry(name, v))));
				return new HttpOutcome.Response(response.statusCode(), headers,
						new String(bytes, StandardCharsets.UTF_8));
			}
		}
		catch (HttpTimeoutException ex) {
			return new HttpOutcome.Failure("http request timed out after " + timeout.toMillis() + " ms");
		}
		catch (ConnectException ex) {
			return new HttpOutcome.Failure("connection to " + uri.getHost() + " failed");
		}
		catch (IOException ex) {
			return new HttpOutcome.Failure("http request failed: " + ex.getClass().getSimpleName());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new HttpOutcome.Failure("http request interrupted");
		}
	}

}
