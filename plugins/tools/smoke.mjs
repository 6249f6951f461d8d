// Smoke test for the core-module fixtures, independent of the Java host:
// instantiates each module in Node with a JavaScript grain:plugin/host and Node's
// WASI preview1, lifts results with the canonical ABI (CONTRACT.md §3) and checks
// the documented behaviour (not the endless loops: Node cannot interrupt them).
// Usage: node smoke.mjs [--heavy] <fixtures/core dir>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import assert from 'node:assert/strict';

const heavy = process.argv.includes('--heavy');
const dir = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!dir) {
  console.error('usage: smoke.mjs [--heavy] <fixtures/core dir>   (--heavy: also grow to 4 GiB, 64 MiB result, 1M tools)');
  process.exit(2);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const enc = new TextEncoder();

function names(standard) {
  return standard
    ? {
        host: 'cm32p2|grain:plugin/host',
        exp: (i, f) => `cm32p2|grain:plugin/${i}|${f}`,
        post: (i, f) => `cm32p2|grain:plugin/${i}|${f}_post`,
        realloc: 'cm32p2_realloc', memory: 'cm32p2_memory', init: 'cm32p2_initialize',
      }
    : {
        host: 'grain:plugin/host',
        exp: (i, f) => `grain:plugin/${i}#${f}`,
        post: (i, f) => `cabi_post_grain:plugin/${i}#${f}`,
        realloc: 'cabi_realloc', memory: 'memory', init: '_initialize',
      };
}

class Plugin {
  constructor(file, { standard = false, env = {}, wasiEnv = {}, http } = {}) {
    this.n = names(standard);
    this.logs = [];
    this.env = env;
    this.http = http ?? ((method, url, headers, body) => ({
      ok: { status: 200, headers: [['x-echo', `${method} ${url}`], ['content-type', 'text/plain']],
        body: `got "${headers.map((h) => h.join('=')).join(',')}" ${body ?? ''}\n` },
    }));
    const module = new WebAssembly.Module(readFileSync(file));
    this.imports = WebAssembly.Module.imports(module);
    this.exportNames = WebAssembly.Module.exports(module).map((e) => e.name);
    const wasi = new WASI({ version: 'preview1', env: wasiEnv, returnOnExit: false });
    const self = this;
    const n = this.n;
    const host = {
      log: (level, p, l) => self.logs.push([level, self.str(p, l)]),
      'env-get': (p, l, ret) => {
        const key = self.str(p, l);
        const v = self.env[key];
        if (v === undefined) { self.dv().setUint8(ret, 0); return; }
        const [vp, vl] = self.lowerStr(v);
        self.dv().setUint8(ret, 1); self.dv().setUint32(ret + 4, vp, true); self.dv().setUint32(ret + 8, vl, true);
      },
      'http-get': (up, ul, hp, hn, ret) => self.httpCall('GET', self.str(up, ul), self.tuples(hp, hn), undefined, ret),
      'http-post': (up, ul, hp, hn, bp, bl, ret) =>
        self.httpCall('POST', self.str(up, ul), self.tuples(hp, hn), self.str(bp, bl), ret),
    };
    this.instance = new WebAssembly.Instance(module, { [n.host]: host, ...wasi.getImportObject() });
    this.ex = this.instance.exports;
    const usesWasi = this.imports.some((i) => i.module === 'wasi_snapshot_preview1');
    if (usesWasi) wasi.initialize({ exports: { memory: this.ex[n.memory], _initialize: this.ex[n.init] } });
    else this.ex[n.init]();
  }
  dv() { return new DataView(this.ex[this.n.memory].buffer); }
  bytes() { return new Uint8Array(this.ex[this.n.memory].buffer); }
  str(p, l) {
    const m = this.bytes();
    if (p + l > m.length) throw new Error(`string out of bounds ${p}+${l}`);
    return utf8.decode(m.subarray(p, p + l));
  }
  lowerStr(s) {
    const b = enc.encode(s);
    const p = this.ex[this.n.realloc](0, 0, 1, b.length) >>> 0;
    this.bytes().set(b, p);
    return [p, b.length];
  }
  tuples(p, n) {
    const dv = this.dv();
    const out = [];
    for (let i = 0; i < n; i++) {
      const e = p + 16 * i;
      out.push([this.str(dv.getUint32(e, true), dv.getUint32(e + 4, true)),
        this.str(dv.getUint32(e + 8, true), dv.getUint32(e + 12, true))]);
    }
    return out;
  }
  httpCall(method, url, headers, body, ret) {
    this.lastHttp = { method, url, headers, body };
    const r = this.http(method, url, headers, body);
    if (r.err !== undefined) {
      const [p, l] = this.lowerStr(r.err);
      const dv = this.dv();
      dv.setUint8(ret, 1); dv.setUint32(ret + 4, p, true); dv.setUint32(ret + 8, l, true);
      return;
    }
    const hs = r.ok.headers.map(([a, b]) => [...this.lowerStr(a), ...this.lowerStr(b)]);
    const hp = this.ex[this.n.realloc](0, 0, 4, 16 * hs.length) >>> 0;
    const [bp, bl] = this.lowerStr(r.ok.body);
    const dv = this.dv();
    hs.forEach((h, i) => h.forEach((v, j) => dv.setUint32(hp + 16 * i + 4 * j, v, true)));
    dv.setUint8(ret, 0);
    dv.setUint16(ret + 4, r.ok.status, true);
    dv.setUint32(ret + 8, hp, true); dv.setUint32(ret + 12, hs.length, true);
    dv.setUint32(ret + 16, bp, true); dv.setUint32(ret + 20, bl, true);
  }
  call(iface, fn, args, lift) {
    const area = this.ex[this.n.exp(iface, fn)](...args) >>> 0;
    const v = lift(area);
    this.ex[this.n.post(iface, fn)](area);
    return v;
  }
  s(a) { const dv = this.dv(); return this.str(dv.getUint32(a, true), dv.getUint32(a + 4, true)); }
  list(a, size, f) {
    const dv = this.dv();
    const p = dv.getUint32(a, true), n = dv.getUint32(a + 4, true);
    if (p % 4) throw new Error('misaligned list');
    return Array.from({ length: n }, (_, i) => f(p + size * i));
  }
  optS(a) {
    const d = this.dv().getUint8(a);
    if (d > 1) throw new Error(`bad option disc ${d}`);
    return d ? this.s(a + 4) : null;
  }
  bool(a) { const b = this.dv().getUint8(a); if (b > 1) throw new Error(`bad bool ${b}`); return b === 1; }
  init() {
    return this.call('plugin', 'init', [], (a) => {
      const d = this.dv().getUint8(a);
      if (d > 1) throw new Error(`bad result disc ${d}`);
      return d === 0 ? { ok: { name: this.s(a + 4), version: this.s(a + 12) } } : { err: this.s(a + 4) };
    });
  }
  listTools() {
    return this.call('plugin', 'list-tools', [], (a) => this.list(a, 32, (e) => ({
      name: this.s(e), label: this.s(e + 8), description: this.s(e + 16), parameters: this.s(e + 24),
    })));
  }
  callTool(name, args) {
    const [np, nl] = this.lowerStr(name);
    const [ap, al] = this.lowerStr(args);
    return this.call('plugin', 'call-tool', [np, nl, ap, al], (a) => {
      if (a % 4) throw new Error('misaligned return area');
      return { content: this.s(a), isError: this.bool(a + 8) };
    });
  }
  listRoles() {
    return this.call('orchestration', 'list-roles', [], (a) => this.list(a, 44, (e) => ({
      name: this.s(e), model: this.s(e + 8), prompt: this.s(e + 16),
      tools: this.list(e + 24, 8, (t) => this.s(t)), thinking: this.optS(e + 32),
    })));
  }
  listHooks() {
    return this.call('orchestration', 'list-hooks', [], (a) => this.list(a, 12, (e) => {
      const p = this.dv().getUint8(e);
      if (p > 3) throw new Error(`bad hook point ${p}`);
      return [p, this.s(e + 4)];
    }));
  }
  callHook(point, ctx) {
    const [cp, cl] = this.lowerStr(ctx);
    return this.call('orchestration', 'call-hook', [point, cp, cl], (a) => {
      const d = this.dv().getUint8(a);
      if (d > 1) throw new Error(`bad result disc ${d}`);
      if (d === 1) return { err: this.s(a + 4) };
      return { ok: this.list(a + 4, 28, (e) => {
        const tag = this.dv().getUint8(e);
        const p = e + 4;
        switch (tag) {
          case 0: return ['switch-role', this.s(p)];
          case 1: return ['switch-model', this.s(p)];
          case 2: return ['set-system-prompt', this.s(p)];
          case 3: return ['set-active-tools', this.list(p, 8, (t) => this.s(t))];
          case 4: return ['inject-user-message', this.s(p)];
          case 5: return ['stop-after-turn', this.bool(p)];
          case 6: return ['emit-custom', this.s(p)];
          case 7: return ['set-ui-header', { provider: this.optS(p), model: this.optS(p + 12) }];
          case 8: return ['set-ui-status', this.s(p)];
          default: throw new Error(`bad action disc ${tag}`);
        }
      }) };
    });
  }
}

const results = [];
function check(label, f) {
  try {
    f();
    results.push(['ok', label]);
  } catch (e) {
    results.push(['FAIL', label, e.message]);
  }
}
function throws(label, f, re) {
  check(label, () => assert.throws(f, re));
}
const json = (s) => JSON.parse(s);

for (const variant of ['legacy', 'standard']) {
  const standard = variant === 'standard';
  const f = join(dir, `v1-${variant}.wasm`);
  const n = names(standard);
  check(`v1-${variant} exports`, () => {
    const p = new Plugin(f, { standard });
    const want = ['init', 'list-tools', 'call-tool'].flatMap((x) => [n.exp('plugin', x), n.post('plugin', x)]);
    assert.deepEqual([...p.exportNames].sort(), [...want, n.realloc, n.memory, n.init].sort());
  });
  check(`v1-${variant} init`, () => assert.deepEqual(new Plugin(f, { standard }).init(), { ok: { name: 'fixture-v1', version: '1.2.3' } }));
  check(`v1-${variant} init fail`, () => assert.deepEqual(
    new Plugin(f, { standard, env: { GRAIN_FAIL_INIT: '1' } }).init(), { err: 'init failed on request' }));
  check(`v1-${variant} list-tools`, () => {
    const p = new Plugin(f, { standard });
    p.init();
    const tools = p.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['echo', 'log', 'env', 'http_get', 'http_post', 'wasi', 'fail', 'big']);
    for (const t of tools) {
      assert.equal(json(t.parameters).type, 'object');
      assert.ok(t.label && t.description);
    }
  });
  const tool = (name, args, opts = {}) => {
    const p = new Plugin(f, { standard, ...opts });
    assert.ok(p.init().ok);
    const r = p.callTool(name, args);
    return { ...r, p };
  };
  check(`v1-${variant} echo`, () => {
    const a = '{"x":"é \\" ünï","n":[1,2]}';
    const r = tool('echo', a);
    assert.equal(r.content, a); assert.equal(r.isError, false);
    assert.equal(tool('echo', '').content, '');
  });
  check(`v1-${variant} log`, () => {
    const r = tool('log', '{}');
    assert.deepEqual(json(r.content), { logged: 4 });
    assert.deepEqual(r.p.logs, [[0, 'debug message'], [1, 'info message'], [2, 'warn message'], [3, 'error message']]);
  });
  check(`v1-${variant} env`, () => {
    assert.deepEqual(json(tool('env', '{"key":"A\\"B"}', { env: { 'A"B': 'v"\n\u0001' } }).content), { key: 'A"B', value: 'v"\n\u0001' });
    assert.deepEqual(json(tool('env', '{"key": "NOPE"}').content), { key: 'NOPE', value: null });
    assert.deepEqual(json(tool('env', '{"key":"E"}', { env: { E: '' } }).content), { key: 'E', value: '' });
  });
  check(`v1-${variant} http_get`, () => {
    const r = tool('http_get', '{"url":"http://x/y"}');
    assert.equal(r.isError, false);
    assert.deepEqual(json(r.content), { status: 200, headers: 2, body: 'got "accept=application/json,x-grain-test=1" \n', echo: 'GET http://x/y' });
    assert.deepEqual(r.p.lastHttp, { method: 'GET', url: 'http://x/y', headers: [['accept', 'application/json'], ['x-grain-test', '1']], body: undefined });
    const e = tool('http_get', '{"url":"u"}', { http: () => ({ err: 'nope "x"' }) });
    assert.equal(e.isError, true); assert.deepEqual(json(e.content), { error: 'nope "x"' });
    const z = tool('http_get', '{"url":"u"}', { http: () => ({ ok: { status: 204, headers: [], body: '' } }) });
    assert.deepEqual(json(z.content), { status: 204, headers: 0, body: '', echo: '' });
    const c = tool('http_get', '{"url":"u"}', { http: () => ({ ok: { status: 200, headers: [['X-Echo', 'E']], body: 'b' } }) });
    assert.equal(json(c.content).echo, 'E');
  });
  check(`v1-${variant} http_post`, () => {
    const r = tool('http_post', '{"url":"http://x/p","body":"B\\"1"}');
    assert.deepEqual(json(r.content), { status: 200, headers: 2, body: 'got "content-type=text/plain" B"1\n', echo: 'POST http://x/p' });
    assert.deepEqual(r.p.lastHttp.headers, [['content-type', 'text/plain']]);
  });
  check(`v1-${variant} wasi`, () => {
    const r = tool('wasi', '{}', { wasiEnv: { GRAIN_WASI_ENV: 'wasi-value' } });
    assert.deepEqual(json(r.content), { clock_ok: true, random_ok: true, wasi_env: 'wasi-value' });
  });
  check(`v1-${variant} fail`, () => {
    const r = tool('fail', '{}');
    assert.equal(r.isError, true); assert.deepEqual(json(r.content), { message: 'failed on request' });
  });
  check(`v1-${variant} big`, () => {
    assert.equal(json(tool('big', '{"size":100000}').content), 'a'.repeat(100000));
    assert.equal(tool('big', '{"size":0}').content, '""');
  });
  check(`v1-${variant} unknown`, () => {
    const r = tool('wat"', '{}');
    assert.equal(r.isError, true); assert.deepEqual(json(r.content), { error: 'unknown tool: wat"' });
  });
}

