package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.PluginSpec;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginCatalogEvent;
import io.github.grain.plugin.engine.discovery.PluginStatus;
import io.github.grain.plugin.engine.runtime.Digests;
import io.github.grain.plugin.tool.GrainTool;
import io.github.grain.plugin.tool.ToolRegistry;
import io.github.grain.plugin.tool.ToolResult;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plugins change while the application runs, with a real directory, a real context and the
 * directory watcher on, on both runtimes: added, replaced under load without a failed call,
 * removed, replaced by a broken or unpinned module (the old version keeps serving), renamed.
 */
class PluginHotReloadTests {

	@TempDir
	Path plugins;

	private ApplicationContextRunner runner(WasmRuntimeKind runtime) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GrainPluginsAutoConfiguration.class))
			.withUserConfiguration(Events.class)
			.withPropertyValues("grain.plugins.directories=" + this.plugins, "grain.plugins.runtime=" + runtime.id(),
					"grain.plugins.watch.enabled=true", "grain.plugins.watch.debounce=100ms",
					"grain.plugins.plugin.p.read-only-tools=env,echo");
	}

	@ParameterizedTest
	@EnumSource(value = WasmRuntimeKind.class, names = { "WASMTIME", "CHICORY" })
	void aNewPluginDirectoryIsLoadedAndARemovedOneUnloaded(WasmRuntimeKind runtime) throws IOException {
		this.runner(runtime).run((context) -> {
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			assertThat(registry.contains("echo")).isFalse();
			install("p", "core/v1-legacy.wasm", "1");
			awaitTrue(() -> registry.contains("echo"));
			assertThat(registry.call("echo", "{\"text\":\"new\"}").isError()).isFalse();
			awaitTrue(() -> context.getBean(Events.class).kinds().contains("Loaded"));
			deleteRecursively(this.plugins.resolve("p"));
			awaitTrue(() -> context.getBean(Events.class).kinds().contains("Unloaded"));
			assertThat(registry.contains("echo")).isFalse();
			assertThat(context.getBean(PluginCatalog.class).find("p")).isEmpty();
		});
	}

	@ParameterizedTest
	@EnumSource(value = WasmRuntimeKind.class, names = { "WASMTIME", "CHICORY" })
	void replacingAPluginUnderLoadDropsNoCall(WasmRuntimeKind runtime) throws Exception {
		install("p", "core/v1-legacy.wasm", "1");
		this.runner(runtime).run((context) -> {
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			List<String> versions = new CopyOnWriteArrayList<>();
			List<String> failures = new CopyOnWriteArrayList<>();
			AtomicBoolean stop = new AtomicBoolean();
			AtomicInteger calls = new AtomicInteger();
			List<Thread> callers = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				Thread caller = new Thread(() -> {
					while (!stop.get()) {
						ToolResult result = registry.call("env", "{\"key\":\"VERSION\"}");
						calls.incrementAndGet();
						if (result.isError()) {
							failures.add(result.content().toString());
						}
						else {
							versions.add(result.content().get("value").asText());
						}
					}
				});
				caller.start();
				callers.add(caller);
			}
			awaitTrue(() -> versions.contains("1"));
			// the manifest changes, then the module (another build of the same plugin)
			install("p", "core/v1-legacy.wasm", "2");
			awaitTrue(() -> versions.contains("2"));
			install("p", "core/v1-standard.wasm", "3");
			awaitTrue(() -> versions.contains("3"));
			int before = calls.get();
			awaitTrue(() -> calls.get() > before + 20);
			stop.set(true);
			for (Thread caller : callers) {
				caller.join();
			}
			assertThat(failures).isEmpty();
			assertThat(Collections.unmodifiableList(versions)).containsOnly("1", "2", "3");
			// calls in flight finish on the version they started on, so completion order may interleave;
			// what serves now is the last version
			assertThat(registry.call("env", "{\"key\":\"VERSION\"}").content().get("value").asText()).isEqualTo("3");
			assertThat(context.getBean(Events.class).kinds()).containsSubsequence("Replaced", "Replaced");
			assertThat(context.getBean(PluginCatalog.class).find("p").orElseThrow().plugin().sha256())
				.isEqualTo(Digests.sha256(Fixtures.bytes("core/v1-standard.wasm")));
		});
	}

	@ParameterizedTest
	@EnumSource(value = WasmRuntimeKind.class, names = { "WASMTIME", "CHICORY" })
	void aBrokenReplacementLeavesTheOldVersionServing(WasmRuntimeKind runtime) throws IOException {
		install("p", "core/v1-legacy.wasm", "1");
		this.runner(runtime).run((context) -> {
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			Files.write(this.plugins.resolve("p/plugin.wasm"), new byte[] { 0, 'a', 's', 'm', 9, 9 });
			awaitTrue(() -> context.getBean(Events.class).kinds().contains("Failed"));
			assertThat(registry.call("env", "{\"key\":\"VERSION\"}").content().get("value").asText()).isEqualTo("1");
			assertThat(context.getBean(PluginCatalog.class).find("p").orElseThrow().status())
				.isEqualTo(PluginStatus.LOADED);
			PluginCatalogEvent.Failed failed = context.getBean(Events.class).last(PluginCatalogEvent.Failed.class);
			assertThat(failed.failed().error()).contains("not a WebAssembly module or component");
			// the version still serving is the one installed first, not the broken file
			assertThat(failed.stillServing()).isNotNull()
				.satisfies((serving) -> assertThat(serving.status()).isEqualTo(PluginStatus.LOADED))
				.satisfies((serving) -> assertThat(serving.sha256())
					.isEqualTo(Digests.sha256(Fixtures.bytes("core/v1-legacy.wasm"))));
		});
	}

	@ParameterizedTest
	@EnumSource(value = WasmRuntimeKind.class, names = { "WASMTIME", "CHICORY" })
	void aReplacementWithAnotherDigestThanThePinnedOneIsRefused(WasmRuntimeKind runtime) throws IOException {
		install("p", "core/v1-legacy.wasm", "1");
		this.runner(runtime)
			.withPropertyValues("grain.plugins.plugin.p.sha256=" + Digests.sha256(Fixtures.bytes("core/v1-legacy.wasm")))
			.run((context) -> {
				install("p", "core/v1-standard.wasm", "1");
				awaitTrue(() -> context.getBean(Events.class).kinds().contains("Failed"));
				assertThat(context.getBean(Events.class).last(PluginCatalogEvent.Failed.class).failed().error())
					.contains("is pinned");
				assertThat(context.getBean(ToolRegistry.class).call("echo", "{}").isError()).isFalse();
			});
	}

	@ParameterizedTest
	@EnumSource(value = WasmRuntimeKind.class, names = { "WASMTIME", "CHICORY" })
	void aRenamedDirectoryIsTheOldPluginUnloadedAndANewOneLoaded(WasmRuntimeKind runtime) throws IOException {
		install("p", "core/v1-legacy.wasm", "1");
		this.runner(runtime).run((context) -> {
			PluginCatalog catalog = context.getBean(PluginCatalog.class);
			Files.move(this.plugins.resolve("p"), this.plugins.resolve("q"));
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			awaitTrue(() -> registry.definition("echo").filter((tool) -> tool.source().equals("wasm:q")).isPresent());
			assertThat(catalog.find("p")).isEmpty();
			assertThat(registry.call("echo", "{}").isError()).isFalse();
		});
	}

	@ParameterizedTest
	@EnumSource(value = WasmRuntimeKind.class, names = { "WASMTIME", "CHICORY" })
	void aPluginRegisteredFromBytesServesUntilUnloaded(WasmRuntimeKind runtime) {
		this.runner(runtime).run((context) -> {
			PluginCatalog catalog = context.getBean(PluginCatalog.class);
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			PluginReport report = catalog.register(new PluginSpec("fetched", "memory:fetched",
					Fixtures.bytes("core/v1-legacy.wasm"), Set.of(Capability.LOG), Map.of()), null);
			assertThat(report.status()).as(String.valueOf(report.error())).isEqualTo(PluginStatus.LOADED);
			assertThat(report.plugin().runtime()).isEqualTo(runtime);
			assertThat(registry.definition("echo").orElseThrow().source()).isEqualTo("wasm:fetched");
			assertThat(catalog.rescan()).isEmpty();
			assertThat(registry.call("echo", "{\"text\":\"bytes\"}").isError()).isFalse();
			catalog.unload("fetched");
			assertThat(registry.contains("echo")).isFalse();
			assertThat(catalog.register(new PluginSpec("fetched", "memory:fetched", new byte[] { 1, 2, 3 }, Set.of(),
					Map.of()), null).error()).contains("not a WebAssembly module or component");
		});
	}

	@ParameterizedTest
	@EnumSource(value = WasmRuntimeKind.class, names = { "WASMTIME", "CHICORY" })
	void aDroppedInPluginWhoseToolNameIsTakenIsReportedFailedAndServesNothing(WasmRuntimeKind runtime) {
		this.runner(runtime).withUserConfiguration(EchoBean.class).run((context) -> {
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			install("p", "core/v1-legacy.wasm", "1");
			awaitTrue(() -> context.getBean(Events.class).kinds().contains("Failed"));
			PluginReport failed = context.getBean(PluginCatalog.class).find("p").orElseThrow();
			assertThat(failed.status()).isEqualTo(PluginStatus.FAILED);
			assertThat(failed.error()).contains("duplicate tool name 'echo'", "bean:echoBean", "wasm:p",
					"none of the plugin's tools is served");
			assertThat(failed.tools()).isEmpty();
			assertThat(context.getBean(Events.class).kinds()).doesNotContain("Loaded");
			assertThat(registry.definition("echo").orElseThrow().source()).isEqualTo("bean:echoBean");
			assertThat(registry.contains("env")).as("none of the plugin's tools").isFalse();
			assertThat(registry.call("echo", "{\"text\":\"bean\"}").content().asText()).isEqualTo("bean says bean");
		});
	}

	private void install(String name, String fixture, String version) throws IOException {
		Path dir = Files.createDirectories(this.plugins.resolve(name));
		Path module = dir.resolve("plugin.wasm");
		Path staged = dir.resolveSibling(name + ".wasm.tmp");
		Files.write(staged, Fixtures.bytes(fixture));
		Files.move(staged, module, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
				java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		Files.writeString(dir.resolve("plugin.toml"),
				"[wasm]\ncapabilities = [\"log\", \"env\"]\n[wasm.env]\nVERSION = \"" + version + "\"\n");
	}

	/** Waits for a state the watcher reaches eventually; a bound on waiting, not a measurement. */
	private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
		long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - giveUp > 0) {
				// where the watcher and the callers are, for whoever reads a failure under load
				throw new AssertionError("not reached within 60 s; threads:\n" + threadDump());
			}
			Thread.sleep(20);
		}
	}

	private static String threadDump() {
		StringBuilder dump = new StringBuilder();
		Thread.getAllStackTraces().forEach((thread, stack) -> {
			if (thread.getName().startsWith("grain") || thread.getName().startsWith("Thread-")
					|| thread.getName().equals("main")) {
				dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
				for (StackTraceElement frame : stack) {
					dump.append("\tat ").append(frame).append('\n');
				}
			}
		});
		return dump.toString();
	}

	private static void deleteRecursively(Path path) throws IOException {
		try (var paths = Files.walk(path)) {
			for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class EchoBean {

		@Bean
		EchoTool echoBean() {
			return new EchoTool();
		}

	}

	public static class EchoTool {

		@GrainTool(name = "echo", description = "The application's echo", readOnly = true)
		public String echo(String text) {
			return "bean says " + text;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Events {

		private final List<PluginCatalogEvent> events = new CopyOnWriteArrayList<>();

		@Bean
		EventCollector eventCollector() {
			return new EventCollector(this.events);
		}

		List<String> kinds() {
			return this.events.stream().map((event) -> event.getClass().getSimpleName()).toList();
		}

		<E extends PluginCatalogEvent> E last(Class<E> type) {
			List<PluginCatalogEvent> matching = this.events.stream().filter(type::isInstance).toList();
			return type.cast(matching.get(matching.size() - 1));
		}

	}

	record EventCollector(List<PluginCatalogEvent> events) {

		@EventListener
		void on(PluginCatalogEvent event) {
			this.events.add(event);
		}

	}

}
