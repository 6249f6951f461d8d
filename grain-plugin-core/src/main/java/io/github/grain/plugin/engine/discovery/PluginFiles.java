package io.github.grain.plugin.engine.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.files.ConfinedDirectory;
import io.github.grain.plugin.files.UnsafePathException;
import org.jspecify.annotations.Nullable;

/**
 * The files plugins are loaded from, in one plugin directory (one entry of the host's
 * plugin directories, holding {@code <name>/plugin.toml}). By default every file a plugin
 * is loaded from (its directory, its manifest, its module) must really lie, all symbolic
 * links resolved, inside that plugin's own directory, and that directory inside the plugin
 * directory; the file is then read through {@link ConfinedDirectory} along its real path,
 * no link followed, so a link swapped in after the check is refused rather than read. A
 * plugin that breaks the rule is reported failed without a byte of the file read (so no
 * digest or content of a file elsewhere reaches a report). Links anywhere may be allowed
 * explicitly.
 * <p>
 * Messages name files relative to the plugin directory ({@code weather/plugin.wasm}),
 * never by their host path.
 */
public final class PluginFiles {

	private final Path directory;

	private final @Nullable Path realDirectory;

	private PluginFiles(Path directory, @Nullable Path realDirectory) {
		this.directory = directory;
		this.realDirectory = realDirectory;
	}

	/**
	 * The files of a plugin directory.
	 * @param directory an existing plugin directory
	 * @param allowSymlinks whether links may lead anywhere (otherwise they must stay inside)
	 * @return the plugin files
	 * @throws IOException if the directory's real path cannot be resolved
	 */
	public static PluginFiles of(Path directory, boolean allowSymlinks) throws IOException {
		return new PluginFiles(directory, allowSymlinks ? null : directory.toRealPath());
	}

	/** The plugin directory as configured. */
	public Path directory() {
		return this.directory;
	}

	/** Whether symbolic links may lead outside. */
	public boolean allowsSymlinks() {
		return this.realDirectory == null;
	}

	/**
	 * A path as messages show it: relative to the plugin directory, with {@code /}.
	 * @param path a path below the plugin directory (as configured)
	 * @return for example {@code weather/plugin.wasm}
	 */
	public static String location(Path pluginDirectory, Path path) {
		Path relative = pluginDirectory.relativize(path);
		String name = (pluginDirectory.getFileName() != null) ? pluginDirectory.getFileName().toString() : "";
		String rest = relative.toString().replace('\\', '/');
		return rest.isEmpty() ? name : name + "/" + rest;
	}

	/**
	 * Check that a plugin's directory is really inside the plugin directory.
	 * @param pluginDirectory {@code <directory>/<name>}
	 * @throws InvalidPluginException if a link takes it outside and links are not allowed
	 */
	public void checkPluginDirectory(Path pluginDirectory) {
		Path root = this.realDirectory;
		if (root == null) {
			return;
		}
		String location = location(pluginDirectory, pluginDirectory);
		try {
			if (!pluginDirectory.toRealPath().startsWith(root)) {
				throw new InvalidPluginException("plugin directory '" + location
						+ "' is a symbolic link leading outside the plugin directory; such links are refused unless "
						+ "allowed (allow-symlinks)");
			}
		}
		catch (IOException ex) {
			throw new InvalidPluginException("plugin directory '" + location + "' cannot be resolved", ex);
		}
	}

	/**
	 * Read one regular file of a plugin.
	 * @param pluginDirectory {@code <directory>/<name>}
	 * @param file a file below it (lexically)
	 * @param maxBytes the largest size accepted
	 * @return the content
	 * @throws UnsafePathException if a link takes it outside its plugin's directory (links not
	 * allowed), or it is not a regular file
	 * @throws IOException if it does not exist, cannot be read or is too large; the message
	 * names it relative to the plugin directory
	 */
	public byte[] read(Path pluginDirectory, Path file, long maxBytes) throws IOException {
		String location = location(pluginDirectory, file);
		Path root = this.realDirectory;
		if (root == null) {
			if (!Files.isRegularFile(file)) {
				throw new NoSuchFileException(location, null, "no such regular file");
			}
			long size = Files.size(file);
			if (size > maxBytes) {
				throw new IOException(location + " has " + size + " bytes, more than the limit of " + maxBytes);
			}
			return Files.readAllBytes(file);
		}
		checkPluginDirectory(pluginDirectory);
		Path real;
		try {
			real = file.toRealPath();
		}
		catch (NoSuchFileException ex) {
			throw new NoSuchFileException(location, null, "no such file");
		}
		if (!real.startsWith(pluginDirectory.toRealPath())) {
			throw new UnsafePathException("'" + location + "' is a symbolic link leading outside its plugin's "
					+ "directory; such links are refused unless allowed (allow-symlinks)");
		}
		// along the real path, with no link followed: a link swapped in since is refused, not read
		return ConfinedDirectory.of(root).read(root.relativize(real), maxBytes);
	}

}
