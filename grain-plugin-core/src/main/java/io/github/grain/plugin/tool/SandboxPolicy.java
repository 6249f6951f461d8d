package io.github.grain.plugin.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.github.grain.plugin.files.ConfinedDirectory;
import io.github.grain.plugin.files.ConfinedDirectory.Entry;
import io.github.grain.plugin.files.ConfinedDirectory.Usage;
import io.github.grain.plugin.files.UnsafePathException;
import org.jspecify.annotations.Nullable;

/**
 * The files a tool may touch: one root directory, reached only through
 * {@link ConfinedDirectory} (every path opened relative to an open directory handle,
 * no symbolic link followed on any component), so the check of a path and its use are
 * one operation. A tool reads and writes through this policy, never through a
 * {@link Path} it was handed.
 * <p>
 * A path is relative to the root, or absolute inside it; {@code ..} may not climb out.
 * Refused, with {@link SandboxViolationException} naming the path as the tool gave it:
 * any path outside the root, a symbolic link anywhere on a path, reading anything but a
 * regular file (FIFOs, sockets and devices could block the tool's thread), writing over
 * a file with more than one hard link (another of its names may lie outside), writing
 * into a read-only sandbox, and a write that would take the sandbox past its quota of
 * bytes or of entries (files and directories). A write replaces the whole file in one
 * rename, creating the directories on its way; writes are serialised so that a quota
 * check and its write are one step. Failures of the file system itself (a missing file)
 * are ordinary {@link IOException}s, named relative to the root.
 */
public final class SandboxPolicy {

	/** The default quota of bytes held in regular files: 100 MiB. */
	public static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;

	/** The default quota of entries (files, directories, anything else): 10,000. */
	public static final long DEFAULT_MAX_FILES = 10_000;

	private static final SandboxPolicy DENY_ALL = new SandboxPolicy(null, null, false, 0, 0);

	private final @Nullable ConfinedDirectory directory;

	/** The root as configured, absolute: absolute paths given through it are accepted too. */
	private final @Nullable Path configuredRoot;

	private final boolean writable;

	private final long maxBytes;

	private final long maxFiles;

	private final Object writes = new Object();

	private SandboxPolicy(@Nullable ConfinedDirectory directory, @Nullable Path configuredRoot, boolean writable,
			long maxBytes, long maxFiles) {
		this.directory = directory;
		this.configuredRoot = configuredRoot;
		this.writable = writable;
		this.maxBytes = maxBytes;
		this.maxFiles = maxFiles;
	}

	/**
	 * A sandbox rooted at an existing directory, allowing reads and writes inside it, with
	 * the default quotas.
	 * @param root the directory
	 * @return the policy
	 * @throws IllegalArgumentException if the root is not an existing directory
	 * @throws UnsupportedOperationException if the file system cannot confine access (no
	 * {@code SecureDirectoryStream})
	 */
	public static SandboxPolicy rootedAt(Path root) {
		return new SandboxPolicy(confine(root), root.toAbsolutePath().normalize(), true, DEFAULT_MAX_BYTES,
				DEFAULT_MAX_FILES);
	}

	/**
	 * A sandbox rooted at an existing directory, allowing reads only.
	 * @param root the directory
	 * @return the policy
	 */
	public static SandboxPolicy readOnly(Path root) {
		return new SandboxPolicy(confine(root), root.toAbsolutePath().normalize(), false, DEFAULT_MAX_BYTES,
				DEFAULT_MAX_FILES);
	}

	/** A sandbox without a root: every path is refused. */
	public static SandboxPolicy denyAll() {
		return DENY_ALL;
	}

	/**
	 * This sandbox with other quotas.
	 * @param maxBytes the most bytes its regular files may hold together
	 * @param maxFiles the most entries (files, directories, anything else) it may hold
	 * @return the policy
	 */
	public SandboxPolicy withQuota(long maxBytes, long maxFiles) {
		if (maxBytes < 0 || maxFiles < 0) {
			throw new IllegalArgumentException("sandbox quotas must not be negative: " + maxBytes + " bytes, "
					+ maxFiles + " files");
		}
		return new SandboxPolicy(this.directory, this.configuredRoot, this.writable, maxBytes, maxFiles);
	}

