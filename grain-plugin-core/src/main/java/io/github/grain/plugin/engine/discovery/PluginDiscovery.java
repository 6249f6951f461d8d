package io.github.grain.plugin.engine.discovery;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.UntrustedText;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Finds plugins in plugin directories: every sub-directory {@code <dir>/<name>/} with a
 * {@code plugin.toml}, or with a {@code plugin.wasm} and no manifest (loaded with the
 * defaults). Directories are searched in the order given, sub-directories by name;
 * hidden sub-directories are skipped. A missing plugin directory is not an error. When two
 * plugins share a name, the first one found wins and the other is reported as failed.
 * <p>
 * Plugin files are read through {@link PluginFiles}: a plugin whose directory, manifest or
 * module is a symbolic link leading outside is reported failed, unless links are allowed.
 * A directory name with a control character is reported failed too (it would be the
 * plugin's name). Messages name directories relative to their plugin directory.
 */
public final class PluginDiscovery {

	private static final Log logger = LogFactory.getLog(PluginDiscovery.class);

	private final ManifestParser parser = new ManifestParser();

	private final boolean allowSymlinks;

	/** Discovery that refuses symbolic links leading out of a plugin's directory. */
	public PluginDiscovery() {
		this(false);
	}

	/**
	 * @param allowSymlinks whether plugin files may be symbolic links leading anywhere
	 */
	public PluginDiscovery(boolean allowSymlinks) {
		this.allowSymlinks = allowSymlinks;
	}

	/**
	 * Search plugin directories.
	 * @param directories the directories, in priority order
	 * @return every plugin found, usable or not
	 */
	public List<DiscoveredPlugin> discover(List<Path> directories) {
		List<DiscoveredPlugin> found = new ArrayList<>();
		Map<String, String> names = new HashMap<>();
		for (int i = 0; i < directories.size(); i++) {
			String where = "of plugin directory " + (i + 1);
			for (DiscoveredPlugin plugin : discover(directories.get(i))) {
				String first = names.putIfAbsent(plugin.name(), "'" + plugin.location() + "' " + where);
				if (first != null) {
					found.add(DiscoveredPlugin.failed(plugin.name(), plugin.directory(), plugin.files(),
							new InvalidPluginException("plugin '" + plugin.name() + "' in '" + plugin.location() + "' "
									+ where + " has the same name as the plugin in " + first)));
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
		PluginFiles files;
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, Files::isDirectory)) {
			files = PluginFiles.of(directory, this.allowSymlinks);
			stream.forEach(children::add);
		}
		catch (IOException ex) {
			logger.warn("Plugin directory " + directory.toAbsolutePath() + " cannot be listed: " + ex);
			return List.of();
		}
		children.sort(null);
		List<DiscoveredPlugin> plugins = new ArrayList<>();
		for (Path child : children) {
			String directoryName = child.getFileName().toString();
			if (directoryName.startsWith(".")) {
				continue;
			}
			String unsafe = UntrustedText.describeUnsafe(directoryName);
			if (unsafe != null) {
				String shown = UntrustedText.forLog(directoryName);
				plugins.add(DiscoveredPlugin.failed(shown, child, files, new InvalidPluginException(
						"plugin directory name '" + shown + "' must not contain control characters; it has " + unsafe)));
				continue;
			}
			try {
				discoverOne(child, files).ifPresent(plugins::add);
			}
			catch (InvalidPluginException ex) {
				plugins.add(DiscoveredPlugin.failed(directoryName, child, files, ex));
			}
		}
		return plugins;
	}

	private Optional<DiscoveredPlugin> discoverOne(Path child, PluginFiles files) {
		files.checkPluginDirectory(child);
		Path manifest = child.resolve(PluginManifest.FILE_NAME);
		if (Files.exists(manifest, LinkOption.NOFOLLOW_LINKS)) {
			PluginManifest parsed = this.parser.parse(child, manifest, read(files, child, manifest));
			if (!parsed.unknownFields().isEmpty()) {
				logger.warn(UntrustedText.forLog(child.getFileName() + "/" + PluginManifest.FILE_NAME
						+ " sets field(s) this host does not know, ignored: " + parsed.unknownFields()
						+ " (misspelt? the fields are name, version, description, author and [wasm] module, "
						+ "capabilities, env, http.allow)"));
			}
			return Optional.of(DiscoveredPlugin.of(parsed, child, files));
		}
		if (Files.exists(child.resolve(PluginManifest.DEFAULT_MODULE), LinkOption.NOFOLLOW_LINKS)) {
			return Optional.of(DiscoveredPlugin.of(PluginManifest.defaults(child), child, files));
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Skipping " + child + ": neither " + PluginManifest.FILE_NAME + " nor "
					+ PluginManifest.DEFAULT_MODULE);
		}
		return Optional.empty();
	}

	private static String read(PluginFiles files, Path child, Path manifest) {
		try {
			byte[] bytes = files.read(child, manifest, ManifestParser.MAX_MANIFEST_BYTES);
			return UntrustedText.decodeUtf8(bytes);
		}
		catch (CharacterCodingException ex) {
			throw new InvalidManifestException(manifest, "", "is not valid UTF-8", ex);
		}
		catch (IOException ex) {
			throw new InvalidManifestException(manifest, "", "cannot be read: " + ex.getMessage(), ex);
		}
	}

}
