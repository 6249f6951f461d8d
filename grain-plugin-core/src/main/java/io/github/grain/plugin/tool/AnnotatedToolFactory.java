package io.github.grain.plugin.tool;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

/**
 * Turns objects into {@link Tool}s: every public method annotated with {@link GrainTool},
 * and the object itself when it implements {@link JsonToolHandler}. Spring-free; the
 * auto-configuration hands it each bean with its target class.
 */
public final class AnnotatedToolFactory {

	private static final String[] HANDLER_SUFFIXES = { "ToolHandler", "Handler", "Tool" };

	private final ObjectMapper mapper;

	private final ToolSchemaGenerator schemas;

	public AnnotatedToolFactory(ObjectMapper mapper) {
		this.mapper = mapper;
		this.schemas = new ToolSchemaGenerator(mapper);
	}

	/**
	 * Whether a class declares tools.
	 * @param type the target class
	 * @return whether it has {@link GrainTool} methods or implements {@link JsonToolHandler}
	 */
	public static boolean declaresTools(Class<?> type) {
		return JsonToolHandler.class.isAssignableFrom(type) || !toolMethods(type).isEmpty();
	}

	/**
	 * Build the tools an object declares.
	 * @param target the object whose methods are invoked (possibly a proxy)
	 * @param targetClass the user class that carries the annotations
	 * @param source where the tools come from, for example {@code bean:weatherTools}
	 * @return the tools, in name order
	 * @throws InvalidToolException naming the method when a declaration cannot be used
	 */
	public List<Tool> createTools(Object target, Class<?> targetClass, String source) {
		List<Tool> tools = new ArrayList<>();
		if (target instanceof JsonToolHandler handler) {
			tools.add(handlerTool(handler, targetClass, source));
		}
		for (Method method : toolMethods(targetClass)) {
			tools.add(methodTool(target, targetClass, method, source));
		}
		tools.sort(Comparator.comparing((tool) -> tool.definition().name()));
		return tools;
	}

	private Tool handlerTool(JsonToolHandler handler, Class<?> targetClass, String source) {
		GrainTool annotation = targetClass.getAnnotation(GrainTool.class);
		String name = (annotation != null && !annotation.name().isEmpty()) ? annotation.name()
				: ToolNames.snakeCase(stripHandlerSuffix(targetClass.getSimpleName()));
		JsonNode schema;
		try {
			schema = this.mapper.readTree(handler.parametersSchema());
		}
		catch (JsonProcessingException ex) {
			throw new InvalidToolException("the parameters schema of tool '" + name + "' (" + targetClass.getName()
					+ ") is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		if (schema == null || !schema.isObject()) {
			throw new InvalidToolException(
					"the parameters schema of tool '" + name + "' (" + targetClass.getName() + ") must be a JSON object");
		}
		ToolDefinition definition = definition(annotation, name, schema, source);
		return new Tool() {

			@Override
			public ToolDefinition definition() {
				return definition;
			}

			@Override
			public ToolResult call(JsonNode arguments, ToolContext context) {
				try {
					ToolResult result = handler.handle(arguments, context);
					return (result != null) ? result
							: ToolResult.error("tool '" + definition.name() + "' returned no result");
				}
				catch (Exception ex) {
					return ToolResult.error(MethodTool.describe(ex));
				}
			}

			@Override
			public String toString() {
				return "JsonToolHandler[" + definition.name() + " -> " + targetClass.getName() + "]";
			}

		};
	}

	private Tool methodTool(Object target, Class<?> targetClass, Method method, String source) {
		String where = targetClass.getName() + "." + method.getName();
		if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
			throw new InvalidToolException("@GrainTool method " + where + " must be public and not static");
		}
		GrainTool annotation = method.getAnnotation(GrainTool.class);
		String name = annotation.name().isEmpty() ? ToolNames.snakeCase(method.getName()) : annotation.name();
		ToolSchemaGenerator.ObjectSchema schema = this.schemas.objectSchema();
		List<MethodTool.Binding> bindings = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (Parameter parameter : method.getParameters()) {
			if (parameter.getType() == ToolContext.class) {
				bindings.add(new MethodTool.Binding("", this.mapper.constructType(ToolContext.class),
						MethodTool.Binding.Kind.CONTEXT));
				continue;
			}
			ToolParam param = parameter.getAnnotation(ToolParam.class);
			String argument = argumentName(parameter, param, where);
			if (!names.add(argument)) {
				throw new InvalidToolException("@GrainTool method " + where + " has two parameters named '" + argument + "'");
			}
			Type type = parameter.getParameterizedType();
			boolean optional = parameter.getType() == Optional.class;
			if (optional) {
				type = optionalElement(type, where, argument);
			}
			boolean nullable = ToolSchemaGenerator.hasNullable(parameter.getAnnotations())
					|| ToolSchemaGenerator.hasNullable(parameter.getAnnotatedType().getAnnotations());
			boolean required = !optional && !nullable && (param == null || param.required());
			if (!required && parameter.getType().isPrimitive()) {
				throw new InvalidToolException("@GrainTool method " + where + ": primitive parameter '" + argument
						+ "' cannot be optional; use its wrapper type");
			}
			String description = (param != null) ? param.description() : "";
			try {
				schema.property(argument, type, description, required);
			}
			catch (RuntimeException ex) {
				throw new InvalidToolException(
						"@GrainTool method " + where + ": no JSON Schema for parameter '" + argument + "': " + ex.getMessage(),
						ex);
			}
			JavaType javaType = this.mapper.getTypeFactory().constructType(type);
			bindings.add(new MethodTool.Binding(argument, javaType,
					optional ? MethodTool.Binding.Kind.OPTIONAL : MethodTool.Binding.Kind.ARGUMENT));
		}
		ToolDefinition definition = definition(annotation, name, schema.build(), source);
		Method invocable = invocableMethod(target, method, where);
		return new MethodTool(definition, target, invocable, bindings, this.mapper);
	}