	/** The real path of the root, empty when none is configured. */
	public Optional<Path> root() {
		return Optional.ofNullable(this.directory).map(ConfinedDirectory::root);
	}

	/** Whether writes can succeed at all. */
	public boolean isWritable() {
		return this.directory != null && this.writable;
	}

	/** The most bytes the sandbox's regular files may hold together. */
	public long maxBytes() {
		return this.maxBytes;
	}

	/** The most entries (files, directories, anything else) the sandbox may hold. */
	public long maxFiles() {
		return this.maxFiles;
	}

	/**
	 * Read a regular file.
	 * @param path relative to the root, or absolute inside it
	 * @return its content
	 * @throws SandboxViolationException if the path is refused
	 * @throws IOException if it cannot be read (for example it does not exist)
	 */
	public byte[] readAllBytes(String path) throws IOException {
		Path relative = relative(path, "read");
		requireFile(path, relative, "read");
		return confined(path, "read", () -> directory().read(relative, Integer.MAX_VALUE - 8));
	}

	/**
	 * Read a regular file as UTF-8 text.
	 * @see #readAllBytes(String)
	 */
	public String readString(String path) throws IOException {
		return new String(readAllBytes(path), StandardCharsets.UTF_8);
	}

	/**
	 * Open a regular file for reading.
	 * @see #readAllBytes(String)
	 * @return a stream the caller closes
	 */
	public InputStream newInputStream(String path) throws IOException {
		Path relative = relative(path, "read");
		requireFile(path, relative, "read");
		return confined(path, "read", () -> directory().newInputStream(relative));
	}

	/**
	 * What is at a path, links not followed.
	 * @param path relative to the root, or absolute inside it
	 * @return the entry, empty if nothing is there
	 */
	public Optional<Entry> entry(String path) throws IOException {
		Path relative = relative(path, "read");
		return confined(path, "read", () -> directory().entry(relative));
	}

	/**
	 * The entries of a directory, by name (links and special files listed, not followed).
	 * @param path relative to the root ({@code "."} or {@code ""} for the root), or absolute inside it
	 * @return its entries
	 */
	public List<Entry> list(String path) throws IOException {
		Path relative = relative(path, "list");
		return confined(path, "list", () -> directory().list(relative));
	}

	/**
	 * Write a regular file, replacing it as a whole, creating the directories on its way.
	 * @param path relative to the root, or absolute inside it
	 * @param content the new content
	 * @throws SandboxViolationException if the path is refused, the sandbox is read-only,
	 * or the write would exceed a quota
	 * @throws IOException if the file system fails
	 */
	public void write(String path, byte[] content) throws IOException {
		Path relative = writablePath(path, "write");
		synchronized (this.writes) {
			ConfinedDirectory.WritePlan plan = confined(path, "write", () -> directory().plan(relative));
			Entry replaced = plan.replaced();
			checkQuota(path, "write", plan.missingDirectories() + ((replaced != null) ? 0 : 1),
					content.length - ((replaced != null) ? replaced.size() : 0));
			confined(path, "write", () -> {
				directory().write(relative, content);
				return null;
			});
		}
	}

