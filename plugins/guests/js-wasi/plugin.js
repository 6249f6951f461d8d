// JavaScript grain:plugin guest (world grain-plugin) built with componentize-js
// defaults (no `--disable all`): its main module imports WASI 0.2 directly.
// console.log/console.error reach wasi:cli/stdout|stderr, Date.now() wasi:clocks,
// Math.random() wasi:random; env-get is the grain host import; fetch() is wasi:http
// (outgoing-handler), so callTool is async: componentize-js runs the event loop until
// the promise settles.
import { envGet } from 'grain:plugin/host';

const TOOLS = [
  {
    name: 'console',
    label: 'Console',
    description: 'Writes its text with console.log and console.error.',
    parametersJson: '{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}',
  },
  {
    name: 'flood',
    label: 'Flood',
    description: 'Writes count lines of 100 characters with console.log.',
    parametersJson: '{"type":"object","properties":{"count":{"type":"integer"}},"required":["count"]}',
  },
  {
    name: 'clock',
    label: 'Clock',
    description: 'Reads Date.now() and performance.now().',
    parametersJson: '{"type":"object","properties":{}}',
  },
  {
    name: 'random',
    label: 'Random',
    description: 'Draws numbers with Math.random().',
    parametersJson: '{"type":"object","properties":{"count":{"type":"integer"}}}',
  },
  {
    name: 'fetch',
    label: 'Fetch',
    description: 'Fetches url (GET, or POST with body) with header x-grain-test: 1 and returns status, x-echo and body.',
    parametersJson: '{"type":"object","properties":{"url":{"type":"string"},"body":{"type":"string"}},"required":["url"]}',
  },
  {
    name: 'env',
    label: 'Environment',
    description: 'Reads one variable through the host env-get function.',
    parametersJson: '{"type":"object","properties":{"key":{"type":"string"}},"required":["key"]}',
  },
];

function parseArgs(argsJson) {
  try {
    const v = JSON.parse(argsJson);
    return v !== null && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

const ok = (value) => ({ contentJson: JSON.stringify(value), isError: false });
const error = (value) => ({ contentJson: JSON.stringify(value), isError: true });

async function fetchTool(args) {
  if (typeof args.url !== 'string') return error({ error: 'missing string argument: url' });
  const init = { headers: { 'x-grain-test': '1' } };
  if (typeof args.body === 'string') {
    init.method = 'POST';
    init.body = args.body;
  }
  try {
    const response = await fetch(args.url, init);
    const body = await response.text();
    return ok({ status: response.status, echo: response.headers.get('x-echo'), body });
  } catch (e) {
    return error({ error: String(e && e.message ? e.message : e) });
  }
}

function tool(name, argsJson) {
  const args = parseArgs(argsJson);
  switch (name) {
    case 'console': {
      if (typeof args.text !== 'string') return error({ error: 'missing string argument: text' });
      console.log(args.text);
      console.error('error: ' + args.text);
      return ok({ written: 2 });
    }
    case 'flood': {
      const count = Number.isInteger(args.count) ? args.count : 0;
      const line = 'x'.repeat(100);
      for (let i = 0; i < count; i++) console.log(line);
      return ok({ lines: count });
    }
    case 'clock': {
      const now = Date.now();
      return ok({ wallOk: now > 1600000000000, now });
    }
    case 'random': {
      const count = Number.isInteger(args.count) ? Math.min(args.count, 1000) : 8;
      const values = [];
      for (let i = 0; i < count; i++) values.push(Math.random());
      const inRange = values.every((v) => v >= 0 && v < 1);
      return ok({ count, inRange, distinct: new Set(values).size });
    }
    case 'fetch':
      return fetchTool(args);
    case 'env': {
      if (typeof args.key !== 'string') return error({ error: 'missing string argument: key' });
      const value = envGet(args.key);
      return ok({ key: args.key, value: value === undefined ? null : value });
    }
    default:
      return error({ error: `unknown tool: ${name}` });
  }
}

export const plugin = {
  init() {
    return { name: 'fixture-js-wasi', version: '0.1.0' };
  },
  listTools() {
    return TOOLS;
  },
  async callTool(name, argsJson) {
    return tool(name, argsJson);
  },
};
