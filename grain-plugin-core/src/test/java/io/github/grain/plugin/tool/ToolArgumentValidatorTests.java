package io.github.grain.plugin.tool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ToolArgumentValidatorTests {

	private final ObjectMapper mapper = ToolJson.newMapper();

	private final ToolArgumentValidator validator = new ToolArgumentValidator(this.mapper);

	@Test
	void validArgumentsHaveNoViolations() throws Exception {
		ToolArgumentValidator.CompiledSchema schema = compile("""
				{"type":"object","properties":{"n":{"type":"integer","minimum":1}},"required":["n"]}
				""");
		assertThat(schema.validate(this.mapper.readTree("{\"n\":3}"))).isEmpty();
	}

	@Test
	void violationsNameTheLocation() throws Exception {
		ToolArgumentValidator.CompiledSchema schema = compile("""
				{"type":"object","properties":{"n":{"type":"integer","minimum":1}},"required":["n"]}
				""");
		List<String> violations = schema.validate(this.mapper.readTree("{\"n\":0}"));
		assertThat(violations).singleElement().asString().contains("$.n").contains("1");
		assertThat(schema.validate(this.mapper.readTree("{\"n\":1.5}"))).singleElement().asString().contains("integer");
	}

	@Test
	void draft07SchemaNamedBySchemaKeywordIsHonoured() throws Exception {
		ToolArgumentValidator.CompiledSchema schema = compile("""
				{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
				 "properties":{"tags":{"type":"array","items":{"type":"string"}}}}
				""");
		assertThat(schema.validate(this.mapper.readTree("{\"tags\":[\"a\",1]}"))).singleElement().asString()
			.contains("$.tags[1]");
	}

	@Test
	void remoteReferencesAreNeverFetched() throws Exception {
		AtomicInteger hits = new AtomicInteger();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			hits.incrementAndGet();
			byte[] body = "{\"type\":\"string\"}".getBytes();
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		try {
			String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/schema.json";
			String schemaText = "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"" + url + "\"}}}";
			ToolDefinition definition = new ToolDefinition("t", "t", "", this.mapper.readTree(schemaText), "test:t", null,
					true);
			// compiling resolves every reference, so the tool is refused before any call
			assertThatExceptionOfType(InvalidToolException.class).isThrownBy(() -> this.validator.compile(definition))
				.withMessage("the parameters schema of tool 't' from test:t cannot be used: Schema from '" + url
						+ "' is not allowed to be loaded.");
			assertThat(hits).hasValue(0);
		}
		finally {
			server.stop(0);
		}
	}

	// ---- limits and dialects -------------------------------------------------------

	@Test
	void atMostTwentyViolationsAreReportedInPathOrder() throws Exception {
		ToolArgumentValidator.CompiledSchema schema = compile("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}");
		List<String> violations = schema.validate(this.mapper.readTree(stringProperties(25)));
		assertThat(violations).hasSize(20);
		assertThat(violations.get(0)).startsWith("$.pa:");
		assertThat(violations.get(19)).startsWith("$.pt:");
	}

	@Test
	void exactlyTwentyViolationsAreAllReported() throws Exception {
		ToolArgumentValidator.CompiledSchema schema = compile("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}");
		assertThat(schema.validate(this.mapper.readTree(stringProperties(20)))).hasSize(20);
	}

	/** {@code {"pa":"x","pb":"x",...}} with {@code count} properties. */
	private static String stringProperties(int count) {
		StringBuilder arguments = new StringBuilder("{");
		for (int i = 0; i < count; i++) {
			arguments.append((i > 0) ? "," : "").append("\"p").append((char) ('a' + i)).append("\":\"x\"");
		}
		return arguments.append("}").toString();
	}

	@Test
	void violationsOfAnObjectComeBeforeThoseOfItsProperties() throws Exception {
		ToolArgumentValidator.CompiledSchema schema = compile("""
				{"type":"object","properties":{"a":{"type":"object","required":["c"],
				 "properties":{"b":{"type":"string"}}}}}
				""");
		// by message alone "$.a.b: ..." would sort first ('.' before ':')
		assertThat(schema.validate(this.mapper.readTree("{\"a\":{\"b\":1}}"))).satisfiesExactly(
				(first) -> assertThat(first).startsWith("$.a: "), (second) -> assertThat(second).startsWith("$.a.b: "));
	}

	@Test
	void aReferenceThatResolvesToNothingIsRefusedWhenCompiled() {
		assertThatExceptionOfType(InvalidToolException.class)
			.isThrownBy(() -> compile("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/missing\"}}}"))
			.withMessageStartingWith("the parameters schema of tool 't' from test:t cannot be used: ");
	}

	@Test
	void aSchemaThatIsNotAJsonSchemaIsRefusedNamingTheToolAndTheProblem() {
		assertThatExceptionOfType(InvalidToolException.class).isThrownBy(() -> compile("{\"type\":\"objekt\"}"))
			.withMessageStartingWith("the parameters schema of tool 't' from test:t is not a valid JSON Schema: ");
	}

	@Test
	void aSchemaDeclaringAnotherDialectIsCheckedAgainstThatDialect() throws Exception {
		// draft-07 does not know "prefixItems"; 2020-12 requires it to be an array
		String draft07 = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\",\"prefixItems\":7}";
		assertThat(compile(draft07).validate(this.mapper.readTree("{}"))).isEmpty();
		assertThatExceptionOfType(InvalidToolException.class)
			.isThrownBy(() -> compile("{\"type\":\"object\",\"prefixItems\":7}"))
			.withMessageContaining("prefixItems");
	}

	private ToolArgumentValidator.CompiledSchema compile(String schema) throws IOException {
		return this.validator
			.compile(new ToolDefinition("t", "t", "", this.mapper.readTree(schema), "test:t", null, true));
	}

}
