package io.github.grain.plugin.engine.wit;

import static io.github.grain.plugin.engine.abi.WitType.caseOf;
import static io.github.grain.plugin.engine.abi.WitType.enumOf;
import static io.github.grain.plugin.engine.abi.WitType.field;
import static io.github.grain.plugin.engine.abi.WitType.list;
import static io.github.grain.plugin.engine.abi.WitType.option;
import static io.github.grain.plugin.engine.abi.WitType.record;
import static io.github.grain.plugin.engine.abi.WitType.result;
import static io.github.grain.plugin.engine.abi.WitType.string;
import static io.github.grain.plugin.engine.abi.WitType.tuple;
import static io.github.grain.plugin.engine.abi.WitType.u16;
import static io.github.grain.plugin.engine.abi.WitType.variant;

import io.github.grain.plugin.engine.abi.WitType;

/**
 * The types of the {@code grain:plugin} package (CONTRACT.md §1), as data.
 */
public final class GrainTypes {

	public static final WitType LOG_LEVEL = enumOf("log-level", "debug", "info", "warn", "error");

	public static final WitType HEADERS = list(tuple(string(), string()));

	public static final WitType HTTP_RESPONSE = record("http-response", field("status", u16()),
			field("headers", HEADERS), field("body", string()));

	public static final WitType HTTP_RESULT = result(HTTP_RESPONSE, string());

	public static final WitType OPTION_STRING = option(string());

	public static final WitType TOOL_DEF = record("tool-def", field("name", string()), field("label", string()),
			field("description", string()), field("parameters-json", string()));

	public static final WitType TOOL_RESULT = record("tool-result", field("content-json", string()),
			field("is-error", WitType.bool()));

	public static final WitType PLUGIN_INFO = record("plugin-info", field("name", string()),
			field("version", string()));

	public static final WitType INIT_RESULT = result(PLUGIN_INFO, string());

	public static final WitType HOOK_POINT = enumOf("hook-point", "before-agent-start", "after-tool-call",
			"prepare-next-turn", "should-stop-after-turn");

	public static final WitType ROLE_DEF = record("role-def", field("name", string()), field("model", string()),
			field("prompt", string()), field("tools", list(string())), field("thinking-level", option(string())));

	public static final WitType HOOK_DEF = record("hook-def", field("point", HOOK_POINT), field("name", string()));

	public static final WitType UI_HEADER = record("ui-header", field("provider", option(string())),
			field("model", option(string())));

	public static final WitType HOST_ACTION = variant("host-action", caseOf("switch-role", string()),
			caseOf("switch-model", string()), caseOf("set-system-prompt", string()),
			caseOf("set-active-tools", list(string())), caseOf("inject-user-message", string()),
			caseOf("stop-after-turn", WitType.bool()), caseOf("emit-custom", string()),
			caseOf("set-ui-header", UI_HEADER), caseOf("set-ui-status", string()));

	public static final WitType HOOK_RESULT = result(list(HOST_ACTION), string());

	private GrainTypes() {
	}

}
