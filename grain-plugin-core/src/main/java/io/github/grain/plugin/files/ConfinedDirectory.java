package io.github.grain.plugin.files;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A directory whose files are reached only through open directory handles. Every
 * component of a path is opened relative to the handle of its parent, starting at the
 * directory itself, with no symbolic link followed ({@link SecureDirectoryStream}:
 * {@code openat} with {@code O_NOFOLLOW} on Linux), so checking a path and using it are
 * one operation: neither a link nor a directory swapped for one between a check and a
 * use can lead outside.
 * <p>
 * What is refused, as {@link UnsafePathException}: a symbolic link anywhere on a path;
 * reading anything but a regular file (a FIFO, socket or device could block the reading
 * thread); writing over a file that is not regular or has more than one hard link (its
 * other names may lie outside). Writes never open the file they replace: the content goes
 * to a fresh file created next to it ({@code O_CREAT|O_EXCL}), which is then renamed over
 * it ({@code renameat}), so a racing swap of the old name for a link or a hard link
 * changes nothing outside, and readers see the old content or the new, never a part.
 * Missing directories are made under a fresh name directly in the root and renamed into
 * the directory handle they belong to.
 * <p>
 * The file type is checked before a file or directory is opened, by one system call on
 * the same directory handle; a FIFO put in the place of a checked file during that
 * window would still block the open (the JDK offers no {@code O_NONBLOCK}). The root
 * itself, and the directories above it, are trusted: they belong to the application.
 * <p>
 * Paths are relative to the root, normalised, without {@code ..}; messages name them so,
 * never by their host path. Needs a file system with {@link SecureDirectoryStream}
 * (Linux, macOS); elsewhere {@link #of} refuses.
 */
public final class ConfinedDirectory {

	private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

	private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, NOFOLLOW);

	private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
			NOFOLLOW);

	/** Names this class gives the files and directories it creates before renaming them into place. */
	public static final String TEMPORARY_PREFIX = ".grain-new-";

	private final Path root;

	private ConfinedDirectory(Path root) {
		this.root = root;
	}

	/**
	 * Confine access to a directory.
	 * @param directory an existing directory, its real path taken now
	 * @return the confined directory
	 * @throws IOException if it does not exist or is not a directory
	 * @throws UnsupportedOperationException if the file system has no {@link SecureDirectoryStream}
	 */
	public static ConfinedDirectory of(Path directory) throws IOException {
		Path real = directory.toRealPath();
		if (!Files.isDirectory(real, NOFOLLOW)) {
			throw new NotDirectoryException(directory.toString());
		}
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(real)) {
			if (!(stream instanceof SecureDirectoryStream)) {
				throw new UnsupportedOperationException("confining file access to '" + directory
						+ "' needs a SecureDirectoryStream (openat), which this platform's file system does not provide");
			}
		}
		return new ConfinedDirectory(real);
	}

	/** The real path of the directory. */
	public Path root() {
		return this.root;
	}

	/**
	 * What is at a path, without following a link.
	 * @param relative a path relative to the root (empty for the root itself)
	 * @return the entry, empty when it or a directory on its way does not exist
	 * @throws UnsafePathException if a directory on the way is a link or not a directory
	 */
	public Optional<Entry> entry(Path relative) throws IOException {
		List<String> names = names(relative);
		if (names.isEmpty()) {
			return Optional.of(new Entry("", Kind.DIRECTORY, 0));
		}
		try (Walk walk = new Walk()) {
			if (!walk.enterParents(names, Missing.SKIP)) {
				return Optional.empty();
			}
			String name = names.get(names.size() - 1);
			return attributes(walk.current, name).map((attributes) -> Entry.of(name, attributes));
		}
	}

	/**
	 * Read a regular file.
	 * @param relative the file, relative to the root
	 * @param maxBytes the largest content accepted
	 * @return its content
	 * @throws NoSuchFileException if it does not exist
	 * @throws UnsafePathException if it or a directory on its way is a link, or it is not a regular file
	 * @throws FileSystemException if it is larger than {@code maxBytes}
	 */
	public byte[] read(Path relative, long maxBytes) throws IOException {
		String display = display(relative);
		try (InputStream in = newInputStream(relative, maxBytes)) {
			ByteArrayOutputStream content = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				if (content.size() + (long) n > maxBytes) {
					throw tooLarge(display, maxBytes);
				}
				content.write(buffer, 0, n);
			}
			return content.toByteArray();
		}
	}

	/**
	 * Open a regular file for reading.
	 * @param relative the file, relative to the root
	 * @return a stream over its content; the caller closes it
	 * @throws NoSuchFileException if it does not exist
	 * @throws UnsafePathException if it or a directory on its way is a link, or it is not a regular file
	 */
	public InputStream newInputStream(Path relative) throws IOException {
		return newInputStream(relative, Long.MAX_VALUE);
	}

	private InputStream newInputStream(Path relative, long maxBytes) throws IOException {
		List<String> names = requireFileName(relative);
		String display = display(relative);
		try (Walk walk = new Walk()) {
			walk.enterParents(names, Missing.FAIL);
			String name = names.get(names.size() - 1);
			BasicFileAttributes attributes = attributes(walk.current, name)
				.orElseThrow(() -> new NoSuchFileException(display, null, "no such file"));
			requireRegularFile(attributes, display);
			if (attributes.size() > maxBytes) {
				throw tooLarge(display, maxBytes);
			}
			return Channels.newInputStream(open(walk.current, name, READ, display));
		}
	}

	/**
	 * The entries of a directory, by name.
	 * @param relative the directory, relative to the root (empty for the root)
	 * @return its entries, links and special files included (never followed)
	 * @throws NoSuchFileException if it does not exist
	 * @throws UnsafePathException if it or a directory on its way is a link or not a directory
	 */
	public List<Entry> list(Path relative) throws IOException {
		List<String> names = names(relative);
		try (Walk walk = new Walk()) {
			for (int i = 0; i < names.size(); i++) {
				if (!walk.enter(names, i, false)) {
					throw new NoSuchFileException(display(names, i), null, "no such directory");
				}
			}
			List<Entry> entries = new ArrayList<>();
			for (Path child : walk.current) {
				String name = child.getFileName().toString();
				attributes(walk.current, name).ifPresent((attributes) -> entries.add(Entry.of(name, attributes)));
			}
			entries.sort(Comparator.comparing(Entry::name));
			return entries;
		}
	}

	/**
	 * What writing a file would change, checked as {@link #write} checks it.
	 * @param relative the file, relative to the root
	 * @return the directories it would create and the file it would replace
	 * @throws UnsafePathException if a directory on its way is a link or not a directory, or
	 * the file is one that cannot be replaced
	 */
	public WritePlan plan(Path relative) throws IOException {
		List<String> names = requireFileName(relative);
		try (Walk walk = new Walk()) {
			for (int i = 0; i < names.size() - 1; i++) {
				if (!walk.enter(names, i, false)) {
					return new WritePlan(names.size() - 1 - i, null);
				}
			}
			String name = names.get(names.size() - 1);
			Optional<BasicFileAttributes> existing = attributes(walk.current, name);
			if (existing.isPresent()) {
				requireReplaceable(existing.get(), relative);
				return new WritePlan(0, Entry.of(name, existing.get()));
			}
			return new WritePlan(0, null);
		}
	}

	/**
	 * How many directories {@link #createDirectories} would make.
	 * @param relative the directory, relative to the root
	 * @return the number of directories on the path, itself included, that do not exist
	 * @throws UnsafePathException if one on the way is a link or not a directory
	 */
	public int missingDirectories(Path relative) throws IOException {
		List<String> names = names(relative);
		try (Walk walk = new Walk()) {
			for (int i = 0; i < names.size(); i++) {
				if (!walk.enter(names, i, false)) {
					return names.size() - i;
				}
			}
			return 0;
		}
	}

	/**
	 * Write a regular file, creating the directories on its way, replacing the file that
	 * is there as one rename.
	 * @param relative the file, relative to the root
	 * @param content its new content
	 * @throws UnsafePathException if a directory on its way is a link or not a directory,
	 * or the file there is not regular or has more than one hard link
	 */
	public void write(Path relative, byte[] content) throws IOException {
		List<String> names = requireFileName(relative);
		String display = display(relative);
		try (Walk walk = new Walk()) {
			walk.enterParents(names, Missing.CREATE);
			SecureDirectoryStream<Path> directory = walk.current;
			String name = names.get(names.size() - 1);
			Optional<BasicFileAttributes> existing = attributes(directory, name);
			if (existing.isPresent()) {
				requireReplaceable(existing.get(), relative);
			}
			Path temporary = path(TEMPORARY_PREFIX + UUID.randomUUID());
			try (SeekableByteChannel channel = directory.newByteChannel(temporary, CREATE)) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
			}
			catch (IOException ex) {
				deleteQuietly(directory, temporary);
				throw new FileSystemException(display, null, "cannot be written: " + reason(ex));
			}
			try {
				directory.move(temporary, directory, path(name));
			}
			catch (IOException ex) {
				deleteQuietly(directory, temporary);
				throw new FileSystemException(display, null, "cannot be replaced: " + reason(ex));
			}
		}
	}

	/**
	 * Create a directory and the directories on its way.
	 * @param relative the directory, relative to the root
	 * @throws UnsafePathException if it or a directory on its way is a link or not a directory
	 */
	public void createDirectories(Path relative) throws IOException {
		List<String> names = names(relative);
		try (Walk walk = new Walk()) {
			for (int i = 0; i < names.size(); i++) {
				walk.enter(names, i, true);
			}
		}
	}

	/**
	 * Delete a file, a link (not what it points to) or an empty directory.
	 * @param relative what to delete, relative to the root
	 * @return whether it existed
	 * @throws java.nio.file.DirectoryNotEmptyException if it is a directory that is not empty
	 */
	public boolean delete(Path relative) throws IOException {
		List<String> names = requireFileName(relative);
		try (Walk walk = new Walk()) {
			if (!walk.enterParents(names, Missing.SKIP)) {
				return false;
			}
			String name = names.get(names.size() - 1);
			Optional<BasicFileAttributes> existing = attributes(walk.current, name);
			if (existing.isEmpty()) {
				return false;
			}
			try {
				if (existing.get().isDirectory()) {
					walk.current.deleteDirectory(path(name));
				}
				else {
					walk.current.deleteFile(path(name));
				}
			}
			catch (NoSuchFileException ex) {
				return false;
			}
			catch (IOException ex) {
				throw rename(ex, display(relative));
			}
			return true;
		}
	}

	/**
	 * Count what the directory holds, links not followed. Entries that change while they
	 * are counted may be missed.
	 * @param maxEntries stop counting once more entries than this are seen
	 * @return the number of entries (files, directories, links, others) and the bytes of
	 * the regular files
	 */
	public Usage usage(long maxEntries) throws IOException {
		Deque<Path> pending = new ArrayDeque<>();
		pending.add(path(""));
		long entries = 0;
		long bytes = 0;
		while (!pending.isEmpty()) {
			Path directory = pending.poll();
			List<String> names = names(directory);
			try (Walk walk = new Walk()) {
				boolean reached = true;
				for (int i = 0; i < names.size() && reached; i++) {
					reached = walk.enter(names, i, false);
				}
				if (!reached) {
					continue;
				}
				for (Path child : walk.current) {
					String name = child.getFileName().toString();
					Optional<BasicFileAttributes> attributes = attributes(walk.current, name);
					if (attributes.isEmpty()) {
						continue;
					}
					entries++;
					if (attributes.get().isDirectory()) {
						pending.add(directory.resolve(name));
					}
					else if (attributes.get().isRegularFile()) {
						bytes += attributes.get().size();
					}
					if (entries > maxEntries) {
						return new Usage(entries, bytes, false);
					}
				}
			}
			catch (UnsafePathException | NoSuchFileException | NotDirectoryException ex) {
				// changed while counting
			}
		}
		return new Usage(entries, bytes, true);
	}

	/**
	 * The names of a relative path.
	 * @throws IllegalArgumentException if it is absolute or has {@code .} or {@code ..} names
	 */
	private static List<String> names(Path relative) {
		if (relative.isAbsolute()) {
			throw new IllegalArgumentException("not a relative path: " + relative);
		}
		List<String> names = new ArrayList<>();
		for (Path name : relative) {
			String text = name.toString();
			if (text.isEmpty()) {
				continue;
			}
			if (text.equals(".") || text.equals("..")) {
				throw new IllegalArgumentException("not a normalised path: " + relative);
			}
			names.add(text);
		}
		return names;
	}

	private static List<String> requireFileName(Path relative) {
		List<String> names = names(relative);
		if (names.isEmpty()) {
			throw new IllegalArgumentException("the root has no file name");
		}
		return names;
	}

	/** The path as messages show it: relative, with {@code /}. */
	private static String display(Path relative) {
		return String.join("/", names(relative));
	}

	private static String display(List<String> names, int last) {
		return String.join("/", names.subList(0, last + 1));
	}

	private Path path(String name) {
		return this.root.getFileSystem().getPath(name);
	}

	private Optional<BasicFileAttributes> attributes(SecureDirectoryStream<Path> directory, String name)
			throws IOException {
		BasicFileAttributeView view = directory.getFileAttributeView(path(name), BasicFileAttributeView.class,
				NOFOLLOW);
		try {
			return Optional.of(view.readAttributes());
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	private static void requireRegularFile(BasicFileAttributes attributes, String display) throws UnsafePathException {
		if (!attributes.isRegularFile()) {
			throw new UnsafePathException("'" + display + "' is " + Kind.of(attributes).description()
					+ ", not a regular file");
		}
	}

	/** A regular file with one link: another name of it (a hard link) may lie outside. */
	private void requireReplaceable(BasicFileAttributes attributes, Path relative) throws IOException {
		String display = display(relative);
		requireRegularFile(attributes, display);
		// SecureDirectoryStream does not expose the link count; ask by path and make sure it is the same file
		Map<String, Object> byPath;
		try {
			byPath = Files.readAttributes(this.root.resolve(relative), "unix:nlink,fileKey", NOFOLLOW);
		}
		catch (UnsupportedOperationException | IllegalArgumentException ex) {
			throw new UnsafePathException("'" + display + "' cannot be written: its hard links cannot be counted here");
		}
		catch (NoSuchFileException ex) {
			throw new UnsafePathException("'" + display + "' changed while it was checked");
		}
		if (!Objects.equals(byPath.get("fileKey"), attributes.fileKey())) {
			throw new UnsafePathException("'" + display + "' changed while it was checked");
		}
		int links = ((Number) byPath.get("nlink")).intValue();
		if (links > 1) {
			throw new UnsafePathException("'" + display + "' has " + links
					+ " hard links and is not written: another of its names may lie outside");
		}
	}

	private SeekableByteChannel open(SecureDirectoryStream<Path> directory, String name, Set<OpenOption> options,
			String display) throws IOException {
		try {
			return directory.newByteChannel(path(name), options);
		}
		catch (IOException ex) {
			throw openFailure(ex, display);
		}
	}

	private void makeDirectory(SecureDirectoryStream<Path> root, SecureDirectoryStream<Path> parent, String name,
			String display) throws IOException {
		// no mkdirat in the JDK: make it under a fresh name in the root (mkdir follows no link in its last
		// name), then rename it into the parent's handle, wherever that directory's path now leads
		String temporary = TEMPORARY_PREFIX + UUID.randomUUID();
		try {
			Files.createDirectory(this.root.resolve(temporary));
		}
		catch (IOException ex) {
			throw new FileSystemException(display, null, "cannot be created: " + reason(ex));
		}
		try {
			root.move(path(temporary), parent, path(name));
		}
		catch (IOException ex) {
			try {
				root.deleteDirectory(path(temporary));
			}
			catch (IOException ignored) {
				// left as an empty directory with a temporary name
			}
			if (attributes(parent, name).isEmpty()) {
				throw new FileSystemException(display, null, "cannot be created: " + reason(ex));
			}
			// made meanwhile by someone else: checked like any existing directory
		}
	}

	private static void deleteQuietly(SecureDirectoryStream<Path> directory, Path name) {
		try {
			directory.deleteFile(name);
		}
		catch (IOException ignored) {
			// nothing was created, or it is gone already
		}
	}

	/** The failure with the path named as messages name it (relative), never the host path. */
	private static IOException rename(IOException ex, String display) {
		if (ex instanceof NoSuchFileException) {
			return new NoSuchFileException(display, null, "no such file or directory");
		}
		if (ex instanceof AccessDeniedException) {
			return new AccessDeniedException(display, null, "permission denied");
		}
		if (ex instanceof DirectoryNotEmptyException) {
			return new DirectoryNotEmptyException(display);
		}
		if (ex instanceof UnsafePathException) {
			return ex;
		}
		return new FileSystemException(display, null, reason(ex));
	}

	/** A failure to open what was just checked: missing or forbidden, or swapped for something else. */
	private static IOException openFailure(IOException ex, String display) {
		IOException renamed = rename(ex, display);
		if (renamed instanceof NoSuchFileException || renamed instanceof AccessDeniedException) {
			return renamed;
		}
		return new UnsafePathException("'" + display + "' cannot be opened (" + reason(ex)
				+ "); it was replaced after it was checked");
	}

	private static String reason(IOException ex) {
		if (ex instanceof FileSystemException fs && fs.getReason() != null) {
			return fs.getReason();
		}
		return ex.getClass().getSimpleName();
	}

	private static FileSystemException tooLarge(String display, long maxBytes) {
		return new FileSystemException(display, null, "is larger than " + maxBytes + " bytes");
	}

	/**
	 * One entry of a directory.
	 * @param name its name
	 * @param kind what it is (links are never followed)
	 * @param size its size in bytes (a regular file's content)
	 */
	public record Entry(String name, Kind kind, long size) {

		static Entry of(String name, BasicFileAttributes attributes) {
			return new Entry(name, Kind.of(attributes), attributes.size());
		}

	}

	/** What an entry is. */
	public enum Kind {

		/** A regular file. */
		FILE("a regular file"),

		/** A directory. */
		DIRECTORY("a directory"),

		/** A symbolic link, never followed. */
		SYMBOLIC_LINK("a symbolic link"),

		/** A FIFO, socket or device. */
		OTHER("a FIFO, socket or device");

		private final String description;

		Kind(String description) {
			this.description = description;
		}

		/** For messages: "a symbolic link". */
		public String description() {
			return this.description;
		}

		static Kind of(BasicFileAttributes attributes) {
			if (attributes.isSymbolicLink()) {
				return SYMBOLIC_LINK;
			}
			if (attributes.isDirectory()) {
				return DIRECTORY;
			}
			return attributes.isRegularFile() ? FILE : OTHER;
		}

	}

	/**
	 * What a write would change.
	 * @param missingDirectories how many directories it would create
	 * @param replaced the file it would replace, if any
	 */
	public record WritePlan(int missingDirectories, @Nullable Entry replaced) {
	}

	/**
	 * What a directory holds.
	 * @param entries files, directories, links and others below it
	 * @param bytes the sizes of its regular files, added up
	 * @param complete whether every entry was counted (false once the limit was passed)
	 */
	public record Usage(long entries, long bytes, boolean complete) {
	}

	/** What a walk does about a directory that is missing. */
	private enum Missing {

		/** Stop, reporting it. */
		SKIP,

		/** Throw {@link NoSuchFileException}. */
		FAIL,

		/** Make it. */
		CREATE

	}

	/**
	 * A walk from the root down through directory handles, holding the root's handle (for
	 * making directories) and the current one.
	 */
	private final class Walk implements Closeable {

		private final SecureDirectoryStream<Path> rootHandle;

		private SecureDirectoryStream<Path> current;

		Walk() throws IOException {
			DirectoryStream<Path> stream = Files.newDirectoryStream(ConfinedDirectory.this.root);
			if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
				stream.close();
				throw new UnsupportedOperationException("no SecureDirectoryStream for the confined directory");
			}
			this.rootHandle = secure;
			this.current = secure;
		}

		/**
		 * Enter every directory before the last name.
		 * @return whether all of them exist (or were made)
		 * @throws NoSuchFileException when one is missing and {@code missing} is {@link Missing#FAIL}
		 */
		boolean enterParents(List<String> names, Missing missing) throws IOException {
			for (int i = 0; i < names.size() - 1; i++) {
				if (!enter(names, i, missing == Missing.CREATE)) {
					if (missing == Missing.FAIL) {
						throw new NoSuchFileException(display(names, i), null, "no such directory");
					}
					return false;
				}
			}
			return true;
		}

		/**
		 * Enter the directory {@code names[index]} of the current one.
		 * @param create make it when it is missing
		 * @return false when it is missing and not made
		 */
		boolean enter(List<String> names, int index, boolean create) throws IOException {
			String name = names.get(index);
			String display = display(names, index);
			Optional<BasicFileAttributes> attributes = attributes(this.current, name);
			if (attributes.isEmpty()) {
				if (!create) {
					return false;
				}
				makeDirectory(this.rootHandle, this.current, name, display);
				attributes = attributes(this.current, name);
				if (attributes.isEmpty()) {
					throw new NoSuchFileException(display, null, "was removed as soon as it was created");
				}
			}
			if (!attributes.get().isDirectory()) {
				throw new UnsafePathException("'" + display + "' is " + Kind.of(attributes.get()).description()
						+ ", not a directory" + (attributes.get().isSymbolicLink() ? " (links are never followed)" : ""));
			}
			SecureDirectoryStream<Path> next;
			try {
				next = this.current.newDirectoryStream(path(name), NOFOLLOW);
			}
			catch (IOException ex) {
				throw openFailure(ex, display);
			}
			if (this.current != this.rootHandle) {
				this.current.close();
			}
			this.current = next;
			return true;
		}

		@Override
		public void close() throws IOException {
			try {
				if (this.current != this.rootHandle) {
					this.current.close();
				}
			}
			finally {
				this.rootHandle.close();
			}
		}

	}

}
