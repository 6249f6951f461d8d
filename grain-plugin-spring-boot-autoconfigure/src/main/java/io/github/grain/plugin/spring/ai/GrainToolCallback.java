package io.github.grain.plugin.spring.ai;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.grain.plugin.tool.ToolException;
import io.github.grain.plugin.tool.ToolRegistry;
import io.github.grain.plugin.tool.ToolResult;
import io.github.grain.plugin.tool.UnknownToolException;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.DefaultToolDefinition;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;

/**
 * One registry tool as a Spring AI {@link ToolCallback}. A call goes through the
 * {@link ToolRegistry} (schema validation, approval, sandbox, deadlines, call limits); the
 * entries of Spring AI's {@link ToolContext} become the call's attributes. A successful
 * result is the tool's JSON; an error result is a {@link ToolExecutionException} whose
 * message is the tool's, which Spring AI hands back to the model.
 */
public final class GrainToolCallback implements ToolCallback {

	private final ToolRegistry registry;

	private final ToolDefinition definition;

	GrainToolCallback(ToolRegistry registry, io.github.grain.plugin.tool.ToolDefinition tool) {
		this.registry = registry;
		this.definition = DefaultToolDefinition.builder()
			.name(tool.name())
			.description(tool.summary())
			.inputSchema(tool.parameters().toString())
			.build();
	}

	@Override
	public ToolDefinition getToolDefinition() {
		return this.definition;
	}

	@Override
	public String call(String toolInput) {
		return call(toolInput, null);
	}

	@Override
	public String call(String toolInput, @Nullable ToolContext toolContext) {
		ToolResult result;
		try {
			result = this.registry.call(this.definition.name(), toolInput, attributes(toolContext));
		}
		catch (UnknownToolException ex) {
			throw new ToolExecutionException(this.definition, ex);
		}
		if (result.isError()) {
			throw new ToolExecutionException(this.definition, new ToolException(result.text()));
		}
		return result.content().toString();
	}

	/** Spring AI's context entries, without {@code null} values. */
	static Map<String, Object> attributes(@Nullable ToolContext toolContext) {
		if (toolContext == null) {
			return Map.of();
		}
		Map<String, Object> attributes = new LinkedHashMap<>();
		toolContext.getContext().forEach((key, value) -> {
			if (key != null && value != null) {
				attributes.put(key, value);
			}
		});
		return attributes;
	}

	@Override
	public String toString() {
		return "GrainToolCallback[" + this.definition.name() + "]";
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof GrainToolCallback callback) && callback.registry == this.registry
				&& callback.definition.equals(this.definition);
	}

	@Override
	public int hashCode() {
		return Objects.hash(System.identityHashCode(this.registry), this.definition);
	}

}
