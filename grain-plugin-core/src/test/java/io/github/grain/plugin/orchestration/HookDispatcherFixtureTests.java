package io.github.grain.plugin.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.engine.wit.ToolDef;
import io.github.grain.plugin.engine.wit.UiHeader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dispatcher over the real v2 fixtures (see {@code plugins/README.md}): every action
 * kind from guest to listener, the {@code invalid} case's rejections, guest failures
 * beside a healthy plugin, subscription and discovery order.
 */
@Tag("runtime")
class HookDispatcherFixtureTests {

	private static final Set<Capability> ORCHESTRATION = Set.of(Capability.ROLE_ORCHESTRATION);

	private static PluginEngine engine;

	private static LoadedPlugin v2;

	private static LoadedPlugin v2Standard;

	private static LoadedPlugin hostile;

	private static LoadedPlugin v1;

	private static LoadedPlugin v2WithoutCapability;

	private final RecordingHookListener listener = new RecordingHookListener();

	@BeforeAll
	static void load() {
		engine = new PluginEngine(Fixtures.options().withCallTimeout(Duration.ofMillis(300)));
		v2 = engine.load(Fixtures.core("v2-legacy", ORCHESTRATION));
		v2Standard = engine.load(Fixtures.core("v2-standard", ORCHESTRATION));
		hostile = engine.load(Fixtures.core("hostile-v2", ORCHESTRATION));
		v1 = engine.load(Fixtures.core("v1-legacy", EnumSet.allOf(Capability.class)));
		v2WithoutCapability = engine.load(Fixtures.spec("v2-plain", "core/v2-legacy.wasm", Set.of(), Map.of()));
	}

	@AfterAll
	static void close() {
		engine.close();
	}

	/** Known tools as the tool registry would know them: every loaded plugin's tools. */
	private static boolean knownTool(String name) {
		return List.of(v2, v1, hostile).stream().flatMap((plugin) -> plugin.tools().stream()).map(ToolDef::name)
			.anyMatch(name::equals);
	}

	private HookDispatcher dispatcher(LoadedPlugin... plugins) {
		return new HookDispatcher(List.of(plugins), new HostActionValidator(HookDispatcherFixtureTests::knownTool),
				this.listener);
	}

	@ParameterizedTest
	@ValueSource(strings = { "v2-legacy", "v2-standard" })
	void everyActionKindTravelsFromTheGuestToTheListener(String fixture) {
		LoadedPlugin plugin = fixture.equals("v2-legacy") ? v2 : v2Standard;

		HookDispatch dispatch = dispatcher(plugin).dispatch(HookPoint.SHOULD_STOP_AFTER_TURN, "{\"case\":\"all\"}");

		List<HostAction> all = List.of(new HostAction.SwitchRole("planner"), new HostAction.SwitchModel("openai/gpt-5"),
				new HostAction.SetSystemPrompt("Be brief."), new HostAction.SetActiveTools(List.of("echo", "fail")),
				new HostAction.InjectUserMessage("continue"), new HostAction.StopAfterTurn(true),
				new HostAction.EmitCustom("{\"k\":1}"), new HostAction.SetUiHeader(new UiHeader("anthropic", null)),
				new HostAction.SetUiStatus("thinking"));
		assertThat(dispatch.actions()).isEqualTo(all);
		assertThat(dispatch.rejected()).isEmpty();
		assertThat(dispatch.failures()).isEmpty();
		assertThat(this.listener.outcomes).isEqualTo(dispatch.outcomes());
		assertThat(this.listener.outcomes).allSatisfy((outcome) -> {
			assertThat(outcome).isInstanceOf(HookActionAccepted.class);
			assertThat(outcome.plugin()).isEqualTo(fixture);
			assertThat(outcome.point()).isEqualTo(HookPoint.SHOULD_STOP_AFTER_TURN);
			assertThat(outcome.dispatchId()).isEqualTo(dispatch.id());
		});
		assertThat(dispatch.accepted()).<Class<?>>extracting(HookActionAccepted::actionType)
			.containsExactly(HostAction.SwitchRole.class, HostAction.SwitchModel.class,
					HostAction.SetSystemPrompt.class, HostAction.SetActiveTools.class,
					HostAction.InjectUserMessage.class, HostAction.StopAfterTurn.class, HostAction.EmitCustom.class,
					HostAction.SetUiHeader.class, HostAction.SetUiStatus.class);
	}

