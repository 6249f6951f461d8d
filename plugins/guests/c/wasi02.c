/*
 * Fixture wasi02 (world grain-plugin, legacy mangling): a core module that imports
 * WASI 0.2 interfaces directly, as a component's main module does (componentize-js,
 * Rust wasm32-wasip2), with the canonical-ABI lowering written by hand. Interface
 * versions are mixed on purpose (@0.2.0, @0.2.3, @0.2.12): a host matches them by
 * interface, whatever the patch version. No preview1 imports.
 *
 * init -> ok({"wasi02","0.1.0"}). call-tool by name (args JSON):
 *   stdout {"text":t}  blocking-write-and-flush(t "\n") to stdout; check-write, write
 *                      ("err: " t "\n"), blocking-flush to stderr; drops both
 *                      -> {"ok":true,"permit":N}
 *   partial            writes "no newline" to stdout without flushing, then drops it
 *   flood {"count":n}  n lines of 100 'x' to stdout -> {"lines":n}
 *   clocks             wall-clock now, monotonic now twice around a 1 ms pollable.block
 *                      -> {"wall_ok":b,"mono_ok":b}
 *   random             get-random-bytes(16), get-random-u64, insecure-seed -> {"bytes":16,...}
 *   env                environment, arguments, initial-cwd, preopens, terminal-stdout
 *                      -> {"env":0,"args":0,"cwd":null,"preopens":0,"terminal":null}
 *   stdin              blocking-read(2 GiB) and read(2^64-1) of stdin -> {"closed":true,"bytes":0}
 *   bogus_handle       writes to output-stream handle 424242 (traps)
 *   double_drop        drops its stdout handle twice (traps)
 *   use_after_drop     writes to a dropped stdout handle (traps)
 *   wrong_type         writes to a pollable's handle as an output-stream (traps)
 *   never_fires        blocks on subscribe-duration(2^64-1) (bounded by the deadline)
 *   poll_never         poll([duration 2^64-1, instant 2^64-1]) (bounded by the deadline)
 *   poll_empty         poll([]) (traps)
 *   exit               wasi:cli/exit exit(err) (traps as exit)
 *   descriptor         wasi:filesystem/types get-type on handle 3 (traps: no descriptor exists)
 *   random_huge        get-random-bytes(2^40) (traps)
 *   handles            takes 5000 pollables without dropping them (traps at the host's limit)
 */
#include "grain_abi.h"

#define WASI(module, name) __attribute__((import_module(module), import_name(name)))
#define IO_STREAMS "wasi:io/streams@0.2.3"
#define IO_POLL "wasi:io/poll@0.2.0"

typedef struct { uint8_t is_err; uint8_t _p[3]; uint32_t a; uint32_t b; } wasi_result12; /* 12/4 */
typedef struct { uint8_t is_err; uint8_t _p[7]; uint64_t value; } wasi_result_u64;      /* 16/8 */
typedef struct { uint64_t seconds; uint32_t nanoseconds; uint32_t _p; } wasi_datetime;  /* 16/8 */
typedef struct { uint32_t ptr; uint32_t len; } wasi_list;
typedef struct { uint8_t is_some; uint8_t _p[3]; uint32_t ptr; uint32_t len; } wasi_option_str;
typedef struct { uint8_t is_some; uint8_t _p[3]; uint32_t handle; } wasi_option_handle;
typedef struct { uint64_t a; uint64_t b; } wasi_u64_pair;
_Static_assert(sizeof(wasi_result12) == 12, "result<list<u8>,stream-error>");
_Static_assert(sizeof(wasi_result_u64) == 16, "result<u64,stream-error>");
_Static_assert(sizeof(wasi_datetime) == 16, "datetime");

