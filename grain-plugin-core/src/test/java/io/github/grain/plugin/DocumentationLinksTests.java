package io.github.grain.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link in the README and the pages under {@code docs/} leads somewhere: the
 * file exists in the checkout, and a {@code #fragment} names a heading of that file (as
 * GitHub turns headings into anchors).
 */
class DocumentationLinksTests {

	private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

	private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

	private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");

	@Test
	void everyRelativeLinkLeadsToAFileAndHeadingThatExist() throws IOException {
		Path root = projectRoot();
		List<Path> pages = new ArrayList<>();
		pages.add(root.resolve("README.md"));
		pages.add(root.resolve("plugins/README.md"));
		try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		List<String> dead = new ArrayList<>();
		int links = 0;
		for (Path page : pages) {
			String text = FENCE.matcher(Files.readString(page, StandardCharsets.UTF_8)).replaceAll("");
			Matcher link = LINK.matcher(text);
			while (link.find()) {
				String target = link.group(1);
				if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
					continue; // http:, https:, mailto:
				}
				links++;
				int hash = target.indexOf('#');
				String file = (hash >= 0) ? target.substring(0, hash) : target;
				String fragment = (hash >= 0) ? target.substring(hash + 1) : null;
				Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
				String where = root.relativize(page) + ": " + target;
				if (!Files.exists(resolved)) {
					dead.add(where + " (no such file)");
				}
				else if (fragment != null && resolved.toString().endsWith(".md")
						&& !anchors(resolved).contains(fragment)) {
					dead.add(where + " (no such heading)");
				}
			}
		}
		assertThat(links).as("relative links found").isGreaterThan(20);
		assertThat(dead).as("dead relative links").isEmpty();
	}

	@Test
	void theReadmeIsAFrontPageNotTheManual() throws IOException {
		assertThat(Files.size(projectRoot().resolve("README.md"))).as("README.md bytes").isLessThanOrEqualTo(15 * 1024);
	}

	/** The anchors GitHub gives a page's headings. */
	private static Set<String> anchors(Path page) throws IOException {
		String text = FENCE.matcher(Files.readString(page, StandardCharsets.UTF_8)).replaceAll("");
		Set<String> anchors = new HashSet<>();
		Matcher heading = HEADING.matcher(text);
		while (heading.find()) {
			String slug = heading.group(1)
				.strip()
				.toLowerCase(Locale.ROOT)
				.replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
				.replace(' ', '-');
			String anchor = slug;
			for (int n = 1; !anchors.add(anchor); n++) {
				anchor = slug + "-" + n;
			}
		}
		return anchors;
	}

	/** The checkout's root: the directory above this module holding the parent pom. */
	private static Path projectRoot() {
		Path root = Path.of("").toAbsolutePath().getParent();
		assertThat(root.resolve("pom.xml")).as("the parent pom above this module").exists();
		return root;
	}

}
