package io.github.grain.plugin.tool;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import io.github.grain.plugin.tool.beans.HiddenBeans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AnnotatedToolFactoryTests {

	private final ObjectMapper mapper = ToolJson.newMapper();

	private final AnnotatedToolFactory factory = new AnnotatedToolFactory(this.mapper);

	private final ToolContext context = new ToolContext("t", "call-1", SandboxPolicy.denyAll());

	@Test
	void nameDefaultsToSnakeCaseOfMethodAndLabelIsDerived() {
		ToolDefinition definition = tool(new WeatherTools(), "get_forecast").definition();
		assertThat(definition.label()).isEqualTo("Get forecast");
		assertThat(definition.description()).isEqualTo("Forecast for a place");
		assertThat(definition.source()).isEqualTo("bean:weather");
		assertThat(definition.capability()).isEqualTo("network");
		assertThat(definition.readOnly()).isTrue();
	}

	@Test
	void explicitNameLabelAndDefaultsOfAnnotation() {
		ToolDefinition definition = tool(new WeatherTools(), "explode").definition();
		assertThat(definition.label()).isEqualTo("Explode!");
		assertThat(definition.capability()).isNull();
		assertThat(definition.readOnly()).isFalse();
	}

	@Test
	void schemaHasOnePropertyPerParameterWithoutTheContext() {
		JsonNode schema = tool(new WeatherTools(), "get_forecast").definition().parameters();
		assertThat(schema.get("type").asText()).isEqualTo("object");
		assertThat(names(schema.get("properties"))).containsExactly("location", "unit", "days", "note");
		assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
		assertThat(this.mapper.convertValue(schema.get("required"), List.class)).containsExactly("location", "unit");
	}

	@Test
	void schemaDescribesParametersEnumsAndOptionalTypes() {
		JsonNode schema = tool(new WeatherTools(), "get_forecast").definition().parameters();
		JsonNode properties = schema.get("properties");
		assertThat(properties.get("location").get("description").asText()).isEqualTo("Where to look");
		assertThat(properties.get("unit").toString()).contains("CELSIUS", "FAHRENHEIT");
		assertThat(properties.get("days").get("type").asText()).isEqualTo("integer");
		assertThat(properties.get("note").get("type").asText()).isEqualTo("string");
	}

	@Test
	void recordParameterBecomesADefinitionWithRequiredComponents() {
		JsonNode schema = tool(new WeatherTools(), "get_forecast").definition().parameters();
		JsonNode location = resolve(schema, schema.get("properties").get("location"));
		assertThat(names(location.get("properties"))).containsExactlyInAnyOrder("city", "country", "zip");
		assertThat(this.mapper.convertValue(location.get("required"), List.class)).containsExactly("city");
		assertThat(location.get("properties").get("city").get("description").asText()).isEqualTo("City name");
		assertThat(location.get("additionalProperties").asBoolean(true)).isFalse();
	}

	@Test
	void pojoParameterFieldsAreOptionalUnlessAnnotated() {
		JsonNode schema = tool(new WeatherTools(), "subscribe").definition().parameters();
		JsonNode request = resolve(schema, schema.get("properties").get("request"));
		assertThat(names(request.get("properties"))).containsExactlyInAnyOrder("email", "frequency");
		assertThat(this.mapper.convertValue(request.get("required"), List.class)).containsExactly("email");
	}

	@Test
	void callConvertsArgumentsInjectsContextAndSerialisesResult() {
		WeatherTools bean = new WeatherTools();
		ToolResult result = tool(bean, "get_forecast").call(json("""
				{"location": {"city": "Oslo", "zip": 150}, "unit": "CELSIUS", "days": 3}
				"""), this.context);
		assertThat(result.isError()).isFalse();
		assertThat(result.content().get("summary").asText()).isEqualTo("Oslo/null/150 in CELSIUS for 3 days");
		assertThat(result.content().get("temperatures").size()).isEqualTo(3);
		assertThat(bean.lastContext).isSameAs(this.context);
	}

	@Test
	void absentOptionalAndNullableArgumentsArriveEmpty() {
		ToolResult result = tool(new WeatherTools(), "get_forecast")
			.call(json("{\"location\":{\"city\":\"Rome\"},\"unit\":\"FAHRENHEIT\"}"), this.context);
		assertThat(result.content().get("summary").asText()).isEqualTo("Rome/null/none in FAHRENHEIT for 1 days");
	}

	@Test
	void exceptionBecomesErrorResultWithItsMessage() {
		ToolResult result = tool(new WeatherTools(), "explode").call(json("{}"), this.context);
		assertThat(result.isError()).isTrue();
		assertThat(result.content().get("error").asText()).isEqualTo("kaboom");
	}

	@Test
	void voidMethodReturnsJsonNull() {
		ToolResult result = tool(new WeatherTools(), "nothing").call(json("{}"), this.context);
		assertThat(result.isError()).isFalse();
		assertThat(result.content().isNull()).isTrue();
	}

	@Test
	void toolResultAndJsonNodeReturnValuesPassThrough() {
		ToolResult result = tool(new WeatherTools(), "custom_result").call(json("{}"), this.context);
		assertThat(result.isError()).isTrue();
		assertThat(result.content().asText()).isEqualTo("custom");
	}

	@Test
	void argumentOfWrongShapeIsReportedNotThrown() {
		ToolResult result = tool(new WeatherTools(), "get_forecast")
			.call(json("{\"location\":{\"city\":\"Oslo\"},\"unit\":\"KELVIN\"}"), this.context);
		assertThat(result.isError()).isTrue();
		assertThat(result.content().get("error").asText()).contains("'unit'");
	}

	@Test
	void jsonHandlerBeanBecomesToolNamedAfterClass() {
		List<Tool> tools = this.factory.createTools(new WordCountToolHandler(), WordCountToolHandler.class,
				"bean:words");
		assertThat(tools).hasSize(1);
		Tool tool = tools.get(0);
		assertThat(tool.definition().name()).isEqualTo("word_count");
		assertThat(tool.definition().readOnly()).isTrue();
		assertThat(tool.definition().parameters().get("required").get(0).asText()).isEqualTo("text");
		assertThat(tool.call(json("{\"text\":\"a b c\"}"), this.context).content().get("words").asInt()).isEqualTo(3);
	}

	@Test
	void jsonHandlerExceptionBecomesErrorResult() {
		Tool tool = this.factory.createTools(new WordCountToolHandler(), WordCountToolHandler.class, "bean:words").get(0);
		ToolResult result = tool.call(json("{}"), this.context);
		assertThat(result.isError()).isTrue();
		assertThat(result.content().get("error").asText()).isEqualTo("text is required");
	}

	@Test
	void primitiveOptionalParameterIsRejected() {
		assertThatExceptionOfType(InvalidToolException.class)
			.isThrownBy(() -> this.factory.createTools(new BadTools(), BadTools.class, "bean:bad"))
			.withMessageContaining("BadTools.count")
			.withMessageContaining("primitive parameter 'n'");
	}

	@Test
	void declaresToolsDetectsAnnotatedMethodsAndHandlers() {
		assertThat(AnnotatedToolFactory.declaresTools(WeatherTools.class)).isTrue();
		assertThat(AnnotatedToolFactory.declaresTools(WordCountToolHandler.class)).isTrue();
		assertThat(AnnotatedToolFactory.declaresTools(String.class)).isFalse();
	}

	@Test
	void snakeCaseHandlesAcronymsAndDigits() {
		assertThat(ToolNames.snakeCase("getWeatherForecast")).isEqualTo("get_weather_forecast");
		assertThat(ToolNames.snakeCase("parseURLNow")).isEqualTo("parse_url_now");
		assertThat(ToolNames.snakeCase("HTTPServer")).isEqualTo("http_server");
		assertThat(ToolNames.snakeCase("sha256Sum")).isEqualTo("sha256_sum");
		assertThat(ToolNames.label("get_weather")).isEqualTo("Get weather");
	}

	@Test
	void toolsComeInNameOrderWithTheHandlerAmongThem() {
		assertThat(this.factory.createTools(new ZebraHandler(), ZebraHandler.class, "bean:zebra"))
			.extracting((tool) -> tool.definition().name())
			.containsExactly("analyse", "zz_count");
	}

	@Test
	void aHandlerIsNamedAfterItsClassWithoutTheSuffixUnlessThatWouldLeaveNothing() {
		assertThat(handlerName(new WordCounter())).isEqualTo("word_counter");
		assertThat(handlerName(new Handler())).isEqualTo("handler");
		assertThat(handlerName(new PlainHandler())).isEqualTo("plain");
	}

	@Test
	void aHandlerSchemaThatIsNotAJsonObjectIsRefused() {
		for (String schema : List.of("[]", "", "  ")) {
			assertThatExceptionOfType(InvalidToolException.class)
				.isThrownBy(() -> handlerName(new SchemaHandler(schema)))
				.withMessage("the parameters schema of tool 'schema' (" + SchemaHandler.class.getName()
						+ ") must be a JSON object");
		}
		assertThatExceptionOfType(InvalidToolException.class).isThrownBy(() -> handlerName(new SchemaHandler("{")))
			.withMessageStartingWith("the parameters schema of tool 'schema' (" + SchemaHandler.class.getName()
					+ ") is not valid JSON: ");
	}

	@Test
	void aHandlersDefaultSchemaIsAnyObject() {
		JsonToolHandler handler = (arguments, context) -> ToolResult.success(arguments);
		assertThat(handler.parametersSchema()).isEqualTo("{\"type\":\"object\"}");
	}

	@Test
	void staticAndNonPublicToolMethodsAreRefused() {
		assertThatExceptionOfType(InvalidToolException.class)
			.isThrownBy(() -> this.factory.createTools(new StaticTools(), StaticTools.class, "bean:bad"))
			.withMessage("@GrainTool method " + StaticTools.class.getName() + ".shared must be public and not static");
		assertThatExceptionOfType(InvalidToolException.class)
			.isThrownBy(() -> this.factory.createTools(new HiddenTools(), HiddenTools.class, "bean:bad"))
			.withMessage("@GrainTool method " + HiddenTools.class.getName() + ".hidden must be public and not static");
	}

	@Test
	void twoParametersWithOneArgumentNameAreRefused() {
		assertThatExceptionOfType(InvalidToolException.class)
			.isThrownBy(() -> this.factory.createTools(new TwinTools(), TwinTools.class, "bean:bad"))
			.withMessage("@GrainTool method " + TwinTools.class.getName() + ".twins has two parameters named 'x'");
	}

	@Test
	void aToolParamNameIsTheArgumentsPropertyName() {
		Tool tool = tool(new PrimitiveTools(), "add");
		assertThat(names(tool.definition().parameters().get("properties"))).containsExactly("first", "b");
		assertThat(tool.call(json("{\"first\":2,\"b\":3}"), this.context)).isEqualTo(ToolResult.success(json("5")));
	}

	@Test
	void parameterNamesMissingFromTheClassFileAreRefusedWithAdvice(@TempDir Path classes) throws Exception {
		Class<?> unnamed = compileWithoutParameterNames(classes, "Unnamed", """
				public class Unnamed {
					@io.github.grain.plugin.tool.GrainTool
					public String greet(String who) {
						return who;
					}
				}
				""");
		assertThatExceptionOfType(InvalidToolException.class)
			.isThrownBy(() -> this.factory.createTools(unnamed.getConstructor().newInstance(), unnamed, "bean:u"))
			.withMessage("@GrainTool method Unnamed.greet: parameter names are not available; compile with "
					+ "'-parameters' or name each parameter with @ToolParam(name = ...)");
	}

	@Test
	void aPublicMethodOfAClassThatIsNotPublicIsCalled() {
		Object bean = HiddenBeans.greeter();
		Tool tool = this.factory.createTools(bean, bean.getClass(), "bean:private").get(0);
		assertThat(tool.call(json("{\"who\":\"you\"}"), this.context))
			.isEqualTo(ToolResult.success(json("\"hello you\"")));
	}

	@Test
	void aMissingOrNullPrimitiveArgumentIsReportedNotPassed() {
		Tool tool = tool(new PrimitiveTools(), "add");
		ToolResult missing = ToolResult.invalidArguments("argument 'b' is missing",
				List.of("$.b: a value is required"));
		assertThat(tool.call(json("{\"first\":1}"), this.context)).isEqualTo(missing);
		assertThat(tool.call(json("{\"first\":1,\"b\":null}"), this.context)).isEqualTo(missing);
	}

	@Test
	void anArgumentThatCannotBeReadNamesTheArgumentAndJacksonsReason() {
		ToolResult result = tool(new WeatherTools(), "get_forecast")
			.call(json("{\"location\":{\"city\":\"Oslo\"},\"unit\":\"KELVIN\"}"), this.context);
		assertThat(result.content().get("error").asText()).isEqualTo("argument 'unit' cannot be read");
		assertThat(result.content().get("violations").size()).isOne();
		// Jackson's own words (it lists the values in no fixed order), without the location its message adds
		assertThat(result.content().get("violations").get(0).asText()).matches(Pattern.quote("Cannot deserialize value "
				+ "of type `" + Unit.class.getName() + "` from String \"KELVIN\": not one of the values accepted for "
				+ "Enum class: ") + "\\[(CELSIUS, FAHRENHEIT|FAHRENHEIT, CELSIUS)\\]");
	}

	@Test
	void anArgumentItsTypeRefusesIsReportedWithTheTypesOwnMessage() {
		ToolResult result = tool(new PrimitiveTools(), "book").call(json("{\"seat\":{\"row\":0}}"), this.context);
		assertThat(result).isEqualTo(ToolResult.invalidArguments("argument 'seat' cannot be read",
				List.of("row must be at least 1")));
	}

	@Test
	void aResultThatCannotBeWrittenAsJsonIsAnErrorWithTheReason() {
		ToolResult result = tool(new PrimitiveTools(), "unwritable").call(json("{}"), this.context);
		assertThat(result)
			.isEqualTo(ToolResult.error("the result of tool 'unwritable' cannot be written as JSON: no value yet"));
	}

	@Test
	void anOptionalResultIsItsValueOrNullWhateverTheMapper() {
		AnnotatedToolFactory plain = new AnnotatedToolFactory(new ObjectMapper());
		Tool tool = plain.createTools(new PrimitiveTools(), PrimitiveTools.class, "bean:p")
			.stream()
			.filter((candidate) -> candidate.definition().name().equals("maybe"))
			.findFirst()
			.orElseThrow();
		assertThat(tool.call(json("{\"present\":true}"), this.context)).isEqualTo(ToolResult.success(json("\"x\"")));
		assertThat(tool.call(json("{\"present\":false}"), this.context)).isEqualTo(ToolResult.success(json("null")));
	}

	@Test
	void aJsonNodeResultIsTheContent() {
		assertThat(tool(new PrimitiveTools(), "node").call(json("{}"), this.context))
			.isEqualTo(ToolResult.success(json("{\"a\":[1,\"b\",null]}")));
	}

	private String handlerName(JsonToolHandler handler) {
		List<Tool> tools = this.factory.createTools(handler, handler.getClass(), "bean:handler");
		assertThat(tools).hasSize(1);
		return tools.get(0).definition().name();
	}

	/** Compile one class in the default package as a build without {@code -parameters} would. */
	private static Class<?> compileWithoutParameterNames(Path classes, String name, String source)
			throws IOException, ClassNotFoundException {
		Path file = Files.writeString(classes.resolve(name + ".java"), source);
		String classPath = Path.of(GrainTool.class.getProtectionDomain().getCodeSource().getLocation().getPath())
			.toString();
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		assertThat(compiler.run(null, null, null, "-classpath", classPath, "-d", classes.toString(), file.toString()))
			.isZero();
		URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
				AnnotatedToolFactoryTests.class.getClassLoader());
		return loader.loadClass(name);
	}

	private Tool tool(Object bean, String name) {
		return this.factory.createTools(bean, bean.getClass(), "bean:weather")
			.stream()
			.filter((tool) -> tool.definition().name().equals(name))
			.findFirst()
			.orElseThrow();
	}

	private JsonNode json(String text) {
		try {
			return this.mapper.readTree(text);
		}
		catch (Exception ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	private static List<String> names(JsonNode object) {
		List<String> names = new java.util.ArrayList<>();
		object.fieldNames().forEachRemaining(names::add);
		return names;
	}

	private static JsonNode resolve(JsonNode root, JsonNode node) {
		JsonNode ref = node.get("$ref");
		if (ref == null) {
			return node;
		}
		return root.at(ref.asText().substring(1));
	}

	public enum Unit {

		CELSIUS, FAHRENHEIT

	}

	public record Location(@ToolParam(description = "City name") String city, @Nullable String country,
			Optional<Integer> zip) {
	}

	public record Forecast(String summary, List<Double> temperatures) {
	}

	public static class Subscription {

		@ToolParam(description = "Where to send it")
		public String email;

		public String frequency;

	}

	public static class WeatherTools {

		ToolContext lastContext;

		@GrainTool(description = "Forecast for a place", capability = "network", readOnly = true)
		public Forecast getForecast(@ToolParam(description = "Where to look") Location location, Unit unit,
				Optional<Integer> days, @Nullable String note, ToolContext context) {
			this.lastContext = context;
			int count = days.orElse(1);
			String zip = location.zip().map(String::valueOf).orElse("none");
			return new Forecast(location.city() + "/" + location.country() + "/" + zip + " in " + unit + " for " + count
					+ " days", java.util.Collections.nCopies(count, 20.5));
		}

		@GrainTool(label = "Explode!")
		public String explode() {
			throw new IllegalStateException("kaboom");
		}

		@GrainTool
		public void nothing() {
		}

		@GrainTool
		public ToolResult customResult() {
			return new ToolResult(com.fasterxml.jackson.databind.node.TextNode.valueOf("custom"), true);
		}

		@GrainTool
		public Map<String, String> subscribe(Subscription request) {
			return Map.of("email", request.email);
		}

		public String notATool() {
			return "";
		}

	}

	@GrainTool(description = "Counts words", readOnly = true)
	public static class WordCountToolHandler implements JsonToolHandler {

		@Override
		public ToolResult handle(JsonNode arguments, ToolContext context) {
			JsonNode text = arguments.get("text");
			if (text == null) {
				throw new IllegalArgumentException("text is required");
			}
			ObjectNode result = ToolJson.newMapper().createObjectNode();
			result.put("words", text.asText().split("\\s+").length);
			return ToolResult.success(result);
		}

		@Override
		public String parametersSchema() {
			return "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}";
		}

	}

	public static class BadTools {

		@GrainTool
		public int count(@ToolParam(name = "n", required = false) int n) {
			return n;
		}

	}

	public static class PrimitiveTools {

		@GrainTool
		public int add(@ToolParam(name = "first") int a, int b) {
			return a + b;
		}

		@GrainTool
		public String book(Seat seat) {
			return "row " + seat.row();
		}

		@GrainTool
		public Unwritable unwritable() {
			return new Unwritable();
		}

		@GrainTool
		public Optional<String> maybe(boolean present) {
			return present ? Optional.of("x") : Optional.empty();
		}

		@GrainTool
		public JsonNode node() throws IOException {
			return ToolJson.newMapper().readTree("{\"a\":[1,\"b\",null]}");
		}

	}

	public record Seat(int row) {

		public Seat {
			if (row < 1) {
				throw new IllegalArgumentException("row must be at least 1");
			}
		}

	}

	public static class Unwritable {

		public String getValue() {
			throw new IllegalStateException("no value yet");
		}

	}

	public static class StaticTools {

		@GrainTool
		public static String shared() {
			return "";
		}

	}

	public static class HiddenTools {

		@GrainTool
		String hidden() {
			return "";
		}

	}

	public static class TwinTools {

		@GrainTool
		public String twins(@ToolParam(name = "x") String a, @ToolParam(name = "x") String b) {
			return a + b;
		}

	}

	@GrainTool(name = "zz_count")
	public static class ZebraHandler extends WordCountToolHandler {

		@GrainTool
		public String analyse() {
			return "";
		}

	}

	public static class WordCounter extends WordCountToolHandler {

	}

	/** Named exactly like a suffix that is stripped. */
	public static class Handler extends WordCountToolHandler {

	}

	public static class PlainHandler extends WordCountToolHandler {

	}

	public static class SchemaHandler extends WordCountToolHandler {

		private final String schema;

		SchemaHandler(String schema) {
			this.schema = schema;
		}

		@Override
		public String parametersSchema() {
			return this.schema;
		}

	}

}
