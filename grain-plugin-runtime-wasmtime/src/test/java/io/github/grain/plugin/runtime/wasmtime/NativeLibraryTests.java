package io.github.grain.plugin.runtime.wasmtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("runtime")
class NativeLibraryTests {

	@Test
	void jniLibraryIsExtractedOnceToAStableLocationNotToANewTemporaryFile() throws IOException {
		Instant start = Instant.now().minusSeconds(1);
		new WasmtimeRuntime(1, null).close();
		Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
		String user = System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
		try (Stream<Path> stable = Files.walk(tmp.resolve("grain-wasmtime-jni-" + user))) {
			assertThat(stable.filter((p) -> p.getFileName().toString().equals(NativeLibrary.libraryFileName("0.19.0"))))
				.hasSize(1);
		}
		try (Stream<Path> temporary = Files.list(tmp)) {
			assertThat(temporary.filter((p) -> p.getFileName().toString().startsWith("libwasmtime_jni"))
				.filter((p) -> modifiedAfter(p, start))).isEmpty();
		}
	}

	private static boolean modifiedAfter(Path path, Instant instant) {
		try {
			return Files.getLastModifiedTime(path).compareTo(FileTime.from(instant)) > 0;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
