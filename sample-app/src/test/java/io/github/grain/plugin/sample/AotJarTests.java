package io.github.grain.plugin.sample;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar built with the {@code aot} profile, started as an operator would with
 * {@code -Dspring.aot.enabled=true}: the bean factory comes from the code generated at build
 * time, and plugins come from a directory named only on the command line.
 */
class AotJarTests {

	private static final String AUTHORIZATION = SampleCredentials.authorization("operator", "aot-secret");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Test
	void theAotJarServesPluginsFromADirectoryGivenAtRunTime(@TempDir Path work) throws Exception {
		Path plugin = Files.createDirectories(work.resolve("plugins/runtime-only"));
		Files.copy(Path.of(System.getProperty("grain.fixtures.dir"), "v1-legacy.wasm"), plugin.resolve("plugin.wasm"));
		Files.writeString(plugin.resolve("plugin.toml"), "[wasm]\ncapabilities = [\"log\"]\n");
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dspring.aot.enabled=true", "-jar", System.getProperty("grain.sample.jar"), "--server.port=" + port,
				"--server.address=127.0.0.1", "--grain.plugins.directories=" + work.resolve("plugins"),
				"--grain.plugins.compilation-cache.directory=" + work.resolve("cache"),
				"--grain.plugins.sandbox.root=" + work.resolve("sandbox"), "--spring.security.user.name=operator",
				"--spring.security.user.password=aot-secret"));
		Path log = work.resolve("app.log");
		Process app = new ProcessBuilder(command).directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			String plugins = getWhenUp(app, log, "http://127.0.0.1:" + port + "/api/plugins");
			assertThat(Files.readString(log)).contains("AOT");
			assertThat(plugins).contains("\"name\":\"runtime-only\"").contains("\"status\":\"loaded\"")
				.doesNotContain("\"name\":\"orchestrator\"");
			HttpResponse<String> anonymous = this.http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/tools/echo"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"from aot\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(anonymous.statusCode()).isEqualTo(401);
			HttpResponse<String> call = this.http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/tools/echo"))
				.header("Content-Type", "application/json")
				.header("Authorization", AUTHORIZATION)
				.POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"from aot\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(call.statusCode()).isEqualTo(200);
			assertThat(call.body()).contains("from aot");
		}
		finally {
			app.destroy();
			if (!app.waitFor(java.time.Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
				app.destroyForcibly();
			}
		}
	}

	/** Polls until the application answers; a bound on waiting, not a measurement. */
	private String getWhenUp(Process app, Path log, String url) throws Exception {
		long giveUp = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			assertThat(app.isAlive()).as("the application exited:%n%s", Files.readString(log)).isTrue();
			try {
				HttpResponse<String> response = this.http.send(
						HttpRequest.newBuilder(URI.create(url)).header("Authorization", AUTHORIZATION).build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return response.body();
				}
			}
			catch (ConnectException ex) {
				// not listening yet
			}
			assertThat(System.nanoTime()).as("not up after 90 s:%n%s", Files.readString(log)).isLessThan(giveUp);
			Thread.sleep(200);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
