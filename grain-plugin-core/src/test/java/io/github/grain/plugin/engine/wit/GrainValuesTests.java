package io.github.grain.plugin.engine.wit;

import static io.github.grain.plugin.engine.abi.VariantValue.err;
import static io.github.grain.plugin.engine.abi.VariantValue.none;
import static io.github.grain.plugin.engine.abi.VariantValue.ok;
import static io.github.grain.plugin.engine.abi.VariantValue.some;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.abi.AbiContext;
import io.github.grain.plugin.engine.abi.BumpRealloc;
import io.github.grain.plugin.engine.abi.CanonicalAbi;
import io.github.grain.plugin.engine.abi.GuestMemory;
import io.github.grain.plugin.engine.abi.VariantValue;
import io.github.grain.plugin.engine.abi.WitType;
import io.github.grain.plugin.engine.host.HttpOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lifted WIT values to the typed records of the {@code wit} package, and back.
 */
class GrainValuesTests {

	@Test
	void pluginInfoFromRecord() {
		assertThat(GrainValues.pluginInfo(List.of("demo", "1.2.3"))).isEqualTo(new PluginInfo("demo", "1.2.3"));
	}

	@Test
	void toolDefsFromListInOrder() {
		Object lifted = List.of(List.of("echo", "Echo", "Echoes its input", "{\"type\":\"object\"}"),
				List.of("b", "", "", "{}"));
		assertThat(GrainValues.toolDefs(lifted)).containsExactly(
				new ToolDef("echo", "Echo", "Echoes its input", "{\"type\":\"object\"}"), new ToolDef("b", "", "", "{}"));
	}

	@Test
	void toolResultFromRecord() {
		assertThat(GrainValues.toolResult(List.of("{\"e\":1}", true))).isEqualTo(new ToolCallResult("{\"e\":1}", true));
		assertThat(GrainValues.toolResult(List.of("[]", false))).isEqualTo(new ToolCallResult("[]", false));
	}

	static Stream<Arguments> roleDefs() {
		return Stream.of(
				arguments(List.of("planner", "gpt-x", "Plan.", List.of("read", "write"), some("high")),
						new RoleDef("planner", "gpt-x", "Plan.", List.of("read", "write"), "high")),
				arguments(List.of("r", "m", "", List.of(), none()), new RoleDef("r", "m", "", List.of(), null)));
	}

	@ParameterizedTest
	@MethodSource("roleDefs")
	void roleDefWithOrWithoutThinkingLevel(Object lifted, RoleDef expected) {
		assertThat(GrainValues.roleDef(lifted)).isEqualTo(expected);
		assertThat(GrainValues.roleDefs(List.of(lifted))).containsExactly(expected);
	}

	static Stream<Arguments> hookDefs() {
		return Stream.of(
				arguments(0, HookPoint.BEFORE_AGENT_START, "before-agent-start"),
				arguments(1, HookPoint.AFTER_TOOL_CALL, "after-tool-call"),
				arguments(2, HookPoint.PREPARE_NEXT_TURN, "prepare-next-turn"),
				arguments(3, HookPoint.SHOULD_STOP_AFTER_TURN, "should-stop-after-turn"));
	}

	@ParameterizedTest(name = "{2}")
	@MethodSource("hookDefs")
	void hookDefMapsTheDiscriminantToTheHookPoint(int discriminant, HookPoint point, String witName) {
		Object lifted = List.of(new VariantValue(discriminant, null), "my-hook");
		assertThat(GrainValues.hookDef(lifted)).isEqualTo(new HookDef(point, "my-hook"));
		assertThat(GrainValues.hookDefs(List.of(lifted))).containsExactly(new HookDef(point, "my-hook"));
		assertThat(point.witName()).isEqualTo(witName);
		assertThat(HookPoint.fromWitName(witName)).isEqualTo(point);
		assertThat(((WitType.VariantType) GrainTypes.HOOK_POINT).cases()
			.get(discriminant)
			.name()).isEqualTo(witName);
	}

