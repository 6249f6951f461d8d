package io.github.grain.plugin.tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Confines the file paths a tool is given to one root directory.
 * <p>
 * A path is resolved against the root (or taken as is when absolute), normalised, and
 * then made real: every symbolic link in the part that exists is followed. The result
 * must lie inside the root's real path, so {@code ..} segments and symbolic links that
 * point outside are refused alike. For a path that does not exist yet (a file about to
 * be written) the nearest existing ancestor is made real and the rest appended; a
 * dangling symbolic link on the way is refused. The returned path is the real one: open
 * that, not the string the model sent.
 * <p>
 * The check guards against paths chosen by a model. It does not defend against another
 * local process swapping directories for links between the check and the use.
 */
public final class SandboxPolicy {

	private static final SandboxPolicy DENY_ALL = new SandboxPolicy(null, false);

	private final @Nullable Path root;

	private final boolean writable;

	private SandboxPolicy(@Nullable Path root, boolean writable) {
		this.root = root;
		this.writable = writable;
	}

	/**
	 * A sandbox rooted at an existing directory, allowing reads and writes inside it.
	 * @param root the directory
	 * @return the policy
	 * @throws IllegalArgumentException if the root is not an existing directory
	 */
	public static SandboxPolicy rootedAt(Path root) {
		return new SandboxPolicy(realDirectory(root), true);
	}

	/**
	 * A sandbox rooted at an existing directory, allowing reads only.
	 * @param root the directory
	 * @return the policy
	 */
	public static SandboxPolicy readOnly(Path root) {
		return new SandboxPolicy(realDirectory(root), false);
	}

	/** A sandbox without a root: every path is refused. */
	public static SandboxPolicy denyAll() {
		return DENY_ALL;
	}

	/** The real path of the root, empty when none is configured. */
	public Optional<Path> root() {
		return Optional.ofNullable(this.root);
	}

	/** Whether {@link #validateWrite(String)} can succeed at all. */
	public boolean isWritable() {
		return this.root != null && this.writable;
	}

	/**
	 * Check a path the tool is about to read.
	 * @param path relative to the root, or absolute
	 * @return the real path to open
	 * @throws SandboxViolationException if the path is outside the root or no root is configured
	 */
	public Path validateRead(String path) {
		return resolve(path, "read");
	}

	/**
	 * Check a path the tool is about to create, write or delete.
	 * @param path relative to the root, or absolute
	 * @return the real path to open
	 * @throws SandboxViolationException if the path is outside the root, is the root itself,
	 * or the sandbox is read-only
	 */
	public Path validateWrite(String path) {
		if (this.root != null && !this.writable) {
			throw new SandboxViolationException("cannot write '" + path + "': the sandbox is read-only");
		}
		Path resolved = resolve(path, "write");
		if (resolved.equals(this.root)) {
			throw new SandboxViolationException("cannot write '" + path + "': it is the sandbox root");
		}
		return resolved;
	}

	/** See {@link #validateRead(String)}. */
	public Path validateRead(Path path) {
		return validateRead(path.toString());
	}

	/** See {@link #validateWrite(String)}. */
	public Path validateWrite(Path path) {
		return validateWrite(path.toString());
	}

	private Path resolve(String path, String access) {
		Path root = this.root;
		if (root == null) {
			throw new SandboxViolationException("cannot " + access + " '" + path + "': no sandbox root is configured");
		}
		Path given;
		try {
			given = root.getFileSystem().getPath(path);
		}
		catch (InvalidPathException ex) {
			throw new SandboxViolationException("cannot " + access + " '" + path + "': not a valid path");
		}
		Path candidate = (given.isAbsolute() ? given : root.resolve(given)).normalize();
		if (!given.isAbsolute() && !candidate.startsWith(root)) {
			// a relative path climbing out with '..': refused without touching the file system
			throw outside(path, access);
		}
		Path real = realPath(candidate, path, access);
		if (!real.startsWith(root)) {
			throw outside(path, access);
		}
		return real;
	}

	private static Path realPath(Path candidate, String path, String access) {
		Deque<Path> missing = new ArrayDeque<>();
		Path existing = candidate;
		while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
			missing.push(existing.getFileName());
			existing = existing.getParent();
		}
		if (existing == null) {
			throw new SandboxViolationException("cannot " + access + " '" + path + "': no part of it exists");
		}
		Path real;
		try {
			real = existing.toRealPath();
		}
		catch (IOException ex) {
			throw new SandboxViolationException(
					"cannot " + access + " '" + path + "': it contains a dangling or unreadable symbolic link");
		}
		while (!missing.isEmpty()) {
			real = real.resolve(missing.pop());
		}
		return real;
	}

	private static SandboxViolationException outside(String path, String access) {
		return new SandboxViolationException("cannot " + access + " '" + path + "': it is outside the sandbox");
	}

	private static Path realDirectory(Path root) {
		try {
			Path real = root.toRealPath();
			if (!Files.isDirectory(real)) {
				throw new IllegalArgumentException("sandbox root '" + root + "' is not a directory");
			}
			return real;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("sandbox root '" + root + "' cannot be resolved", ex);
		}
	}

	@Override
	public String toString() {
		return (this.root != null) ? "SandboxPolicy[root=" + this.root + ", writable=" + this.writable + "]"
				: "SandboxPolicy[deny all]";
	}

}
