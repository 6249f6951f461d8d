package io.github.grain.plugin.spring.http;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.grain.plugin.egress.EgressExchange;
import io.github.grain.plugin.egress.EgressListener;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.egress.EgressRefusedException;
import io.github.grain.plugin.egress.HostResolver;
import io.github.grain.plugin.engine.host.HttpGateway;
import io.github.grain.plugin.engine.host.HttpOutcome;
import io.github.grain.plugin.engine.host.HttpRequest;
import io.netty.channel.ChannelOption;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The guests' outbound HTTP ({@code http-get}/{@code http-post} and {@code wasi:http}; any
 * method of {@link EgressExchange#METHODS}, bodies as bytes both ways), through one
 * {@link WebClient} built from
 * the application's {@link WebClient.Builder} (so its customizers, filters and codecs
 * apply) with a connector of our own: a Reactor Netty client whose only name resolution
 * is the egress check ({@link EgressAddressResolverGroup}), that never follows redirects
 * by itself and uses no proxy.
 * <p>
 * Each request runs through the {@link EgressExchange} that the JDK gateway uses too
 * (the {@link EgressPolicy} check of every hop, header rules, redirects, one deadline);
 * this class only sends one hop. Names are resolved by
 * {@link EgressPolicy#connectableAddresses} inside the client, and the client connects only
 * to the addresses that passed, so no second lookup can swap in another. IP literals
 * accepted by the policy are read the same way by Reactor Netty, which connects to them
 * without a lookup. The body has one size cap. Every failure is an {@link HttpOutcome.Failure}
 * whose reason names the origin at most, never the path, query or header values.
 * <p>
 * The calling thread blocks: it is a tool-executor thread running guest code, never a
 * Reactor event loop; a call from a non-blocking thread is refused.
 */
public final class WebClientHttpGateway implements HttpGateway, AutoCloseable {

	private static final Log logger = LogFactory.getLog(WebClientHttpGateway.class);

	private final WebClient webClient;

	private final EgressExchange exchange;

	private final Duration timeout;

	private final int maxResponseBytes;

	private final ConnectionProvider connections;

	private final ThreadPoolExecutor lookups;

	/**
	 * @param builder the application's builder; it is cloned, and its connector replaced
	 * @param policy who may reach what
	 * @param resolver how names are looked up
	 * @param timeout the deadline of one guest request, redirects included
	 * @param maxResponseSize the largest body handed to a guest
	 * @param maxRedirects how many redirects are followed
	 */
	public WebClientHttpGateway(WebClient.Builder builder, EgressPolicy policy, HostResolver resolver,
			Duration timeout, DataSize maxResponseSize, int maxRedirects) {
		this(builder, policy, resolver, timeout, maxResponseSize, maxRedirects, EgressListener.NONE);
	}

	/**
	 * @param builder the application's builder; it is cloned, and its connector replaced
	 * @param policy who may reach what
	 * @param resolver how names are looked up
	 * @param timeout the deadline of one guest request, redirects included
	 * @param maxResponseSize the largest body handed to a guest
	 * @param maxRedirects how many redirects are followed
	 * @param listener hears every refusal under the policy
	 */
	public WebClientHttpGateway(WebClient.Builder builder, EgressPolicy policy, HostResolver resolver,
			Duration timeout, DataSize maxResponseSize, int maxRedirects, EgressListener listener) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("grain.plugins.http.timeout must be positive: " + timeout);
		}
		if (maxResponseSize.toBytes() < 0 || maxResponseSize.toBytes() > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException(
					"grain.plugins.http.max-response-size must be between 0 and 2 GB: " + maxResponseSize);
		}
		this.exchange = new EgressExchange(policy, maxRedirects, listener);
		this.timeout = timeout;
		this.maxResponseBytes = (int) maxResponseSize.toBytes();
		AtomicInteger counter = new AtomicInteger();
		this.lookups = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), (runnable) -> {
			Thread thread = new Thread(runnable, "grain-egress-dns-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.lookups.allowCoreThreadTimeOut(true);
		this.connections = ConnectionProvider.builder("grain-egress").maxConnections(64).build();
		int connectMillis = (int) Math.min(timeout.toMillis(), 10_000);
		HttpClient httpClient = HttpClient.create(this.connections)
			.resolver(new EgressAddressResolverGroup(resolver, this.lookups))
			.noProxy()
			.followRedirect(false)
			// WebClient reads a body it releases to its end: one declared over the cap is cut off instead
			.doOnResponse((response, connection) -> {
				if (declaredPastTheCap(response.method().equals(io.netty.handler.codec.http.HttpMethod.HEAD),
						new HttpHeaders(new Netty4HeadersAdapter(response.responseHeaders())))) {
					connection.dispose();
				}
			})
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(connectMillis, 1));
		this.webClient = builder.clone().clientConnector(new ReactorClientHttpConnector(httpClient)).build();
	}

	@Override
	public HttpOutcome send(HttpRequest request) {
		if (Schedulers.isInNonBlockingThread()) {
			logger.error("Plugin '" + request.plugin() + "' made an HTTP call on non-blocking thread '"
					+ Thread.currentThread().getName() + "'; guest code must run on a thread that may block");
			return new HttpOutcome.Failure("http is not available on this thread");
		}
		Duration timeout = request.effectiveTimeout(this.timeout);
		return this.exchange.send(request.plugin(), request.method(), request.url(), request.headers(), request.body(),
				timeout, (hop, remaining) -> send(hop, remaining, timeout), HttpOutcome.Failure::new,
				HttpOutcome.Failure::deniedBecause);
	}

	private EgressExchange.Reply<HttpOutcome> send(EgressExchange.Hop hop, Duration remaining, Duration timeout) {
		try {
			Hop result = exchange(HttpMethod.valueOf(hop.method()), hop.uri(), hop.headers(), hop.body())
				.timeout(remaining)
				.block();
			if (Objects.requireNonNull(result) instanceof Hop.Redirect redirect) {
				return EgressExchange.Reply.redirect(redirect.status(), redirect.location());
			}
			return EgressExchange.Reply.answer(((Hop.Done) result).response());
		}
		catch (RuntimeException ex) {
			return failure(ex, hop.origin(), timeout);
		}
	}

	private Mono<Hop> exchange(HttpMethod method, URI uri, List<Map.Entry<String, String>> headers,
			byte @Nullable [] body) {
		WebClient.RequestBodySpec spec = this.webClient.method(method).uri(uri).headers((target) -> {
			for (Map.Entry<String, String> header : headers) {
				target.add(header.getKey(), header.getValue());
			}
		});
		// bytes go out as they are (no Content-Type the guest did not set, as from the JDK gateway)
		WebClient.RequestHeadersSpec<?> ready = (body != null) ? spec.bodyValue(body) : spec;
		return ready.exchangeToMono((response) -> readResponse(response, method == HttpMethod.HEAD));
	}

	private Mono<Hop> readResponse(ClientResponse response, boolean head) {
		int status = response.statusCode().value();
		HttpHeaders responseHeaders = response.headers().asHttpHeaders();
		String location = responseHeaders.getFirst(HttpHeaders.LOCATION);
		if (location != null && EgressExchange.isRedirect(status)) {
			return Mono.just(new Hop.Redirect(status, location));
		}
		if (declaredPastTheCap(head, responseHeaders)) {
			return Mono.error(new DataBufferLimitException("the declared length is over the cap"));
		}
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		responseHeaders.forEach((name, values) -> values.forEach((value) -> headers.add(Map.entry(name, value))));
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), this.maxResponseBytes)
			.map(WebClientHttpGateway::bytes)
			.defaultIfEmpty(new byte[0])
			.map((bytes) -> new Hop.Done(new HttpOutcome.Response(status, headers, bytes)));
	}

	/**
	 * Whether a response declares a body over the cap. A {@code HEAD} response declares the
	 * length of a body it never sends: nothing to cap.
	 */
	private boolean declaredPastTheCap(boolean head, HttpHeaders headers) {
		return !head && headers.getContentLength() > this.maxResponseBytes;
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	private EgressExchange.Reply<HttpOutcome> failure(RuntimeException ex, String origin, Duration timeout) {
		Throwable failure = Exceptions.unwrap(ex);
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof EgressRefusedException refused) {
				// the name resolved only to addresses the policy refuses: no connection was made
				return EgressExchange.Reply
					.refused(HttpOutcome.Failure.deniedBecause(Objects.requireNonNull(refused.getMessage())));
			}
			if (cause instanceof TimeoutException) {
				return failed(EgressExchange.timedOut(timeout));
			}
			if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
				return failed("the response headers from " + origin + " are too large");
			}
			if (cause instanceof DataBufferLimitException) {
				return failed("the response from " + origin + " is larger than " + this.maxResponseBytes + " bytes");
			}
			if (cause instanceof UnknownHostException) {
				return failed("the host of " + origin + " cannot be resolved");
			}
			// Netty's ConnectTimeoutException is one too
			if (cause instanceof ConnectException) {
				return failed("cannot connect to " + origin);
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("HTTP request to " + origin + " failed", failure);
		}
		return failed("the request to " + origin + " failed (" + failure.getClass().getSimpleName() + ")");
	}

	private static EgressExchange.Reply<HttpOutcome> failed(String reason) {
		return EgressExchange.Reply.answer(new HttpOutcome.Failure(reason));
	}

	/** The egress policy in force. */
	public EgressPolicy policy() {
		return this.exchange.policy();
	}

	@Override
	public void close() {
		this.connections.dispose();
		this.lookups.shutdownNow();
	}

	private sealed interface Hop {

		record Done(HttpOutcome.Response response) implements Hop {
		}

		record Redirect(int status, String location) implements Hop {
		}

	}

}
