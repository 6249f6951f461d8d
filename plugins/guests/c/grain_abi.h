/*
 * Hand-written canonical-ABI glue for grain:plugin guests (wasm32, UTF-8).
 *
 * Layouts follow CONTRACT.md §3 and are checked with _Static_assert below.
 *
 * Name mangling:
 *   default                    legacy (wit-bindgen) names:  grain:plugin/plugin#init,
 *                              cabi_post_grain:plugin/plugin#init, cabi_realloc,
 *                              import module grain:plugin/host
 *   -DGRAIN_STANDARD_MANGLING  cm32p2 names: cm32p2|grain:plugin/plugin|init,
 *                              cm32p2|grain:plugin/plugin|init_post, cm32p2_realloc,
 *                              import module cm32p2|grain:plugin/host
 * wasm-ld cannot rename `memory` / `_initialize`; build-fixtures.sh renames them to
 * cm32p2_memory / cm32p2_initialize after linking (tools/rename-exports.mjs).
 *
 * Memory ownership (CONTRACT.md §3):
 *   - the host allocates export parameters and import results through realloc;
 *     the guest frees them (grain_free_str / grain_free_http_result);
 *   - everything an export returns is allocated with grain_ret_alloc(); the
 *     post-return function releases all of it (grain_ret_release()).
 *   Zero-length allocations are never backed by memory: realloc(_, _, align, 0)
 *   returns `align` (like wit-bindgen) and nothing is freed for a length of 0.
 */
#ifndef GRAIN_ABI_H
#define GRAIN_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ names */

#ifdef GRAIN_STANDARD_MANGLING
#define GRAIN_HOST_MODULE "cm32p2|grain:plugin/host"
#define GRAIN_EXPORT_NAME(iface, fn) "cm32p2|grain:plugin/" iface "|" fn
#define GRAIN_POST_NAME(iface, fn) "cm32p2|grain:plugin/" iface "|" fn "_post"
#define GRAIN_REALLOC_NAME "cm32p2_realloc"
#else
#define GRAIN_HOST_MODULE "grain:plugin/host"
#define GRAIN_EXPORT_NAME(iface, fn) "grain:plugin/" iface "#" fn
#define GRAIN_POST_NAME(iface, fn) "cabi_post_grain:plugin/" iface "#" fn
#define GRAIN_REALLOC_NAME "cabi_realloc"
#endif

/* Helpers below are header-defined; not every fixture uses all of them. */
#define GRAIN_FN static __attribute__((unused))

#define GRAIN_IMPORT(fn) __attribute__((import_module(GRAIN_HOST_MODULE), import_name(fn)))
#define GRAIN_EXPORT(iface, fn) __attribute__((export_name(GRAIN_EXPORT_NAME(iface, fn))))
#define GRAIN_EXPORT_POST(iface, fn) __attribute__((export_name(GRAIN_POST_NAME(iface, fn))))

/* ---------------------------------------------------------------- layouts */

/* string: ptr @0, byte length @4 (8/4) */
typedef struct {
    char *ptr;
    uint32_t len;
} grain_str;

/* list<T>: ptr @0, element count @4 (8/4) */
typedef struct {
    void *ptr;
    uint32_t len;
} grain_list;

/* option<string>: disc u8 @0 (0 none, 1 some), string @4 (12/4) */
typedef struct {
    uint8_t is_some;
    grain_str val;
} grain_opt_str;

/* tuple<string,string> (16/4) */
typedef struct {
    grain_str a;
    grain_str b;
} grain_tuple_str;

/* host.http-response: status u16 @0, headers @4, body @12 (20/4) */
typedef struct {
    uint16_t status;
    grain_list headers; /* of grain_tuple_str */
    grain_str body;
} grain_http_response;

/* result<http-response,string>: disc u8 @0 (0 ok, 1 err), payload @4 (24/4) */
typedef struct {
    uint8_t is_err;
    union {
        grain_http_response ok;
        grain_str err;
    } val;
} grain_result_http;

/* plugin.tool-def (32/4) */
typedef struct {
    grain_str name;
    grain_str label;
    grain_str description;
    grain_str parameters_json;
} grain_tool_def;

