/*
 * Fixture wasi-http (world grain-plugin, legacy mangling): a core module importing
 * wasi:http/types and outgoing-handler directly (@0.2.0 and @0.2.10 mixed), lowering
 * written by hand, to reach exact error-codes and misuse no JavaScript fetch produces.
 * The request target's authority comes from args {"authority":"127.0.0.1:PORT"}
 * (scheme http, path /echo).
 *
 * init -> ok({"wasi-http","0.1.0"}). call-tool by name:
 *   headers        fields.from-list([("bad name","v")]), ([("host","x")]), ([("x-ok","v")]);
 *                  append "bad name" / "connection" / "x-ok" to a new fields
 *                  -> {"from_list":["invalid-syntax","forbidden","ok"],"append":[...]}
 *   body_over_cap  POST: writes 1 MiB chunks to the request body (at most 64) until a
 *                  write fails, drops the stream, handle, finish, future.get
 *                  -> {"chunks":N,"write":"err","finish":"<error-code>","get":"<error-code>"}
 *   get_twice      GET, handle, future.get twice, consume twice, stream twice,
 *                  blocking-read(2 GiB) of the body
 *                  -> {"status":200,"second_get":"err","second_consume":"err",
 *                      "second_stream":"err","read":N}
 *   dropped_handle drops an incoming-response, then consumes it (traps)
 *   bogus_handle   fields.append on handle 424242 (traps)
 *   send           args {"authority","method","path","body","chunk"} (body and chunk as
 *                  decimal strings): a request with that method (get, head, post, put,
 *                  delete, connect, options, trace, patch, anything else other(name)) and,
 *                  when body is given, a body of that many bytes, byte i being i mod 256,
 *                  written 4096 bytes at a time; the response body read with
 *                  blocking-read(chunk) until closed
 *                  -> {"status":S,"bytes":N,"reads":R,"fnv1a":"<16 hex>","hex":"<bytes>"}
 *                  (hex only up to 512 bytes) or {"handle"|"get":"<error-code>"}
 */
#include "grain_abi.h"

#define TYPES "wasi:http/types@0.2.0"
#define WASI(module, name) __attribute__((import_module(module), import_name(name)))

typedef struct { uint8_t is_err; uint8_t _p[3]; uint32_t handle; } res_handle;          /* 8/4 */
typedef struct { uint8_t is_err; uint8_t code; } res_header;                             /* 2/1 */
typedef struct { uint8_t is_err; uint8_t _p[7]; uint8_t v[32]; } res_error_code;         /* error-code at 8 */
typedef struct { uint8_t is_some; uint8_t _p[7]; uint8_t outer; uint8_t _q[7]; uint8_t inner; uint8_t _r[7];
                 union { uint32_t handle; uint8_t code; } v; uint8_t _s[28]; } opt_future_result;
typedef struct { uint8_t is_err; uint8_t _p[3]; uint32_t a; uint32_t b; } res12;
typedef struct { const char *name; uint32_t name_len; const uint8_t *value; uint32_t value_len; } field_entry;
_Static_assert(sizeof(res_handle) == 8, "result<own<T>>");
_Static_assert(sizeof(field_entry) == 16, "tuple<string, list<u8>>");
_Static_assert(__builtin_offsetof(opt_future_result, v) == 24, "option<result<result<own, error-code>>>");

