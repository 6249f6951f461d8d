package io.github.grain.plugin.tool;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A schema whose references loop without reaching into the arguments is refused when a tool
 * is registered (before, the validator overflowed its stack on the first call naming such a
 * property); recursion that descends into the arguments stays allowed.
 */
class SchemaLoopsTests {

	private final ObjectMapper mapper = ToolJson.newMapper();

	private final ToolArgumentValidator validator = new ToolArgumentValidator(this.mapper);

	@Test
	void twoPropertiesReferringToEachOtherAreRefusedNamingTheLoop() {
		assertThatExceptionOfType(InvalidToolException.class).isThrownBy(() -> compile("""
				{"type":"object","properties":{"a":{"$ref":"#/properties/b"},"b":{"$ref":"#/properties/a"}}}
				""")).withMessage("the parameters schema of tool 't' from test:t loops: #/properties/a -> #/properties/b"
				+ " -> #/properties/a comes back without reaching into the arguments, so no call could ever be checked");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"$ref":"#"}                                               | # -> #
			{"allOf":[{"type":"object"},{"$ref":"#"}]}                 | # -> #/allOf/1 -> #
			{"anyOf":[{"$ref":"#"}]}                                   | # -> #/anyOf/0 -> #
			{"oneOf":[{"$ref":"#"}]}                                   | # -> #/oneOf/0 -> #
			{"not":{"$ref":"#"}}                                       | # -> #/not -> #
			{"if":{"$ref":"#"}}                                        | # -> #/if -> #
			{"if":true,"then":{"$ref":"#"}}                            | # -> #/then -> #
			{"if":false,"else":{"$ref":"#"}}                           | # -> #/else -> #
			{"dependentSchemas":{"x":{"$ref":"#"}}}                    | # -> #/dependentSchemas/x -> #
			{"$dynamicRef":"#"}                                        | # -> #
			{"prefixItems":[true,{"not":{"$ref":"#/prefixItems/1"}}]}  | #/prefixItems/1 -> #/prefixItems/1/not -> #/prefixItems/1
			{"properties":{"p":{"$ref":"#/$defs/a"}},"$defs":{"a":{"anyOf":[{"$ref":"#/$defs/b"}]},"b":{"$ref":"#/$defs/a"}}} | #/$defs/a -> #/$defs/a/anyOf/0 -> #/$defs/b -> #/$defs/a
			{"$defs":{"a/b":{"$ref":"#/$defs/c~0d"},"c~d":{"$ref":"#/$defs/a~1b"}}}     | #/$defs/a~1b -> #/$defs/c~0d -> #/$defs/a~1b
			{"$defs":{"a b":{"not":{"$ref":"#/$defs/a%20b"}}}}         | #/$defs/a b -> #/$defs/a b/not -> #/$defs/a b
			{"properties":{"n":{"$ref":"#/$defs/node"}},"$defs":{"node":{"$id":"urn:grain:node","anyOf":[{"type":"null"},{"$ref":"#"}]}}} | #/$defs/node -> #/$defs/node/anyOf/1 -> #/$defs/node
			""")
	void everyInPlaceStepCanCloseALoop(String schema, String loop) {
		assertThatExceptionOfType(InvalidToolException.class).isThrownBy(() -> compile(schema))
			.withMessageContaining(" loops: " + loop + " comes back");
	}

	@Test
	void draft07DependenciesWithASchemaCanCloseALoop() {
		assertThatExceptionOfType(InvalidToolException.class).isThrownBy(() -> compile("""
				{"$schema":"http://json-schema.org/draft-07/schema#",
				 "dependencies":{"x":["y"],"y":{"$ref":"#"}}}
				""")).withMessageContaining(" loops: # -> #/dependencies/y -> # comes back");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"type":"object","properties":{"child":{"$ref":"#"}}}                        | {"child":{"child":{"child":7}}}   | $.child.child.child
			{"type":"array","items":{"$ref":"#"}}                                        | [[[[1]]]]                          | $[0][0][0][0]
			{"type":"array","prefixItems":[{"$ref":"#"}]}                                | [[["x"]]]                          | $[0][0][0]
			{"type":"object","additionalProperties":{"$ref":"#"}}                        | {"a":{"b":false}}                  | $.a.b
			{"type":"object","patternProperties":{"^p":{"$ref":"#"}}}                    | {"p1":{"p2":"s"}}                  | $.p1.p2
			{"type":"array","contains":{"$ref":"#"}}                                     | [[1]]                              | $: must contain
			{"type":"object","properties":{"t":{"$ref":"#/$defs/tree"}},"$defs":{"tree":{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#/$defs/tree"}}}}}} | {"t":{"kids":[{"kids":[3]}]}} | $.t.kids[0].kids[0]
			""")
	void recursionThatReachesIntoTheArgumentsIsAllowed(String schema, String arguments, String deepest)
			throws IOException {
		assertThat(compile(schema).validate(this.mapper.readTree(arguments))).isNotEmpty()
			.allSatisfy((violation) -> assertThat(violation).startsWith(deepest));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"const":{"$ref":"#"}}                                             | {"$ref":"#"}
			{"enum":[{"allOf":[{"$ref":"#"}]}]}                                | {"allOf":[{"$ref":"#"}]}
			{"properties":{"$ref":{"type":"string"}}}                          | {"$ref":"#"}
			{"properties":{"a":{"$ref":"#/properties/b"},"b":true}}            | {"a":1}
			{"$ref":"#/$defs/t","$defs":{"t":{"allOf":[{"$ref":"#/$defs/u"}]},"u":{"type":"object"}}} | {}
			""")
	void dataThatLooksLikeAReferenceAndChainsThatEndAreNoLoop(String schema, String arguments) throws IOException {
		assertThat(compile(schema).validate(this.mapper.readTree(arguments))).isEmpty();
	}

	@Test
	void aLoopTheCheckCannotFollowIsAViolationNotAStackOverflow() throws IOException {
		ToolArgumentValidator.CompiledSchema schema = compile("""
				{"type":"object","properties":{"a":{"$ref":"#x"}},
				 "$defs":{"x":{"$anchor":"x","$ref":"#y"},"y":{"$anchor":"y","$ref":"#x"}}}
				""");
		assertThat(schema.validate(this.mapper.readTree("{\"a\":1}"))).containsExactly(recursedTooDeeply(1));
		assertThat(schema.validate(this.mapper.readTree("{}"))).isEmpty();
	}

	@Test
	void aLoopThroughAnAbsoluteReferenceIsLeftToTheValidator() throws IOException {
		ToolArgumentValidator.CompiledSchema schema = compile("""
				{"$id":"urn:grain:t","type":"object","properties":{"a":{"$ref":"urn:grain:t#/properties/a"}}}
				""");
		assertThat(schema.validate(this.mapper.readTree("{\"a\":1}"))).containsExactly(recursedTooDeeply(1));
	}

	@Test
	void argumentsDeeperThanTheStackLetsARecursiveSchemaFollowAreAViolationNamingTheirDepth() throws Exception {
		ToolArgumentValidator.CompiledSchema schema = compile("""
				{"type":"object","properties":{"a":{"$ref":"#/$defs/n"}},
				 "$defs":{"n":{"type":"array","items":{"$ref":"#/$defs/n"}}}}
				""");
		// built in memory, past any parser's nesting limit and deeper than any thread's stack lets
		// the validator follow (how deep a stack reaches depends on the JIT: no fixed small depth is sure to)
		ArrayNode innermost = this.mapper.createArrayNode();
		JsonNode deep = innermost;
		for (int level = 1; level < 100_000; level++) {
			deep = this.mapper.createArrayNode().add(deep);
		}
		JsonNode arguments = this.mapper.createObjectNode().set("a", deep);
		AtomicReference<List<String>> violations = new AtomicReference<>();
		Thread thread = new Thread(null, () -> violations.set(schema.validate(arguments)), "validator", 512 * 1024);
		thread.start();
		thread.join();
		assertThat(violations.get()).containsExactly(recursedTooDeeply(100_001));
		assertThat(schema.validate(this.mapper.readTree("{\"a\":[[[]]]}"))).isEmpty();
	}

	@Test
	void depthCountsContainersNotScalars() throws Exception {
		assertThat(ToolArgumentValidator.CompiledSchema.depth(this.mapper.readTree("7"))).isZero();
		assertThat(ToolArgumentValidator.CompiledSchema.depth(this.mapper.readTree("{}"))).isEqualTo(1);
		assertThat(ToolArgumentValidator.CompiledSchema.depth(this.mapper.readTree("[1,[2,{\"x\":[3]}],{}]")))
			.isEqualTo(4);
		assertThat(ToolArgumentValidator.CompiledSchema.depth(this.mapper.readTree("{\"a\":[[]],\"b\":{\"c\":{}}}")))
			.isEqualTo(3);
	}

	private static String recursedTooDeeply(int depth) {
		return "the schema could not be applied: checking the arguments (nesting depth " + depth
				+ ") recursed too deeply: the schema refers to itself without reaching into them, or they nest"
				+ " deeper than it can follow";
	}

	private ToolArgumentValidator.CompiledSchema compile(String schema) throws IOException {
		return this.validator
			.compile(new ToolDefinition("t", "t", "", this.mapper.readTree(schema), "test:t", null, true));
	}

}
