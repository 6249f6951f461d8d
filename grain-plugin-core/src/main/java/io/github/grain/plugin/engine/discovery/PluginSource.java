package io.github.grain.plugin.engine.discovery;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where a {@link PluginCatalog} finds and loads its plugins again when asked to reload
 * them: the plugin directories, and the loader with the application's settings.
 * @param directories the plugin directories, in priority order
 * @param discovery how the directories are read (symbolic-link policy)
 * @param loader loads one discovered plugin
 * @param settings the application's settings for a plugin name
 */
public record PluginSource(List<Path> directories, PluginDiscovery discovery, PluginLoader loader,
		Function<String, PluginSettings> settings) {

	public PluginSource {
		directories = List.copyOf(directories);
		Objects.requireNonNull(discovery, "discovery");
		Objects.requireNonNull(loader, "loader");
		Objects.requireNonNull(settings, "settings");
	}

	/** Directories read with the default discovery (symbolic links leaving a plugin directory refused). */
	public PluginSource(List<Path> directories, PluginLoader loader, Function<String, PluginSettings> settings) {
		this(directories, new PluginDiscovery(), loader, settings);
	}

	/** Every plugin in the directories now. */
	public List<DiscoveredPlugin> discover() {
		return this.discovery.discover(this.directories);
	}

	/** Load one discovered plugin with its settings; failures are reported, never thrown. */
	public PluginReport load(DiscoveredPlugin plugin) {
		return this.loader.load(plugin, this.settings.apply(plugin.name()));
	}

	/**
	 * Load discovered plugins with their settings, several compiling at the same time
	 * ({@link PluginLoader#parallelism()}); failures are reported, never thrown.
	 * @return one report per plugin, in the order given
	 */
	public List<PluginReport> loadAll(List<DiscoveredPlugin> plugins) {
		return this.loader.loadAll(plugins, this.settings);
	}

}