WASI(TYPES, "[constructor]fields") int32_t fields_new(void);
WASI(TYPES, "[static]fields.from-list") void fields_from_list(const field_entry *ptr, uint32_t len, res_handle *ret);
WASI(TYPES, "[method]fields.append")
void fields_append(int32_t self, const char *n, uint32_t nl, const uint8_t *v, uint32_t vl, res_header *ret);
WASI(TYPES, "[resource-drop]fields") void fields_drop(int32_t self);
WASI(TYPES, "[constructor]outgoing-request") int32_t request_new(int32_t headers);
WASI(TYPES, "[method]outgoing-request.set-method")
int32_t request_set_method(int32_t self, int32_t disc, const char *p, uint32_t l);
WASI(TYPES, "[method]outgoing-request.set-scheme")
int32_t request_set_scheme(int32_t self, int32_t some, int32_t disc, const char *p, uint32_t l);
WASI(TYPES, "[method]outgoing-request.set-authority")
int32_t request_set_authority(int32_t self, int32_t some, const char *p, uint32_t l);
WASI(TYPES, "[method]outgoing-request.set-path-with-query")
int32_t request_set_path(int32_t self, int32_t some, const char *p, uint32_t l);
WASI(TYPES, "[method]outgoing-request.body") void request_body(int32_t self, res_handle *ret);
WASI(TYPES, "[method]outgoing-body.write") void body_write(int32_t self, res_handle *ret);
WASI(TYPES, "[static]outgoing-body.finish") void body_finish(int32_t self, int32_t some, int32_t trailers, res_error_code *ret);
WASI(TYPES, "[method]future-incoming-response.get") void future_get(int32_t self, opt_future_result *ret);
WASI(TYPES, "[resource-drop]future-incoming-response") void future_drop(int32_t self);
WASI(TYPES, "[method]incoming-response.status") int32_t response_status(int32_t self);
WASI(TYPES, "[method]incoming-response.consume") void response_consume(int32_t self, res_handle *ret);
WASI(TYPES, "[resource-drop]incoming-response") void response_drop(int32_t self);
WASI(TYPES, "[method]incoming-body.stream") void incoming_body_stream(int32_t self, res_handle *ret);
WASI("wasi:http/outgoing-handler@0.2.10", "handle") void http_handle(int32_t request, int32_t some, int32_t options, res_error_code *ret);
WASI("wasi:io/streams@0.2.10", "[method]output-stream.write") void stream_write(int32_t self, const void *p, uint32_t l, res12 *ret);
WASI("wasi:io/streams@0.2.10", "[resource-drop]output-stream") void output_drop(int32_t self);
WASI("wasi:io/streams@0.2.10", "[method]input-stream.blocking-read") void stream_blocking_read(int32_t self, uint64_t len, res12 *ret);

static const char *const ERROR_CODES[] = {
    "DNS-timeout", "DNS-error", "destination-not-found", "destination-unavailable",
    "destination-IP-prohibited", "destination-IP-unroutable", "connection-refused",
    "connection-terminated", "connection-timeout", "connection-read-timeout",
    "connection-write-timeout", "connection-limit-reached", "TLS-protocol-error",
    "TLS-certificate-error", "TLS-alert-received", "HTTP-request-denied",
    "HTTP-request-length-required", "HTTP-request-body-size", "HTTP-request-method-invalid",
    "HTTP-request-URI-invalid", "HTTP-request-URI-too-long", "HTTP-request-header-section-size",
    "HTTP-request-header-size", "HTTP-request-trailer-section-size", "HTTP-request-trailer-size",
    "HTTP-response-incomplete", "HTTP-response-header-section-size", "HTTP-response-header-size",
    "HTTP-response-body-size", "HTTP-response-trailer-section-size", "HTTP-response-trailer-size",
    "HTTP-response-transfer-coding", "HTTP-response-content-coding", "HTTP-response-timeout",
    "HTTP-upgrade-failed", "HTTP-protocol-error", "loop-detected", "configuration-error", "internal-error",
};
static const char *const HEADER_ERRORS[] = {"invalid-syntax", "forbidden", "immutable"};

static void put_code(grain_buf *b, uint8_t code) {
    if (code < sizeof ERROR_CODES / sizeof ERROR_CODES[0]) {
        grain_buf_put_json_strn(b, ERROR_CODES[code], strlen(ERROR_CODES[code]));
    } else {
        grain_buf_puts(b, "\"case ");
        grain_buf_put_u64(b, code);
        grain_buf_putc(b, '"');
    }
}

static void put_header_result(grain_buf *b, uint8_t is_err, uint8_t code) {
    const char *s = !is_err ? "ok" : (code < 3 ? HEADER_ERRORS[code] : "?");
    grain_buf_put_json_strn(b, s, strlen(s));
}

/* ------------------------------------------------------------------ init + list */

static grain_result_info init_area;

GRAIN_EXPORT("plugin", "init")
grain_result_info *w_init(void) {
    init_area.is_err = 0;
    init_area.val.ok.name = grain_ret_str("wasi-http");
    init_area.val.ok.version = grain_ret_str("0.1.0");
    return grain_ret_area(&init_area);
}
GRAIN_POST_RETURN("plugin", "init", plugin_init)

