package io.github.grain.plugin.engine.discovery;

import java.nio.file.Path;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.UntrustedText;
import org.jspecify.annotations.Nullable;

/**
 * A {@code plugin.toml} that cannot be used. The message names the file (relative to the
 * plugin directory: {@code weather/plugin.toml}) and the field, with any control character
 * from the manifest escaped.
 */
public class InvalidManifestException extends InvalidPluginException {

	private final Path file;

	private final String field;

	public InvalidManifestException(Path file, String field, String problem, @Nullable Throwable cause) {
		// keys and values quoted in problems come from the manifest
		super(UntrustedText.forLog(location(file) + ": " + (field.isEmpty() ? "" : "field '" + field + "' ") + problem),
				cause);
		this.file = file;
		this.field = field;
	}

	private static String location(Path file) {
		Path pluginDirectory = file.getParent();
		return (pluginDirectory != null) ? PluginFiles.location(pluginDirectory, file) : file.toString();
	}

	/** The manifest file. */
	public Path file() {
		return this.file;
	}

	/** The dotted TOML key at fault (for example {@code wasm.capabilities}); empty for a syntax error. */
	public String field() {
		return this.field;
	}

}
