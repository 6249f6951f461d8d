package io.github.grain.plugin.tool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
			try {
				List<String> violations = this.validator.compile(definition).validate(this.mapper.readTree("{\"a\":1}"));
				assertThat(violations).isNotEmpty();
			}
			catch (InvalidToolException ex) {
				assertThat(ex).hasMessageContaining("tool 't'");
			}
			assertThat(hits).hasValue(0);
		}
		finally {
			server.stop(0);
		}
	}

	private ToolArgumentValidator.CompiledSchema compile(String schema) throws IOException {
		return this.validator
			.compile(new ToolDefinition("t", "t", "", this.mapper.readTree(schema), "test:t", null, true));
	}

}
