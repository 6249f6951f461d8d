#!/usr/bin/env bash
# Rebuilds every WebAssembly test fixture from source (see plugins/README.md).
#
#   plugins/build-fixtures.sh              build core + component fixtures in place
#   plugins/build-fixtures.sh --core       only fixtures/core (C → core modules)
#   plugins/build-fixtures.sh --component  only fixtures/component (wraps the committed fixtures/core modules)
#   plugins/build-fixtures.sh --check      rebuild into a temp dir, fail if any committed fixture differs
#   plugins/build-fixtures.sh --out DIR    write into DIR/core and DIR/component instead
#   (--check combines with --core / --component)
#
# Needs: clang + lld + wasi-libc (wasm32-wasi), wabt (wasm-objdump), node; for the
# component fixtures also `npm ci` in plugins/toolchain (jco, componentize-js).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
FIXTURES="$ROOT/grain-plugin-core/src/test/resources/fixtures"
SRC="$HERE/guests/c"
WIT="$HERE/wit"
TOOLS="$HERE/tools"
TOOLCHAIN="$HERE/toolchain"

do_core=1
do_component=1
check=0
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --core) do_core=1; do_component=0 ;;
    --component) do_core=0; do_component=1 ;;
    --check) check=1 ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [ "$check" = 1 ]; then
  DEST="$WORK/out"
elif [ -n "$out" ]; then
  DEST="$out"
else
  DEST="$FIXTURES"
fi
mkdir -p "$DEST/core" "$DEST/component"

log() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------- core modules

CFLAGS=(--target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror -Wl,--strip-debug)

# build_c <source.c> <out.wasm> [legacy|standard]
build_c() {
  local src="$1" outf="$2" mangling="${3:-legacy}"
  local tmp="$WORK/$(basename "$outf")"
  local defs=()
  [ "$mangling" = standard ] && defs=(-DGRAIN_STANDARD_MANGLING)
  # compile from inside the source dir with relative paths: nothing path-dependent
  # ends up in the binary
  (cd "$SRC" && clang "${CFLAGS[@]}" "${defs[@]}" -o "$tmp" "$src")
  if [ "$mangling" = standard ]; then
    node "$TOOLS/rename-exports.mjs" "$tmp" "$tmp.renamed" memory=cm32p2_memory _initialize=cm32p2_initialize
    mv "$tmp.renamed" "$tmp"
  fi
  install -m 0644 "$tmp" "$outf"
  log "built $(basename "$outf") ($(wc -c <"$outf") bytes)"
}

# exports of a module, one a line, sorted
exports_of() { wasm-objdump -x -j Export "$1" | sed -n 's/.* -> "\(.*\)"$/\1/p' | LC_ALL=C sort; }
imports_of() { wasm-objdump -x -j Import "$1" 2>/dev/null | sed -n 's/.* <- \(.*\)$/\1/p' | LC_ALL=C sort; }

