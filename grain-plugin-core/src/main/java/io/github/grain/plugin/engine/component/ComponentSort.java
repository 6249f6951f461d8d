package io.github.grain.plugin.engine.component;

/**
 * The kinds of definition a component has an index space for: the core sorts (from
 * the embedded core modules' world) and the component-level sorts.
 */
public enum ComponentSort {

	CORE_FUNC("core func"), CORE_TABLE("core table"), CORE_MEMORY("core memory"), CORE_GLOBAL("core global"),
	CORE_TAG("core tag"), CORE_TYPE("core type"), CORE_MODULE("core module"), CORE_INSTANCE("core instance"),
	FUNC("func"), VALUE("value"), TYPE("type"), COMPONENT("component"), INSTANCE("instance");

	private final String label;

	ComponentSort(String label) {
		this.label = label;
	}

	/** The sort as the text format writes it, e.g. {@code core func}. */
	public String label() {
		return this.label;
	}

	public boolean isCore() {
		return ordinal() <= CORE_INSTANCE.ordinal();
	}

	@Override
	public String toString() {
		return this.label;
	}

}
