package io.github.grain.plugin.tool;

/**
 * Two tools claim the same name. The message names both sources.
 */
public class DuplicateToolException extends ToolException {

	private final String toolName;

	private final String existingSource;

	private final String newSource;

	public DuplicateToolException(String toolName, String existingSource, String newSource) {
		super("duplicate tool name '" + toolName + "': defined by " + existingSource + " and by " + newSource);
		this.toolName = toolName;
		this.existingSource = existingSource;
		this.newSource = newSource;
	}

	/** The name both tools claim. */
	public String toolName() {
		return this.toolName;
	}

	/** Where the registered tool comes from ({@code wasm:<plugin>}, {@code bean:<name>}). */
	public String existingSource() {
		return this.existingSource;
	}

	/** Where the refused tool comes from. */
	public String newSource() {
		return this.newSource;
	}

}
