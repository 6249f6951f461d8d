/*
 * Fixture v1 (world grain-plugin): exercises every host import and the WASI
 * preview1 functions a C guest typically uses.
 * Built twice: v1-legacy.wasm and v1-standard.wasm (-DGRAIN_STANDARD_MANGLING).
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "grain_abi.h"

/* ------------------------------------------------------------------ init */

static grain_result_info init_area;

GRAIN_EXPORT("plugin", "init")
grain_result_info *v1_init(void) {
    if (grain_env_is("GRAIN_FAIL_INIT", "1")) {
        init_area.is_err = 1;
        init_area.val.err = grain_ret_str("init failed on request");
    } else {
        init_area.is_err = 0;
        init_area.val.ok.name = grain_ret_str("fixture-v1");
        init_area.val.ok.version = grain_ret_str("1.2.3");
    }
    return grain_ret_area(&init_area);
}
GRAIN_POST_RETURN("plugin", "init", plugin_init)

/* ------------------------------------------------------------ list-tools */

static grain_list tools_area;

GRAIN_EXPORT("plugin", "list-tools")
grain_list *v1_list_tools(void) {
    enum { N = 8 };
    grain_tool_def *t = (grain_tool_def *)grain_ret_alloc(N * sizeof(grain_tool_def));
    t[0] = grain_tool("echo", "Echo", "Returns its arguments unchanged.",
                      "{\"type\":\"object\",\"additionalProperties\":true}");
    t[1] = grain_tool("log", "Log", "Logs one message at each log level (debug, info, warn, error).",
                      "{\"type\":\"object\",\"properties\":{}}");
    t[2] = grain_tool("env", "Environment", "Reads one variable through the host env-get function.",
                      "{\"type\":\"object\",\"properties\":{\"key\":{\"type\":\"string\"}},\"required\":[\"key\"]}");
    t[3] = grain_tool("http_get", "HTTP GET", "Fetches a URL through the host http-get function.",
                      "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\"}},\"required\":[\"url\"]}");
    t[4] = grain_tool("http_post", "HTTP POST", "Posts a text body to a URL through the host http-post function.",
                      "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\"},\"body\":{\"type\":\"string\"}},"
                      "\"required\":[\"url\",\"body\"]}");
    t[5] = grain_tool("wasi", "WASI", "Uses WASI stdout, stderr, clock, random and environment.",
                      "{\"type\":\"object\",\"properties\":{}}");
    t[6] = grain_tool("fail", "Fail", "Always returns an error result.",
                      "{\"type\":\"object\",\"properties\":{}}");
    t[7] = grain_tool("big", "Big", "Returns a JSON string of `size` 'a' characters.",
                      "{\"type\":\"object\",\"properties\":{\"size\":{\"type\":\"integer\",\"minimum\":0}},\"required\":[\"size\"]}");
    tools_area.ptr = t;
    tools_area.len = N;
    return grain_ret_area(&tools_area);
}
GRAIN_POST_RETURN("plugin", "list-tools", plugin_list_tools)

/* ------------------------------------------------------------- call-tool */

static grain_tool_result call_area;

static int name_is(const char *name, size_t n, const char *lit) {
    return n == strlen(lit) && memcmp(name, lit, n) == 0;
}

static void result_json(grain_buf *b, int is_error) {
    call_area.content_json = grain_buf_into_ret(b);
    call_area.is_error = (uint8_t)is_error;
}

static void result_lit(const char *json, int is_error) {
    call_area.content_json = grain_ret_str(json);
    call_area.is_error = (uint8_t)is_error;
}

static void tool_env(const char *args, size_t n) {
    size_t kl = 0;
    char *key = grain_json_get_str(args, n, "key", &kl);
    if (key == NULL) {
        result_lit("{\"error\":\"missing string argument: key\"}", 1);
        return;
    }
    size_t vl = 0;
    grain_opt_str r;
    grain_host_env_get(key, (uint32_t)kl, &r);
    grain_buf b = {0};
    grain_buf_puts(&b, "{\"key\":");
    grain_buf_put_json_strn(&b, key, kl);
    grain_buf_puts(&b, ",\"value\":");
    if (r.is_some) {
        vl = r.val.len;
        grain_buf_put_json_strn(&b, r.val.ptr, vl);
        grain_free_str(r.val);
    } else {
        grain_buf_puts(&b, "null");
    }
    grain_buf_putc(&b, '}');
    free(key);
    result_json(&b, 0);
}

static int ascii_ieq(const char *a, size_t an, const char *lit) {
    size_t ln = strlen(lit);
    if (an != ln) return 0;
    for (size_t i = 0; i < an; i++) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != lit[i]) return 0;
    }
    return 1;
}

/* Turns an http-* import result into the tool result and frees it. */
static void http_result(grain_result_http *r) {
    grain_buf b = {0};
    if (r->is_err) {
        grain_buf_puts(&b, "{\"error\":");
        grain_buf_put_json_strn(&b, r->val.err.ptr, r->val.err.len);
        grain_buf_putc(&b, '}');
        grain_free_http_result(r);
        result_json(&b, 1);
        return;
    }
    grain_http_response *resp = &r->val.ok;
    grain_tuple_str *h = (grain_tuple_str *)resp->headers.ptr;
    const char *echo = "";
    size_t echo_len = 0;
    for (uint32_t i = 0; i < resp->headers.len; i++) {
        if (ascii_ieq(h[i].a.ptr, h[i].a.len, "x-echo")) {
            echo = h[i].b.ptr;
            echo_len = h[i].b.len;
            break;
        }
    }
    grain_buf_puts(&b, "{\"status\":");
    grain_buf_put_u64(&b, resp->status);
    grain_buf_puts(&b, ",\"headers\":");
    grain_buf_put_u64(&b, resp->headers.len);
    grain_buf_puts(&b, ",\"body\":");
    grain_buf_put_json_strn(&b, resp->body.ptr, resp->body.len);
    grain_buf_puts(&b, ",\"echo\":");
    grain_buf_put_json_strn(&b, echo, echo_len);
    grain_buf_putc(&b, '}');
    grain_free_http_result(r);
    result_json(&b, 0);
}

