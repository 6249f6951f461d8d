/*
 * Fixture wasi-extra (world grain-plugin, legacy mangling): tool `files` uses
 * preview1 filesystem calls (fopen, opendir). A host that grants no filesystem
 * must answer them with an errno, not a trap:
 *   {"fopen":null|true,"errno":N,"opendir":null|true,"opendir_errno":M}
 * (errno 0 when the call succeeded). init: ok({"wasi-extra","0.0.1"}).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>

#include "grain_abi.h"

static grain_result_info init_area;

GRAIN_EXPORT("plugin", "init")
grain_result_info *we_init(void) {
    init_area.is_err = 0;
    init_area.val.ok.name = grain_ret_str("wasi-extra");
    init_area.val.ok.version = grain_ret_str("0.0.1");
    return grain_ret_area(&init_area);
}
GRAIN_POST_RETURN("plugin", "init", plugin_init)

static grain_list tools_area;

GRAIN_EXPORT("plugin", "list-tools")
grain_list *we_list_tools(void) {
    grain_tool_def *t = (grain_tool_def *)grain_ret_alloc(sizeof(grain_tool_def));
    t[0] = grain_tool("files", "Files", "Tries fopen(\"/etc/passwd\") and opendir(\"/\") and reports errno.",
                      "{\"type\":\"object\",\"properties\":{}}");
    tools_area.ptr = t;
    tools_area.len = 1;
    return grain_ret_area(&tools_area);
}
GRAIN_POST_RETURN("plugin", "list-tools", plugin_list_tools)

static grain_tool_result call_area;

GRAIN_EXPORT("plugin", "call-tool")
grain_tool_result *we_call_tool(char *name, uint32_t name_len, char *args, uint32_t args_len) {
    if (name_len == 5 && memcmp(name, "files", 5) == 0) {
        errno = 0;
        FILE *f = fopen("/etc/passwd", "r");
        int fopen_errno = f ? 0 : errno;
        if (f) fclose(f);
        errno = 0;
        DIR *d = opendir("/");
        int opendir_errno = d ? 0 : errno;
        if (d) closedir(d);
        grain_buf b = {0};
        grain_buf_puts(&b, "{\"fopen\":");
        grain_buf_puts(&b, f ? "true" : "null");
        grain_buf_puts(&b, ",\"errno\":");
        grain_buf_put_i64(&b, fopen_errno);
        grain_buf_puts(&b, ",\"opendir\":");
        grain_buf_puts(&b, d ? "true" : "null");
        grain_buf_puts(&b, ",\"opendir_errno\":");
        grain_buf_put_i64(&b, opendir_errno);
        grain_buf_putc(&b, '}');
        call_area.content_json = grain_buf_into_ret(&b);
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
