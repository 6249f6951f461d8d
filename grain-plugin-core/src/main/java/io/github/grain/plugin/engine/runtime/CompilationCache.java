package io.github.grain.plugin.engine.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.grain.plugin.engine.CompilationCacheOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Compiled code on disk, one mechanism for every runtime: each runtime hands it opaque
 * bytes (Chicory's generated classes, wasmtime's serialized module) and gets them back
 * only when they can be trusted. One file per module and runtime version:
 *
 * <pre>
 * &lt;directory&gt;/&lt;runtime&gt;/&lt;runtime version&gt;/&lt;module SHA-256&gt;.v1
 *   "grain-cc" | format (int) | runtime (UTF) | runtime version (UTF) | module SHA-256 (32 bytes)
 *   | payload length (long) | payload SHA-256 (32 bytes) | payload
 * </pre>
 *
 * <ul>
 * <li><b>Trust.</b> An entry is used only when every header field matches what the
 * caller expects and its payload has the recorded length and digest. One that fails
 * (flipped bits, a truncated copy, another module's entry in its place, another version's
 * format) is logged once at WARN naming the plugin and the file, deleted, and reported as
 * a miss: the module is compiled again and the entry rewritten. A runtime that cannot use
 * an entry that passed these checks calls {@link #discard} and does the same.</li>
 * <li><b>Bound.</b> After each write the entries' total size is brought within
 * {@link CompilationCacheOptions#maxBytes()}: entries of other runtime versions or formats
 * go first, then the least recently used (a hit renews the file's modification time).</li>
 * <li><b>Faults.</b> Nothing here fails a load. A directory that cannot be created or
 * written, or a failed write (a full disk), turns the cache off with a single WARN saying
 * why; the runtime then compiles in memory.</li>
 * <li><b>Sharing.</b> Engines in this and other processes may share the directory: entries
 * are written to a temporary file and moved into place, so a reader never sees half an
 * entry, and a concurrent eviction only turns a hit into a miss.</li>
 * </ul>
 */
public final class CompilationCache {

	private static final Log logger = LogFactory.getLog(CompilationCache.class);

	/** The entry layout this version writes and reads; a change of layout increments it. */
	public static final int FORMAT = 1;

	/** How an entry's file name ends, after the module's SHA-256. */
	public static final String ENTRY_SUFFIX = ".v" + FORMAT;

	private static final byte[] MAGIC = "grain-cc".getBytes(StandardCharsets.US_ASCII);

	private static final Pattern ENTRY_NAME = Pattern.compile("[0-9a-f]{64}\\.v(\\d{1,9})");

	private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

	private static final String WORK_PREFIX = "work-";

	/** A temporary file or work directory older than this was left behind by a process that died. */
	private static final Duration ABANDONED = Duration.ofHours(1);

	private static final int DIGEST_BYTES = 32;

	/** What one byte array can hold. */
	private static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 16;

	private final Path directory;

	private final String runtime;

	private final String runtimeVersion;

	private final Path generation;

	private final long maxBytes;

	private final AtomicReference<@Nullable String> offBecause = new AtomicReference<>();

	private final Object trimming = new Object();

	private CompilationCache(CompilationCacheOptions options, String runtime, String runtimeVersion) {
		this.directory = options.directory();
		this.runtime = runtime;
		this.runtimeVersion = runtimeVersion;
		this.generation = this.directory.resolve(segment(runtime)).resolve(segment(runtimeVersion));
		this.maxBytes = options.maxBytes();
	}

	/**
	 * Open the cache for one runtime: create its directory, check it can be written, and
	 * bring it within its bound. Never throws for the state of the disk: an unusable
	 * directory gives a cache that is off, with one warning.
	 * @param options the directory and bound
	 * @param runtime the runtime's name, e.g. {@code chicory}
	 * @param runtimeVersion the version of the code that compiles, or {@code null} when it
	 * cannot be told (the cache is then off: entries of another version might be served)
	 * @return the cache
	 */
	public static CompilationCache open(CompilationCacheOptions options, String runtime,
			@Nullable String runtimeVersion) {
		CompilationCache cache = new CompilationCache(options, runtime,
				(runtimeVersion != null) ? runtimeVersion : "unknown");
		if (runtimeVersion == null || runtimeVersion.isBlank()) {
			cache.turnOff("the version of " + runtime + " cannot be told, so its entries could not be trusted");
			return cache;
		}
		try {
			Files.createDirectories(cache.generation);
			Files.delete(Files.createTempFile(cache.generation, "probe-", ".tmp"));
		}
		catch (IOException ex) {
			cache.turnOff(describe(ex));
			return cache;
		}
		cache.trim();
		return cache;
	}

	private static String segment(String name) {
		String safe = name.replaceAll("[^A-Za-z0-9._+-]", "_");
		return (safe.isEmpty() || safe.chars().allMatch((c) -> c == '.')) ? "_" + safe : safe;
	}

	/** Whether the cache is in use; {@code false} after a fault turned it off. */
	public boolean isOn() {
		return this.offBecause.get() == null;
	}

	/** The directory of this runtime version's entries. */
	public Path generation() {
		return this.generation;
	}

	/**
	 * The compiled code cached for a module, if an entry exists and passes every check. A
	 * damaged entry is logged, deleted and reported as a miss.
	 * @param plugin the plugin the module belongs to, named in the warning
	 * @param moduleSha256 the module's SHA-256, lower-case hex
	 * @return the payload, or empty to compile
	 */
	public Optional<byte[]> read(String plugin, String moduleSha256) {
		Path entry = entry(moduleSha256);
		if (!isOn()) {
			return Optional.empty();
		}
		byte[] bytes;
		try {
			long size = Files.size(entry);
			if (size > Math.min(this.maxBytes, MAX_ENTRY_BYTES)) {
				discard(plugin, moduleSha256, "fails its check (" + size + " bytes, more than an entry may hold)");
				return Optional.empty();
			}
			bytes = Files.readAllBytes(entry);
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			if (Files.isRegularFile(entry)) {
				discard(plugin, moduleSha256, "cannot be read (" + describe(ex) + ")");
			}
			return Optional.empty();
		}
		int payloadOffset;
		try {
			payloadOffset = check(bytes, HexFormat.of().parseHex(moduleSha256));
		}
		catch (UnusableEntryException ex) {
			discard(plugin, moduleSha256, "fails its check (" + ex.getMessage() + ")");
			return Optional.empty();
		}
		try {
			Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
		}
		catch (IOException ex) {
			// Recency is advisory: the entry is still good.
			logger.debug("Could not mark " + entry + " as recently used", ex);
		}
		return Optional.of(Arrays.copyOfRange(bytes, payloadOffset, bytes.length));
	}

	/**
	 * Cache a module's compiled code, replacing any entry it has, then evict what exceeds
	 * the bound. A failure to write turns the cache off.
	 * @param plugin the plugin the module belongs to
	 * @param moduleSha256 the module's SHA-256, lower-case hex
	 * @param payload the runtime's compiled code
	 */
	public void write(String plugin, String moduleSha256, byte[] payload) {
		Path entry = entry(moduleSha256);
		if (!isOn()) {
			return;
		}
		byte[] header = header(HexFormat.of().parseHex(moduleSha256), payload);
		long size = (long) header.length + payload.length;
		if (size > this.maxBytes) {
			logger.info("Plugin '" + plugin + "': its compiled code (" + size(size)
					+ ") is larger than the compilation cache's maximum size (" + size(this.maxBytes)
					+ "); not cached");
			return;
		}
		Path temporary = null;
		try {
			Files.createDirectories(this.generation);
			temporary = Files.createTempFile(this.generation, moduleSha256.substring(0, 16) + "-", ".tmp");
			try (OutputStream out = Files.newOutputStream(temporary)) {
				out.write(header);
				out.write(payload);
			}
			try {
				Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, entry, StandardCopyOption.REPLACE_EXISTING);
			}
			temporary = null;
		}
		catch (IOException ex) {
			turnOff("cannot write " + entry + " (" + describe(ex) + ")");
			return;
		}
		finally {
			if (temporary != null) {
				deleteQuietly(temporary);
			}
		}
		trim();
	}

	/**
	 * Delete a module's entry because it cannot be used, saying why once at WARN.
	 * @param plugin the plugin the module belongs to
	 * @param moduleSha256 the module's SHA-256, lower-case hex
	 * @param reason what is wrong with the entry, completing "compilation cache entry
	 * &lt;file&gt; …", e.g. "was refused by chicory (…)"
	 */
	public void discard(String plugin, String moduleSha256, String reason) {
		Path entry = entry(moduleSha256);
		logger.warn("Plugin '" + plugin + "': compilation cache entry " + entry + " " + reason
				+ "; deleted it, compiling the module again");
		try {
			Files.deleteIfExists(entry);
		}
		catch (IOException ex) {
			turnOff("cannot delete the unusable entry " + entry + " (" + describe(ex) + ")");
		}
	}

	/**
	 * A fresh private directory inside the cache, for a runtime that can exchange compiled
	 * code with its engine only through files. Its owner deletes it; one left behind by a
	 * process that died is deleted by a later eviction pass.
	 * @return the directory, to be closed (deleted) by the caller
	 * @throws IOException when it cannot be created (the caller should {@link #turnOff})
	 */
	public WorkDirectory workDirectory() throws IOException {
		Files.createDirectories(this.generation);
		return new WorkDirectory(Files.createTempDirectory(this.generation, WORK_PREFIX));
	}

	/**
	 * Stop using the cache for the rest of this runtime's life, saying why once at WARN.
	 * @param why what failed, naming the file
	 */
	public void turnOff(String why) {
		if (this.offBecause.compareAndSet(null, why)) {
			logger.warn("Compilation cache in " + this.directory + " is off: " + why
					+ "; plugins are compiled in memory");
		}
	}

	private Path entry(String moduleSha256) {
		if (!SHA256.matcher(moduleSha256).matches()) {
			throw new IllegalArgumentException("not a lower-case hex SHA-256: '" + moduleSha256 + "'");
		}
		return this.generation.resolve(moduleSha256 + ENTRY_SUFFIX);
	}

	private byte[] header(byte[] moduleSha256, byte[] payload) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.write(MAGIC);
			out.writeInt(FORMAT);
			out.writeUTF(this.runtime);
			out.writeUTF(this.runtimeVersion);
			out.write(moduleSha256);
			out.writeLong(payload.length);
			out.write(Digests.sha256(payload, 0, payload.length));
		}
		catch (IOException ex) {
			throw new IllegalStateException("writing to memory failed", ex);
		}
		return bytes.toByteArray();
	}

	/** Check an entry against what this cache expects; return where its payload starts. */
	private int check(byte[] bytes, byte[] moduleSha256) throws UnusableEntryException {
		DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
		try {
			byte[] magic = new byte[MAGIC.length];
			in.readFully(magic);
			if (!Arrays.equals(magic, MAGIC)) {
				throw new UnusableEntryException("not a compilation cache entry");
			}
			int format = in.readInt();
			if (format != FORMAT) {
				throw new UnusableEntryException("format " + format + ", this version reads format " + FORMAT);
			}
			String runtime = in.readUTF();
			String version = in.readUTF();
			if (!runtime.equals(this.runtime) || !version.equals(this.runtimeVersion)) {
				throw new UnusableEntryException("written by " + runtime + " " + version + ", not by " + this.runtime
						+ " " + this.runtimeVersion);
			}
			byte[] module = new byte[DIGEST_BYTES];
			in.readFully(module);
			if (!Arrays.equals(module, moduleSha256)) {
				throw new UnusableEntryException("holds the code of module " + HexFormat.of().formatHex(module)
						+ ", not of " + HexFormat.of().formatHex(moduleSha256));
			}
			long length = in.readLong();
			byte[] digest = new byte[DIGEST_BYTES];
			in.readFully(digest);
			int offset = bytes.length - in.available();
			long actual = bytes.length - offset;
			if (actual < length) {
				throw new UnusableEntryException("truncated: " + actual + " of " + length + " bytes of compiled code");
			}
			if (actual > length) {
				throw new UnusableEntryException((actual - length) + " bytes after its " + length + " bytes of compiled code");
			}
			if (!MessageDigest.isEqual(Digests.sha256(bytes, offset, (int) length), digest)) {
				throw new UnusableEntryException("its compiled code does not match its SHA-256");
			}
			return offset;
		}
		catch (EOFException ex) {
			throw new UnusableEntryException("truncated within its header (" + bytes.length + " bytes)");
		}
		catch (IOException ex) {
			throw new UnusableEntryException("malformed header (" + ex.getMessage() + ")");
		}
	}

	/** Evict entries, other generations' first, then the least recently used, down to the bound. */
	void trim() {
		synchronized (this.trimming) {
			List<StoredEntry> entries = new ArrayList<>();
			try {
				scan(entries);
			}
			catch (IOException ex) {
				logger.debug("Could not list the compilation cache in " + this.directory, ex);
				return;
			}
			long total = entries.stream().mapToLong(StoredEntry::size).sum();
			if (total <= this.maxBytes) {
				return;
			}
			entries.sort(Comparator.comparing((StoredEntry stored) -> !stored.otherGeneration())
				.thenComparing(StoredEntry::lastUsed));
			long before = total;
			int evicted = 0;
			for (StoredEntry stored : entries) {
				if (total <= this.maxBytes) {
					break;
				}
				try {
					Files.deleteIfExists(stored.path());
					total -= stored.size();
					evicted++;
				}
				catch (IOException ex) {
					logger.debug("Could not evict " + stored.path(), ex);
				}
				if (stored.otherGeneration()) {
					deleteIfEmpty(stored.path().getParent());
				}
			}
			logger.info("Compilation cache in " + this.directory + ": evicted " + evicted + " entries ("
					+ size(before - total) + ") to stay within " + size(this.maxBytes));
		}
	}

	private void scan(List<StoredEntry> entries) throws IOException {
		Instant abandoned = Instant.now().minus(ABANDONED);
		for (Path runtimeDirectory : directories(this.directory)) {
			for (Path generationDirectory : directories(runtimeDirectory)) {
				boolean otherVersion = !generationDirectory.equals(this.generation)
						&& runtimeDirectory.getFileName().toString().equals(segment(this.runtime));
				try (DirectoryStream<Path> files = Files.newDirectoryStream(generationDirectory)) {
					for (Path file : files) {
						BasicFileAttributes attributes;
						try {
							attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
						}
						catch (NoSuchFileException ex) {
							continue;
						}
						String name = file.getFileName().toString();
						if (attributes.isDirectory() && name.startsWith(WORK_PREFIX)
								&& attributes.lastModifiedTime().toInstant().isBefore(abandoned)) {
							deleteRecursively(file);
						}
						if (!attributes.isRegularFile()) {
							continue;
						}
						Matcher matcher = ENTRY_NAME.matcher(name);
						if (matcher.matches()) {
							boolean otherFormat = !matcher.group(1).equals(Integer.toString(FORMAT));
							entries.add(new StoredEntry(file, attributes.size(), attributes.lastModifiedTime(),
									otherVersion || otherFormat));
						}
						else if (name.endsWith(".tmp") && attributes.lastModifiedTime().toInstant().isBefore(abandoned)) {
							deleteQuietly(file);
						}
					}
				}
				catch (NoSuchFileException ex) {
					// Evicted by another engine meanwhile.
				}
			}
		}
	}

	private static List<Path> directories(Path parent) throws IOException {
		List<Path> directories = new ArrayList<>();
		try (DirectoryStream<Path> children = Files.newDirectoryStream(parent)) {
			for (Path child : children) {
				if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
					directories.add(child);
				}
			}
		}
		catch (NoSuchFileException ex) {
			// Nothing cached (yet).
		}
		return directories;
	}

	private static void deleteIfEmpty(Path directory) {
		try {
			Files.deleteIfExists(directory);
		}
		catch (DirectoryNotEmptyException ex) {
			// Still holds entries.
		}
		catch (IOException ex) {
			logger.debug("Could not delete " + directory, ex);
		}
	}

	private static void deleteRecursively(Path directory) {
		try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach(CompilationCache::deleteQuietly);
		}
		catch (NoSuchFileException ex) {
			// Already gone.
		}
		catch (IOException | java.io.UncheckedIOException ex) {
			logger.debug("Could not delete " + directory, ex);
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.debug("Could not delete " + file, ex);
		}
	}

	/**
	 * What went wrong with a file, in words: {@code "/x/cache is in the way: a file where a
	 * directory should be"}, {@code "/x/cache/f: No space left on device"}.
	 * @param ex the failure
	 * @return the description
	 */
	public static String describe(IOException ex) {
		if (ex instanceof FileSystemException fileSystem && fileSystem.getFile() != null) {
			Path file = Path.of(fileSystem.getFile());
			Path blocking = fileInTheWay((ex instanceof FileAlreadyExistsException) ? file : file.getParent());
			if (blocking != null) {
				return blocking + " is in the way: a file where a directory should be";
			}
			if (ex instanceof AccessDeniedException) {
				return "permission denied on " + fileSystem.getFile();
			}
			if (fileSystem.getReason() != null) {
				return fileSystem.getMessage();
			}
		}
		return ex.toString();
	}

	/** The nearest existing one of a directory and its ancestors, when it is not a directory. */
	private static @Nullable Path fileInTheWay(@Nullable Path directory) {
		for (Path candidate = directory; candidate != null; candidate = candidate.getParent()) {
			if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
				return Files.isDirectory(candidate) ? null : candidate;
			}
		}
		return null;
	}

	private static String size(long bytes) {
		if (bytes < 1024) {
			return bytes + " bytes";
		}
		if (bytes < 1024 * 1024) {
			return String.format(java.util.Locale.ROOT, "%.1f KB", bytes / 1024.0);
		}
		return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
	}

	/** A private directory inside the cache, deleted with everything in it on close. */
	public static final class WorkDirectory implements AutoCloseable {

		private final Path path;

		private WorkDirectory(Path path) {
			this.path = path;
		}

		public Path path() {
			return this.path;
		}

		/** Delete it; a few attempts, as a runtime's own threads may still be writing there. */
		@Override
		public void close() {
			for (int attempt = 0; attempt < 3 && Files.exists(this.path, LinkOption.NOFOLLOW_LINKS); attempt++) {
				deleteRecursively(this.path);
			}
		}

	}

	private record StoredEntry(Path path, long size, FileTime lastUsed, boolean otherGeneration) {
	}

	/** Why an entry cannot be trusted; control flow only, so no stack trace. */
	private static final class UnusableEntryException extends Exception {

		UnusableEntryException(String message) {
			super(message, null, false, false);
		}

	}

}
