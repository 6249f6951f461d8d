package io.github.grain.plugin.tool;

import org.jspecify.annotations.Nullable;

/**
 * Base of the exceptions the tool model throws. Failures inside a tool call are not
 * exceptions but error {@link ToolResult}s.
 */
public class ToolException extends RuntimeException {

	public ToolException(String message) {
		super(message);
	}

	public ToolException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