static const char S_ACCEPT[] = "accept";
static const char S_JSON[] = "application/json";
static const char S_XTEST[] = "x-grain-test";
static const char S_ONE[] = "1";
static const char S_CTYPE[] = "content-type";
static const char S_TEXT[] = "text/plain";
#define LIT(s) {(char *)(s), sizeof(s) - 1}

static void tool_http_get(const char *args, size_t n) {
    size_t ul = 0;
    char *url = grain_json_get_str(args, n, "url", &ul);
    if (url == NULL) {
        result_lit("{\"error\":\"missing string argument: url\"}", 1);
        return;
    }
    static const grain_tuple_str headers[2] = {
        {LIT(S_ACCEPT), LIT(S_JSON)},
        {LIT(S_XTEST), LIT(S_ONE)},
    };
    grain_result_http r;
    grain_host_http_get(url, (uint32_t)ul, headers, 2, &r);
    free(url);
    http_result(&r);
}

static void tool_http_post(const char *args, size_t n) {
    size_t ul = 0, bl = 0;
    char *url = grain_json_get_str(args, n, "url", &ul);
    char *body = grain_json_get_str(args, n, "body", &bl);
    if (url == NULL || body == NULL) {
        free(url);
        free(body);
        result_lit("{\"error\":\"missing string arguments: url, body\"}", 1);
        return;
    }
    static const grain_tuple_str headers[1] = {
        {LIT(S_CTYPE), LIT(S_TEXT)},
    };
    grain_result_http r;
    grain_host_http_post(url, (uint32_t)ul, headers, 1, body, (uint32_t)bl, &r);
    free(url);
    free(body);
    http_result(&r);
}

static void tool_wasi(void) {
    fputs("stdout line\n", stdout);
    fflush(stdout);
    fputs("stderr line\n", stderr);
    fflush(stderr);

    struct timespec ts = {0, 0};
    int clock_ok = clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 1577836800; /* 2020-01-01 */

    unsigned char rnd[16];
    memset(rnd, 0, sizeof rnd);
    int random_ok = 0;
    if (getentropy(rnd, sizeof rnd) == 0) {
        for (size_t i = 0; i < sizeof rnd; i++) random_ok |= rnd[i] != 0;
    }

    const char *env = getenv("GRAIN_WASI_ENV");
    grain_buf b = {0};
    grain_buf_puts(&b, "{\"clock_ok\":");
    grain_buf_puts(&b, clock_ok ? "true" : "false");
    grain_buf_puts(&b, ",\"random_ok\":");
    grain_buf_puts(&b, random_ok ? "true" : "false");
    grain_buf_puts(&b, ",\"wasi_env\":");
    grain_buf_put_json_str(&b, env ? env : "");
    grain_buf_putc(&b, '}');
    result_json(&b, 0);
}

static void tool_big(const char *args, size_t n) {
    uint64_t size = grain_json_get_uint(args, n, "size", 0);
    if (size > 0x7fffffffu) {
        result_lit("{\"error\":\"size too large\"}", 1);
        return;
    }
    char *p = (char *)grain_ret_alloc((size_t)size + 2);
    p[0] = '"';
    memset(p + 1, 'a', (size_t)size);
    p[size + 1] = '"';
    call_area.content_json.ptr = p;
    call_area.content_json.len = (uint32_t)size + 2;
    call_area.is_error = 0;
}

GRAIN_EXPORT("plugin", "call-tool")
grain_tool_result *v1_call_tool(char *name, uint32_t name_len, char *args, uint32_t args_len) {
    if (name_is(name, name_len, "echo")) {
        call_area.content_json = grain_ret_strn(args, args_len);
        call_area.is_error = 0;
    } else if (name_is(name, name_len, "log")) {
        grain_log(GRAIN_LOG_DEBUG, "debug message");
        grain_log(GRAIN_LOG_INFO, "info message");
        grain_log(GRAIN_LOG_WARN, "warn message");
        grain_log(GRAIN_LOG_ERROR, "error message");
        result_lit("{\"logged\":4}", 0);
    } else if (name_is(name, name_len, "env")) {
        tool_env(args, args_len);
    } else if (name_is(name, name_len, "http_get")) {
        tool_http_get(args, args_len);
    } else if (name_is(name, name_len, "http_post")) {
        tool_http_post(args, args_len);
    } else if (name_is(name, name_len, "wasi")) {
        tool_wasi();
    } else if (name_is(name, name_len, "fail")) {
        result_lit("{\"message\":\"failed on request\"}", 1);
    } else if (name_is(name, name_len, "big")) {
        tool_big(args, args_len);
    } else {
        grain_buf msg = {0};
        grain_buf_puts(&msg, "unknown tool: ");
        grain_buf_putn(&msg, name, name_len);
        grain_buf b = {0};
        grain_buf_puts(&b, "{\"error\":");
        grain_buf_put_json_strn(&b, msg.ptr, msg.len);
        free(msg.ptr);
        grain_buf_putc(&b, '}');
        result_json(&b, 1);
    }
    /* the guest owns (and frees) export parameters */
    grain_free_buf(name, name_len);
    grain_free_buf(args, args_len);
    return grain_ret_area(&call_area);
}
GRAIN_POST_RETURN("plugin", "call-tool", plugin_call_tool)