for (const variant of ['legacy', 'standard']) {
  const standard = variant === 'standard';
  const f = join(dir, `v2-${variant}.wasm`);
  const p0 = () => { const p = new Plugin(f, { standard }); assert.ok(p.init().ok); return p; };
  check(`v2-${variant} init`, () => {
    assert.deepEqual(new Plugin(f, { standard }).init(), { ok: { name: 'fixture-v2', version: '2.0.0' } });
    assert.deepEqual(new Plugin(f, { standard, env: { GRAIN_FAIL_INIT: '1' } }).init(), { err: 'init failed on request' });
  });
  check(`v2-${variant} tools`, () => {
    assert.deepEqual(p0().listTools().map((t) => t.name), ['echo', 'fail']);
    assert.deepEqual(p0().callTool('echo', '{"a":1}'), { content: '{"a":1}', isError: false });
    assert.deepEqual(p0().callTool('fail', '{}'), { content: '{"message":"failed on request"}', isError: true });
  });
  check(`v2-${variant} roles`, () => assert.deepEqual(p0().listRoles(), [
    { name: 'planner', model: 'anthropic/claude-sonnet-4', prompt: 'You plan.', tools: ['echo'], thinking: 'high' },
    { name: 'coder', model: 'openai/gpt-5', prompt: 'You code.', tools: [], thinking: null },
  ]));
  check(`v2-${variant} hooks`, () => assert.deepEqual(p0().listHooks(), [[0, 'start'], [1, 'after'], [2, 'prepare'], [3, 'stop']]));
  check(`v2-${variant} call-hook`, () => {
    assert.deepEqual(p0().callHook(0, '{"case":"all"}'), { ok: [
      ['switch-role', 'planner'], ['switch-model', 'openai/gpt-5'], ['set-system-prompt', 'Be brief.'],
      ['set-active-tools', ['echo', 'fail']], ['inject-user-message', 'continue'], ['stop-after-turn', true],
      ['emit-custom', '{"k":1}'], ['set-ui-header', { provider: 'anthropic', model: null }], ['set-ui-status', 'thinking'],
    ] });
    assert.deepEqual(p0().callHook(1, '{"case":"header-none"}'), { ok: [['set-ui-header', { provider: null, model: null }]] });
    assert.deepEqual(p0().callHook(1, '{"case":"header-some"}'), { ok: [['set-ui-header', { provider: 'openai', model: 'gpt-5' }]] });
    assert.deepEqual(p0().callHook(2, '{"case":"err"}'), { err: 'hook failed on request' });
    assert.deepEqual(p0().callHook(3, '{"case":"empty"}'), { ok: [] });
    assert.deepEqual(p0().callHook(0, '{"x":1, "case" : "invalid"}'), { ok: [
      ['switch-role', 'nobody'], ['set-active-tools', ['echo', 'nope']], ['emit-custom', '{not json'],
      ['stop-after-turn', false], ['switch-model', ''], ['set-system-prompt', 'p'.repeat(10000)],
    ] });
    assert.deepEqual(p0().callHook(0, '{}'), { ok: [['switch-role', 'planner']] });
    assert.deepEqual(p0().callHook(1, '{"case":"other"}'), { ok: [['emit-custom', '{"point":"after-tool-call"}']] });
    assert.deepEqual(p0().callHook(2, ''), { ok: [['inject-user-message', 'next'], ['stop-after-turn', true]] });
    assert.deepEqual(p0().callHook(3, '{}'), { ok: [['stop-after-turn', true]] });
  });
}

