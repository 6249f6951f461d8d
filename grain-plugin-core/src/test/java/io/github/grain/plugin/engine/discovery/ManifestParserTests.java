package io.github.grain.plugin.engine.discovery;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ManifestParserTests {

	private final ManifestParser parser = new ManifestParser();

	private final Path directory = Path.of("/plugins/weather");

	private final Path file = this.directory.resolve("plugin.toml");

	@Test
	void fullManifest() {
		PluginManifest manifest = parse("""
				name = "weather-tools"
				version = "1.2.0"
				description = "Weather"
				author = "Ada"

				[wasm]
				module = "bin/weather.wasm"
				capabilities = ["log", "env", "http"]

				[wasm.env]
				API_BASE = "https://api.example.com"

				[wasm.http]
				allow = ["https://api.example.com"]
				""");
		assertThat(manifest.name()).isEqualTo("weather-tools");
		assertThat(manifest.version()).isEqualTo("1.2.0");
		assertThat(manifest.description()).isEqualTo("Weather");
		assertThat(manifest.author()).isEqualTo("Ada");
		assertThat(manifest.module()).isEqualTo(this.directory.resolve("bin/weather.wasm"));
		assertThat(manifest.capabilities()).containsExactlyInAnyOrder(Capability.LOG, Capability.ENV, Capability.HTTP);
		assertThat(manifest.env()).isEqualTo(Map.of("API_BASE", "https://api.example.com"));
		assertThat(manifest.requestedHttpAllow()).isEqualTo(List.of("https://api.example.com"));
		assertThat(manifest.file()).isEqualTo(this.file);
	}

	@Test
	void defaultsWhenWasmTableIsAbsent() {
		PluginManifest manifest = parse("version = \"0.1.0\"\n");
		assertThat(manifest.name()).isEqualTo("weather");
		assertThat(manifest.module()).isEqualTo(this.directory.resolve("plugin.wasm"));
		assertThat(manifest.capabilities()).isEqualTo(Set.of(Capability.LOG));
		assertThat(manifest.env()).isEmpty();
		assertThat(manifest.requestedHttpAllow()).isEmpty();
	}

	@Test
	void emptyCapabilityListGrantsNothing() {
		assertThat(parse("[wasm]\ncapabilities = []\n").capabilities()).isEmpty();
	}

	@Test
	void unknownKeysAreIgnoredAndListed() {
		PluginManifest manifest = parse("""
				homepage = "x"
				[wasm]
				fuel = 3
				capabilites = ["http"]
				[wasm.env]
				ANY_NAME = "is a value, not a field"
				[wasm.http]
				allow = ["https://api.example.com"]
				deny = ["https://other.example.com"]
				""");
		assertThat(manifest.name()).isEqualTo("weather");
		assertThat(manifest.capabilities()).containsExactly(Capability.LOG);
		assertThat(manifest.unknownFields()).containsExactly("homepage", "wasm.fuel", "wasm.capabilites",
				"wasm.http.deny");
		assertThat(parse("").unknownFields()).isEmpty();
	}

	@Test
	void syntaxErrorNamesFileAndLine() {
		assertThatExceptionOfType(InvalidManifestException.class).isThrownBy(() -> parse("name = \"a\"\nversion = \n"))
			.withMessageStartingWith("weather/plugin.toml: is not valid TOML")
			.withMessageContaining("line 2")
			.satisfies((ex) -> assertThat(ex.field()).isEmpty());
	}

	@Test
	void wrongTypeNamesTheField() {
		assertThatExceptionOfType(InvalidManifestException.class).isThrownBy(() -> parse("version = 1\n"))
			.withMessage("weather/plugin.toml: field 'version' must be a string, found number")
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("version"));
	}

	@Test
	void nonStringCapabilityNamesTheElement() {
		assertThatExceptionOfType(InvalidManifestException.class)
			.isThrownBy(() -> parse("[wasm]\ncapabilities = [\"log\", 3]\n"))
			.withMessageContaining("field 'wasm.capabilities[1]' must be a string");
	}

	@Test
	void unknownCapabilityNamesPluginFieldAndCapability() {
		assertThatExceptionOfType(InvalidManifestException.class)
			.isThrownBy(() -> parse("[wasm]\ncapabilities = [\"log\", \"filesystem\"]\n"))
			.withMessageStartingWith("weather/plugin.toml: field 'wasm.capabilities'")
			.withMessageContaining("plugin 'weather'")
			.withMessageContaining("unknown capability 'filesystem'");
	}

	@Test
	void nonStringEnvValueNamesTheKey() {
		assertThatExceptionOfType(InvalidManifestException.class)
			.isThrownBy(() -> parse("[wasm.env]\nPORT = 8080\n"))
			.withMessageContaining("field 'wasm.env.PORT' must be a string");
	}

	@Test
	void wasmMustBeATable() {
		assertThatExceptionOfType(InvalidManifestException.class).isThrownBy(() -> parse("wasm = \"plugin.wasm\"\n"))
			.withMessageContaining("field 'wasm' must be a table");
	}

	@Test
	void moduleOutsideThePluginDirectoryIsRefused() {
		assertThatExceptionOfType(InvalidManifestException.class)
			.isThrownBy(() -> parse("[wasm]\nmodule = \"../other/plugin.wasm\"\n"))
			.withMessageContaining("field 'wasm.module' must name a file inside the plugin directory");
	}

	@Test
	void blankNameIsRefused() {
		assertThatExceptionOfType(InvalidManifestException.class).isThrownBy(() -> parse("name = \" \"\n"))
			.withMessageContaining("field 'name' must not be blank");
	}

	@Test
	void namesVersionsDescriptionsAndAuthorsWithControlCharactersAreRefused() {
		assertThatExceptionOfType(InvalidManifestException.class)
			.isThrownBy(() -> parse("name = \"weather\\nINFO forged\"\n"))
			.withMessage("weather/plugin.toml: field 'name' must not contain control characters; it has a control "
					+ "character (\\n) at index 7")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\n"));
		for (String field : List.of("version", "description", "author")) {
			assertThatExceptionOfType(InvalidManifestException.class)
				.isThrownBy(() -> parse(field + " = \"1\\u001b[31m\"\n"))
				.withMessageContaining("field '" + field + "' must not contain control characters")
				.withMessageContaining("(\\u001b) at index 1");
		}
		assertThat(parse("description = \"ünïcödé, 中文 and 😀\"\n").description()).isEqualTo("ünïcödé, 中文 and 😀");
	}

	@Test
	void messagesQuoteManifestTextEscaped() {
		assertThatExceptionOfType(InvalidManifestException.class)
			.isThrownBy(() -> parse("[wasm]\nmodule = \"../x\\r\\nforged.wasm\"\n"))
			.withMessageContaining("'../x\\r\\nforged.wasm'");
	}

	private PluginManifest parse(String toml) {
		return this.parser.parse(this.directory, this.file, toml);
	}

}
