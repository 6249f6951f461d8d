// Differential reference host: runs a call plan against component fixtures through
// jco's transpiled JavaScript (an implementation of the canonical ABI independent of
// the starter's) with a JavaScript grain:plugin/host that applies the same
// deny-by-default semantics as the Java engine, and writes every observable result.
// The conformance module's DifferentialTests runs the same plan through PluginEngine
// and requires identical results.
//
//   node differential.mjs <fixtures-dir> <plan.json> <out.json> [<work-dir>]
//
// Host semantics (CONTRACT.md §2, as the Java engine applies them):
// - log:      collected per call as [level, message] with the `log` capability, dropped otherwise
// - env-get:  reads only the plan's env map, only with `env`; otherwise none
// - http-*:   err("http egress is not configured") with `http` (no gateway here, as in
//             PluginEngineOptions.defaults()), err("http capability not granted") without
// - orchestration metadata and hooks only with `role-orchestration`
// - every call runs in a fresh instance: instantiate, init, then the function
// WASI (the preview1 adapter of C components, and the WASI 0.2 imports of wasi02,
// rust-wasip2 and js-wasi-plugin) mirrors the engine's own policy: stdin at its end,
// exit failing the call, an empty environment whatever the grants (the env map is read
// through env-get only), no arguments, no preopens; stdout / stderr go to the log (info / warn, trailing
// whitespace stripped, empty writes dropped) only with `log`.
//
// wasi:http (componentize-js default builds): preview2-shim's outgoing handler (a real
// request) behind the harness's own deny, applied as the engine's egress policy is:
// without `http`, or to an origin (`scheme://authority`) not in the run's `allow` list,
// `handle` answers a future whose `get` is ok(err(HTTP-request-denied)) with no
// connection made (the engine answers exactly that). `allow` and call args may name the
// loopback servers of echo-server.mjs (another process: jco's fetch blocks this one) as
// ${allowed} and ${refused}; each run records how many requests reached each server.
//
// Each component is transpiled once (`jco transpile -I sync`) into <work-dir>
// (default: <dir of out.json>/transpiled) and its core modules are compiled once;
// only instantiation is repeated per call.
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transpile } from '@bytecodealliance/jco';
import * as cli from '@bytecodealliance/preview2-shim/cli';
import * as clocks from '@bytecodealliance/preview2-shim/clocks';
import * as filesystem from '@bytecodealliance/preview2-shim/filesystem';
import * as wasiHttp from '@bytecodealliance/preview2-shim/http';
import * as io from '@bytecodealliance/preview2-shim/io';
import * as random from '@bytecodealliance/preview2-shim/random';

// Node 20 has no JSPI: jco's generated code tries WebAssembly.promising for every
// export and catches the TypeError, which costs 10-15 ms per instantiation. Identity
// is what it falls back to anyway.
if (typeof WebAssembly.promising !== 'function') WebAssembly.promising = (f) => f;

const [fixturesDir, planPath, outPath, workArg] = process.argv.slice(2);
if (!fixturesDir || !planPath || !outPath) {
  console.error('usage: node differential.mjs <fixtures-dir> <plan.json> <out.json> [<work-dir>]');
  process.exit(2);
}
const workDir = resolve(workArg ?? join(dirname(resolve(outPath)), 'transpiled'));
const plan = JSON.parse(readFileSync(planPath, 'utf8'));
const here = dirname(fileURLToPath(import.meta.url));
const jcoVersion = JSON.parse(readFileSync(join(here, 'node_modules/@bytecodealliance/jco/package.json'), 'utf8')).version;

const KNOWN_CAPABILITIES = new Set(['log', 'env', 'http', 'role-orchestration']);
const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

// ---------------------------------------------------------------- transpile + load

const factories = new Map();

async function factory(fixture) {
  if (factories.has(fixture)) return factories.get(fixture);
  const started = performance.now();
  const name = fixture.replace(/\.wasm$/, '').replace(/[^A-Za-z0-9_-]/g, '_');
  const { files } = await transpile(readFileSync(join(fixturesDir, fixture)), {
    name, instantiation: { tag: 'sync' }, noTypescript: true, quiet: true,
  });
  const out = join(workDir, name);
  rmSync(out, { recursive: true, force: true });
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), bytes);
  }
  const mod = await import(pathToFileURL(join(out, `${name}.js`)).href);
  const modules = new Map();
  const getCoreModule = (p) => {
    if (!modules.has(p)) modules.set(p, new WebAssembly.Module(files[p]));
    return modules.get(p);
  };
  const f = (state) => mod.instantiate(getCoreModule, imports(state));
  f.transpileMs = Math.round(performance.now() - started);
  factories.set(fixture, f);
  return f;
}

// ---------------------------------------------------------------- host

class HostError {
  constructor(payload) { this.payload = payload; }
}

