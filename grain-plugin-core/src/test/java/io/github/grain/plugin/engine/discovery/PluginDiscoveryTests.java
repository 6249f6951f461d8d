package io.github.grain.plugin.engine.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.grain.plugin.engine.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class PluginDiscoveryTests {

	@TempDir
	Path temp;

	private final PluginDiscovery discovery = new PluginDiscovery();

	@Test
	void findsManifestsAndBareModulesInNameOrder() throws IOException {
		Path dir = Files.createDirectories(this.temp.resolve("plugins"));
		write(dir.resolve("b-tools/plugin.toml"), "name = \"bee\"\n");
		write(dir.resolve("a-bare/plugin.wasm"), "");
		Files.createDirectories(dir.resolve("c-empty"));
		write(dir.resolve(".hidden/plugin.wasm"), "");
		List<DiscoveredPlugin> found = this.discovery.discover(List.of(dir));
		assertThat(found).extracting(DiscoveredPlugin::name).containsExactly("a-bare", "bee");
		assertThat(found.get(0).manifest().module()).isEqualTo(dir.resolve("a-bare/plugin.wasm"));
		assertThat(found.get(0).manifest().file()).isNull();
	}

	@Test
	void aManifestFieldThisHostDoesNotKnowIsAWarningNamingFileAndField() throws IOException {
		ListAppender<ILoggingEvent> log = Fixtures.captureLog(PluginDiscovery.class.getName());
		Path dir = this.temp.resolve("plugins");
		write(dir.resolve("typo/plugin.toml"), "[wasm]\ncapabilites = [\"http\"]\n");
		List<DiscoveredPlugin> found = this.discovery.discover(List.of(dir));
		assertThat(found).singleElement().satisfies((plugin) -> assertThat(plugin.manifest()).isNotNull());
		assertThat(log.list).filteredOn((event) -> event.getLevel() == Level.WARN)
			.singleElement()
			.extracting(ILoggingEvent::getFormattedMessage)
			.asString()
			.startsWith("typo/plugin.toml sets field(s) this host does not know, ignored: [wasm.capabilites]");
	}

	@Test
	void missingDirectoryIsNotAnError() {
		assertThat(this.discovery.discover(List.of(this.temp.resolve("nowhere")))).isEmpty();
	}

	@Test
	void badManifestIsReportedUnderTheDirectoryName() throws IOException {
		Path dir = this.temp.resolve("plugins");
		write(dir.resolve("broken/plugin.toml"), "version = [\n");
		write(dir.resolve("fine/plugin.toml"), "");
		List<DiscoveredPlugin> found = this.discovery.discover(List.of(dir));
		assertThat(found).extracting(DiscoveredPlugin::name).containsExactly("broken", "fine");
		assertThat(found.get(0).problem()).isInstanceOf(InvalidManifestException.class)
			.hasMessageStartingWith("broken/plugin.toml: is not valid TOML");
		assertThat(found.get(1).manifest()).isNotNull();
	}

	@Test
	void sameNameInALaterDirectoryFailsNamingTheFirst() throws IOException {
		Path first = this.temp.resolve("first");
		Path second = this.temp.resolve("second");
		write(first.resolve("x/plugin.toml"), "name = \"shared\"\n");
		write(second.resolve("y/plugin.toml"), "name = \"shared\"\n");
		List<DiscoveredPlugin> found = this.discovery.discover(List.of(first, second));
		assertThat(found).hasSize(2);
		assertThat(found.get(0).manifest()).isNotNull();
		assertThat(found.get(1).problem()).hasMessage("plugin 'shared' in 'y' of plugin directory 2 has the same name as "
				+ "the plugin in 'x' of plugin directory 1");
	}

	@Test
	void aPluginDirectoryOrManifestLinkedFromOutsideIsReportedWithoutBeingRead() throws IOException {
		Path dir = this.temp.resolve("plugins");
		Path elsewhere = this.temp.resolve("elsewhere");
		write(elsewhere.resolve("plugin.toml"), "name = \"smuggled\"\n");
		write(elsewhere.resolve("secret.toml"), "name = \"secret\"\n");
		Files.createDirectories(dir);
		Files.createSymbolicLink(dir.resolve("linked-dir"), elsewhere);
		write(dir.resolve("linked-manifest/plugin.wasm"), "");
		Files.createSymbolicLink(dir.resolve("linked-manifest/plugin.toml"), elsewhere.resolve("secret.toml"));
		write(dir.resolve("inner-link/real.toml"), "name = \"inner\"\n");
		Files.createSymbolicLink(dir.resolve("inner-link/plugin.toml"), Path.of("real.toml"));
		List<DiscoveredPlugin> found = this.discovery.discover(List.of(dir));
		assertThat(found).extracting(DiscoveredPlugin::name).containsExactly("inner", "linked-dir", "linked-manifest");
		assertThat(found.get(1).problem()).hasMessage("plugin directory 'linked-dir' is a symbolic link leading outside "
				+ "the plugin directory; such links are refused unless allowed (allow-symlinks)");
		assertThat(found.get(2).problem()).hasMessage("linked-manifest/plugin.toml: cannot be read: "
				+ "'linked-manifest/plugin.toml' is a symbolic link leading outside its plugin's directory; such links "
				+ "are refused unless allowed (allow-symlinks)");
		assertThat(found).allSatisfy((plugin) -> assertThat(String.valueOf(plugin.problem()))
			.doesNotContain(this.temp.toString()));
		List<DiscoveredPlugin> allowed = new PluginDiscovery(true).discover(List.of(dir));
		assertThat(allowed).extracting(DiscoveredPlugin::name).containsExactly("inner", "smuggled", "secret");
	}

	@Test
	void aDirectoryNameWithAControlCharacterIsReportedEscaped() throws IOException {
		Path dir = this.temp.resolve("plugins");
		write(dir.resolve("evil\nINFO forged/plugin.wasm"), "");
		List<DiscoveredPlugin> found = this.discovery.discover(List.of(dir));
		assertThat(found).singleElement().satisfies((plugin) -> {
			assertThat(plugin.name()).isEqualTo("evil\\nINFO forged");
			assertThat(plugin.problem()).hasMessage("plugin directory name 'evil\\nINFO forged' must not contain control "
					+ "characters; it has a control character (\\n) at index 4");
		});
	}

	private static void write(Path file, String content) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
	}

}
