package io.github.grain.plugin.sample.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.grain.plugin.tool.ToolDefinition;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code GET /api/tools}.
 * @param name the name the model calls
 * @param label a short human label
 * @param description what the tool does
 * @param parameters the JSON Schema of the arguments
 * @param source {@code wasm:<plugin>} or {@code bean:<bean>}
 * @param capability what the tool needs from the host, if anything
 * @param readOnly whether the tool has no side effects
 */
public record ToolView(String name, String label, String description, JsonNode parameters, String source,
		@Nullable String capability, boolean readOnly) {

	static ToolView of(ToolDefinition definition) {
		return new ToolView(definition.name(), definition.label(), definition.description(), definition.parameters(),
				definition.source(), definition.capability(), definition.readOnly());
	}

}
