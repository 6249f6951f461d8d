/*
 * Fixture hostile (world grain-plugin, legacy mangling): a guest that breaks the
 * canonical ABI on purpose. A host must turn every one of these into a clear
 * error for that call (or a deadline interrupt), never a crash or a hang.
 *
 * env-get("MODE") (read in init and list-tools) selects init / list-tools misbehaviour:
 *   (none)          init ok({"hostile","0.0.1"}), list-tools normal
 *   init-trap       init executes `unreachable`
 *   init-bad-disc   init returns result discriminant 7
 *   init-bad-utf8   init ok, name bytes contain 0xC3 0x28
 *   init-bad-ptr    init ok, name = (0xFFFFFFF0, 16)
 *   init-loop       init never returns
 *   init-imports    init calls log, env-get and http-get, then ok
 *   init-http       init GETs env INIT_URL; err(the host's error) when refused, else ok
 *   list-bad-ptr    list-tools returns (0xFFFFFF00, 3)
 *   list-absurd     list-tools returns (valid ptr, 0x10000000)
 *   list-million    list-tools returns 1,000,000 real tools t0..t999999
 *   list-misaligned list-tools returns (valid ptr + 1, 2)
 * Tools: see call-tool below.
 */
#include "grain_abi.h"

static char *mode_value;
static int mode_read;

static const char *mode(void) {
    if (!mode_read) {
        mode_value = grain_env_get("MODE", NULL);
        mode_read = 1;
    }
    return mode_value ? mode_value : "";
}

static int mode_is(const char *m) { return strcmp(mode(), m) == 0; }

/* Keeps loops and recursion from being optimised away. */
static volatile uint32_t spin = 1;

__attribute__((noinline)) static void forever(void) {
    while (spin) {
    }
}

/* ------------------------------------------------------------------ init */

static grain_result_info init_area;

GRAIN_EXPORT("plugin", "init")
grain_result_info *hostile_init(void) {
    memset(&init_area, 0, sizeof init_area);
    init_area.val.ok.name = grain_ret_str("hostile");
    init_area.val.ok.version = grain_ret_str("0.0.1");
    if (mode_is("init-trap")) {
        __builtin_trap();
    } else if (mode_is("init-bad-disc")) {
        init_area.is_err = 7;
    } else if (mode_is("init-bad-utf8")) {
        static const char bad[] = {'h', 'o', 's', 't', (char)0xC3, (char)0x28, 'l', 'e'};
        init_area.val.ok.name = grain_ret_strn(bad, sizeof bad);
    } else if (mode_is("init-bad-ptr")) {
        init_area.val.ok.name.ptr = (char *)0xFFFFFFF0u;
        init_area.val.ok.name.len = 16;
    } else if (mode_is("init-loop")) {
        forever();
    } else if (mode_is("init-imports")) {
        grain_log(GRAIN_LOG_INFO, "init-imports: log from init");
        free(grain_env_get("HOSTILE_INIT_KEY", NULL));
        static const char url[] = "http://127.0.0.1:9/init-imports";
        static const grain_tuple_str no_headers[1];
        grain_result_http r;
        grain_host_http_get(url, sizeof url - 1, no_headers, 0, &r);
        grain_free_http_result(&r);
    } else if (mode_is("init-http")) {
        char *url = grain_env_get("INIT_URL", NULL);
        static const grain_tuple_str no_headers[1];
        grain_result_http r;
        grain_host_http_get(url ? url : "", url ? strlen(url) : 0, no_headers, 0, &r);
        if (r.is_err) {
            init_area.is_err = 1;
            init_area.val.err = r.val.err; /* handed back to the host as init's error */
        } else {
            grain_free_http_result(&r);
        }
        free(url);
    }
    return grain_ret_area(&init_area);
}
GRAIN_POST_RETURN("plugin", "init", plugin_init)

/* ------------------------------------------------------------ list-tools */

static grain_list tools_area;

static const char *const TOOL_NAMES[] = {
    "ok", "trap", "bad_ptr", "absurd_len", "invalid_utf8", "misaligned_area", "area_oob",
    "loop", "recurse", "grow", "log_flood", "big_result", "bad_bool",
};
#define TOOL_COUNT (sizeof TOOL_NAMES / sizeof TOOL_NAMES[0])
static const char EMPTY_SCHEMA[] = "{\"type\":\"object\",\"properties\":{}}";