# expect_exports <wasm> <mangling> <iface:fn>...
expect_exports() {
  local wasm="$1" mangling="$2"; shift 2
  local want=()
  for f in "$@"; do
    local iface="${f%%:*}" fn="${f#*:}"
    if [ "$mangling" = standard ]; then
      want+=("cm32p2|grain:plugin/$iface|$fn" "cm32p2|grain:plugin/$iface|${fn}_post")
    else
      want+=("grain:plugin/$iface#$fn" "cabi_post_grain:plugin/$iface#$fn")
    fi
  done
  if [ "$mangling" = standard ]; then
    want+=(cm32p2_realloc cm32p2_memory cm32p2_initialize)
  else
    want+=(cabi_realloc memory _initialize)
  fi
  local expected actual
  expected="$(printf '%s\n' "${want[@]}" | LC_ALL=C sort)"
  actual="$(exports_of "$wasm")"
  if [ "$expected" != "$actual" ]; then
    log "ERROR: unexpected exports in $wasm"
    diff <(echo "$expected") <(echo "$actual") >&2 || true
    exit 1
  fi
  local host="grain:plugin/host"
  [ "$mangling" = standard ] && host="cm32p2|grain:plugin/host"
  local bad
  bad="$(imports_of "$wasm" | grep -v -e "^wasi_snapshot_preview1\." -e "^wasi:[a-z-]*/[a-z-]*@0\.2\.[0-9]*\." -e "^${host//|/\\|}\.\(log\|env-get\|http-get\|http-post\)$" || true)"
  if [ -n "$bad" ]; then
    log "ERROR: unexpected imports in $wasm: $bad"
    exit 1
  fi
}

V1=(plugin:init plugin:list-tools plugin:call-tool)
V2=("${V1[@]}" orchestration:list-roles orchestration:list-hooks orchestration:call-hook)

if [ "$do_core" = 1 ]; then
  C="$DEST/core"
  build_c v1.c "$C/v1-legacy.wasm" legacy
  build_c v1.c "$C/v1-standard.wasm" standard
  build_c v2.c "$C/v2-legacy.wasm" legacy
  build_c v2.c "$C/v2-standard.wasm" standard
  build_c hostile.c "$C/hostile.wasm"
  build_c hostile_v2.c "$C/hostile-v2.wasm"
  build_c hostile_realloc.c "$C/hostile-realloc.wasm"
  build_c wasi_extra.c "$C/wasi-extra.wasm"
  build_c mimic.c "$C/mimic.wasm"
  build_c wasi02.c "$C/wasi02.wasm"
  build_c wasi_http.c "$C/wasi-http.wasm"
  build_c rust_wasip2.c "$C/rust-wasip2.wasm"
  build_c residue.c "$C/residue.wasm"
  expect_exports "$C/v1-legacy.wasm" legacy "${V1[@]}"
  expect_exports "$C/v1-standard.wasm" standard "${V1[@]}"
  expect_exports "$C/v2-legacy.wasm" legacy "${V2[@]}"
  expect_exports "$C/v2-standard.wasm" standard "${V2[@]}"
  expect_exports "$C/hostile.wasm" legacy "${V1[@]}"
  expect_exports "$C/hostile-v2.wasm" legacy "${V2[@]}"
  expect_exports "$C/hostile-realloc.wasm" legacy "${V1[@]}"
  expect_exports "$C/wasi-extra.wasm" legacy "${V1[@]}"
  expect_exports "$C/mimic.wasm" legacy "${V2[@]}"
  expect_exports "$C/wasi02.wasm" legacy "${V1[@]}"
  expect_exports "$C/wasi-http.wasm" legacy "${V1[@]}"
  expect_exports "$C/rust-wasip2.wasm" legacy "${V1[@]}"
  expect_exports "$C/residue.wasm" legacy "${V1[@]}"
fi

# ------------------------------------------------------------------ components

if [ "$do_component" = 1 ]; then
  JCO="$TOOLCHAIN/node_modules/@bytecodealliance/jco/dist/jco.js"
  if [ ! -f "$JCO" ]; then
    log "ERROR: $JCO missing: run 'npm ci' in plugins/toolchain"
    exit 1
  fi
  # core modules to wrap: freshly built ones, or the committed ones with --component
  if [ "$do_core" = 1 ]; then CORE_SRC="$DEST/core"; else CORE_SRC="$FIXTURES/core"; fi
  K="$DEST/component"
  # jco runs wasm-tools on preview2-shim without preopens; preopen.mjs exposes /
  jco() { (cd "$TOOLCHAIN" && node --import ./preopen.mjs "$JCO" "$@"); }

  # wrap_core <name> <world>: what cargo-component / wasm-component-ld produce
  wrap_core() {
    local name="$1" world="$2"
    (cd "$TOOLCHAIN" && node --import ./preopen.mjs embed.mjs "$CORE_SRC/$name.wasm" "$WIT" "$world" "$WORK/$name.embedded.wasm")
    jco new "$WORK/$name.embedded.wasm" --wasi-reactor -o "$WORK/$name.component.wasm" >/dev/null
    install -m 0644 "$WORK/$name.component.wasm" "$K/$name.wasm"
    log "built component/$name.wasm ($(wc -c <"$K/$name.wasm") bytes)"
  }
  wrap_core v1-legacy grain-plugin
  wrap_core v1-standard grain-plugin
  wrap_core v2-legacy grain-plugin-v2
  wrap_core v2-standard grain-plugin-v2

  # Modules importing WASI 0.2 directly need the WASI WIT in their world: plugins/wit-wasi
  # plus deps/ assembled from plugins/wit and the WASI 0.2.12 packages the pinned jco bundles.
  WITW="$WORK/wit-wasi"
  mkdir -p "$WITW/deps/grain-plugin"
  cp "$HERE/wit-wasi/grain-plugin-wasi.wit" "$WITW/"
  cp "$WIT/grain-plugin.wit" "$WITW/deps/grain-plugin/"
  for pkg in cli clocks filesystem io random sockets; do
    mkdir -p "$WITW/deps/wasi-$pkg"
    cp "$TOOLCHAIN/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12/wasi-$pkg/package.wit" "$WITW/deps/wasi-$pkg/"
  done
  wrap_wasi() {
    local name="$1"
    (cd "$TOOLCHAIN" && node --import ./preopen.mjs embed.mjs "$CORE_SRC/$name.wasm" "$WITW" grain-plugin-wasi "$WORK/$name.embedded.wasm")
    jco new "$WORK/$name.embedded.wasm" --wasi-reactor -o "$WORK/$name.component.wasm" >/dev/null
    install -m 0644 "$WORK/$name.component.wasm" "$K/$name.wasm"
    log "built component/$name.wasm ($(wc -c <"$K/$name.wasm") bytes)"
  }
  wrap_wasi wasi02
  wrap_wasi rust-wasip2

  # JavaScript guest. Not byte-reproducible (see toolchain/js-check.mjs), so a
  # sidecar records the sha256 of its inputs; --check compares that and the content.
  js_inputs() {
    (cd "$HERE" && sha256sum guests/js/plugin.js wit/grain-plugin.wit toolchain/package-lock.json)
  }
  start=$(date +%s)
  jco componentize "$HERE/guests/js/plugin.js" --wit "$WIT" --world-name grain-plugin --disable all \
    -o "$WORK/js-plugin.wasm" >/dev/null
  install -m 0644 "$WORK/js-plugin.wasm" "$K/js-plugin.wasm"
  js_inputs >"$K/js-plugin.wasm.inputs"
  log "built component/js-plugin.wasm ($(wc -c <"$K/js-plugin.wasm") bytes, $(( $(date +%s) - start )) s)"

  # JavaScript guest built with componentize-js defaults: its main module imports WASI 0.2
  # (io, clocks, random, http) and preview1 directly (see README: How WASI 0.2 reaches the host)
  start=$(date +%s)
  jco componentize "$HERE/guests/js-wasi/plugin.js" --wit "$WIT" --world-name grain-plugin \
    -o "$WORK/js-wasi-plugin.wasm" >/dev/null
  install -m 0644 "$WORK/js-wasi-plugin.wasm" "$K/js-wasi-plugin.wasm"
  (cd "$HERE" && sha256sum guests/js-wasi/plugin.js wit/grain-plugin.wit toolchain/package-lock.json) \
    >"$K/js-wasi-plugin.wasm.inputs"
  log "built component/js-wasi-plugin.wasm ($(wc -c <"$K/js-wasi-plugin.wasm") bytes, $(( $(date +%s) - start )) s)"
fi

# ----------------------------------------------------------------------- check

if [ "$check" = 1 ]; then
  status=0
  dirs=()
  [ "$do_core" = 1 ] && dirs+=(core)
  [ "$do_component" = 1 ] && dirs+=(component)
  for d in "${dirs[@]}"; do
    for f in "$DEST/$d"/*; do
      [ -e "$f" ] || continue
      name="$(basename "$f")"
      committed="$FIXTURES/$d/$name"
      if [ ! -f "$committed" ]; then
        log "MISSING  fixtures/$d/$name (not committed)"
        status=1
      elif [ "$d/$name" = component/js-plugin.wasm ] || [ "$d/$name" = component/js-wasi-plugin.wasm ]; then
        js_source="$HERE/guests/js/plugin.js"
        [ "$name" = js-wasi-plugin.wasm ] && js_source="$HERE/guests/js-wasi/plugin.js"
        if (cd "$TOOLCHAIN" && node js-check.mjs "$committed" "$f" "$js_source"); then
          log "same     fixtures/$d/$name (by content: not byte-reproducible)"
        else
          log "DIFFERS  fixtures/$d/$name"
          status=1
        fi
      elif ! cmp -s "$f" "$committed"; then
        log "DIFFERS  fixtures/$d/$name"
        # a sidecar of recorded inputs: say which input changed
        case "$name" in *.inputs) diff "$committed" "$f" | sed -n 's/^[<>] /         /p' >&2 || true ;; esac
        status=1
      else
        log "same     fixtures/$d/$name"
      fi
    done
    for f in "$FIXTURES/$d"/*; do
      [ -e "$f" ] || continue
      if [ ! -f "$DEST/$d/$(basename "$f")" ]; then
        log "STALE    fixtures/$d/$(basename "$f") (no longer built)"
        status=1
      fi
    done
  done
  [ "$status" = 0 ] && log "all fixtures match their sources" || log "fixtures are out of date: run plugins/build-fixtures.sh"
  exit "$status"
fi
