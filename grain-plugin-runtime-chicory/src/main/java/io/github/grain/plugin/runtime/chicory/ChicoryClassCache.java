package io.github.grain.plugin.runtime.chicory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.dylibso.chicory.compiler.Cache;
import io.github.grain.plugin.engine.runtime.Digests;
import org.jspecify.annotations.Nullable;

/**
 * Chicory's compiled classes on disk, one file per cache key (named by the key's
 * SHA-256), written to a temporary file and moved into place so that a reader never
 * sees half an entry. Chicory's key covers the module's content and the compiler's
 * version, so a stale entry is never used.
 */
final class ChicoryClassCache implements Cache {

	private final Path directory;

	ChicoryClassCache(Path directory) {
		this.directory = directory;
	}

	private Path entry(String key) {
		return this.directory.resolve(Digests.sha256(key.getBytes(StandardCharsets.UTF_8)) + ".classes");
	}

	@Override
	public byte @Nullable [] get(String key) throws IOException {
		try {
			return Files.readAllBytes(entry(key));
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	@Override
	public void putIfAbsent(String key, byte[] data) throws IOException {
		Path target = entry(key);
		if (Files.exists(target)) {
			return;
		}
		Files.createDirectories(this.directory);
		Path temporary = Files.createTempFile(this.directory, "entry", ".tmp");
		try {
			Files.write(temporary, data);
			try {
				Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

}
