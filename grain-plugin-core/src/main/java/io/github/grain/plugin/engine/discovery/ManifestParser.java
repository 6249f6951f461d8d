package io.github.grain.plugin.engine.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.UntrustedText;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code plugin.toml} (CONTRACT §2) with a real TOML parser. Unknown keys are
 * ignored, as the reference host does, but listed in
 * {@link PluginManifest#unknownFields()} (discovery warns about them: a misspelt key would
 * otherwise fall back to its default unnoticed); a key of the wrong type, an unknown
 * capability, a module path outside the plugin directory, or a name, version, description
 * or author holding a control character (a plugin's strings reach the host's logs) is an
 * {@link InvalidManifestException} naming the file and the key.
 *
 * <pre>
 * name = "weather"                 # default: the directory's name
 * version = "1.2.0"
 * description = "…"
 * author = "…"
 *
 * [wasm]
 * module = "plugin.wasm"           # relative to the plugin directory
 * capabilities = ["log", "http"]   # default ["log"]
 *
 * [wasm.env]
 * API_BASE = "https://api.example.com"
 *
 * [wasm.http]
 * allow = ["https://api.example.com"]   # a request; the application grants egress
 * </pre>
 */
public final class ManifestParser {

	/** Manifests larger than this are refused before they are read. */
	static final long MAX_MANIFEST_BYTES = 1024 * 1024;

	private static final List<String> TOP_LEVEL_FIELDS = List.of("name", "version", "description", "author", "wasm");

	private static final List<String> WASM_FIELDS = List.of("module", "capabilities", "env", "http");

	private static final List<String> WASM_HTTP_FIELDS = List.of("allow");

	private final TomlMapper toml = new TomlMapper();

	/**
	 * Parse the manifest of a plugin directory.
	 * @param directory the plugin directory
	 * @param file its {@code plugin.toml}
	 * @return the manifest with defaults applied
	 * @throws InvalidManifestException naming the file and the field
	 */
	public PluginManifest parse(Path directory, Path file) {
		String text;
		try {
			if (Files.size(file) > MAX_MANIFEST_BYTES) {
				throw new InvalidManifestException(file, "", "is larger than " + MAX_MANIFEST_BYTES + " bytes", null);
			}
			text = Files.readString(file);
		}
		catch (IOException ex) {
			throw new InvalidManifestException(file, "", "cannot be read (" + ex.getClass().getSimpleName() + ")", ex);
		}
		return parse(directory, file, text);
	}

	/**
	 * Parse manifest text.
	 * @param directory the plugin directory
	 * @param file the manifest's path, quoted in errors
	 * @param text the TOML text
	 * @return the manifest with defaults applied
	 * @throws InvalidManifestException naming the file and the field
	 */
	public PluginManifest parse(Path directory, Path file, String text) {
		JsonNode root;
		try {
			root = this.toml.readTree(text);
		}
		catch (JsonProcessingException ex) {
			throw new InvalidManifestException(file, "", "is not valid TOML: " + ex.getOriginalMessage()
					+ ((ex.getLocation() != null) ? " (line " + ex.getLocation().getLineNr() + ")" : ""), ex);
		}
		Fields fields = new Fields(file);
		String directoryName = directory.getFileName().toString();
		String name = fields.text(root, "name");
		if (name != null && name.isBlank()) {
			throw new InvalidManifestException(file, "name", "must not be blank", null);
		}
		String pluginName = (name != null) ? name.trim() : directoryName;
		String version = fields.text(root, "version");
		String description = fields.text(root, "description");
		String author = fields.text(root, "author");
		JsonNode wasm = fields.table(root, "wasm");
		String module = fields.string(wasm, "wasm.module");
		Path modulePath = modulePath(directory, file, (module != null) ? module : PluginManifest.DEFAULT_MODULE);
		Set<Capability> capabilities = Set.of(Capability.LOG);
		List<String> capabilityNames = fields.strings(wasm, "wasm.capabilities");
		if (capabilityNames != null) {
			capabilities = new LinkedHashSet<>();
			for (String capability : capabilityNames) {
				try {
					capabilities.add(Capability.fromWireName(capability, "plugin '" + pluginName + "'"));
				}
				catch (InvalidPluginException ex) {
					throw new InvalidManifestException(file, "wasm.capabilities", ex.getMessage(), ex);
				}
			}
		}
		Map<String, String> env = fields.stringMap(wasm, "wasm.env");
		JsonNode http = fields.table(wasm, "wasm.http");
		List<String> allow = fields.strings(http, "wasm.http.allow");
		List<String> unknown = new ArrayList<>();
		unknownFields(root, "", TOP_LEVEL_FIELDS, unknown);
		unknownFields(wasm, "wasm.", WASM_FIELDS, unknown);
		unknownFields(http, "wasm.http.", WASM_HTTP_FIELDS, unknown);
		return new PluginManifest(pluginName, version, description, author, modulePath, capabilities, env,
				(allow != null) ? allow : List.of(), file, unknown);
	}

