package io.github.grain.plugin.engine;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where compiled plugin code is kept across restarts, and how much of it.
 * @param directory the cache's directory, shared by every runtime and engine that names it
 * @param maxBytes the bound on the entries' total size; least recently used entries (those
 * of other runtime versions first) are deleted to stay within it
 */
public record CompilationCacheOptions(Path directory, long maxBytes) {

	/**
	 * 512 MiB. Measured entries: a C fixture plugin's is 78 KB on wasmtime, 35 KB on Chicory;
	 * the 12.5 MB JavaScript plugin's is 25 MB on wasmtime, 4.4 MB on Chicory. Room for many
	 * hot-reloaded versions of what a service usually hosts, small next to a disk.
	 */
	public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;

	public CompilationCacheOptions {
		Objects.requireNonNull(directory, "directory");
		if (maxBytes < 1) {
			throw new IllegalArgumentException("the compilation cache's maximum size must be positive: " + maxBytes);
		}
	}

}
