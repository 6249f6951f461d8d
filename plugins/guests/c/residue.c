/*
 * Fixture residue (world grain-plugin, legacy mangling): a guest that tries to leave a
 * secret behind for the next call, and looks for it. Every call must run in a fresh
 * instance (CONTRACT.md: plugins keep no state between calls), so whatever a host
 * reuses between instances (memory pools, images) must hand the next call nothing.
 *
 * The secret is stored inverted (each byte ~b), so the call that looks for it can hold
 * the plain secret in its arguments without finding itself.
 *
 *   remember {"secret": s}        stores ~s in a static buffer, in a heap block never
 *                                 freed, in a 256 KiB block that grows the memory
 *                                 (at its far end), and on the stack; counts the call
 *                                 in a static; returns {"calls": n}
 *   remember-and-trap {"secret"}  the same, then traps (unreachable)
 *   remember-and-spin {"secret"}  the same, then loops until the host's deadline
 *   remember-and-recall {"secret"} the same, then recall in the same instance (the
 *                                 scan's own check: it finds every copy just stored)
 *   recall {"secret": s}          scans the whole linear memory for ~s (except its own
 *                                 copy of the pattern) and returns
 *                                 {"found": occurrences, "calls": n, "pages": memory size}
 * init: ok({"residue","0.0.1"}).
 */
#include "grain_abi.h"

static char stash[256];
static int calls;
/* the heap copies escape through here, so the compiler keeps them */
static char *volatile kept_blocks[3];

static grain_result_info init_area;

GRAIN_EXPORT("plugin", "init")
grain_result_info *residue_init(void) {
    init_area.is_err = 0;
    init_area.val.ok.name = grain_ret_str("residue");
    init_area.val.ok.version = grain_ret_str("0.0.1");
    return grain_ret_area(&init_area);
}
GRAIN_POST_RETURN("plugin", "init", plugin_init)

static grain_list tools_area;
static const char *const TOOLS[] = {"remember", "remember-and-trap", "remember-and-spin", "remember-and-recall",
                                    "recall"};

GRAIN_EXPORT("plugin", "list-tools")
grain_list *residue_list_tools(void) {
    return grain_named_tools(&tools_area, TOOLS, sizeof TOOLS / sizeof TOOLS[0],
                             "Leaves a secret behind, or looks for one.");
}
GRAIN_POST_RETURN("plugin", "list-tools", plugin_list_tools)

/* ~secret, in a fresh heap block of n bytes */
static char *inverted(const char *secret, size_t n) {
    char *p = (char *)malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) p[i] = (char)~secret[i];
    return p;
}

__attribute__((noinline)) static void on_stack(const char *pattern, size_t n) {
    volatile char local[256];
    for (size_t i = 0; i < n && i < sizeof local; i++) local[i] = pattern[i];
}

static void remember(const char *secret, size_t n) {
    if (n > sizeof stash) n = sizeof stash;
    char *pattern = inverted(secret, n);
    memcpy(stash, pattern, n);
    char *kept = (char *)malloc(n ? n : 1);
    memcpy(kept, pattern, n);
    size_t big = 256 * 1024;
    char *grown = (char *)malloc(big);
    if (grown != NULL) memcpy(grown + big - n, pattern, n);
    on_stack(pattern, n);
    calls++;
    /* kept, grown and pattern are left allocated on purpose */
    kept_blocks[0] = pattern;
    kept_blocks[1] = kept;
    kept_blocks[2] = grown;
}

static size_t occurrences(const char *pattern, size_t n) {
    size_t size = __builtin_wasm_memory_size(0) * 65536;
    size_t found = 0;
    if (n == 0) return 0;
    /* address 0 is the null pointer: never part of a stored copy */
    for (size_t at = 1; at + n <= size; at++) {
        const char *here = (const char *)(uintptr_t)at;
        if (here >= pattern && here < pattern + n) continue;
        if (*here == pattern[0] && memcmp(here, pattern, n) == 0) found++;
    }
    return found;
}

static grain_tool_result call_area;

GRAIN_EXPORT("plugin", "call-tool")
grain_tool_result *residue_call_tool(char *name, uint32_t name_len, char *args, uint32_t args_len) {
    size_t n = 0;
    char *secret = grain_json_get_str(args, args_len, "secret", &n);
    if (secret == NULL) {
        secret = grain_cstr("", 0);
        n = 0;
    }
    grain_buf b = {0};
    call_area.is_error = 0;
    if (grain_is(name, name_len, "remember-and-recall")) remember(secret, n);
    if (grain_is(name, name_len, "recall") || grain_is(name, name_len, "remember-and-recall")) {
        char *pattern = inverted(secret, n);
        /* the plain secret must not be mistaken for a stored copy either: wipe ours */
        memset(secret, 0, n);
        size_t found = occurrences(pattern, n);
        grain_buf_puts(&b, "{\"found\":");
        grain_buf_put_i64(&b, (int64_t)found);
        grain_buf_puts(&b, ",\"calls\":");
        grain_buf_put_i64(&b, calls);
        grain_buf_puts(&b, ",\"pages\":");
        grain_buf_put_i64(&b, (int64_t)__builtin_wasm_memory_size(0));
        grain_buf_putc(&b, '}');
        free(pattern);
    } else if (grain_is(name, name_len, "remember") || grain_is(name, name_len, "remember-and-trap")
               || grain_is(name, name_len, "remember-and-spin")) {
        remember(secret, n);
        if (grain_is(name, name_len, "remember-and-trap")) __builtin_trap();
        if (grain_is(name, name_len, "remember-and-spin")) {
            volatile int forever = 1;
            while (forever) {
            }
        }
        grain_buf_puts(&b, "{\"calls\":");
        grain_buf_put_i64(&b, calls);
        grain_buf_putc(&b, '}');
    } else {
        grain_buf_puts(&b, "{\"error\":\"unknown tool\"}");
        call_area.is_error = 1;
    }
    free(secret);
    call_area.content_json = grain_buf_into_ret(&b);
    grain_free_buf(name, name_len);
    grain_free_buf(args, args_len);
    return grain_ret_area(&call_area);
}
GRAIN_POST_RETURN("plugin", "call-tool", plugin_call_tool)
