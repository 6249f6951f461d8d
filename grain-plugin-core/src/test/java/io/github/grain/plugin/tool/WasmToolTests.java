package io.github.grain.plugin.tool;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.engine.CallPermits;
import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginBusyException;
import io.github.grain.plugin.engine.TrapKind;
import io.github.grain.plugin.tool.DefaultToolRegistryTests.EchoTool;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import io.github.grain.plugin.engine.wit.ToolDef;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class WasmToolTests {

	private final ObjectMapper mapper = ToolJson.newMapper();

	private final ToolContext context = new ToolContext("t", "c", SandboxPolicy.denyAll());

	private final LoadedPlugin plugin = mock(LoadedPlugin.class);

	WasmToolTests() {
		given(this.plugin.name()).willReturn("weather");
		given(this.plugin.capabilities()).willReturn(Set.of(Capability.HTTP, Capability.LOG));
		given(this.plugin.permits()).willReturn(CallPermits.unlimited());
	}

	@Test
	void definitionComesFromTheToolDefAndThePluginsGrants() {
		WasmTool tool = new WasmTool(this.plugin, new ToolDef("forecast", "", "Forecast", "{\"type\":\"object\"}"), true,
				this.mapper);
		ToolDefinition definition = tool.definition();
		assertThat(definition.name()).isEqualTo("forecast");
		assertThat(definition.label()).isEqualTo("Forecast");
		assertThat(definition.source()).isEqualTo("wasm:weather");
		assertThat(definition.capability()).isEqualTo("log,http");
		assertThat(definition.readOnly()).isTrue();
	}

	@Test
	void pluginWithoutCapabilitiesHasNoCapability() {
		given(this.plugin.capabilities()).willReturn(Set.of());
		assertThat(new WasmTool(this.plugin, new ToolDef("t", "T", "", "{}"), false, this.mapper).definition()
			.capability()).isNull();
	}

	@Test
	void parametersThatAreNotJsonAreRefusedNamingToolAndPlugin() {
		assertThatExceptionOfType(InvalidToolException.class)
			.isThrownBy(() -> new WasmTool(this.plugin, new ToolDef("t", "T", "", "{oops"), false, this.mapper))
			.withMessageStartingWith("tool 't' of plugin 'weather' declares parameters-json that is not valid JSON");
		assertThatExceptionOfType(InvalidToolException.class)
			.isThrownBy(() -> new WasmTool(this.plugin, new ToolDef("t", "T", "", "[]"), false, this.mapper))
			.withMessageContaining("not a JSON object");
	}

	@Test
	void nameWithWhitespaceIsRefused() {
		assertThatExceptionOfType(InvalidToolException.class)
			.isThrownBy(() -> new WasmTool(this.plugin, new ToolDef("two words", "T", "", "{}"), false, this.mapper))
			.withMessageContaining("tool name 'two words' from wasm:weather");
	}

	@Test
	void callPassesArgumentsAsJsonTextAndParsesTheContent() throws Exception {
		given(this.plugin.callTool("t", "{\"a\":1}")).willReturn(new ToolCallResult("{\"b\":[true]}", false));
		ToolResult result = new WasmTool(this.plugin, new ToolDef("t", "T", "", "{}"), false, this.mapper)
			.call(this.mapper.readTree("{\"a\":1}"), this.context);
		assertThat(result).isEqualTo(new ToolResult(this.mapper.readTree("{\"b\":[true]}"), false));
	}

	@Test
	void contentThatIsNotJsonIsKeptAsAString() throws Exception {
		given(this.plugin.callTool("t", "{}")).willReturn(new ToolCallResult("plain words", true));
		ToolResult result = new WasmTool(this.plugin, new ToolDef("t", "T", "", "{}"), false, this.mapper)
			.call(this.mapper.readTree("{}"), this.context);
		assertThat(result.content().textValue()).isEqualTo("plain words");
		assertThat(result.isError()).isTrue();
	}

	@Test
	void trapBecomesAnErrorResultNamingThePlugin() throws Exception {
		given(this.plugin.callTool("t", "{}"))
			.willThrow(new GuestTrapException(TrapKind.DEADLINE, "call to 't' ran past its deadline", null));
		ToolResult result = new WasmTool(this.plugin, new ToolDef("t", "T", "", "{}"), false, this.mapper)
			.call(this.mapper.readTree("{}"), this.context);
		assertThat(result.isError()).isTrue();
		assertThat(result.content().get("error").asText())
			.isEqualTo("plugin 'weather' failed: call to 't' ran past its deadline");
	}

	// the caller sees an error result either way; the observer (metrics, traces) sees what stopped the guest

	@Test
	void aTrapThroughTheRegistryIsObservedAsATrap() {
		given(this.plugin.callTool("t", "{}"))
			.willThrow(new GuestTrapException(TrapKind.UNREACHABLE_CODE_REACHED, "unreachable", null));
		RecordingToolCallObserver observer = new RecordingToolCallObserver();
		try (DefaultToolRegistry registry = DefaultToolRegistry.builder().observer(observer).build()) {
			registry.register(new WasmTool(this.plugin, new ToolDef("t", "T", "", "{}"), true, this.mapper));
			assertThat(registry.call("t", "{}"))
				.isEqualTo(ToolResult.error("plugin 'weather' failed: unreachable"));
		}
		assertThat(observer.only().outcome()).isEqualTo(ToolCallOutcome.TRAP);
	}

	@Test
	void aPluginWithNoRoomForTheCallIsABusyResultAndObservedAsBusy() {
		given(this.plugin.callTool("t", "{}"))
			.willThrow(new PluginBusyException("plugin 'weather' is busy", Duration.ofMillis(250)));
		RecordingToolCallObserver observer = new RecordingToolCallObserver();
		try (DefaultToolRegistry registry = DefaultToolRegistry.builder().observer(observer).build()) {
			registry.register(new WasmTool(this.plugin, new ToolDef("t", "T", "", "{}"), true, this.mapper));
			assertThat(registry.call("t", "{}")).isEqualTo(ToolResult.busy("plugin 'weather' is busy", 250));
		}
		assertThat(observer.only().outcome()).isEqualTo(ToolCallOutcome.BUSY);
	}

	@Test
	void aToolDelegatingToAPluginsToolAfterCallingAnotherToolIsObservedAsTheGuestsTrap() {
		given(this.plugin.callTool(eq("t"), anyString()))
			.willThrow(new GuestTrapException(TrapKind.STACK_OVERFLOW, "overflow", null));
		WasmTool guest = new WasmTool(this.plugin, new ToolDef("t", "T", "", "{}"), true, this.mapper);
		RecordingToolCallObserver observer = new RecordingToolCallObserver();
		try (DefaultToolRegistry registry = DefaultToolRegistry.builder().observer(observer).build()) {
			registry.register(new EchoTool("inner", true));
			registry.register(new EchoTool("outer", true) {
				@Override
				public ToolResult call(JsonNode arguments, ToolContext context) {
					// the inner call ends before the guest runs: what the guest's failure is noted on is the outer call again
					assertThat(registry.call("inner", "{\"text\":\"x\"}").isError()).isFalse();
					return guest.call(arguments, context);
				}
			});
			assertThat(registry.call("outer", "{\"text\":\"a\"}").isError()).isTrue();
		}
		assertThat(observer.calls()).extracting((call) -> call.tool + "=" + call.outcome())
			.containsExactly("outer=TRAP", "inner=SUCCESS");
	}

	@Test
	void aGuestBoundByItsPluginsDeadlineRunsOnTheCallersThreadThoughTheRegistryHasACallTimeout() {
		AtomicReference<Thread> ranOn = new AtomicReference<>();
		given(this.plugin.callTool("t", "{}")).willAnswer((invocation) -> {
			ranOn.set(Thread.currentThread());
			return new ToolCallResult("{}", false);
		});
		try (DefaultToolRegistry registry = DefaultToolRegistry.builder().callTimeout(Duration.ofSeconds(30)).build()) {
			registry.register(new WasmTool(this.plugin, new ToolDef("t", "T", "", "{}"), true, this.mapper));
			assertThat(registry.call("t", "{}").isError()).isFalse();
		}
		assertThat(ranOn.get()).isSameAs(Thread.currentThread());
	}

}
