package io.github.grain.plugin.engine.discovery;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.wit.WorldKind;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of loading one discovered plugin.
 * @param name the plugin's name
 * @param directory its directory
 * @param status loaded, failed or disabled
 * @param version what {@code init} reported when loaded, else the manifest's version
 * @param world the world the module targets, when loaded
 * @param capabilities the granted capabilities (what would have been granted, when not loaded)
 * @param tools the names of its tools, when loaded
 * @param sha256 the lower-case hex SHA-256 of the module file, when it could be read
 * @param error why it failed, when failed
 * @param plugin the loaded plugin, when loaded
 */
public record PluginReport(String name, Path directory, PluginStatus status, @Nullable String version,
		@Nullable WorldKind world, Set<Capability> capabilities, List<String> tools, @Nullable String sha256,
		@Nullable String error, @Nullable LoadedPlugin plugin) {

	public PluginReport {
		capabilities = Set.copyOf(capabilities);
		tools = List.copyOf(tools);
	}

}
