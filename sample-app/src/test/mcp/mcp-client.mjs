// Drives an MCP server with the official TypeScript SDK client, for GrainSampleMcpTests.
//   node mcp-client.mjs <endpoint URL> <plan JSON> [Authorization header value]
// plan: {"calls": [{"name": "...", "arguments": {...}}, ...]}
// Prints one JSON object per line: initialized, tools, one call per planned call, then
// ready-for-change; after the next notifications/tools/list_changed it lists again
// (tools-changed) and exits 0. Waits at most 60 s for the notification (exit 2).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

const [endpoint, planJson, authorization] = process.argv.slice(2);
// every request of the transport (POST, the GET notification stream, DELETE) carries the credentials
const requestInit = authorization ? { headers: { Authorization: authorization } } : undefined;
const plan = JSON.parse(planJson);
const emit = (step, value) => console.log(JSON.stringify({ step, ...value }));

const client = new Client({ name: 'grain-sample-e2e', version: '1.0.0' });
let changed;
const listChanged = new Promise((resolve) => { changed = resolve; });
client.setNotificationHandler(ToolListChangedNotificationSchema, () => changed());

try {
  await client.connect(new StreamableHTTPClientTransport(new URL(endpoint), { requestInit }));
  emit('initialized', { server: client.getServerVersion(), capabilities: client.getServerCapabilities() });
  emit('tools', { tools: (await client.listTools()).tools });
  for (const call of plan.calls) {
    emit('call', { name: call.name, result: await client.callTool({ name: call.name, arguments: call.arguments }) });
  }
  emit('ready-for-change', {});
  const timeout = setTimeout(() => { emit('failed', { message: 'no notifications/tools/list_changed within 60 s' }); process.exit(2); }, 60_000);
  await listChanged;
  clearTimeout(timeout);
  emit('tools-changed', { tools: (await client.listTools()).tools });
  await client.close();
} catch (error) {
  // code: the HTTP status of a refused request (StreamableHTTPError), such as 401
  emit('failed', { message: String(error?.stack ?? error), code: error?.code });
  process.exit(1);
}
