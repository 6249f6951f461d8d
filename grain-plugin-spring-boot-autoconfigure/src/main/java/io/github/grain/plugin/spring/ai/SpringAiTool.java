package io.github.grain.plugin.spring.ai;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.grain.plugin.tool.InvalidToolException;
import io.github.grain.plugin.tool.Tool;
import io.github.grain.plugin.tool.ToolContext;
import io.github.grain.plugin.tool.ToolDefinition;
import io.github.grain.plugin.tool.ToolNames;
import io.github.grain.plugin.tool.ToolResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.tool.ToolCallback;

/**
 * A Spring AI {@link ToolCallback} (a {@code @Tool} method, an MCP client's tool) as a
 * tool of our registry, so calls to it take the registry's path: schema validation,
 * approval (Spring AI does not say whether a tool only reads, so every call is approved
 * first), the call limits. Its source is {@code spring-ai:<bean name>}. The call's
 * attributes reach the callback as Spring AI's {@code ToolContext}.
 */
public final class SpringAiTool implements Tool {

	private static final Log logger = LogFactory.getLog(SpringAiTool.class);

	static final String SOURCE_PREFIX = "spring-ai:";

	private final ToolCallback callback;

	private final ToolDefinition definition;

	private final ObjectMapper mapper;

	/**
	 * Adapt a callback.
	 * @param callback the Spring AI callback; never one of our own {@link GrainToolCallback}s
	 * @param beanName the bean that holds it (its source)
	 * @param mapper the JSON mapper
	 * @throws InvalidToolException if its input schema is not a JSON object
	 */
	public SpringAiTool(ToolCallback callback, String beanName, ObjectMapper mapper) {
		if (callback instanceof GrainToolCallback) {
			throw new IllegalArgumentException(callback + " is already a tool of the registry");
		}
		this.callback = callback;
		this.mapper = mapper;
		org.springframework.ai.tool.definition.ToolDefinition tool = callback.getToolDefinition();
		String source = SOURCE_PREFIX + beanName;
		JsonNode parameters;
		try {
			parameters = mapper.readTree(tool.inputSchema());
		}
		catch (JsonProcessingException ex) {
			throw new InvalidToolException("Spring AI tool '" + tool.name() + "' from " + source
					+ " has an input schema that is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		if (parameters == null || !parameters.isObject()) {
			throw new InvalidToolException(
					"Spring AI tool '" + tool.name() + "' from " + source + " has an input schema that is not a JSON object");
		}
		try {
			this.definition = new ToolDefinition(tool.name(), ToolNames.label(tool.name()), tool.description(), parameters,
					source, null, false);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidToolException(ex.getMessage(), ex);
		}
	}

	/** Whether a registry tool came from Spring AI through this adapter. */
	public static boolean isImported(ToolDefinition definition) {
		return definition.source().startsWith(SOURCE_PREFIX);
	}

	@Override
	public ToolDefinition definition() {
		return this.definition;
	}

	@Override
	public ToolResult call(JsonNode arguments, ToolContext context) {
		Map<String, Object> attributes = context.attributes();
		String output;
		try {
			output = this.callback.call(arguments.toString(),
					attributes.isEmpty() ? null : new org.springframework.ai.chat.model.ToolContext(attributes));
		}
		catch (RuntimeException ex) {
			logger.warn("Spring AI tool '" + this.definition.name() + "' from " + this.definition.source() + " failed: "
					+ ex);
			String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
			return ToolResult.error("tool '" + this.definition.name() + "' failed: " + message);
		}
		return ToolResult.success(content(output));
	}

	/** Spring AI tools answer JSON text by convention; anything else is kept as a string. */
	private JsonNode content(@Nullable String output) {
		if (output == null) {
			return TextNode.valueOf("");
		}
		try {
			JsonNode node = this.mapper.readTree(output);
			return (node != null && !node.isMissingNode()) ? node : TextNode.valueOf(output);
		}
		catch (JsonProcessingException ex) {
			return TextNode.valueOf(output);
		}
	}

	@Override
	public String toString() {
		return "SpringAiTool[" + this.definition.name() + " from " + this.definition.source() + "]";
	}

}