static const char *const TOOL_NAMES[] = {"headers", "body_over_cap", "get_twice", "dropped_handle", "bogus_handle",
                                         "send"};
#define TOOL_COUNT (sizeof TOOL_NAMES / sizeof TOOL_NAMES[0])
static grain_list tools_area;

GRAIN_EXPORT("plugin", "list-tools")
grain_list *w_list_tools(void) {
    return grain_named_tools(&tools_area, TOOL_NAMES, TOOL_COUNT, "Exercises wasi:http imports.");
}
GRAIN_POST_RETURN("plugin", "list-tools", plugin_list_tools)

/* ------------------------------------------------------------------ call-tool */

/* method disc: 0 get, 2 post */
static int32_t new_request(int32_t method, const char *authority, size_t authority_len) {
    int32_t req = request_new(fields_new());
    request_set_method(req, method, 0, 0);
    request_set_scheme(req, 1, 0, 0, 0); /* some(HTTP) */
    request_set_authority(req, 1, authority, (uint32_t)authority_len);
    request_set_path(req, 1, "/echo", 5);
    return req;
}

/* The response of a handled request (its future in *future), or -1 after writing why there is none. */
static int32_t response_of(const res_error_code *h, int32_t *future, grain_buf *b) {
    if (h->is_err) {
        grain_buf_puts(b, "{\"handle\":");
        put_code(b, h->v[0]);
        grain_buf_putc(b, '}');
        return -1;
    }
    *future = (int32_t)*(const uint32_t *)h->v;
    opt_future_result g;
    future_get(*future, &g);
    if (!g.is_some || g.outer || g.inner) {
        grain_buf_puts(b, "{\"get\":");
        if (g.is_some && !g.outer && g.inner) put_code(b, g.v.code); else grain_buf_puts(b, "\"not ready\"");
        grain_buf_putc(b, '}');
        return -1;
    }
    return (int32_t)g.v.handle;
}

static uint8_t chunk[1 << 20];

static const char *const METHODS[] = {"get", "head", "post", "put", "delete", "connect", "options", "trace", "patch"};

static uint64_t arg_u64(const char *args, uint32_t args_len, const char *key, uint64_t fallback) {
    size_t len = 0;
    char *text = grain_json_get_str(args, args_len, key, &len);
    if (!text) return fallback;
    uint64_t v = 0;
    for (size_t i = 0; i < len && text[i] >= '0' && text[i] <= '9'; i++) v = v * 10 + (uint64_t)(text[i] - '0');
    free(text);
    return v;
}