// hostile
{
  const f = join(dir, 'hostile.wasm');
  const h = (mode, opts = {}) => new Plugin(f, { env: mode ? { MODE: mode } : {}, ...opts });
  check('hostile init normal', () => assert.deepEqual(h().init(), { ok: { name: 'hostile', version: '0.0.1' } }));
  throws('hostile init-trap', () => h('init-trap').init(), /unreachable/);
  throws('hostile init-bad-disc', () => h('init-bad-disc').init(), /bad result disc 7/);
  throws('hostile init-bad-utf8', () => h('init-bad-utf8').init(), /encoded data was not valid/);
  throws('hostile init-bad-ptr', () => h('init-bad-ptr').init(), /out of bounds/);
  check('hostile init-imports', () => {
    const p = h('init-imports');
    assert.ok(p.init().ok);
    assert.equal(p.logs.length, 1);
    assert.equal(p.lastHttp.method, 'GET');
  });
  throws('hostile list-bad-ptr', () => { const p = h('list-bad-ptr'); p.init(); p.listTools(); }, /out of bounds|offset/i);
  throws('hostile list-absurd', () => { const p = h('list-absurd'); p.init(); p.listTools(); }, /out of bounds|offset/i);
  throws('hostile list-misaligned', () => { const p = h('list-misaligned'); p.init(); p.listTools(); }, /misaligned/);
  if (heavy) check('hostile list-million', () => {
    const p = h('list-million'); p.init();
    const t = p.listTools();
    assert.equal(t.length, 1000000); assert.equal(t[999999].name, 't999999'); assert.equal(t[0].name, 't0');
  });
  check('hostile list normal', () => {
    const p = h(); p.init();
    assert.deepEqual(p.listTools().map((t) => t.name), ['ok', 'trap', 'bad_ptr', 'absurd_len', 'invalid_utf8',
      'misaligned_area', 'area_oob', 'loop', 'recurse', 'grow', 'log_flood', 'big_result', 'bad_bool']);
  });
  const t = (name, opts) => { const p = h(undefined, opts); p.init(); return p.callTool(name, '{}'); };
  check('hostile ok', () => assert.deepEqual(t('ok'), { content: '{"ok":true}', isError: false }));
  throws('hostile trap', () => t('trap'), /unreachable/);
  throws('hostile bad_ptr', () => t('bad_ptr'), /out of bounds/);
  throws('hostile absurd_len', () => t('absurd_len'), /out of bounds/);
  throws('hostile invalid_utf8', () => t('invalid_utf8'), /encoded data was not valid/);
  throws('hostile misaligned_area', () => t('misaligned_area'), /misaligned return area/);
  throws('hostile area_oob', () => t('area_oob'), /out of bounds|offset/i);
  throws('hostile recurse', () => t('recurse'), /call stack/i);
  if (heavy) check('hostile grow', () => assert.deepEqual(json(t('grow').content), { pages: 65536 }));
  check('hostile log_flood', () => { const p = h(); p.init(); p.callTool('log_flood', '{}'); assert.equal(p.logs.length, 100000); });
  if (heavy) check('hostile big_result', () => { const c = t('big_result').content; assert.equal(c.length, 64 * 1024 * 1024 + 2); });
  throws('hostile bad_bool', () => t('bad_bool'), /bad bool 2/);
}

