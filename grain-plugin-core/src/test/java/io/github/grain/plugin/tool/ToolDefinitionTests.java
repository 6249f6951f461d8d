package io.github.grain.plugin.tool;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The tool model's own rules: a name of 1 to 128 characters without whitespace, a schema
 * that is an object and cannot be changed through the definition, a blank capability read
 * as none; default names and labels; the shape of error results.
 */
class ToolDefinitionTests {

	private static final ObjectMapper mapper = ToolJson.newMapper();

	private static ToolDefinition definition(String name, JsonNode parameters, String capability) {
		return new ToolDefinition(name, "label", "description", parameters, "test:source", capability, true);
	}

	private static ObjectNode objectSchema() {
		return mapper.createObjectNode().put("type", "object");
	}

	@Test
	void aNameOfOneHundredTwentyEightCharactersIsTheLongestAccepted() {
		assertThat(definition("n".repeat(128), objectSchema(), null).name()).hasSize(128);
		assertThat(definition("n", objectSchema(), null).name()).isEqualTo("n");
		assertThatIllegalArgumentException().isThrownBy(() -> definition("n".repeat(129), objectSchema(), null))
			.withMessage("tool name '" + "n".repeat(129) + "' from test:source must be 1 to 128 characters without "
					+ "whitespace or control characters");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "two words", "tab\tname", "line\nname", "trailing\u2003" })
	void blankNamesAndNamesWithWhitespaceAreRefused(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> definition(name, objectSchema(), null))
			.withMessageEndingWith(
					" from test:source must be 1 to 128 characters without whitespace or control characters");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\u0007bell", "bell\u0007", "esc\u001B[31m" })
	void namesWithControlCharactersAreRefused(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> definition(name, objectSchema(), null))
			.withMessageEndingWith(
					" from test:source must be 1 to 128 characters without whitespace or control characters");
	}

	@Test
	void theSummaryIsTheDescriptionElseTheLabelElseTheName() {
		assertThat(new ToolDefinition("t", "Label", "Does things", objectSchema(), "test:source", null, true).summary())
			.isEqualTo("Does things");
		assertThat(new ToolDefinition("t", "Label", " ", objectSchema(), "test:source", null, true).summary())
			.isEqualTo("Label");
		assertThat(new ToolDefinition("t", "", "", objectSchema(), "test:source", null, true).summary()).isEqualTo("t");
	}

	@Test
	void theParametersMustBeAJsonObject() {
		assertThatIllegalArgumentException().isThrownBy(() -> definition("t", mapper.createArrayNode(), null))
			.withMessage("parameters of tool 't' from test:source must be a JSON Schema object");
	}

	@Test
	void theSchemaCannotBeChangedThroughTheDefinition() {
		ObjectNode schema = objectSchema();
		ToolDefinition definition = definition("t", schema, null);
		schema.put("type", "string");
		definition.parametersObject().put("type", "array");
		assertThat(definition.parameters().get("type").asText()).isEqualTo("object");
	}

	@ParameterizedTest
	@CsvSource(value = { "'', NONE", "'  ', NONE", "http, http" }, nullValues = "NONE")
	void aBlankCapabilityMeansNone(String capability, String expected) {
		assertThat(definition("t", objectSchema(), capability).capability()).isEqualTo(expected);
		assertThat(definition("t", objectSchema(), null).capability()).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "getWeatherForecast, get_weather_forecast", "parseURLNow, parse_url_now", "echo, echo",
			"v2Tool, v2_tool", "HTTPServer, http_server" })
	void javaNamesBecomeSnakeCase(String javaName, String toolName) {
		assertThat(ToolNames.snakeCase(javaName)).isEqualTo(toolName);
	}

	@ParameterizedTest
	@CsvSource(value = { "get_weather_forecast | Get weather forecast", "read-file | Read file", "x | X",
			"___ | ___", "_a | A" }, delimiter = '|')
	void toolNamesBecomeLabels(String toolName, String label) {
		assertThat(ToolNames.label(toolName)).isEqualTo(label);
	}

	@Test
	void errorResultsCarryTheMessageAndTheViolations() {
		ToolResult error = ToolResult.error("boom");
		assertThat(error.isError()).isTrue();
		assertThat(error.content().toString()).isEqualTo("{\"error\":\"boom\"}");
		ToolResult invalid = ToolResult.invalidArguments("bad", List.of("$.a: x", "$.b: y"));
		assertThat(invalid.isError()).isTrue();
		assertThat(invalid.content().toString()).isEqualTo("{\"error\":\"bad\",\"violations\":[\"$.a: x\",\"$.b: y\"]}");
		assertThat(ToolResult.success(mapper.createObjectNode()).isError()).isFalse();
	}

}
