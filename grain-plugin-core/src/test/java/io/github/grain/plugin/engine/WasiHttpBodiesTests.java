package io.github.grain.plugin.engine;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.egress.TestHttpServer;
import io.github.grain.plugin.engine.host.JdkHttpGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wasi:http} bodies are bytes end to end and every method a tool needs is sent: the
 * C guest {@code wasi_http.c} ({@code send}) writes a request body of {@code i mod 256}
 * bytes through its output-stream and reads the response through its input-stream in
 * chunks, reporting the bytes' FNV-1a (and hex up to 512 bytes); a real server on
 * 127.0.0.1 records what arrives.
 */
@Tag("runtime")
class WasiHttpBodiesTests {

	private static final String PLUGIN = "wasi-http";

	private static final int MAX_RESPONSE_BYTES = 1024 * 1024;

	private TestHttpServer server;

	private PluginEngine engine;

	private LoadedPlugin plugin;

	@BeforeEach
	void start() throws Exception {
		this.server = new TestHttpServer();
		JdkHttpGateway gateway = new JdkHttpGateway(EgressPolicy.of(Map.of(PLUGIN, List.of(this.server.origin()))),
				Duration.ofSeconds(30), MAX_RESPONSE_BYTES, 3);
		this.engine = new PluginEngine(
				Fixtures.options().withHttpGateway(gateway).withCallTimeout(Duration.ofSeconds(60)));
		this.plugin = this.engine.load(Fixtures.core(PLUGIN, EnumSet.of(Capability.LOG, Capability.HTTP)));
	}

	@AfterEach
	void stop() {
		this.engine.close();
		this.server.close();
	}

	private String send(String method, String path, String... bodyAndChunk) {
		StringBuilder args = new StringBuilder("{\"authority\":\"" + this.server.origin().substring("http://".length())
				+ "\",\"method\":\"" + method + "\",\"path\":\"" + path + "\"");
		if (bodyAndChunk.length > 0 && !bodyAndChunk[0].isEmpty()) {
			args.append(",\"body\":\"").append(bodyAndChunk[0]).append('"');
		}
		if (bodyAndChunk.length > 1) {
			args.append(",\"chunk\":\"").append(bodyAndChunk[1]).append('"');
		}
		return this.plugin.callTool("send", args.append('}').toString()).contentJson();
	}

	private static String fnv1a(byte[] bytes) {
		long hash = 0xcbf29ce484222325L;
		for (byte b : bytes) {
			hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
		}
		return String.format("%016x", hash);
	}

	/** What the guest writes as a body of {@code n} bytes. */
	private static byte[] guestBody(int n) {
		byte[] bytes = new byte[n];
		for (int i = 0; i < n; i++) {
			bytes[i] = (byte) i;
		}
		return bytes;
	}

	@Test
	void aResponseOfEveryByteValueReachesTheGuestByteExact() {
		byte[] expected = TestHttpServer.pattern(256);
		assertThat(send("get", "/bytes?n=256")).isEqualTo("{\"status\":200,\"bytes\":256,\"reads\":1,\"fnv1a\":\""
				+ fnv1a(expected) + "\",\"hex\":\"" + HexFormat.of().formatHex(expected) + "\"}");
	}

	@Test
	void aLargerBinaryResponseReachesTheGuestByteExactInChunks() {
		byte[] expected = TestHttpServer.pattern(300_000);
		assertThat(send("get", "/bytes?n=300000", "", "65536"))
			.isEqualTo("{\"status\":200,\"bytes\":300000,\"reads\":5,\"fnv1a\":\"" + fnv1a(expected) + "\"}");
	}

	@Test
	void aBinaryRequestBodyReachesTheServerByteExact() {
		for (String method : List.of("put", "post")) {
			assertThat(send(method, "/record", "70000")).as(method).startsWith("{\"status\":204,\"bytes\":0,");
		}
		assertThat(this.server.requests).containsExactly("PUT /record", "POST /record");
		assertThat(this.server.bodies).hasSize(2)
			.allSatisfy((received) -> assertThat(received).isEqualTo(guestBody(70_000)));
	}

	@Test
	void putPatchDeleteOptionsAndHeadArriveWithTheirMethodAndHeadWithoutABody() {
		for (String method : List.of("put", "patch", "delete", "options")) {
			assertThat(send(method, "/headers")).as(method).contains("\"status\":200,");
		}
		assertThat(send("head", "/bytes?n=5000")).as("HEAD declares 5000 bytes and sends none")
			.startsWith("{\"status\":200,\"bytes\":0,\"reads\":0,");
		assertThat(this.server.requests).containsExactly("PUT /headers", "PATCH /headers", "DELETE /headers",
				"OPTIONS /headers", "HEAD /bytes");
		assertThat(send("patch", "/record", "3")).startsWith("{\"status\":204,");
		assertThat(this.server.bodies).singleElement().isEqualTo(new byte[] { 0, 1, 2 });
	}

	@Test
	void connectTraceOtherMethodsAndABodyOnGetAreRefusedAndNeverSent() {
		for (String method : List.of("connect", "trace", "PROPFIND")) {
			assertThat(send(method, "/record")).as(method).isEqualTo("{\"get\":\"HTTP-request-method-invalid\"}");
		}
		assertThat(send("get", "/record", "10")).isEqualTo("{\"get\":\"HTTP-request-method-invalid\"}");
		assertThat(send("head", "/record", "10")).isEqualTo("{\"get\":\"HTTP-request-method-invalid\"}");
		assertThat(this.server.requests).isEmpty();
	}

	@Test
	void theResponseSizeCapStillHolds() {
		assertThat(send("get", "/bytes?n=" + MAX_RESPONSE_BYTES, "", "65536"))
			.startsWith("{\"status\":200,\"bytes\":" + MAX_RESPONSE_BYTES + ",\"reads\":16,");
		assertThat(send("get", "/bytes?n=" + (MAX_RESPONSE_BYTES + 1))).isEqualTo("{\"get\":\"internal-error\"}");
	}

}
