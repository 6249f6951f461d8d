package io.github.grain.plugin.autoconfigure;

import com.fasterxml.jackson.databind.JsonNode;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Lets Jackson 3 (Spring Boot 4's default for HTTP) write the Jackson 2 {@link JsonNode}s
 * of the tool model (schemas, tool results) as the JSON they hold, instead of as a bean
 * or an array of children.
 */
public class Jackson2JsonNodeModule extends SimpleModule {

	public Jackson2JsonNodeModule() {
		super("grain-jackson2-json-node");
		addSerializer(JsonNode.class, new Jackson2JsonNodeSerializer());
	}

	private static final class Jackson2JsonNodeSerializer extends StdSerializer<JsonNode> {

		Jackson2JsonNodeSerializer() {
			super(JsonNode.class);
		}

		@Override
		public void serialize(JsonNode value, JsonGenerator generator, SerializationContext context) {
			// Jackson 2's toString() writes the node as valid JSON
			generator.writeRawValue(value.toString());
		}

	}

}
