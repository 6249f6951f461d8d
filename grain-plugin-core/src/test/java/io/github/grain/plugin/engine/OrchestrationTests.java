package io.github.grain.plugin.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.LoadedPlugin.HookResult;
import io.github.grain.plugin.engine.wit.HookDef;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.engine.wit.PluginInfo;
import io.github.grain.plugin.engine.wit.RoleDef;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import io.github.grain.plugin.engine.wit.UiHeader;
import io.github.grain.plugin.engine.wit.WorldKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The v2 fixtures, both manglings: roles, hooks and every host-action case lifted.
 */
@Tag("runtime")
class OrchestrationTests {

	private static PluginEngine engine;

	@BeforeAll
	static void start() {
		engine = new PluginEngine(Fixtures.options());
	}

	@AfterAll
	static void stop() {
		engine.close();
	}

	private static LoadedPlugin load(String fixture, Set<Capability> capabilities) {
		return engine.load(Fixtures.core(fixture, capabilities));
	}

	@ParameterizedTest
	@ValueSource(strings = { "v2-legacy", "v2-standard" })
	void readsRolesAndHooksWithTheCapability(String fixture) {
		try (LoadedPlugin plugin = load(fixture, Set.of(Capability.ROLE_ORCHESTRATION))) {
			assertThat(plugin.world()).isEqualTo(WorldKind.V2);
			assertThat(plugin.info()).isEqualTo(new PluginInfo("fixture-v2", "2.0.0"));
			assertThat(plugin.tools()).extracting("name").containsExactly("echo", "fail");
			assertThat(plugin.roles()).containsExactly(
					new RoleDef("planner", "anthropic/claude-sonnet-4", "You plan.", List.of("echo"), "high"),
					new RoleDef("coder", "openai/gpt-5", "You code.", List.of(), null));
			assertThat(plugin.hooks()).containsExactly(new HookDef(HookPoint.BEFORE_AGENT_START, "start"),
					new HookDef(HookPoint.AFTER_TOOL_CALL, "after"), new HookDef(HookPoint.PREPARE_NEXT_TURN, "prepare"),
					new HookDef(HookPoint.SHOULD_STOP_AFTER_TURN, "stop"));
			assertThat(plugin.callTool("echo", "{\"a\":1}")).isEqualTo(new ToolCallResult("{\"a\":1}", false));
		}
	}

	@Test
	void withoutTheCapabilityOrchestrationIsNeitherReadNorCalled() {
		try (LoadedPlugin plugin = load("v2-legacy", Set.of())) {
			assertThat(plugin.world()).isEqualTo(WorldKind.V2);
			assertThat(plugin.roles()).isEmpty();
			assertThat(plugin.hooks()).isEmpty();
			assertThatThrownBy(() -> plugin.callHook(HookPoint.BEFORE_AGENT_START, "{}"))
				.isInstanceOf(GrainPluginException.class)
				.hasMessage("plugin 'v2-legacy' has no hooks: capability 'role-orchestration' not granted");
		}
		try (LoadedPlugin v1 = load("v1-legacy", EnumSet.allOf(Capability.class))) {
			assertThatThrownBy(() -> v1.callHook(HookPoint.BEFORE_AGENT_START, "{}"))
				.hasMessage("plugin 'v1-legacy' has no hooks: it is a v1 plugin");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "v2-legacy", "v2-standard" })
	void everyHostActionCaseIsLiftedInOrder(String fixture) {
		try (LoadedPlugin plugin = load(fixture, Set.of(Capability.ROLE_ORCHESTRATION))) {
			assertThat(plugin.callHook(HookPoint.AFTER_TOOL_CALL, "{\"case\":\"all\"}"))
				.isEqualTo(new HookResult.Actions(List.of(new HostAction.SwitchRole("planner"),
						new HostAction.SwitchModel("openai/gpt-5"), new HostAction.SetSystemPrompt("Be brief."),
						new HostAction.SetActiveTools(List.of("echo", "fail")),
						new HostAction.InjectUserMessage("continue"), new HostAction.StopAfterTurn(true),
						new HostAction.EmitCustom("{\"k\":1}"),
						new HostAction.SetUiHeader(new UiHeader("anthropic", null)),
						new HostAction.SetUiStatus("thinking"))));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "v2-legacy", "v2-standard" })
	void optionsNoneAndSomeErrAndEmptyResults(String fixture) {
		try (LoadedPlugin plugin = load(fixture, Set.of(Capability.ROLE_ORCHESTRATION))) {
			assertThat(plugin.callHook(HookPoint.PREPARE_NEXT_TURN, "{\"case\":\"header-none\"}"))
				.isEqualTo(new HookResult.Actions(List.of(new HostAction.SetUiHeader(new UiHeader(null, null)))));
			assertThat(plugin.callHook(HookPoint.PREPARE_NEXT_TURN, "{\"case\":\"header-some\"}"))
				.isEqualTo(new HookResult.Actions(List.of(new HostAction.SetUiHeader(new UiHeader("openai", "gpt-5")))));
			assertThat(plugin.callHook(HookPoint.PREPARE_NEXT_TURN, "{\"case\":\"err\"}"))
				.isEqualTo(new HookResult.Error("hook failed on request"));
			assertThat(plugin.callHook(HookPoint.PREPARE_NEXT_TURN, "{\"case\":\"empty\"}"))
				.isEqualTo(new HookResult.Actions(List.of()));
		}
	}

	@Test
	void theHookPointReachesTheGuest() {
		try (LoadedPlugin plugin = load("v2-standard", Set.of(Capability.ROLE_ORCHESTRATION))) {
			assertThat(plugin.callHook(HookPoint.BEFORE_AGENT_START, "{}"))
				.isEqualTo(new HookResult.Actions(List.of(new HostAction.SwitchRole("planner"))));
			assertThat(plugin.callHook(HookPoint.AFTER_TOOL_CALL, "{}")).isEqualTo(new HookResult.Actions(
					List.of(new HostAction.EmitCustom("{\"point\":\"after-tool-call\"}"))));
			assertThat(plugin.callHook(HookPoint.PREPARE_NEXT_TURN, "{}")).isEqualTo(new HookResult.Actions(
					List.of(new HostAction.InjectUserMessage("next"), new HostAction.StopAfterTurn(true))));
			assertThat(plugin.callHook(HookPoint.SHOULD_STOP_AFTER_TURN, "{}"))
				.isEqualTo(new HookResult.Actions(List.of(new HostAction.StopAfterTurn(true))));
		}
	}

	@Test
	void initErrAbortsV2Loading() {
		assertThatThrownBy(() -> engine.load(Fixtures.spec("v2-legacy", "core/v2-legacy.wasm",
				Set.of(Capability.ENV, Capability.ROLE_ORCHESTRATION), Map.of("GRAIN_FAIL_INIT", "1"))))
			.isInstanceOf(PluginInitException.class)
			.hasMessageContaining("init failed on request");
	}

}
