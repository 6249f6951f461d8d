/*
 * Fixture v2 (world grain-plugin-v2): tools echo and fail plus the orchestration
 * interface (roles, hooks and every host-action case).
 * Built twice: v2-legacy.wasm and v2-standard.wasm (-DGRAIN_STANDARD_MANGLING).
 */
#include "grain_abi.h"

/* ------------------------------------------------------------------ init */

static grain_result_info init_area;

GRAIN_EXPORT("plugin", "init")
grain_result_info *v2_init(void) {
    if (grain_env_is("GRAIN_FAIL_INIT", "1")) {
        init_area.is_err = 1;
        init_area.val.err = grain_ret_str("init failed on request");
    } else {
        init_area.is_err = 0;
        init_area.val.ok.name = grain_ret_str("fixture-v2");
        init_area.val.ok.version = grain_ret_str("2.0.0");
    }
    return grain_ret_area(&init_area);
}
GRAIN_POST_RETURN("plugin", "init", plugin_init)

/* ------------------------------------------------------------ list-tools */

static grain_list tools_area;

GRAIN_EXPORT("plugin", "list-tools")
grain_list *v2_list_tools(void) {
    grain_tool_def *t = (grain_tool_def *)grain_ret_alloc(2 * sizeof(grain_tool_def));
    t[0] = grain_tool("echo", "Echo", "Returns its arguments unchanged.",
                      "{\"type\":\"object\",\"additionalProperties\":true}");
    t[1] = grain_tool("fail", "Fail", "Always returns an error result.",
                      "{\"type\":\"object\",\"properties\":{}}");
    tools_area.ptr = t;
    tools_area.len = 2;
    return grain_ret_area(&tools_area);
}
GRAIN_POST_RETURN("plugin", "list-tools", plugin_list_tools)

/* ------------------------------------------------------------- call-tool */

static grain_tool_result call_area;

GRAIN_EXPORT("plugin", "call-tool")
grain_tool_result *v2_call_tool(char *name, uint32_t name_len, char *args, uint32_t args_len) {
    if (name_len == 4 && memcmp(name, "echo", 4) == 0) {
        call_area.content_json = grain_ret_strn(args, args_len);
        call_area.is_error = 0;
    } else if (name_len == 4 && memcmp(name, "fail", 4) == 0) {
        call_area.content_json = grain_ret_str("{\"message\":\"failed on request\"}");
        call_area.is_error = 1;
    } else {
        grain_buf msg = {0};
        grain_buf_puts(&msg, "unknown tool: ");
        grain_buf_putn(&msg, name, name_len);
        grain_buf b = {0};
        grain_buf_puts(&b, "{\"error\":");
        grain_buf_put_json_strn(&b, msg.ptr, msg.len);
        grain_buf_putc(&b, '}');
        free(msg.ptr);
        call_area.content_json = grain_buf_into_ret(&b);
        call_area.is_error = 1;
    }
    grain_free_buf(name, name_len);
    grain_free_buf(args, args_len);
    return grain_ret_area(&call_area);
}
GRAIN_POST_RETURN("plugin", "call-tool", plugin_call_tool)

/* ------------------------------------------------------------ list-roles */

static grain_list roles_area;

static grain_list str_list(const char *const *items, uint32_t n) {
    grain_list l;
    if (n == 0) {
        l.ptr = (void *)4;
        l.len = 0;
        return l;
    }
    grain_str *s = (grain_str *)grain_ret_alloc(n * sizeof(grain_str));
    for (uint32_t i = 0; i < n; i++) s[i] = grain_ret_str(items[i]);
    l.ptr = s;
    l.len = n;
    return l;
}

static grain_opt_str some_str(const char *s) {
    grain_opt_str o;
    o.is_some = 1;
    o.val = grain_ret_str(s);
    return o;
}

static grain_opt_str none_str(void) {
    grain_opt_str o;
    memset(&o, 0, sizeof o);
    return o;
}

GRAIN_EXPORT("orchestration", "list-roles")
grain_list *v2_list_roles(void) {
    static const char *const planner_tools[] = {"echo"};
    grain_role_def *r = (grain_role_def *)grain_ret_alloc(2 * sizeof(grain_role_def));
    r[0].name = grain_ret_str("planner");
    r[0].model = grain_ret_str("anthropic/claude-sonnet-4");
    r[0].prompt = grain_ret_str("You plan.");
    r[0].tools = str_list(planner_tools, 1);
    r[0].thinking_level = some_str("high");
    r[1].name = grain_ret_str("coder");
    r[1].model = grain_ret_str("openai/gpt-5");
    r[1].prompt = grain_ret_str("You code.");
    r[1].tools = str_list(NULL, 0);
    r[1].thinking_level = none_str();
    roles_area.ptr = r;
    roles_area.len = 2;
    return grain_ret_area(&roles_area);
}
GRAIN_POST_RETURN("orchestration", "list-roles", orchestration_list_roles)

/* ------------------------------------------------------------ list-hooks */

static grain_list hooks_area;

GRAIN_EXPORT("orchestration", "list-hooks")
grain_list *v2_list_hooks(void) {
    grain_hook_def *h = (grain_hook_def *)grain_ret_alloc(4 * sizeof(grain_hook_def));
    memset(h, 0, 4 * sizeof(grain_hook_def));
    h[0].point = GRAIN_HOOK_BEFORE_AGENT_START;
    h[0].name = grain_ret_str("start");
    h[1].point = GRAIN_HOOK_AFTER_TOOL_CALL;
    h[1].name = grain_ret_str("after");
    h[2].point = GRAIN_HOOK_PREPARE_NEXT_TURN;
    h[2].name = grain_ret_str("prepare");
    h[3].point = GRAIN_HOOK_SHOULD_STOP_AFTER_TURN;
    h[3].name = grain_ret_str("stop");
    hooks_area.ptr = h;
    hooks_area.len = 4;
    return grain_ret_area(&hooks_area);
}
GRAIN_POST_RETURN("orchestration", "list-hooks", orchestration_list_hooks)