	@Test
	void theInvalidCaseYieldsExactlyTheExpectedRejections() {
		HookDispatch dispatch = dispatcher(v2).dispatch(HookPoint.PREPARE_NEXT_TURN, "{\"case\":\"invalid\"}");

		assertThat(dispatch.accepted()).isEmpty();
		assertThat(dispatch.failures()).isEmpty();
		assertThat(dispatch.rejected()).extracting(HookActionRejected::action, HookActionRejected::reason)
			.containsExactly(
					tuple(new HostAction.SwitchRole("nobody"),
							"role 'nobody' is not declared by plugin 'v2-legacy' (declared: 'planner', 'coder')"),
					tuple(new HostAction.SetActiveTools(List.of("echo", "nope")),
							"unknown tool 'nope'; the whole tool set is refused"),
					tuple(new HostAction.EmitCustom("{not json"),
							"emit-custom payload is not valid JSON: Unexpected character ('n' (code 110)): "
									+ "was expecting double-quote to start field name (line 1, column 2)"),
					tuple(new HostAction.StopAfterTurn(false),
							"stop-after-turn is only honoured from 'should-stop-after-turn', not from 'prepare-next-turn'"),
					tuple(new HostAction.SwitchModel(""), "model id is blank"),
					tuple(new HostAction.SetSystemPrompt("p".repeat(10000)),
							"system prompt of 10000 bytes exceeds the cap of 8192 bytes"));
		assertThat(this.listener.callbacks).containsExactly("rejected v2-legacy switch-role",
				"rejected v2-legacy set-active-tools", "rejected v2-legacy emit-custom",
				"rejected v2-legacy stop-after-turn", "rejected v2-legacy switch-model",
				"rejected v2-legacy set-system-prompt");
	}

	@Test
	void theInvalidCaseAtShouldStopKeepsItsStopAfterTurn() {
		HookDispatch dispatch = dispatcher(v2).dispatch(HookPoint.SHOULD_STOP_AFTER_TURN, "{\"case\":\"invalid\"}");

		assertThat(dispatch.actions()).containsExactly(new HostAction.StopAfterTurn(false));
		assertThat(dispatch.rejected()).extracting((rejected) -> rejected.action().kind())
			.containsExactly("switch-role", "set-active-tools", "emit-custom", "switch-model", "set-system-prompt");
	}

	@Test
	void eachPointGetsItsDefaultActionsValidatedForThatPoint() {
		HookDispatcher dispatcher = dispatcher(v2);

		assertThat(dispatcher.dispatch(HookPoint.BEFORE_AGENT_START, "{}").actions())
			.containsExactly(new HostAction.SwitchRole("planner"));
		assertThat(dispatcher.dispatch(HookPoint.AFTER_TOOL_CALL, "{}").actions())
			.containsExactly(new HostAction.EmitCustom("{\"point\":\"after-tool-call\"}"));
		HookDispatch prepare = dispatcher.dispatch(HookPoint.PREPARE_NEXT_TURN, "{}");
		assertThat(prepare.actions()).containsExactly(new HostAction.InjectUserMessage("next"));
		assertThat(prepare.rejected()).extracting(HookActionRejected::reason)
			.containsExactly("stop-after-turn is only honoured from 'should-stop-after-turn', not from 'prepare-next-turn'");
		assertThat(dispatcher.dispatch(HookPoint.SHOULD_STOP_AFTER_TURN, "{}").actions())
			.containsExactly(new HostAction.StopAfterTurn(true));
	}

