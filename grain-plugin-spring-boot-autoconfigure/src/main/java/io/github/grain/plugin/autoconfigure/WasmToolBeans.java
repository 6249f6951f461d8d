package io.github.grain.plugin.autoconfigure;

import java.util.List;
import java.util.Map;

import io.github.grain.plugin.tool.WasmTool;

/**
 * The WebAssembly tools of the plugin catalog, each also registered as a singleton bean
 * named {@code grainTool.<plugin>.<tool>} when this bean is created.
 * @param byBeanName the tools, keyed by bean name
 */
record WasmToolBeans(Map<String, WasmTool> byBeanName) {

	WasmToolBeans {
		byBeanName = Map.copyOf(byBeanName);
	}

	List<WasmTool> tools() {
		return List.copyOf(this.byBeanName.values());
	}

}
