package io.github.grain.plugin.tool;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Type;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import org.jspecify.annotations.Nullable;

/**
 * Builds the JSON Schema (draft 2020-12) of a tool's arguments object from Java types:
 * one property per parameter, nested records and POJOs in {@code $defs}, enums as
 * {@code enum}, {@link ToolParam} descriptions. Record components are required unless
 * they are {@code Optional}, {@code @Nullable} or {@code @ToolParam(required = false)};
 * POJO fields are required only with {@code @ToolParam} or
 * {@code @JsonProperty(required = true)}. Objects refuse properties they do not declare.
 */
public final class ToolSchemaGenerator {

	private final SchemaGenerator generator;

	private final ObjectMapper mapper;

	public ToolSchemaGenerator(ObjectMapper mapper) {
		this.mapper = mapper;
		SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(mapper, SchemaVersion.DRAFT_2020_12,
				OptionPreset.PLAIN_JSON)
			.with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED,
					JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE))
			.with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES,
					Option.FLATTENED_OPTIONALS)
			.without(Option.SCHEMA_VERSION_INDICATOR);
		config.forTypesInGeneral().withCustomDefinitionProvider((type, context) -> {
			Class<?> erased = type.getErasedType();
			// free-form JSON: any value (the preset already describes Object so)
			if (JsonNode.class.isAssignableFrom(erased)) {
				return new CustomDefinition(context.getGeneratorConfig().createObjectNode(),
						CustomDefinition.DefinitionType.INLINE, CustomDefinition.AttributeInclusion.NO);
			}
			return null;
		});
		config.forFields().withDescriptionResolver(ToolSchemaGenerator::fieldDescription);
		config.forFields().withRequiredCheck(ToolSchemaGenerator::isRequiredField);
		this.generator = new SchemaGenerator(config.build());
	}

	/** A new schema builder for one arguments object. */
	public ObjectSchema objectSchema() {
		return new ObjectSchema(this.generator.buildMultipleSchemaDefinitions(), this.mapper);
	}

	private static @Nullable String fieldDescription(FieldScope field) {
		ToolParam param = field.getAnnotationConsideringFieldAndGetter(ToolParam.class);
		return (param != null && !param.description().isEmpty()) ? param.description() : null;
	}

	private static boolean isRequiredField(FieldScope field) {
		ToolParam param = field.getAnnotationConsideringFieldAndGetter(ToolParam.class);
		Field raw = field.getRawMember();
		boolean optional = Optional.class.isAssignableFrom(raw.getType()) || hasNullable(raw.getAnnotations())
				|| hasNullable(raw.getAnnotatedType().getAnnotations());
		if (optional) {
			return false;
		}
		if (param != null) {
			return param.required();
		}
		return raw.getDeclaringClass().isRecord();
	}

	/**
	 * Whether annotations include one named {@code Nullable} (JSpecify, JSR-305, Spring,
	 * Jakarta: any of them).
	 */
	static boolean hasNullable(Annotation[] annotations) {
		for (Annotation annotation : annotations) {
			if (annotation.annotationType().getSimpleName().equals("Nullable")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Collects the properties of one arguments object, sharing {@code $defs} between them.
	 */
	public static final class ObjectSchema {

		private final SchemaBuilder builder;

		private final ObjectNode schema;

		private final ObjectNode properties;

		private final ArrayNode required;

		ObjectSchema(SchemaBuilder builder, ObjectMapper mapper) {
			this.builder = builder;
			this.schema = mapper.createObjectNode();
			this.schema.put("type", "object");
			this.properties = this.schema.putObject("properties");
			this.required = mapper.createArrayNode();
		}

		/**
		 * Add one property.
		 * @param name the property name
		 * @param type its Java type (generic types keep their arguments)
		 * @param description what it means, or empty
		 * @param required whether the model must supply it
		 * @return this
		 */
		public ObjectSchema property(String name, Type type, String description, boolean required) {
			ObjectNode property = this.builder.createSchemaReference(type);
			if (!description.isEmpty()) {
				property.put("description", description);
			}
			this.properties.set(name, property);
			if (required) {
				this.required.add(name);
			}
			return this;
		}

		/** The finished schema; call once. */
		public ObjectNode build() {
			// collecting fills in the property nodes handed out so far (inline or $ref)
			ObjectNode definitions = this.builder.collectDefinitions("$defs");
			ObjectNode result = this.schema;
			if (!this.required.isEmpty()) {
				result.set("required", this.required);
			}
			result.put("additionalProperties", false);
			if (!definitions.isEmpty()) {
				result.set("$defs", definitions);
			}
			return result;
		}

	}

	/** For tests and diagnostics: the schema of a single type. */
	ObjectNode schemaOf(Type type) {
		return this.generator.generateSchema(type);
	}

}
