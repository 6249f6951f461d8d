/*
 * Fixture hostile-realloc (world grain-plugin, legacy mangling): a guest whose
 * cabi_realloc hands back unusable memory.
 *   realloc(_, _, 1, n > 0)  -> 0xFFFFFFF0 (out of bounds)
 *   realloc(_, _, 4, n > 0)  -> an odd, i.e. misaligned, address
 *   realloc(_, _, a, 0)      -> a (the usual dangling pointer for empty data)
 * init takes no parameters and calls no import, so it succeeds:
 * ok({"hostile-realloc","0.0.1"}). Tool: echo — any call-tool with a non-empty
 * name must fail in the host while it copies the arguments in.
 */
#define GRAIN_CUSTOM_REALLOC
#include "grain_abi.h"

static unsigned char odd_block[4096 + 8];

__attribute__((export_name(GRAIN_REALLOC_NAME)))
void *hostile_realloc(void *old_ptr, size_t old_size, size_t align, size_t new_size) {
    (void)old_ptr;
    (void)old_size;
    if (new_size == 0) return (void *)align;
    if (align == 1) return (void *)0xFFFFFFF0u;
    if (align == 4) return (void *)(((uintptr_t)odd_block + 4) | 1);
    return (void *)0xFFFFFFF0u;
}

static grain_result_info init_area;

GRAIN_EXPORT("plugin", "init")
grain_result_info *hr_init(void) {
    init_area.is_err = 0;
    init_area.val.ok.name = grain_ret_str("hostile-realloc");
    init_area.val.ok.version = grain_ret_str("0.0.1");
    return grain_ret_area(&init_area);
}
GRAIN_POST_RETURN("plugin", "init", plugin_init)

static grain_list tools_area;

GRAIN_EXPORT("plugin", "list-tools")
grain_list *hr_list_tools(void) {
    grain_tool_def *t = (grain_tool_def *)grain_ret_alloc(sizeof(grain_tool_def));
    t[0] = grain_tool("echo", "Echo", "Returns its arguments unchanged.",
                      "{\"type\":\"object\",\"additionalProperties\":true}");
    tools_area.ptr = t;
    tools_area.len = 1;
    return grain_ret_area(&tools_area);
}
GRAIN_POST_RETURN("plugin", "list-tools", plugin_list_tools)

static grain_tool_result call_area;

/* Parameters are not freed: they never came from malloc. */
GRAIN_EXPORT("plugin", "call-tool")
grain_tool_result *hr_call_tool(char *name, uint32_t name_len, char *args, uint32_t args_len) {
    if (name_len == 4 && memcmp(name, "echo", 4) == 0) {
        call_area.content_json = grain_ret_strn(args, args_len);
        call_area.is_error = 0;
    } else {
        call_area.content_json = grain_ret_str("{\"error\":\"unknown tool\"}");
        call_area.is_error = 1;
    }
    return grain_ret_area(&call_area);
}
GRAIN_POST_RETURN("plugin", "call-tool", plugin_call_tool)