WASI("wasi:cli/stdout@0.2.12", "get-stdout") int32_t wasi_get_stdout(void);
WASI("wasi:cli/stderr@0.2.0", "get-stderr") int32_t wasi_get_stderr(void);
WASI("wasi:cli/stdin@0.2.3", "get-stdin") int32_t wasi_get_stdin(void);
WASI(IO_STREAMS, "[method]output-stream.blocking-write-and-flush")
void wasi_blocking_write_and_flush(int32_t self, const void *ptr, uint32_t len, wasi_result12 *ret);
WASI(IO_STREAMS, "[method]output-stream.check-write") void wasi_check_write(int32_t self, wasi_result_u64 *ret);
WASI(IO_STREAMS, "[method]output-stream.write")
void wasi_write(int32_t self, const void *ptr, uint32_t len, wasi_result12 *ret);
WASI(IO_STREAMS, "[method]output-stream.blocking-flush") void wasi_blocking_flush(int32_t self, wasi_result12 *ret);
WASI(IO_STREAMS, "[resource-drop]output-stream") void wasi_drop_output(int32_t self);
WASI(IO_STREAMS, "[method]input-stream.blocking-read")
void wasi_blocking_read(int32_t self, uint64_t len, wasi_result12 *ret);
WASI(IO_STREAMS, "[method]input-stream.read") void wasi_read(int32_t self, uint64_t len, wasi_result12 *ret);
WASI(IO_STREAMS, "[resource-drop]input-stream") void wasi_drop_input(int32_t self);
WASI(IO_POLL, "[method]pollable.block") void wasi_block(int32_t self);
WASI(IO_POLL, "poll") void wasi_poll(const int32_t *ptr, uint32_t len, wasi_list *ret);
WASI(IO_POLL, "[resource-drop]pollable") void wasi_drop_pollable(int32_t self);
WASI("wasi:clocks/wall-clock@0.2.12", "now") void wasi_wall_now(wasi_datetime *ret);
WASI("wasi:clocks/monotonic-clock@0.2.3", "now") uint64_t wasi_mono_now(void);
WASI("wasi:clocks/monotonic-clock@0.2.3", "subscribe-duration") int32_t wasi_subscribe_duration(uint64_t ns);
WASI("wasi:clocks/monotonic-clock@0.2.3", "subscribe-instant") int32_t wasi_subscribe_instant(uint64_t at);
WASI("wasi:random/random@0.2.0", "get-random-bytes") void wasi_random_bytes(uint64_t len, wasi_list *ret);
WASI("wasi:random/random@0.2.0", "get-random-u64") uint64_t wasi_random_u64(void);
WASI("wasi:random/insecure-seed@0.2.0", "insecure-seed") void wasi_insecure_seed(wasi_u64_pair *ret);
WASI("wasi:cli/environment@0.2.0", "get-environment") void wasi_get_environment(wasi_list *ret);
WASI("wasi:cli/environment@0.2.0", "get-arguments") void wasi_get_arguments(wasi_list *ret);
WASI("wasi:cli/environment@0.2.0", "initial-cwd") void wasi_initial_cwd(wasi_option_str *ret);
WASI("wasi:filesystem/preopens@0.2.0", "get-directories") void wasi_get_directories(wasi_list *ret);
WASI("wasi:filesystem/types@0.2.0", "[method]descriptor.get-type") void wasi_descriptor_get_type(int32_t self, void *ret);
WASI("wasi:cli/terminal-stdout@0.2.0", "get-terminal-stdout") void wasi_terminal_stdout(wasi_option_handle *ret);
WASI("wasi:cli/exit@0.2.0", "exit") void wasi_exit(int32_t status);

/* ------------------------------------------------------------------ init */

static grain_result_info init_area;

GRAIN_EXPORT("plugin", "init")
grain_result_info *w_init(void) {
    init_area.is_err = 0;
    init_area.val.ok.name = grain_ret_str("wasi02");
    init_area.val.ok.version = grain_ret_str("0.1.0");
    return grain_ret_area(&init_area);
}
GRAIN_POST_RETURN("plugin", "init", plugin_init)

/* ------------------------------------------------------------ list-tools */

static const char *const TOOL_NAMES[] = {
    "stdout", "partial", "flood", "clocks", "random", "env", "stdin", "bogus_handle", "double_drop",
    "use_after_drop", "wrong_type", "never_fires", "poll_never", "poll_empty", "exit", "descriptor",
    "random_huge", "handles",
};
#define TOOL_COUNT (sizeof TOOL_NAMES / sizeof TOOL_NAMES[0])

static grain_list tools_area;

