/*
 * Fixture rust-wasip2 (world grain-plugin, legacy mangling): a core module whose imports
 * have the shape of a Rust wasm32-wasip2 std build's main module (std's runtime through
 * wasi-libc's preview2 bindings, all @0.2.0): wasi:cli/environment (arguments and
 * environment read at start-up), exit, stdin/stdout/stderr, io/error, io/streams (stdio
 * writes as check-write + write + blocking-flush, println!'s path), clocks/wall-clock
 * (SystemTime::now), filesystem/types and preopens (std scans preopens to resolve paths;
 * descriptor operations, filesystem-error-code). Lowering written by hand.
 *
 * _initialize does what std's start-up does: reads arguments and environment and the
 * preopens (stores their counts). init -> ok({"rust-wasip2","0.1.0"}). call-tool by name:
 *   hello {"name":n}  println!-style "hello, <n>" to stdout (check-write, write,
 *                     blocking-flush), eprintln!-style "note: <n>" to stderr
 *                     (blocking-write-and-flush), SystemTime::now, reads stdin to its end
 *                     (a stream error's io/error is asked for its filesystem-error-code and
 *                     dropped, as std does) -> {"greeted":n,"args":0,"env":0,"preopens":0,
 *                     "time_ok":true,"stdin_closed":true}
 *   open              std::fs::File::open("/etc/passwd") has no preopen to resolve against
 *                     (no preopens); std's fd lookup then reaches get-type on descriptor 3 (traps)
 *   exit {"code":c}   std::process::exit(c): exit(ok) for 0, exit(err) otherwise (traps as exit)
 */
#include "grain_abi.h"

#define WASI(module, name) __attribute__((import_module(module), import_name(name)))
#define STREAMS "wasi:io/streams@0.2.0"

typedef struct { uint32_t ptr; uint32_t len; } wasi_list;
typedef struct { uint8_t is_err; uint8_t _p[3]; uint32_t a; uint32_t b; } result12;      /* 12/4 */
typedef struct { uint8_t is_err; uint8_t _p[7]; uint64_t value; } result_u64;            /* 16/8 */
typedef struct { uint64_t seconds; uint32_t nanoseconds; uint32_t _p; } datetime;       /* 16/8 */
typedef struct { uint8_t is_some; uint8_t code; } option_fs_error;                       /* 2/1 */
typedef struct { uint8_t is_err; uint8_t code; } result_descriptor_type;                 /* 2/1 */
_Static_assert(sizeof(result12) == 12, "result<list<u8>, stream-error>");
_Static_assert(sizeof(result_u64) == 16, "result<u64, stream-error>");
_Static_assert(sizeof(datetime) == 16, "datetime");

WASI("wasi:cli/environment@0.2.0", "get-environment") void get_environment(wasi_list *ret);
WASI("wasi:cli/environment@0.2.0", "get-arguments") void get_arguments(wasi_list *ret);
WASI("wasi:cli/exit@0.2.0", "exit") void wasi_exit(int32_t is_err);
WASI("wasi:cli/stdin@0.2.0", "get-stdin") int32_t get_stdin(void);
WASI("wasi:cli/stdout@0.2.0", "get-stdout") int32_t get_stdout(void);
WASI("wasi:cli/stderr@0.2.0", "get-stderr") int32_t get_stderr(void);
WASI("wasi:io/error@0.2.0", "[resource-drop]error") void drop_error(int32_t self);
WASI(STREAMS, "[method]output-stream.check-write") void check_write(int32_t self, result_u64 *ret);
WASI(STREAMS, "[method]output-stream.write") void stream_write(int32_t self, const void *p, uint32_t l, result12 *ret);
WASI(STREAMS, "[method]output-stream.blocking-flush") void blocking_flush(int32_t self, result12 *ret);
WASI(STREAMS, "[method]output-stream.blocking-write-and-flush")
void blocking_write_and_flush(int32_t self, const void *p, uint32_t l, result12 *ret);
WASI(STREAMS, "[method]input-stream.blocking-read") void blocking_read(int32_t self, uint64_t len, result12 *ret);
WASI(STREAMS, "[resource-drop]output-stream") void drop_output(int32_t self);
WASI(STREAMS, "[resource-drop]input-stream") void drop_input(int32_t self);
WASI("wasi:clocks/wall-clock@0.2.0", "now") void wall_now(datetime *ret);
WASI("wasi:filesystem/preopens@0.2.0", "get-directories") void get_directories(wasi_list *ret);
WASI("wasi:filesystem/types@0.2.0", "filesystem-error-code") void filesystem_error_code(int32_t err, option_fs_error *ret);
WASI("wasi:filesystem/types@0.2.0", "[method]descriptor.get-type") void descriptor_get_type(int32_t self, result_descriptor_type *ret);
WASI("wasi:filesystem/types@0.2.0", "[resource-drop]descriptor") void drop_descriptor(int32_t self);

/* ------------------------------------------------------------------ start-up (std's) */

static uint32_t arg_count, env_count, preopen_count;

