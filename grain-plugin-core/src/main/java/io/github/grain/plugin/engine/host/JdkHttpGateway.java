package io.github.grain.plugin.engine.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.grain.plugin.egress.EgressExchange;
import io.github.grain.plugin.egress.EgressHost;
import io.github.grain.plugin.egress.EgressListener;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.egress.EgressRefusedException;
import io.github.grain.plugin.egress.HostResolver;
import org.jspecify.annotations.Nullable;

/**
 * An {@link HttpGateway} on the JDK's {@link HttpClient}, for applications without Spring
 * WebFlux. It enforces the same {@link EgressPolicy} as the WebClient gateway through the
 * same {@link EgressExchange} (allow-lists, the strict host parser, headers, redirects
 * followed and re-checked by hand, one deadline for the whole exchange), never uses a
 * proxy, sends any method of {@link EgressExchange#METHODS} with its body as bytes, and caps
 * the response size while the body streams in.
 * <p>
 * Names: JDK 17's {@code HttpClient} has no resolver of its own; it looks a name up through
 * the JVM ({@link java.net.InetAddress}) and connects to the first address. So before each
 * hop the name is looked up through the JVM too, and <em>every</em> address it resolves to
 * must pass ({@link EgressPolicy.AddressesNeeded#EVERY}). The client's own lookup normally
 * answers from the JVM's address cache ({@code networkaddress.cache.ttl}, 30 s by default)
 * with the same addresses; a cache entry that expires between the two lookups leaves a
 * window for DNS rebinding that the WebClient gateway, which connects only to the addresses
 * it checked, does not have. IP literals have no such window: they are never looked up.
 */
public final class JdkHttpGateway implements HttpGateway {

	private final HttpClient client;

	private final EgressExchange exchange;

	private final Duration timeout;

	private final long maxResponseBytes;

	/**
	 * @param policy who may reach what
	 * @param timeout the deadline of one guest request, redirects and body included
	 * @param maxResponseBytes the largest body accepted
	 * @param maxRedirects how many redirects are followed
	 */
	public JdkHttpGateway(EgressPolicy policy, Duration timeout, long maxResponseBytes, int maxRedirects) {
		this(policy, timeout, maxResponseBytes, maxRedirects, EgressListener.NONE);
	}

