package io.github.grain.plugin.autoconfigure;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.github.grain.plugin.engine.UntrustedText;
import io.github.grain.plugin.tool.ToolJson;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Lets Jackson 3 (Spring Boot 4's default for HTTP) write the Jackson 2 {@link JsonNode}s
 * of the tool model (schemas, tool results) as the JSON they hold, instead of as a bean
 * or an array of children.
 * <p>
 * The node is written token by token, never as raw text: a Java string parsed from
 * JSON can hold an unpaired surrogate ({@code "\ud800"}), which no UTF-8 writer can
 * encode. Such a surrogate is written as U+FFFD, as the engine does when it hands text
 * to a guest, so a tool result holding one is an ordinary response.
 */
public class Jackson2JsonNodeModule extends SimpleModule {

	public Jackson2JsonNodeModule() {
		super("grain-jackson2-json-node");
		addSerializer(JsonNode.class, new Jackson2JsonNodeSerializer());
	}

	private static final class Jackson2JsonNodeSerializer extends StdSerializer<JsonNode> {

		private static final ObjectMapper POJO_MAPPER = ToolJson.newMapper();

		Jackson2JsonNodeSerializer() {
			super(JsonNode.class);
		}

		@Override
		public void serialize(JsonNode value, JsonGenerator generator, SerializationContext context) {
			write(value, generator);
		}

		private static void write(JsonNode node, JsonGenerator generator) {
			switch (node.getNodeType()) {
				case OBJECT -> {
					generator.writeStartObject();
					for (Map.Entry<String, JsonNode> property : node.properties()) {
						generator.writeName(UntrustedText.wellFormed(property.getKey()));
						write(property.getValue(), generator);
					}
					generator.writeEndObject();
				}
				case ARRAY -> {
					generator.writeStartArray();
					for (JsonNode element : node) {
						write(element, generator);
					}
					generator.writeEndArray();
				}
				case STRING -> generator.writeString(UntrustedText.wellFormed(node.textValue()));
				case NUMBER -> writeNumber(node, generator);
				case BOOLEAN -> generator.writeBoolean(node.booleanValue());
				case BINARY -> generator.writeBinary(((BinaryNode) node).binaryValue());
				case POJO -> write(POJO_MAPPER.valueToTree(((POJONode) node).getPojo()), generator);
				default -> generator.writeNull();
			}
		}

		private static void writeNumber(JsonNode node, JsonGenerator generator) {
			switch (node.numberType()) {
				case INT -> generator.writeNumber(node.intValue());
				case LONG -> generator.writeNumber(node.longValue());
				case BIG_INTEGER -> generator.writeNumber(node.bigIntegerValue());
				case FLOAT -> generator.writeNumber(node.floatValue());
				case DOUBLE -> generator.writeNumber(node.doubleValue());
				default -> generator.writeNumber(node.decimalValue());
			}
		}

	}

}