function imports(state) {
  const { caps, env } = state;
  const log = (level, message) => {
    if (!LEVELS.has(level)) throw new Error(`log level out of range: ${level}`);
    if (caps.has('log')) state.logs.push([level, message]);
  };
  const http = () => {
    // a thrown value carrying `payload` becomes the err payload of the result
    throw new HostError(caps.has('http') ? 'http egress is not configured' : 'http capability not granted');
  };
  const stdio = (level) => (bytes) => {
    if (!caps.has('log')) return;
    const message = new TextDecoder().decode(bytes).replace(/\s+$/u, '');
    if (message.length > 0) state.logs.push([level, message]);
  };
  const stdout = new CapturingOutputStream(stdio('info'));
  const stderr = new CapturingOutputStream(stdio('warn'));
  return {
    'grain:plugin/host': {
      log,
      envGet: (key) => (caps.has('env') && Object.hasOwn(env, key) ? env[key] : undefined),
      httpGet: http,
      httpPost: http,
    },
    'wasi:cli/environment': { getEnvironment: () => [], getArguments: () => [], initialCwd: () => undefined },
    // exit ends the call as a trap does on our side (the shim's would end this process)
    'wasi:cli/exit': { exit: (status) => { throw new Error(`wasi:cli/exit exit(${status.tag})`); } },
    'wasi:cli/stderr': { getStderr: () => stderr },
    'wasi:cli/stdin': { getStdin: () => new EmptyInputStream() },
    'wasi:cli/stdout': { getStdout: () => stdout },
    'wasi:cli/terminal-input': cli.terminalInput,
    'wasi:cli/terminal-output': cli.terminalOutput,
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
    'wasi:clocks/monotonic-clock': clocks.monotonicClock,
    'wasi:clocks/wall-clock': clocks.wallClock,
    'wasi:filesystem/preopens': { getDirectories: () => [] },
    'wasi:filesystem/types': filesystem.types,
    'wasi:io/error': io.error,
    'wasi:io/streams': io.streams,
    'wasi:io/poll': io.poll,
    'wasi:random/random': random.random,
    'wasi:random/insecure': random.insecure,
    'wasi:random/insecure-seed': random.insecureSeed,
    'wasi:http/types': wasiHttp.types,
    'wasi:http/outgoing-handler': { handle: (request, options) => handle(state, request, options) },
  };
}

