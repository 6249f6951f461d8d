package io.github.grain.plugin.spring.http;

import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.grain.plugin.egress.EgressListener;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.egress.EgressRefusal;
import io.github.grain.plugin.egress.EgressRefusedException;
import io.github.grain.plugin.egress.EgressRule;
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
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The guests' {@code http-get}/{@code http-post}, through one {@link WebClient} built from
 * the application's {@link WebClient.Builder} (so its customizers, filters and codecs
 * apply) with a connector of our own: a Reactor Netty client whose only name resolution
 * is the egress check ({@link EgressAddressResolverGroup}), that never follows redirects
 * by itself and uses no proxy.
 * <p>
 * Each request is checked with the {@link EgressPolicy}, sent, and when the answer is a
 * redirect, the next hop is checked again (at most {@code maxRedirects} hops; credentials
 * headers are dropped when the origin changes; 301/302/303 turn a POST into a GET). The
 * whole exchange has one deadline and the body one size cap. Every failure is an
 * {@link HttpOutcome.Failure} whose reason names the origin at most, never the path,
 * query or header values. Every refusal under the policy is also told to the
 * {@link EgressListener}, with its {@link EgressRefusal}.
 * <p>
 * The calling thread blocks: it is a tool-executor thread running guest code, never a
 * Reactor event loop; a call from a non-blocking thread is refused.
 */
public final class WebClientHttpGateway implements HttpGateway, AutoCloseable {

	private static final Log logger = LogFactory.getLog(WebClientHttpGateway.class);