/* plugin.tool-result: content-json @0, is-error u8 @8 (12/4) */
typedef struct {
    grain_str content_json;
    uint8_t is_error;
} grain_tool_result;

/* plugin.plugin-info (16/4) */
typedef struct {
    grain_str name;
    grain_str version;
} grain_plugin_info;

/* result<plugin-info,string> (20/4) */
typedef struct {
    uint8_t is_err;
    union {
        grain_plugin_info ok;
        grain_str err;
    } val;
} grain_result_info;

/* orchestration.role-def (44/4) */
typedef struct {
    grain_str name;
    grain_str model;
    grain_str prompt;
    grain_list tools; /* of grain_str */
    grain_opt_str thinking_level;
} grain_role_def;

/* orchestration.hook-def: point u8 @0, name @4 (12/4) */
typedef struct {
    uint8_t point;
    grain_str name;
} grain_hook_def;

/* orchestration.ui-header (24/4) */
typedef struct {
    grain_opt_str provider;
    grain_opt_str model;
} grain_ui_header;

/* orchestration.host-action: disc u8 @0, payload @4 (28/4) */
typedef struct {
    uint8_t tag;
    union {
        grain_str str;          /* switch-role, switch-model, set-system-prompt,
                                   inject-user-message, emit-custom, set-ui-status */
        grain_list list;        /* set-active-tools: list<string> */
        uint8_t flag;           /* stop-after-turn: bool */
        grain_ui_header header; /* set-ui-header */
    } val;
} grain_host_action;

/* result<list<host-action>,string> (12/4) */
typedef struct {
    uint8_t is_err;
    union {
        grain_list ok;
        grain_str err;
    } val;
} grain_result_actions;

enum { GRAIN_LOG_DEBUG = 0, GRAIN_LOG_INFO = 1, GRAIN_LOG_WARN = 2, GRAIN_LOG_ERROR = 3 };

enum {
    GRAIN_HOOK_BEFORE_AGENT_START = 0,
    GRAIN_HOOK_AFTER_TOOL_CALL = 1,
    GRAIN_HOOK_PREPARE_NEXT_TURN = 2,
    GRAIN_HOOK_SHOULD_STOP_AFTER_TURN = 3,
};

enum {
    GRAIN_ACTION_SWITCH_ROLE = 0,
    GRAIN_ACTION_SWITCH_MODEL = 1,
    GRAIN_ACTION_SET_SYSTEM_PROMPT = 2,
    GRAIN_ACTION_SET_ACTIVE_TOOLS = 3,
    GRAIN_ACTION_INJECT_USER_MESSAGE = 4,
    GRAIN_ACTION_STOP_AFTER_TURN = 5,
    GRAIN_ACTION_EMIT_CUSTOM = 6,
    GRAIN_ACTION_SET_UI_HEADER = 7,
    GRAIN_ACTION_SET_UI_STATUS = 8,
};

