package io.github.grain.plugin.tool;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.github.grain.plugin.files.ConfinedDirectory.Entry;
import io.github.grain.plugin.files.ConfinedDirectory.Kind;
import io.github.grain.plugin.files.ConfinedDirectory.Usage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Real files, links, FIFOs and sockets in a temporary directory; a second directory next
 * to the root stands for everything outside it.
 */
class SandboxPolicyTests {

	@TempDir
	Path temp;

	Path root;

	Path outside;

	SandboxPolicy sandbox;

	@BeforeEach
	void setUp() throws IOException {
		this.root = Files.createDirectories(this.temp.resolve("root")).toRealPath();
		this.outside = Files.createDirectories(this.temp.resolve("outside")).toRealPath();
		Files.writeString(this.outside.resolve("secret.txt"), "secret");
		Files.writeString(this.root.resolve("notes.txt"), "notes");
		this.sandbox = SandboxPolicy.rootedAt(this.root);
	}

	@Test
	void readsRelativeAbsoluteAndNormalisedPathsInsideTheRoot() throws IOException {
		assertThat(this.sandbox.readString("notes.txt")).isEqualTo("notes");
		assertThat(this.sandbox.readString(this.root.resolve("notes.txt").toString())).isEqualTo("notes");
		assertThat(this.sandbox.readString("sub/../notes.txt")).isEqualTo("notes");
		try (InputStream in = this.sandbox.newInputStream("./notes.txt")) {
			assertThat(in.readAllBytes()).isEqualTo("notes".getBytes(StandardCharsets.UTF_8));
		}
	}