	private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
			"connection", "upgrade", "te", "trailer", "keep-alive", "proxy-connection", "proxy-authorization",
			"expect");

	private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

	private final WebClient webClient;

	private final EgressPolicy policy;

	private final Duration timeout;

	private final int maxResponseBytes;

	private final int maxRedirects;

	private final ConnectionProvider connections;

	private final ThreadPoolExecutor lookups;

	private final EgressListener listener;

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
	 * @param listener hears every refusal
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
		if (maxRedirects < 0) {
			throw new IllegalArgumentException("grain.plugins.http.max-redirects must not be negative: " + maxRedirects);
		}
		this.policy = policy;
		this.listener = listener;
		this.timeout = timeout;
		this.maxResponseBytes = (int) maxResponseSize.toBytes();
		this.maxRedirects = maxRedirects;
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
			.responseTimeout(timeout)
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
		HttpMethod method;
		String upper = request.method().toUpperCase(Locale.ROOT);
		if (upper.equals("GET") || upper.equals("POST")) {
			method = HttpMethod.valueOf(upper);
		}
		else {
			return new HttpOutcome.Failure("unsupported HTTP method");
		}
		URI uri;
		try {
			uri = new URI(request.url());
		}
		catch (URISyntaxException ex) {
			return new HttpOutcome.Failure("invalid URL: " + ex.getReason());
		}
		Duration timeout = request.effectiveTimeout(this.timeout);
		long deadline = System.nanoTime() + timeout.toNanos();
		List<Map.Entry<String, String>> headers = guestHeaders(request.headers());
		String body = (method == HttpMethod.POST) ? Objects.requireNonNullElse(request.body(), "") : null;
		for (int hop = 0;; hop++) {
			EgressPolicy.Decision decision = this.policy.check(request.plugin(), uri);
			if (decision instanceof EgressPolicy.Decision.Denied denied) {
				if (logger.isDebugEnabled()) {
					logger.debug("Egress denied for plugin '" + request.plugin() + "': " + denied.reason());
				}
				this.listener.refused(request.plugin(), denied.refusal());
				return new HttpOutcome.Failure(denied.reason());
			}
			String origin = ((EgressPolicy.Decision.Allowed) decision).origin();
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return timedOut(timeout);
			}
			Hop result;
			try {
				result = exchange(method, uri, headers, body).timeout(Duration.ofNanos(remaining)).block();
			}
			catch (RuntimeException ex) {
				return failure(ex, request.plugin(), origin, timeout);
			}
			if (result instanceof Hop.Done done) {
				return done.response();
			}
			Hop.Redirect redirect = (Hop.Redirect) Objects.requireNonNull(result);
			if (hop >= this.maxRedirects) {
				return new HttpOutcome.Failure("too many redirects (more than " + this.maxRedirects + ")");
			}
			URI next;
			try {
				next = uri.resolve(new URI(redirect.location()));
			}
			catch (URISyntaxException | IllegalArgumentException ex) {
				return new HttpOutcome.Failure("invalid redirect location from " + origin);
			}
			if (redirect.status() == 303 || ((redirect.status() == 301 || redirect.status() == 302)
					&& method == HttpMethod.POST)) {
				method = HttpMethod.GET;
				body = null;
				headers = withoutHeader(headers, "content-type");
			}
			if (!sameOrigin(uri, next)) {
				headers = withoutCredentials(headers);
			}
			uri = next;
		}
	}

	private Mono<Hop> exchange(HttpMethod method, URI uri, List<Map.Entry<String, String>> headers,
			@Nullable String body) {
		WebClient.RequestBodySpec spec = this.webClient.method(method).uri(uri).headers((target) -> {
			for (Map.Entry<String, String> header : headers) {
				target.add(header.getKey(), header.getValue());
			}
		});
		WebClient.RequestHeadersSpec<?> ready = (body != null) ? spec.bodyValue(body) : spec;
		return ready.exchangeToMono(this::readResponse);
	}

	private Mono<Hop> readResponse(ClientResponse response) {
		int status = response.statusCode().value();
		HttpHeaders responseHeaders = response.headers().asHttpHeaders();
		String location = responseHeaders.getFirst(HttpHeaders.LOCATION);
		if (location != null && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)) {
			return response.releaseBody().thenReturn(new Hop.Redirect(status, location));
		}
		long declared = responseHeaders.getContentLength();
		if (declared > this.maxResponseBytes) {
			return response.releaseBody()
				.then(Mono.error(new DataBufferLimitException("declared length " + declared)));
		}
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		responseHeaders.forEach((name, values) -> values.forEach((value) -> headers.add(Map.entry(name, value))));
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), this.maxResponseBytes)
			.map(WebClientHttpGateway::bytes)
			.defaultIfEmpty(new byte[0])
			.map((bytes) -> new Hop.Done(
					new HttpOutcome.Response(status, headers, new String(bytes, StandardCharsets.UTF_8))));
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

	private HttpOutcome.Failure failure(RuntimeException ex, String plugin, String origin, Duration timeout) {
		Throwable failure = Exceptions.unwrap(ex);
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof EgressRefusedException refused) {
				this.listener.refused(plugin, EgressRefusal.ADDRESS);
				return new HttpOutcome.Failure("egress refused: " + refused.getMessage());
			}
			if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.ReadTimeoutException) {
				return timedOut(timeout);
			}
			if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
				return new HttpOutcome.Failure("the response headers from " + origin + " are too large");
			}
			if (cause instanceof DataBufferLimitException) {
				return new HttpOutcome.Failure(
						"the response from " + origin + " is larger than " + this.maxResponseBytes + " bytes");
			}
			if (cause instanceof UnknownHostException) {
				return new HttpOutcome.Failure("the host of " + origin + " cannot be resolved");
			}
			if (cause instanceof ConnectException
					|| cause instanceof io.netty.channel.ConnectTimeoutException) {
				return new HttpOutcome.Failure("cannot connect to " + origin);
			}
			if (cause.getClass().getSimpleName().equals("ResponseTimeoutException")) {
				return timedOut(timeout);
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("HTTP request to " + origin + " failed", failure);
		}
		return new HttpOutcome.Failure("the request to " + origin + " failed (" + failure.getClass().getSimpleName() + ")");
	}

	private static HttpOutcome.Failure timedOut(Duration timeout) {
		return new HttpOutcome.Failure("the request timed out after " + timeout.toMillis() + " ms");
	}

	private static List<Map.Entry<String, String>> guestHeaders(List<Map.Entry<String, String>> headers) {
		List<Map.Entry<String, String>> result = new ArrayList<>();
		for (Map.Entry<String, String> header : headers) {
			String name = header.getKey().trim();
			if (name.isEmpty() || RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
				continue;
			}
			result.add(Map.entry(name, header.getValue()));
		}
		return result;
	}

	private static List<Map.Entry<String, String>> withoutHeader(List<Map.Entry<String, String>> headers,
			String name) {
		return headers.stream().filter((header) -> !header.getKey().equalsIgnoreCase(name)).toList();
	}

	private static List<Map.Entry<String, String>> withoutCredentials(List<Map.Entry<String, String>> headers) {
		return headers.stream()
			.filter((header) -> !CREDENTIAL_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT)))
			.toList();
	}

	private static boolean sameOrigin(URI a, URI b) {
		String schemeA = String.valueOf(a.getScheme()).toLowerCase(Locale.ROOT);
		String schemeB = String.valueOf(b.getScheme()).toLowerCase(Locale.ROOT);
		int portA = (a.getPort() != -1) ? a.getPort() : EgressRule.defaultPort(schemeA);
		int portB = (b.getPort() != -1) ? b.getPort() : EgressRule.defaultPort(schemeB);
		return schemeA.equals(schemeB) && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
				&& portA == portB;
	}

	/** The egress policy in force. */
	public EgressPolicy policy() {
		return this.policy;
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
