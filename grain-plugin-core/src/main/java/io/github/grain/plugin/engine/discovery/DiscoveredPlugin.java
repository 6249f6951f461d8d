package io.github.grain.plugin.engine.discovery;

import java.nio.file.Path;

import io.github.grain.plugin.engine.InvalidPluginException;
import org.jspecify.annotations.Nullable;

/**
 * A plugin directory found on disk: its manifest, or why it could not be read.
 * @param name the plugin's name (from the manifest, else the directory's name)
 * @param directory the plugin's directory, {@code <plugin directory>/<name>}
 * @param files how its files are read (confined to its directory unless links are allowed)
 * @param manifest the manifest, {@code null} when {@code problem} is set
 * @param problem why the plugin cannot be loaded, {@code null} when the manifest is usable
 */
public record DiscoveredPlugin(String name, Path directory, PluginFiles files, @Nullable PluginManifest manifest,
		@Nullable InvalidPluginException problem) {

	public DiscoveredPlugin {
		if ((manifest == null) == (problem == null)) {
			throw new IllegalArgumentException("exactly one of manifest and problem must be given");
		}
	}

	/** The plugin's directory as messages show it: relative to the plugin directory it was found in. */
	public String location() {
		return PluginFiles.location(this.directory, this.directory);
	}

	static DiscoveredPlugin of(PluginManifest manifest, Path directory, PluginFiles files) {
		return new DiscoveredPlugin(manifest.name(), directory, files, manifest, null);
	}

	static DiscoveredPlugin failed(String name, Path directory, PluginFiles files, InvalidPluginException problem) {
		return new DiscoveredPlugin(name, directory, files, null, problem);
	}

}
