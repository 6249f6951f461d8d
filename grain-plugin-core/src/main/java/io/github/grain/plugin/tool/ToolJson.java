package io.github.grain.plugin.tool;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The Jackson 2 mapper the tool model uses for arguments, results and schemas.
 */
public final class ToolJson {

	private ToolJson() {
	}

	/**
	 * A new mapper with {@code Optional} and {@code java.time} support, ISO dates, and
	 * unknown properties refused (the schema already refuses them; this keeps conversion
	 * honest for types whose schema allows extras).
	 * @return the mapper
	 */
	public static ObjectMapper newMapper() {
		return JsonMapper.builder()
			.addModule(new Jdk8Module())
			.addModule(new JavaTimeModule())
			.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
			.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.build();
	}

}
