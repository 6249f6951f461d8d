// Smoke test for the component fixtures, independent of the Java host: each
// component is transpiled by jco (an independent canonical-ABI implementation),
// run in Node with a JavaScript grain:plugin/host and preview2-shim's WASI, and
// checked against the documented behaviour.
//   cd plugins/toolchain && node component-smoke.mjs <fixtures/component dir>
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { transpile } from '@bytecodealliance/jco';
import * as cli from '@bytecodealliance/preview2-shim/cli';
import * as clocks from '@bytecodealliance/preview2-shim/clocks';
import * as filesystem from '@bytecodealliance/preview2-shim/filesystem';
import * as io from '@bytecodealliance/preview2-shim/io';
import * as random from '@bytecodealliance/preview2-shim/random';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: component-smoke.mjs <fixtures/component dir>');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'grain-component-smoke-'));

async function load(file) {
  const name = file.replace(/\.wasm$/, '');
  const { files } = await transpile(readFileSync(join(dir, file)), {
    name, instantiation: { tag: 'sync' }, noTypescript: true, quiet: true,
  });
  const out = join(work, name);
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), bytes);
  }
  const mod = await import(pathToFileURL(join(out, `${name}.js`)).href);
  const modules = new Map();
  return (state) => mod.instantiate((p) => {
    if (!modules.has(p)) modules.set(p, new WebAssembly.Module(files[p]));
    return modules.get(p);
  }, imports(state));
}

function imports(state) {
  const wasiEnv = Object.entries(state.wasiEnv ?? {});
  return {
    'grain:plugin/host': {
      log: (level, msg) => state.logs.push([level, msg]),
      envGet: (key) => state.env?.[key],
      httpGet: (url, headers) => http(state, 'GET', url, headers),
      httpPost: (url, headers, body) => http(state, 'POST', url, headers, body),
    },
    'wasi:cli/environment': { ...cli.environment, getEnvironment: () => wasiEnv, getArguments: () => [] },
    'wasi:cli/exit': cli.exit,
    'wasi:cli/stderr': cli.stderr,
    'wasi:cli/stdin': cli.stdin,
    'wasi:cli/stdout': cli.stdout,
    'wasi:cli/terminal-input': cli.terminalInput,
    'wasi:cli/terminal-output': cli.terminalOutput,
    'wasi:cli/terminal-stderr': cli.terminalStderr,
    'wasi:cli/terminal-stdin': cli.terminalStdin,
    'wasi:cli/terminal-stdout': cli.terminalStdout,
    'wasi:clocks/monotonic-clock': clocks.monotonicClock,
    'wasi:clocks/wall-clock': clocks.wallClock,
    'wasi:filesystem/preopens': { getDirectories: () => [] },
    'wasi:filesystem/types': filesystem.types,
    'wasi:io/error': io.error,
    'wasi:io/streams': io.streams,
    'wasi:random/random': random.random,
  };
}

function http(state, method, url, headers, body) {
  state.lastHttp = { method, url, headers, body };
  if (url.includes('fail')) throw `refused "${url}"`; // err(string): a thrown non-Error value is the payload
  return {
    status: 200,
    headers: [['X-Echo', `${method} ${url}`], ['content-type', 'text/plain']],
    body: `got ${headers.map((h) => h.join('=')).join(',')} ${body ?? ''}\n`,
  };
}

const results = [];
async function check(label, f) {
  try {
    await f();
    results.push(['ok', label]);
  } catch (e) {
    results.push(['FAIL', label, e?.stack ?? String(e)]);
  }
}

function fresh(factory, opts = {}) {
  const state = { logs: [], ...opts };
  const inst = factory(state);
  const plugin = inst.plugin ?? inst['grain:plugin/plugin'];
  const orchestration = inst.orchestration ?? inst['grain:plugin/orchestration'];
  return { state, plugin, orchestration };
}
const json = JSON.parse;

