package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.grain.plugin.egress.TestHttpServer;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.discovery.PluginStatus;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.runtime.Digests;
import io.github.grain.plugin.spring.GrainPluginEngineCustomizer;
import io.github.grain.plugin.tool.ToolRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine and the plugin catalog are ordinary beans: built from {@code grain.plugins.*}
 * with the application's HTTP gateway, adjusted by customizers, replaceable.
 */
class PluginEngineBeansTests {

	@TempDir
	Path plugins;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, GrainPluginsAutoConfiguration.class));

	@Test
	void aPluginWhoseInitCallsAGrantedLoopbackServerLoadsAtStartup() throws IOException {
		installHostile();
		try (TestHttpServer server = new TestHttpServer()) {
			this.runner.withPropertyValues(hostileAt(server.url("/echo")))
				.withPropertyValues("grain.plugins.plugin.hostile.http.allow=http://127.0.0.1:" + server.port())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					PluginReport report = context.getBean(PluginCatalog.class).find("hostile").orElseThrow();
					assertThat(report.status()).as(String.valueOf(report.error())).isEqualTo(PluginStatus.LOADED);
					assertThat(server.requests).containsExactly("GET /echo");
				});
		}
	}

	@Test
	void theSameInitWithoutAGrantFailsThatPluginOnly() throws IOException {
		installHostile();
		try (TestHttpServer server = new TestHttpServer()) {
			this.runner.withPropertyValues(hostileAt(server.url("/echo"))).run((context) -> {
				assertThat(context).hasNotFailed();
				PluginReport report = context.getBean(PluginCatalog.class).find("hostile").orElseThrow();
				assertThat(report.status()).isEqualTo(PluginStatus.FAILED);
				assertThat(report.error()).contains("init").contains("not allowed");
				assertThat(server.requests).isEmpty();
			});
		}
	}

	@Test
	void everyEngineOptionIsAProperty() {
		this.runner
			.withPropertyValues("grain.plugins.directories=" + this.plugins, "grain.plugins.call-timeout=3s",
					"grain.plugins.max-memory=8MB", "grain.plugins.max-result-size=1MB",
					"grain.plugins.max-log-size-per-call=2KB", "grain.plugins.wasmtime.instances-per-store=16",
					"grain.plugins.max-concurrent-calls-per-plugin=3", "grain.plugins.runtime=chicory",
					"grain.plugins.busy-wait=250ms", "grain.plugins.execution.queue-capacity=7",
					"grain.plugins.compilation-cache.directory=" + this.plugins.resolve("cache"))
			.run((context) -> {
				PluginEngineOptions options = context.getBean(PluginEngine.class).options();
				assertThat(options.callTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(options.maxMemoryBytes()).isEqualTo(8L * 1024 * 1024);
				assertThat(options.maxResultBytes()).isEqualTo(1024 * 1024);
				assertThat(options.maxLogBytesPerCall()).isEqualTo(2048);
				assertThat(options.instancesPerStore()).isEqualTo(16);
				assertThat(options.maxConcurrentCallsPerPlugin()).isEqualTo(3);
				assertThat(options.busyWait()).isEqualTo(Duration.ofMillis(250));
				assertThat(options.maxWaitingCallsPerPlugin()).isEqualTo(7);
				assertThat(options.runtime()).isEqualTo(io.github.grain.plugin.engine.WasmRuntimeKind.CHICORY);
				assertThat(options.compilationCache()).isNotNull();
				assertThat(options.compilationCache().directory()).isEqualTo(this.plugins.resolve("cache"));
			});
	}

	@Test
	void customizersAdjustTheEngineOptionsInOrder() {
		this.runner.withPropertyValues("grain.plugins.directories=" + this.plugins, "grain.plugins.call-timeout=3s")
			.withBean("doubling", GrainPluginEngineCustomizer.class,
					() -> new OrderedCustomizer(Ordered.LOWEST_PRECEDENCE,
							(options) -> options.withCallTimeout(options.callTimeout().multipliedBy(2))))
			.withBean("first", GrainPluginEngineCustomizer.class,
					() -> new OrderedCustomizer(Ordered.HIGHEST_PRECEDENCE,
							(options) -> options.withCallTimeout(options.callTimeout().plusSeconds(1))))
			.run((context) -> assertThat(context.getBean(PluginEngine.class).options().callTimeout())
				.isEqualTo(Duration.ofSeconds(8)));
	}

	@Test
	void anApplicationEngineAndCatalogReplaceTheAutoConfiguredOnes() {
		PluginEngine engine = new PluginEngine(PluginEngineOptions.defaults());
		PluginCatalog catalog = PluginCatalog.empty();
		this.runner.withPropertyValues("grain.plugins.directories=" + this.plugins)
			.withBean(PluginEngine.class, () -> engine)
			.withBean(PluginCatalog.class, () -> catalog)
			.run((context) -> {
				assertThat(context.getBean(PluginEngine.class)).isSameAs(engine);
				assertThat(context.getBean(PluginCatalog.class)).isSameAs(catalog);
			});
	}

	@Test
	void eachPluginMayRunOnItsOwnRuntime() throws IOException {
		installCore();
		installHostile();
		this.runner
			.withPropertyValues("grain.plugins.directories=" + this.plugins, "grain.plugins.plugin.hostile.runtime=chicory")
			.run((context) -> {
				PluginCatalog catalog = context.getBean(PluginCatalog.class);
				assertThat(catalog.find("core").orElseThrow().plugin().runtime()).isEqualTo(WasmRuntimeKind.WASMTIME);
				assertThat(catalog.find("hostile").orElseThrow().plugin().runtime()).isEqualTo(WasmRuntimeKind.CHICORY);
				ToolRegistry registry = context.getBean(ToolRegistry.class);
				assertThat(registry.call("echo", "{\"text\":\"w\"}").isError()).isFalse();
				assertThat(registry.call("ok", "{}").isError()).isFalse();
			});
	}

	@Test
	void runtimeAutoPutsASmallPluginOnChicoryAndEveryPluginsReportNamesTheRuntimeChosen() throws IOException {
		installCore();
		installHostile();
		this.runner
			.withPropertyValues("grain.plugins.directories=" + this.plugins, "grain.plugins.runtime=auto",
					"grain.plugins.plugin.hostile.runtime=wasmtime")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PluginCatalog catalog = context.getBean(PluginCatalog.class);
				assertThat(catalog.find("core").orElseThrow().plugin().runtime()).isEqualTo(WasmRuntimeKind.CHICORY);
				assertThat(catalog.find("core").orElseThrow().runtime()).isEqualTo(WasmRuntimeKind.CHICORY);
				assertThat(catalog.find("hostile").orElseThrow().plugin().runtime()).isEqualTo(WasmRuntimeKind.WASMTIME);
				ToolRegistry registry = context.getBean(ToolRegistry.class);
				assertThat(registry.call("echo", "{\"text\":\"a\"}").isError()).isFalse();
				assertThat(registry.call("ok", "{}").isError()).isFalse();
			});
	}

	@Test
	void runtimeAutoChoosesByCodeSizeAmongTheRuntimesPresent() {
		int large = WasmRuntimeKind.AUTO_WASMTIME_FROM;
		assertThat(WasmRuntimeKind.choose(40_000, (kind) -> true)).isEqualTo(WasmRuntimeKind.CHICORY);
		assertThat(WasmRuntimeKind.choose(large - 1, (kind) -> true)).isEqualTo(WasmRuntimeKind.CHICORY);
		assertThat(WasmRuntimeKind.choose(large, (kind) -> true)).isEqualTo(WasmRuntimeKind.WASMTIME);
		assertThat(WasmRuntimeKind.choose(12_500_000, (kind) -> true)).isEqualTo(WasmRuntimeKind.WASMTIME);
		// only one runtime present: that one, whatever the size
		assertThat(WasmRuntimeKind.choose(40_000, (kind) -> kind == WasmRuntimeKind.WASMTIME))
			.isEqualTo(WasmRuntimeKind.WASMTIME);
		assertThat(WasmRuntimeKind.choose(large, (kind) -> kind == WasmRuntimeKind.CHICORY))
			.isEqualTo(WasmRuntimeKind.CHICORY);
		// none present: the preferred one, whose absence the engine then reports by artifact
		assertThat(WasmRuntimeKind.choose(large, (kind) -> false)).isEqualTo(WasmRuntimeKind.WASMTIME);
	}

	@Test
	void aPinnedDigestAdmitsOnlyThatModule() throws IOException {
		installCore();
		String digest = Digests.sha256(Fixtures.bytes("core/v1-legacy.wasm"));
		String other = "ab".repeat(32);
		this.runner.withPropertyValues("grain.plugins.directories=" + this.plugins, "grain.plugins.plugin.core.sha256=" + other)
			.run((context) -> {
				PluginReport report = context.getBean(PluginCatalog.class).find("core").orElseThrow();
				assertThat(report.status()).isEqualTo(PluginStatus.FAILED);
				assertThat(report.error()).isEqualTo("the module of plugin 'core' has sha256 " + digest + ", but sha256 "
						+ other + " is pinned");
			});
		this.runner
			.withPropertyValues("grain.plugins.directories=" + this.plugins,
					"grain.plugins.plugin.core.sha256=" + digest.toUpperCase(java.util.Locale.ROOT),
					"grain.plugins.require-digest=true")
			.run((context) -> assertThat(context.getBean(PluginCatalog.class).find("core").orElseThrow().status())
				.isEqualTo(PluginStatus.LOADED));
	}

	@Test
	void requiredDigestsRefuseAPluginWithoutOne() throws IOException {
		installCore();
		this.runner.withPropertyValues("grain.plugins.directories=" + this.plugins, "grain.plugins.require-digest=true")
			.run((context) -> {
				PluginReport report = context.getBean(PluginCatalog.class).find("core").orElseThrow();
				assertThat(report.status()).isEqualTo(PluginStatus.FAILED);
				assertThat(report.error()).startsWith("no digest is pinned for plugin 'core' and digests are required")
					.endsWith(Digests.sha256(Fixtures.bytes("core/v1-legacy.wasm")));
			});
	}

	@Test
	void byDefaultACallWaitsForItsPluginAsLongAsItsDeadlineAllows() {
		this.runner.withPropertyValues("grain.plugins.directories=" + this.plugins).run((context) -> {
			PluginEngineOptions options = context.getBean(PluginEngine.class).options();
			assertThat(options.busyWait()).isNull();
			assertThat(options.maxConcurrentCallsPerPlugin()).isEqualTo(4);
			assertThat(options.maxWaitingCallsPerPlugin()).isEqualTo(100);
		});
	}

	@Test
	void aNegativeBusyWaitFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("grain.plugins.directories=" + this.plugins, "grain.plugins.busy-wait=-1s")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("grain.plugins.busy-wait value 'PT-1S' must not be negative"));
	}

	@Test
	void aLoadParallelismBelowOneFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("grain.plugins.directories=" + this.plugins, "grain.plugins.load-parallelism=0")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("grain.plugins.load-parallelism value '0' must be at least 1"));
	}

	@Test
	void pluginsAreCompiledOnLoaderThreadsAndRegisteredInDiscoveryOrder() throws IOException {
		for (String name : java.util.List.of("c", "a", "b")) {
			Path dir = Files.createDirectories(this.plugins.resolve(name));
			Files.write(dir.resolve("plugin.wasm"), Fixtures.bytes("core/v1-legacy.wasm"));
		}
		for (int parallelism : new int[] { 1, 2 }) {
			ListAppender<ILoggingEvent> loads = Fixtures.captureLog(PluginEngine.class.getName());
			this.runner
				.withPropertyValues("grain.plugins.directories=" + this.plugins,
						"grain.plugins.load-parallelism=" + parallelism)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					// the same tools three times: the first plugin in discovery order keeps them
					assertThat(context.getBean(PluginCatalog.class).plugins())
						.extracting((report) -> report.name() + " " + report.status() + " "
								+ String.valueOf(report.error()).replaceFirst("'[a-z_]+'", "'<tool>'"))
						.containsExactly("a LOADED null",
								"b FAILED duplicate tool name '<tool>': defined by wasm:a and by wasm:b; "
										+ "none of the plugin's tools is served",
								"c FAILED duplicate tool name '<tool>': defined by wasm:a and by wasm:c; "
										+ "none of the plugin's tools is served");
				});
			java.util.List<String> threads = loads.list.stream()
				.filter((event) -> event.getFormattedMessage().startsWith("Loaded plugin"))
				.map(ILoggingEvent::getThreadName)
				.toList();
			assertThat(threads).as("parallelism " + parallelism).hasSize(3)
				.allMatch((thread) -> thread.startsWith("grain-plugin-loader-") == (parallelism > 1));
		}
	}

	@Test
	void aMalformedPinnedDigestFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("grain.plugins.directories=" + this.plugins, "grain.plugins.plugin.core.sha256=xyz")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("grain.plugins.plugin.core.sha256 value 'xyz' is not a SHA-256 digest "
						+ "(sha256 must be 64 hex digits: 'xyz')"));
	}

	private void installCore() throws IOException {
		Path dir = Files.createDirectories(this.plugins.resolve("core"));
		Files.write(dir.resolve("plugin.wasm"), Fixtures.bytes("core/v1-legacy.wasm"));
		Files.writeString(dir.resolve("plugin.toml"), "[wasm]\ncapabilities = [\"log\"]\n");
	}

	private void installHostile() throws IOException {
		Path dir = Files.createDirectories(this.plugins.resolve("hostile"));
		Files.write(dir.resolve("plugin.wasm"), Fixtures.bytes("core/hostile.wasm"));
		Files.writeString(dir.resolve("plugin.toml"), "[wasm]\ncapabilities = [\"log\", \"env\", \"http\"]\n");
	}

	private String[] hostileAt(String url) {
		return new String[] { "grain.plugins.directories=" + this.plugins,
				"grain.plugins.plugin.hostile.env.MODE=init-http", "grain.plugins.plugin.hostile.env.INIT_URL=" + url };
	}

	private record OrderedCustomizer(int order, GrainPluginEngineCustomizer delegate)
			implements GrainPluginEngineCustomizer, Ordered {

		@Override
		public PluginEngineOptions customize(PluginEngineOptions options) {
			return this.delegate.customize(options);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

}
