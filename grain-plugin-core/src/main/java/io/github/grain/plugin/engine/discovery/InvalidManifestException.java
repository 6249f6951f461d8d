package io.github.grain.plugin.engine.discovery;

import java.nio.file.Path;

import io.github.grain.plugin.engine.InvalidPluginException;
import org.jspecify.annotations.Nullable;

/**
 * A {@code plugin.toml} that cannot be used. The message names the file and the field.
 */
public class InvalidManifestException extends InvalidPluginException {

	private final Path file;

	private final String field;

	public InvalidManifestException(Path file, String field, String problem, @Nullable Throwable cause) {
		super(file + ": " + (field.isEmpty() ? "" : "field '" + field + "' ") + problem, cause);
		this.file = file;
		this.field = field;
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
