package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.runtime.Digests;
import io.github.grain.plugin.spring.actuate.GrainPluginsEndpoint;
import io.github.grain.plugin.spring.actuate.GrainPluginsEndpoint.PluginDescriptor;
import io.github.grain.plugin.spring.actuate.GrainPluginsEndpointWebExtension;
import io.github.grain.plugin.spring.actuate.GrainPluginsHealthIndicator;
import io.github.grain.plugin.tool.ToolRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code grainplugins} endpoint and the {@code grainPlugins} health contributor over
 * real plugins (one loads, one fails), their conditions and back-off.
 */
class GrainPluginsActuatorAutoConfigurationTests {

	@TempDir
	static Path plugins;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GrainPluginsAutoConfiguration.class,
				GrainPluginsEndpointAutoConfiguration.class, GrainPluginsHealthAutoConfiguration.class))
		.withPropertyValues("grain.plugins.directories=" + plugins, "grain.plugins.runtime=" + Fixtures.RUNTIME.id());

	private final ApplicationContextRunner exposed = this.runner
		.withPropertyValues("management.endpoints.web.exposure.include=grainplugins");

	@BeforeAll
	static void installPlugins() throws IOException {
		install("core", "core/v1-legacy.wasm", "[wasm]\ncapabilities = [\"log\", \"env\"]\n");
		install("broken", "core/v2-legacy.wasm", "[wasm]\ncapabilities = [\"env\"]\n[wasm.env]\nGRAIN_FAIL_INIT = \"1\"\n");
	}

	@Test
	void theEndpointListsEveryPluginWithWhatItReports() {
		this.exposed.run((context) -> {
			context.getBean(ToolRegistry.class).call("echo", "{}");
			GrainPluginsEndpoint endpoint = context.getBean(GrainPluginsEndpoint.class);
			assertThat(endpoint.plugins().plugins()).extracting(PluginDescriptor::name).containsExactly("broken", "core");
			PluginDescriptor core = endpoint.plugin("core");
			assertThat(core.status()).isEqualTo("loaded");
			assertThat(core.version()).isEqualTo("1.2.3");
			assertThat(core.world()).isEqualTo("v1");
			assertThat(core.runtime()).isEqualTo(Fixtures.RUNTIME.id());
			assertThat(core.capabilities()).containsExactly("log", "env");
			assertThat(core.tools()).contains("echo", "env", "http_get");
			assertThat(core.sha256()).isEqualTo(Digests.sha256(Fixtures.bytes("core/v1-legacy.wasm")));
			assertThat(core.loadedAt()).isNotNull();
			assertThat(core.loadMillis()).isNotNull().isNotNegative();
			assertThat(core.memoryHighWaterBytes()).isPositive();
			assertThat(core.directory()).isEqualTo(plugins.resolve("core").toString());
			assertThat(core.error()).isNull();
			PluginDescriptor broken = endpoint.plugin("broken");
			assertThat(broken.status()).isEqualTo("failed");
			assertThat(broken.error()).contains("init failed on request");
			assertThat(broken.tools()).isEmpty();
			assertThat(broken.memoryHighWaterBytes()).isNull();
			assertThat(endpoint.plugin("nope")).isNull();
		});
	}

	@Test
	void theEndpointIsThereOnlyWhenExposedAndActuatorIsOnTheClassPath() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(GrainPluginsEndpoint.class));
		this.exposed.withPropertyValues("management.endpoint.grainplugins.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(GrainPluginsEndpoint.class));
		this.exposed.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GrainPluginsEndpoint.class));
		this.exposed.withPropertyValues("grain.plugins.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GrainPluginsEndpoint.class));
	}

	@Test
	void theEndpointBacksOffToTheApplicationsOwn() {
		GrainPluginsEndpoint own = new GrainPluginsEndpoint(PluginCatalog.empty());
		this.exposed.withBean(GrainPluginsEndpoint.class, () -> own)
			.run((context) -> assertThat(context.getBean(GrainPluginsEndpoint.class)).isSameAs(own));
	}

	@Test
	void theWebExtensionComesWithTheWebExposedEndpointAndBacksOffToTheApplicationsOwn() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(GrainPluginsEndpointWebExtension.class));
		this.exposed.run((context) -> assertThat(context).hasSingleBean(GrainPluginsEndpointWebExtension.class));
		GrainPluginsEndpointWebExtension own = new GrainPluginsEndpointWebExtension(
				new GrainPluginsEndpoint(PluginCatalog.empty()));
		this.exposed.withBean(GrainPluginsEndpointWebExtension.class, () -> own)
			.run((context) -> assertThat(context.getBean(GrainPluginsEndpointWebExtension.class)).isSameAs(own));
	}

	@Test
	void aFailedPluginShowsInTheHealthDetailsAndLeavesItUpByDefault() {
		this.runner.run((context) -> {
			Health health = context.getBean("grainPluginsHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsOnlyKeys("broken", "core");
			assertThat(health.getDetails().get("core"))
				.isEqualTo(Map.of("status", "loaded", "version", "1.2.3", "tools", 8));
			assertThat(health.getDetails().get("broken")).asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsEntry("status", "failed")
				.hasEntrySatisfying("error", (error) -> assertThat(error).asString().contains("init failed on request"));
		});
	}

	@Test
	void aPropertyDecidesTheStatusAFailedPluginGives() {
		this.runner.withPropertyValues("grain.plugins.health.failed-plugin-status=DOWN")
			.run((context) -> assertThat(context.getBean(GrainPluginsHealthIndicator.class).health().getStatus())
				.isEqualTo(Status.DOWN));
		this.runner.withPropertyValues("grain.plugins.health.failed-plugin-status=DOWN",
				"grain.plugins.plugin.broken.enabled=false")
			.run((context) -> assertThat(context.getBean(GrainPluginsHealthIndicator.class).health().getStatus())
				.isEqualTo(Status.UP));
	}

	@Test
	void theHealthContributorCanBeTurnedOffAndNeedsBootsHealthSupport() {
		this.runner.withPropertyValues("management.health.grainplugins.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GrainPluginsHealthIndicator.class));
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GrainPluginsHealthIndicator.class));
		HealthIndicator own = () -> Health.down().build();
		this.runner.withBean("grainPluginsHealthIndicator", HealthIndicator.class, () -> own)
			.run((context) -> assertThat(context.getBean("grainPluginsHealthIndicator")).isSameAs(own));
	}

	private static void install(String name, String fixture, String manifest) throws IOException {
		Path dir = Files.createDirectories(plugins.resolve(name));
		Files.write(dir.resolve("plugin.wasm"), Fixtures.bytes(fixture));
		Files.writeString(dir.resolve("plugin.toml"), manifest);
	}

}
