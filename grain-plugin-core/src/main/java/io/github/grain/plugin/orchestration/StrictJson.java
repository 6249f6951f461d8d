package io.github.grain.plugin.orchestration;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a text is exactly one strict JSON value (RFC 8259: no comments, no single
 * quotes, no trailing content, and no duplicate object keys, which consumers would read
 * differently), streaming through it without building a tree.
 */
final class StrictJson {

	private static final JsonFactory factory = JsonFactory.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private StrictJson() {
	}

	/**
	 * What is wrong with the text as JSON.
	 * @param text the text
	 * @return a predicate phrase such as {@code "is not valid JSON: …"}, to follow the
	 * subject's name; {@code null} when the text is one valid JSON value
	 */
	static @Nullable String problem(String text) {
		try (JsonParser parser = factory.createParser(text)) {
			if (parser.nextToken() == null) {
				return "is empty, not JSON";
			}
			parser.skipChildren();
			if (parser.nextToken() != null) {
				return "has content after its JSON value" + at(parser.currentTokenLocation());
			}
			return null;
		}
		catch (JsonProcessingException ex) {
			return "is not valid JSON: " + ex.getOriginalMessage() + at(ex.getLocation());
		}
		catch (IOException ex) {
			// A String source cannot fail to read; refuse rather than guess.
			return "could not be read as JSON: " + ex.getMessage();
		}
	}

	private static String at(@Nullable JsonLocation location) {
		return (location != null) ? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"
				: "";
	}

}
