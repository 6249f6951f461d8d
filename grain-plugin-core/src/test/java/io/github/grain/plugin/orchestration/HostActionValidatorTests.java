package io.github.grain.plugin.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.engine.wit.RoleDef;
import io.github.grain.plugin.engine.wit.UiHeader;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rule of {@link HostActionValidator}, as a table: action, point → accepted or the
 * exact reason.
 */
class HostActionValidatorTests {

	private static final Set<String> TOOLS = Set.of("echo", "fail");

	private static final Set<String> MODELS = Set.of("anthropic/claude-sonnet-4", "openai/gpt-5");

	private static final FakePlugin PLUGIN = FakePlugin.withRoles("fake",
			new RoleDef("planner", "anthropic/claude-sonnet-4", "You plan.", List.of("echo"), "high"),
			new RoleDef("coder", "openai/gpt-5", "You code.", List.of(), null),
			new RoleDef("dreamer", "acme/imaginary-1", "You dream.", List.of(), null),
			new RoleDef("nameless", " ", "You are nobody.", List.of(), null),
			new RoleDef("hoarder", "openai/gpt-5", "You hoard.", List.of("echo", "shell", "rm", "shell"), null),
			new RoleDef("shouter", "openai/gpt-5", "You shout.", List.of(), "HIGH"),
			new RoleDef("overthinker", "openai/gpt-5", "You think.", List.of(), "maximum"),
			new RoleDef("talker", "openai/gpt-5", "t".repeat(8 * 1024 + 1), List.of(), null),
			new RoleDef("wreck", "", "w".repeat(9000), List.of("nope"), "extreme"));

	private static final HostActionValidator validator = new HostActionValidator(TOOLS::contains, MODELS::contains,
			HostActionLimits.defaults());

