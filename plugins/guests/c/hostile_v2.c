/*
 * Fixture hostile-v2 (world grain-plugin-v2, legacy mangling): orchestration
 * exports that break the canonical ABI on purpose.
 *
 * init: ok({"hostile-v2","0.0.1"}). Tool: echo.
 * list-roles: [planner (tools [echo], thinking some("high"))], except
 *   MODE=role-bad-option  thinking-level option discriminant 3
 * list-hooks: the four hook points ("start","after","prepare","stop"), except
 *   MODE=hook-bad-point   first hook-def has point discriminant 9
 * call-hook, by `"case"` in the context JSON:
 *   bad-action-disc  one host-action with discriminant 9
 *   bad-bool         stop-after-turn with bool byte 2
 *   bad-utf8         switch-role with invalid UTF-8 (0xC3 0x28)
 *   bad-list         set-active-tools whose list ptr is out of bounds
 *   trap             unreachable
 *   loop             never returns
 *   otherwise        ok([])
 */
#include "grain_abi.h"

static int mode_is(const char *m) { return grain_env_is("MODE", m); }

static volatile uint32_t spin = 1;

/* ------------------------------------------------------------------ init */

static grain_result_info init_area;

GRAIN_EXPORT("plugin", "init")
grain_result_info *hv2_init(void) {
    init_area.is_err = 0;
    init_area.val.ok.name = grain_ret_str("hostile-v2");
    init_area.val.ok.version = grain_ret_str("0.0.1");
    return grain_ret_area(&init_area);
}
GRAIN_POST_RETURN("plugin", "init", plugin_init)

/* ------------------------------------------------------------ list-tools */

static grain_list tools_area;

GRAIN_EXPORT("plugin", "list-tools")
grain_list *hv2_list_tools(void) {
    grain_tool_def *t = (grain_tool_def *)grain_ret_alloc(sizeof(grain_tool_def));
    t[0] = grain_tool("echo", "Echo", "Returns its arguments unchanged.",
                      "{\"type\":\"object\",\"additionalProperties\":true}");
    tools_area.ptr = t;
    tools_area.len = 1;
    return grain_ret_area(&tools_area);
}
GRAIN_POST_RETURN("plugin", "list-tools", plugin_list_tools)

/* ------------------------------------------------------------- call-tool */

static grain_tool_result call_area;

GRAIN_EXPORT("plugin", "call-tool")
grain_tool_result *hv2_call_tool(char *name, uint32_t name_len, char *args, uint32_t args_len) {
    if (name_len == 4 && memcmp(name, "echo", 4) == 0) {
        call_area.content_json = grain_ret_strn(args, args_len);
        call_area.is_error = 0;
    } else {
        call_area.content_json = grain_ret_str("{\"error\":\"unknown tool\"}");
        call_area.is_error = 1;
    }
    grain_free_buf(name, name_len);
    grain_free_buf(args, args_len);
    return grain_ret_area(&call_area);
}
GRAIN_POST_RETURN("plugin", "call-tool", plugin_call_tool)

/* ------------------------------------------------------------ list-roles */

static grain_list roles_area;

GRAIN_EXPORT("orchestration", "list-roles")
grain_list *hv2_list_roles(void) {
    grain_role_def *r = (grain_role_def *)grain_ret_alloc(sizeof(grain_role_def));
    memset(r, 0, sizeof *r);
    grain_str *tools = (grain_str *)grain_ret_alloc(sizeof(grain_str));
    tools[0] = grain_ret_str("echo");
    r->name = grain_ret_str("planner");
    r->model = grain_ret_str("anthropic/claude-sonnet-4");
    r->prompt = grain_ret_str("You plan.");
    r->tools.ptr = tools;
    r->tools.len = 1;
    r->thinking_level.is_some = mode_is("role-bad-option") ? 3 : 1;
    r->thinking_level.val = grain_ret_str("high");
    roles_area.ptr = r;
    roles_area.len = 1;
    return grain_ret_area(&roles_area);
}
GRAIN_POST_RETURN("orchestration", "list-roles", orchestration_list_roles)

/* ------------------------------------------------------------ list-hooks */

static grain_list hooks_area;

GRAIN_EXPORT("orchestration", "list-hooks")
grain_list *hv2_list_hooks(void) {
    static const char *const names[4] = {"start", "after", "prepare", "stop"};
    grain_hook_def *h = (grain_hook_def *)grain_ret_alloc(4 * sizeof(grain_hook_def));
    memset(h, 0, 4 * sizeof(grain_hook_def));
    for (uint32_t i = 0; i < 4; i++) {
        h[i].point = (uint8_t)i;
        h[i].name = grain_ret_str(names[i]);
    }
    if (mode_is("hook-bad-point")) h[0].point = 9;
    hooks_area.ptr = h;
    hooks_area.len = 4;
    return grain_ret_area(&hooks_area);
}
GRAIN_POST_RETURN("orchestration", "list-hooks", orchestration_list_hooks)

/* ------------------------------------------------------------- call-hook */

static grain_result_actions hook_area;

static int case_is(const char *c, const char *lit) { return c != NULL && strcmp(c, lit) == 0; }

GRAIN_EXPORT("orchestration", "call-hook")
grain_result_actions *hv2_call_hook(uint32_t point, char *ctx, uint32_t ctx_len) {
    (void)point;
    char *c = grain_json_get_str(ctx, ctx_len, "case", NULL);
    memset(&hook_area, 0, sizeof hook_area);
    grain_host_action *a = (grain_host_action *)grain_ret_alloc(sizeof(grain_host_action));
    memset(a, 0, sizeof *a);
    hook_area.val.ok.ptr = a;
    hook_area.val.ok.len = 1;
    if (case_is(c, "bad-action-disc")) {
        a->tag = 9;
        a->val.str = grain_ret_str("x");
    } else if (case_is(c, "bad-bool")) {
        a->tag = GRAIN_ACTION_STOP_AFTER_TURN;
        a->val.flag = 2;
    } else if (case_is(c, "bad-utf8")) {
        static const char bad[] = {'p', 'l', 'a', 'n', (char)0xC3, (char)0x28};
        a->tag = GRAIN_ACTION_SWITCH_ROLE;
        a->val.str = grain_ret_strn(bad, sizeof bad);
    } else if (case_is(c, "bad-list")) {
        a->tag = GRAIN_ACTION_SET_ACTIVE_TOOLS;
        a->val.list.ptr = (void *)0xFFFFFF00u;
        a->val.list.len = 4;
    } else if (case_is(c, "trap")) {
        __builtin_trap();
    } else if (case_is(c, "loop")) {
        while (spin) {
        }
    } else {
        hook_area.val.ok.ptr = (void *)4;
        hook_area.val.ok.len = 0;
    }
    free(c);
    grain_free_buf(ctx, ctx_len);
    return grain_ret_area(&hook_area);
}
GRAIN_POST_RETURN("orchestration", "call-hook", orchestration_call_hook)
