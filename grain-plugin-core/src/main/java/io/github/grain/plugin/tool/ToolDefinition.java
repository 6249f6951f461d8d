package io.github.grain.plugin.tool;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.grain.plugin.engine.UntrustedText;
import org.jspecify.annotations.Nullable;

/**
 * What a model and a client know about a tool.
 * @param name the name the model calls, unique in a {@link ToolRegistry}
 * @param label a short human label
 * @param description what the tool does, for the model
 * @param parameters the JSON Schema of the arguments object
 * @param source where the tool comes from: {@code wasm:<plugin>} or {@code bean:<bean name>}
 * @param capability what the tool needs from the host, {@code null} when nothing
 * @param readOnly whether the tool has no side effects (otherwise each call needs approval)
 */
public record ToolDefinition(String name, String label, String description, JsonNode parameters, String source,
		@Nullable String capability, boolean readOnly) {

	private static final int MAX_NAME_LENGTH = 128;

	public ToolDefinition {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(label, "label");
		Objects.requireNonNull(description, "description");
		Objects.requireNonNull(parameters, "parameters");
		Objects.requireNonNull(source, "source");
		if (name.isBlank() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isWhitespace)
				|| UntrustedText.firstUnsafe(name) >= 0) {
			throw new IllegalArgumentException("tool name '" + UntrustedText.forLog(name) + "' from "
					+ UntrustedText.forLog(source) + " must be 1 to " + MAX_NAME_LENGTH
					+ " characters without whitespace or control characters");
		}
		if (!parameters.isObject()) {
			throw new IllegalArgumentException(
					"parameters of tool '" + name + "' from " + source + " must be a JSON Schema object");
		}
		parameters = parameters.deepCopy();
		if (capability != null && capability.isBlank()) {
			capability = null;
		}
	}

	/** The schema as a fresh copy the caller may modify. */
	@Override
	public JsonNode parameters() {
		return this.parameters.deepCopy();
	}

	/**
	 * What the tool does in words, never empty (clients and models pick tools by it): the
	 * description, else the label, else the name.
	 */
	public String summary() {
		if (!this.description.isBlank()) {
			return this.description;
		}
		return this.label.isBlank() ? this.name : this.label;
	}

	/** The schema as an object node (a copy). */
	public ObjectNode parametersObject() {
		return (ObjectNode) parameters();
	}

}
