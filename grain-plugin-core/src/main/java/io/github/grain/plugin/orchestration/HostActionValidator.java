package io.github.grain.plugin.orchestration;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.engine.wit.RoleDef;
import io.github.grain.plugin.engine.wit.UiHeader;
import org.jspecify.annotations.Nullable;

/**
 * Judges one host action returned by one plugin at one hook point. Host actions are
 * untrusted intent (CONTRACT.md §2): an action is accepted only when applying it cannot
 * put the host in a state it does not know (an undeclared role, an unknown model or tool,
 * malformed JSON) or flood it (text over its size cap). Stateless and thread-safe.
 * <p>
 * Rules, by action kind:
 * <ul>
 * <li>{@code switch-role}: the role is declared by the plugin, and its model, tools,
 * thinking level and prompt pass the rules below;</li>
 * <li>{@code switch-model}: the model id is not blank and, with a {@link ModelCatalogue},
 * known to it;</li>
 * <li>{@code set-active-tools}: every tool is known, all or nothing;</li>
 * <li>{@code emit-custom}: the payload is one strict JSON value (no trailing content,
 * no duplicate keys);</li>
 * <li>{@code stop-after-turn}: only from {@code should-stop-after-turn};</li>
 * <li>{@code set-system-prompt}, {@code inject-user-message}, {@code set-ui-status}:
 * within their {@link HostActionLimits caps};</li>
 * <li>{@code set-ui-header}: each field present is neither blank nor over the UI cap.</li>
 * </ul>
 */
public final class HostActionValidator {

	/** The thinking levels a role may declare, lowest first. */
	public static final List<String> THINKING_LEVELS = List.of("off", "minimal", "low", "medium", "high", "xhigh");

	private final Predicate<String> knownTools;

	private final @Nullable ModelCatalogue models;

	private final HostActionLimits limits;

	/**
	 * A validator with default limits and no model catalogue.
	 * @param knownTools whether a tool name is known to the host (for example the tool
	 * registry's {@code contains})
	 */
	public HostActionValidator(Predicate<String> knownTools) {
		this(knownTools, null, HostActionLimits.defaults());
	}

	/**
	 * A validator.
	 * @param knownTools whether a tool name is known to the host (for example the tool
	 * registry's {@code contains})
	 * @param models the model catalogue; {@code null} to accept any non-blank model id
	 * @param limits the size caps
	 */
	public HostActionValidator(Predicate<String> knownTools, @Nullable ModelCatalogue models,
			HostActionLimits limits) {
		this.knownTools = Objects.requireNonNull(knownTools, "knownTools");
		this.models = models;
		this.limits = Objects.requireNonNull(limits, "limits");
	}

	/** The size caps in force. */
	public HostActionLimits limits() {
		return this.limits;
	}

	/**
	 * Judge one action.
	 * @param plugin the plugin whose hook returned the action (its declared roles count)
	 * @param point the hook point that was called
	 * @param action the action
	 * @return why the action is rejected, one or more sentences joined by {@code "; "};
	 * empty when it is accepted
	 */
	public Optional<String> validate(LoadedPlugin plugin, HookPoint point, HostAction action) {
		List<String> problems = new ArrayList<>(2);
		if (action instanceof HostAction.SwitchRole switchRole) {
			checkRole(plugin, switchRole.role(), problems);
		}
		else if (action instanceof HostAction.SwitchModel switchModel) {
			checkModel(switchModel.model(), problems);
		}
		else if (action instanceof HostAction.SetSystemPrompt setSystemPrompt) {
			checkSize("system prompt", setSystemPrompt.prompt(), this.limits.maxSystemPromptBytes(), problems);
		}
		else if (action instanceof HostAction.SetActiveTools setActiveTools) {
			checkTools(setActiveTools.tools(), problems);
			if (!problems.isEmpty()) {
				problems.add("the whole tool set is refused");
			}
		}
		else if (action instanceof HostAction.InjectUserMessage injectUserMessage) {
			checkSize("user message", injectUserMessage.message(), this.limits.maxUserMessageBytes(), problems);
		}
		else if (action instanceof HostAction.StopAfterTurn) {
			if (point != HookPoint.SHOULD_STOP_AFTER_TURN) {
				problems.add("stop-after-turn is only honoured from '" + HookPoint.SHOULD_STOP_AFTER_TURN.witName()
						+ "', not from '" + point.witName() + "'");
			}
		}
		else if (action instanceof HostAction.EmitCustom emitCustom) {
			checkJson(emitCustom.json(), problems);
		}
		else if (action instanceof HostAction.SetUiHeader setUiHeader) {
			UiHeader header = setUiHeader.header();
			checkUiText("ui header provider", header.provider(), problems);
			checkUiText("ui header model", header.model(), problems);
		}
		else if (action instanceof HostAction.SetUiStatus setUiStatus) {
			checkSize("ui status", setUiStatus.status(), this.limits.maxUiTextBytes(), problems);
		}
		else {
			throw new IllegalArgumentException("unknown host action kind '" + action.kind() + "'");
		}
		return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
	}

