package io.github.grain.plugin.tool;

import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ToolResult#text()} where the error's violations are missing, empty or not a list.
 */
class ToolResultTests {

	@Test
	void anErrorWithoutViolationsReadsAsItsMessage() {
		assertThat(ToolResult.invalidArguments("bad arguments", List.of()).text()).isEqualTo("bad arguments");
		assertThat(ToolResult.error("bad arguments").text()).isEqualTo("bad arguments");
	}

	@Test
	void violationsThatAreNotAListAreNotRead() {
		ObjectNode content = JsonNodeFactory.instance.objectNode().put("error", "bad arguments");
		content.putObject("violations").put("a", "not a list");
		assertThat(new ToolResult(content, true).text()).isEqualTo("bad arguments");
	}

	@Test
	void anErrorsViolationsFollowItsMessage() {
		assertThat(ToolResult.invalidArguments("bad arguments", List.of("$.a: missing", "$.b: too long")).text())
			.isEqualTo("bad arguments: $.a: missing; $.b: too long");
	}

}
