package io.github.grain.plugin.engine.discovery;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where a {@link PluginCatalog} finds and loads its plugins again when asked to reload
 * them: the plugin directories, and the loader with the application's settings.
 * @param directories the plugin directories, in priority order
 * @param loader loads one discovered plugin
 * @param settings the application's settings for a plugin name
 */
public record PluginSource(List<Path> directories, PluginLoader loader, Function<String, PluginSettings> settings) {

	public PluginSource {
		directories = List.copyOf(directories);
		Objects.requireNonNull(loader, "loader");
		Objects.requireNonNull(settings, "settings");
	}

	/** Every plugin in the directories now. */
	public List<DiscoveredPlugin> discover() {
		return new PluginDiscovery().discover(this.directories);
	}

	/** Load one discovered plugin with its settings; failures are reported, never thrown. */
	public PluginReport load(DiscoveredPlugin plugin) {
		return this.loader.load(plugin, this.settings.apply(plugin.name()));
	}

}