#define GRAIN_CHECK_LAYOUT(type, size, align)                                  \
    _Static_assert(sizeof(type) == (size), #type " size");                    \
    _Static_assert(_Alignof(type) == (align), #type " align")
#define GRAIN_CHECK_OFFSET(type, field, off)                                   \
    _Static_assert(offsetof(type, field) == (off), #type "." #field " offset")

GRAIN_CHECK_LAYOUT(grain_str, 8, 4);
GRAIN_CHECK_OFFSET(grain_str, ptr, 0);
GRAIN_CHECK_OFFSET(grain_str, len, 4);
GRAIN_CHECK_LAYOUT(grain_list, 8, 4);
GRAIN_CHECK_OFFSET(grain_list, ptr, 0);
GRAIN_CHECK_OFFSET(grain_list, len, 4);
GRAIN_CHECK_LAYOUT(grain_opt_str, 12, 4);
GRAIN_CHECK_OFFSET(grain_opt_str, is_some, 0);
GRAIN_CHECK_OFFSET(grain_opt_str, val, 4);
GRAIN_CHECK_LAYOUT(grain_tuple_str, 16, 4);
GRAIN_CHECK_OFFSET(grain_tuple_str, a, 0);
GRAIN_CHECK_OFFSET(grain_tuple_str, b, 8);
GRAIN_CHECK_LAYOUT(grain_http_response, 20, 4);
GRAIN_CHECK_OFFSET(grain_http_response, status, 0);
GRAIN_CHECK_OFFSET(grain_http_response, headers, 4);
GRAIN_CHECK_OFFSET(grain_http_response, body, 12);
GRAIN_CHECK_LAYOUT(grain_result_http, 24, 4);
GRAIN_CHECK_OFFSET(grain_result_http, is_err, 0);
GRAIN_CHECK_OFFSET(grain_result_http, val, 4);
GRAIN_CHECK_LAYOUT(grain_tool_def, 32, 4);
GRAIN_CHECK_OFFSET(grain_tool_def, name, 0);
GRAIN_CHECK_OFFSET(grain_tool_def, label, 8);
GRAIN_CHECK_OFFSET(grain_tool_def, description, 16);
GRAIN_CHECK_OFFSET(grain_tool_def, parameters_json, 24);
GRAIN_CHECK_LAYOUT(grain_tool_result, 12, 4);
GRAIN_CHECK_OFFSET(grain_tool_result, content_json, 0);
GRAIN_CHECK_OFFSET(grain_tool_result, is_error, 8);
GRAIN_CHECK_LAYOUT(grain_plugin_info, 16, 4);
GRAIN_CHECK_OFFSET(grain_plugin_info, name, 0);
GRAIN_CHECK_OFFSET(grain_plugin_info, version, 8);
GRAIN_CHECK_LAYOUT(grain_result_info, 20, 4);
GRAIN_CHECK_OFFSET(grain_result_info, is_err, 0);
GRAIN_CHECK_OFFSET(grain_result_info, val, 4);
GRAIN_CHECK_LAYOUT(grain_role_def, 44, 4);
GRAIN_CHECK_OFFSET(grain_role_def, name, 0);
GRAIN_CHECK_OFFSET(grain_role_def, model, 8);
GRAIN_CHECK_OFFSET(grain_role_def, prompt, 16);
GRAIN_CHECK_OFFSET(grain_role_def, tools, 24);
GRAIN_CHECK_OFFSET(grain_role_def, thinking_level, 32);
GRAIN_CHECK_LAYOUT(grain_hook_def, 12, 4);
GRAIN_CHECK_OFFSET(grain_hook_def, point, 0);
GRAIN_CHECK_OFFSET(grain_hook_def, name, 4);
GRAIN_CHECK_LAYOUT(grain_ui_header, 24, 4);
GRAIN_CHECK_OFFSET(grain_ui_header, provider, 0);
GRAIN_CHECK_OFFSET(grain_ui_header, model, 12);
GRAIN_CHECK_LAYOUT(grain_host_action, 28, 4);
GRAIN_CHECK_OFFSET(grain_host_action, tag, 0);
GRAIN_CHECK_OFFSET(grain_host_action, val, 4);
GRAIN_CHECK_LAYOUT(grain_result_actions, 12, 4);
GRAIN_CHECK_OFFSET(grain_result_actions, is_err, 0);
GRAIN_CHECK_OFFSET(grain_result_actions, val, 4);

/* ---------------------------------------------------------------- imports */

GRAIN_IMPORT("log")
void grain_host_log(uint32_t level, const char *msg_ptr, uint32_t msg_len);

GRAIN_IMPORT("env-get")
void grain_host_env_get(const char *key_ptr, uint32_t key_len, grain_opt_str *ret);

GRAIN_IMPORT("http-get")
void grain_host_http_get(const char *url_ptr, uint32_t url_len,
                         const grain_tuple_str *headers_ptr, uint32_t headers_len,
                         grain_result_http *ret);

GRAIN_IMPORT("http-post")
void grain_host_http_post(const char *url_ptr, uint32_t url_len,
                          const grain_tuple_str *headers_ptr, uint32_t headers_len,
                          const char *body_ptr, uint32_t body_len, grain_result_http *ret);

/* ---------------------------------------------------------------- realloc */

#ifndef GRAIN_CUSTOM_REALLOC
/* realloc(old_ptr, old_size, align, new_size); align <= 16 is all the canonical
 * ABI ever asks for and malloc already guarantees 16. */
__attribute__((export_name(GRAIN_REALLOC_NAME)))
void *grain_cabi_realloc(void *old_ptr, size_t old_size, size_t align, size_t new_size) {
    if (new_size == 0) {
        if (old_size != 0) free(old_ptr);
        return (void *)align;
    }
    void *p = old_size == 0 ? malloc(new_size) : realloc(old_ptr, new_size);
    if (p == NULL) __builtin_trap();
    return p;
}
#endif

/* Free a string/list the host allocated through realloc. */
GRAIN_FN void grain_free_buf(void *ptr, uint32_t len) {
    if (len != 0) free(ptr);
}

GRAIN_FN void grain_free_str(grain_str s) { grain_free_buf(s.ptr, s.len); }

/* Free an import result<http-response,string> the host wrote to a retptr. */
GRAIN_FN void grain_free_http_result(grain_result_http *r) {
    if (r->is_err) {
        grain_free_str(r->val.err);
        return;
    }
    grain_tuple_str *h = (grain_tuple_str *)r->val.ok.headers.ptr;
    for (uint32_t i = 0; i < r->val.ok.headers.len; i++) {
        grain_free_str(h[i].a);
        grain_free_str(h[i].b);
    }
    grain_free_buf(r->val.ok.headers.ptr, r->val.ok.headers.len);
    grain_free_str(r->val.ok.body);
}

/* ------------------------------------------------- export result memory */

/* Every allocation that an export returns is chained here; the post-return
 * function releases the whole chain. 16-byte header keeps 16-byte alignment. */
typedef struct grain_ret_hdr {
    struct grain_ret_hdr *next;
    uint32_t pad[3];
} grain_ret_hdr;

static grain_ret_hdr *grain_ret_chain;
/* The area pointer the last export returned; post-return must get exactly it. */
static void *grain_ret_last_area;
static int grain_ret_pending;

GRAIN_FN void *grain_ret_alloc(size_t n) {
    if (n > SIZE_MAX - sizeof(grain_ret_hdr)) __builtin_trap();
    grain_ret_hdr *h = (grain_ret_hdr *)malloc(sizeof(grain_ret_hdr) + n);
    if (h == NULL) __builtin_trap();
    h->next = grain_ret_chain;
    grain_ret_chain = h;
    return h + 1;
}

GRAIN_FN grain_str grain_ret_strn(const char *s, size_t n) {
    grain_str r;
    if (n == 0) {
        r.ptr = (char *)1;
        r.len = 0;
        return r;
    }
    r.ptr = (char *)grain_ret_alloc(n);
    memcpy(r.ptr, s, n);
    r.len = (uint32_t)n;
    return r;
}

GRAIN_FN grain_str grain_ret_str(const char *s) { return grain_ret_strn(s, strlen(s)); }

/* Called by each export just before it returns its area pointer. */
GRAIN_FN void *grain_ret_area(void *area) {
    grain_ret_last_area = area;
    grain_ret_pending = 1;
    return area;
}

/* Body of every post-return function. A post-return with any other pointer than
 * the one the export returned, or twice, is a host bug: trap. */
GRAIN_FN void grain_ret_release(void *area) {
    if (!grain_ret_pending || area != grain_ret_last_area) __builtin_trap();
    grain_ret_pending = 0;
    while (grain_ret_chain != NULL) {
        grain_ret_hdr *next = grain_ret_chain->next;
        free(grain_ret_chain);
        grain_ret_chain = next;
    }
}

/* Define the post-return export of an export: GRAIN_POST_RETURN("plugin", "init", plugin_init) */
#define GRAIN_POST_RETURN(iface, fn, cname)                                     \
    GRAIN_EXPORT_POST(iface, fn) void grain_post_##cname(void *area) { grain_ret_release(area); }

/* ------------------------------------------------------ string building */

typedef struct {
    char *ptr;
    size_t len;
    size_t cap;
} grain_buf;

GRAIN_FN void grain_buf_reserve(grain_buf *b, size_t extra) {
    if (extra > SIZE_MAX - b->len) __builtin_trap();
    size_t need = b->len + extra;
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) { cap = need; break; }
        cap *= 2;
    }
    char *p = (char *)realloc(b->ptr, cap);
    if (p == NULL) __builtin_trap();
    b->ptr = p;
    b->cap = cap;
}

GRAIN_FN void grain_buf_putn(grain_buf *b, const char *s, size_t n) {
    grain_buf_reserve(b, n);
    memcpy(b->ptr + b->len, s, n);
    b->len += n;
}

GRAIN_FN void grain_buf_puts(grain_buf *b, const char *s) { grain_buf_putn(b, s, strlen(s)); }

GRAIN_FN void grain_buf_putc(grain_buf *b, char c) { grain_buf_putn(b, &c, 1); }

GRAIN_FN void grain_buf_put_u64(grain_buf *b, uint64_t v) {
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    grain_buf_putn(b, tmp + i, sizeof tmp - i);
}

GRAIN_FN void grain_buf_put_i64(grain_buf *b, int64_t v) {
    if (v < 0) {
        grain_buf_putc(b, '-');
        grain_buf_put_u64(b, (uint64_t)0 - (uint64_t)v);
    } else {
        grain_buf_put_u64(b, (uint64_t)v);
    }
}

/* Append s as a JSON string literal (with quotes); escapes ", \ and control chars.
 * Bytes >= 0x80 are copied unchanged (the input is expected to be UTF-8). */
GRAIN_FN void grain_buf_put_json_strn(grain_buf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    grain_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': grain_buf_puts(b, "\\\""); break;
        case '\\': grain_buf_puts(b, "\\\\"); break;
        case '\n': grain_buf_puts(b, "\\n"); break;
        case '\r': grain_buf_puts(b, "\\r"); break;
        case '\t': grain_buf_puts(b, "\\t"); break;
        case '\b': grain_buf_puts(b, "\\b"); break;
        case '\f': grain_buf_puts(b, "\\f"); break;
        default:
            if (c < 0x20) {
                char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                grain_buf_putn(b, esc, 6);
            } else {
                grain_buf_putc(b, (char)c);
            }
        }
    }
    grain_buf_putc(b, '"');
}