__attribute__((constructor)) static void std_start(void) {
    wasi_list l;
    get_arguments(&l);
    arg_count = l.len;
    get_environment(&l);
    env_count = l.len;
    get_directories(&l);
    preopen_count = l.len;
    /* list<tuple<own<descriptor>, string>>: 12 bytes an entry; std keeps them, we drop them */
    for (uint32_t i = 0; i < l.len; i++) drop_descriptor(*(int32_t *)(uintptr_t)(l.ptr + 12 * i));
}

/* ------------------------------------------------------------------ init + list */

static grain_result_info init_area;

GRAIN_EXPORT("plugin", "init")
grain_result_info *w_init(void) {
    init_area.is_err = 0;
    init_area.val.ok.name = grain_ret_str("rust-wasip2");
    init_area.val.ok.version = grain_ret_str("0.1.0");
    return grain_ret_area(&init_area);
}
GRAIN_POST_RETURN("plugin", "init", plugin_init)

static const char *const TOOL_NAMES[] = {"hello", "open", "exit"};
#define TOOL_COUNT (sizeof TOOL_NAMES / sizeof TOOL_NAMES[0])
static grain_list tools_area;

GRAIN_EXPORT("plugin", "list-tools")
grain_list *w_list_tools(void) {
    return grain_named_tools(&tools_area, TOOL_NAMES, TOOL_COUNT, "Uses WASI 0.2 as Rust's std does.");
}
GRAIN_POST_RETURN("plugin", "list-tools", plugin_list_tools)

/* ------------------------------------------------------------------ call-tool */

/* println!: std's Stdout writes what check-write permits, then blocking-flush */
static void print_line(int32_t out, const char *prefix, const char *text, size_t n) {
    grain_buf line = {0};
    grain_buf_puts(&line, prefix);
    grain_buf_putn(&line, text, n);
    grain_buf_putc(&line, '\n');
    size_t done = 0;
    while (done < line.len) {
        result_u64 permit;
        check_write(out, &permit);
        if (permit.is_err || permit.value == 0) break;
        size_t chunk = line.len - done < permit.value ? line.len - done : (size_t)permit.value;
        result12 w;
        stream_write(out, line.ptr + done, (uint32_t)chunk, &w);
        if (w.is_err) break;
        done += chunk;
    }
    result12 f;
    blocking_flush(out, &f);
    free(line.ptr);
}

static int json_code(const char *args, uint32_t len) {
    const char *p = grain_json_find(args, len, "code");
    return (p && p < args + len && *p >= '1' && *p <= '9') ? 1 : 0;
}

static void run(const char *name, uint32_t name_len, const char *args, uint32_t args_len, grain_buf *b) {
    if (grain_is(name, name_len, "hello")) {
        size_t n = 0;
        char *who = grain_json_get_str(args, args_len, "name", &n);
        if (!who) who = grain_cstr("world", 5), n = 5;
        int32_t out = get_stdout();
        print_line(out, "hello, ", who, n);
        drop_output(out);
        int32_t err = get_stderr();
        grain_buf note = {0};
        grain_buf_puts(&note, "note: ");
        grain_buf_putn(&note, who, n);
        grain_buf_putc(&note, '\n');
        result12 w;
        blocking_write_and_flush(err, note.ptr, (uint32_t)note.len, &w);
        free(note.ptr);
        drop_output(err);
        datetime now;
        wall_now(&now);
        int32_t in = get_stdin();
        result12 r;
        int closed = 0;
        for (int i = 0; i < 16; i++) {
            blocking_read(in, 8192, &r);
            if (r.is_err) {
                /* stream-error: 0 last-operation-failed(own<error>), 1 closed */
                if (r.a == 0) {
                    option_fs_error code;
                    filesystem_error_code((int32_t)r.b, &code);
                    drop_error((int32_t)r.b);
                } else {
                    closed = 1;
                }
                break;
            }
            if (r.b == 0) continue;
        }
        drop_input(in);
        grain_buf_puts(b, "{\"greeted\":");
        grain_buf_put_json_strn(b, who, n);
        grain_buf_puts(b, ",\"args\":");
        grain_buf_put_u64(b, arg_count);
        grain_buf_puts(b, ",\"env\":");
        grain_buf_put_u64(b, env_count);
        grain_buf_puts(b, ",\"preopens\":");
        grain_buf_put_u64(b, preopen_count);
        grain_buf_puts(b, now.seconds > 1600000000ull ? ",\"time_ok\":true" : ",\"time_ok\":false");
        grain_buf_puts(b, closed ? ",\"stdin_closed\":true}" : ",\"stdin_closed\":false}");
    } else if (grain_is(name, name_len, "open")) {
        if (preopen_count == 0) {
            result_descriptor_type t;
            descriptor_get_type(3, &t); /* traps: no descriptor was ever handed out */
            grain_buf_puts(b, "{\"error\":\"no preopen\",\"get_type\":\"answered\"}");
        }
    } else if (grain_is(name, name_len, "exit")) {
        wasi_exit(json_code(args, args_len) != 0);
        grain_buf_puts(b, "{\"exited\":false}");
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