	private static void unknownFields(@Nullable JsonNode table, String prefix, List<String> known,
			List<String> unknown) {
		if (table == null) {
			return;
		}
		table.fieldNames().forEachRemaining((field) -> {
			if (!known.contains(field)) {
				unknown.add(prefix + field);
			}
		});
	}

	private static Path modulePath(Path directory, Path file, String module) {
		if (module.isBlank()) {
			throw new InvalidManifestException(file, "wasm.module", "must not be blank", null);
		}
		Path resolved;
		try {
			resolved = directory.resolve(module).normalize();
		}
		catch (RuntimeException ex) {
			throw new InvalidManifestException(file, "wasm.module",
					"is not a valid path: '" + module + "'", ex);
		}
		if (!resolved.startsWith(directory.normalize()) || resolved.equals(directory.normalize())) {
			throw new InvalidManifestException(file, "wasm.module",
					"must name a file inside the plugin directory: '" + module + "'", null);
		}
		return resolved;
	}

	/** Typed access to TOML keys, with errors naming the file and the dotted key. */
	private static final class Fields {

		private final Path file;

		Fields(Path file) {
			this.file = file;
		}

		@Nullable String string(@Nullable JsonNode table, String key) {
			JsonNode value = child(table, key);
			if (value == null) {
				return null;
			}
			if (!value.isTextual()) {
				throw wrongType(key, "a string", value);
			}
			return value.textValue();
		}

		/** A string shown to people and written to logs: no control characters. */
		@Nullable String text(@Nullable JsonNode table, String key) {
			String value = string(table, key);
			String unsafe = (value != null) ? UntrustedText.describeUnsafe(value) : null;
			if (unsafe != null) {
				throw new InvalidManifestException(this.file, key, "must not contain control characters; it has "
						+ unsafe, null);
			}
			return value;
		}

		@Nullable JsonNode table(@Nullable JsonNode table, String key) {
			JsonNode value = child(table, key);
			if (value == null) {
				return null;
			}
			if (!value.isObject()) {
				throw wrongType(key, "a table", value);
			}
			return value;
		}

		@Nullable List<String> strings(@Nullable JsonNode table, String key) {
			JsonNode value = child(table, key);
			if (value == null) {
				return null;
			}
			if (!value.isArray()) {
				throw wrongType(key, "an array of strings", value);
			}
			List<String> result = new ArrayList<>();
			for (int i = 0; i < value.size(); i++) {
				JsonNode element = value.get(i);
				if (!element.isTextual()) {
					throw wrongType(key + "[" + i + "]", "a string", element);
				}
				result.add(element.textValue());
			}
			return result;
		}

		Map<String, String> stringMap(@Nullable JsonNode table, String key) {
			JsonNode value = table(table, key);
			Map<String, String> result = new LinkedHashMap<>();
			if (value == null) {
				return result;
			}
			for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
				Map.Entry<String, JsonNode> entry = it.next();
				if (!entry.getValue().isTextual()) {
					throw wrongType(key + "." + entry.getKey(), "a string", entry.getValue());
				}
				result.put(entry.getKey(), entry.getValue().textValue());
			}
			return result;
		}

		private static @Nullable JsonNode child(@Nullable JsonNode table, String dottedKey) {
			if (table == null) {
				return null;
			}
			String key = dottedKey.substring(dottedKey.lastIndexOf('.') + 1);
			JsonNode value = table.get(key);
			return (value == null || value.isNull()) ? null : value;
		}

		private InvalidManifestException wrongType(String key, String expected, JsonNode found) {
			return new InvalidManifestException(this.file, key,
					"must be " + expected + ", found " + found.getNodeType().name().toLowerCase(java.util.Locale.ROOT),
					null);
		}

	}

}
