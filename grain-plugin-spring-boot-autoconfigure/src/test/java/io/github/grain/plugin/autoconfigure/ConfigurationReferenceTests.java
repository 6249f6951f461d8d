package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/configuration.md} and the configuration metadata the build generates from
 * {@link GrainPluginsProperties} name the same {@code grain.plugins.*} properties: none is
 * undocumented, and the page names none that does not exist. A map property (per plugin,
 * per tool) is documented by its entries ({@code grain.plugins.plugin.<name>.runtime}).
 */
class ConfigurationReferenceTests {

	private static final Pattern PROPERTY = Pattern.compile("`(grain\\.plugins\\.[a-z0-9.\\-<>\\[\\]A-Z_]+)`");

	@Test
	void thePageAndTheMetadataNameTheSameProperties() throws IOException {
		Set<String> metadata = metadataProperties();
		assertThat(metadata).as("properties in the metadata").hasSizeGreaterThan(30);
		Path page = Path.of("").toAbsolutePath().getParent().resolve("docs/configuration.md");
		Set<String> documented = new TreeSet<>();
		Matcher property = PROPERTY.matcher(Files.readString(page, StandardCharsets.UTF_8));
		while (property.find()) {
			documented.add(property.group(1));
		}
		List<String> undocumented = new ArrayList<>();
		for (String name : metadata) {
			if (documented.stream().noneMatch((doc) -> doc.equals(name) || doc.startsWith(name + "."))) {
				undocumented.add(name);
			}
		}
		List<String> unknown = new ArrayList<>();
		for (String doc : documented) {
			if (metadata.stream().noneMatch((name) -> doc.equals(name) || doc.startsWith(name + "."))) {
				unknown.add(doc);
			}
		}
		assertThat(undocumented).as("properties missing from docs/configuration.md").isEmpty();
		assertThat(unknown).as("properties on docs/configuration.md that do not exist").isEmpty();
	}

	private static Set<String> metadataProperties() throws IOException {
		Set<String> names = new TreeSet<>();
		try (InputStream in = ConfigurationReferenceTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("the metadata the configuration processor generates").isNotNull();
			for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
				String name = property.path("name").asText();
				if (name.startsWith("grain.plugins.")) {
					names.add(name);
				}
			}
		}
		return names;
	}

}
