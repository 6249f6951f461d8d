package io.github.grain.plugin.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.grain.plugin.engine.CompilationCacheOptions;
import io.github.grain.plugin.engine.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cache mechanism on its own, with byte payloads: what makes an entry trusted, how the
 * bound is kept, and that faults of the disk end in a miss or a cache that is off, never
 * in an exception. The runtimes' use of it is in {@code CompilationCacheFaultTests}.
 */
class CompilationCacheTests {

	private static final String MODULE_A = Digests.sha256("module a".getBytes(StandardCharsets.UTF_8));

	private static final String MODULE_B = Digests.sha256("module b".getBytes(StandardCharsets.UTF_8));

	private static final byte[] CODE_A = "compiled code of a, long enough to damage".getBytes(StandardCharsets.UTF_8);

	private static final byte[] CODE_B = "compiled code of b, and a little more of it".getBytes(StandardCharsets.UTF_8);

	@TempDir
	Path directory;

	private ListAppender<ILoggingEvent> log;

	@BeforeEach
	void captureLog() {
		this.log = Fixtures.captureLog(CompilationCache.class.getName());
	}

	private CompilationCache open(long maxBytes, String runtime, String version) {
		return CompilationCache.open(new CompilationCacheOptions(this.directory, maxBytes), runtime, version);
	}

	private CompilationCache open() {
		return open(CompilationCacheOptions.DEFAULT_MAX_BYTES, "test", "1.0");
	}

	private List<String> warnings() {
		return Fixtures.warnings(this.log);
	}

	private Path entryOf(CompilationCache cache, String module) {
		return cache.generation().resolve(module + CompilationCache.ENTRY_SUFFIX);
	}

	@Test
	void anEntryIsReadBackAsWrittenUnderItsRuntimeAndVersion() {
		CompilationCache cache = open();
		assertThat(cache.read("a", MODULE_A)).isEmpty();
		cache.write("a", MODULE_A, CODE_A);
		assertThat(cache.read("a", MODULE_A)).hasValueSatisfying((code) -> assertThat(code).isEqualTo(CODE_A));
		assertThat(entryOf(cache, MODULE_A)).isEqualTo(this.directory.resolve("test/1.0/" + MODULE_A + ".v1"))
			.isRegularFile();
		assertThat(open().read("a", MODULE_A)).as("another engine on the same directory")
			.hasValueSatisfying((code) -> assertThat(code).isEqualTo(CODE_A));
		assertThat(warnings()).isEmpty();
	}

