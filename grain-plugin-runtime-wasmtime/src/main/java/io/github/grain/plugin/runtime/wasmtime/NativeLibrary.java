package io.github.grain.plugin.runtime.wasmtime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Properties;

import io.github.grain.plugin.engine.runtime.Digests;
import io.github.kawamuray.wasmtime.NativeLibraryLoader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Loads wasmtime-java's JNI library once per JVM from a stable, content-addressed
 * location. wasmtime-java on its own extracts its 18 MB library into a new temporary file
 * at every start and never deletes it, so a long-running service that restarts
 * accumulates them; here the library is extracted once per content hash into
 * {@code <java.io.tmpdir>/grain-wasmtime-jni-<user>/<sha256>/} (or the directory in the
 * system property {@code grain.wasmtime.native-dir}) and reused. If that fails,
 * wasmtime-java's own loader is used.
 */
final class NativeLibrary {

	private static final Log logger = LogFactory.getLog(NativeLibrary.class);

	private static boolean loaded;

	private NativeLibrary() {
	}

	static synchronized void load() {
		if (loaded) {
			return;
		}
		try {
			Path library = extract();
			System.load(library.toString());
			markLoaded();
			if (logger.isDebugEnabled()) {
				logger.debug("Loaded the wasmtime JNI library from " + library);
			}
		}
		catch (IOException | RuntimeException | LinkageError ex) {
			logger.warn("Could not load the wasmtime JNI library from a stable location (" + ex
					+ "); falling back to wasmtime-java's loader, which extracts a temporary copy per start");
			NativeLibraryLoader.init();
		}
		loaded = true;
	}

	/** Tell wasmtime-java the library is loaded, so it does not extract another copy. */
	private static void markLoaded() {
		try {
			Field field = NativeLibraryLoader.class.getDeclaredField("loaded");
			field.setAccessible(true);
			field.setBoolean(null, true);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			throw new IllegalStateException("wasmtime-java's loader cannot be told the library is loaded", ex);
		}
	}

	private static Path extract() throws IOException {
		String resource = "/" + libraryFileName(jniVersion());
		byte[] bytes;
		try (InputStream in = NativeLibraryLoader.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IOException("no bundled wasmtime JNI library " + resource + " for this platform");
			}
			bytes = in.readAllBytes();
		}
		String hash = Digests.sha256(bytes);
		Path base = baseDirectory();
		Path directory = base.resolve(hash.substring(0, 32));
		Path target = directory.resolve(resource.substring(1));
		if (Files.isRegularFile(target) && Files.size(target) == bytes.length
				&& Digests.sha256(Files.readAllBytes(target)).equals(hash)) {
			return target;
		}
		Files.createDirectories(directory);
		Path temporary = Files.createTempFile(directory, "partial-", ".tmp");
		try {
			Files.write(temporary, bytes);
			try {
				Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(temporary);
		}
		return target;
	}

	private static Path baseDirectory() throws IOException {
		String configured = System.getProperty("grain.wasmtime.native-dir");
		if (configured != null && !configured.isBlank()) {
			return Files.createDirectories(Path.of(configured));
		}
		String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
		Path base = Path.of(System.getProperty("java.io.tmpdir"), "grain-wasmtime-jni-" + user);
		if (!Files.isDirectory(base)) {
			try {
				Files.createDirectories(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			catch (UnsupportedOperationException ex) {
				Files.createDirectories(base);
			}
		}
		return base;
	}

	private static String jniVersion() throws IOException {
		try (InputStream in = NativeLibraryLoader.class.getResourceAsStream("/wasmtime-java-meta.properties")) {
			if (in == null) {
				throw new IOException("wasmtime-java-meta.properties is missing");
			}
			Properties properties = new Properties();
			properties.load(in);
			return properties.getProperty("jnilib.version");
		}
	}

	static String libraryFileName(String version) {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		if (os.contains("win")) {
			return "wasmtime_jni_" + version + "_" + platform() + ".dll";
		}
		if (os.contains("mac") || os.contains("darwin")) {
			return "libwasmtime_jni_" + version + "_" + platform() + ".dylib";
		}
		return "libwasmtime_jni_" + version + "_" + platform() + ".so";
	}

	/**
	 * Which build of the library compiles here, e.g. {@code 0.19.0_linux_x86_64}: compiled
	 * code is only valid for the wasmtime and the platform that produced it.
	 * @return the build, or {@code null} when wasmtime-java's metadata is missing
	 */
	static @Nullable String build() {
		try {
			String version = jniVersion();
			return (version != null) ? version + "_" + platform() : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static String platform() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
		String cpu = (arch.equals("aarch64") || arch.equals("arm64")) ? "aarch64" : "x86_64";
		if (os.contains("win")) {
			return "windows_" + cpu;
		}
		if (os.contains("mac") || os.contains("darwin")) {
			return "macos_" + cpu;
		}
		return "linux_" + cpu;
	}

}
