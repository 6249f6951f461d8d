package io.github.grain.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conventions that hold for the Java sources of every module (main and test code), read
 * from the checkout rather than from one module's class path.
 */
class SourceConventionsTests {

	/** {@code toLowerCase()}/{@code toUpperCase()} without a locale, which follow the JVM's default. */
	private static final Pattern DEFAULT_LOCALE_CASE = Pattern.compile("\\.to(Lower|Upper)Case\\(\\s*\\)");

	@Test
	void caseIsFoldedWithAnExplicitLocaleEverywhere() throws IOException {
		List<String> offenders = new ArrayList<>();
		List<Path> sources = javaSources(projectRoot());
		for (Path source : sources) {
			List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
			for (int i = 0; i < lines.size(); i++) {
				if (DEFAULT_LOCALE_CASE.matcher(lines.get(i)).find()) {
					offenders.add(projectRoot().relativize(source) + ":" + (i + 1) + ": " + lines.get(i).trim());
				}
			}
		}
		assertThat(sources).as("Java sources found").hasSizeGreaterThan(100);
		assertThat(offenders).as("fold case with Locale.ROOT: under a Turkish default locale, lower-casing "
				+ "\"TITLE\" gives \"t\u0131tle\"").isEmpty();
	}

	/** The checkout's root: the directory above this module holding the parent pom. */
	private static Path projectRoot() {
		Path module = Path.of("").toAbsolutePath();
		Path root = module.getParent();
		assertThat(root.resolve("pom.xml")).as("the parent pom above " + module).exists();
		assertThat(root.resolve("grain-plugin-core")).isDirectory();
		return root;
	}

	private static List<Path> javaSources(Path root) throws IOException {
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter((path) -> path.toString().endsWith(".java"))
				.filter((path) -> {
					Path relative = root.relativize(path);
					for (Path part : relative) {
						String name = part.toString();
						if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
							return false;
						}
					}
					return true;
				})
				.toList();
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

}
