// The sample's web console: lists tools and plugins, calls tools through a form generated
// from their schema, answers approvals, and shows live events from /api/events. Every URL
// is relative to the page, so the console works wherever (and however protected) the
// application serves it.
import { buildForm } from './schema-form.js';

const $ = (selector) => document.querySelector(selector);

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function badge(text, kind = text) {
  return element('span', { class: `badge ${kind}` }, text);
}

function cell(content, attributes = {}) {
  const td = element('td', attributes);
  if (content instanceof Node) td.append(content);
  else td.textContent = content ?? '';
  return td;
}

function errorRow(body, text, columns) {
  const row = element('tr');
  row.append(cell(text, { colspan: String(columns), class: 'load-error' }));
  body.replaceChildren(row);
}

/** A request to the application; answers { ok, status, body } with the body parsed when it is JSON. */
async function api(path, { method = 'GET', body } = {}) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? { Accept: 'application/json' }
      : { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { ok: response.ok, status: response.status, body: parsed };
}

/** A problem detail (RFC 9457) or any other failed answer, as one readable line. */
function problemText(answer) {
  const body = answer.body;
  if (body && typeof body === 'object') {
    return [body.title ?? `HTTP ${answer.status}`, body.detail].filter(Boolean).join(': ');
  }
  return `HTTP ${answer.status}${body ? ': ' + body : ''}`;
}

// ---- tools and calls

let tools = [];
let selected = null;
let form = null;

async function loadTools() {
  const answer = await api('api/tools');
  const body = $('#tools tbody');
  if (!answer.ok) {
    errorRow(body, problemText(answer), 4);
    return;
  }
  tools = answer.body;
  body.replaceChildren(...tools.map((tool) => {
    const row = element('tr', { 'data-tool': tool.name, 'aria-selected': String(tool.name === selected?.name) });
    const name = cell(tool.name, { class: 'name', title: tool.description });
    row.append(name, cell(tool.source), cell(tool.capability ?? '—'),
      cell(tool.readOnly ? badge('yes') : badge('no', 'pending')));
    row.addEventListener('click', () => select(tool.name));
    return row;
  }));
  if (selected && !tools.some((tool) => tool.name === selected.name)) {
    selected = null;
    $('#call-form').hidden = true;
    $('#call-hint').hidden = false;
  }
}

function select(name) {
  selected = tools.find((tool) => tool.name === name);
  for (const row of document.querySelectorAll('#tools tbody tr')) {
    row.setAttribute('aria-selected', String(row.dataset.tool === name));
  }
  $('#call-hint').hidden = true;
  $('#call-form').hidden = false;
  $('#call-tool').textContent = selected.label ? `${selected.name} — ${selected.label}` : selected.name;
  $('#call-description').textContent = selected.description;
  form = buildForm(selected.parameters, $('#call-fields'));
  $('#result').hidden = true;
  preview();
}

function preview() {
  const { arguments: args, problems } = form.read();
  $('#call-preview').textContent = problems.length ? problems.join('\n') : JSON.stringify(args, null, 2);
}

function showResult(kind, title, build) {
  const result = $('#result');
  result.hidden = false;
  result.className = kind;
  result.dataset.kind = kind;
  result.replaceChildren(element('h4', {}, title));
  build(result);
}

async function call(event) {
  event.preventDefault();
  const tool = selected;
  const { arguments: args, problems } = form.read();
  if (problems.length) {
    showResult('error', 'Not sent: the form has values that cannot be read', (result) => {
      const list = element('ul', { class: 'violations' });
      problems.forEach((problem) => list.append(element('li', {}, problem)));
      result.append(list);
    });
    return;
  }
  $('#call-button').disabled = true;
  try {
    const answer = await api(`api/tools/${encodeURIComponent(tool.name)}`, { method: 'POST', body: args });
    if (!answer.ok) {
      showResult('error', `Call refused (HTTP ${answer.status})`, (result) => result.append(element('p', {}, problemText(answer))));
    } else if (answer.body.isError) {
      const content = answer.body.content ?? {};
      showResult('error', `${tool.name} answered with an error`, (result) => {
        result.append(element('p', { class: 'error-message' }, content.error ?? JSON.stringify(content)));
        if (Array.isArray(content.violations)) {
          const list = element('ul', { class: 'violations' });
          content.violations.forEach((violation) => list.append(element('li', {}, violation)));
          result.append(list);
        }
      });
    } else {
      showResult('ok', `${tool.name} answered`, (result) => result.append(element('pre', { class: 'content' },
        JSON.stringify(answer.body.content, null, 2))));
    }
  } catch (error) {
    showResult('error', 'The call did not reach the application', (result) => result.append(element('p', {}, error.message)));
  } finally {
    $('#call-button').disabled = false;
  }
}

// ---- plugins and hook points

async function loadPlugins() {
  const answer = await api('api/plugins');
  const body = $('#plugins tbody');
  if (!answer.ok) {
    errorRow(body, problemText(answer), 9);
    return;
  }
  body.replaceChildren(...answer.body.map((plugin) => {
    const row = element('tr', { 'data-plugin': plugin.name, 'data-status': plugin.status });
    row.append(cell(plugin.name, { class: 'name' }), cell(plugin.version ?? '—'), cell(badge(plugin.status)),
      cell(plugin.runtime ?? '—'), cell(plugin.world ?? '—'), cell(plugin.capabilities.join(', ') || '—'),
      cell(plugin.tools.join(', ') || '—'),
      cell(plugin.sha256 ? plugin.sha256.slice(0, 12) + '…' : '—', { class: 'digest', title: plugin.sha256 ?? '' }),
      cell(plugin.error ?? '', { class: 'plugin-error' }));
    return row;
  }));
  const points = [...new Set(answer.body.flatMap((plugin) => plugin.hooks.map((hook) => hook.point)))].sort();
  const select = $('#hook-point');
  const current = select.value;
  select.replaceChildren(...points.map((point) => element('option', { value: point }, point)));
  if (points.includes(current)) select.value = current;
  $('#hook-button').disabled = points.length === 0;
}

