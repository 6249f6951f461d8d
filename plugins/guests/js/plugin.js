// JavaScript grain:plugin guest (world grain-plugin), built with componentize-js
// through `jco componentize --disable all` (no WASI imports at all).
// Same tools and result JSON shapes as the C fixture v1 (plugins/guests/c/v1.c),
// minus http_post / wasi / big.
import { log, envGet, httpGet } from 'grain:plugin/host';

const TOOLS = [
  {
    name: 'echo',
    label: 'Echo',
    description: 'Returns its arguments unchanged.',
    parametersJson: '{"type":"object","additionalProperties":true}',
  },
  {
    name: 'log',
    label: 'Log',
    description: 'Logs one message at each log level (debug, info, warn, error).',
    parametersJson: '{"type":"object","properties":{}}',
  },
  {
    name: 'env',
    label: 'Environment',
    description: 'Reads one variable through the host env-get function.',
    parametersJson: '{"type":"object","properties":{"key":{"type":"string"}},"required":["key"]}',
  },
  {
    name: 'http_get',
    label: 'HTTP GET',
    description: 'Fetches a URL through the host http-get function.',
    parametersJson: '{"type":"object","properties":{"url":{"type":"string"}},"required":["url"]}',
  },
  {
    name: 'fail',
    label: 'Fail',
    description: 'Always returns an error result.',
    parametersJson: '{"type":"object","properties":{}}',
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

function tool(name, argsJson) {
  switch (name) {
    case 'echo':
      return { contentJson: argsJson, isError: false };
    case 'log':
      log('debug', 'debug message');
      log('info', 'info message');
      log('warn', 'warn message');
      log('error', 'error message');
      return ok({ logged: 4 });
    case 'env': {
      const { key } = parseArgs(argsJson);
      if (typeof key !== 'string') return error({ error: 'missing string argument: key' });
      const value = envGet(key);
      return ok({ key, value: value === undefined ? null : value });
    }
    case 'http_get': {
      const { url } = parseArgs(argsJson);
      if (typeof url !== 'string') return error({ error: 'missing string argument: url' });
      let response;
      try {
        response = httpGet(url, [['accept', 'application/json'], ['x-grain-test', '1']]);
      } catch (e) {
        // an err(string) from the host arrives as a ComponentError carrying `payload`
        return error({ error: String(e && e.payload !== undefined ? e.payload : e) });
      }
      const echo = response.headers.find(([k]) => k.toLowerCase() === 'x-echo');
      return ok({
        status: response.status,
        headers: response.headers.length,
        body: response.body,
        echo: echo ? echo[1] : '',
      });
    }
    case 'fail':
      return error({ message: 'failed on request' });
    default:
      return error({ error: `unknown tool: ${name}` });
  }
}

export const plugin = {
  init() {
    return { name: 'fixture-js', version: '0.1.0' };
  },
  listTools() {
    return TOOLS;
  },
  callTool(name, argsJson) {
    return tool(name, argsJson);
  },
};
