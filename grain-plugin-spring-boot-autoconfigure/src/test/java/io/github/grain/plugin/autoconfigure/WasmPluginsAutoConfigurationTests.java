package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.grain.plugin.egress.TestHttpServer;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.runtime.CompilationCache;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.discovery.PluginStatus;
import io.github.grain.plugin.tool.GrainTool;
import io.github.grain.plugin.tool.Tool;
import io.github.grain.plugin.tool.ToolDefinition;
import io.github.grain.plugin.tool.ToolRegistry;
import io.github.grain.plugin.tool.ToolResult;
import io.github.grain.plugin.tool.WasmTool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebAssembly side of the auto-configuration, with real plugins built from the
 * committed fixtures.
 */
@ExtendWith(OutputCaptureExtension.class)
class WasmPluginsAutoConfigurationTests {

	@TempDir
	Path plugins;

	private ApplicationContextRunner runner;

	@BeforeEach
	void installPlugins() throws IOException {
		install(this.plugins, "core", "core/v1-legacy.wasm", """
				version = "1.2.3"
				[wasm]
				capabilities = ["log", "env", "http"]
				[wasm.env]
				FROM_MANIFEST = "manifest value"
				""");
		install(this.plugins, "broken", "core/v2-legacy.wasm", """
				[wasm]
				capabilities = ["env"]
				[wasm.env]
				GRAIN_FAIL_INIT = "1"
				""");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GrainPluginsAutoConfiguration.class))
			.withPropertyValues("grain.plugins.directories=" + this.plugins,
					"grain.plugins.plugin.core.read-only-tools=echo,env");
	}

	@Test
	void eachWasmToolIsABeanAndInTheRegistry() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("grainTool.core.echo")).isInstanceOf(WasmTool.class);
			assertThat(context.getBeansOfType(WasmTool.class)).containsKeys("grainTool.core.echo", "grainTool.core.env",
					"grainTool.core.http_get", "grainTool.core.fail");
			ToolDefinition echo = context.getBean(ToolRegistry.class).definition("echo").orElseThrow();
			assertThat(echo.source()).isEqualTo("wasm:core");
			assertThat(echo.label()).isEqualTo("Echo");
			assertThat(echo.capability()).isEqualTo("log,env,http");
			assertThat(echo.readOnly()).isTrue();
			assertThat(context.getBean(ToolRegistry.class).definition("http_get").orElseThrow().readOnly()).isFalse();
		});
	}

	@Test
	void failedPluginIsReportedWhileTheOthersServe() {
		this.runner.run((context) -> {
			PluginCatalog catalog = context.getBean(PluginCatalog.class);
			assertThat(catalog.plugins()).extracting(PluginReport::name).containsExactly("broken", "core");
			PluginReport broken = catalog.find("broken").orElseThrow();
			assertThat(broken.status()).isEqualTo(PluginStatus.FAILED);
			assertThat(broken.error()).contains("init failed on request");
			assertThat(broken.sha256()).hasSize(64);
			PluginReport core = catalog.find("core").orElseThrow();
			assertThat(core.status()).isEqualTo(PluginStatus.LOADED);
			assertThat(core.version()).isEqualTo("1.2.3");
			assertThat(context.getBeanNamesForType(WasmTool.class)).noneMatch((name) -> name.startsWith("grainTool.broken"));
		});
	}

	@Test
	void failFastStopsStartupNamingTheFailedPlugin() {
		this.runner.withPropertyValues("grain.plugins.fail-fast=true")
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("1 plugin(s) failed to load: 'broken'")
				.hasMessageContaining("init failed on request"));
	}

	@Test
	void disabledPluginIsReportedWithoutTools() {
		this.runner.withPropertyValues("grain.plugins.plugin.core.enabled=false").run((context) -> {
			assertThat(context.getBean(PluginCatalog.class).find("core").orElseThrow().status())
				.isEqualTo(PluginStatus.DISABLED);
			assertThat(context.getBean(ToolRegistry.class).definitions()).isEmpty();
		});
	}

	@Test
	void excludedToolsAreNeitherBeansNorInTheRegistry(CapturedOutput output) {
		this.runner.withPropertyValues("grain.plugins.plugin.core.exclude-tools=echo,nope").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.containsBean("grainTool.core.echo")).isFalse();
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			assertThat(registry.contains("echo")).isFalse();
			assertThat(registry.contains("env")).isTrue();
			assertThat(context.getBean(PluginCatalog.class).find("core").orElseThrow().tools()).contains("echo");
			assertThat(output).contains("grain.plugins.plugin.core.exclude-tools names tools the plugin does not "
					+ "have: [nope]");
		});
	}

	@Test
	void toolCallRunsTheGuestWithValidatedArguments() {
		this.runner.run((context) -> {
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			ToolResult echo = registry.call("echo", "{\"greeting\":\"hi\",\"n\":[1,2]}");
			assertThat(echo.isError()).isFalse();
			assertThat(echo.content().toString()).isEqualTo("{\"greeting\":\"hi\",\"n\":[1,2]}");
			ToolResult invalid = registry.call("env", "{}");
			assertThat(invalid.isError()).isTrue();
			assertThat(invalid.content().get("violations").toString()).contains("key");
			ToolResult fail = registry.call("fail", "{}");
			assertThat(fail.isError()).isTrue();
			assertThat(fail.content().get("message").asText()).isEqualTo("failed on request");
		});
	}

	@Test
	void envValuesComeFromManifestAndSpringEnvironmentButNeverTheOsEnvironment() {
		this.runner
			.withPropertyValues("grain.plugins.plugin.core.env[API_KEY]=${test.secret}", "test.secret=from-spring")
			.run((context) -> {
				ToolRegistry registry = context.getBean(ToolRegistry.class);
				assertThat(registry.call("env", "{\"key\":\"API_KEY\"}").content().get("value").asText())
					.isEqualTo("from-spring");
				assertThat(registry.call("env", "{\"key\":\"FROM_MANIFEST\"}").content().get("value").asText())
					.isEqualTo("manifest value");
				assertThat(registry.call("env", "{\"key\":\"PATH\"}").content().get("value").isNull()).isTrue();
			});
	}

	@Test
	void guestHttpGoesThroughTheGatewayAndItsAllowList() throws Exception {
		try (TestHttpServer server = new TestHttpServer()) {
			this.runner.withPropertyValues("grain.plugins.plugin.core.http.allow=http://127.0.0.1:" + server.port())
				.run((context) -> {
					ToolRegistry registry = context.getBean(ToolRegistry.class);
					ToolResult allowed = registry.call("http_get", "{\"url\":\"" + server.url("/echo") + "\"}");
					assertThat(allowed.isError()).isFalse();
					assertThat(allowed.content().get("status").asInt()).isEqualTo(200);
					assertThat(allowed.content().get("body").asText()).isEqualTo("GET ");
					ToolResult denied = registry.call("http_get", "{\"url\":\"http://169.254.169.254/latest\"}");
					assertThat(denied.isError()).isTrue();
					assertThat(denied.content().get("error").asText()).contains("is not in the HTTP allow-list");
					assertThat(server.requests).containsExactly("GET /echo");
				});
		}
	}

	@Test
	void capabilitiesFromConfigurationReplaceTheManifest() {
		this.runner.withPropertyValues("grain.plugins.plugin.core.capabilities=log").run((context) -> {
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			assertThat(registry.definition("echo").orElseThrow().capability()).isEqualTo("log");
			assertThat(registry.call("env", "{\"key\":\"FROM_MANIFEST\"}").content().get("value").isNull()).isTrue();
			assertThat(registry.call("http_get", "{\"url\":\"http://127.0.0.1:1/\"}").content().get("error").asText())
				.isEqualTo("http capability not granted");
		});
	}

	@Test
	void oneToolCanBeInjectedByBeanName() {
		this.runner.withUserConfiguration(EchoConsumer.class).run((context) -> {
			Tool echo = context.getBean(EchoUser.class).echo();
			assertThat(echo.definition().name()).isEqualTo("echo");
			assertThat(echo).isSameAs(context.getBean("grainTool.core.echo"));
		});
	}

	@Test
	void aPluginWhoseToolNameIsTakenByABeanIsReportedFailedWhileTheApplicationServes() {
		this.runner.withUserConfiguration(ClashingBean.class).run((context) -> {
			assertThat(context).hasNotFailed();
			PluginReport core = context.getBean(PluginCatalog.class).find("core").orElseThrow();
			assertThat(core.status()).isEqualTo(PluginStatus.FAILED);
			assertThat(core.error()).isEqualTo("duplicate tool name 'echo': defined by bean:clashing and by wasm:core; "
					+ "none of the plugin's tools is served");
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			assertThat(registry.definition("echo").orElseThrow().source()).isEqualTo("bean:clashing");
			assertThat(registry.contains("env")).isFalse();
		});
	}

	@Test
	void aDroppedInPluginWhoseToolNameAnotherPluginHasIsReportedFailedNamingBothWhileTheOthersServe(
			@TempDir Path dropIns) throws IOException {
		install(dropIns, "copycat", "core/v1-legacy.wasm", "[wasm]\ncapabilities = [\"log\"]\n");
		this.runner.withPropertyValues("grain.plugins.directories=" + this.plugins + "," + dropIns).run((context) -> {
			assertThat(context).hasNotFailed();
			PluginCatalog catalog = context.getBean(PluginCatalog.class);
			assertThat(catalog.find("copycat").orElseThrow().status()).isEqualTo(PluginStatus.FAILED);
			assertThat(catalog.find("copycat").orElseThrow().error()).startsWith("duplicate tool name '")
				.contains("defined by wasm:core and by wasm:copycat; none of the plugin's tools is served");
			assertThat(catalog.find("core").orElseThrow().status()).isEqualTo(PluginStatus.LOADED);
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			assertThat(registry.definitions()).extracting(ToolDefinition::source).containsOnly("wasm:core");
			assertThat(registry.call("echo", "{\"a\":1}").content().get("a").asInt()).isEqualTo(1);
		});
		this.runner.withPropertyValues("grain.plugins.directories=" + this.plugins + "," + dropIns,
				"grain.plugins.fail-fast=true", "grain.plugins.plugin.broken.enabled=false")
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("defined by wasm:core and by wasm:copycat"));
	}

	@Test
	void withFailFastABeanToolNamedLikeAWasmToolFailsStartupNamingBoth() {
		this.runner.withUserConfiguration(ClashingBean.class)
			.withPropertyValues("grain.plugins.fail-fast=true", "grain.plugins.plugin.broken.enabled=false")
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessage("duplicate tool name 'echo': defined by bean:clashing and by wasm:core"));
	}

	@Test
	void aModuleLinkedFromOutsideIsReportedFailedUnlessSymlinksAreAllowed(@TempDir Path elsewhere) throws IOException {
		Files.write(elsewhere.resolve("plugin.wasm"), Fixtures.bytes("core/v1-legacy.wasm"));
		Path linked = Files.createDirectories(this.plugins.resolve("linked"));
		Files.createSymbolicLink(linked.resolve("plugin.wasm"), elsewhere.resolve("plugin.wasm"));
		Files.writeString(linked.resolve("plugin.toml"), "[wasm]\ncapabilities = []\n");
		this.runner.withPropertyValues("grain.plugins.plugin.linked.exclude-tools=echo,log,env,http_get,http_post,"
				+ "wasi,fail,big").run((context) -> {
					PluginReport report = context.getBean(PluginCatalog.class).find("linked").orElseThrow();
					assertThat(report.status()).isEqualTo(PluginStatus.FAILED);
					assertThat(report.sha256()).isNull();
					assertThat(report.error()).contains("'linked/plugin.wasm' is a symbolic link leading outside")
						.doesNotContain(elsewhere.toString());
				});
		this.runner
			.withPropertyValues("grain.plugins.allow-symlinks=true", "grain.plugins.plugin.linked.exclude-tools=echo,log,"
					+ "env,http_get,http_post,wasi,fail,big")
			.run((context) -> assertThat(context.getBean(PluginCatalog.class).find("linked").orElseThrow().status())
				.isEqualTo(PluginStatus.LOADED));
	}

	@Test
	void pluginsCanBeLoadedFromTheClassPath(@TempDir Path classpathRoot) throws IOException {
		install(classpathRoot.resolve("bundled"), "core", "core/v1-legacy.wasm", "[wasm]\ncapabilities = [\"log\"]\n");
		try (URLClassLoader loader = new URLClassLoader(new URL[] { classpathRoot.toUri().toURL() },
				getClass().getClassLoader())) {
			new ApplicationContextRunner().withClassLoader(loader)
				.withConfiguration(AutoConfigurations.of(GrainPluginsAutoConfiguration.class))
				.withPropertyValues("grain.plugins.directories=classpath:bundled")
				.run((context) -> {
					PluginReport core = context.getBean(PluginCatalog.class).find("core").orElseThrow();
					assertThat(core.status()).isEqualTo(PluginStatus.LOADED);
					assertThat(core.directory().startsWith(classpathRoot)).isFalse();
					assertThat(context.getBean(ToolRegistry.class).call("echo", "{\"a\":1}").content().get("a").asInt())
						.isEqualTo(1);
				});
		}
	}

	@Test
	void perPluginLimitsOverrideTheGlobalOnes(@TempDir Path more, @TempDir Path cache) throws IOException {
		install(more, "hostile", "core/hostile.wasm", """
				[wasm]
				capabilities = ["log"]
				""");
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GrainPluginsAutoConfiguration.class))
			.withPropertyValues("grain.plugins.directories=" + more, "grain.plugins.call-timeout=30s",
					"grain.plugins.plugin.hostile.call-timeout=200ms", "grain.plugins.plugin.hostile.max-memory=4MB",
					"grain.plugins.plugin.hostile.read-only-tools=loop,grow",
					"grain.plugins.compilation-cache.directory=" + cache)
			.run((context) -> {
				ToolRegistry registry = context.getBean(ToolRegistry.class);
				ToolResult loop = registry.call("loop", "{}");
				assertThat(loop.isError()).isTrue();
				assertThat(loop.content().toString()).contains("ran past its deadline");
				assertThat(registry.call("grow", "{}").content().toString()).isEqualTo("{\"pages\":64}");
				assertThat(cache.resolve("wasmtime"))
					.isDirectoryRecursivelyContaining((path) -> path.toString().endsWith(CompilationCache.ENTRY_SUFFIX));
			});
	}

	@Test
	void theChicoryRuntimeIsChosenWithAPropertyAndHonoursTheSameLimits(@TempDir Path more, @TempDir Path cache)
			throws IOException {
		install(more, "hostile", "core/hostile.wasm", """
				[wasm]
				capabilities = ["log"]
				""");
		install(more, "core", "core/v1-legacy.wasm", """
				[wasm]
				capabilities = ["env"]
				[wasm.env]
				FROM_MANIFEST = "manifest value"
				""");
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GrainPluginsAutoConfiguration.class))
			.withPropertyValues("grain.plugins.runtime=chicory", "grain.plugins.directories=" + more,
					"grain.plugins.plugin.hostile.call-timeout=200ms", "grain.plugins.plugin.hostile.max-memory=4MB",
					"grain.plugins.plugin.hostile.read-only-tools=loop,grow",
					"grain.plugins.plugin.core.read-only-tools=env",
					"grain.plugins.compilation-cache.directory=" + cache)
			.run((context) -> {
				assertThat(context.getBean(GrainPluginsProperties.class).getRuntime())
					.isEqualTo(io.github.grain.plugin.engine.WasmRuntimeKind.CHICORY);
				ToolRegistry registry = context.getBean(ToolRegistry.class);
				assertThat(registry.call("env", "{\"key\":\"FROM_MANIFEST\"}").content().toString())
					.contains("manifest value");
				assertThat(registry.call("loop", "{}").content().toString()).contains("ran past its deadline");
				assertThat(registry.call("grow", "{}").content().toString()).isEqualTo("{\"pages\":64}");
				assertThat(cache.resolve("chicory"))
					.isDirectoryRecursivelyContaining((path) -> path.toString().endsWith(CompilationCache.ENTRY_SUFFIX));
				assertThat(cache.resolve("wasmtime")).doesNotExist();
			});
	}

	@Test
	void theCompilationCacheMaxSizeReachesTheEngine(@TempDir Path cache, CapturedOutput output) {
		assertThat(new GrainPluginsProperties().getCompilationCache().getMaxSize().toBytes())
			.isEqualTo(io.github.grain.plugin.engine.CompilationCacheOptions.DEFAULT_MAX_BYTES);
		this.runner
			.withPropertyValues("grain.plugins.compilation-cache.directory=" + cache,
					"grain.plugins.compilation-cache.max-size=1KB")
			.run((context) -> {
				assertThat(context.getBean(ToolRegistry.class).call("echo", "{\"a\":1}").content().get("a").asInt())
					.isEqualTo(1);
				assertThat(output).contains("Plugin 'core': its compiled code (",
						") is larger than the compilation cache's maximum size (1.0 KB); not cached");
				try (java.util.stream.Stream<Path> files = Files.walk(cache)) {
					assertThat(files).noneMatch((file) -> file.toString().endsWith(CompilationCache.ENTRY_SUFFIX));
				}
			});
	}

	@Test
	void aCompilationCacheMaxSizeOfZeroFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("grain.plugins.compilation-cache.max-size=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(BindException.class.getName())
				.hasStackTraceContaining("grain.plugins.compilation-cache.max-size must be positive: 0B"));
	}

	@Test
	void aPluginWhoseCallsAllRunToTheirDeadlineLeavesThreadsForTheOthers() throws IOException {
		install(this.plugins, "hostile", "core/hostile.wasm", """
				[wasm]
				capabilities = ["env"]
				""");
		this.runner
			.withPropertyValues("grain.plugins.execution.threads=4", "grain.plugins.plugin.hostile.call-timeout=3s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ToolRegistry registry = context.getBean(ToolRegistry.class);
				// Four threads: the hostile plugin may hold two of them (half, by default).
				List<CompletableFuture<ToolResult>> loops = new ArrayList<>();
				for (int i = 0; i < 6; i++) {
					loops.add(registry.callAsync("loop", "{}"));
				}
				for (int i = 0; i < 20; i++) {
					ToolResult echo = registry.callAsync("echo", "{\"n\":" + i + "}").get(30, TimeUnit.SECONDS);
					assertThat(echo.isError()).isFalse();
					assertThat(echo.content().get("n").asInt()).isEqualTo(i);
				}
				// Two hostile calls ran to their deadline (3 s); the other four waited their turn, holding
				// no thread, until their own deadline: refused as busy, or given a slot with nothing left.
				List<ToolResult> results = loops.stream().map(CompletableFuture::join).toList();
				assertThat(results).allSatisfy((result) -> assertThat(result.isError()).isTrue());
				assertThat(results.stream().map((result) -> result.content().get("error").asText()))
					.allSatisfy((message) -> assertThat(message).containsAnyOf("ran past its deadline", "is busy"))
					.filteredOn((message) -> message.contains("ran past its deadline"))
					.hasSizeGreaterThanOrEqualTo(2);
			});
	}

	private static void install(Path directory, String name, String fixture, String manifest) throws IOException {
		Path dir = Files.createDirectories(directory.resolve(name));
		Files.write(dir.resolve("plugin.wasm"), Fixtures.bytes(fixture));
		Files.writeString(dir.resolve("plugin.toml"), manifest);
	}

	@Configuration(proxyBeanMethods = false)
	static class EchoConsumer {

		@Bean
		EchoUser echoUser(@Qualifier("grainTool.core.echo") Tool echo) {
			return new EchoUser(echo);
		}

	}

	record EchoUser(Tool echo) {
	}

	@Configuration(proxyBeanMethods = false)
	static class ClashingBean {

		@Bean
		Clashing clashing() {
			return new Clashing();
		}

	}

	static class Clashing {

		@GrainTool(readOnly = true)
		public String echo(String text) {
			return text;
		}

	}

}
