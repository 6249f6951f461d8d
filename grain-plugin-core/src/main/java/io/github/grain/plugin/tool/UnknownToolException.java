package io.github.grain.plugin.tool;

/**
 * No tool of that name is registered.
 */
public class UnknownToolException extends ToolException {

	private final String toolName;

	public UnknownToolException(String toolName) {
		super("unknown tool '" + toolName + "'");
		this.toolName = toolName;
	}

	public String toolName() {
		return this.toolName;
	}

}
