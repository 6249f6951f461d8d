package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.runtime.Digests;
import io.github.grain.plugin.tool.ToolRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code grainplugins} endpoint's write operations over HTTP, on a real server over a
 * real plugin directory: reload, unload, rescan, 404 for an unknown plugin, and none of
 * them unless the endpoint's access is raised.
 */
class GrainPluginsEndpointWebTests {

	private static final String PLUGIN = "/actuator/grainplugins/p";

	@TempDir
	Path plugins;

	@Test
	void reloadAfterTheModuleWasReplacedServesTheNewVersion() throws IOException {
		install("core/v1-legacy.wasm", "1");
		withServer((server) -> {
			server.client().get().uri(PLUGIN).exchange().expectStatus().isOk()
				.expectBody().jsonPath("$.sha256").isEqualTo(sha256("core/v1-legacy.wasm"));
			install("core/v1-standard.wasm", "2");
			assertThat(version(server.registry())).as("not reloaded yet").isEqualTo("1");
			server.client().post().uri(PLUGIN).exchange().expectStatus().isOk()
				.expectBody()
				.jsonPath("$.name").isEqualTo("p")
				.jsonPath("$.status").isEqualTo("loaded")
				.jsonPath("$.sha256").isEqualTo(sha256("core/v1-standard.wasm"));
			assertThat(version(server.registry())).isEqualTo("2");
			server.client().get().uri(PLUGIN).exchange().expectStatus().isOk()
				.expectBody().jsonPath("$.sha256").isEqualTo(sha256("core/v1-standard.wasm"));
		}, "management.endpoint.grainplugins.access=unrestricted");
	}

	@Test
	void unloadRemovesItsToolsAndARescanBringsThemBack() throws IOException {
		install("core/v1-legacy.wasm", "1");
		withServer((server) -> {
			assertThat(server.registry().contains("echo")).isTrue();
			server.client().delete().uri(PLUGIN).exchange().expectStatus().isOk()
				.expectBody()
				.jsonPath("$.name").isEqualTo("p")
				.jsonPath("$.status").isEqualTo("unloaded")
				.jsonPath("$.tools").isEmpty();
			assertThat(server.registry().contains("echo")).isFalse();
			server.client().get().uri(PLUGIN).exchange().expectStatus().isNotFound();
			server.client().post().uri("/actuator/grainplugins").exchange().expectStatus().isOk()
				.expectBody()
				.jsonPath("$.changes.length()").isEqualTo(1)
				.jsonPath("$.changes[0].change").isEqualTo("loaded")
				.jsonPath("$.changes[0].plugin.name").isEqualTo("p");
			assertThat(server.registry().contains("echo")).isTrue();
			server.client().post().uri("/actuator/grainplugins").exchange().expectStatus().isOk()
				.expectBody().jsonPath("$.changes").isEmpty();
		}, "management.endpoint.grainplugins.access=unrestricted");
	}

	@Test
	void reloadingOrUnloadingAPluginTheHostDoesNotKnowIsNotFound() throws IOException {
		install("core/v1-legacy.wasm", "1");
		withServer((server) -> {
			server.client().post().uri("/actuator/grainplugins/nope").exchange().expectStatus().isNotFound();
			server.client().delete().uri("/actuator/grainplugins/nope").exchange().expectStatus().isNotFound();
			assertThat(server.registry().contains("echo")).isTrue();
		}, "management.endpoint.grainplugins.access=unrestricted");
	}

	@Test
	void theEndpointIsReadOnlyUnlessItsAccessIsRaised() throws IOException {
		install("core/v1-legacy.wasm", "1");
		withServer((server) -> {
			install("core/v1-standard.wasm", "2");
			server.client().post().uri(PLUGIN).exchange().expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
			server.client().delete().uri(PLUGIN).exchange().expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
			server.client().post().uri("/actuator/grainplugins").exchange()
				.expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
			assertThat(version(server.registry())).isEqualTo("1");
			server.client().get().uri(PLUGIN).exchange().expectStatus().isOk()
				.expectBody().jsonPath("$.sha256").isEqualTo(sha256("core/v1-legacy.wasm"));
		});
	}

	private void withServer(ServerTest test, String... properties) throws IOException {
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"grain.plugins.directories=" + this.plugins, "grain.plugins.runtime=" + Fixtures.RUNTIME.id(),
				"management.endpoints.web.exposure.include=grainplugins", "spring.main.banner-mode=off"));
		all.addAll(List.of(properties));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.REACTIVE)
			.properties(all.toArray(String[]::new))
			.run()) {
			String port = context.getEnvironment().getRequiredProperty("local.server.port");
			test.run(new Server(WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build(),
					context.getBean(ToolRegistry.class)));
		}
	}

	private void install(String fixture, String version) throws IOException {
		Path dir = Files.createDirectories(this.plugins.resolve("p"));
		Path staged = this.plugins.resolve("p.wasm.tmp");
		Files.write(staged, Fixtures.bytes(fixture));
		Files.move(staged, dir.resolve("plugin.wasm"), StandardCopyOption.REPLACE_EXISTING,
				StandardCopyOption.ATOMIC_MOVE);
		Files.writeString(dir.resolve("plugin.toml"),
				"[wasm]\ncapabilities = [\"log\", \"env\"]\n[wasm.env]\nVERSION = \"" + version + "\"\n");
	}

	private static String version(ToolRegistry registry) {
		return registry.call("env", "{\"key\":\"VERSION\"}").content().get("value").asText();
	}

	private static String sha256(String fixture) {
		return Digests.sha256(Fixtures.bytes(fixture));
	}

	private record Server(WebTestClient client, ToolRegistry registry) {
	}

	private interface ServerTest {

		void run(Server server) throws IOException;

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

	}

}
