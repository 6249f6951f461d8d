package io.github.grain.plugin.tool;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which properties the generated schema lists as {@code required}, rule by rule: every
 * record component unless it is {@code Optional}, {@code @Nullable} (type-use or
 * declaration) or {@code @ToolParam(required = false)}; a POJO field only with
 * {@code @ToolParam} or {@code @JsonProperty(required = true)}.
 */
class ToolSchemaGeneratorTests {

	private static final ObjectMapper mapper = ToolJson.newMapper();

	private final ToolSchemaGenerator generator = new ToolSchemaGenerator(mapper);

	/** A declaration annotation named like JSR-305's or Spring's. */
	@Retention(RetentionPolicy.RUNTIME)
	@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
	@interface Nullable {

	}

	record Everything(String plain, Optional<String> optional,
			@org.jspecify.annotations.Nullable String typeUseNullable,
			@Nullable String declaredNullable, @ToolParam(required = false) String notRequired,
			@ToolParam(description = "described") String annotated, @ToolParam @Nullable String annotatedButNullable,
			int primitive) {
	}

	static class Pojo {

		public String plain;

		@ToolParam
		public String annotated;

		@ToolParam(required = false)
		public String notRequired;

		@JsonProperty(required = true)
		public String jsonRequired;

		@ToolParam
		@Nullable
		public String annotatedButNullable;

		@ToolParam
		public Optional<String> annotatedButOptional;

	}

	@Test
	void recordComponentsAreRequiredUnlessOptionalNullableOrMarkedNotRequired() {
		JsonNode schema = this.generator.schemaOf(Everything.class);
		assertThat(required(schema)).containsExactlyInAnyOrder("plain", "annotated", "primitive");
		assertThat(schema.get("properties").get("annotated").get("description").asText()).isEqualTo("described");
		assertThat(schema.get("properties").get("plain").has("description")).isFalse();
	}

	@Test
	void pojoFieldsAreRequiredOnlyWhenAnnotatedSo() {
		JsonNode schema = this.generator.schemaOf(Pojo.class);
		assertThat(required(schema)).containsExactlyInAnyOrder("annotated", "jsonRequired");
	}

	@Test
	void anObjectSchemaListsOnlyThePropertiesAddedAsRequired() {
		JsonNode schema = this.generator.objectSchema()
			.property("a", String.class, "first", true)
			.property("b", String.class, "", false)
			.build();
		assertThat(required(schema)).containsExactly("a");
		assertThat(schema.get("properties").get("a").get("description").asText()).isEqualTo("first");
		assertThat(schema.get("properties").get("b").has("description")).isFalse();
		assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
	}

	@Test
	void anObjectSchemaWithoutRequiredPropertiesHasNoRequiredList() {
		JsonNode schema = this.generator.objectSchema().property("b", String.class, "", false).build();
		assertThat(schema.has("required")).isFalse();
		assertThat(schema.has("$defs")).isFalse();
	}

	record Location(String city) {
	}

	@Test
	void nestedTypesAreSharedDefinitions() {
		JsonNode schema = this.generator.objectSchema()
			.property("from", Location.class, "", true)
			.property("to", Location.class, "", true)
			.build();
		assertThat(schema.get("$defs").size()).isEqualTo(1);
		assertThat(schema.get("properties").get("from").get("$ref").asText())
			.isEqualTo(schema.get("properties").get("to").get("$ref").asText())
			.startsWith("#/$defs/");
		assertThat(required(schema)).containsExactly("from", "to");
	}

	@Test
	void freeFormJsonIsAnyValue() {
		JsonNode schema = this.generator.objectSchema()
			.property("payload", JsonNode.class, "", true)
			.property("anything", Object.class, "", false)
			.build();
		assertThat(schema.get("properties").get("payload").toString()).isEqualTo("{}");
		assertThat(schema.get("properties").get("anything").toString()).isEqualTo("{}");
	}

	@Test
	void onlyAnnotationsNamedNullableCount() throws Exception {
		assertThat(ToolSchemaGenerator.hasNullable(Pojo.class.getField("annotatedButNullable").getAnnotations()))
			.isTrue();
		assertThat(ToolSchemaGenerator.hasNullable(Pojo.class.getField("annotated").getAnnotations())).isFalse();
		assertThat(ToolSchemaGenerator.hasNullable(new java.lang.annotation.Annotation[0])).isFalse();
	}

	private static List<String> required(JsonNode schema) {
		List<String> names = new ArrayList<>();
		JsonNode required = schema.get("required");
		if (required != null) {
			required.forEach((name) -> names.add(name.asText()));
		}
		return names;
	}

}
