package io.github.grain.plugin.engine.discovery;

import java.nio.file.Path;

import io.github.grain.plugin.engine.InvalidPluginException;
import org.jspecify.annotations.Nullable;

/**
 * A plugin directory found on disk: its manifest, or why it could not be read.
 * @param name the plugin's name (from the manifest, else the directory's name)
 * @param directory the plugin directory
 * @param manifest the manifest, {@code null} when {@code problem} is set
 * @param problem why the plugin cannot be loaded, {@code null} when the manifest is usable
 */
public record DiscoveredPlugin(String name, Path directory, @Nullable PluginManifest manifest,
		@Nullable InvalidPluginException problem) {

	public DiscoveredPlugin {
		if ((manifest == null) == (problem == null)) {
			throw new IllegalArgumentException("exactly one of manifest and problem must be given");
		}
	}

	static DiscoveredPlugin of(PluginManifest manifest, Path directory) {
		return new DiscoveredPlugin(manifest.name(), directory, manifest, null);
	}

	static DiscoveredPlugin failed(String name, Path directory, InvalidPluginException problem) {
		return new DiscoveredPlugin(name, directory, null, problem);
	}

}