	/**
	 * Write text as UTF-8.
	 * @see #write(String, byte[])
	 */
	public void writeString(String path, CharSequence text) throws IOException {
		write(path, text.toString().getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Create a directory and the directories on its way.
	 * @param path relative to the root, or absolute inside it
	 */
	public void createDirectories(String path) throws IOException {
		Path relative = relative(path, "create");
		if (!isWritable()) {
			throw readOnly(path, "create");
		}
		if (relative.toString().isEmpty()) {
			return;
		}
		synchronized (this.writes) {
			int missing = confined(path, "create", () -> directory().missingDirectories(relative));
			checkQuota(path, "create", missing, 0);
			confined(path, "create", () -> {
				directory().createDirectories(relative);
				return null;
			});
		}
	}

	/**
	 * Delete a file, a link (never what it points to) or an empty directory.
	 * @param path relative to the root, or absolute inside it
	 * @return whether it existed
	 */
	public boolean delete(String path) throws IOException {
		Path relative = writablePath(path, "delete");
		synchronized (this.writes) {
			return confined(path, "delete", () -> directory().delete(relative));
		}
	}

	/**
	 * What the sandbox holds now, counted up to one entry past its quota.
	 * @return its entries and bytes
	 */
	public Usage usage() throws IOException {
		if (this.directory == null) {
			return new Usage(0, 0, true);
		}
		return this.directory.usage(this.maxFiles);
	}

	private void checkQuota(String path, String access, long addedEntries, long addedBytes) throws IOException {
		Usage usage = directory().usage(this.maxFiles);
		if (!usage.complete() || usage.entries() + addedEntries > this.maxFiles) {
			throw new SandboxViolationException("cannot " + access + " '" + path + "': the sandbox would hold more "
					+ "than " + this.maxFiles + " files and directories, its quota");
		}
		long bytes = usage.bytes() + addedBytes;
		if (bytes > this.maxBytes) {
			throw new SandboxViolationException("cannot " + access + " '" + path + "': the sandbox would hold " + bytes
					+ " bytes, more than its quota of " + this.maxBytes + " bytes");
		}
	}

	private Path writablePath(String path, String access) {
		Path relative = relative(path, access);
		if (!isWritable()) {
			throw readOnly(path, access);
		}
		if (relative.toString().isEmpty()) {
			throw new SandboxViolationException("cannot " + access + " '" + path + "': it is the sandbox root");
		}
		return relative;
	}

	private static SandboxViolationException readOnly(String path, String access) {
		return new SandboxViolationException("cannot " + access + " '" + path + "': the sandbox is read-only");
	}

	private static void requireFile(String path, Path relative, String access) {
		if (relative.toString().isEmpty()) {
			throw new SandboxViolationException("cannot " + access + " '" + path + "': it is the sandbox root");
		}
	}

	/** The path relative to the root, normalised; refused when it leaves the root or no root is configured. */
	private Path relative(String path, String access) {
		ConfinedDirectory directory = this.directory;
		if (directory == null) {
			throw new SandboxViolationException("cannot " + access + " '" + path + "': no sandbox root is configured "
					+ "(Spring Boot: set grain.plugins.sandbox.root; otherwise SandboxPolicy.rootedAt)");
		}
		Path root = directory.root();
		Path given;
		try {
			given = root.getFileSystem().getPath(path).normalize();
		}
		catch (InvalidPathException ex) {
			throw new SandboxViolationException("cannot " + access + " '" + path + "': not a valid path");
		}
		if (given.isAbsolute()) {
			if (given.startsWith(root)) {
				return root.relativize(given);
			}
			if (this.configuredRoot != null && given.startsWith(this.configuredRoot)) {
				return this.configuredRoot.relativize(given);
			}
			throw outside(path, access);
		}
		if (!given.toString().isEmpty() && given.getName(0).toString().equals("..")) {
			throw outside(path, access);
		}
		return given;
	}

	private static SandboxViolationException outside(String path, String access) {
		return new SandboxViolationException("cannot " + access + " '" + path + "': it is outside the sandbox");
	}

	/** Called only once {@link #relative} has accepted a path, which it never does without a root. */
	private ConfinedDirectory directory() {
		return Objects.requireNonNull(this.directory, "no sandbox root");
	}

	private static <T> T confined(String path, String access, FileOperation<T> operation) throws IOException {
		try {
			return operation.run();
		}
		catch (UnsafePathException ex) {
			throw new SandboxViolationException("cannot " + access + " '" + path + "': " + ex.getMessage());
		}
	}

	private static ConfinedDirectory confine(Path root) {
		try {
			return ConfinedDirectory.of(root);
		}
		catch (java.nio.file.NotDirectoryException ex) {
			throw new IllegalArgumentException("sandbox root '" + root + "' is not a directory");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("sandbox root '" + root + "' cannot be resolved", ex);
		}
	}

	@Override
	public String toString() {
		return (this.directory != null) ? "SandboxPolicy[root=" + this.directory.root() + ", writable="
				+ this.writable + ", maxBytes=" + this.maxBytes + ", maxFiles=" + this.maxFiles + "]"
				: "SandboxPolicy[deny all]";
	}

	@FunctionalInterface
	private interface FileOperation<T> {

		T run() throws IOException;

	}

}