async function v1Checks(file, info, toolNames, extra = true) {
  const factory = await load(file);
  const call = (name, args, opts) => {
    const p = fresh(factory, opts);
    p.plugin.init();
    return { ...p.plugin.callTool(name, args), state: p.state };
  };
  await check(`${file} init`, () => assert.deepEqual(fresh(factory).plugin.init(), info));
  if (extra) {
    await check(`${file} init fail`, () => assert.throws(
      () => fresh(factory, { env: { GRAIN_FAIL_INIT: '1' } }).plugin.init(),
      (e) => e.payload === 'init failed on request'));
  }
  await check(`${file} list-tools`, () => {
    const p = fresh(factory);
    p.plugin.init();
    const tools = p.plugin.listTools();
    assert.deepEqual(tools.map((t) => t.name), toolNames);
    for (const t of tools) assert.equal(json(t.parametersJson).type, 'object');
  });
  await check(`${file} echo`, () => assert.deepEqual(
    (({ contentJson, isError }) => ({ contentJson, isError }))(call('echo', '{"a":"é"}')), { contentJson: '{"a":"é"}', isError: false }));
  await check(`${file} log`, () => {
    const r = call('log', '{}');
    assert.deepEqual(json(r.contentJson), { logged: 4 });
    assert.deepEqual(r.state.logs, [['debug', 'debug message'], ['info', 'info message'], ['warn', 'warn message'], ['error', 'error message']]);
  });
  await check(`${file} env`, () => {
    assert.deepEqual(json(call('env', '{"key":"K"}', { env: { K: 'v"1' } }).contentJson), { key: 'K', value: 'v"1' });
    assert.deepEqual(json(call('env', '{"key":"K"}').contentJson), { key: 'K', value: null });
  });
  await check(`${file} http_get`, () => {
    const r = call('http_get', '{"url":"http://h/x"}');
    assert.equal(r.isError, false);
    assert.deepEqual(json(r.contentJson), { status: 200, headers: 2, body: 'got accept=application/json,x-grain-test=1 \n', echo: 'GET http://h/x' });
    const e = call('http_get', '{"url":"http://h/fail"}');
    assert.equal(e.isError, true);
    assert.deepEqual(json(e.contentJson), { error: 'refused "http://h/fail"' });
  });
  await check(`${file} fail`, () => {
    const r = call('fail', '{}');
    assert.deepEqual([json(r.contentJson), r.isError], [{ message: 'failed on request' }, true]);
  });
  await check(`${file} unknown`, () => {
    const r = call('nope', '{}');
    assert.deepEqual([json(r.contentJson), r.isError], [{ error: 'unknown tool: nope' }, true]);
  });
  if (extra) {
    await check(`${file} http_post`, () => {
      const r = call('http_post', '{"url":"http://h/p","body":"B"}');
      assert.deepEqual(json(r.contentJson), { status: 200, headers: 2, body: 'got content-type=text/plain B\n', echo: 'POST http://h/p' });
    });
    await check(`${file} wasi`, () => {
      const r = call('wasi', '{}', { wasiEnv: { GRAIN_WASI_ENV: 'component-env' } });
      assert.deepEqual(json(r.contentJson), { clock_ok: true, random_ok: true, wasi_env: 'component-env' });
    });
    await check(`${file} big`, () => assert.equal(json(call('big', '{"size":5000}').contentJson), 'a'.repeat(5000)));
  }
}

async function v2Checks(file) {
  const factory = await load(file);
  const p0 = () => { const p = fresh(factory); p.plugin.init(); return p; };
  await check(`${file} init`, () => assert.deepEqual(fresh(factory).plugin.init(), { name: 'fixture-v2', version: '2.0.0' }));
  await check(`${file} tools`, () => assert.deepEqual(p0().plugin.listTools().map((t) => t.name), ['echo', 'fail']));
  await check(`${file} roles`, () => assert.deepEqual(p0().orchestration.listRoles(), [
    { name: 'planner', model: 'anthropic/claude-sonnet-4', prompt: 'You plan.', tools: ['echo'], thinkingLevel: 'high' },
    { name: 'coder', model: 'openai/gpt-5', prompt: 'You code.', tools: [], thinkingLevel: undefined },
  ]));
  await check(`${file} hooks`, () => assert.deepEqual(p0().orchestration.listHooks(), [
    { point: 'before-agent-start', name: 'start' }, { point: 'after-tool-call', name: 'after' },
    { point: 'prepare-next-turn', name: 'prepare' }, { point: 'should-stop-after-turn', name: 'stop' },
  ]));
  await check(`${file} call-hook`, () => {
    const hook = (point, ctx) => p0().orchestration.callHook(point, ctx);
    assert.deepEqual(hook('before-agent-start', '{"case":"all"}'), [
      { tag: 'switch-role', val: 'planner' }, { tag: 'switch-model', val: 'openai/gpt-5' },
      { tag: 'set-system-prompt', val: 'Be brief.' }, { tag: 'set-active-tools', val: ['echo', 'fail'] },
      { tag: 'inject-user-message', val: 'continue' }, { tag: 'stop-after-turn', val: true },
      { tag: 'emit-custom', val: '{"k":1}' }, { tag: 'set-ui-header', val: { provider: 'anthropic', model: undefined } },
      { tag: 'set-ui-status', val: 'thinking' },
    ]);
    assert.deepEqual(hook('after-tool-call', '{"case":"header-some"}'), [{ tag: 'set-ui-header', val: { provider: 'openai', model: 'gpt-5' } }]);
    assert.throws(() => hook('after-tool-call', '{"case":"err"}'), (e) => e.payload === 'hook failed on request');
    assert.deepEqual(hook('prepare-next-turn', '{}'), [{ tag: 'inject-user-message', val: 'next' }, { tag: 'stop-after-turn', val: true }]);
    assert.equal(hook('before-agent-start', '{"case":"invalid"}')[5].val.length, 10000);
  });
}

for (const f of ['v1-legacy.wasm', 'v1-standard.wasm']) {
  await v1Checks(f, { name: 'fixture-v1', version: '1.2.3' },
    ['echo', 'log', 'env', 'http_get', 'http_post', 'wasi', 'fail', 'big']);
}
for (const f of ['v2-legacy.wasm', 'v2-standard.wasm']) await v2Checks(f);
await v1Checks('js-plugin.wasm', { name: 'fixture-js', version: '0.1.0' }, ['echo', 'log', 'env', 'http_get', 'fail'], false);

rmSync(work, { recursive: true, force: true });
let failed = 0;
for (const [status, label, msg] of results) {
  if (status !== 'ok') failed++;
  console.log(`${status.padEnd(4)} ${label}${msg ? `: ${msg}` : ''}`);
}
console.log(`${results.length - failed}/${results.length} passed`);
process.exit(failed ? 1 : 0);