	static Stream<Arguments> rules() {
		HookPoint after = HookPoint.AFTER_TOOL_CALL;
		return Stream.of(
				// switch-role: declared, with a valid model, known tools, a known thinking level, a prompt within the cap
				row(after, new HostAction.SwitchRole("planner"), null),
				row(after, new HostAction.SwitchRole("coder"), null),
				row(after, new HostAction.SwitchRole("nobody"),
						"role 'nobody' is not declared by plugin 'fake' (declared: 'planner', 'coder', 'dreamer', "
								+ "'nameless', 'hoarder', 'shouter', 'overthinker', 'talker', 'wreck')"),
				row(after, new HostAction.SwitchRole("Planner"), "role 'Planner' is not declared by plugin 'fake'…"),
				row(after, new HostAction.SwitchRole("dreamer"),
						"role 'dreamer' of plugin 'fake' is invalid: model 'acme/imaginary-1' is not in the model catalogue"),
				row(after, new HostAction.SwitchRole("nameless"),
						"role 'nameless' of plugin 'fake' is invalid: model id is blank"),
				row(after, new HostAction.SwitchRole("hoarder"),
						"role 'hoarder' of plugin 'fake' is invalid: unknown tools 'shell', 'rm'"),
				row(after, new HostAction.SwitchRole("shouter"),
						"role 'shouter' of plugin 'fake' is invalid: thinking level 'HIGH' is not one of off, minimal, low, medium, high, xhigh"),
				row(after, new HostAction.SwitchRole("overthinker"),
						"role 'overthinker' of plugin 'fake' is invalid: thinking level 'maximum' is not one of off, minimal, low, medium, high, xhigh"),
				row(after, new HostAction.SwitchRole("talker"),
						"role 'talker' of plugin 'fake' is invalid: prompt of 8193 bytes exceeds the cap of 8192 bytes"),
				row(after, new HostAction.SwitchRole("wreck"),
						"role 'wreck' of plugin 'fake' is invalid: model id is blank; unknown tool 'nope'; "
								+ "thinking level 'extreme' is not one of off, minimal, low, medium, high, xhigh; "
								+ "prompt of 9000 bytes exceeds the cap of 8192 bytes"),
				// switch-model: non-blank and in the catalogue
				row(after, new HostAction.SwitchModel("openai/gpt-5"), null),
				row(after, new HostAction.SwitchModel(""), "model id is blank"),
				row(after, new HostAction.SwitchModel(" \t"), "model id is blank"),
				row(after, new HostAction.SwitchModel("openai/gpt-6"), "model 'openai/gpt-6' is not in the model catalogue"),
				// set-active-tools: all known, or nothing
				row(after, new HostAction.SetActiveTools(List.of("echo", "fail")), null),
				row(after, new HostAction.SetActiveTools(List.of()), null),
				row(after, new HostAction.SetActiveTools(List.of("echo", "nope")),
						"unknown tool 'nope'; the whole tool set is refused"),
				row(after, new HostAction.SetActiveTools(List.of("shell", "echo", "rm", "shell")),
						"unknown tools 'shell', 'rm'; the whole tool set is refused"),
				// emit-custom: exactly one strict JSON value
				row(after, new HostAction.EmitCustom("{\"k\":1}"), null),
				row(after, new HostAction.EmitCustom(" [1, {\"a\": [true, null]}] \n"), null),
				row(after, new HostAction.EmitCustom("\"just a string\""), null),
				row(after, new HostAction.EmitCustom("42"), null),
				row(after, new HostAction.EmitCustom("null"), null),
				row(after, new HostAction.EmitCustom("{not json"),
						"emit-custom payload is not valid JSON: Unexpected character ('n' (code 110)): "
								+ "was expecting double-quote to start field name (line 1, column 2)"),
				row(after, new HostAction.EmitCustom(""), "emit-custom payload is empty, not JSON"),
				row(after, new HostAction.EmitCustom(" \n "), "emit-custom payload is empty, not JSON"),
				row(after, new HostAction.EmitCustom("{} {}"),
						"emit-custom payload has content after its JSON value (line 1, column 4)"),
				row(after, new HostAction.EmitCustom("1 2"),
						"emit-custom payload has content after its JSON value (line 1, column 3)"),
				row(after, new HostAction.EmitCustom("{\"a\":1} trailing"),
						"emit-custom payload is not valid JSON: Unrecognized token 'trailing'…"),
				row(after, new HostAction.EmitCustom("{\"a\":1,\"a\":2}"),
						"emit-custom payload is not valid JSON: Duplicate field 'a'…"),
				row(after, new HostAction.EmitCustom("[1,]"), "emit-custom payload is not valid JSON: Unexpected character (']'…"),
				row(after, new HostAction.EmitCustom("{'a':1}"), "emit-custom payload is not valid JSON: Unexpected character ('''…"),
				row(after, new HostAction.EmitCustom("// note\n{}"), "emit-custom payload is not valid JSON: Unexpected character ('/'…"),
				row(after, new HostAction.EmitCustom("NaN"), "emit-custom payload is not valid JSON: Non-standard token 'NaN'…"),
				row(after, new HostAction.EmitCustom("{\"a\":"), "emit-custom payload is not valid JSON: Unexpected end-of-input…"),
				// stop-after-turn: only from should-stop-after-turn, whatever its value
				row(HookPoint.SHOULD_STOP_AFTER_TURN, new HostAction.StopAfterTurn(true), null),
				row(HookPoint.SHOULD_STOP_AFTER_TURN, new HostAction.StopAfterTurn(false), null),
				row(HookPoint.PREPARE_NEXT_TURN, new HostAction.StopAfterTurn(true),
						"stop-after-turn is only honoured from 'should-stop-after-turn', not from 'prepare-next-turn'"),
				row(HookPoint.PREPARE_NEXT_TURN, new HostAction.StopAfterTurn(false),
						"stop-after-turn is only honoured from 'should-stop-after-turn', not from 'prepare-next-turn'"),
				row(HookPoint.BEFORE_AGENT_START, new HostAction.StopAfterTurn(true),
						"stop-after-turn is only honoured from 'should-stop-after-turn', not from 'before-agent-start'"),
				row(HookPoint.AFTER_TOOL_CALL, new HostAction.StopAfterTurn(true),
						"stop-after-turn is only honoured from 'should-stop-after-turn', not from 'after-tool-call'"),
				// size caps, in UTF-8 bytes
				row(after, new HostAction.SetSystemPrompt("p".repeat(8192)), null),
				row(after, new HostAction.SetSystemPrompt(""), null),
				row(after, new HostAction.SetSystemPrompt("p".repeat(10000)),
						"system prompt of 10000 bytes exceeds the cap of 8192 bytes"),
				row(after, new HostAction.SetSystemPrompt("é".repeat(4097)),
						"system prompt of 8194 bytes exceeds the cap of 8192 bytes"),
				row(after, new HostAction.InjectUserMessage("m".repeat(8192)), null),
				row(after, new HostAction.InjectUserMessage("m".repeat(8193)),
						"user message of 8193 bytes exceeds the cap of 8192 bytes"),
				row(after, new HostAction.InjectUserMessage("\uD83D\uDE00".repeat(2049)),
						"user message of 8196 bytes exceeds the cap of 8192 bytes"),
				row(after, new HostAction.SetUiStatus("thinking"), null),
				row(after, new HostAction.SetUiStatus(""), null),
				row(after, new HostAction.SetUiStatus("s".repeat(257)), "ui status of 257 bytes exceeds the cap of 256 bytes"),
				// set-ui-header: fields that are present are not blank and within the UI cap
				row(after, new HostAction.SetUiHeader(new UiHeader(null, null)), null),
				row(after, new HostAction.SetUiHeader(new UiHeader("anthropic", null)), null),
				row(after, new HostAction.SetUiHeader(new UiHeader("openai", "gpt-5")), null),
				row(after, new HostAction.SetUiHeader(new UiHeader("", "gpt-5")), "ui header provider is blank"),
				row(after, new HostAction.SetUiHeader(new UiHeader("openai", "  ")), "ui header model is blank"),
				row(after, new HostAction.SetUiHeader(new UiHeader(" ", "x".repeat(300))),
						"ui header provider is blank; ui header model of 300 bytes exceeds the cap of 256 bytes"));
	}

