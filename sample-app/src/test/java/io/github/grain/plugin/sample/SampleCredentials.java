package io.github.grain.plugin.sample;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.http.HttpHeaders;

/** The user of {@code src/test/resources/application.properties}, as the tests authenticate. */
final class SampleCredentials {

	static final String USER = "tester";

	static final String PASSWORD = "tester-secret";

	private SampleCredentials() {
	}

	/** Add HTTP Basic credentials for the test user. */
	static void basic(HttpHeaders headers) {
		headers.setBasicAuth(USER, PASSWORD);
	}

	/** The {@code Authorization} header value for a user and password. */
	static String authorization(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
