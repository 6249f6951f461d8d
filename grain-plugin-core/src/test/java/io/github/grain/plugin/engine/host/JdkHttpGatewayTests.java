package io.github.grain.plugin.engine.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.grain.plugin.egress.EgressListener;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.egress.HostileHttpServer;
import io.github.grain.plugin.egress.LocalListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The gateway contract on the JDK's HTTP client, plus what is particular to it: the client
 * looks names up itself, so every address of a name must pass, and it would use the JVM's
 * proxy settings unless told not to.
 */
class JdkHttpGatewayTests extends HttpGatewayContract {

	@Override
	protected HttpGateway gateway(Map<String, List<String>> allow, Duration timeout, int maxResponseBytes,
			int maxRedirects, EgressListener listener) {
		return new JdkHttpGateway(EgressPolicy.of(allow), timeout, maxResponseBytes, maxRedirects, listener);
	}

	@Override
	protected void closeGateways() {
		// JDK 17's HttpClient has nothing to close: its threads end when it is unreachable
	}

	@Test
	void theTimeoutMustBePositiveAndTheSizeCapFitAByteArray() {
		EgressPolicy policy = EgressPolicy.of(Map.of());
		assertThatIllegalArgumentException().isThrownBy(() -> new JdkHttpGateway(policy, Duration.ZERO, 1, 0))
			.withMessage("the HTTP timeout must be positive: PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> new JdkHttpGateway(policy, Duration.ofMillis(-1), 1, 0))
			.withMessage("the HTTP timeout must be positive: PT-0.001S");
		assertThatIllegalArgumentException().isThrownBy(() -> new JdkHttpGateway(policy, Duration.ofSeconds(1), -1, 0))
			.withMessage("the response size cap must be between 0 and 2 GB: -1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JdkHttpGateway(policy, Duration.ofSeconds(1), Integer.MAX_VALUE - 7, 0))
			.withMessage("the response size cap must be between 0 and 2 GB: " + (Integer.MAX_VALUE - 7));
		assertThatNoException().isThrownBy(() -> new JdkHttpGateway(policy, Duration.ofNanos(1), 0, 0));
		assertThatNoException()
			.isThrownBy(() -> new JdkHttpGateway(policy, Duration.ofSeconds(1), Integer.MAX_VALUE - 8, 0));
	}

	@Test
	void nameWithOneRefusedAddressAmongAllowedOnesIsRefused() {
		// mixed.test resolves to a public address and to 127.0.0.1: the client picks either
		HttpOutcome outcome = gateway(Map.of("p", List.of("http://*:*")))
			.send(get("http://mixed.test:" + this.server.port() + "/echo"));
		assertThat(reason(outcome)).isEqualTo(refusedName("mixed.test"));
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void theJvmsProxySettingsAreNotUsed() throws Exception {
		try (LocalListener proxy = new LocalListener()) {
			String[] keys = { "http.proxyHost", "http.proxyPort", "http.nonProxyHosts" };
			String[] saved = new String[keys.length];
			for (int i = 0; i < keys.length; i++) {
				saved[i] = System.getProperty(keys[i]);
			}
			System.setProperty("http.proxyHost", "127.0.0.1");
			System.setProperty("http.proxyPort", String.valueOf(proxy.port()));
			System.setProperty("http.nonProxyHosts", "");
			try {
				HttpOutcome outcome = gateway(loopbackLiteral()).send(get(this.server.url("/echo")));
				assertThat(body(outcome)).isEqualTo("GET ");
			}
			finally {
				for (int i = 0; i < keys.length; i++) {
					if (saved[i] != null) {
						System.setProperty(keys[i], saved[i]);
					}
					else {
						System.clearProperty(keys[i]);
					}
				}
			}
			assertThat(proxy.newConnections()).isZero();
		}
	}

	@Test
	void anInterruptedCallEndsKeepingTheInterruptAndTheGatewayHangsUp() throws Exception {
		try (HostileHttpServer hostile = new HostileHttpServer()) {
			HttpGateway gateway = gateway(Map.of("p", List.of(hostile.origin())), Duration.ofSeconds(60), 64 * 1024, 3);
			CompletableFuture<String> ended = new CompletableFuture<>();
			Thread caller = new Thread(() -> {
				String reason = reason(gateway.send(get(hostile.url("/trickle"))));
				ended.complete(reason + (Thread.currentThread().isInterrupted() ? ", still interrupted" : ""));
			}, "interrupted-caller");
			caller.start();
			// the answer has started and holds: the caller waits for the body
			assertThat(hostile.awaitHeld()).isTrue();
			caller.interrupt();
			assertThat(ended.get(30, TimeUnit.SECONDS)).isEqualTo("the request was interrupted, still interrupted");
			hostile.release();
			assertThat(hostile.awaitHangUp()).as("the gateway hung up on the server").isTrue();
		}
	}

}
