package io.github.grain.plugin.tool;

import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.TrapKind;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import io.github.grain.plugin.engine.wit.ToolDef;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class WasmToolTests {

	private final ObjectMapper mapper = ToolJson.newMapper();

	private final ToolContext context = new ToolContext("t", "c", SandboxPolicy.denyAll());

	private final LoadedPlugin plugin = mock(LoadedPlugin.class);

	WasmToolTests() {
		given(this.plugin.name()).willReturn("weather");
		given(this.plugin.capabilities()).willReturn(Set.of(Capability.HTTP, Capability.LOG));
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

}