GRAIN_FN void grain_buf_put_json_str(grain_buf *b, const char *s) {
    grain_buf_put_json_strn(b, s, strlen(s));
}

/* Move the buffer into export-result memory and reset it. */
GRAIN_FN grain_str grain_buf_into_ret(grain_buf *b) {
    grain_str r = grain_ret_strn(b->ptr, b->len);
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
    return r;
}

/* NUL-terminated heap copy of a counted string (caller frees). */
GRAIN_FN char *grain_cstr(const char *s, size_t n) {
    char *p = (char *)malloc(n + 1);
    if (p == NULL) __builtin_trap();
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* -------------------------------------------------- naive JSON arg reading */

/* Find `"key"` followed by optional whitespace and ':'; returns a pointer to the
 * first non-space character of the value, or NULL. Naive: no nesting awareness. */
GRAIN_FN const char *grain_json_find(const char *json, size_t n, const char *key) {
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl + 2 <= n; i++) {
        if (json[i] != '"' || memcmp(json + i + 1, key, kl) != 0 || json[i + 1 + kl] != '"') continue;
        size_t j = i + kl + 2;
        while (j < n && (json[j] == ' ' || json[j] == '\t' || json[j] == '\n' || json[j] == '\r')) j++;
        if (j >= n || json[j] != ':') continue;
        j++;
        while (j < n && (json[j] == ' ' || json[j] == '\t' || json[j] == '\n' || json[j] == '\r')) j++;
        if (j >= n) return NULL;
        return json + j;
    }
    return NULL;
}