	static Stream<Arguments> hostActions() {
		return Stream.of(
				arguments(new VariantValue(0, "reviewer"), new HostAction.SwitchRole("reviewer"), "switch-role"),
				arguments(new VariantValue(1, "m-1"), new HostAction.SwitchModel("m-1"), "switch-model"),
				arguments(new VariantValue(2, "Be brief."), new HostAction.SetSystemPrompt("Be brief."),
						"set-system-prompt"),
				arguments(new VariantValue(3, List.of("a", "b")), new HostAction.SetActiveTools(List.of("a", "b")),
						"set-active-tools"),
				arguments(new VariantValue(3, List.of()), new HostAction.SetActiveTools(List.of()), "set-active-tools"),
				arguments(new VariantValue(4, "go on"), new HostAction.InjectUserMessage("go on"),
						"inject-user-message"),
				arguments(new VariantValue(5, true), new HostAction.StopAfterTurn(true), "stop-after-turn"),
				arguments(new VariantValue(5, false), new HostAction.StopAfterTurn(false), "stop-after-turn"),
				arguments(new VariantValue(6, "{\"x\":1}"), new HostAction.EmitCustom("{\"x\":1}"), "emit-custom"),
				arguments(new VariantValue(7, List.of(some("p"), some("m"))),
						new HostAction.SetUiHeader(new UiHeader("p", "m")), "set-ui-header"),
				arguments(new VariantValue(7, List.of(none(), none())),
						new HostAction.SetUiHeader(new UiHeader(null, null)), "set-ui-header"),
				arguments(new VariantValue(7, List.of(some("p"), none())),
						new HostAction.SetUiHeader(new UiHeader("p", null)), "set-ui-header"),
				arguments(new VariantValue(7, List.of(none(), some("m"))),
						new HostAction.SetUiHeader(new UiHeader(null, "m")), "set-ui-header"),
				arguments(new VariantValue(8, "busy"), new HostAction.SetUiStatus("busy"), "set-ui-status"));
	}

	@ParameterizedTest(name = "{2}: {1}")
	@MethodSource("hostActions")
	void hostActionFromEveryCase(VariantValue lifted, HostAction expected, String kind) {
		HostAction action = GrainValues.hostAction(lifted);
		assertThat(action).isEqualTo(expected);
		assertThat(action.kind()).isEqualTo(kind);
		assertThat(((WitType.VariantType) GrainTypes.HOST_ACTION).cases()
			.get(lifted.caseIndex())
			.name()).as("case name at the discriminant").isEqualTo(kind);
	}

	@Test
	void hostActionsKeepTheGuestsOrder() {
		List<Object> lifted = List.of(new VariantValue(8, "s"), new VariantValue(0, "r"));
		assertThat(GrainValues.hostActions(lifted)).containsExactly(new HostAction.SetUiStatus("s"),
				new HostAction.SwitchRole("r"));
	}

	@Test
	void optionStringBothWays() {
		assertThat(GrainValues.optionString(some("x"))).isEqualTo("x");
		assertThat(GrainValues.optionString(none())).isNull();
		assertThat(GrainValues.optionString(null)).isNull();
		assertThat(GrainValues.toOption("x")).isEqualTo(some("x"));
		assertThat(GrainValues.toOption(null)).isEqualTo(none());
	}

	@Test
	void headersFromListOfTuples() {
		Object lifted = List.of(List.of("a", "1"), List.of("a", "2"), List.of("b", ""));
		assertThat(GrainValues.headers(lifted)).containsExactly(Map.entry("a", "1"), Map.entry("a", "2"),
				Map.entry("b", ""));
	}

	static Stream<Arguments> httpOutcomes() {
		return Stream.of(
				arguments(new HttpOutcome.Response(200, List.of(Map.entry("content-type", "text/plain")), "hi"),
						ok(List.of(200, List.of(List.of("content-type", "text/plain")), "hi"))),
				arguments(new HttpOutcome.Response(0xFFFF, List.of(), ""), ok(List.of(0xFFFF, List.of(), ""))),
				arguments(new HttpOutcome.Failure("http capability not granted"), err("http capability not granted")));
	}

	@ParameterizedTest
	@MethodSource("httpOutcomes")
	void httpOutcomeBecomesAResultValue(HttpOutcome outcome, VariantValue expected) {
		assertThat(outcome.toWitResult()).isEqualTo(expected);
	}

	@ParameterizedTest
	@MethodSource("httpOutcomes")
	void httpResultValueStoresAndLoadsAsTheWitType(HttpOutcome outcome, VariantValue expected) {
		AbiContext cx = new AbiContext(GuestMemory.of(new byte[1024]), new BumpRealloc(256), 1024);
		CanonicalAbi.store(cx, GrainTypes.HTTP_RESULT, outcome.toWitResult(), 0);
		assertThat(CanonicalAbi.load(cx, GrainTypes.HTTP_RESULT, 0)).isEqualTo(expected);
	}

	@Test
	void roleDefToolsAreCopied() {
		ArrayList<String> tools = new ArrayList<>(List.of("a"));
		RoleDef role = new RoleDef("r", "m", "p", tools, null);
		tools.add("b");
		assertThat(role.tools()).containsExactly("a");
	}

}
