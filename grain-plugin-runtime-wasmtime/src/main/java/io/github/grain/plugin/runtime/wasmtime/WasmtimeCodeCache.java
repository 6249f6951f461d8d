package io.github.grain.plugin.runtime.wasmtime;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.grain.plugin.engine.runtime.CompilationCache;
import io.github.grain.plugin.engine.runtime.Digests;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * wasmtime's compiled code kept in the {@link CompilationCache}, with its guarantees.
 * <p>
 * wasmtime-java 0.19 exposes no {@code Module.serialize}/{@code deserialize}: wasmtime
 * takes compiled code only from its own cache directory. That cache alone is not enough:
 * its entries carry no digest (zstd frames without checksums), and measured here 13 of 15
 * single-bit flips in an entry were accepted as compiled code; it has its own size limits
 * and background cleanup, outside our bound. So wasmtime's cache is used only as a
 * hand-over: each caching engine has a private wasmtime cache directory (a
 * {@link CompilationCache.WorkDirectory}, {@link EngineDirectory}), emptied before each
 * compile on that engine; a verified entry's artifact is placed where wasmtime looks for
 * it, and after the compile the artifact wasmtime wrote (when it did not use the one
 * placed) becomes the entry. The payload is the artifact's path inside wasmtime's cache
 * (wasmtime's own hash of module, settings and version) and its bytes.
 * <p>
 * The directory belongs to the engine, not to one compile, because each engine loaded with
 * a cache configuration starts a wasmtime cache worker thread that never ends (measured: one
 * thread and two native mappings per engine, disposed or not); so the runtime reuses such
 * engines (see {@link WasmtimeRuntime}), and one engine compiles one module at a time.
 */
final class WasmtimeCodeCache {

	private static final Log logger = LogFactory.getLog(WasmtimeCodeCache.class);

	private static final FileTime PLACED_TIME = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));

	private final CompilationCache cache;

	WasmtimeCodeCache(CompilationCache cache) {
		this.cache = cache;
	}

	/** Whether compiled code is still cached (a fault turns the cache off for good). */
	boolean isOn() {
		return this.cache.isOn();
	}

	/**
	 * A private wasmtime cache directory for a new caching engine, with the wasmtime cache
	 * configuration that points there.
	 * @return the directory, or {@code null} to compile without a cache
	 */
	@Nullable EngineDirectory newDirectory() {
		CompilationCache.WorkDirectory work = null;
		try {
			work = this.cache.workDirectory();
			Path wasmtimeCache = Files.createDirectory(work.path().resolve("wasmtime"));
			Path config = work.path().resolve("wasmtime-cache.toml");
			// No recompression by wasmtime's worker: it would rewrite an artifact during a hand-over.
			Files.writeString(config, "[cache]\nenabled = true\ndirectory = \""
					+ wasmtimeCache.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"")
					+ "\"\noptimized-compression-usage-counter-threshold = '" + Long.MAX_VALUE + "'\n",
					StandardCharsets.UTF_8);
			return new EngineDirectory(work, config, wasmtimeCache);
		}
		catch (IOException ex) {
			if (work != null) {
				work.close();
			}
			this.cache.turnOff("cannot prepare wasmtime's cache directory (" + CompilationCache.describe(ex) + ")");
			return null;
		}
	}

	/**
	 * Empty an engine's wasmtime cache directory for compiling one module on it, and place
	 * the module's cached artifact there if there is a good one.
	 * @return the hand-over, or {@code null} to compile without a cache
	 */
	@Nullable Handover prepare(String plugin, byte[] coreModule, EngineDirectory directory) {
		if (!this.cache.isOn()) {
			return null;
		}
		String moduleSha256 = Digests.sha256(coreModule);
		Artifact placed = this.cache.read(plugin, moduleSha256).map((payload) -> decode(plugin, moduleSha256, payload))
			.orElse(null);
		try {
			Path wasmtimeCache = directory.empty();
			Placed handedOver = null;
			if (placed != null) {
				Path file = wasmtimeCache.resolve(placed.path());
				Files.createDirectories(file.getParent());
				try (OutputStream out = Files.newOutputStream(file)) {
					out.write(placed.data(), placed.offset(), placed.data().length - placed.offset());
				}
				// A time wasmtime never writes: a rewrite of the file shows in its attributes.
				Files.setLastModifiedTime(file, PLACED_TIME);
				handedOver = new Placed(file, Files.readAttributes(file, BasicFileAttributes.class));
			}
			return new Handover(plugin, moduleSha256, wasmtimeCache, handedOver);
		}
		catch (IOException ex) {
			this.cache.turnOff("cannot prepare wasmtime's cache directory (" + CompilationCache.describe(ex) + ")");
			return null;
		}
	}

	/** The cache could not be handed to wasmtime: compile without it from now on. */
	void refused(RuntimeException ex) {
		this.cache.turnOff("wasmtime refused its cache configuration (" + ex.getMessage() + ")");
	}

	private @Nullable Artifact decode(String plugin, String moduleSha256, byte[] payload) {
		try {
			ByteBuffer buffer = ByteBuffer.wrap(payload);
			byte[] path = new byte[Short.toUnsignedInt(buffer.getShort())];
			buffer.get(path);
			Artifact artifact = new Artifact(new String(path, StandardCharsets.UTF_8), payload, buffer.position());
			if (!artifact.isSafePath()) {
				throw new IllegalArgumentException("its path '" + artifact.path() + "' leaves wasmtime's cache");
			}
			return artifact;
		}
		catch (RuntimeException ex) {
			this.cache.discard(plugin, moduleSha256, "holds no wasmtime artifact (" + ex.getMessage() + ")");
			return null;
		}
	}

	/** The entry's payload: the artifact's path (u16 length, UTF-8), then its bytes. */
	static byte[] encode(String path, byte[] artifact) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(artifact.length + 128);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			byte[] name = path.getBytes(StandardCharsets.UTF_8);
			out.writeShort(name.length);
			out.write(name);
			out.write(artifact);
		}
		catch (IOException ex) {
			throw new IllegalStateException("writing to memory failed", ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * A compiled module as wasmtime caches it.
	 * @param path where it lives in wasmtime's cache directory, '/'-separated
	 * @param data its content (wasmtime's compressed serialization) from {@code offset} on
	 * @param offset where the content starts in {@code data}
	 */
	private record Artifact(String path, byte[] data, int offset) {

		@Override
		public String toString() {
			return this.path + " (" + (this.data.length - this.offset) + " bytes)";
		}

		boolean isSafePath() {
			Path relative = Path.of(this.path);
			return !this.path.isEmpty() && !relative.isAbsolute() && relative.normalize().equals(relative)
					&& !relative.startsWith("..");
		}

	}

	/**
	 * The artifact placed for wasmtime, as the file system saw it once written.
	 * @param file where it was placed
	 * @param attributes its attributes then
	 */
	private record Placed(Path file, BasicFileAttributes attributes) {

		/** Whether this is the file placed, untouched: same file, size and time. */
		boolean isUntouched(Path file, BasicFileAttributes now) {
			Object key = this.attributes.fileKey();
			return this.file.equals(file) && (key == null || key.equals(now.fileKey()))
					&& this.attributes.size() == now.size()
					&& this.attributes.lastModifiedTime().equals(now.lastModifiedTime());
		}

	}

	/**
	 * A caching engine's private wasmtime cache directory, for as long as the engine lives;
	 * deleted on close, after the engine.
	 */
	static final class EngineDirectory implements AutoCloseable {

		private final CompilationCache.WorkDirectory work;

		private final Path config;

		private final Path wasmtimeCache;

		EngineDirectory(CompilationCache.WorkDirectory work, Path config, Path wasmtimeCache) {
			this.work = work;
			this.config = config;
			this.wasmtimeCache = wasmtimeCache;
		}

		/** The wasmtime cache configuration to load into the engine. */
		Path config() {
			return this.config;
		}

		/**
		 * Delete whatever earlier compiles and wasmtime's worker left (statistics, an artifact
		 * that was not collected), and mark the directory as in use: the cache deletes work
		 * directories untouched for an hour as left behind by a process that died, and
		 * wasmtime recreates its directory when it writes.
		 * @return the wasmtime cache directory, empty
		 */
		Path empty() throws IOException {
			Files.createDirectories(this.wasmtimeCache);
			Files.setLastModifiedTime(this.work.path(), FileTime.from(Instant.now()));
			// wasmtime's cache worker of this engine may still be writing what the last compile
			// produced: a directory it fills while we empty it is emptied again
			for (int attempt = 1;; attempt++) {
				try {
					deleteContents();
					return this.wasmtimeCache;
				}
				catch (java.nio.file.DirectoryNotEmptyException ex) {
					if (attempt == 10) {
						throw ex;
					}
				}
			}
		}

		private void deleteContents() throws IOException {
			Files.walkFileTree(this.wasmtimeCache, new SimpleFileVisitor<>() {
				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					Files.deleteIfExists(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException ex) throws IOException {
					if (ex instanceof java.nio.file.NoSuchFileException) {
						return FileVisitResult.CONTINUE; // gone meanwhile
					}
					throw ex;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException ex) throws IOException {
					if (ex != null) {
						throw ex;
					}
					if (!dir.equals(EngineDirectory.this.wasmtimeCache)) {
						Files.deleteIfExists(dir);
					}
					return FileVisitResult.CONTINUE;
				}
			});
		}

		@Override
		public void close() {
			this.work.close();
		}

	}

	/** One compile's use of an engine's wasmtime cache directory. */
	final class Handover {

		private final String plugin;

		private final String moduleSha256;

		private final Path wasmtimeCache;

		private final @Nullable Placed placed;

		Handover(String plugin, String moduleSha256, Path wasmtimeCache, @Nullable Placed placed) {
			this.plugin = plugin;
			this.moduleSha256 = moduleSha256;
			this.wasmtimeCache = wasmtimeCache;
			this.placed = placed;
		}

		/**
		 * After a successful compile: keep what wasmtime wrote, unless it used the artifact
		 * placed for it (then it wrote nothing new); then delete the copies. Never fails the
		 * load: what cannot be read is not kept.
		 */
		void collect() {
			List<Path> files = new ArrayList<>();
			try {
				Files.walkFileTree(this.wasmtimeCache, new SimpleFileVisitor<>() {
					@Override
					public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
						String name = file.getFileName().toString();
						if (attributes.isRegularFile() && !name.startsWith(".") && !name.endsWith(".stats")
								&& !name.contains(".wip-")) {
							files.add(file);
						}
						return FileVisitResult.CONTINUE;
					}

					@Override
					public FileVisitResult visitFileFailed(Path file, IOException ex) {
						// wasmtime's worker renames its bookkeeping files as it goes.
						return FileVisitResult.CONTINUE;
					}
				});
				List<Artifact> written = new ArrayList<>();
				for (Path file : files) {
					if (this.placed == null
							|| !this.placed.isUntouched(file, Files.readAttributes(file, BasicFileAttributes.class))) {
						written.add(new Artifact(this.wasmtimeCache.relativize(file)
							.toString()
							.replace(file.getFileSystem().getSeparator(), "/"), Files.readAllBytes(file), 0));
					}
				}
				keep(written);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not read what wasmtime cached for plugin '" + this.plugin + "'", ex);
			}
			for (Path file : files) {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					// The next compile on this engine empties the directory.
				}
			}
		}

		private void keep(List<Artifact> written) {
			if (written.size() != 1) {
				if (written.size() > 1) {
					logger.debug("wasmtime cached " + written.size() + " files for plugin '" + this.plugin
							+ "', expected one; not kept");
				}
				return;
			}
			if (this.placed != null) {
				WasmtimeCodeCache.this.cache.discard(this.plugin, this.moduleSha256,
						"was not used by wasmtime (it compiled the module again)");
			}
			Artifact artifact = written.get(0);
			WasmtimeCodeCache.this.cache.write(this.plugin, this.moduleSha256, encode(artifact.path(), artifact.data()));
		}

	}

}