	private static Arguments row(HookPoint point, HostAction action, @Nullable String reason) {
		return Arguments.of(point, action, reason);
	}

	@ParameterizedTest(name = "[{index}] {1} at {0}")
	@MethodSource("rules")
	void judgesEachActionByItsRule(HookPoint point, HostAction action, @Nullable String reason) {
		if (reason == null) {
			assertThat(validator.validate(PLUGIN, point, action)).isEmpty();
		}
		else {
			// A reason ending in '…' is a prefix (the rest is Jackson's wording); others are exact.
			assertThat(validator.validate(PLUGIN, point, action)).hasValueSatisfying((actual) -> {
				if (reason.endsWith("…")) {
					assertThat(actual).startsWith(reason.substring(0, reason.length() - 1));
				}
				else {
					assertThat(actual).isEqualTo(reason);
				}
			});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "off", "minimal", "low", "medium", "high", "xhigh" })
	void everyThinkingLevelIsAccepted(String level) {
		FakePlugin plugin = FakePlugin.withRoles("fake", new RoleDef("r", "openai/gpt-5", "p", List.of(), level));
		assertThat(validator.validate(plugin, HookPoint.BEFORE_AGENT_START, new HostAction.SwitchRole("r"))).isEmpty();
	}

	@Test
	void aPluginWithoutRolesSaysSo() {
		assertThat(validator.validate(FakePlugin.withRoles("bare"), HookPoint.BEFORE_AGENT_START,
				new HostAction.SwitchRole("planner")))
			.hasValue("role 'planner' is not declared by plugin 'bare' (it declares no roles)");
	}

	@Test
	void withoutACatalogueAnyNonBlankModelIsAccepted() {
		HostActionValidator lenient = new HostActionValidator(TOOLS::contains);
		assertThat(lenient.validate(PLUGIN, HookPoint.AFTER_TOOL_CALL, new HostAction.SwitchModel("acme/anything")))
			.isEmpty();
		assertThat(lenient.validate(PLUGIN, HookPoint.AFTER_TOOL_CALL, new HostAction.SwitchRole("dreamer"))).isEmpty();
		assertThat(lenient.validate(PLUGIN, HookPoint.AFTER_TOOL_CALL, new HostAction.SwitchModel(" ")))
			.hasValue("model id is blank");
		assertThat(lenient.validate(PLUGIN, HookPoint.AFTER_TOOL_CALL, new HostAction.SwitchRole("nameless")))
			.hasValue("role 'nameless' of plugin 'fake' is invalid: model id is blank");
	}

	@Test
	void aFailingCatalogueRejectsRatherThanAccepts() {
		HostActionValidator broken = new HostActionValidator(TOOLS::contains, (model) -> {
			throw new IllegalStateException("catalogue offline");
		}, HostActionLimits.defaults());
		assertThat(broken.validate(PLUGIN, HookPoint.AFTER_TOOL_CALL, new HostAction.SwitchModel("openai/gpt-5")))
			.hasValue("model 'openai/gpt-5' could not be checked against the model catalogue: "
					+ "java.lang.IllegalStateException: catalogue offline");
	}

