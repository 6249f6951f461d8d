package io.github.grain.plugin.engine.discovery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.grain.plugin.engine.InvalidPluginException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Finds plugins in plugin directories: every sub-directory {@code <dir>/<name>/} with a
 * {@code plugin.toml}, or with a {@code plugin.wasm} and no manifest (loaded with the
 * defaults). Directories are searched in the order given, sub-directories by name;
 * hidden sub-directories are skipped. A missing plugin directory is not an error. When two
 * plugins share a name, the first one found wins and the other is reported as failed.
 */
public final class PluginDiscovery {

	private static final Log logger = LogFactory.getLog(PluginDiscovery.class);

	private final ManifestParser parser = new ManifestParser();

	/**
	 * Search plugin directories.
	 * @param directories the directories, in priority order
	 * @return every plugin found, usable or not
	 */
	public List<DiscoveredPlugin> discover(List<Path> directories) {
		List<DiscoveredPlugin> found = new ArrayList<>();
		Map<String, Path> names = new HashMap<>();
		for (Path directory : directories) {
			for (DiscoveredPlugin plugin : discover(directory)) {
				Path first = names.putIfAbsent(plugin.name(), plugin.directory());
				if (first != null) {
					found.add(DiscoveredPlugin.failed(plugin.name(), plugin.directory(),
							new InvalidPluginException("plugin '" + plugin.name() + "' in " + plugin.directory()
									+ " has the same name as the plugin in " + first)));
				}
				else {
					found.add(plugin);
				}
			}
		}
		return found;
	}

	private List<DiscoveredPlugin> discover(Path directory) {
		if (!Files.isDirectory(directory)) {
			if (Files.exists(directory)) {
				logger.warn("Plugin directory " + directory.toAbsolutePath() + " is not a directory; ignored");
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Plugin directory " + directory.toAbsolutePath() + " does not exist");
			}
			return List.of();
		}
		List<Path> children = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, Files::isDirectory)) {
			stream.forEach(children::add);
		}
		catch (IOException ex) {
			logger.warn("Plugin directory " + directory.toAbsolutePath() + " cannot be listed: " + ex);
			return List.of();
		}
		children.sort(null);
		List<DiscoveredPlugin> plugins = new ArrayList<>();
		for (Path child : children) {
			if (child.getFileName().toString().startsWith(".")) {
				continue;
			}
			Path manifest = child.resolve(PluginManifest.FILE_NAME);
			if (Files.isRegularFile(manifest)) {
				try {
					PluginManifest parsed = this.parser.parse(child, manifest);
					if (!parsed.unknownFields().isEmpty()) {
						logger.warn(manifest + " sets field(s) this host does not know, ignored: "
								+ parsed.unknownFields() + " (misspelt? the fields are name, version, description, "
								+ "author and [wasm] module, capabilities, env, http.allow)");
					}
					plugins.add(DiscoveredPlugin.of(parsed, child));
				}
				catch (InvalidPluginException ex) {
					plugins.add(DiscoveredPlugin.failed(child.getFileName().toString(), child, ex));
				}
			}
			else if (Files.isRegularFile(child.resolve(PluginManifest.DEFAULT_MODULE))) {
				plugins.add(DiscoveredPlugin.of(PluginManifest.defaults(child), child));
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Skipping " + child + ": neither " + PluginManifest.FILE_NAME + " nor "
						+ PluginManifest.DEFAULT_MODULE);
			}
		}
		return plugins;
	}

}