	private ToolDefinition definition(@Nullable GrainTool annotation, String name, JsonNode schema, String source) {
		String label = (annotation != null && !annotation.label().isEmpty()) ? annotation.label()
				: ToolNames.label(name);
		String description = (annotation != null) ? annotation.description() : "";
		String capability = (annotation != null) ? annotation.capability() : "";
		boolean readOnly = annotation != null && annotation.readOnly();
		try {
			return new ToolDefinition(name, label, description, schema, source, capability, readOnly);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidToolException(ex.getMessage(), ex);
		}
	}

	private static String argumentName(Parameter parameter, @Nullable ToolParam param, String where) {
		if (param != null && !param.name().isEmpty()) {
			return param.name();
		}
		if (!parameter.isNamePresent()) {
			throw new InvalidToolException("@GrainTool method " + where + ": parameter names are not available; "
					+ "compile with '-parameters' or name each parameter with @ToolParam(name = ...)");
		}
		return parameter.getName();
	}

	private static Type optionalElement(Type type, String where, String argument) {
		if (type instanceof ParameterizedType parameterized) {
			return parameterized.getActualTypeArguments()[0];
		}
		throw new InvalidToolException(
				"@GrainTool method " + where + ": parameter '" + argument + "' is a raw Optional; give its element type");
	}

	/** The method to call on the target, which may be a proxy of the annotated class. */
	private static Method invocableMethod(Object target, Method method, String where) {
		if (method.getDeclaringClass().isInstance(target)) {
			if (!Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
				// a public method of a package-private bean class
				method.trySetAccessible();
			}
			return method;
		}
		try {
			return target.getClass().getMethod(method.getName(), method.getParameterTypes());
		}
		catch (NoSuchMethodException ex) {
			throw new InvalidToolException("@GrainTool method " + where
					+ " is not reachable through the bean's proxy; declare it on an interface the proxy implements", ex);
		}
	}

	private static List<Method> toolMethods(Class<?> type) {
		List<Method> methods = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Method method : current.getDeclaredMethods()) {
				if (method.isBridge() || method.isSynthetic() || !method.isAnnotationPresent(GrainTool.class)) {
					continue;
				}
				String signature = method.getName() + Arrays.toString(method.getParameterTypes());
				if (seen.add(signature)) {
					methods.add(method);
				}
			}
		}
		return methods;
	}

	private static String stripHandlerSuffix(String simpleName) {
		for (String suffix : HANDLER_SUFFIXES) {
			if (simpleName.endsWith(suffix) && simpleName.length() > suffix.length()) {
				return simpleName.substring(0, simpleName.length() - suffix.length());
			}
		}
		return simpleName;
	}

}