GRAIN_EXPORT("plugin", "list-tools")
grain_list *hostile_list_tools(void) {
    if (mode_is("list-bad-ptr")) {
        tools_area.ptr = (void *)0xFFFFFF00u;
        tools_area.len = 3;
    } else if (mode_is("list-absurd")) {
        grain_tool_def *t = (grain_tool_def *)grain_ret_alloc(sizeof(grain_tool_def));
        *t = grain_tool("ok", "OK", "Returns {\"ok\":true}.", EMPTY_SCHEMA);
        tools_area.ptr = t;
        tools_area.len = 0x10000000u;
    } else if (mode_is("list-million")) {
        enum { N = 1000000 };
        grain_tool_def *t = (grain_tool_def *)grain_ret_alloc((size_t)N * sizeof(grain_tool_def));
        char *names = (char *)grain_ret_alloc((size_t)N * 8); /* "t999999" = 7 bytes */
        grain_str label = grain_ret_str("T");
        grain_str desc = grain_ret_str("One of a million tools.");
        grain_str schema = grain_ret_str(EMPTY_SCHEMA);
        for (uint32_t i = 0; i < N; i++) {
            char *p = names + (size_t)i * 8;
            char tmp[8];
            uint32_t v = i, k = 0;
            do {
                tmp[k++] = (char)('0' + v % 10);
                v /= 10;
            } while (v);
            p[0] = 't';
            for (uint32_t j = 0; j < k; j++) p[1 + j] = tmp[k - 1 - j];
            t[i].name.ptr = p;
            t[i].name.len = k + 1;
            t[i].label = label;
            t[i].description = desc;
            t[i].parameters_json = schema;
        }
        tools_area.ptr = t;
        tools_area.len = N;
    } else {
        grain_tool_def *t = (grain_tool_def *)grain_ret_alloc(TOOL_COUNT * sizeof(grain_tool_def) + 1);
        for (uint32_t i = 0; i < TOOL_COUNT; i++) {
            t[i] = grain_tool(TOOL_NAMES[i], TOOL_NAMES[i], "Misbehaves on purpose (see hostile.c).",
                              EMPTY_SCHEMA);
        }
        if (mode_is("list-misaligned")) {
            /* same bytes, shifted by one: only the alignment is wrong */
            memmove((char *)t + 1, t, TOOL_COUNT * sizeof(grain_tool_def));
            tools_area.ptr = (char *)t + 1;
        } else {
            tools_area.ptr = t;
        }
        tools_area.len = TOOL_COUNT;
    }
    return grain_ret_area(&tools_area);
}
GRAIN_POST_RETURN("plugin", "list-tools", plugin_list_tools)

/* ------------------------------------------------------------- call-tool */

static grain_tool_result call_area;
/* room for a tool-result at an odd address */
static _Alignas(4) unsigned char misaligned_buf[sizeof(grain_tool_result) + 4];
static char grow_json[64];

static uint32_t recurse_impl(uint32_t depth);
/* called through a volatile pointer: no inlining, no tail-recursion elimination */
static uint32_t (*volatile recurse_fn)(uint32_t) = recurse_impl;

static uint32_t recurse_impl(uint32_t depth) { return recurse_fn(depth + 1) ^ depth; }

static int is(const char *name, uint32_t n, const char *lit) {
    return n == strlen(lit) && memcmp(name, lit, n) == 0;
}

GRAIN_EXPORT("plugin", "call-tool")
void *hostile_call_tool(char *name, uint32_t name_len, char *args, uint32_t args_len) {
    void *area = &call_area;
    memset(&call_area, 0, sizeof call_area);
    if (is(name, name_len, "ok")) {
        call_area.content_json = grain_ret_str("{\"ok\":true}");
    } else if (is(name, name_len, "trap")) {
        __builtin_trap();
    } else if (is(name, name_len, "bad_ptr")) {
        call_area.content_json.ptr = (char *)0xFFFFFFF0u;
        call_area.content_json.len = 8;
    } else if (is(name, name_len, "absurd_len")) {
        call_area.content_json = grain_ret_str("{\"ok\":true}");
        call_area.content_json.len = 0xFFFFFFF0u;
    } else if (is(name, name_len, "invalid_utf8")) {
        call_area.content_json = grain_ret_str("\"\xff\xfe\"");
    } else if (is(name, name_len, "misaligned_area")) {
        grain_tool_result r;
        memset(&r, 0, sizeof r);
        r.content_json = grain_ret_str("{\"ok\":true}");
        memcpy(misaligned_buf + 1, &r, sizeof r);
        area = misaligned_buf + 1;
    } else if (is(name, name_len, "area_oob")) {
        area = (void *)0xFFFFFFFCu;
    } else if (is(name, name_len, "loop")) {
        forever();
    } else if (is(name, name_len, "recurse")) {
        spin = recurse_fn(0);
    } else if (is(name, name_len, "grow")) {
        /* static result buffer: malloc may be unusable once memory is exhausted */
        while (__builtin_wasm_memory_grow(0, 1) != (size_t)-1) {
        }
        size_t pages = __builtin_wasm_memory_size(0);
        /* format without the heap */
        char tmp[24];
        size_t i = sizeof tmp;
        do {
            tmp[--i] = (char)('0' + pages % 10);
            pages /= 10;
        } while (pages);
        size_t n = 0;
        memcpy(grow_json, "{\"pages\":", 9);
        n = 9;
        memcpy(grow_json + n, tmp + i, sizeof tmp - i);
        n += sizeof tmp - i;
        grow_json[n++] = '}';
        call_area.content_json.ptr = grow_json;
        call_area.content_json.len = (uint32_t)n;
    } else if (is(name, name_len, "log_flood")) {
        for (uint32_t i = 0; i < 100000; i++) grain_log(GRAIN_LOG_INFO, "flood");
        call_area.content_json = grain_ret_str("{\"logged\":100000}");
    } else if (is(name, name_len, "big_result")) {
        const size_t n = (size_t)64 * 1024 * 1024;
        char *p = (char *)grain_ret_alloc(n + 2);
        p[0] = '"';
        memset(p + 1, 'a', n);
        p[n + 1] = '"';
        call_area.content_json.ptr = p;
        call_area.content_json.len = (uint32_t)(n + 2);
    } else if (is(name, name_len, "bad_bool")) {
        call_area.content_json = grain_ret_str("{\"ok\":true}");
        call_area.is_error = 2;
    } else {
        call_area.content_json = grain_ret_str("{\"error\":\"unknown tool\"}");
        call_area.is_error = 1;
    }
    grain_free_buf(name, name_len);
    grain_free_buf(args, args_len);
    return grain_ret_area(area);
}
GRAIN_POST_RETURN("plugin", "call-tool", plugin_call_tool)
