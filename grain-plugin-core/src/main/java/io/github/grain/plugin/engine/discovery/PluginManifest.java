package io.github.grain.plugin.engine.discovery;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import org.jspecify.annotations.Nullable;

/**
 * A plugin's {@code plugin.toml}, with the defaults of CONTRACT §2 applied.
 * @param name the plugin's name (the manifest's {@code name}, else the directory's name)
 * @param version the manifest's {@code version}, if any
 * @param description the manifest's {@code description}, if any
 * @param author the manifest's {@code author}, if any
 * @param module the module file ({@code [wasm] module}, default {@code plugin.wasm}), inside the plugin directory
 * @param capabilities the requested capabilities ({@code [wasm] capabilities}, default {@code ["log"]})
 * @param env the values the plugin may read ({@code [wasm.env]})
 * @param requestedHttpAllow egress patterns the plugin asks for ({@code [wasm.http] allow}); granted only by the application
 * @param file the manifest file, {@code null} when the plugin has no manifest
 * @param unknownFields the dotted keys the manifest sets that this host does not know (a
 * typo such as {@code wasm.capabilites}), in the order written; they are ignored
 */
public record PluginManifest(String name, @Nullable String version, @Nullable String description,
		@Nullable String author, Path module, Set<Capability> capabilities, Map<String, String> env,
		List<String> requestedHttpAllow, @Nullable Path file, List<String> unknownFields) {

	/** The default module file name. */
	public static final String DEFAULT_MODULE = "plugin.wasm";

	/** The manifest file name. */
	public static final String FILE_NAME = "plugin.toml";

	public PluginManifest {
		capabilities = Set.copyOf(capabilities);
		env = Map.copyOf(env);
		requestedHttpAllow = List.copyOf(requestedHttpAllow);
		unknownFields = List.copyOf(unknownFields);
	}

	/**
	 * The manifest of a plugin directory that has a {@code plugin.wasm} and no {@code plugin.toml}.
	 * @param directory the plugin directory
	 * @return the defaults: directory name, {@code plugin.wasm}, {@code ["log"]}
	 */
	public static PluginManifest defaults(Path directory) {
		return new PluginManifest(directory.getFileName().toString(), null, null, null,
				directory.resolve(DEFAULT_MODULE), Set.of(Capability.LOG), Map.of(), List.of(), null, List.of());
	}

}
