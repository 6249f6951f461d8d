package io.github.grain.plugin.engine.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * An {@link HttpGateway} on the JDK's {@link HttpClient}, for applications without
 * Spring WebFlux: one deadline for the whole exchange (body included), a response-size
 * cap enforced while the body streams in, no automatic redirects (a 3xx reaches the guest
 * as is), and an allow predicate deciding which URLs may be requested at all. Deny-all
 * unless given a predicate.
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
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
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
			if (RESTRICTED_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
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
		CappedBody body = new CappedBody(this.maxResponseBytes);
		CompletableFuture<HttpResponse<byte[]>> exchange = this.client.sendAsync(builder.build(), (info) -> body);
		try {
			// The request timeout only covers the wait for the headers: the whole exchange,
			// body included, must fit in the same deadline, or a trickling server holds the guest.
			HttpResponse<byte[]> response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			List<Map.Entry<String, String>> headers = new ArrayList<>();
			response.headers().map().forEach((name, values) -> values.forEach((v) -> headers.add(Map.entry(name, v))));
			return new HttpOutcome.Response(response.statusCode(), headers,
					new String(response.body(), StandardCharsets.UTF_8));
		}
		catch (TimeoutException ex) {
			abandon(exchange, body);
			return timedOut(timeout);
		}
		catch (ExecutionException ex) {
			abandon(exchange, body);
			for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
				if (cause instanceof HttpTimeoutException) {
					return timedOut(timeout);
				}
				if (cause instanceof ConnectException) {
					return new HttpOutcome.Failure("connection to " + uri.getHost() + " failed");
				}
				if (cause instanceof BodyTooLargeException) {
					return new HttpOutcome.Failure("response body exceeds " + this.maxResponseBytes + " bytes");
				}
			}
			return new HttpOutcome.Failure("http request failed: " + ex.getCause().getClass().getSimpleName());
		}
		catch (InterruptedException ex) {
			abandon(exchange, body);
			Thread.currentThread().interrupt();
			return new HttpOutcome.Failure("http request interrupted");
		}
	}

	private static HttpOutcome.Failure timedOut(Duration timeout) {
		return new HttpOutcome.Failure("http request timed out after " + timeout.toMillis() + " ms");
	}

	private static void abandon(CompletableFuture<?> exchange, CappedBody body) {
		exchange.cancel(true);
		body.cancel();
	}

	/** Collects a body of at most {@code max} bytes, failing as soon as it grows past that. */
	private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

		private final long max;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final CompletableFuture<byte[]> result = new CompletableFuture<>();

		private final AtomicReference<Flow.@Nullable Subscription> subscription = new AtomicReference<>();

		CappedBody(long max) {
			this.max = max;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription.set(subscription);
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			for (ByteBuffer buffer : buffers) {
				if (this.bytes.size() + (long) buffer.remaining() > this.max) {
					cancel();
					this.result.completeExceptionally(new BodyTooLargeException());
					return;
				}
				byte[] chunk = new byte[buffer.remaining()];
				buffer.get(chunk);
				this.bytes.write(chunk, 0, chunk.length);
			}
		}

		@Override
		public void onError(Throwable failure) {
			this.result.completeExceptionally(failure);
		}

		@Override
		public void onComplete() {
			this.result.complete(this.bytes.toByteArray());
		}

		@Override
		public CompletionStage<byte[]> getBody() {
			return this.result;
		}

		void cancel() {
			Flow.Subscription current = this.subscription.getAndSet(null);
			if (current != null) {
				current.cancel();
			}
		}

	}

	private static final class BodyTooLargeException extends IOException {

		BodyTooLargeException() {
			super("response body too large");
		}

	}

}
