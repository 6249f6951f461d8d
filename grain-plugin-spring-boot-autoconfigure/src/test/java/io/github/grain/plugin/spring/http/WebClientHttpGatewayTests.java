package io.github.grain.plugin.spring.http;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.grain.plugin.egress.EgressListener;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.egress.HostResolver;
import io.github.grain.plugin.egress.HostileHttpServer;
import io.github.grain.plugin.engine.host.HttpGateway;
import io.github.grain.plugin.engine.host.HttpGatewayContract;
import io.github.grain.plugin.engine.host.HttpOutcome;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The gateway contract on Reactor Netty through the application's {@link WebClient}, plus
 * what is particular to it: names are looked up only by the gateway's resolver, which hands
 * the client the checked addresses alone; the application's builder customizations apply;
 * it refuses to block a non-blocking thread.
 */
class WebClientHttpGatewayTests extends HttpGatewayContract {

	/** Every name the client asked the gateway's resolver for. */
	private final List<String> lookups = new CopyOnWriteArrayList<>();

	private final List<WebClientHttpGateway> gateways = new ArrayList<>();

	private HostResolver resolver = recording(HostResolver.system());

	private HostResolver recording(HostResolver resolver) {
		return (host) -> {
			this.lookups.add(host);
			return resolver.resolve(host);
		};
	}

	@Override
	protected HttpGateway gateway(Map<String, List<String>> allow, Duration timeout, int maxResponseBytes,
			int maxRedirects, EgressListener listener) {
		return gateway(allow, WebClient.builder(), timeout, maxResponseBytes, maxRedirects, listener);
	}

	private WebClientHttpGateway gateway(Map<String, List<String>> allow, WebClient.Builder builder, Duration timeout,
			int maxResponseBytes, int maxRedirects) {
		return gateway(allow, builder, timeout, maxResponseBytes, maxRedirects, EgressListener.NONE);
	}

	private WebClientHttpGateway gateway(Map<String, List<String>> allow, WebClient.Builder builder, Duration timeout,
			int maxResponseBytes, int maxRedirects, EgressListener listener) {
		WebClientHttpGateway gateway = new WebClientHttpGateway(builder, EgressPolicy.of(allow), this.resolver, timeout,
				DataSize.ofBytes(maxResponseBytes), maxRedirects, listener);
		this.gateways.add(gateway);
		return gateway;
	}

	@Override
	protected void closeGateways() {
		this.gateways.forEach(WebClientHttpGateway::close);
	}

	@Test
	void namesAreLookedUpOnlyByTheGatewaysResolver() {
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://localhost:" + this.server.port())))
			.send(get("http://localhost:" + this.server.port() + "/echo"));
		assertThat(body(outcome)).isEqualTo("GET ");
		assertThat(this.lookups).containsExactly("localhost");
	}

	@Test
	void literalsAreNeverLookedUp() {
		assertThat(body(gateway(loopbackLiteral()).send(get(this.server.url("/echo"))))).isEqualTo("GET ");
		assertThat(this.lookups).isEmpty();
	}

	@Test
	void theClientConnectsOnlyToTheAddressesThatPassed() throws Exception {
		// the first address would be tried first, and 10.0.0.1 is not where the server is
		this.resolver = recording((host) -> List.of(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("127.0.0.1")));
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://localhost:" + this.server.port())))
			.send(get("http://localhost:" + this.server.port() + "/echo"));
		assertThat(body(outcome)).isEqualTo("GET ");
	}

	@Test
	void applicationBuilderCustomizationsApply() {
		WebClient.Builder builder = WebClient.builder().defaultHeader("x-app", "demo");
		HttpOutcome outcome = gateway(loopbackLiteral(), builder, Duration.ofSeconds(5), 4096, 3)
			.send(get(this.server.url("/headers")));
		assertThat(body(outcome)).contains("x-app=demo");
	}

	@Test
	void theTimeoutMustBePositiveAndTheSizeCapFitAByteArray() {
		EgressPolicy policy = EgressPolicy.of(Map.of());
		HostResolver resolver = HostResolver.system();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WebClientHttpGateway(WebClient.builder(), policy, resolver, Duration.ZERO,
					DataSize.ofBytes(1), 0))
			.withMessage("grain.plugins.http.timeout must be positive: PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WebClientHttpGateway(WebClient.builder(), policy, resolver, Duration.ofMillis(-1),
					DataSize.ofBytes(1), 0))
			.withMessage("grain.plugins.http.timeout must be positive: PT-0.001S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WebClientHttpGateway(WebClient.builder(), policy, resolver, Duration.ofSeconds(1),
					DataSize.ofBytes(-1), 0))
			.withMessage("grain.plugins.http.max-response-size must be between 0 and 2 GB: -1B");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WebClientHttpGateway(WebClient.builder(), policy, resolver, Duration.ofSeconds(1),
					DataSize.ofBytes(Integer.MAX_VALUE - 7), 0))
			.withMessage("grain.plugins.http.max-response-size must be between 0 and 2 GB: "
					+ (Integer.MAX_VALUE - 7) + "B");
		this.gateways.add(new WebClientHttpGateway(WebClient.builder(), policy, resolver, Duration.ofNanos(1),
				DataSize.ofBytes(0), 0));
		this.gateways.add(new WebClientHttpGateway(WebClient.builder(), policy, resolver, Duration.ofSeconds(1),
				DataSize.ofBytes(Integer.MAX_VALUE - 8), 0));
		assertThat(this.gateways).hasSize(2).allSatisfy((gateway) -> assertThat(gateway.policy()).isSameAs(policy));
	}

	@Test
	void callFromANonBlockingThreadIsRefused() {
		HttpGateway gateway = gateway(loopbackLiteral());
		HttpOutcome outcome = Mono.fromCallable(() -> gateway.send(get(this.server.url("/echo"))))
			.subscribeOn(Schedulers.parallel())
			.block(Duration.ofSeconds(5));
		assertThat(reason(outcome)).isEqualTo("http is not available on this thread");
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void closingTheGatewayClosesItsPooledConnections() throws Exception {
		try (HostileHttpServer server = new HostileHttpServer()) {
			WebClientHttpGateway gateway = gateway(Map.of("p", List.of(server.origin())), WebClient.builder(),
					Duration.ofSeconds(30), 4096, 3);
			// the server keeps the connection open after answering, and the pool keeps it for the next request
			assertThat(body(gateway.send(get(server.url("/kept"))))).isEqualTo("ok");
			gateway.close();
			assertThat(server.awaitHangUp()).as("the pooled connection was closed").isTrue();
		}
	}

	@Test
	void responseHeadersThatNeverEndFailAndTheGatewayHangsUp() throws Exception {
		try (HostileHttpServer server = new HostileHttpServer()) {
			server.release();
			HttpOutcome outcome = gateway(Map.of("p", List.of(server.origin()))).send(get(server.url("/huge-headers")));
			assertThat(outcome)
				.isEqualTo(new HttpOutcome.Failure("the response headers from " + server.origin() + " are too large"));
			assertThat(server.awaitHangUp()).as("the gateway hung up on the server").isTrue();
		}
	}

}
