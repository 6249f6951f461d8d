package io.github.grain.plugin.tool;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;

/**
 * Compiles tool schemas and checks arguments against them. Schemas default to draft
 * 2020-12 and may name another draft with {@code $schema}.
 * <p>
 * A schema comes from an untrusted plugin, so it must not make the host fetch anything:
 * every {@code $ref} outside the schema itself is refused (only the validator's own
 * bundled meta-schemas, which live on the class path, load).
 */
public final class ToolArgumentValidator {

	private static final int MAX_VIOLATIONS = 20;

	private static final String DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema";

	private final JsonSchemaFactory factory;

	private final SchemaValidatorsConfig config;

	private final Map<String, JsonSchema> metaSchemas = new ConcurrentHashMap<>();

	public ToolArgumentValidator(ObjectMapper mapper) {
		this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
				(builder) -> builder.jsonMapper(mapper)
					.schemaLoaders((loaders) -> loaders.add(new AllowSchemaLoader(ToolArgumentValidator::isBundled))));
		this.config = SchemaValidatorsConfig.builder()
			.typeLoose(false)
			.failFast(false)
			.pathType(PathType.JSON_PATH)
			.locale(Locale.ROOT)
			.build();
	}

	private static boolean isBundled(AbsoluteIri iri) {
		return iri.toString().startsWith("classpath:");
	}

	/**
	 * Compile a tool's schema.
	 * @param definition the tool
	 * @return a reusable, thread-safe checker
	 * @throws InvalidToolException if the schema cannot be compiled
	 */
	public CompiledSchema compile(ToolDefinition definition) {
		try {
			List<String> problems = metaSchemaProblems(definition.parameters());
			if (!problems.isEmpty()) {
				throw new InvalidToolException(
						schemaOf(definition) + " is not a valid JSON Schema: " + String.join("; ", problems));
			}
			Optional<List<String>> loop = SchemaLoops.find(definition.parameters());
			if (loop.isPresent()) {
				throw new InvalidToolException(schemaOf(definition) + " loops: "
						+ loop.get().stream().map((pointer) -> "#" + pointer).collect(Collectors.joining(" -> "))
						+ " comes back without reaching into the arguments, so no call could ever be checked");
			}
			JsonSchema schema = this.factory.getSchema(definition.parameters(), this.config);
			schema.initializeValidators();
			return new CompiledSchema(schema);
		}
		catch (JsonSchemaException | IllegalArgumentException | IllegalStateException ex) {
			throw new InvalidToolException(schemaOf(definition) + " cannot be used: " + ex.getMessage(), ex);
		}
	}

	/** How the refusals of a tool's schema begin. */
	private static String schemaOf(ToolDefinition definition) {
		return "the parameters schema of tool '" + definition.name() + "' from " + definition.source();
	}

	/** Checks a schema against the meta-schema of its dialect ({@code $schema}, default 2020-12). */
	private List<String> metaSchemaProblems(JsonNode schema) {
		JsonNode declared = schema.get("$schema");
		String dialect = (declared != null && declared.isTextual()) ? declared.textValue() : DEFAULT_DIALECT;
		JsonSchema metaSchema = this.metaSchemas.computeIfAbsent(dialect,
				(iri) -> this.factory.getSchema(SchemaLocation.of(iri), this.config));
		return new CompiledSchema(metaSchema).validate(schema);
	}

	/**
	 * A compiled schema.
	 */
	public static final class CompiledSchema {

		private final JsonSchema schema;

		CompiledSchema(JsonSchema schema) {
			this.schema = schema;
		}

		/**
		 * Check arguments.
		 * @param arguments the arguments
		 * @return the violations, at most 20, each naming the JSON path; empty when valid
		 */
		public List<String> validate(JsonNode arguments) {
			try {
				return this.schema.validate(arguments)
					.stream()
					.sorted(Comparator.comparing((ValidationMessage message) -> message.getInstanceLocation().toString())
						.thenComparing(ValidationMessage::getMessage))
					.limit(MAX_VIOLATIONS)
					.map(ValidationMessage::getMessage)
					.toList();
			}
			catch (JsonSchemaException ex) {
				return List.of("the schema could not be applied: " + ex.getMessage());
			}
			catch (StackOverflowError ex) {
				// a loop SchemaLoops cannot follow (e.g. through $anchor), or arguments deeper than
				// this thread's stack lets a recursive schema follow: refused like a bad argument
				return List.of("the schema could not be applied: checking the arguments (nesting depth " + depth(arguments)
						+ ") recursed too deeply: the schema refers to itself without reaching into them, or they nest"
						+ " deeper than it can follow");
			}
		}

		/** How many containers deep the value nests (0 for a scalar), counted without recursion. */
		static int depth(JsonNode value) {
			int deepest = 0;
			Deque<Map.Entry<JsonNode, Integer>> todo = new ArrayDeque<>(List.of(Map.entry(value, 0)));
			while (!todo.isEmpty()) {
				Map.Entry<JsonNode, Integer> next = todo.removeLast();
				int level = next.getValue() + (next.getKey().isContainerNode() ? 1 : 0);
				deepest = Math.max(deepest, level);
				next.getKey().forEach((child) -> todo.addLast(Map.entry(child, level)));
			}
			return deepest;
		}

	}

}
