package io.github.grain.plugin.engine;

import org.jspecify.annotations.Nullable;

/**
 * The guest broke the canonical ABI: a pointer or length out of bounds or misaligned,
 * invalid UTF-8, a discriminant out of range, a bad {@code realloc} result, or a value
 * larger than the host accepts. The call fails; the engine stays usable.
 */
public class AbiViolationException extends GrainPluginException {

	public AbiViolationException(String message) {
		super(message);
	}

	public AbiViolationException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