/* send: one request with any method and an optional binary body; the response body read in chunks */
static void send_request(const char *args, uint32_t args_len, const char *authority, size_t alen, grain_buf *b) {
    size_t mlen = 0, plen = 0;
    char *method = grain_json_get_str(args, args_len, "method", &mlen);
    char *path = grain_json_get_str(args, args_len, "path", &plen);
    size_t blen = 0;
    char *body_text = grain_json_get_str(args, args_len, "body", &blen);
    int has_body = body_text != 0;
    free(body_text);
    uint64_t body_len = arg_u64(args, args_len, "body", 0);
    uint64_t read_len = arg_u64(args, args_len, "chunk", 4096);
    int32_t disc = 9;
    for (int32_t i = 0; method && i < 9; i++) {
        if (strlen(METHODS[i]) == mlen && memcmp(METHODS[i], method, mlen) == 0) disc = i;
    }
    int32_t req = request_new(fields_new());
    request_set_method(req, disc, disc == 9 ? method : 0, disc == 9 ? (uint32_t)mlen : 0);
    request_set_scheme(req, 1, 0, 0, 0); /* some(HTTP) */
    request_set_authority(req, 1, authority, (uint32_t)alen);
    request_set_path(req, 1, path ? path : "/", path ? (uint32_t)plen : 1);
    free(method);
    free(path);
    res_handle body = {0};
    if (has_body) {
        res_handle stream;
        request_body(req, &body);
        body_write((int32_t)body.handle, &stream);
        for (uint64_t i = 0; i < 4096; i++) chunk[i] = (uint8_t)i;
        for (uint64_t sent = 0; sent < body_len; sent += 4096) {
            res12 w;
            uint64_t n = body_len - sent < 4096 ? body_len - sent : 4096;
            stream_write((int32_t)stream.handle, chunk, (uint32_t)n, &w);
            if (w.is_err) break;
        }
        output_drop((int32_t)stream.handle);
    }
    res_error_code h;
    http_handle(req, 0, 0, &h);
    if (has_body) {
        res_error_code fin;
        body_finish((int32_t)body.handle, 0, 0, &fin);
    }
    int32_t future = -1;
    int32_t response = response_of(&h, &future, b);
    if (future >= 0) future_drop(future);
    if (response < 0) return;
    res_handle consumed, in;
    response_consume(response, &consumed);
    incoming_body_stream((int32_t)consumed.handle, &in);
    uint64_t total = 0, reads = 0, fnv = 0xcbf29ce484222325ull;
    grain_buf hex = {0};
    for (;;) {
        res12 r;
        stream_blocking_read((int32_t)in.handle, read_len, &r);
        if (r.is_err) break; /* closed (or failed): the body is over */
        const uint8_t *bytes = (const uint8_t *)(uintptr_t)r.a;
        for (uint32_t i = 0; i < r.b; i++) {
            fnv = (fnv ^ bytes[i]) * 0x100000001b3ull;
            if (total + i < 512) {
                static const char DIGITS[] = "0123456789abcdef";
                grain_buf_putc(&hex, DIGITS[bytes[i] >> 4]);
                grain_buf_putc(&hex, DIGITS[bytes[i] & 15]);
            }
        }
        total += r.b;
        reads++;
        grain_free_buf((void *)(uintptr_t)r.a, r.b);
    }
    grain_buf_puts(b, "{\"status\":");
    grain_buf_put_u64(b, (uint64_t)response_status(response));
    grain_buf_puts(b, ",\"bytes\":");
    grain_buf_put_u64(b, total);
    grain_buf_puts(b, ",\"reads\":");
    grain_buf_put_u64(b, reads);
    grain_buf_puts(b, ",\"fnv1a\":\"");
    for (int shift = 60; shift >= 0; shift -= 4) grain_buf_putc(b, "0123456789abcdef"[(fnv >> shift) & 15]);
    grain_buf_putc(b, '"');
    if (total <= 512) {
        grain_buf_puts(b, ",\"hex\":\"");
        grain_buf_putn(b, hex.ptr ? hex.ptr : "", hex.len);
        grain_buf_putc(b, '"');
    }
    grain_buf_putc(b, '}');
    free(hex.ptr);
}

