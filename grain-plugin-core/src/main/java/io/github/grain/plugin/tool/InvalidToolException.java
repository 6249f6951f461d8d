package io.github.grain.plugin.tool;

import org.jspecify.annotations.Nullable;

/**
 * A tool cannot be built from its declaration: an unsupported {@link GrainTool} method,
 * a schema that is not valid JSON, a parameter without a name.
 */
public class InvalidToolException extends ToolException {

	public InvalidToolException(String message) {
		super(message);
	}

	public InvalidToolException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
