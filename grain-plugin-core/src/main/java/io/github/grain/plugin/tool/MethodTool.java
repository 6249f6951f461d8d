package io.github.grain.plugin.tool;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A {@link GrainTool} method adapted to a {@link Tool}: arguments are converted to the
 * parameter types with Jackson, the return value is serialised to JSON, and whatever the
 * method throws becomes an error result. Built by {@link AnnotatedToolFactory}.
 */
final class MethodTool implements Tool {

	private static final Log logger = LogFactory.getLog(MethodTool.class);

	private final ToolDefinition definition;

	private final Object target;

	private final Method method;

	private final List<Binding> bindings;

	private final ObjectMapper mapper;

	MethodTool(ToolDefinition definition, Object target, Method method, List<Binding> bindings, ObjectMapper mapper) {
		this.definition = definition;
		this.target = target;
		this.method = method;
		this.bindings = List.copyOf(bindings);
		this.mapper = mapper;
	}

	@Override
	public ToolDefinition definition() {
		return this.definition;
	}

	@Override
	public ToolResult call(JsonNode arguments, ToolContext context) {
		Object[] values = new Object[this.bindings.size()];
		for (int i = 0; i < values.length; i++) {
			Binding binding = this.bindings.get(i);
			if (binding.kind() == Binding.Kind.CONTEXT) {
				values[i] = context;
				continue;
			}
			JsonNode node = arguments.get(binding.name());
			Object value = null;
			if (node != null && !node.isNull()) {
				try {
					value = this.mapper.convertValue(node, binding.type());
				}
				catch (IllegalArgumentException ex) {
					return ToolResult.invalidArguments("argument '" + binding.name() + "' cannot be read",
							List.of(rootMessage(ex)));
				}
			}
			if (binding.kind() == Binding.Kind.OPTIONAL) {
				values[i] = Optional.ofNullable(value);
			}
			else if (value == null && binding.type().isPrimitive()) {
				return ToolResult.invalidArguments("argument '" + binding.name() + "' is missing",
						List.of("$." + binding.name() + ": a value is required"));
			}
			else {
				values[i] = value;
			}
		}
		Object returned;
		try {
			returned = this.method.invoke(this.target, values);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (logger.isDebugEnabled()) {
				logger.debug("Tool '" + this.definition.name() + "' threw", cause);
			}
			return ToolResult.error(describe(cause));
		}
		catch (IllegalAccessException ex) {
			return ToolResult.error("tool '" + this.definition.name() + "' cannot be invoked: " + ex.getMessage());
		}
		return toResult(returned);
	}

	private ToolResult toResult(@Nullable Object returned) {
		if (returned instanceof Optional<?> optional) {
			returned = optional.orElse(null);
		}
		if (returned instanceof ToolResult result) {
			return result;
		}
		// null (void, an empty Optional) becomes JSON null; a JsonNode an equal tree
		try {
			return ToolResult.success(this.mapper.valueToTree(returned));
		}
		catch (IllegalArgumentException ex) {
			return ToolResult.error("the result of tool '" + this.definition.name() + "' cannot be written as JSON: "
					+ rootMessage(ex));
		}
	}

	static String describe(Throwable failure) {
		String message = failure.getMessage();
		return (message != null && !message.isBlank()) ? message : failure.getClass().getSimpleName();
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		// getCause() is null, never the throwable itself, at the end of a chain
		while (root.getCause() != null) {
			root = root.getCause();
		}
		if (root instanceof com.fasterxml.jackson.core.JsonProcessingException processing) {
			return processing.getOriginalMessage();
		}
		return describe(root);
	}

	@Override
	public String toString() {
		return "MethodTool[" + this.definition.name() + " -> " + this.method.toGenericString() + "]";
	}

	/**
	 * How one method parameter is filled.
	 * @param name the argument's property name (unused for {@code CONTEXT})
	 * @param type the Java type to convert to (the element type for {@code OPTIONAL})
	 * @param kind where the value comes from
	 */
	record Binding(String name, JavaType type, Kind kind) {

		enum Kind {

			/** A property of the arguments object. */
			ARGUMENT,

			/** A property wrapped in {@code Optional}. */
			OPTIONAL,

			/** The {@link ToolContext}. */
			CONTEXT

		}

	}

}
