package io.github.grain.plugin.tool;

import java.util.Objects;

/**
 * One change to the set of tools in a {@link ToolRegistry}, as its listeners see it.
 * Every change raises the registry's {@link ToolRegistry#version() version} by one and
 * carries the version it produced, so a listener can tell the order of changes and skip
 * a state it has already seen.
 */
public sealed interface ToolRegistryChange {

	/** The tool added or removed. */
	ToolDefinition definition();

	/** The registry's version right after this change. */
	long version();

	/**
	 * A tool was added.
	 * @param definition the new tool
	 * @param version the registry's version after the change
	 */
	record Registered(ToolDefinition definition, long version) implements ToolRegistryChange {

		public Registered {
			Objects.requireNonNull(definition, "definition");
		}

	}

	/**
	 * A tool was removed; calls already running finish.
	 * @param definition the removed tool
	 * @param version the registry's version after the change
	 */
	record Unregistered(ToolDefinition definition, long version) implements ToolRegistryChange {

		public Unregistered {
			Objects.requireNonNull(definition, "definition");
		}

	}

}
