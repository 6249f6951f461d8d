package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.grain.plugin.egress.EgressListener;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.orchestration.HookCallObserver;
import io.github.grain.plugin.orchestration.HookDispatcher;
import io.github.grain.plugin.spring.event.ToolCallEndedEvent;
import io.github.grain.plugin.spring.metrics.GrainPluginMetrics;
import io.github.grain.plugin.spring.metrics.MeterEgressListener;
import io.github.grain.plugin.spring.observation.ObservationHookCallObserver;
import io.github.grain.plugin.spring.observation.ObservationToolCallObserver;
import io.github.grain.plugin.spring.observation.ToolCallObservationContext;
import io.github.grain.plugin.tool.ToolCallObserver;
import io.github.grain.plugin.tool.StuckTools;
import io.github.grain.plugin.tool.ToolRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Observations and meters of real plugins and beans through the application's Micrometer
 * set-up as Boot builds it, the beans' back-off, and the application without Micrometer.
 */
class GrainPluginsObservabilityAutoConfigurationTests {

	@TempDir
	static Path plugins;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				GrainPluginsAutoConfiguration.class, GrainPluginsObservationAutoConfiguration.class,
				GrainPluginsMetricsAutoConfiguration.class))
		.withUserConfiguration(GrainPluginsAutoConfigurationTests.ToolBeans.class)
		.withPropertyValues("grain.plugins.directories=" + plugins, "grain.plugins.runtime=" + Fixtures.RUNTIME.id(),
				"grain.plugins.plugin.orchestrator.exclude-tools=echo,fail");

	@BeforeAll
	static void installPlugins() throws IOException {
		install("core", "core/v1-legacy.wasm", "[wasm]\ncapabilities = [\"log\", \"env\", \"http\"]\n");
		install("orchestrator", "core/v2-legacy.wasm", "[wasm]\ncapabilities = [\"role-orchestration\"]\n");
		install("broken", "core/v2-legacy.wasm", "[wasm]\ncapabilities = [\"env\"]\n[wasm.env]\nGRAIN_FAIL_INIT = \"1\"\n");
	}

	@Test
	void everyToolCallIsATimerTaggedWithToolSourcePluginRuntimeAndOutcome() {
		this.runner.run((context) -> {
			ToolRegistry tools = context.getBean(ToolRegistry.class);
			tools.call("echo", "{\"a\":1}");
			tools.call("fail", "{}");
			tools.call("greet", "{\"name\":\"Ada\"}");
			tools.call("greet", "{\"name\":7}");
			tools.callAsync("greet", "{}").join();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			String runtime = Fixtures.RUNTIME.id();
			assertThat(calls(meters, "echo", "wasm", "core", runtime, "success")).isEqualTo(1);
			assertThat(calls(meters, "fail", "wasm", "core", runtime, "error")).isEqualTo(1);
			assertThat(calls(meters, "greet", "bean", "none", "none", "success")).isEqualTo(1);
			assertThat(calls(meters, "greet", "bean", "none", "none", "invalid-arguments")).isEqualTo(2);
			assertThat(meters.get("grain.tool.call").timers())
				.allSatisfy((timer) -> assertThat(timer.getId().getTag("gen_ai.operation.name")).isEqualTo("execute_tool"))
				.allSatisfy((timer) -> assertThat(timer.getId().getTags()).extracting("key")
					.containsExactlyInAnyOrder("error", "gen_ai.operation.name", "outcome", "plugin", "runtime", "source",
							"tool"));
		});
	}

	@Test
	void aToolCallIsAChildOfTheCallersObservationAlsoWhenAsynchronous() {
		this.runner.withUserConfiguration(RecordingHandler.class).run((context) -> {
			ObservationRegistry observations = context.getBean(ObservationRegistry.class);
			RecordingHandler recorded = context.getBean(RecordingHandler.class);
			Observation caller = Observation.start("spring.ai.tool", observations);
			try (Observation.Scope scope = caller.openScope()) {
				context.getBean(ToolRegistry.class).callAsync("echo", "{\"secret\":\"s3cr3t\"}").join();
			}
			caller.stop();
			ToolCallObservationContext call = recorded.toolCalls.get(0);
			assertThat(call.getParentObservation()).isSameAs(caller);
			assertThat(call.getContextualName()).isEqualTo("execute_tool echo");
			assertThat(recorded.scopeThreads).singleElement().asString().startsWith("grain-tool-");
			assertThat(call.getAllKeyValues().stream().map((keyValue) -> keyValue.getValue()))
				.noneMatch((value) -> value.contains("s3cr3t"));
		});
	}

	@Test
	void hookCallsAreTimedPerPluginAndTheirActionsCounted() {
		this.runner.run((context) -> {
			HookDispatcher hooks = context.getBean(HookDispatcher.class);
			hooks.dispatch(HookPoint.SHOULD_STOP_AFTER_TURN, "{\"case\":\"invalid\"}");
			hooks.dispatch(HookPoint.SHOULD_STOP_AFTER_TURN, "{\"case\":\"err\"}");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("grain.hook.dispatch")
				.tags("point", "should-stop-after-turn", "plugin", "orchestrator", "outcome", "success")
				.timer()
				.count()).isEqualTo(1);
			assertThat(meters.get("grain.hook.dispatch").tags("outcome", "error").timer().count()).isEqualTo(1);
			assertThat(meters.get("grain.hook.actions").tags("result", "rejected").counters())
				.extracting((counter) -> counter.getId().getTag("action"))
				.contains("switch-role", "set-active-tools", "emit-custom", "set-system-prompt");
			assertThat(meters.get("grain.hook.actions")
				.tags("result", "accepted", "action", "stop-after-turn", "plugin", "orchestrator")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void pluginsAreGaugedByStatusWithLoadTimeAndMemoryHighWater() {
		this.runner.run((context) -> {
			context.getBean(ToolRegistry.class).call("big", "{\"size\":3000000}");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("grain.plugins").tag("status", "loaded").gauge().value()).isEqualTo(2);
			assertThat(meters.get("grain.plugins").tag("status", "failed").gauge().value()).isEqualTo(1);
			assertThat(meters.get("grain.plugin.load.duration").tags("plugin", "broken", "status", "failed")
				.timeGauge()
				.value()).isPositive();
			assertThat(meters.get("grain.plugin.memory.peak").tags("plugin", "core", "runtime", Fixtures.RUNTIME.id())
				.gauge()
				.value()).isGreaterThan(3_000_000);
			assertThat(meters.find("grain.plugin.memory.peak").tag("plugin", "broken").gauge()).isNull();
		});
	}

	@Test
	void pluginGaugesFollowTheCatalogThroughReloadsAndUnloads() {
		this.runner.run((context) -> {
			PluginCatalog catalog = context.getBean(PluginCatalog.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			LoadedPlugin previous = catalog.find("core").orElseThrow().plugin();
			catalog.reload("core");
			LoadedPlugin reloaded = catalog.find("core").orElseThrow().plugin();
			assertThat(reloaded).isNotSameAs(previous);
			reloaded.callTool("big", "{\"size\":2000000}");
			assertThat(reloaded.memoryHighWaterBytes()).isGreaterThan(previous.memoryHighWaterBytes());
			assertThat(meters.get("grain.plugin.memory.peak").tag("plugin", "core").gauge().value())
				.isEqualTo(reloaded.memoryHighWaterBytes());
			catalog.unload("broken");
			assertThat(meters.find("grain.plugin.load.duration").tag("plugin", "broken").timeGauges()).isEmpty();
			assertThat(meters.get("grain.plugins").tag("status", "failed").gauge().value()).isZero();
		});
	}

	@Test
	void callsAbandonedAtTheCallTimeoutAreCountedAndTheirThreadsGauged() {
		this.runner.withPropertyValues("grain.plugins.call-timeout=200ms")
			.withBean("stuckTools", StuckTools.class, StuckTools::new)
			.run((context) -> {
				ToolRegistry tools = context.getBean(ToolRegistry.class);
				StuckTools stuck = context.getBean(StuckTools.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("grain.tool.abandoned.threads").gauge().value()).isZero();
				assertThat(tools.call("block_a", "{}").text()).contains("did not answer within its call timeout");
				assertThat(meters.get("grain.tool.abandoned.calls").functionCounter().count()).isEqualTo(1);
				assertThat(meters.get("grain.tool.abandoned.threads").gauge().value()).isEqualTo(1);
				stuck.release.release(10);
			});
	}

	@Test
	void egressRefusalsAreCountedByPluginAndReason() {
		this.runner.withPropertyValues("grain.plugins.plugin.core.http.allow=http://127.0.0.1:9").run((context) -> {
			ToolRegistry tools = context.getBean(ToolRegistry.class);
			tools.call("http_get", "{\"url\":\"http://127.0.0.1:10/\"}");
			tools.call("http_get", "{\"url\":\"ftp://127.0.0.1:9/\"}");
			tools.call("http_get", "{\"url\":\"http://127.0.0.1:10/\"}");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("grain.egress.refusals").tags("plugin", "core", "reason", "not-allowed").counter()
				.count()).isEqualTo(2);
			assertThat(meters.get("grain.egress.refusals").tags("plugin", "core", "reason", "scheme").counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void withoutAnObservationRegistryCallsGoToTheNoOpRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GrainPluginsAutoConfiguration.class,
					GrainPluginsObservationAutoConfiguration.class))
			.withPropertyValues("grain.plugins.directories=" + plugins,
					"grain.plugins.plugin.orchestrator.exclude-tools=echo,fail")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ObservationRegistry.class)
					.hasSingleBean(ObservationToolCallObserver.class);
				assertThat(context.getBean(ToolRegistry.class).call("echo", "{}").isError()).isFalse();
			});
	}

	@Test
	void withoutMicrometerToolsWorkUnobserved() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GrainPluginsAutoConfiguration.class,
					GrainPluginsObservationAutoConfiguration.class, GrainPluginsMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(ObservationRegistry.class, MeterRegistry.class))
			.withPropertyValues("grain.plugins.directories=" + plugins,
					"grain.plugins.plugin.orchestrator.exclude-tools=echo,fail")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(ToolCallObserver.class)
					.doesNotHaveBean(HookCallObserver.class)
					.doesNotHaveBean(GrainPluginMetrics.class)
					.doesNotHaveBean(EgressListener.class);
				assertThat(context.getBean(ToolRegistry.class).call("echo", "{}").isError()).isFalse();
			});
	}

	@Test
	void withoutAMeterRegistryThereAreObservationsButNoMeters() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					GrainPluginsAutoConfiguration.class, GrainPluginsObservationAutoConfiguration.class,
					GrainPluginsMetricsAutoConfiguration.class))
			.withPropertyValues("grain.plugins.directories=" + plugins,
					"grain.plugins.plugin.orchestrator.exclude-tools=echo,fail")
			.run((context) -> assertThat(context).hasSingleBean(ObservationToolCallObserver.class)
				.hasSingleBean(ObservationHookCallObserver.class)
				.doesNotHaveBean(GrainPluginMetrics.class)
				.doesNotHaveBean(MeterEgressListener.class));
	}

	@Test
	void backsOffToUserObserversAndEgressListener() {
		List<String> seen = new CopyOnWriteArrayList<>();
		ToolCallObserver toolObserver = (tool) -> (outcome, failure) -> seen.add(tool.name() + "=" + outcome);
		HookCallObserver hookObserver = (point, plugin) -> (outcomes) -> seen.add("hook " + plugin);
		EgressListener egress = (plugin, refusal) -> seen.add("refused " + refusal.tagValue());
		this.runner.withBean(ToolCallObserver.class, () -> toolObserver)
			.withBean(HookCallObserver.class, () -> hookObserver)
			.withBean(EgressListener.class, () -> egress)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ObservationToolCallObserver.class)
					.doesNotHaveBean(ObservationHookCallObserver.class)
					.doesNotHaveBean(MeterEgressListener.class);
				context.getBean(ToolRegistry.class).call("http_get", "{\"url\":\"http://127.0.0.1:10/\"}");
				context.getBean(HookDispatcher.class).dispatch(HookPoint.SHOULD_STOP_AFTER_TURN, "{}");
				assertThat(seen).containsExactly("refused no-allow-list", "http_get=ERROR", "hook orchestrator");
				assertThat(context.getBean(MeterRegistry.class).find("grain.tool.call").timers()).isEmpty();
			});
	}

	@Test
	void everyToolCallEndsInAnEventBesideTheObservationAndAUsersObserver() {
		List<ToolCallEndedEvent> ended = new CopyOnWriteArrayList<>();
		List<String> seen = new CopyOnWriteArrayList<>();
		ToolCallObserver toolObserver = (tool) -> (outcome, failure) -> seen.add(tool.name() + "=" + outcome);
		ApplicationListener<ToolCallEndedEvent> listener = ended::add;
		this.runner.withBean("toolCallEvents", ApplicationListener.class, () -> listener).run((context) -> {
			ToolRegistry tools = context.getBean(ToolRegistry.class);
			tools.call("echo", "{\"secret\":\"s3cr3t\"}");
			tools.call("greet", "{\"name\":7}");
			assertThat(ended).extracting((event) -> event.getTool().name() + "=" + event.getOutcome())
				.containsExactly("echo=SUCCESS", "greet=INVALID_ARGUMENTS");
			assertThat(ended).allSatisfy((event) -> assertThat(event.getDuration()).isPositive());
			assertThat(ended.get(0).getTool().source()).isEqualTo("wasm:core");
			assertThat(calls(context.getBean(MeterRegistry.class), "echo", "wasm", "core", Fixtures.RUNTIME.id(),
					"success")).isEqualTo(1);
		});
		this.runner.withBean("toolCallEvents", ApplicationListener.class, () -> listener)
			.withBean(ToolCallObserver.class, () -> toolObserver)
			.run((context) -> {
				context.getBean(ToolRegistry.class).call("echo", "{}");
				assertThat(seen).containsExactly("echo=SUCCESS");
				assertThat(ended).last().extracting((event) -> event.getTool().name() + "=" + event.getOutcome())
					.isEqualTo("echo=SUCCESS");
			});
	}

	private static long calls(MeterRegistry meters, String tool, String source, String plugin, String runtime,
			String outcome) {
		Timer timer = meters.find("grain.tool.call")
			.tags("tool", tool, "source", source, "plugin", plugin, "runtime", runtime, "outcome", outcome)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	private static void install(String name, String fixture, String manifest) throws IOException {
		Path dir = Files.createDirectories(plugins.resolve(name));
		Files.write(dir.resolve("plugin.wasm"), Fixtures.bytes(fixture));
		Files.writeString(dir.resolve("plugin.toml"), manifest);
	}

	/** Records tool-call observations and the threads their scopes open on. */
	@Configuration(proxyBeanMethods = false)
	static class RecordingHandler implements ObservationHandler<ToolCallObservationContext> {

		final List<ToolCallObservationContext> toolCalls = new CopyOnWriteArrayList<>();

		final List<String> scopeThreads = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(ToolCallObservationContext context) {
			this.toolCalls.add(context);
		}

		@Override
		public void onScopeOpened(ToolCallObservationContext context) {
			this.scopeThreads.add(Thread.currentThread().getName());
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof ToolCallObservationContext;
		}

	}

}