/* ------------------------------------------------------------- call-hook */

static grain_result_actions hook_area;

static grain_host_action *actions(uint32_t n) {
    grain_host_action *a = (grain_host_action *)grain_ret_alloc(n * sizeof(grain_host_action));
    memset(a, 0, n * sizeof(grain_host_action));
    hook_area.is_err = 0;
    hook_area.val.ok.ptr = a;
    hook_area.val.ok.len = n;
    return a;
}

static void act_str(grain_host_action *a, uint8_t tag, const char *s) {
    a->tag = tag;
    a->val.str = grain_ret_str(s);
}

static void act_stop(grain_host_action *a, int stop) {
    a->tag = GRAIN_ACTION_STOP_AFTER_TURN;
    a->val.flag = (uint8_t)(stop != 0);
}

static void act_tools(grain_host_action *a, const char *const *tools, uint32_t n) {
    a->tag = GRAIN_ACTION_SET_ACTIVE_TOOLS;
    a->val.list = str_list(tools, n);
}

static void act_header(grain_host_action *a, const char *provider, const char *model) {
    a->tag = GRAIN_ACTION_SET_UI_HEADER;
    a->val.header.provider = provider ? some_str(provider) : none_str();
    a->val.header.model = model ? some_str(model) : none_str();
}

static int case_is(const char *c, const char *lit) { return c != NULL && strcmp(c, lit) == 0; }

GRAIN_EXPORT("orchestration", "call-hook")
grain_result_actions *v2_call_hook(uint32_t point, char *ctx, uint32_t ctx_len) {
    char *c = grain_json_get_str(ctx, ctx_len, "case", NULL);
    memset(&hook_area, 0, sizeof hook_area);
    if (case_is(c, "all")) {
        static const char *const tools[] = {"echo", "fail"};
        grain_host_action *a = actions(9);
        act_str(&a[0], GRAIN_ACTION_SWITCH_ROLE, "planner");
        act_str(&a[1], GRAIN_ACTION_SWITCH_MODEL, "openai/gpt-5");
        act_str(&a[2], GRAIN_ACTION_SET_SYSTEM_PROMPT, "Be brief.");
        act_tools(&a[3], tools, 2);
        act_str(&a[4], GRAIN_ACTION_INJECT_USER_MESSAGE, "continue");
        act_stop(&a[5], 1);
        act_str(&a[6], GRAIN_ACTION_EMIT_CUSTOM, "{\"k\":1}");
        act_header(&a[7], "anthropic", NULL);
        act_str(&a[8], GRAIN_ACTION_SET_UI_STATUS, "thinking");
    } else if (case_is(c, "header-none")) {
        act_header(&actions(1)[0], NULL, NULL);
    } else if (case_is(c, "header-some")) {
        act_header(&actions(1)[0], "openai", "gpt-5");
    } else if (case_is(c, "err")) {
        hook_area.is_err = 1;
        hook_area.val.err = grain_ret_str("hook failed on request");
    } else if (case_is(c, "empty")) {
        hook_area.is_err = 0;
        hook_area.val.ok.ptr = (void *)4;
        hook_area.val.ok.len = 0;
    } else if (case_is(c, "invalid")) {
        static const char *const tools[] = {"echo", "nope"};
        grain_host_action *a = actions(6);
        act_str(&a[0], GRAIN_ACTION_SWITCH_ROLE, "nobody");
        act_tools(&a[1], tools, 2);
        act_str(&a[2], GRAIN_ACTION_EMIT_CUSTOM, "{not json");
        act_stop(&a[3], 0);
        act_str(&a[4], GRAIN_ACTION_SWITCH_MODEL, "");
        char *prompt = (char *)grain_ret_alloc(10000);
        memset(prompt, 'p', 10000);
        a[5].tag = GRAIN_ACTION_SET_SYSTEM_PROMPT;
        a[5].val.str.ptr = prompt;
        a[5].val.str.len = 10000;
    } else {
        switch (point) {
        case GRAIN_HOOK_BEFORE_AGENT_START:
            act_str(&actions(1)[0], GRAIN_ACTION_SWITCH_ROLE, "planner");
            break;
        case GRAIN_HOOK_AFTER_TOOL_CALL:
            act_str(&actions(1)[0], GRAIN_ACTION_EMIT_CUSTOM, "{\"point\":\"after-tool-call\"}");
            break;
        case GRAIN_HOOK_PREPARE_NEXT_TURN: {
            grain_host_action *a = actions(2);
            act_str(&a[0], GRAIN_ACTION_INJECT_USER_MESSAGE, "next");
            act_stop(&a[1], 1);
            break;
        }
        case GRAIN_HOOK_SHOULD_STOP_AFTER_TURN:
            act_stop(&actions(1)[0], 1);
            break;
        default: /* cannot happen with a conforming host */
            hook_area.is_err = 1;
            hook_area.val.err = grain_ret_str("unknown hook point");
            break;
        }
    }
    free(c);
    grain_free_buf(ctx, ctx_len);
    return grain_ret_area(&hook_area);
}
GRAIN_POST_RETURN("orchestration", "call-hook", orchestration_call_hook)
