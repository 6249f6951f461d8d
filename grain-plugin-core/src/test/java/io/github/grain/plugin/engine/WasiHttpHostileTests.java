package io.github.grain.plugin.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.engine.host.JdkHttpGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A guest importing {@code wasi:http} directly ({@code wasi_http.c}): exact
 * {@code error-code}s and {@code header-error}s where a JavaScript {@code fetch} would hide
 * them, misuse answered as the WIT says (a second {@code get}, {@code consume} or
 * {@code stream} is {@code err}), a 2 GiB read bounded, and bogus or dropped handles
 * failing only that call.
 */
@Tag("runtime")
class WasiHttpHostileTests {

	private static final String PLUGIN = "wasi-http";

	private static LoopbackHttpServer server;

	private static PluginEngine engine;

	private static LoadedPlugin plugin;

	@BeforeAll
	static void start() throws Exception {
		server = new LoopbackHttpServer();
		JdkHttpGateway gateway = new JdkHttpGateway(EgressPolicy.of(Map.of(PLUGIN, List.of(server.origin()))),
				Duration.ofSeconds(30), 1024 * 1024, 3);
		engine = new PluginEngine(Fixtures.options().withHttpGateway(gateway).withCallTimeout(Duration.ofSeconds(60)));
		plugin = engine.load(Fixtures.core(PLUGIN, EnumSet.of(Capability.LOG, Capability.HTTP)));
	}

	@AfterAll
	static void stop() {
		engine.close();
		server.close();
	}

	private static String args() {
		return "{\"authority\":\"" + server.origin().substring("http://".length()) + "\"}";
	}

	@Test
	void invalidAndForbiddenHeaderNamesAreRefusedWithTheirHeaderError() {
		assertThat(plugin.callTool("headers", "{}").contentJson()).isEqualTo(
				"{\"from_list\":[\"invalid-syntax\",\"forbidden\",\"ok\"],\"append\":[\"invalid-syntax\",\"forbidden\",\"ok\"]}");
	}

	@Test
	void aRequestBodyOverTheCapIsRefusedAsHttpRequestBodySizeAndNothingIsSent() {
		int before = server.requests();
		String result = plugin.callTool("body_over_cap", args()).contentJson();
		assertThat(result).matches("\\{\"chunks\":\\d+,\"write\":\"err\",\"finish\":\"HTTP-request-body-size\","
				+ "\"get\":\"HTTP-request-body-size\"\\}");
		assertThat(result).doesNotContain("\"chunks\":64");
		assertThat(server.requests()).isEqualTo(before);
	}

	@Test
	void aSecondGetConsumeOrStreamIsAnErrAndATwoGibibyteReadIsBounded() {
		assertThat(plugin.callTool("get_twice", args()).contentJson()).isEqualTo("{\"status\":200,\"second_get\":\"err\","
				+ "\"second_consume\":\"err\",\"second_stream\":\"err\",\"read\":4,\"body\":\"GET \"}");
	}

	@Test
	void consumingADroppedResponseFailsTheCallAndThePluginStaysHealthy() {
		assertThatThrownBy(() -> plugin.callTool("dropped_handle", args())).isInstanceOf(AbiViolationException.class)
			.hasMessageContaining("plugin 'wasi-http'")
			.hasMessageContaining("passed as borrow<wasi:http/types#incoming-response> was dropped already");
		assertThat(plugin.callTool("headers", "{}").contentJson()).startsWith("{\"from_list\":");
	}

	@Test
	void aBogusFieldsHandleFailsTheCallAndThePluginStaysHealthy() {
		assertThatThrownBy(() -> plugin.callTool("bogus_handle", "{}")).isInstanceOf(AbiViolationException.class)
			.hasMessageContaining("plugin 'wasi-http'")
			.hasMessageContaining("handle 424242 passed as borrow<wasi:http/types#fields> was never handed to this instance");
		assertThat(plugin.callTool("headers", "{}").contentJson()).startsWith("{\"from_list\":");
	}

}