{
  const f = join(dir, 'hostile-v2.wasm');
  const h = (mode) => { const p = new Plugin(f, { env: mode ? { MODE: mode } : {} }); assert.ok(p.init().ok); return p; };
  check('hostile-v2 normal', () => {
    assert.equal(h().listRoles()[0].thinking, 'high');
    assert.equal(h().listHooks().length, 4);
    assert.deepEqual(h().callHook(0, '{"case":"none"}'), { ok: [] });
    assert.deepEqual(h().callTool('echo', '1'), { content: '1', isError: false });
  });
  throws('hostile-v2 role-bad-option', () => h('role-bad-option').listRoles(), /bad option disc 3/);
  throws('hostile-v2 hook-bad-point', () => h('hook-bad-point').listHooks(), /bad hook point 9/);
  throws('hostile-v2 bad-action-disc', () => h().callHook(0, '{"case":"bad-action-disc"}'), /bad action disc 9/);
  throws('hostile-v2 bad-bool', () => h().callHook(0, '{"case":"bad-bool"}'), /bad bool 2/);
  throws('hostile-v2 bad-utf8', () => h().callHook(0, '{"case":"bad-utf8"}'), /encoded data was not valid/);
  throws('hostile-v2 bad-list', () => h().callHook(0, '{"case":"bad-list"}'), /out of bounds|offset/i);
  throws('hostile-v2 trap', () => h().callHook(0, '{"case":"trap"}'), /unreachable/);
}