/* Read the string value of `key` into a fresh NUL-terminated heap string (caller
 * frees), decoding the simple escapes \" \\ \/ \b \f \n \r \t (\uXXXX is kept
 * verbatim). *out_len gets the decoded length. NULL when absent / not a string. */
GRAIN_FN char *grain_json_get_str(const char *json, size_t n, const char *key, size_t *out_len) {
    const char *v = grain_json_find(json, n, key);
    if (v == NULL || *v != '"') return NULL;
    const char *end = json + n;
    const char *p = v + 1;
    grain_buf b = {0};
    grain_buf_reserve(&b, 1);
    while (p < end && *p != '"') {
        if (*p == '\\' && p + 1 < end) {
            char c = p[1];
            switch (c) {
            case 'n': grain_buf_putc(&b, '\n'); break;
            case 'r': grain_buf_putc(&b, '\r'); break;
            case 't': grain_buf_putc(&b, '\t'); break;
            case 'b': grain_buf_putc(&b, '\b'); break;
            case 'f': grain_buf_putc(&b, '\f'); break;
            case 'u': grain_buf_putn(&b, p, 2); break;
            default: grain_buf_putc(&b, c); break; /* \" \\ \/ */
            }
            p += 2;
        } else {
            grain_buf_putc(&b, *p);
            p++;
        }
    }
    if (p >= end) { /* unterminated */
        free(b.ptr);
        return NULL;
    }
    grain_buf_putc(&b, 0);
    if (out_len) *out_len = b.len - 1;
    return b.ptr;
}

