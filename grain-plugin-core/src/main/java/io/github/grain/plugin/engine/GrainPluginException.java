package io.github.grain.plugin.engine;

import org.jspecify.annotations.Nullable;

/**
 * Base of every exception the engine throws. Subclasses are named after what failed;
 * messages quote the plugin, function and offset where they are known.
 */
public class GrainPluginException extends RuntimeException {

	public GrainPluginException(String message) {
		super(message);
	}

	public GrainPluginException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
