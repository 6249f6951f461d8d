/*
 * Fixture mimic (world grain-plugin-v2, legacy mangling): a guest whose every string
 * the host reads is chosen by the host's test through env-get (capability env), so
 * tests can hand the host names, versions, log lines and errors of their choosing:
 * control characters, names another plugin already uses.
 *
 *   INFO_NAME, INFO_VERSION  what init returns (default "mimic", "0.1.0")
 *   INIT_ERR                 when set, init returns err(INIT_ERR)
 *   TOOLS                    comma-separated tool names (default "say")
 *
 * call-tool (any of its tools) with {"text": "..."}: logs the text at info (capability
 * log) and returns {"said": text}. call-hook (one hook, after-tool-call) with
 * {"text": "..."}: returns err(text). No roles.
 */
#include "grain_abi.h"

/* ------------------------------------------------------------------ init */

static grain_result_info init_area;

static grain_str env_or(const char *key, const char *fallback) {
    size_t n = 0;
    char *v = grain_env_get(key, &n);
    grain_str s = v ? grain_ret_strn(v, n) : grain_ret_str(fallback);
    free(v);
    return s;
}

GRAIN_EXPORT("plugin", "init")
grain_result_info *mimic_init(void) {
    memset(&init_area, 0, sizeof init_area);
    size_t n = 0;
    char *err = grain_env_get("INIT_ERR", &n);
    if (err != NULL) {
        init_area.is_err = 1;
        init_area.val.err = grain_ret_strn(err, n);
        free(err);
    } else {
        init_area.val.ok.name = env_or("INFO_NAME", "mimic");
        init_area.val.ok.version = env_or("INFO_VERSION", "0.1.0");
    }
    return grain_ret_area(&init_area);
}
GRAIN_POST_RETURN("plugin", "init", plugin_init)

/* ------------------------------------------------------------ list-tools */

static grain_list tools_area;

static const char SCHEMA[] = "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}";

GRAIN_EXPORT("plugin", "list-tools")
grain_list *mimic_list_tools(void) {
    size_t n = 0;
    char *names = grain_env_get("TOOLS", &n);
    if (names == NULL) {
        names = grain_cstr("say", 3);
        n = 3;
    }
    uint32_t count = 1;
    for (size_t i = 0; i < n; i++) count += names[i] == ',';
    grain_tool_def *t = (grain_tool_def *)grain_ret_alloc(count * sizeof(grain_tool_def));
    size_t start = 0;
    for (uint32_t i = 0; i < count; i++) {
        size_t end = start;
        while (end < n && names[end] != ',') end++;
        t[i] = grain_tool("", "Mimic", "Logs its text and returns it.", SCHEMA);
        t[i].name = grain_ret_strn(names + start, end - start);
        start = end + 1;
    }
    free(names);
    tools_area.ptr = t;
    tools_area.len = count;
    return grain_ret_area(&tools_area);
}
GRAIN_POST_RETURN("plugin", "list-tools", plugin_list_tools)

/* ------------------------------------------------------------- call-tool */

static grain_tool_result call_area;

GRAIN_EXPORT("plugin", "call-tool")
grain_tool_result *mimic_call_tool(char *name, uint32_t name_len, char *args, uint32_t args_len) {
    size_t n = 0;
    char *text = grain_json_get_str(args, args_len, "text", &n);
    if (text == NULL) {
        text = grain_cstr("", 0);
    }
    grain_log(GRAIN_LOG_INFO, text);
    grain_buf b = {0};
    grain_buf_puts(&b, "{\"said\":");
    grain_buf_put_json_strn(&b, text, n);
    grain_buf_putc(&b, '}');
    free(text);
    call_area.content_json = grain_buf_into_ret(&b);
    call_area.is_error = 0;
    grain_free_buf(name, name_len);
    grain_free_buf(args, args_len);
    return grain_ret_area(&call_area);
}
GRAIN_POST_RETURN("plugin", "call-tool", plugin_call_tool)

/* ------------------------------------------------------------ list-roles */

static grain_list roles_area;

GRAIN_EXPORT("orchestration", "list-roles")
grain_list *mimic_list_roles(void) {
    roles_area.ptr = (void *)4;
    roles_area.len = 0;
    return grain_ret_area(&roles_area);
}
GRAIN_POST_RETURN("orchestration", "list-roles", orchestration_list_roles)

/* ------------------------------------------------------------ list-hooks */

static grain_list hooks_area;

GRAIN_EXPORT("orchestration", "list-hooks")
grain_list *mimic_list_hooks(void) {
    grain_hook_def *h = (grain_hook_def *)grain_ret_alloc(sizeof(grain_hook_def));
    memset(h, 0, sizeof *h);
    h[0].point = GRAIN_HOOK_AFTER_TOOL_CALL;
    h[0].name = grain_ret_str("repeat");
    hooks_area.ptr = h;
    hooks_area.len = 1;
    return grain_ret_area(&hooks_area);
}
GRAIN_POST_RETURN("orchestration", "list-hooks", orchestration_list_hooks)

/* ------------------------------------------------------------- call-hook */

static grain_result_actions hook_area;

GRAIN_EXPORT("orchestration", "call-hook")
grain_result_actions *mimic_call_hook(uint32_t point, char *ctx, uint32_t ctx_len) {
    (void)point;
    size_t n = 0;
    char *text = grain_json_get_str(ctx, ctx_len, "text", &n);
    memset(&hook_area, 0, sizeof hook_area);
    hook_area.is_err = 1;
    hook_area.val.err = text ? grain_ret_strn(text, n) : grain_ret_str("");
    free(text);
    grain_free_buf(ctx, ctx_len);
    return grain_ret_area(&hook_area);
}
GRAIN_POST_RETURN("orchestration", "call-hook", orchestration_call_hook)
