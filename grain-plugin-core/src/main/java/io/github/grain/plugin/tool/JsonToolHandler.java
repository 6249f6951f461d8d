package io.github.grain.plugin.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool written against raw JSON. Put {@link GrainTool} on the implementing class to set
 * its name, description, capability and read-only flag; a Spring bean implementing this
 * interface is registered in the {@link ToolRegistry} at startup.
 */
public interface JsonToolHandler {

	/**
	 * Handle one call.
	 * @param arguments the arguments object, already validated against {@link #parametersSchema()}
	 * @param context the call's context
	 * @return the result
	 * @throws Exception anything; it becomes an error result the model reads
	 */
	ToolResult handle(JsonNode arguments, ToolContext context) throws Exception;

	/**
	 * The JSON Schema of the arguments object, as JSON text. By default any object.
	 * @return the schema
	 */
	default String parametersSchema() {
		return "{\"type\":\"object\"}";
	}

}