	@Test
	void aGuestErrIsAFailureAndTheNextPluginStillDelivers() {
		FakePlugin healthy = FakePlugin.returning("healthy", new HostAction.SetUiStatus("still here"));

		HookDispatch dispatch = dispatcher(v2, healthy).dispatch(HookPoint.AFTER_TOOL_CALL, "{\"case\":\"err\"}");

		assertThat(dispatch.failures()).containsExactly(new HookCallFailed(dispatch.id(), "v2-legacy",
				HookPoint.AFTER_TOOL_CALL, HookCallFailed.Kind.GUEST_ERROR, "hook failed on request", null));
		assertThat(dispatch.actions()).containsExactly(new HostAction.SetUiStatus("still here"));
		assertThat(this.listener.callbacks).containsExactly("failed v2-legacy GUEST_ERROR",
				"accepted healthy set-ui-status");
	}

	@Test
	void aTrappingPluginIsAFailureAndTheHealthyOnesStillDeliver() {
		HookDispatch dispatch = dispatcher(v2, hostile, v2Standard).dispatch(HookPoint.BEFORE_AGENT_START,
				"{\"case\":\"trap\"}");

		assertThat(dispatch.plugins()).containsExactly("v2-legacy", "hostile-v2", "v2-standard");
		assertThat(dispatch.failures()).singleElement().satisfies((failed) -> {
			assertThat(failed.plugin()).isEqualTo("hostile-v2");
			assertThat(failed.kind()).isEqualTo(HookCallFailed.Kind.TRAP);
			assertThat(failed.message()).contains("function 'grain:plugin/orchestration#call-hook' trapped");
		});
		assertThat(this.listener.callbacks).containsExactly("accepted v2-legacy switch-role", "failed hostile-v2 TRAP",
				"accepted v2-standard switch-role");
	}

	@Test
	void aLoopingPluginIsStoppedAtItsDeadlineAndTheHealthyOnesStillDeliver() {
		HookDispatch dispatch = dispatcher(hostile, v2).dispatch(HookPoint.BEFORE_AGENT_START, "{\"case\":\"loop\"}");

		assertThat(dispatch.failures()).singleElement().satisfies((failed) -> {
			assertThat(failed.plugin()).isEqualTo("hostile-v2");
			assertThat(failed.kind()).isEqualTo(HookCallFailed.Kind.DEADLINE);
			assertThat(failed.message()).contains("ran past its deadline");
		});
		assertThat(dispatch.accepted()).singleElement().satisfies((accepted) -> {
			assertThat(accepted.plugin()).isEqualTo("v2-legacy");
			assertThat(accepted.action()).isEqualTo(new HostAction.SwitchRole("planner"));
		});
	}

	@Test
	void v1PluginsAndV2PluginsWithoutTheCapabilityAreSkipped() {
		HookDispatch dispatch = dispatcher(v1, v2WithoutCapability, v2).dispatch(HookPoint.BEFORE_AGENT_START, "{}");

		assertThat(dispatch.plugins()).containsExactly("v2-legacy");
		assertThat(dispatch.failures()).isEmpty();
		assertThat(dispatch.actions()).containsExactly(new HostAction.SwitchRole("planner"));
	}

	@Test
	void pluginsAreCalledInDiscoveryOrder() {
		try (LoadedPlugin first = engine.load(Fixtures.spec("first", "core/v2-legacy.wasm", ORCHESTRATION, Map.of()));
				LoadedPlugin second = engine
					.load(Fixtures.spec("second", "core/v2-legacy.wasm", ORCHESTRATION, Map.of()))) {
			HookDispatch forward = dispatcher(first, second).dispatch(HookPoint.PREPARE_NEXT_TURN, "{}");
			assertThat(forward.outcomes()).extracting(HookOutcome::plugin)
				.containsExactly("first", "first", "second", "second");

			HookDispatch backward = dispatcher(second, first).dispatch(HookPoint.PREPARE_NEXT_TURN, "{}");
			assertThat(backward.outcomes()).extracting(HookOutcome::plugin)
				.containsExactly("second", "second", "first", "first");
		}
	}

}