GRAIN_EXPORT("plugin", "list-tools")
grain_list *w_list_tools(void) {
    grain_tool_def *t = (grain_tool_def *)grain_ret_alloc(TOOL_COUNT * sizeof(grain_tool_def));
    for (size_t i = 0; i < TOOL_COUNT; i++) {
        t[i] = grain_tool(TOOL_NAMES[i], TOOL_NAMES[i], "Exercises WASI 0.2 imports.",
                          "{\"type\":\"object\",\"additionalProperties\":true}");
    }
    tools_area.ptr = t;
    tools_area.len = TOOL_COUNT;
    return grain_ret_area(&tools_area);
}
GRAIN_POST_RETURN("plugin", "list-tools", plugin_list_tools)

/* ------------------------------------------------------------- call-tool */

static grain_tool_result call_area;

static void put_u64(grain_buf *b, uint64_t v) {
    char digits[24];
    int n = 0;
    do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) grain_buf_putc(b, digits[--n]);
}

static const char *bool_text(int v) { return v ? "true" : "false"; }

static uint64_t json_u64(const char *args, uint32_t len, const char *key) {
    const char *p = grain_json_find(args, len, key);
    uint64_t v = 0;
    while (p && p < args + len && *p >= '0' && *p <= '9') v = v * 10 + (uint64_t)(*p++ - '0');
    return v;
}

static void write_line(int32_t stream, const char *text, size_t n) {
    wasi_result12 r;
    char *line = malloc(n + 1);
    memcpy(line, text, n);
    line[n] = '\n';
    wasi_blocking_write_and_flush(stream, line, (uint32_t)n + 1, &r);
    free(line);
}

static int is(const char *name, uint32_t len, const char *tool) {
    return strlen(tool) == len && memcmp(name, tool, len) == 0;
}

