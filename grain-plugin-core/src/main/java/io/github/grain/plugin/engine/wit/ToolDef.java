package io.github.grain.plugin.engine.wit;

/**
 * WIT {@code tool-def}: a tool as a plugin declares it.
 * @param name the tool name the model calls
 * @param label a short human label
 * @param description what the tool does, for the model
 * @param parametersJson the JSON Schema of the arguments, as text
 */
public record ToolDef(String name, String label, String description, String parametersJson) {
}
