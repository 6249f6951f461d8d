package io.github.grain.plugin.engine.host;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.egress.EgressExchange;
import io.github.grain.plugin.engine.AbiViolationException;
import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.UntrustedText;
import io.github.grain.plugin.engine.abi.VariantValue;
import io.github.grain.plugin.engine.abi.WitType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import static io.github.grain.plugin.engine.abi.WitType.borrow;
import static io.github.grain.plugin.engine.abi.WitType.caseOf;
import static io.github.grain.plugin.engine.abi.WitType.field;
import static io.github.grain.plugin.engine.abi.WitType.own;

/**
 * {@code wasi:http/types} and {@code wasi:http/outgoing-handler}: a guest's outgoing
 * request is one {@link HttpGateway} exchange, exactly as {@code http-get}/{@code http-post}
 * (the {@code http} capability, the plugin's egress policy, redirects, the response size
 * cap, the call's deadline). The gateway is synchronous, so {@code handle} answers at once
 * when the request body is already finished (or was never opened), else when the body's
 * {@code finish} is called; the future's pollable is ready from then on. Bodies are bytes end
 * to end and the host buffers them within the caps while the guest streams: the request
 * body the guest writes is bounded by the most bytes one call's parameters may lift (as
 * {@code http-post}'s body is) and refused as {@code HTTP-request-body-size} before
 * anything is sent; the response body is what the gateway read within its size cap, handed
 * to the guest in chunks through its input-stream. The methods of
 * {@link io.github.grain.plugin.egress.EgressExchange#METHODS} are sent; {@code CONNECT},
 * {@code TRACE}, {@code other(...)}, and a body on {@code GET} or {@code HEAD}, are
 * {@code HTTP-request-method-invalid} and nothing is sent. What the policy refuses reaches the guest as
 * {@code HTTP-request-denied} alone, the reason going to this host's log. There is no
 * incoming handler: an {@code incoming-request} or {@code response-outparam} handle can only
 * be bogus, and using one traps on it.
 */
final class WasiHttp {

	static final String TYPES = "wasi:http/types";

	static final String FIELDS = TYPES + "#fields";

	static final String INCOMING_REQUEST = TYPES + "#incoming-request";

	static final String OUTGOING_REQUEST = TYPES + "#outgoing-request";

	static final String REQUEST_OPTIONS = TYPES + "#request-options";

	static final String RESPONSE_OUTPARAM = TYPES + "#response-outparam";

	static final String INCOMING_RESPONSE = TYPES + "#incoming-response";

	static final String INCOMING_BODY = TYPES + "#incoming-body";

	static final String FUTURE_TRAILERS = TYPES + "#future-trailers";

	static final String OUTGOING_RESPONSE = TYPES + "#outgoing-response";

	static final String OUTGOING_BODY = TYPES + "#outgoing-body";

	static final String FUTURE_INCOMING_RESPONSE = TYPES + "#future-incoming-response";

	private static final Log logger = LogFactory.getLog(WasiHttp.class);

	private static final WitType METHOD = WitType.variant("method", caseOf("get", null), caseOf("head", null),
			caseOf("post", null), caseOf("put", null), caseOf("delete", null), caseOf("connect", null),
			caseOf("options", null), caseOf("trace", null), caseOf("patch", null), caseOf("other", WitType.string()));

