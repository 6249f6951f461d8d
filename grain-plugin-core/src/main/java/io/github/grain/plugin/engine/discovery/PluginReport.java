package io.github.grain.plugin.engine.discovery;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.WasmRuntimeKind;
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
 * @param runtime the runtime it runs on (or was to run on), when the engine was asked to load it
 * @param loadedAt when loading it ended, when the engine was asked to load it
 * @param loadDuration how long the engine took to load it (compile, link, {@code init},
 * {@code list-tools}), failed or not, when the engine was asked to load it
 */
public record PluginReport(String name, Path directory, PluginStatus status, @Nullable String version,
		@Nullable WorldKind world, Set<Capability> capabilities, List<String> tools, @Nullable String sha256,
		@Nullable String error, @Nullable LoadedPlugin plugin, @Nullable WasmRuntimeKind runtime,
		@Nullable Instant loadedAt, @Nullable Duration loadDuration) {

	public PluginReport {
		capabilities = Set.copyOf(capabilities);
		tools = List.copyOf(tools);
	}

	/** A report of a plugin the engine was not asked to load (disabled, or unreadable before that). */
	public PluginReport(String name, Path directory, PluginStatus status, @Nullable String version,
			@Nullable WorldKind world, Set<Capability> capabilities, List<String> tools, @Nullable String sha256,
			@Nullable String error, @Nullable LoadedPlugin plugin) {
		this(name, directory, status, version, world, capabilities, tools, sha256, error, plugin, null, null, null);
	}

}
