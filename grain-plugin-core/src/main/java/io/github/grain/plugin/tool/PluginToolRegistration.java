package io.github.grain.plugin.tool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginReport;

/**
 * Puts the tools of a catalog's plugins into a {@link ToolRegistry}, after the
 * application's own tools, one plugin at a time and all of a plugin's tools or none. A
 * plugin found in a plugin directory is not the application's code: when one of its tools
 * cannot be registered (its name is taken by the application or by a plugin found before
 * it, or its schema does not compile), the plugin is reported failed in the catalog with an
 * error naming both sources, and closed, while the application and every other plugin
 * serve. With {@code failFast} the failure is thrown instead. Names taken twice among the
 * application's own tools are not this class's business: they fail as
 * {@link ToolRegistry#register} fails.
 */
public final class PluginToolRegistration {

	private PluginToolRegistration() {
	}

	/**
	 * Register plugin tools.
	 * @param registry the registry, already holding the application's tools
	 * @param catalog the plugins, in the order that decides who keeps a contested name
	 * @param tools the tools to register; one whose plugin is not a loaded plugin of the
	 * catalog is registered as the application's own (a conflict throws)
	 * @param failFast throw instead of reporting a plugin failed
	 * @return the tools registered
	 * @throws DuplicateToolException with {@code failFast}, or for a tool of no catalog plugin
	 * @throws InvalidToolException likewise
	 */
	public static List<WasmTool> register(ToolRegistry registry, PluginCatalog catalog,
			Collection<WasmTool> tools, boolean failFast) {
		Map<LoadedPlugin, List<WasmTool>> byPlugin = new LinkedHashMap<>();
		Map<LoadedPlugin, String> names = new LinkedHashMap<>();
		for (PluginReport report : catalog.loaded()) {
			byPlugin.put(report.plugin(), new ArrayList<>());
			names.put(report.plugin(), report.name());
		}
		List<WasmTool> foreign = new ArrayList<>();
		for (WasmTool tool : tools) {
			List<WasmTool> group = byPlugin.get(tool.plugin());
			((group != null) ? group : foreign).add(tool);
		}
		registry.registerAll(foreign);
		List<WasmTool> registered = new ArrayList<>(foreign);
		for (Map.Entry<LoadedPlugin, List<WasmTool>> group : byPlugin.entrySet()) {
			try {
				registry.registerAll(group.getValue());
				registered.addAll(group.getValue());
			}
			catch (DuplicateToolException | InvalidToolException ex) {
				if (failFast) {
					throw ex;
				}
				catalog.fail(names.get(group.getKey()), ex.getMessage() + "; none of the plugin's tools is served");
			}
		}
		return registered;
	}

}
