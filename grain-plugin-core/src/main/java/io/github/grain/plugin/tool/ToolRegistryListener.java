package io.github.grain.plugin.tool;

/**
 * Told of every tool added to or removed from a {@link ToolRegistry}, in the order the
 * changes happen. Called on the thread that changed the registry while further changes
 * wait, so it must be quick and must not change the registry itself; an exception it
 * throws is logged and does not undo the change.
 */
@FunctionalInterface
public interface ToolRegistryListener {

	/**
	 * React to one change.
	 * @param change the change
	 */
	void onChange(ToolRegistryChange change);

}
