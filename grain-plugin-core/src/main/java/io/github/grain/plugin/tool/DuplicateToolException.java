package io.github.grain.plugin.tool;

/**
 * Two tools claim the same name. The message names both sources.
 */
public class DuplicateToolException extends ToolException {

	public DuplicateToolException(String toolName, String existingSource, String newSource) {
		super("duplicate tool name '" + toolName + "': defined by " + existingSource + " and by " + newSource);
	}

}