/* Read a non-negative integer value of `key`; returns dflt when absent. */
GRAIN_FN uint64_t grain_json_get_uint(const char *json, size_t n, const char *key, uint64_t dflt) {
    const char *v = grain_json_find(json, n, key);
    if (v == NULL || *v < '0' || *v > '9') return dflt;
    const char *end = json + n;
    uint64_t r = 0;
    while (v < end && *v >= '0' && *v <= '9') {
        if (r > (UINT64_MAX - 9) / 10) return dflt;
        r = r * 10 + (uint64_t)(*v - '0');
        v++;
    }
    return r;
}

/* ------------------------------------------------------- host helpers */

GRAIN_FN void grain_log(uint32_t level, const char *msg) {
    grain_host_log(level, msg, (uint32_t)strlen(msg));
}

/* env-get wrapper: returns a NUL-terminated heap copy (caller frees) or NULL for
 * none; frees the host-allocated result. */
GRAIN_FN char *grain_env_get(const char *key, size_t *out_len) {
    grain_opt_str r;
    grain_host_env_get(key, (uint32_t)strlen(key), &r);
    if (!r.is_some) return NULL;
    char *v = grain_cstr(r.val.ptr, r.val.len);
    if (out_len) *out_len = r.val.len;
    grain_free_str(r.val);
    return v;
}

/* True when env-get(key) is some(expected). */
GRAIN_FN int grain_env_is(const char *key, const char *expected) {
    size_t n = 0;
    char *v = grain_env_get(key, &n);
    int eq = v != NULL && n == strlen(expected) && memcmp(v, expected, n) == 0;
    free(v);
    return eq;
}

GRAIN_FN grain_tool_def grain_tool(const char *name, const char *label, const char *description,
                                 const char *parameters_json) {
    grain_tool_def d;
    d.name = grain_ret_str(name);
    d.label = grain_ret_str(label);
    d.description = grain_ret_str(description);
    d.parameters_json = grain_ret_str(parameters_json);
    return d;
}

/* list-tools for fixtures whose tools are named only: label = name, one description, an
 * open object schema. Fills *area (a static) and returns it as the export's return area. */
GRAIN_FN grain_list *grain_named_tools(grain_list *area, const char *const *names, size_t count,
                                       const char *description) {
    grain_tool_def *t = (grain_tool_def *)grain_ret_alloc(count * sizeof(grain_tool_def));
    for (size_t i = 0; i < count; i++) {
        t[i] = grain_tool(names[i], names[i], description, "{\"type\":\"object\",\"additionalProperties\":true}");
    }
    area->ptr = t;
    area->len = count;
    return grain_ret_area(area);
}

/* Whether the (name, len) string a guest export received equals tool. */
GRAIN_FN int grain_is(const char *name, uint32_t len, const char *tool) {
    return strlen(tool) == len && memcmp(name, tool, len) == 0;
}

#endif /* GRAIN_ABI_H */