	@Test
	void capsAreConfigurable() {
		HostActionValidator strict = new HostActionValidator(TOOLS::contains, null,
				HostActionLimits.defaults().withMaxSystemPromptBytes(4).withMaxUserMessageBytes(0).withMaxUiTextBytes(3));
		assertThat(strict.validate(PLUGIN, HookPoint.AFTER_TOOL_CALL, new HostAction.SetSystemPrompt("éé"))).isEmpty();
		assertThat(strict.validate(PLUGIN, HookPoint.AFTER_TOOL_CALL, new HostAction.SetSystemPrompt("ééé")))
			.hasValue("system prompt of 6 bytes exceeds the cap of 4 bytes");
		assertThat(strict.validate(PLUGIN, HookPoint.AFTER_TOOL_CALL, new HostAction.SwitchRole("coder")))
			.hasValue("role 'coder' of plugin 'fake' is invalid: prompt of 9 bytes exceeds the cap of 4 bytes");
		assertThat(strict.validate(PLUGIN, HookPoint.AFTER_TOOL_CALL, new HostAction.InjectUserMessage(""))).isEmpty();
		assertThat(strict.validate(PLUGIN, HookPoint.AFTER_TOOL_CALL, new HostAction.InjectUserMessage("x")))
			.hasValue("user message of 1 bytes exceeds the cap of 0 bytes");
		assertThat(strict.validate(PLUGIN, HookPoint.AFTER_TOOL_CALL, new HostAction.SetUiStatus("abcd")))
			.hasValue("ui status of 4 bytes exceeds the cap of 3 bytes");
		assertThat(strict.validate(PLUGIN, HookPoint.AFTER_TOOL_CALL,
				new HostAction.SetUiHeader(new UiHeader("abc", "abcd"))))
			.hasValue("ui header model of 4 bytes exceeds the cap of 3 bytes");
	}

	@Test
	void negativeCapsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new HostActionLimits(-1, 0, 0))
			.withMessage("maxSystemPromptBytes must not be negative: -1");
		assertThatIllegalArgumentException().isThrownBy(() -> HostActionLimits.defaults().withMaxUiTextBytes(-5))
			.withMessage("maxUiTextBytes must not be negative: -5");
		assertThatIllegalArgumentException().isThrownBy(() -> new HostActionLimits(0, -1, 0))
			.withMessage("maxUserMessageBytes must not be negative: -1");
		assertThat(new HostActionLimits(0, 0, 0).maxUserMessageBytes()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "ascii", "é", "€", "\uD83D\uDE00", "a\uD83D\uDE00é€z\u07FF\u0800" })
	void countsUtf8BytesAsTheEncoderDoes(String text) {
		assertThat(HostActionValidator.utf8Length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
	}

	/** Each encoding width at its edges; a lone surrogate counts as the U+FFFD (3 bytes) a guest would get. */
	@ParameterizedTest(name = "{0}: {2} bytes")
	@CsvSource({ "U+007F, \u007F, 1", "U+0080, \u0080, 2", "U+07FF, \u07FF, 2", "U+0800, \u0800, 3",
			"U+FFFF, \uFFFF, 3", "U+10000, \uD800\uDC00, 4", "lone high surrogate, \uD800, 3",
			"lone high surrogate before text, \uD800a, 4", "lone high surrogate at the end, a\uD800, 4",
			"lone low surrogate, \uDC00, 3", "high surrogate before a high one, \uD800\uD83D\uDE00, 7",
			"reversed pair, \uDC00\uD800, 6" })
	void countsUtf8BytesAtEachWidthsEdges(String name, String escaped, long bytes) {
		String text = unescape(escaped);
		assertThat(HostActionValidator.utf8Length(text)).isEqualTo(bytes);
	}

	private static String unescape(String escaped) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < escaped.length(); i++) {
			if (escaped.startsWith("\\u", i)) {
				out.append((char) Integer.parseInt(escaped.substring(i + 2, i + 6), 16));
				i += 5;
			}
			else {
				out.append(escaped.charAt(i));
			}
		}
		return out.toString();
	}

	@ParameterizedTest
	@EnumSource(HookPoint.class)
	void everyKindButStopAfterTurnIsJudgedAlikeAtEveryPoint(HookPoint point) {
		assertThat(validator.validate(PLUGIN, point, new HostAction.SwitchRole("planner"))).isEmpty();
		assertThat(validator.validate(PLUGIN, point, new HostAction.SetActiveTools(List.of("nope")))).isPresent();
	}

}