	/**
	 * @param policy who may reach what
	 * @param timeout the deadline of one guest request, redirects and body included
	 * @param maxResponseBytes the largest body accepted
	 * @param maxRedirects how many redirects are followed
	 * @param listener hears every refusal under the policy
	 */
	public JdkHttpGateway(EgressPolicy policy, Duration timeout, long maxResponseBytes, int maxRedirects,
			EgressListener listener) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("the HTTP timeout must be positive: " + timeout);
		}
		if (maxResponseBytes < 0 || maxResponseBytes > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException("the response size cap must be between 0 and 2 GB: " + maxResponseBytes);
		}
		this.exchange = new EgressExchange(policy, maxRedirects, listener);
		this.client = HttpClient.newBuilder()
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.proxy(HttpClient.Builder.NO_PROXY)
			.build();
		this.timeout = timeout;
		this.maxResponseBytes = maxResponseBytes;
	}

	@Override
	public HttpOutcome send(HttpRequest request) {
		Duration timeout = request.effectiveTimeout(this.timeout);
		return this.exchange.send(request.plugin(), request.method(), request.url(), request.headers(), request.body(),
				timeout, (hop, remaining) -> send(hop, remaining, timeout), HttpOutcome.Failure::new,
				HttpOutcome.Failure::deniedBecause);
	}

	private EgressExchange.Reply<HttpOutcome> send(EgressExchange.Hop hop, Duration remaining, Duration timeout) {
		if (hop.host() instanceof EgressHost.Name) {
			try {
				EgressPolicy.connectableAddresses(hop.uri().getHost(), HostResolver.system(),
						EgressPolicy.AddressesNeeded.EVERY);
			}
			catch (EgressRefusedException ex) {
				return EgressExchange.Reply
					.refused(HttpOutcome.Failure.deniedBecause(Objects.requireNonNull(ex.getMessage())));
			}
		}
		java.net.http.HttpRequest.Builder builder;
		try {
			builder = java.net.http.HttpRequest.newBuilder(hop.uri()).timeout(remaining);
			for (Map.Entry<String, String> header : hop.headers()) {
				builder.header(header.getKey(), header.getValue());
			}
		}
		catch (IllegalArgumentException ex) {
			return EgressExchange.Reply.answer(new HttpOutcome.Failure("the request to " + hop.origin()
					+ " is not one the JDK HTTP client sends (" + ex.getClass().getSimpleName() + ")"));
		}
		byte @Nullable [] requestBody = hop.body();
		builder.method(hop.method(), (requestBody != null)
				? java.net.http.HttpRequest.BodyPublishers.ofByteArray(requestBody)
				: java.net.http.HttpRequest.BodyPublishers.noBody());
		boolean head = hop.method().equals("HEAD");
		CompletableFuture<HttpResponse<byte[]>> exchange = this.client.sendAsync(builder.build(), (info) -> {
			boolean redirect = EgressExchange.isRedirect(info.statusCode())
					&& info.headers().firstValue("location").isPresent();
			// a HEAD response declares the length of a body it never sends: nothing to cap
			return (redirect || head) ? HttpResponse.BodySubscribers.replacing(new byte[0])
					: new CappedBody(this.maxResponseBytes, info.headers().firstValueAsLong("content-length").orElse(-1));
		});
		try {
			// The request timeout only covers the wait for the headers: the whole exchange,
			// body included, must fit in the same deadline, or a trickling server holds the guest.
			HttpResponse<byte[]> response = exchange.get(remaining.toNanos(), TimeUnit.NANOSECONDS);
			int status = response.statusCode();
			Optional<String> location = response.headers().firstValue("location");
			if (EgressExchange.isRedirect(status) && location.isPresent()) {
				return EgressExchange.Reply.redirect(status, location.get());
			}
			List<Map.Entry<String, String>> headers = new ArrayList<>();
			response.headers().map().forEach((name, values) -> values.forEach((v) -> headers.add(Map.entry(name, v))));
			return EgressExchange.Reply.answer(new HttpOutcome.Response(status, headers, response.body()));
		}
		catch (TimeoutException ex) {
			// the exchange is still in progress: cancelling it closes its connection
			exchange.cancel(true);
			return EgressExchange.Reply.answer(new HttpOutcome.Failure(EgressExchange.timedOut(timeout)));
		}
		catch (ExecutionException ex) {
			// the exchange has ended (a body over the cap cancelled its subscription itself)
			return EgressExchange.Reply.answer(failure(ex.getCause(), hop.origin(), timeout));
		}
		catch (InterruptedException ex) {
			exchange.cancel(true);
			Thread.currentThread().interrupt();
			return EgressExchange.Reply.answer(new HttpOutcome.Failure("the request was interrupted"));
		}
	}

	private HttpOutcome.Failure failure(Throwable failure, String origin, Duration timeout) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof HttpTimeoutException) {
				return new HttpOutcome.Failure(EgressExchange.timedOut(timeout));
			}
			if (cause instanceof ConnectException) {
				return new HttpOutcome.Failure("cannot connect to " + origin);
			}
			if (cause instanceof BodyTooLargeException) {
				return new HttpOutcome.Failure(
						"the response from " + origin + " is larger than " + this.maxResponseBytes + " bytes");
			}
		}
		return new HttpOutcome.Failure("the request to " + origin + " failed (" + failure.getClass().getSimpleName() + ")");
	}

	/** Collects a body of at most {@code max} bytes, failing as soon as it grows past that. */
	private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

		private final long max;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final CompletableFuture<byte[]> result = new CompletableFuture<>();

		private volatile Flow.@Nullable Subscription subscription;

		private final long declared;

		/**
		 * @param max the largest body accepted
		 * @param declared the {@code Content-Length} the server declared, {@code -1} for none
		 */
		CappedBody(long max, long declared) {
			this.max = max;
			this.declared = declared;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			if (this.declared > this.max) {
				subscription.cancel();
				this.result.completeExceptionally(new BodyTooLargeException());
				return;
			}
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			for (ByteBuffer buffer : buffers) {
				if (this.bytes.size() + (long) buffer.remaining() > this.max) {
					Objects.requireNonNull(this.subscription, "onNext before onSubscribe").cancel();
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

	}

	private static final class BodyTooLargeException extends IOException {

		BodyTooLargeException() {
			super("response body too large");
		}

	}

}
