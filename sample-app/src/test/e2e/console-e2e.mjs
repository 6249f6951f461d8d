// Drives the sample app's web console in headless Chromium (Debian's package) with
// playwright-core: the tool and plugin tables, calls of a WebAssembly tool and a bean
// tool through the generated form, a validation error, a hook event and tool calls
// arriving over server-sent events, and an approval answered on the page.
//   node console-e2e.mjs <base-url> [screenshot-dir]
// Environment: GRAIN_E2E_CHROMIUM (default /usr/bin/chromium); GRAIN_E2E_USER and
// GRAIN_E2E_PASSWORD when the application asks for HTTP Basic credentials.
// Prints one JSON line per step (what the page showed) for GrainSampleConsoleTests;
// exits 1 with a "failed" line and a screenshot when a step does not happen.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, screenshots] = process.argv.slice(2);
if (!base) {
  console.error('usage: node console-e2e.mjs <base-url> [screenshot-dir]');
  process.exit(2);
}
const executablePath = process.env.GRAIN_E2E_CHROMIUM || '/usr/bin/chromium';
const user = process.env.GRAIN_E2E_USER;
const httpCredentials = user ? { username: user, password: process.env.GRAIN_E2E_PASSWORD ?? '' } : undefined;
if (screenshots) mkdirSync(screenshots, { recursive: true });

const emit = (step, facts) => console.log(JSON.stringify({ step, ...facts }));
const profile = mkdtempSync(join(tmpdir(), 'grain-console-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  httpCredentials,
  viewport: { width: 1280, height: 900 },
});
context.setDefaultTimeout(60_000);
const page = context.pages()[0] ?? await context.newPage();
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(error.message));
page.on('console', (message) => { if (message.type() === 'error') pageErrors.push(message.text()); });

const shot = async (name) => {
  if (screenshots) await page.screenshot({ path: join(screenshots, name), fullPage: true });
};
const text = (locator) => locator.innerText();

/** Pick a tool in the list; its form appears. */
async function pick(name) {
  await page.locator(`#tools tr[data-tool="${name}"]`).click();
  await page.locator('#call-tool').filter({ hasText: name }).waitFor();
}

/** Call the picked tool; answers the result box once it shows this call's answer. */
async function callPicked() {
  await page.locator('#result').evaluate((box) => { box.hidden = true; box.removeAttribute('data-kind'); });
  await page.locator('#call-button').click();
  const result = page.locator('#result[data-kind]');
  await result.waitFor();
  return { kind: await result.getAttribute('data-kind'), title: await text(result.locator('h4')),
    content: await result.locator('pre.content').count() ? JSON.parse(await text(result.locator('pre.content'))) : null,
    error: await result.locator('.error-message').count() ? await text(result.locator('.error-message')) : null,
    violations: await result.locator('.violations li').allInnerTexts() };
}

let step = 'open';
try {
  await page.goto(base + '/');
  await page.locator('#stream-status[data-state="live"]').waitFor();
  await page.locator('#tools tr[data-tool]').first().waitFor();
  await page.locator('#plugins tr[data-plugin]').first().waitFor();

  step = 'tools';
  emit(step, { tools: await page.locator('#tools tr[data-tool]').evaluateAll((rows) => rows.map((row) => ({
    name: row.dataset.tool, source: row.cells[1].innerText, capability: row.cells[2].innerText,
    readOnly: row.cells[3].innerText })))});

  step = 'plugins';
  emit(step, { plugins: await page.locator('#plugins tr[data-plugin]').evaluateAll((rows) => rows.map((row) => ({
    name: row.dataset.plugin, status: row.cells[2].innerText, runtime: row.cells[3].innerText,
    sha256: row.cells[7].title, error: row.cells[8].innerText })))});
  await shot('console.png');

  step = 'call-wasm';
  await pick('echo');
  await page.locator('#arg--all').fill('{"said": "hi from the console"}');
  emit(step, { tool: 'echo', ...await callPicked() });
  await page.locator('#events li.event-tool-call', { hasText: 'echo (wasm:core)' }).waitFor();

  step = 'call-bean';
  await pick('text_stats');
  await page.locator('#arg-text').fill('one two three');
  emit(step, { tool: 'text_stats', ...await callPicked() });

  step = 'validation-error';
  await pick('big');
  await page.locator('#arg-size').fill('many');
  emit(step, { tool: 'big', ...await callPicked() });
  await shot('console-validation-error.png');

  step = 'hook-event';
  await page.locator('#hook-point').selectOption('before-agent-start');
  await page.locator('#hook-context').fill('{"case": "all"}');
  await page.locator('#hook-button').click();
  const hook = page.locator('#events li.event-hook').first();
  await hook.waitFor();
  await page.locator('#hook-result').filter({ hasText: /accepted/ }).waitFor();
  emit(step, { dispatch: await text(page.locator('#hook-result')), event: await text(hook.locator('.summary')) });

  step = 'tool-call-events';
  emit(step, { events: await page.locator('#events li.event-tool-call .summary').allInnerTexts() });

  step = 'approval';
  await pick('write_note');
  await page.locator('#arg-name').fill('from-console.txt');
  await page.locator('#arg-text').fill('written after a person approved it');
  await page.locator('#result').evaluate((box) => { box.hidden = true; box.removeAttribute('data-kind'); });
  await page.locator('#call-button').click();
  const pending = page.locator('#approvals li[data-tool="write_note"]');
  await pending.waitFor();
  const arguments_ = JSON.parse(await text(pending.locator('pre')));
  await shot('console-approval.png');
  await pending.locator('input').fill('looks fine');
  await pending.locator('button.approve').click();
  const result = page.locator('#result[data-kind]');
  await result.waitFor();
  const decided = page.locator('#events li.event-approval-decided').first();
  await decided.waitFor();
  await pending.waitFor({ state: 'detached' });
  emit(step, { pendingArguments: arguments_, kind: await result.getAttribute('data-kind'),
    content: JSON.parse(await text(result.locator('pre.content'))), event: await text(decided.locator('.summary')),
    pendingAfter: await page.locator('#approvals li').count() });

  step = 'done';
  emit(step, { pageErrors });
} catch (error) {
  await shot(`failed-${step}.png`).catch(() => {});
  emit('failed', { at: step, error: String(error?.message ?? error).split('\n')[0], pageErrors });
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