	@Test
	void aMissingFileIsAnIOExceptionNamingItRelativeToTheRoot() {
		assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> this.sandbox.readString("a/b.txt"))
			.withMessage("a: no such directory");
		assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> this.sandbox.readString("b.txt"))
			.withMessage("b.txt: no such file");
	}

	@Test
	void pathsLeavingTheRootAreRefusedWithoutTouchingTheFileSystem() {
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.readString("../outside/secret.txt"))
			.withMessage("cannot read '../outside/secret.txt': it is outside the sandbox");
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.readString(this.outside.resolve("secret.txt").toString()))
			.withMessageContaining("outside the sandbox");
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.writeString("a/../../escape.txt", "x"))
			.withMessage("cannot write 'a/../../escape.txt': it is outside the sandbox");
		assertThat(this.temp.resolve("escape.txt")).doesNotExist();
	}

	@Test
	void noSymbolicLinkIsFollowedWhereverItPoints() throws IOException {
		Files.createSymbolicLink(this.root.resolve("out.txt"), this.outside.resolve("secret.txt"));
		Files.createSymbolicLink(this.root.resolve("alias.txt"), this.root.resolve("notes.txt"));
		Files.createSymbolicLink(this.root.resolve("zero"), Path.of("/dev/zero"));
		Files.createSymbolicLink(this.root.resolve("escape"), this.outside);
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> this.sandbox.readString("out.txt"))
			.withMessage("cannot read 'out.txt': 'out.txt' is a symbolic link, not a regular file");
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.readString("alias.txt"))
			.withMessageContaining("is a symbolic link");
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> this.sandbox.readAllBytes("zero"))
			.withMessageContaining("is a symbolic link");
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.readString("escape/secret.txt"))
			.withMessage("cannot read 'escape/secret.txt': 'escape' is a symbolic link, not a directory "
					+ "(links are never followed)");
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.writeString("escape/new.txt", "x"))
			.withMessageContaining("'escape' is a symbolic link");
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.writeString("out.txt", "overwritten"))
			.withMessageContaining("'out.txt' is a symbolic link");
		assertThat(this.outside.resolve("secret.txt")).hasContent("secret");
		assertThat(this.outside.resolve("new.txt")).doesNotExist();
	}

	@Test
	void aDanglingLinkIsRefusedForWrites() throws IOException {
		Files.createSymbolicLink(this.root.resolve("dangling"), this.outside.resolve("does-not-exist"));
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.writeString("dangling", "x"))
			.withMessageContaining("'dangling' is a symbolic link");
		assertThat(this.outside.resolve("does-not-exist")).doesNotExist();
	}

	@Test
	void aFileWithAnotherHardLinkOutsideIsReadButNeverWrittenThrough() throws IOException {
		Files.createLink(this.root.resolve("linked.txt"), this.outside.resolve("secret.txt"));
		assertThat(this.sandbox.readString("linked.txt")).isEqualTo("secret");
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.writeString("linked.txt", "overwritten"))
			.withMessage("cannot write 'linked.txt': 'linked.txt' has 2 hard links and is not written: another of "
					+ "its names may lie outside");
		assertThat(this.outside.resolve("secret.txt")).hasContent("secret");
		// deleting removes this name only
		assertThat(this.sandbox.delete("linked.txt")).isTrue();
		assertThat(this.outside.resolve("secret.txt")).hasContent("secret");
	}

	@Test
	void fifosAndSocketsAreRefusedBeforeTheyAreOpened() throws Exception {
		Process mkfifo = new ProcessBuilder("mkfifo", this.root.resolve("pipe").toString()).inheritIO().start();
		assertThat(mkfifo.waitFor()).isZero();
		Path socketFile = this.root.resolve("socket");
		try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			socket.bind(UnixDomainSocketAddress.of(socketFile));
			for (String special : List.of("pipe", "socket")) {
				// opening a FIFO for reading would wait for a writer: bounded here so a regression fails, not hangs
				Throwable read = CompletableFuture.supplyAsync(() -> catchThrowable(() -> this.sandbox.readAllBytes(special)))
					.get(30, TimeUnit.SECONDS);
				assertThat(read).isInstanceOf(SandboxViolationException.class)
					.hasMessage("cannot read '" + special + "': '" + special
							+ "' is a FIFO, socket or device, not a regular file");
				assertThatExceptionOfType(SandboxViolationException.class)
					.isThrownBy(() -> this.sandbox.writeString(special, "x"))
					.withMessageContaining("is a FIFO, socket or device");
				assertThatExceptionOfType(SandboxViolationException.class)
					.isThrownBy(() -> this.sandbox.readString(special + "/below.txt"))
					.withMessageContaining("not a directory");
			}
			assertThat(this.sandbox.list(".")).extracting(Entry::name, Entry::kind)
				.contains(org.assertj.core.groups.Tuple.tuple("pipe", Kind.OTHER),
						org.assertj.core.groups.Tuple.tuple("socket", Kind.OTHER));
		}
	}

	@Test
	void aDirectorySwappedForALinkWhileWritesAndReadsHappenNeverLetsOneLandOutside() throws Exception {
		Path dir = Files.createDirectories(this.root.resolve("dir"));
		Files.createDirectories(dir.resolve("a/b/c"));
		Files.createDirectories(this.outside.resolve("a/b/c"));
		Files.writeString(dir.resolve("a/b/c/secret.txt"), "inside");
		Files.writeString(this.outside.resolve("a/b/c/secret.txt"), "outside");
		Path away = this.root.resolve("dir.away");
		Path link = Files.createSymbolicLink(this.root.resolve("link"), this.outside);
		AtomicBoolean running = new AtomicBoolean(true);
		CompletableFuture<Integer> swapper = CompletableFuture.supplyAsync(() -> {
			int swaps = 0;
			try {
				while (running.get()) {
					Files.move(dir, away);
					moveInto(link, dir);
					Files.move(dir, link);
					moveInto(away, dir);
					swaps++;
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			return swaps;
		});
		int written = 0;
		List<String> reads = new ArrayList<>();
		try {
			for (int i = 0; i < 3_000; i++) {
				try {
					this.sandbox.writeString("dir/a/b/c/note.txt", "write " + i);
					written++;
				}
				catch (SandboxViolationException | IOException ex) {
					// refused, or raced with the swap: either way not written outside
				}
				try {
					reads.add(this.sandbox.readString("dir/a/b/c/secret.txt"));
				}
				catch (SandboxViolationException | IOException ex) {
					// likewise
				}
			}
		}
		finally {
			running.set(false);
		}
		assertThat(swapper.get(30, TimeUnit.SECONDS)).isPositive();
		assertThat(this.outside.resolve("a/b/c/note.txt")).doesNotExist();
		assertThat(reads).isNotEmpty().containsOnly("inside");
		assertThat(written).isPositive();
	}

	/** Keeps the tree small: quotas are counted on every write. */
	private static void deleteQuietly(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException | java.io.UncheckedIOException ex) {
			// a write still in flight inside it: left behind, inside the root
		}
	}

	/**
	 * Rename, first moving aside a directory the sandbox made in the meantime (a write to
	 * {@code dir/...} makes {@code dir} when it finds it missing).
	 */
	private void moveInto(Path source, Path target) throws IOException {
		for (int attempt = 0;; attempt++) {
			try {
				Files.move(source, target);
				return;
			}
			catch (java.nio.file.FileSystemException ex) {
				if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
					throw ex;
				}
				Path aside = Files.move(target, this.root.resolve("made-meanwhile-" + System.nanoTime() + "-" + attempt));
				deleteQuietly(aside);
			}
		}
	}

	@Test
	void writesCreateTheirDirectoriesAndReplaceTheWholeFileLeavingNothingElse() throws IOException {
		this.sandbox.writeString("a/b/c.txt", "first version, longer");
		this.sandbox.writeString("a/b/c.txt", "second");
		assertThat(this.root.resolve("a/b/c.txt")).hasContent("second");
		assertThat(this.sandbox.list("a/b")).containsExactly(new Entry("c.txt", Kind.FILE, 6));
		assertThat(this.sandbox.list("")).extracting(Entry::name).containsExactly("a", "notes.txt");
		assertThat(this.sandbox.entry("a")).contains(new Entry("a", Kind.DIRECTORY,
				Files.readAttributes(this.root.resolve("a"), java.nio.file.attribute.BasicFileAttributes.class).size()));
		assertThat(this.sandbox.entry("nothing")).isEmpty();
	}

	@Test
	void directoriesAreNotReplacedByFiles() throws IOException {
		this.sandbox.createDirectories("d/e");
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> this.sandbox.writeString("d", "x"))
			.withMessage("cannot write 'd': 'd' is a directory, not a regular file");
		assertThatExceptionOfType(DirectoryNotEmptyException.class).isThrownBy(() -> this.sandbox.delete("d"));
		assertThat(this.sandbox.delete("d/e")).isTrue();
		assertThat(this.sandbox.delete("d")).isTrue();
		assertThat(this.sandbox.delete("d")).isFalse();
	}

	@Test
	void quotasCountBytesAndEntriesAfterTheWriteAndRefuseWhatWouldPassThem() throws IOException {
		// notes.txt (5 bytes, 1 entry) is already there
		SandboxPolicy small = this.sandbox.withQuota(20, 3);
		small.writeString("a.txt", "0123456789");
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> small.writeString("b.txt", "0123456789"))
			.withMessage("cannot write 'b.txt': the sandbox would hold 25 bytes, more than its quota of 20 bytes");
		small.writeString("a.txt", "012345678901234");
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> small.writeString("x/y.txt", ""))
			.withMessage("cannot write 'x/y.txt': the sandbox would hold more than 3 files and directories, its quota");
		small.writeString("c.txt", "");
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> small.createDirectories("d"))
			.withMessageContaining("more than 3 files and directories");
		// at the quota, replacing a file adds no entry
		small.writeString("a.txt", "543210987654321");
		assertThat(small.usage()).satisfies((usage) -> {
			assertThat(usage.entries()).isEqualTo(3);
			assertThat(usage.bytes()).isEqualTo(20);
		});
		assertThat(this.root.resolve("b.txt")).doesNotExist();
		assertThat(this.root.resolve("x")).doesNotExist();
	}

	@Test
	void theRootItselfIsNeitherWrittenNorDeleted() {
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> this.sandbox.writeString(".", "x"))
			.withMessage("cannot write '.': it is the sandbox root");
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> this.sandbox.delete(""))
			.withMessageContaining("it is the sandbox root");
	}

	@Test
	void theRootItselfIsNotReadAsAFileNorIsADirectory() throws IOException {
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> this.sandbox.readString("."))
			.withMessage("cannot read '.': it is the sandbox root");
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> this.sandbox.newInputStream(""))
			.withMessage("cannot read '': it is the sandbox root");
		this.sandbox.createDirectories("d");
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> this.sandbox.readAllBytes("d"))
			.withMessage("cannot read 'd': 'd' is a directory, not a regular file");
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> this.sandbox.newInputStream("d"))
			.withMessage("cannot read 'd': 'd' is a directory, not a regular file");
	}

	@Test
	void quotasMayBeZeroButNotNegative() {
		assertThat(this.sandbox.maxBytes()).isEqualTo(SandboxPolicy.DEFAULT_MAX_BYTES);
		assertThat(this.sandbox.maxFiles()).isEqualTo(SandboxPolicy.DEFAULT_MAX_FILES);
		SandboxPolicy none = this.sandbox.withQuota(0, 0);
		assertThat(none.maxBytes()).isZero();
		assertThat(none.maxFiles()).isZero();
		SandboxPolicy other = this.sandbox.withQuota(7, 3);
		assertThat(other.maxBytes()).isEqualTo(7);
		assertThat(other.maxFiles()).isEqualTo(3);
		assertThatIllegalArgumentException().isThrownBy(() -> this.sandbox.withQuota(-1, 0))
			.withMessage("sandbox quotas must not be negative: -1 bytes, 0 files");
		assertThatIllegalArgumentException().isThrownBy(() -> this.sandbox.withQuota(0, -1))
			.withMessage("sandbox quotas must not be negative: 0 bytes, -1 files");
	}

	@Test
	void creatingTheRootIsNothingToDoEvenPastTheQuota() throws IOException {
		// notes.txt is one entry, past a quota of none
		SandboxPolicy full = this.sandbox.withQuota(100, 0);
		full.createDirectories(".");
		full.createDirectories("");
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> full.createDirectories("d"))
			.withMessage("cannot create 'd': the sandbox would hold more than 0 files and directories, its quota");
		assertThat(this.root.resolve("d")).doesNotExist();
	}

	@Test
	void usageCountsWhatTheSandboxHolds() throws IOException {
		this.sandbox.writeString("a/b.txt", "0123456789");
		assertThat(this.sandbox.usage()).isEqualTo(new Usage(3, 15, true));
		assertThat(SandboxPolicy.denyAll().usage()).isEqualTo(new Usage(0, 0, true));
	}

	@Test
	void aReadOnlySandboxRefusesWritesButAllowsReads() throws IOException {
		SandboxPolicy readOnly = SandboxPolicy.readOnly(this.root);
		assertThat(readOnly.readString("notes.txt")).isEqualTo("notes");
		assertThat(readOnly.isWritable()).isFalse();
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> readOnly.writeString("notes.txt", "x"))
			.withMessage("cannot write 'notes.txt': the sandbox is read-only");
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> readOnly.delete("notes.txt"))
			.withMessageContaining("read-only");
		assertThatExceptionOfType(SandboxViolationException.class).isThrownBy(() -> readOnly.createDirectories("d"))
			.withMessage("cannot create 'd': the sandbox is read-only");
		assertThat(this.root.resolve("notes.txt")).hasContent("notes");
		assertThat(this.root.resolve("d")).doesNotExist();
	}

	@Test
	void aSandboxWithoutRootRefusesEverything() {
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> SandboxPolicy.denyAll().readString("notes.txt"))
			.withMessage("cannot read 'notes.txt': no sandbox root is configured (Spring Boot: set "
					+ "grain.plugins.sandbox.root; otherwise SandboxPolicy.rootedAt)");
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> SandboxPolicy.denyAll().list("."))
			.withMessageContaining("no sandbox root");
		assertThat(SandboxPolicy.denyAll().root()).isEmpty();
		assertThat(SandboxPolicy.denyAll().isWritable()).isFalse();
	}

	@Test
	void theRootMustBeADirectory() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> SandboxPolicy.rootedAt(this.root.resolve("notes.txt")))
			.withMessageContaining("is not a directory");
	}

	@Test
	void aRootGivenThroughALinkIsMadeRealAndPathsThroughEitherAreAccepted() throws IOException {
		Path link = Files.createSymbolicLink(this.temp.resolve("root-link"), this.root);
		SandboxPolicy viaLink = SandboxPolicy.rootedAt(link);
		assertThat(viaLink.root()).contains(this.root);
		assertThat(viaLink.readString(link.resolve("notes.txt").toString())).isEqualTo("notes");
		assertThat(viaLink.readString(this.root.resolve("notes.txt").toString())).isEqualTo("notes");
	}

}