	private void checkRole(LoadedPlugin plugin, String name, List<String> problems) {
		RoleDef role = plugin.roles().stream().filter((declared) -> declared.name().equals(name)).findFirst().orElse(null);
		if (role == null) {
			problems.add("role '" + name + "' is not declared by plugin '" + plugin.name() + "' ("
					+ (plugin.roles().isEmpty() ? "it declares no roles"
							: "declared: " + quoted(plugin.roles().stream().map(RoleDef::name).toList()))
					+ ")");
			return;
		}
		List<String> roleProblems = new ArrayList<>(2);
		checkModel(role.model(), roleProblems);
		checkTools(role.tools(), roleProblems);
		String thinkingLevel = role.thinkingLevel();
		if (thinkingLevel != null && !THINKING_LEVELS.contains(thinkingLevel)) {
			roleProblems.add("thinking level '" + thinkingLevel + "' is not one of " + String.join(", ", THINKING_LEVELS));
		}
		checkSize("prompt", role.prompt(), this.limits.maxSystemPromptBytes(), roleProblems);
		if (!roleProblems.isEmpty()) {
			problems.add("role '" + name + "' of plugin '" + plugin.name() + "' is invalid: "
					+ String.join("; ", roleProblems));
		}
	}

	private void checkModel(String model, List<String> problems) {
		if (model.isBlank()) {
			problems.add("model id is blank");
		}
		else if (this.models != null) {
			try {
				if (!this.models.isKnown(model)) {
					problems.add("model '" + model + "' is not in the model catalogue");
				}
			}
			catch (RuntimeException ex) {
				// Fail closed: an action the host cannot check is not applied.
				problems.add("model '" + model + "' could not be checked against the model catalogue: " + ex);
			}
		}
	}

	private void checkTools(List<String> tools, List<String> problems) {
		List<String> unknown = tools.stream().filter((tool) -> !this.knownTools.test(tool)).distinct().toList();
		if (!unknown.isEmpty()) {
			problems.add(((unknown.size() == 1) ? "unknown tool " : "unknown tools ") + quoted(unknown));
		}
	}

	private void checkUiText(String what, @Nullable String text, List<String> problems) {
		if (text == null) {
			return;
		}
		if (text.isBlank()) {
			problems.add(what + " is blank");
		}
		else {
			checkSize(what, text, this.limits.maxUiTextBytes(), problems);
		}
	}

	private static void checkSize(String what, String text, int cap, List<String> problems) {
		long bytes = utf8Length(text);
		if (bytes > cap) {
			problems.add(what + " of " + bytes + " bytes exceeds the cap of " + cap + " bytes");
		}
	}

	private static void checkJson(String text, List<String> problems) {
		String problem = StrictJson.problem(text);
		if (problem != null) {
			problems.add("emit-custom payload " + problem);
		}
	}

	private static String quoted(List<String> names) {
		return names.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "));
	}

	/** The UTF-8 length of a string without encoding it. */
	static long utf8Length(String text) {
		long bytes = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes += 1;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

}