async function dispatchHook(event) {
  event.preventDefault();
  const point = $('#hook-point').value;
  $('#hook-result').textContent = '';
  const answer = await api(`api/hooks/${encodeURIComponent(point)}`, { method: 'POST', body: $('#hook-context').value || '{}' });
  $('#hook-result').textContent = answer.ok
    ? `${answer.body.accepted.length} accepted, ${answer.body.rejected.length} rejected, ${answer.body.failures.length} failed`
    : problemText(answer);
}

// ---- approvals

async function loadApprovals() {
  const answer = await api('api/approvals');
  const list = $('#approvals');
  if (!answer.ok) {
    $('#approvals-mode').textContent = problemText(answer);
    return;
  }
  const { mode, pending } = answer.body;
  $('#approvals-section').dataset.mode = mode;
  $('#approvals-mode').textContent = mode === 'ask'
    ? (pending.length ? 'These calls wait for your answer.' : 'No call waits for approval.')
    : 'Decided by grain.plugins.approval.* (start with sample.approval.mode=ask to decide here).';
  list.replaceChildren(...pending.map((request) => {
    const item = element('li', { 'data-approval': request.id, 'data-tool': request.tool });
    item.append(element('strong', {}, request.tool), element('span', { class: 'muted' }, ` ${request.source}`),
      element('pre', {}, JSON.stringify(request.arguments, null, 2)));
    const actions = element('div', { class: 'actions' });
    const reason = element('input', { placeholder: 'reason (optional)', 'aria-label': 'reason' });
    const approve = element('button', { type: 'button', class: 'approve' }, 'Approve');
    const deny = element('button', { type: 'button', class: 'deny secondary' }, 'Deny');
    approve.addEventListener('click', () => answerApproval(request.id, true, reason.value));
    deny.addEventListener('click', () => answerApproval(request.id, false, reason.value));
    actions.append(reason, approve, deny);
    item.append(actions);
    return item;
  }));
}

async function answerApproval(id, approved, reason) {
  const answer = await api(`api/approvals/${encodeURIComponent(id)}`, { method: 'POST', body: { approved, reason: reason || null } });
  if (!answer.ok) $('#approvals-mode').textContent = problemText(answer);
  await loadApprovals();
}

// ---- live events

const MAX_EVENTS = 200;

function describe(type, data) {
  switch (type) {
    case 'hook':
      return [badge(data.type), `${data.plugin} at ${data.point}`,
        data.action ? ` ${data.action.kind}` : '', data.reason ? ` — ${data.reason}` : '',
        data.message ? ` — ${data.kind}: ${data.message}` : ''];
    case 'tool-call':
      return [badge(data.outcome), `${data.tool} (${data.source}) in ${data.durationMillis.toFixed(1)} ms`,
        data.failure ? ` — ${data.failure}` : ''];
    case 'approval-pending':
      return [badge('pending'), `${data.tool} waits for approval`];
    case 'approval-decided':
      return [badge(data.approved ? 'approved' : 'denied'), `${data.tool}: ${data.reason}`];
    case 'plugin':
      return [badge(data.change), `plugin ${data.name}${data.version ? ' ' + data.version : ''}`,
        data.error ? ` — ${data.error}` : ''];
    default:
      return [badge(type), JSON.stringify(data)];
  }
}

function showEvent(type, data) {
  const item = element('li', { class: `event event-${type}`, 'data-type': type });
  item.append(element('time', {}, new Date().toLocaleTimeString()), element('span', { class: 'muted' }, type));
  const text = element('span', { class: 'summary' });
  const [kind, ...rest] = describe(type, data);
  text.append(kind, ' ', ...rest);
  item.append(text);
  const list = $('#events');
  list.prepend(item);
  while (list.children.length > MAX_EVENTS) list.lastChild.remove();
}

function connect() {
  const status = $('#stream-status');
  const stream = new EventSource('api/events');
  const on = (type, also) => stream.addEventListener(type, (message) => {
    const data = JSON.parse(message.data);
    showEvent(type, data);
    also?.(data);
  });
  stream.addEventListener('connected', () => {
    status.dataset.state = 'live';
    status.textContent = 'live';
    // anything that changed while the stream was down
    loadApprovals();
    loadPlugins();
  });
  stream.addEventListener('error', () => {
    status.dataset.state = stream.readyState === EventSource.CLOSED ? 'down' : 'connecting';
    status.textContent = stream.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…';
  });
  on('hook');
  on('tool-call');
  on('approval-pending', loadApprovals);
  on('approval-decided', loadApprovals);
  on('plugin', () => Promise.all([loadPlugins(), loadTools()]));
}

$('#call-form').addEventListener('submit', call);
$('#call-form').addEventListener('input', () => form && preview());
$('#hook-form').addEventListener('submit', dispatchHook);
await Promise.all([loadTools(), loadPlugins(), loadApprovals()]);
connect();
