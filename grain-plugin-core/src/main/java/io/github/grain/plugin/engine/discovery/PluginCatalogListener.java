package io.github.grain.plugin.engine.discovery;

/**
 * Told of every change a {@link PluginCatalog} makes, on the thread that made it, after the
 * change is visible through the catalog and before a replaced version is closed.
 */
@FunctionalInterface
public interface PluginCatalogListener {

	void onChange(PluginCatalogEvent event);

}
