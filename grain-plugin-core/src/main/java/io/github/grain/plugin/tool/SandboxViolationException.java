package io.github.grain.plugin.tool;

/**
 * A path a tool was given lies outside the sandbox root, or the sandbox refuses the access.
 * Thrown inside a tool call it becomes an error result the model reads.
 */
public class SandboxViolationException extends ToolException {

	public SandboxViolationException(String message) {
		super(message);
	}

}
