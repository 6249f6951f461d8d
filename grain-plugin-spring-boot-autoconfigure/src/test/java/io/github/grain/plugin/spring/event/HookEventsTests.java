package io.github.grain.plugin.spring.event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.grain.plugin.autoconfigure.GrainPluginsAutoConfiguration;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.engine.wit.UiHeader;
import io.github.grain.plugin.orchestration.HookCallFailed;
import io.github.grain.plugin.orchestration.HookDispatch;
import io.github.grain.plugin.orchestration.HookDispatcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Hook outcomes travel from real v2 fixture plugins (see {@code plugins/README.md}) through
 * the auto-configured {@link HookDispatcher} to plain {@code @EventListener} methods, each
 * listener selecting one action kind by the event's type argument.
 */
@ExtendWith(OutputCaptureExtension.class)
class HookEventsTests {

	@TempDir
	static Path plugins;

	private static ApplicationContextRunner runner;

	@BeforeAll
	static void installPlugins() throws IOException {
		// discovery order is by name: the hostile plugin is called before the healthy one
		install("hostile", "core/hostile-v2.wasm");
		install("orchestrator", "core/v2-legacy.wasm");
		runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GrainPluginsAutoConfiguration.class))
			.withUserConfiguration(ListenerConfiguration.class)
			.withPropertyValues("grain.plugins.directories=" + plugins,
					// both plugins have a tool 'echo'; the orchestrator's is the one registered
					"grain.plugins.plugin.hostile.exclude-tools=echo");
	}

	private static void install(String name, String fixture) throws IOException {
		Path dir = Files.createDirectories(plugins.resolve(name));
		Files.write(dir.resolve("plugin.wasm"), Fixtures.bytes(fixture));
		Files.writeString(dir.resolve("plugin.toml"), "[wasm]\ncapabilities = [\"role-orchestration\"]\n");
	}

	@Test
	void everyActionKindReachesOnlyTheListenerOfItsKind() {
		runner.run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);

			HookDispatch dispatch = context.getBean(HookDispatcher.class)
				.dispatch(HookPoint.SHOULD_STOP_AFTER_TURN, "{\"case\":\"all\"}");

			assertThat(dispatch.accepted()).hasSize(9);
			assertThat(listeners.actionsOf("switchRole")).containsExactly(new HostAction.SwitchRole("planner"));
			assertThat(listeners.actionsOf("switchModel")).containsExactly(new HostAction.SwitchModel("openai/gpt-5"));
			assertThat(listeners.actionsOf("setSystemPrompt"))
				.containsExactly(new HostAction.SetSystemPrompt("Be brief."));
			assertThat(listeners.actionsOf("setActiveTools"))
				.containsExactly(new HostAction.SetActiveTools(List.of("echo", "fail")));
			assertThat(listeners.actionsOf("injectUserMessage"))
				.containsExactly(new HostAction.InjectUserMessage("continue"));
			assertThat(listeners.actionsOf("stopAfterTurn")).containsExactly(new HostAction.StopAfterTurn(true));
			assertThat(listeners.actionsOf("emitCustom")).containsExactly(new HostAction.EmitCustom("{\"k\":1}"));
			assertThat(listeners.actionsOf("setUiHeader"))
				.containsExactly(new HostAction.SetUiHeader(new UiHeader("anthropic", null)));
			assertThat(listeners.actionsOf("setUiStatus")).containsExactly(new HostAction.SetUiStatus("thinking"));
			// a wildcard hears every accepted action, in dispatch order
			assertThat(listeners.actionsOf("anyAccepted")).isEqualTo(dispatch.actions());
			// the type argument is the concrete action type: <HostAction> itself matches none
			assertThat(listeners.received).doesNotContainKey("hostActionTypeArgument");
			assertThat(listeners.received).doesNotContainKeys("rejected", "failed");
			assertThat(listeners.received.get("anyOutcome")).hasSize(9).allSatisfy((event) -> {
				assertThat(event).isInstanceOf(HookActionAcceptedEvent.class);
				assertThat(event.getPlugin()).isEqualTo("orchestrator");
				assertThat(event.getPoint()).isEqualTo(HookPoint.SHOULD_STOP_AFTER_TURN);
				assertThat(event.getDispatchId()).isEqualTo(dispatch.id());
			});
			assertThat(listeners.received.get("anyOutcome")).extracting(HookOutcomeEvent::getOutcome)
				.isEqualTo(dispatch.outcomes());
		});
	}

	@Test
	void rejectedActionsArePublishedWithTheirReasons() {
		runner.run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);

			HookDispatch dispatch = context.getBean(HookDispatcher.class)
				.dispatch(HookPoint.PREPARE_NEXT_TURN, "{\"case\":\"invalid\"}");

			assertThat(listeners.received).doesNotContainKeys("anyAccepted", "failed");
			assertThat(listeners.received.get("rejected")).map(HookActionRejectedEvent.class::cast)
				.allSatisfy((event) -> {
					assertThat(event.getPlugin()).isEqualTo("orchestrator");
					assertThat(event.getPoint()).isEqualTo(HookPoint.PREPARE_NEXT_TURN);
					assertThat(event.getDispatchId()).isEqualTo(dispatch.id());
				})
				.extracting(HookActionRejectedEvent::getAction, HookActionRejectedEvent::getReason)
				.containsExactly(
						tuple(new HostAction.SwitchRole("nobody"),
								"role 'nobody' is not declared by plugin 'orchestrator' (declared: 'planner', 'coder')"),
						tuple(new HostAction.SetActiveTools(List.of("echo", "nope")),
								"unknown tool 'nope'; the whole tool set is refused"),
						tuple(new HostAction.EmitCustom("{not json"),
								"emit-custom payload is not valid JSON: Unexpected character ('n' (code 110)): "
										+ "was expecting double-quote to start field name (line 1, column 2)"),
						tuple(new HostAction.StopAfterTurn(false),
								"stop-after-turn is only honoured from 'should-stop-after-turn', not from "
										+ "'prepare-next-turn'"),
						tuple(new HostAction.SwitchModel(""), "model id is blank"),
						tuple(new HostAction.SetSystemPrompt("p".repeat(10000)),
								"system prompt of 10000 bytes exceeds the cap of 8192 bytes"));
		});
	}

	@Test
	void aTrappingPluginIsReportedByEventAndLogWhileTheOthersDeliver(CapturedOutput output) {
		runner.run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);

			HookDispatch dispatch = context.getBean(HookDispatcher.class)
				.dispatch(HookPoint.BEFORE_AGENT_START, "{\"case\":\"trap\"}");

			assertThat(dispatch.plugins()).containsExactly("hostile", "orchestrator");
			assertThat(listeners.received.get("anyOutcome")).extracting((event) -> event.getClass().getSimpleName(),
					HookOutcomeEvent::getPlugin)
				.containsExactly(tuple("HookCallFailedEvent", "hostile"),
						tuple("HookActionAcceptedEvent", "orchestrator"));
			assertThat(listeners.received.get("failed")).map(HookCallFailedEvent.class::cast)
				.singleElement()
				.satisfies((failed) -> {
					assertThat(failed.getKind()).isEqualTo(HookCallFailed.Kind.TRAP);
					assertThat(failed.getMessage()).contains("function 'grain:plugin/orchestration#call-hook' trapped");
					assertThat(failed.getCause()).isInstanceOf(GuestTrapException.class);
					assertThat(failed.getDispatchId()).isEqualTo(dispatch.id());
				});
			assertThat(listeners.actionsOf("switchRole")).containsExactly(new HostAction.SwitchRole("planner"));
			assertThat(output).contains("WARN")
				.contains("Hook call of plugin 'hostile' at 'before-agent-start' failed (TRAP, dispatch " + dispatch.id());
		});
	}

	@Test
	void aHookReturningErrIsReportedByEvent() {
		runner.run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);

			context.getBean(HookDispatcher.class).dispatch(HookPoint.AFTER_TOOL_CALL, "{\"case\":\"err\"}");

			assertThat(listeners.received.get("failed")).map(HookCallFailedEvent.class::cast)
				.extracting(HookCallFailedEvent::getPlugin, HookCallFailedEvent::getKind, HookCallFailedEvent::getMessage)
				.containsExactly(tuple("orchestrator", HookCallFailed.Kind.GUEST_ERROR, "hook failed on request"));
			assertThat(listeners.received).doesNotContainKeys("anyAccepted", "rejected");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

	}

	/** One listener per action kind, plus the broad ones; each records what it hears. */
	static class Listeners {

		final Map<String, List<HookOutcomeEvent>> received = new LinkedHashMap<>();

		List<HostAction> actionsOf(String listener) {
			return this.received.getOrDefault(listener, List.of())
				.stream()
				.<HostAction>map((event) -> ((HookActionAcceptedEvent<?>) event).getAction())
				.toList();
		}

		private void record(String listener, HookOutcomeEvent event) {
			this.received.computeIfAbsent(listener, (key) -> new ArrayList<>()).add(event);
		}

		@EventListener
		void switchRole(HookActionAcceptedEvent<HostAction.SwitchRole> event) {
			record("switchRole", event);
		}

		@EventListener
		void switchModel(HookActionAcceptedEvent<HostAction.SwitchModel> event) {
			record("switchModel", event);
		}

		@EventListener
		void setSystemPrompt(HookActionAcceptedEvent<HostAction.SetSystemPrompt> event) {
			record("setSystemPrompt", event);
		}

		@EventListener
		void setActiveTools(HookActionAcceptedEvent<HostAction.SetActiveTools> event) {
			record("setActiveTools", event);
		}

		@EventListener
		void injectUserMessage(HookActionAcceptedEvent<HostAction.InjectUserMessage> event) {
			record("injectUserMessage", event);
		}

		@EventListener
		void stopAfterTurn(HookActionAcceptedEvent<HostAction.StopAfterTurn> event) {
			record("stopAfterTurn", event);
		}

		@EventListener
		void emitCustom(HookActionAcceptedEvent<HostAction.EmitCustom> event) {
			record("emitCustom", event);
		}

		@EventListener
		void setUiHeader(HookActionAcceptedEvent<HostAction.SetUiHeader> event) {
			record("setUiHeader", event);
		}

		@EventListener
		void setUiStatus(HookActionAcceptedEvent<HostAction.SetUiStatus> event) {
			record("setUiStatus", event);
		}

		@EventListener
		void anyAccepted(HookActionAcceptedEvent<?> event) {
			record("anyAccepted", event);
		}

		@EventListener
		void hostActionTypeArgument(HookActionAcceptedEvent<HostAction> event) {
			record("hostActionTypeArgument", event);
		}

		@EventListener
		void rejected(HookActionRejectedEvent event) {
			record("rejected", event);
		}

		@EventListener
		void failed(HookCallFailedEvent event) {
			record("failed", event);
		}

		@EventListener
		void anyOutcome(HookOutcomeEvent event) {
			record("anyOutcome", event);
		}

	}

}
