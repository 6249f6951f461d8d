package io.github.grain.plugin.engine.wit;

import static io.github.grain.plugin.engine.abi.WitType.field;
import static io.github.grain.plugin.engine.abi.WitType.list;
import static io.github.grain.plugin.engine.abi.WitType.string;

import java.util.List;

/**
 * The {@code grain-plugin} and {@code grain-plugin-v2} worlds as data: which functions
 * the host provides and which a plugin must export. v1 and v2 differ only in the
 * required export lists; no code is written twice.
 */
public final class GrainWorld {

	public static final String HOST = "grain:plugin/host";

	public static final String PLUGIN = "grain:plugin/plugin";

	public static final String ORCHESTRATION = "grain:plugin/orchestration";

	public static final WitFunction LOG = new WitFunction(HOST, "log",
			List.of(field("level", GrainTypes.LOG_LEVEL), field("msg", string())), null);

	public static final WitFunction ENV_GET = new WitFunction(HOST, "env-get", List.of(field("key", string())),
			GrainTypes.OPTION_STRING);

	public static final WitFunction HTTP_GET = new WitFunction(HOST, "http-get",
			List.of(field("url", string()), field("headers", GrainTypes.HEADERS)), GrainTypes.HTTP_RESULT);

	public static final WitFunction HTTP_POST = new WitFunction(HOST, "http-post",
			List.of(field("url", string()), field("headers", GrainTypes.HEADERS), field("body", string())),
			GrainTypes.HTTP_RESULT);

	public static final WitFunction INIT = new WitFunction(PLUGIN, "init", List.of(), GrainTypes.INIT_RESULT);

	public static final WitFunction LIST_TOOLS = new WitFunction(PLUGIN, "list-tools", List.of(),
			list(GrainTypes.TOOL_DEF));

	public static final WitFunction CALL_TOOL = new WitFunction(PLUGIN, "call-tool",
			List.of(field("name", string()), field("args-json", string())), GrainTypes.TOOL_RESULT);

	public static final WitFunction LIST_ROLES = new WitFunction(ORCHESTRATION, "list-roles", List.of(),
			list(GrainTypes.ROLE_DEF));

	public static final WitFunction LIST_HOOKS = new WitFunction(ORCHESTRATION, "list-hooks", List.of(),
			list(GrainTypes.HOOK_DEF));

	public static final WitFunction CALL_HOOK = new WitFunction(ORCHESTRATION, "call-hook",
			List.of(field("point", GrainTypes.HOOK_POINT), field("context-json", string())),
			GrainTypes.HOOK_RESULT);

	/** What the host provides to every plugin. */
	public static final List<WitFunction> HOST_IMPORTS = List.of(LOG, ENV_GET, HTTP_GET, HTTP_POST);

	/** What every plugin exports. */
	public static final List<WitFunction> PLUGIN_EXPORTS = List.of(INIT, LIST_TOOLS, CALL_TOOL);

	/** What a v2 plugin exports besides {@link #PLUGIN_EXPORTS}. */
	public static final List<WitFunction> ORCHESTRATION_EXPORTS = List.of(LIST_ROLES, LIST_HOOKS, CALL_HOOK);

	private GrainWorld() {
	}

	/** The exports a world requires. */
	public static List<WitFunction> requiredExports(WorldKind world) {
		if (world == WorldKind.V1) {
			return PLUGIN_EXPORTS;
		}
		return java.util.stream.Stream.concat(PLUGIN_EXPORTS.stream(), ORCHESTRATION_EXPORTS.stream()).toList();
	}

}