// wasi:io/streams output-stream that hands every write to a sink (stdout / stderr); a
// subclass of the shim's, so the streams of wasi:http bodies and these share one type.
class CapturingOutputStream extends io.streams.OutputStream {
  #sink;
  constructor(sink) { super(); this.#sink = sink; }
  checkWrite() { return 1n << 20n; }
  write(bytes) { this.#sink(bytes); }
  blockingWriteAndFlush(bytes) { this.#sink(bytes); }
  flush() {}
  blockingFlush() {}
  subscribe() { return clocks.monotonicClock.subscribeDuration(0n); }
  [Symbol.dispose]() {}
}

// stdin as our host gives it: at its end, however much is asked for.
class EmptyInputStream extends io.streams.InputStream {
  read() { throw { tag: 'closed' }; }
  blockingRead() { throw { tag: 'closed' }; }
  skip() { throw { tag: 'closed' }; }
  blockingSkip() { throw { tag: 'closed' }; }
  subscribe() { return clocks.monotonicClock.subscribeDuration(0n); }
  [Symbol.dispose]() {}
}

// A response future that is ready at once and answers ok(err(HTTP-request-denied)).
class DeniedFuture extends wasiHttp.types.FutureIncomingResponse {
  subscribe() { return clocks.monotonicClock.subscribeDuration(0n); }
  get() { return { tag: 'ok', val: { tag: 'err', val: { tag: 'HTTP-request-denied' } } }; }
  [Symbol.dispose]() {}
}

function handle(state, request, options) {
  const scheme = request.scheme();
  const schemeName = scheme === undefined ? 'https' : scheme.tag === 'other' ? scheme.val : scheme.tag.toLowerCase();
  const origin = `${schemeName}://${request.authority() ?? ''}`;
  if (!state.caps.has('http') || !state.allow.includes(origin)) return new DeniedFuture();
  return wasiHttp.outgoingHandler.handle(request, options);
}

// ---------------------------------------------------------------- loopback servers

let servers;

async function startServers() {
  const child = fork(join(here, 'echo-server.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { ports } = await new Promise((ok) => child.once('message', ok));
  servers = {
    child,
    origins: { allowed: `http://127.0.0.1:${ports.allowed}`, refused: `http://127.0.0.1:${ports.refused}` },
  };
}

async function counts() {
  if (!servers) return { allowed: 0, refused: 0 };
  servers.child.send('counts');
  return new Promise((ok) => servers.child.once('message', ok));
}

/** ${allowed} and ${refused} replaced by the loopback servers' origins. */
function resolveOrigins(text) {
  return servers ? text.replace(/\$\{(allowed|refused)\}/g, (_, name) => servers.origins[name]) : text;
}

// ---------------------------------------------------------------- normalisation

const info = (i) => ({ name: i.name, version: i.version });
const tool = (t) => ({ name: t.name, label: t.label, description: t.description, parametersJson: t.parametersJson });
const role = (r) => ({
  name: r.name, model: r.model, prompt: r.prompt, tools: [...r.tools], thinkingLevel: r.thinkingLevel ?? null,
});
const hook = (h) => ({ point: h.point, name: h.name });
function action(a) {
  if (a.tag === 'set-ui-header') {
    return { tag: a.tag, val: { provider: a.val.provider ?? null, model: a.val.model ?? null } };
  }
  if (a.tag === 'set-active-tools') return { tag: a.tag, val: [...a.val] };
  return { tag: a.tag, val: a.val };
}

// an err(...) returned by the guest surfaces in jco as a thrown ComponentError with `payload`
const guestErr = (e) => (e && typeof e === 'object' && Object.hasOwn(e, 'payload') ? e.payload : undefined);
const describe = (e) => (e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e));

// ---------------------------------------------------------------- running the plan

function fresh(make, run) {
  const state = { caps: run.caps, env: run.env ?? {}, allow: run.allow, logs: [] };
  const inst = make(state);
  return {
    state,
    plugin: inst.plugin ?? inst['grain:plugin/plugin'],
    orchestration: inst.orchestration ?? inst['grain:plugin/orchestration'],
  };
}

function load(make, run) {
  const p = fresh(make, run);
  const out = {};
  try {
    const i = p.plugin.init();
    const orchestrated = p.orchestration !== undefined && run.caps.has('role-orchestration');
    Object.assign(out, {
      info: info(i),
      world: p.orchestration !== undefined ? 'v2' : 'v1',
      tools: p.plugin.listTools().map(tool),
      roles: orchestrated ? p.orchestration.listRoles().map(role) : [],
      hooks: orchestrated ? p.orchestration.listHooks().map(hook) : [],
    });
  } catch (e) {
    const payload = guestErr(e);
    if (payload !== undefined) out.initError = payload;
    else out.failure = describe(e);
  }
  out.logs = p.state.logs;
  return out;
}

function call(make, run, spec) {
  const p = fresh(make, run);
  const out = { call: spec };
  try {
    p.plugin.init();
    if ('tool' in spec) {
      const r = p.plugin.callTool(spec.tool, resolveOrigins(spec.args));
      out.result = { contentJson: r.contentJson, isError: r.isError };
    } else if ('hook' in spec) {
      if (p.orchestration === undefined) throw new Error('not a v2 plugin');
      if (!run.caps.has('role-orchestration')) throw new Error('role-orchestration not granted');
      try {
        out.result = { ok: p.orchestration.callHook(spec.hook, spec.context).map(action) };
      } catch (e) {
        const payload = guestErr(e);
        if (payload === undefined) throw e;
        out.result = { err: payload };
      }
    } else {
      throw new Error(`call needs "tool" or "hook": ${JSON.stringify(spec)}`);
    }
  } catch (e) {
    out.failure = describe(e);
  }
  out.logs = p.state.logs;
  return out;
}

const started = performance.now();
if (plan.runs.some((run) => run.allow !== undefined)) await startServers();
const runs = [];
for (const run of plan.runs) {
  for (const c of run.capabilities) {
    if (!KNOWN_CAPABILITIES.has(c)) throw new Error(`run ${run.id}: unknown capability '${c}'`);
  }
  const specs = typeof run.calls === 'string' ? plan.callSets?.[run.calls] : run.calls;
  if (!Array.isArray(specs)) throw new Error(`run ${run.id}: no calls '${run.calls}'`);
  const r = { ...run, caps: new Set(run.capabilities), allow: (run.allow ?? []).map(resolveOrigins) };
  const before = await counts();
  const make = await factory(run.fixture);
  const runStarted = performance.now();
  const loaded = load(make, r);
  const calls = loaded.info ? specs.map((spec) => call(make, r, spec)) : [];
  const result = { id: run.id, load: loaded, calls };
  if (run.allow !== undefined) {
    const after = await counts();
    result.requests = { allowed: after.allowed - before.allowed, refused: after.refused - before.refused };
  }
  runs.push(result);
  console.log(`differential: ${run.id}: ${calls.length} calls in ${Math.round(performance.now() - runStarted)} ms`
    + ` (transpile ${make.transpileMs} ms, once per fixture)`);
}
mkdirSync(dirname(resolve(outPath)), { recursive: true });
writeFileSync(outPath, `${JSON.stringify({
  host: { jco: jcoVersion, node: process.version },
  runs,
}, null, 1)}\n`);
servers?.child.disconnect();
console.log(`differential: ${runs.length} runs, ${runs.reduce((n, r) => n + r.calls.length, 0)} calls`
  + ` in ${Math.round(performance.now() - started)} ms -> ${outPath}`);