static void run(const char *name, uint32_t name_len, const char *args, uint32_t args_len, grain_buf *b) {
    size_t alen = 0;
    char *authority = grain_json_get_str(args, args_len, "authority", &alen);
    if (!authority) authority = grain_cstr("127.0.0.1:9", 11), alen = 11;
    if (grain_is(name, name_len, "headers")) {
        static const char *const NAMES[] = {"bad name", "host", "x-ok"};
        static const char *const APPENDED[] = {"bad name", "connection", "x-ok"};
        grain_buf_puts(b, "{\"from_list\":[");
        for (int i = 0; i < 3; i++) {
            field_entry e = {NAMES[i], (uint32_t)strlen(NAMES[i]), (const uint8_t *)"v", 1};
            res_handle r;
            fields_from_list(&e, 1, &r);
            if (i) grain_buf_putc(b, ',');
            put_header_result(b, r.is_err, (uint8_t)r.handle);
            if (!r.is_err) fields_drop((int32_t)r.handle);
        }
        grain_buf_puts(b, "],\"append\":[");
        int32_t f = fields_new();
        for (int i = 0; i < 3; i++) {
            res_header r;
            fields_append(f, APPENDED[i], (uint32_t)strlen(APPENDED[i]), (const uint8_t *)"v", 1, &r);
            if (i) grain_buf_putc(b, ',');
            put_header_result(b, r.is_err, r.code);
        }
        fields_drop(f);
        grain_buf_puts(b, "]}");
    } else if (grain_is(name, name_len, "body_over_cap")) {
        int32_t req = new_request(2, authority, alen);
        res_handle body, stream;
        request_body(req, &body);
        body_write((int32_t)body.handle, &stream);
        memset(chunk, 'b', sizeof chunk);
        uint64_t chunks = 0;
        res12 w = {0};
        while (chunks < 64) {
            stream_write((int32_t)stream.handle, chunk, sizeof chunk, &w);
            if (w.is_err) break;
            chunks++;
        }
        output_drop((int32_t)stream.handle);
        res_error_code h;
        http_handle(req, 0, 0, &h);
        res_error_code fin;
        body_finish((int32_t)body.handle, 0, 0, &fin);
        grain_buf_puts(b, "{\"chunks\":");
        grain_buf_put_u64(b, chunks);
        grain_buf_puts(b, w.is_err ? ",\"write\":\"err\",\"finish\":" : ",\"write\":\"ok\",\"finish\":");
        if (fin.is_err) put_code(b, fin.v[0]); else grain_buf_puts(b, "\"ok\"");
        grain_buf_puts(b, ",\"get\":");
        if (h.is_err) {
            grain_buf_puts(b, "\"handle failed\"");
        } else {
            opt_future_result g;
            int32_t future = (int32_t)*(uint32_t *)h.v;
            future_get(future, &g);
            if (!g.is_some) grain_buf_puts(b, "\"pending\"");
            else if (g.outer) grain_buf_puts(b, "\"taken\"");
            else if (g.inner) put_code(b, g.v.code);
            else grain_buf_puts(b, "\"ok\"");
            future_drop(future);
        }
        grain_buf_putc(b, '}');
    } else if (grain_is(name, name_len, "get_twice") || grain_is(name, name_len, "dropped_handle")) {
        int32_t req = new_request(0, authority, alen);
        res_error_code h;
        http_handle(req, 0, 0, &h);
        int32_t future = -1;
        int32_t response = response_of(&h, &future, b);
        if (response < 0) return;
        opt_future_result g2;
        if (grain_is(name, name_len, "dropped_handle")) {
            response_drop(response);
            res_handle c;
            response_consume(response, &c); /* traps */
            grain_buf_puts(b, "{\"consumed_a_dropped_handle\":true}");
            return;
        }
        future_get(future, &g2);
        res_handle c1, c2, s1, s2;
        response_consume(response, &c1);
        response_consume(response, &c2);
        incoming_body_stream((int32_t)c1.handle, &s1);
        incoming_body_stream((int32_t)c1.handle, &s2);
        res12 r;
        stream_blocking_read((int32_t)s1.handle, (uint64_t)1 << 31, &r);
        grain_buf_puts(b, "{\"status\":");
        grain_buf_put_u64(b, (uint64_t)response_status(response));
        grain_buf_puts(b, ",\"second_get\":");
        grain_buf_puts(b, !g2.is_some ? "\"none\"" : g2.outer ? "\"err\"" : "\"ok\"");
        grain_buf_puts(b, c2.is_err ? ",\"second_consume\":\"err\"" : ",\"second_consume\":\"ok\"");
        grain_buf_puts(b, s2.is_err ? ",\"second_stream\":\"err\"" : ",\"second_stream\":\"ok\"");
        grain_buf_puts(b, ",\"read\":");
        grain_buf_put_u64(b, r.is_err ? 0 : r.b);
        grain_buf_puts(b, ",\"body\":");
        if (!r.is_err) grain_buf_put_json_strn(b, (const char *)(uintptr_t)r.a, r.b); else grain_buf_puts(b, "null");
        grain_buf_putc(b, '}');
    } else if (grain_is(name, name_len, "send")) {
        send_request(args, args_len, authority, alen, b);
    } else if (grain_is(name, name_len, "bogus_handle")) {
        res_header r;
        fields_append(424242, "x-a", 3, (const uint8_t *)"v", 1, &r); /* traps */
        grain_buf_puts(b, "{\"appended_to_a_bogus_handle\":true}");
    }
    if (b->len == 0) grain_buf_puts(b, "{\"error\":\"unknown tool\"}");
}

static grain_tool_result call_area;

GRAIN_EXPORT("plugin", "call-tool")
grain_tool_result *w_call_tool(char *name, uint32_t name_len, char *args, uint32_t args_len) {
    grain_buf b = {0};
    run(name, name_len, args, args_len, &b);
    call_area.content_json = grain_buf_into_ret(&b);
    call_area.is_error = 0;
    grain_free_buf(name, name_len);
    grain_free_buf(args, args_len);
    return grain_ret_area(&call_area);
}
GRAIN_POST_RETURN("plugin", "call-tool", plugin_call_tool)
