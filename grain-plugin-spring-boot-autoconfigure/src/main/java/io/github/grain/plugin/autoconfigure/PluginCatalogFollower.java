package io.github.grain.plugin.autoconfigure;

import java.util.List;

import io.github.grain.plugin.engine.LivePlugin;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginCatalogEvent;
import io.github.grain.plugin.engine.discovery.PluginCatalogListener;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.tool.DuplicateToolException;
import io.github.grain.plugin.tool.InvalidToolException;
import io.github.grain.plugin.tool.ToolRegistry;
import io.github.grain.plugin.tool.WasmTool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Keeps the {@link ToolRegistry} in step with the plugin catalog while the application
 * runs (a plugin loaded, replaced or unloaded changes the registry's {@code wasm:<plugin>}
 * tools in one step; a plugin whose tool name is taken is reported failed, as at startup)
 * and publishes every {@link PluginCatalogEvent} as an application event, so {@code @EventListener void on(PluginCatalogEvent.Replaced event)} hears it.
 */
final class PluginCatalogFollower implements PluginCatalogListener {

	private static final Log logger = LogFactory.getLog(PluginCatalogFollower.class);

	private final PluginCatalog catalog;

	private final ToolRegistry registry;

	private final GrainPluginsProperties properties;

	private final ApplicationEventPublisher publisher;

	PluginCatalogFollower(PluginCatalog catalog, ToolRegistry registry, GrainPluginsProperties properties,
			ApplicationEventPublisher publisher) {
		this.catalog = catalog;
		this.registry = registry;
		this.properties = properties;
		this.publisher = publisher;
	}

	@Override
	public void onChange(PluginCatalogEvent event) {
		if (event instanceof PluginCatalogEvent.Loaded loaded && !follow(loaded.report())) {
			return;
		}
		if (event instanceof PluginCatalogEvent.Replaced replaced && !follow(replaced.current())) {
			return;
		}
		if (event instanceof PluginCatalogEvent.Unloaded unloaded) {
			this.registry.replace(source(unloaded.previous()), List.of());
		}
		this.publisher.publishEvent(event);
	}

	/**
	 * Serve the plugin's tools.
	 * @return false when its tool names are taken: the plugin was reported failed instead
	 * (listeners heard {@link PluginCatalogEvent.Failed}, not the load)
	 */
	private boolean follow(PluginReport report) {
		LivePlugin live = this.catalog.live(report.name()).orElseThrow();
		List<WasmTool> tools = WasmPlugins.tools(report, live, this.properties, false);
		try {
			this.registry.replace(source(report), tools);
			logger.info("Plugin '" + report.name() + "' now serves tools "
					+ tools.stream().map((tool) -> tool.definition().name()).toList());
			return true;
		}
		catch (DuplicateToolException | InvalidToolException ex) {
			// as at startup: a plugin whose tool names are taken does not serve at all, and says why
			this.registry.replace(source(report), List.of());
			this.catalog.fail(report.name(), ex.getMessage() + "; none of the plugin's tools is served");
			return false;
		}
	}

	private static String source(PluginReport report) {
		return "wasm:" + report.name();
	}

}
