package io.github.grain.plugin.engine.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.grain.plugin.engine.abi.VariantValue;

/**
 * What a gateway answers: for {@code http-get}/{@code http-post} the WIT
 * {@code result<http-response, string>} (the body decoded as UTF-8), for {@code wasi:http}
 * the response with its body as bytes.
 */
public sealed interface HttpOutcome {

	/** This outcome as the WIT value {@code result<http-response, string>}, ready to lower. */
	default VariantValue toWitResult() {
		if (this instanceof Response response) {
			List<Object> headers = new ArrayList<>();
			for (Map.Entry<String, String> header : response.headers()) {
				headers.add(List.of(header.getKey(), header.getValue()));
			}
			return VariantValue.ok(List.of(response.status(), headers, response.text()));
		}
		return VariantValue.err(((Failure) this).reason());
	}

	/**
	 * {@code ok(http-response)}.
	 * @param status the HTTP status code (0..65535)
	 * @param headers the response headers in order
	 * @param body the body as received, at most the gateway's size cap
	 */
	record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) implements HttpOutcome {

		public Response {
			if (status < 0 || status > 0xFFFF) {
				throw new IllegalArgumentException("status out of u16 range: " + status);
			}
			headers = List.copyOf(headers);
			body = body.clone();
		}

		/** A response whose body is {@code text} in UTF-8. */
		public Response(int status, List<Map.Entry<String, String>> headers, String text) {
			this(status, headers, text.getBytes(StandardCharsets.UTF_8));
		}

		/**
		 * The body decoded as UTF-8, malformed sequences replaced by U+FFFD: what
		 * {@code http-get}/{@code http-post} hand the guest.
		 */
		public String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

	/**
	 * {@code err(reason)}.
	 * @param reason a message for the guest; never contains secrets
	 * @param denied whether the egress policy refused the destination (the URL, or the
	 * addresses its name resolved to), as opposed to a request that failed or was malformed:
	 * a {@code wasi:http} guest then sees {@code HTTP-request-denied} and nothing more
	 */
	record Failure(String reason, boolean denied) implements HttpOutcome {

		/** A failure that is not a refusal under the egress policy. */
		public Failure(String reason) {
			this(reason, false);
		}

		/** A refusal under the egress policy. */
		public static Failure deniedBecause(String reason) {
			return new Failure(reason, true);
		}

	}

}
