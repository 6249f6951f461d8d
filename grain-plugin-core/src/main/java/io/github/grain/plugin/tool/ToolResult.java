package io.github.grain.plugin.tool;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outcome of a tool call as the model reads it.
 * @param content the tool's JSON value
 * @param isError whether the content reports an error the model should read (and may fix)
 */
public record ToolResult(JsonNode content, boolean isError) {

	public ToolResult {
		Objects.requireNonNull(content, "content");
	}

	/** A successful result. */
	public static ToolResult success(JsonNode content) {
		return new ToolResult(content, false);
	}

	/** An error result whose content is {@code {"error": message}}. */
	public static ToolResult error(String message) {
		ObjectNode content = JsonNodeFactory.instance.objectNode();
		content.put("error", message);
		return new ToolResult(content, true);
	}

	/**
	 * An error result for a call the host had no room for:
	 * {@code {"error": message, "retryAfterMs": n}}, where {@code n} is how long to wait
	 * before calling again (at least 1).
	 */
	public static ToolResult busy(String message, Duration retryAfter) {
		return busy(message, retryAfter.toMillis());
	}

	/**
	 * An error result for a call refused because the host or the caller is busy:
	 * {@code {"error": message, "retryAfterMs": n}}, the time in milliseconds after which
	 * trying again may succeed (at least 1).
	 */
	public static ToolResult busy(String message, long retryAfterMs) {
		ObjectNode content = JsonNodeFactory.instance.objectNode();
		content.put("error", message);
		content.put("retryAfterMs", Math.max(1, retryAfterMs));
		return new ToolResult(content, true);
	}

	/**
	 * An error result for arguments that do not match the schema:
	 * {@code {"error": message, "violations": [...]}}.
	 */
	public static ToolResult invalidArguments(String message, List<String> violations) {
		ObjectNode content = JsonNodeFactory.instance.objectNode();
		content.put("error", message);
		ArrayNode list = content.putArray("violations");
		violations.forEach(list::add);
		return new ToolResult(content, true);
	}

	/**
	 * The content as a person or a model reads it where only text fits (an MCP text
	 * block, an exception message): a JSON string as itself; an error's {@code error}
	 * message followed by its {@code violations}; any other value as JSON text.
	 * @return the text
	 */
	public String text() {
		JsonNode error = this.content.path("error");
		if (this.isError && error.isTextual()) {
			JsonNode violations = this.content.path("violations");
			if (!violations.isArray() || violations.isEmpty()) {
				return error.textValue();
			}
			return error.textValue() + ": " + StreamSupport.stream(violations.spliterator(), false)
				.map(JsonNode::asText)
				.collect(Collectors.joining("; "));
		}
		return this.content.isTextual() ? this.content.textValue() : this.content.toString();
	}

}
