package io.github.grain.plugin.sample.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.grain.plugin.tool.GrainTool;
import io.github.grain.plugin.tool.JsonToolHandler;
import io.github.grain.plugin.tool.ToolContext;
import io.github.grain.plugin.tool.ToolResult;

import org.springframework.stereotype.Component;

/**
 * A tool written against raw JSON: counts characters, words and lines.
 */
@Component
@GrainTool(name = "text_stats", label = "Text statistics", description = "Counts characters, words and lines of a text.",
		readOnly = true)
public class TextStatsTool implements JsonToolHandler {

	@Override
	public ToolResult handle(JsonNode arguments, ToolContext context) {
		String text = arguments.get("text").asText();
		ObjectNode stats = JsonNodeFactory.instance.objectNode();
		stats.put("characters", text.codePointCount(0, text.length()));
		stats.put("words", text.isBlank() ? 0 : text.trim().split("\\s+").length);
		stats.put("lines", text.isEmpty() ? 0 : text.split("\\R", -1).length);
		return ToolResult.success(stats);
	}

	@Override
	public String parametersSchema() {
		return """
				{"type": "object",
				 "properties": {"text": {"type": "string", "description": "The text to measure"}},
				 "required": ["text"],
				 "additionalProperties": false}
				""";
	}

}