	static Stream<Arguments> damage() {
		return Stream.of(Arguments.of("20 bytes flipped in the code", (Damage) (entry, other) -> {
			byte[] bytes = Files.readAllBytes(entry);
			for (int i = bytes.length - 20; i < bytes.length; i++) {
				bytes[i] ^= (byte) 0x5a;
			}
			Files.write(entry, bytes);
		}, "does not match its SHA-256"), Arguments.of("one bit flipped in the code", (Damage) (entry, other) -> {
			byte[] bytes = Files.readAllBytes(entry);
			bytes[bytes.length - 7] ^= 1;
			Files.write(entry, bytes);
		}, "does not match its SHA-256"), Arguments.of("truncated in the code", (Damage) (entry, other) -> {
			byte[] bytes = Files.readAllBytes(entry);
			Files.write(entry, Arrays.copyOf(bytes, bytes.length - 10));
		}, "truncated: " + (CODE_A.length - 10) + " of " + CODE_A.length + " bytes"),
				Arguments.of("truncated in the header", (Damage) (entry, other) -> {
					Files.write(entry, Arrays.copyOf(Files.readAllBytes(entry), 30));
				}, "truncated within its header (30 bytes)"), Arguments.of("emptied", (Damage) (entry, other) -> {
					Files.write(entry, new byte[0]);
				}, "truncated within its header (0 bytes)"),
				Arguments.of("bytes appended", (Damage) (entry, other) -> {
					Files.write(entry, new byte[] { 1, 2, 3 }, java.nio.file.StandardOpenOption.APPEND);
				}, "3 bytes after its " + CODE_A.length + " bytes of compiled code"),
				Arguments.of("swapped with another module's entry", (Damage) (entry, other) -> {
					Files.copy(other, entry, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
				}, "holds the code of module " + MODULE_B + ", not of " + MODULE_A),
				Arguments.of("replaced by something else", (Damage) (entry, other) -> {
					Files.writeString(entry, "PK\u0003\u0004 a jar from an older version");
				}, "not a compilation cache entry"),
				Arguments.of("another format's header", (Damage) (entry, other) -> {
					byte[] bytes = Files.readAllBytes(entry);
					bytes[11] = 2;
					Files.write(entry, bytes);
				}, "format 2, this version reads format 1"),
				Arguments.of("another version's entry copied in", (Damage) (entry, other) -> {
					String foreign = new String(Files.readAllBytes(entry), StandardCharsets.ISO_8859_1).replace("1.0",
							"9.9");
					Files.write(entry, foreign.getBytes(StandardCharsets.ISO_8859_1));
				}, "written by test 9.9, not by test 1.0"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("damage")
	void aDamagedEntryIsReportedOnceDeletedAndReadAsAMiss(String what, Damage damage, String reason)
			throws IOException {
		CompilationCache cache = open();
		cache.write("a", MODULE_A, CODE_A);
		cache.write("b", MODULE_B, CODE_B);
		Path entry = entryOf(cache, MODULE_A);
		damage.apply(entry, entryOf(cache, MODULE_B));

		assertThat(open().read("a", MODULE_A)).isEmpty();
		assertThat(warnings()).singleElement()
			.asString()
			.contains("Plugin 'a'", "compilation cache entry " + entry, reason, "deleted it, compiling the module again");
		assertThat(entry).doesNotExist();
		assertThat(open().read("a", MODULE_A)).as("gone, so no second warning").isEmpty();
		assertThat(warnings()).hasSize(1);

		cache.write("a", MODULE_A, CODE_A);
		assertThat(cache.read("a", MODULE_A)).hasValueSatisfying((code) -> assertThat(code).isEqualTo(CODE_A));
		assertThat(cache.read("b", MODULE_B)).as("the other entry is untouched")
			.hasValueSatisfying((code) -> assertThat(code).isEqualTo(CODE_B));
	}

	@Test
	void anEntryTheRuntimeCannotUseIsDiscardedWithItsReason() {
		CompilationCache cache = open();
		cache.write("a", MODULE_A, CODE_A);
		cache.discard("a", MODULE_A, "was refused by test (bad classes)");
		assertThat(warnings()).singleElement()
			.asString()
			.contains("Plugin 'a': compilation cache entry " + entryOf(cache, MODULE_A)
					+ " was refused by test (bad classes); deleted it");
		assertThat(cache.read("a", MODULE_A)).isEmpty();
	}

	@Test
	void theBoundEvictsOtherVersionsFirstThenTheLeastRecentlyUsed() throws IOException {
		byte[] code = new byte[1000];
		CompilationCache old = open(Long.MAX_VALUE, "test", "0.9");
		old.write("a", MODULE_A, code);
		CompilationCache otherRuntime = open(Long.MAX_VALUE, "other", "1.0");
		otherRuntime.write("a", MODULE_A, code);
		CompilationCache current = open(Long.MAX_VALUE, "test", "1.0");
		String[] modules = new String[4];
		for (int i = 0; i < modules.length; i++) {
			modules[i] = Digests.sha256(new byte[] { (byte) i });
			current.write("p" + i, modules[i], code);
			Files.setLastModifiedTime(entryOf(current, modules[i]), FileTime.from(Instant.ofEpochSecond(1000 + i)));
		}
		// The old version's entry is the most recently touched: stale entries still go first.
		Files.setLastModifiedTime(entryOf(old, MODULE_A), FileTime.from(Instant.ofEpochSecond(5000)));
		Files.setLastModifiedTime(entryOf(otherRuntime, MODULE_A), FileTime.from(Instant.ofEpochSecond(900)));
		long entrySize = Files.size(entryOf(current, modules[0]));
		assertThat(current.read("p0", modules[0])).as("a hit renews p0").isPresent();

		CompilationCache bounded = open(3 * entrySize, "test", "1.0");

		assertThat(entryOf(old, MODULE_A)).as("another version of this runtime: first out").doesNotExist();
		assertThat(old.generation()).as("its emptied directory too").doesNotExist();
		assertThat(entryOf(otherRuntime, MODULE_A)).as("another runtime's entry is not stale, only the oldest")
			.doesNotExist();
		assertThat(entryOf(bounded, modules[1])).as("least recently used of this version").doesNotExist();
		assertThat(entryOf(bounded, modules[0])).as("renewed by its hit").exists();
		assertThat(entryOf(bounded, modules[2])).exists();
		assertThat(entryOf(bounded, modules[3])).exists();
		assertThat(this.log.list).anySatisfy((event) -> assertThat(event.getFormattedMessage())
			.contains("evicted 3 entries", "to stay within"));

		bounded.write("a", MODULE_A, code);
		assertThat(entryOf(bounded, modules[2])).as("each write keeps the bound").doesNotExist();
		assertThat(totalSize()).isLessThanOrEqualTo(3 * entrySize);
		assertThat(warnings()).isEmpty();
	}

	private long totalSize() throws IOException {
		try (Stream<Path> files = Files.walk(this.directory)) {
			return files.filter(Files::isRegularFile).mapToLong((file) -> file.toFile().length()).sum();
		}
	}

	@Test
	void codeLargerThanTheBoundIsNotCached() {
		CompilationCache cache = open(100, "test", "1.0");
		cache.write("big", MODULE_A, new byte[200]);
		assertThat(cache.read("big", MODULE_A)).isEmpty();
		assertThat(this.log.list).anySatisfy((event) -> assertThat(event.getFormattedMessage())
			.contains("Plugin 'big': its compiled code", "larger than the compilation cache's maximum size"));
		assertThat(cache.isOn()).isTrue();
	}

	@Test
	void aFileWhereTheDirectoryShouldBeTurnsTheCacheOffWithOneWarning() throws IOException {
		Files.delete(this.directory);
		Files.writeString(this.directory, "not a directory");
		CompilationCache cache = open();
		assertThat(cache.isOn()).isFalse();
		cache.write("a", MODULE_A, CODE_A);
		assertThat(cache.read("a", MODULE_A)).isEmpty();
		cache.write("b", MODULE_B, CODE_B);
		assertThat(warnings()).singleElement()
			.asString()
			.isEqualTo("Compilation cache in " + this.directory + " is off: " + this.directory
					+ " is in the way: a file where a directory should be; plugins are compiled in memory");
		assertThat(this.directory).hasContent("not a directory");
	}

	@Test
	void aWriteThatFailsTurnsTheCacheOffWithOneWarning() throws IOException {
		CompilationCache cache = open();
		cache.write("a", MODULE_A, CODE_A);
		Files.delete(entryOf(cache, MODULE_A));
		Files.delete(cache.generation());
		Files.writeString(cache.generation(), "in the way");

		cache.write("b", MODULE_B, CODE_B);
		cache.write("a", MODULE_A, CODE_A);

		assertThat(cache.isOn()).isFalse();
		assertThat(warnings()).singleElement()
			.asString()
			.startsWith("Compilation cache in " + this.directory + " is off: cannot write " + entryOf(cache, MODULE_B))
			.endsWith("; plugins are compiled in memory");
		assertThat(cache.read("a", MODULE_A)).isEmpty();
	}

	@Test
	void aRuntimeWhoseVersionCannotBeToldGetsNoCache() {
		CompilationCache cache = CompilationCache.open(new CompilationCacheOptions(this.directory, 1000), "test", null);
		assertThat(cache.isOn()).isFalse();
		assertThat(warnings()).singleElement()
			.asString()
			.contains("is off: the version of test cannot be told, so its entries could not be trusted");
	}

	@Test
	void leftoversOfAProcessThatDiedAreCleanedUpButFreshOnesAreNot() throws IOException {
		CompilationCache cache = open();
		Path abandonedFile = Files.writeString(cache.generation().resolve("0123-abandoned.tmp"), "half an entry");
		Path freshFile = Files.writeString(cache.generation().resolve("0123-writing.tmp"), "being written");
		Path abandonedWork;
		try (CompilationCache.WorkDirectory work = cache.workDirectory()) {
			abandonedWork = work.path();
			Files.createDirectories(abandonedWork.resolve("modules/x"));
			Files.writeString(abandonedWork.resolve("modules/x/artifact"), "code");
			Files.setLastModifiedTime(abandonedWork, FileTime.from(Instant.now().minusSeconds(7200)));
			Files.setLastModifiedTime(abandonedFile, FileTime.from(Instant.now().minusSeconds(7200)));
			CompilationCache.WorkDirectory inUse = cache.workDirectory();

			cache.write("a", MODULE_A, new byte[10]);

			assertThat(abandonedFile).doesNotExist();
			assertThat(abandonedWork).doesNotExist();
			assertThat(freshFile).exists();
			assertThat(inUse.path()).isDirectory();
			inUse.close();
			assertThat(inUse.path()).doesNotExist();
		}
	}

	@Test
	void anInvalidModuleDigestIsRefusedNamingIt() {
		CompilationCache cache = open();
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> cache.read("a", "../../etc/passwd"))
			.withMessage("not a lower-case hex SHA-256: '../../etc/passwd'");
	}

	@FunctionalInterface
	interface Damage {

		void apply(Path entry, Path otherEntry) throws IOException;

	}

}