static void run(const char *name, uint32_t name_len, const char *args, uint32_t args_len, grain_buf *b) {
    wasi_result12 r;
    if (is(name, name_len, "stdout")) {
        size_t n = 0;
        char *text = grain_json_get_str(args, args_len, "text", &n);
        if (!text) text = grain_cstr("", 0);
        int32_t out = wasi_get_stdout();
        write_line(out, text, n);
        int32_t err = wasi_get_stderr();
        wasi_result_u64 permit;
        wasi_check_write(err, &permit);
        grain_buf line = {0};
        grain_buf_puts(&line, "err: ");
        grain_buf_putn(&line, text, n);
        grain_buf_putc(&line, '\n');
        wasi_write(err, line.ptr, (uint32_t)line.len, &r);
        wasi_blocking_flush(err, &r);
        free(line.ptr);
        wasi_drop_output(out);
        wasi_drop_output(err);
        free(text);
        grain_buf_puts(b, "{\"ok\":true,\"permit\":");
        put_u64(b, permit.is_err ? 0 : permit.value);
        grain_buf_putc(b, '}');
    } else if (is(name, name_len, "partial")) {
        int32_t out = wasi_get_stdout();
        wasi_write(out, "no newline", 10, &r);
        wasi_drop_output(out);
        grain_buf_puts(b, "{\"ok\":true}");
    } else if (is(name, name_len, "flood")) {
        uint64_t count = json_u64(args, args_len, "count");
        char line[100];
        memset(line, 'x', sizeof line);
        int32_t out = wasi_get_stdout();
        for (uint64_t i = 0; i < count; i++) write_line(out, line, sizeof line);
        wasi_drop_output(out);
        grain_buf_puts(b, "{\"lines\":");
        put_u64(b, count);
        grain_buf_putc(b, '}');
    } else if (is(name, name_len, "clocks")) {
        wasi_datetime now;
        wasi_wall_now(&now);
        uint64_t before = wasi_mono_now();
        int32_t p = wasi_subscribe_duration(1000000);
        wasi_block(p);
        wasi_drop_pollable(p);
        uint64_t after = wasi_mono_now();
        grain_buf_puts(b, "{\"wall_ok\":");
        grain_buf_puts(b, bool_text(now.seconds > 1600000000u && now.nanoseconds < 1000000000u));
        grain_buf_puts(b, ",\"mono_ok\":");
        grain_buf_puts(b, bool_text(after >= before + 1000000));
        grain_buf_putc(b, '}');
    } else if (is(name, name_len, "random")) {
        wasi_list bytes;
        wasi_random_bytes(16, &bytes);
        uint64_t a = wasi_random_u64(), c = wasi_random_u64();
        wasi_u64_pair seed;
        wasi_insecure_seed(&seed);
        free((void *)(uintptr_t)bytes.ptr);
        grain_buf_puts(b, "{\"bytes\":");
        put_u64(b, bytes.len);
        grain_buf_puts(b, ",\"u64_differ\":");
        grain_buf_puts(b, bool_text(a != c));
        grain_buf_puts(b, ",\"seed_differ\":");
        grain_buf_puts(b, bool_text(seed.a != seed.b));
        grain_buf_putc(b, '}');
    } else if (is(name, name_len, "env")) {
        wasi_list env, argv, dirs;
        wasi_option_str cwd;
        wasi_option_handle terminal;
        wasi_get_environment(&env);
        wasi_get_arguments(&argv);
        wasi_initial_cwd(&cwd);
        wasi_get_directories(&dirs);
        wasi_terminal_stdout(&terminal);
        grain_buf_puts(b, "{\"env\":");
        put_u64(b, env.len);
        grain_buf_puts(b, ",\"args\":");
        put_u64(b, argv.len);
        grain_buf_puts(b, cwd.is_some ? ",\"cwd\":\"?\"" : ",\"cwd\":null");
        grain_buf_puts(b, ",\"preopens\":");
        put_u64(b, dirs.len);
        grain_buf_puts(b, terminal.is_some ? ",\"terminal\":\"?\"}" : ",\"terminal\":null}");
    } else if (is(name, name_len, "stdin")) {
        int32_t in = wasi_get_stdin();
        wasi_result12 big, huge;
        wasi_blocking_read(in, 0x80000000ull, &big);
        wasi_read(in, UINT64_MAX, &huge);
        wasi_drop_input(in);
        /* err(closed): is_err 1, stream-error disc 1 */
        int closed = big.is_err == 1 && (big.a & 0xFF) == 1 && huge.is_err == 1 && (huge.a & 0xFF) == 1;
        grain_buf_puts(b, "{\"closed\":");
        grain_buf_puts(b, bool_text(closed));
        grain_buf_puts(b, ",\"bytes\":");
        put_u64(b, big.is_err ? 0 : big.b);
        grain_buf_putc(b, '}');
    } else if (is(name, name_len, "bogus_handle")) {
        wasi_blocking_write_and_flush(424242, "x\n", 2, &r);
    } else if (is(name, name_len, "double_drop")) {
        int32_t out = wasi_get_stdout();
        wasi_drop_output(out);
        wasi_drop_output(out);
    } else if (is(name, name_len, "use_after_drop")) {
        int32_t out = wasi_get_stdout();
        wasi_drop_output(out);
        wasi_blocking_write_and_flush(out, "x\n", 2, &r);
    } else if (is(name, name_len, "wrong_type")) {
        int32_t p = wasi_subscribe_duration(0);
        wasi_blocking_write_and_flush(p, "x\n", 2, &r);
    } else if (is(name, name_len, "never_fires")) {
        int32_t p = wasi_subscribe_duration(UINT64_MAX);
        wasi_block(p);
    } else if (is(name, name_len, "poll_never")) {
        int32_t ps[2] = { wasi_subscribe_duration(UINT64_MAX), wasi_subscribe_instant(UINT64_MAX) };
        wasi_list ready;
        wasi_poll(ps, 2, &ready);
    } else if (is(name, name_len, "poll_empty")) {
        wasi_list ready;
        wasi_poll((const int32_t *)4, 0, &ready);
    } else if (is(name, name_len, "exit")) {
        wasi_exit(1);
    } else if (is(name, name_len, "descriptor")) {
        uint32_t area[4];
        wasi_descriptor_get_type(3, area);
    } else if (is(name, name_len, "random_huge")) {
        wasi_list bytes;
        wasi_random_bytes(1ull << 40, &bytes);
    } else if (is(name, name_len, "handles")) {
        for (int i = 0; i < 5000; i++) wasi_subscribe_duration(0);
    }
    if (b->len == 0) {
        grain_buf_puts(b, "{\"error\":\"unknown tool or it returned\"}");
    }
}

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