	private static final List<String> METHOD_NAMES = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT",
			"OPTIONS", "TRACE", "PATCH");

	private static final WitType SCHEME = WitType.variant("scheme", caseOf("HTTP", null), caseOf("HTTPS", null),
			caseOf("other", WitType.string()));

	private static final WitType HEADER_ERROR = WitType.enumOf("header-error", "invalid-syntax", "forbidden",
			"immutable");

	private static final WitType FIELD_SIZE = WitType.record("field-size-payload",
			field("field-name", WitType.option(WitType.string())), field("field-size", WitType.option(WitType.u32())));

	/** The cases of {@code error-code} in order (the order is the discriminant). */
	private static final List<WitType.Case> ERROR_CASES = List.of(caseOf("DNS-timeout", null),
			caseOf("DNS-error",
					WitType.record("DNS-error-payload", field("rcode", WitType.option(WitType.string())),
							field("info-code", WitType.option(WitType.u16())))),
			caseOf("destination-not-found", null), caseOf("destination-unavailable", null),
			caseOf("destination-IP-prohibited", null), caseOf("destination-IP-unroutable", null),
			caseOf("connection-refused", null), caseOf("connection-terminated", null),
			caseOf("connection-timeout", null), caseOf("connection-read-timeout", null),
			caseOf("connection-write-timeout", null), caseOf("connection-limit-reached", null),
			caseOf("TLS-protocol-error", null), caseOf("TLS-certificate-error", null),
			caseOf("TLS-alert-received",
					WitType.record("TLS-alert-received-payload", field("alert-id", WitType.option(WitType.u8())),
							field("alert-message", WitType.option(WitType.string())))),
			caseOf("HTTP-request-denied", null), caseOf("HTTP-request-length-required", null),
			caseOf("HTTP-request-body-size", WitType.option(WitType.u64())),
			caseOf("HTTP-request-method-invalid", null), caseOf("HTTP-request-URI-invalid", null),
			caseOf("HTTP-request-URI-too-long", null),
			caseOf("HTTP-request-header-section-size", WitType.option(WitType.u32())),
			caseOf("HTTP-request-header-size", WitType.option(FIELD_SIZE)),
			caseOf("HTTP-request-trailer-section-size", WitType.option(WitType.u32())),
			caseOf("HTTP-request-trailer-size", FIELD_SIZE), caseOf("HTTP-response-incomplete", null),
			caseOf("HTTP-response-header-section-size", WitType.option(WitType.u32())),
			caseOf("HTTP-response-header-size", FIELD_SIZE),
			caseOf("HTTP-response-body-size", WitType.option(WitType.u64())),
			caseOf("HTTP-response-trailer-section-size", WitType.option(WitType.u32())),
			caseOf("HTTP-response-trailer-size", FIELD_SIZE),
			caseOf("HTTP-response-transfer-coding", WitType.option(WitType.string())),
			caseOf("HTTP-response-content-coding", WitType.option(WitType.string())),
			caseOf("HTTP-response-timeout", null), caseOf("HTTP-upgrade-failed", null),
			caseOf("HTTP-protocol-error", null), caseOf("loop-detected", null), caseOf("configuration-error", null),
			caseOf("internal-error", WitType.option(WitType.string())));

	static final WitType ERROR_CODE = WitType.variant("error-code", ERROR_CASES.toArray(new WitType.Case[0]));

	/**
	 * Headers a guest may not set: the host derives them from the request (the authority
	 * names the host) or the transport owns them.
	 */
	private static final Set<String> FORBIDDEN = Set.of("host", "connection", "keep-alive", "proxy-connection",
			"transfer-encoding", "upgrade", "te", "http2-settings");

	/** Headers a guest may set (fetch sets it) but the transport computes from the body. */
	private static final String CONTENT_LENGTH = "content-length";

	private WasiHttp() {
	}

	/** {@code error-code.<name>(payload)}. */
	static VariantValue errorCode(String name, @Nullable Object payload) {
		for (int i = 0; i < ERROR_CASES.size(); i++) {
			if (ERROR_CASES.get(i).name().equals(name)) {
				return new VariantValue(i, payload);
			}
		}
		throw new IllegalArgumentException("no error-code case " + name);
	}

	private static VariantValue internalError(String reason) {
		return errorCode("internal-error", VariantValue.some(reason));
	}

	static void define() {
		WitType key = WitType.string();
		WitType value = WitType.list(WitType.u8());
		WitType entries = WitType.list(WitType.tuple(key, value));
		WitType headerResult = WitType.result(null, HEADER_ERROR);
		WitType unitResult = WitType.result(null, null);

		// fields (headers and trailers)
		WasiPreview2.resource(TYPES, FIELDS);
		WasiPreview2.define(TYPES, "[constructor]fields", List.of(), own(FIELDS), (context, args) -> new Fields());
		WasiPreview2.define(TYPES, "[static]fields.from-list", List.of(field("entries", entries)),
				WitType.result(own(FIELDS), HEADER_ERROR), (context, args) -> {
					Fields fields = new Fields();
					for (Object entry : (List<?>) args.get(0)) {
						List<?> pair = (List<?>) entry;
						VariantValue appended = fields.append((String) pair.get(0), WasiPreview2.bytes(pair.get(1)));
						if (appended.caseIndex() != 0) {
							return appended;
						}
					}
					return VariantValue.ok(fields);
				});
		WasiPreview2.define(TYPES, "[method]fields.get", WasiPreview2.self(FIELDS, field("name", key)),
				WitType.list(value), (context, args) -> fields(args).values((String) args.get(1)));
		WasiPreview2.define(TYPES, "[method]fields.has", WasiPreview2.self(FIELDS, field("name", key)),
				WitType.bool(), (context, args) -> !fields(args).values((String) args.get(1)).isEmpty());
		WasiPreview2.define(TYPES, "[method]fields.set",
				List.of(field("self", borrow(FIELDS)), field("name", key), field("value", WitType.list(value))),
				headerResult, (context, args) -> {
					List<byte[]> values = new ArrayList<>();
					for (Object one : (List<?>) args.get(2)) {
						values.add(WasiPreview2.bytes(one));
					}
					return fields(args).set((String) args.get(1), values);
				});
		WasiPreview2.define(TYPES, "[method]fields.delete", WasiPreview2.self(FIELDS, field("name", key)),
				headerResult, (context, args) -> fields(args).set((String) args.get(1), List.of()));
		WasiPreview2.define(TYPES, "[method]fields.append",
				List.of(field("self", borrow(FIELDS)), field("name", key), field("value", value)), headerResult,
				(context, args) -> fields(args).append((String) args.get(1), WasiPreview2.bytes(args.get(2))));
		WasiPreview2.define(TYPES, "[method]fields.entries", WasiPreview2.self(FIELDS), entries,
				(context, args) -> fields(args).entries());
		WasiPreview2.define(TYPES, "[method]fields.clone", WasiPreview2.self(FIELDS), own(FIELDS),
				(context, args) -> fields(args).copy(false));

		// outgoing-request
		WasiPreview2.resource(TYPES, OUTGOING_REQUEST);
		WasiPreview2.define(TYPES, "[constructor]outgoing-request", List.of(field("headers", own(FIELDS))),
				own(OUTGOING_REQUEST), (context, args) -> new OutgoingRequest((Fields) args.get(0)));
		WasiPreview2.defineBounded(TYPES, "[method]outgoing-request.body", WasiPreview2.self(OUTGOING_REQUEST),
				WitType.result(own(OUTGOING_BODY), null),
				(context, args, maxBytes) -> request(args).openBody(maxBytes));
		WasiPreview2.define(TYPES, "[method]outgoing-request.method", WasiPreview2.self(OUTGOING_REQUEST), METHOD,
				(context, args) -> request(args).method);
		WasiPreview2.define(TYPES, "[method]outgoing-request.set-method",
				WasiPreview2.self(OUTGOING_REQUEST, field("method", METHOD)), unitResult, (context, args) -> {
					request(args).method = (VariantValue) args.get(1);
					return VariantValue.ok(null);
				});
		WasiPreview2.define(TYPES, "[method]outgoing-request.path-with-query", WasiPreview2.self(OUTGOING_REQUEST),
				WitType.option(WitType.string()), (context, args) -> request(args).pathWithQuery);
		WasiPreview2.define(TYPES, "[method]outgoing-request.set-path-with-query",
				WasiPreview2.self(OUTGOING_REQUEST, field("path-with-query", WitType.option(WitType.string()))),
				unitResult, (context, args) -> {
					request(args).pathWithQuery = (VariantValue) args.get(1);
					return VariantValue.ok(null);
				});
		WasiPreview2.define(TYPES, "[method]outgoing-request.scheme", WasiPreview2.self(OUTGOING_REQUEST),
				WitType.option(SCHEME), (context, args) -> request(args).scheme);
		WasiPreview2.define(TYPES, "[method]outgoing-request.set-scheme",
				WasiPreview2.self(OUTGOING_REQUEST, field("scheme", WitType.option(SCHEME))), unitResult,
				(context, args) -> {
					request(args).scheme = (VariantValue) args.get(1);
					return VariantValue.ok(null);
				});
		WasiPreview2.define(TYPES, "[method]outgoing-request.authority", WasiPreview2.self(OUTGOING_REQUEST),
				WitType.option(WitType.string()), (context, args) -> request(args).authority);
		WasiPreview2.define(TYPES, "[method]outgoing-request.set-authority",
				WasiPreview2.self(OUTGOING_REQUEST, field("authority", WitType.option(WitType.string()))), unitResult,
				(context, args) -> {
					request(args).authority = (VariantValue) args.get(1);
					return VariantValue.ok(null);
				});
		WasiPreview2.define(TYPES, "[method]outgoing-request.headers", WasiPreview2.self(OUTGOING_REQUEST),
				own(FIELDS), (context, args) -> request(args).headers.copy(true));

		// outgoing-body
		WasiPreview2.resource(TYPES, OUTGOING_BODY);
		WasiPreview2.define(TYPES, "[method]outgoing-body.write", WasiPreview2.self(OUTGOING_BODY),
				WitType.result(own(WasiPreview2.OUTPUT_STREAM), null),
				(context, args) -> ((OutgoingBody) args.get(0)).openStream());
		WasiPreview2.define(TYPES, "[static]outgoing-body.finish",
				List.of(field("this", own(OUTGOING_BODY)), field("trailers", WitType.option(own(FIELDS)))),
				WitType.result(null, ERROR_CODE), (context, args) -> ((OutgoingBody) args.get(0)).finish(context));

		// outgoing-handler
		WasiPreview2.define("wasi:http/outgoing-handler", "handle",
				List.of(field("request", own(OUTGOING_REQUEST)),
						field("options", WitType.option(own(REQUEST_OPTIONS)))),
				WitType.result(own(FUTURE_INCOMING_RESPONSE), ERROR_CODE),
				(context, args) -> VariantValue.ok(((OutgoingRequest) args.get(0)).handle(context)));

		// future-incoming-response
		WasiPreview2.resource(TYPES, FUTURE_INCOMING_RESPONSE);
		WasiPreview2.define(TYPES, "[method]future-incoming-response.subscribe",
				WasiPreview2.self(FUTURE_INCOMING_RESPONSE), own(WasiPreview2.POLLABLE), (context, args) -> {
					FutureResponse future = (FutureResponse) args.get(0);
					return WasiResources.Pollable.when(() -> future.answer != null);
				});
		WasiPreview2.define(TYPES, "[method]future-incoming-response.get", WasiPreview2.self(FUTURE_INCOMING_RESPONSE),
				WitType.option(WitType.result(WitType.result(own(INCOMING_RESPONSE), ERROR_CODE), null)),
				(context, args) -> ((FutureResponse) args.get(0)).get());

		// incoming-response and incoming-body
		WasiPreview2.resource(TYPES, INCOMING_RESPONSE);
		WasiPreview2.define(TYPES, "[method]incoming-response.status", WasiPreview2.self(INCOMING_RESPONSE),
				WitType.u16(), (context, args) -> ((IncomingResponse) args.get(0)).status);
		WasiPreview2.define(TYPES, "[method]incoming-response.headers", WasiPreview2.self(INCOMING_RESPONSE),
				own(FIELDS), (context, args) -> ((IncomingResponse) args.get(0)).headers.copy(true));
		WasiPreview2.define(TYPES, "[method]incoming-response.consume", WasiPreview2.self(INCOMING_RESPONSE),
				WitType.result(own(INCOMING_BODY), null), (context, args) -> ((IncomingResponse) args.get(0)).consume());
		WasiPreview2.resource(TYPES, INCOMING_BODY);
		WasiPreview2.define(TYPES, "[method]incoming-body.stream", WasiPreview2.self(INCOMING_BODY),
				WitType.result(own(WasiPreview2.INPUT_STREAM), null),
				(context, args) -> ((IncomingBody) args.get(0)).openStream());
		WasiPreview2.define(TYPES, "[static]incoming-body.finish", List.of(field("this", own(INCOMING_BODY))),
				own(FUTURE_TRAILERS), (context, args) -> new FutureTrailers());
		WasiPreview2.resource(TYPES, FUTURE_TRAILERS);
		WasiPreview2.define(TYPES, "[method]future-trailers.subscribe", WasiPreview2.self(FUTURE_TRAILERS),
				own(WasiPreview2.POLLABLE), (context, args) -> WasiResources.Pollable.READY);
		WasiPreview2.define(TYPES, "[method]future-trailers.get", WasiPreview2.self(FUTURE_TRAILERS),
				WitType.option(WitType.result(WitType.result(WitType.option(own(FIELDS)), ERROR_CODE), null)),
				(context, args) -> ((FutureTrailers) args.get(0)).get());

		// outgoing-response: a guest may build one, but with no incoming handler nothing sends it
		WasiPreview2.resource(TYPES, OUTGOING_RESPONSE);
		WasiPreview2.define(TYPES, "[constructor]outgoing-response", List.of(field("headers", own(FIELDS))),
				own(OUTGOING_RESPONSE), (context, args) -> new OutgoingResponse((Fields) args.get(0)));
		WasiPreview2.define(TYPES, "[method]outgoing-response.status-code", WasiPreview2.self(OUTGOING_RESPONSE),
				WitType.u16(), (context, args) -> ((OutgoingResponse) args.get(0)).status);
		WasiPreview2.define(TYPES, "[method]outgoing-response.set-status-code",
				WasiPreview2.self(OUTGOING_RESPONSE, field("status-code", WitType.u16())), unitResult,
				(context, args) -> {
					int status = (Integer) args.get(1);
					if (status < 100 || status > 599) {
						return VariantValue.err(null);
					}
					((OutgoingResponse) args.get(0)).status = status;
					return VariantValue.ok(null);
				});
		WasiPreview2.define(TYPES, "[method]outgoing-response.headers", WasiPreview2.self(OUTGOING_RESPONSE),
				own(FIELDS), (context, args) -> ((OutgoingResponse) args.get(0)).headers.copy(true));
		WasiPreview2.defineBounded(TYPES, "[method]outgoing-response.body", WasiPreview2.self(OUTGOING_RESPONSE),
				WitType.result(own(OUTGOING_BODY), null),
				(context, args, maxBytes) -> ((OutgoingResponse) args.get(0)).openBody(maxBytes));

		// what only an incoming handler would hand out: any handle is bogus and traps on lifting
		WasiPreview2.resource(TYPES, INCOMING_REQUEST);
		WasiPreview2.resource(TYPES, RESPONSE_OUTPARAM);
		WasiPreview2.define(TYPES, "[method]incoming-request.method", WasiPreview2.self(INCOMING_REQUEST), METHOD,
				WasiHttp::unreachable);
		for (String name : List.of("path-with-query", "authority")) {
			WasiPreview2.define(TYPES, "[method]incoming-request." + name, WasiPreview2.self(INCOMING_REQUEST),
					WitType.option(WitType.string()), WasiHttp::unreachable);
		}
		WasiPreview2.define(TYPES, "[method]incoming-request.scheme", WasiPreview2.self(INCOMING_REQUEST),
				WitType.option(SCHEME), WasiHttp::unreachable);
		WasiPreview2.define(TYPES, "[method]incoming-request.headers", WasiPreview2.self(INCOMING_REQUEST),
				own(FIELDS), WasiHttp::unreachable);
		WasiPreview2.define(TYPES, "[method]incoming-request.consume", WasiPreview2.self(INCOMING_REQUEST),
				WitType.result(own(INCOMING_BODY), null), WasiHttp::unreachable);
		WasiPreview2.define(TYPES, "[static]response-outparam.set",
				List.of(field("param", own(RESPONSE_OUTPARAM)),
						field("response", WitType.result(own(OUTGOING_RESPONSE), ERROR_CODE))),
				null, WasiHttp::unreachable);

		WasiPreview2.define(TYPES, "http-error-code", List.of(field("err", borrow(WasiPreview2.IO_ERROR))),
				WitType.option(ERROR_CODE), (context, args) -> VariantValue.none());
	}

	/** Lifting the handle already trapped; a host that never hands one out gets no further. */
	private static Object unreachable(PluginHostContext context, List<Object> args) {
		throw new AbiViolationException("wasi:http reached a resource this host never hands out");
	}

	private static Fields fields(List<Object> args) {
		return (Fields) args.get(0);
	}

	private static OutgoingRequest request(List<Object> args) {
		return (OutgoingRequest) args.get(0);
	}

	private static @Nullable String utf8(byte[] bytes) {
		try {
			return UntrustedText.decodeUtf8(bytes);
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	private static boolean isToken(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
			if (!token) {
				return false;
			}
		}
		return true;
	}

	private static boolean isFieldValue(byte[] value) {
		for (byte b : value) {
			if (b == '\r' || b == '\n' || b == 0) {
				return false;
			}
		}
		return utf8(value) != null;
	}

	/** {@code fields}: headers or trailers, in order; names compare case-insensitively. */
	static final class Fields {

		private final List<Map.Entry<String, byte[]>> entries;

		private final boolean immutable;

		Fields() {
			this(new ArrayList<>(), false);
		}

		private Fields(List<Map.Entry<String, byte[]>> entries, boolean immutable) {
			this.entries = entries;
			this.immutable = immutable;
		}

		/** Another handle's view: the same entries, read-only when {@code immutable}. */
		Fields copy(boolean immutable) {
			return new Fields(immutable ? this.entries : new ArrayList<>(this.entries), immutable);
		}

		List<byte[]> values(String name) {
			List<byte[]> values = new ArrayList<>();
			for (Map.Entry<String, byte[]> entry : this.entries) {
				if (entry.getKey().equalsIgnoreCase(name)) {
					values.add(entry.getValue());
				}
			}
			return values;
		}

		List<Object> entries() {
			List<Object> out = new ArrayList<>();
			for (Map.Entry<String, byte[]> entry : this.entries) {
				out.add(List.of(entry.getKey(), entry.getValue()));
			}
			return out;
		}

		VariantValue append(String name, byte[] value) {
			VariantValue refused = refuse(name, List.of(value));
			if (refused != null) {
				return refused;
			}
			this.entries.add(Map.entry(name, value));
			return VariantValue.ok(null);
		}

		VariantValue set(String name, List<byte[]> values) {
			VariantValue refused = refuse(name, values);
			if (refused != null) {
				return refused;
			}
			this.entries.removeIf((entry) -> entry.getKey().equalsIgnoreCase(name));
			for (byte[] value : values) {
				this.entries.add(Map.entry(name, value));
			}
			return VariantValue.ok(null);
		}

		private @Nullable VariantValue refuse(String name, List<byte[]> values) {
			if (this.immutable) {
				return VariantValue.err(new VariantValue(2, null));
			}
			if (!isToken(name) || !values.stream().allMatch(WasiHttp::isFieldValue)) {
				return VariantValue.err(new VariantValue(0, null));
			}
			if (FORBIDDEN.contains(name.toLowerCase(Locale.ROOT))) {
				return VariantValue.err(new VariantValue(1, null));
			}
			return null;
		}

		/** The entries as the gateway takes them (values checked as UTF-8 when set). */
		List<Map.Entry<String, String>> forGateway() {
			List<Map.Entry<String, String>> out = new ArrayList<>();
			for (Map.Entry<String, byte[]> entry : this.entries) {
				if (!entry.getKey().equalsIgnoreCase(CONTENT_LENGTH)) {
					out.add(Map.entry(entry.getKey(), new String(entry.getValue(), StandardCharsets.UTF_8)));
				}
			}
			return out;
		}

		static Fields of(List<Map.Entry<String, String>> headers) {
			List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
			for (Map.Entry<String, String> header : headers) {
				entries.add(Map.entry(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8)));
			}
			return new Fields(entries, true);
		}

	}

	/** {@code outgoing-request}: built by the guest, sent by {@code handle}. */
	static final class OutgoingRequest {

		final Fields headers;

		VariantValue method = new VariantValue(0, null);

		VariantValue pathWithQuery = VariantValue.none();

		VariantValue scheme = VariantValue.none();

		VariantValue authority = VariantValue.none();

		private @Nullable OutgoingBody body;

		OutgoingRequest(Fields headers) {
			this.headers = headers.copy(true);
		}

		VariantValue openBody(long maxBytes) {
			if (this.body != null) {
				return VariantValue.err(null);
			}
			this.body = new OutgoingBody(maxBytes);
			return VariantValue.ok(this.body);
		}

		/** Send now if the body is complete, else when it is finished. */
		FutureResponse handle(PluginHostContext context) {
			FutureResponse future = new FutureResponse();
			if (this.body == null) {
				future.answer = exchange(context, new byte[0]);
			}
			else {
				this.body.sendWhenFinished(this, future);
				if (this.body.finished) {
					future.answer = exchange(context, this.body.output.bytes());
				}
			}
			return future;
		}

		VariantValue exchange(PluginHostContext context, byte[] body) {
			String refusal = refusal(context);
			if (refusal != null) {
				logger.info("wasi:http request of plugin '" + context.plugin() + "' refused: " + refusal);
				return VariantValue.ok(VariantValue.err(errorCode("HTTP-request-denied", null)));
			}
			int methodIndex = this.method.caseIndex();
			String methodName = (methodIndex < METHOD_NAMES.size()) ? METHOD_NAMES.get(methodIndex) : "other";
			boolean bodiless = methodName.equals("GET") || methodName.equals("HEAD");
			if (!EgressExchange.METHODS.contains(methodName) || (bodiless && body.length > 0)) {
				logger.debug("wasi:http request of plugin '" + context.plugin() + "' not sent: method " + methodName
						+ (bodiless ? " with a body" : "") + " is not one this host sends");
				return VariantValue.ok(VariantValue.err(errorCode("HTTP-request-method-invalid", null)));
			}
			String url = url();
			if (url == null) {
				return VariantValue.ok(VariantValue.err(errorCode("HTTP-request-URI-invalid", null)));
			}
			Duration budget = GuestCallState.remaining();
			if (budget != null && (budget.isNegative() || budget.isZero())) {
				return VariantValue.ok(VariantValue.err(errorCode("HTTP-response-timeout", null)));
			}
			HttpOutcome outcome;
			try {
				outcome = context.httpGateway()
					.send(new HttpRequest(context.plugin(), methodName, url, this.headers.forGateway(),
							bodiless ? null : body, budget));
			}
			catch (RuntimeException ex) {
				outcome = new HttpOutcome.Failure("http request failed: " + ex.getClass().getSimpleName());
			}
			if (outcome instanceof HttpOutcome.Response response) {
				return VariantValue.ok(VariantValue.ok(
						new IncomingResponse(response.status(), Fields.of(response.headers()), response.body())));
			}
			HttpOutcome.Failure failure = (HttpOutcome.Failure) outcome;
			if (failure.denied()) {
				logger.info("wasi:http request of plugin '" + context.plugin() + "' refused: " + failure.reason());
				return VariantValue.ok(VariantValue.err(errorCode("HTTP-request-denied", null)));
			}
			return VariantValue.ok(VariantValue.err(internalError(failure.reason())));
		}

		private static @Nullable String refusal(PluginHostContext context) {
			return context.granted(Capability.HTTP) ? null : GrainHostImports.HTTP_NOT_GRANTED;
		}

		/** {@code scheme://authority/path?query}, {@code null} when it cannot be one. */
		private @Nullable String url() {
			String scheme = "https";
			if (this.scheme.caseIndex() == 1) {
				VariantValue chosen = (VariantValue) this.scheme.payload();
				if (chosen.caseIndex() == 0) {
					scheme = "http";
				}
				else if (chosen.caseIndex() == 2) {
					return null;
				}
			}
			if (this.authority.caseIndex() != 1) {
				return null;
			}
			String path = (this.pathWithQuery.caseIndex() == 1) ? (String) this.pathWithQuery.payload() : "/";
			if (!path.startsWith("/")) {
				return null;
			}
			return scheme + "://" + this.authority.payload() + path;
		}

	}

	/** {@code outgoing-body}: the request body the guest writes, then finishes. */
	static final class OutgoingBody implements AutoCloseable {

		final BodyOutput output;

		private boolean streamOpened;

		boolean finished;

		private @Nullable OutgoingRequest request;

		private @Nullable FutureResponse pending;

		OutgoingBody(long maxBytes) {
			this.output = new BodyOutput(maxBytes);
		}

		VariantValue openStream() {
			if (this.streamOpened) {
				return VariantValue.err(null);
			}
			this.streamOpened = true;
			return VariantValue.ok(this.output);
		}

		void sendWhenFinished(OutgoingRequest request, FutureResponse future) {
			this.request = request;
			this.pending = future;
		}

		VariantValue finish(PluginHostContext context) {
			this.finished = true;
			if (this.output.overflowed) {
				VariantValue tooLarge = errorCode("HTTP-request-body-size", VariantValue.some(this.output.written));
				if (this.pending != null) {
					this.pending.answer = VariantValue.ok(VariantValue.err(tooLarge));
				}
				return VariantValue.err(tooLarge);
			}
			if (this.pending != null && this.request != null) {
				this.pending.answer = this.request.exchange(context, this.output.bytes());
			}
			return VariantValue.ok(null);
		}

		/** Dropped without {@code finish}: a request already handed over is never sent. */
		@Override
		public void close() {
			if (!this.finished && this.pending != null && this.pending.answer == null) {
				this.pending.answer = VariantValue.ok(VariantValue.err(internalError(
						"the request body was dropped before it was finished")));
			}
		}

	}

	/** The output stream of an {@code outgoing-body}: at most the call's parameter cap. */
	static final class BodyOutput implements WasiResources.Output {

		private final long maxBytes;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		long written;

		boolean overflowed;

		BodyOutput(long maxBytes) {
			this.maxBytes = maxBytes;
		}

		@Override
		public VariantValue write(byte[] chunk) {
			this.written += chunk.length;
			if (this.overflowed || this.written > this.maxBytes) {
				this.overflowed = true;
				return VariantValue.err(
						WasiResources.failed("the request body is larger than " + this.maxBytes + " bytes"));
			}
			this.bytes.write(chunk, 0, chunk.length);
			return VariantValue.ok(null);
		}

		@Override
		public void flush() {
		}

		byte[] bytes() {
			return this.bytes.toByteArray();
		}

	}

	/** {@code future-incoming-response}: answered once, taken once. */
	static final class FutureResponse {

		@Nullable VariantValue answer;

		private boolean taken;

		VariantValue get() {
			if (this.answer == null) {
				return VariantValue.none();
			}
			if (this.taken) {
				return VariantValue.some(VariantValue.err(null));
			}
			this.taken = true;
			return VariantValue.some(this.answer);
		}

	}

	/** {@code incoming-response}: the gateway's answer. */
	static final class IncomingResponse {

		final int status;

		final Fields headers;

		private final byte[] body;

		private boolean consumed;

		IncomingResponse(int status, Fields headers, byte[] body) {
			this.status = status;
			this.headers = headers;
			this.body = body;
		}

		VariantValue consume() {
			if (this.consumed) {
				return VariantValue.err(null);
			}
			this.consumed = true;
			return VariantValue.ok(new IncomingBody(this.body));
		}

	}

	/** {@code incoming-body}: one stream over the response body. */
	static final class IncomingBody {

		private final byte[] body;

		private boolean streamOpened;

		IncomingBody(byte[] body) {
			this.body = body;
		}

		VariantValue openStream() {
			if (this.streamOpened) {
				return VariantValue.err(null);
			}
			this.streamOpened = true;
			return VariantValue.ok(new WasiResources.BytesInput(this.body));
		}

	}

	/** {@code future-trailers}: the gateway keeps no trailers, so none, at once. */
	static final class FutureTrailers {

		private boolean taken;

		VariantValue get() {
			if (this.taken) {
				return VariantValue.some(VariantValue.err(null));
			}
			this.taken = true;
			return VariantValue.some(VariantValue.ok(VariantValue.ok(VariantValue.none())));
		}

	}

	/** {@code outgoing-response}: buildable, never sent (no incoming handler). */
	static final class OutgoingResponse {

		final Fields headers;

		int status = 200;

		private boolean bodyOpened;

		OutgoingResponse(Fields headers) {
			this.headers = headers.copy(true);
		}

		VariantValue openBody(long maxBytes) {
			if (this.bodyOpened) {
				return VariantValue.err(null);
			}
			this.bodyOpened = true;
			return VariantValue.ok(new OutgoingBody(maxBytes));
		}

	}

}