{
  const f = join(dir, 'hostile-realloc.wasm');
  check('hostile-realloc', () => {
    const p = new Plugin(f);
    assert.deepEqual(p.init(), { ok: { name: 'hostile-realloc', version: '0.0.1' } });
    assert.equal(p.ex.cabi_realloc(0, 0, 1, 5) >>> 0, 0xFFFFFFF0);
    assert.equal((p.ex.cabi_realloc(0, 0, 4, 16) >>> 0) % 2, 1);
    assert.equal(p.ex.cabi_realloc(0, 0, 1, 0) >>> 0, 1);
    assert.deepEqual(p.imports, []);
  });
}

{
  const f = join(dir, 'wasi-extra.wasm');
  check('wasi-extra files', () => {
    const p = new Plugin(f);
    assert.ok(p.init().ok);
    const r = json(p.callTool('files', '{}').content);
    assert.equal(r.fopen, null); assert.equal(r.opendir, null);
    assert.ok(r.errno > 0 && r.opendir_errno > 0, JSON.stringify(r));
    console.log('wasi-extra without preopens:', JSON.stringify(r));
  });
}

let failed = 0;
for (const [status, label, msg] of results) {
  if (status !== 'ok') failed++;
  console.log(`${status.padEnd(4)} ${label}${msg ? `: ${msg}` : ''}`);
}
console.log(`${results.length - failed}/${results.length} passed`);
process.exit(failed ? 1 : 0);
