package io.github.grain.plugin.engine;

import org.jspecify.annotations.Nullable;

/**
 * A plugin that cannot be loaded as given: bad manifest, unknown capability, missing
 * export, unsupported import, failed {@code init}.
 */
public class InvalidPluginException extends GrainPluginException {

	public InvalidPluginException(String message) {
		super(message);
	}

	public InvalidPluginException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
