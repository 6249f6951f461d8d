package io.github.grain.plugin.sample.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.grain.plugin.tool.ToolResult;

/**
 * The answer of {@code POST /api/tools/{name}}.
 * @param content the tool's JSON value
 * @param isError whether the content reports an error
 */
public record CallView(JsonNode content, boolean isError) {

	static CallView of(ToolResult result) {
		return new CallView(result.content(), result.isError());
	}

}
