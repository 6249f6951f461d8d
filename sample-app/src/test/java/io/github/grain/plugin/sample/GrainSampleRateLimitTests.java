package io.github.grain.plugin.sample;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller over its rate, on a real server: after its burst the sample's user gets a busy
 * result telling when to try again, and the tool does not run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "grain.plugins.directories=classpath:grain-plugins", "grain.plugins.rate-limit.burst=3",
				"grain.plugins.rate-limit.calls-per-second=0.01" })
@AutoConfigureWebTestClient(timeout = "PT60S") // a bound on waiting on a loaded machine, not a measurement
class GrainSampleRateLimitTests {

	@Autowired
	WebTestClient client;

	@BeforeEach
	void authenticate() {
		this.client = this.client.mutate().defaultHeaders(SampleCredentials::basic).build();
	}

	@Test
	void aCallerOverItsRateGetsABusyResultWithRetryAfter() {
		for (int call = 1; call <= 3; call++) {
			echo().jsonPath("$.isError").isEqualTo(false).jsonPath("$.content.n").isEqualTo(1);
		}
		echo().jsonPath("$.isError")
			.isEqualTo(true)
			.jsonPath("$.content.error")
			.value((String error) -> assertThat(error).startsWith(
					"too many tool calls from caller 'tester' (at most 0.01 a second, 3 at once); the call to tool "
							+ "'echo' was not run; try again in "))
			.jsonPath("$.content.retryAfterMs")
			.value((Number retryAfter) -> assertThat(retryAfter.longValue()).isBetween(1L, 100_000L));
	}

	private WebTestClient.BodyContentSpec echo() {
		return this.client.post()
			.uri("/api/tools/echo")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"n\":1}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody();
	}

}
