// Shared Playwright setup: Debian's Chromium via playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const WIDGET_URL = process.env.WIDGET_URL ?? 'http://127.0.0.1:8080';
export const GC_SIM_URL = process.env.GC_SIM_URL ?? 'http://127.0.0.1:8787';
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'target/e2e';

// Flags that work as root on this machine type; background networking off (no internet here).
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS });
}

/** The widget's URL for this run's simulator. */
export function widgetUrl() {
  return `${WIDGET_URL}/?sim=${encodeURIComponent(GC_SIM_URL)}`;
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Sign in through the simulator's real sign-in page; returns the secret the redirect carried
 * (the PKCE code, or the token with `grant=implicit`). */
/** The access token a sign-in on `page` obtains, however it arrives: in the implicit redirect's
 *  fragment, or in the answer to the PKCE code exchange at `/oauth/token`. Returns a getter. */
export function watchToken(page) {
  let token = null;
  page.on('framenavigated', (frame) => {
    const m = /[#&]access_token=([^&]+)/.exec(frame.url());
    if (m) token = decodeURIComponent(m[1]);
  });
  page.on('response', async (response) => {
    if (!new URL(response.url()).pathname.endsWith('/oauth/token') || !response.ok()) return;
    const body = await response.json().catch(() => null);
    if (body?.access_token) token = body.access_token;
  });
  return () => token;
}

export async function signIn(page, userLabel = /Supervisor/) {
  const token = watchToken(page);
  await page.goto(widgetUrl());
  await page.getByRole('button', { name: /Sign in to gc-sim/ }).click();
  await page.waitForURL(/\/oauth\/authorize/);
  const option = await page.locator('#user option', { hasText: userLabel }).first().getAttribute('value');
  await page.selectOption('#user', option);
  await page.click('#sign-in');
  await page.waitForURL((url) => url.toString().startsWith(WIDGET_URL));
  return token;
}

/** RFC 4180 records (quoted fields, doubled quotes, CRLF or LF inside quotes). */
export function parseCsv(text) {
  const records = [];
  let record = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || record.length) { record.push(field); records.push(record); }
  return records;
}

/** A queue the supervisor belongs to (so the feed watches it from sign-in) with at least `agentCount`
 *  agents, from gc-sim's `/sim/directory`; the queue and its agents' ids. */
export function supervisorQueue(directory, agentCount) {
  const supervisor = directory.users.find((u) => u.role === 'supervisor');
  assert.ok(supervisor, 'gc-sim has a supervisor');
  const agents = new Set(directory.users.filter((u) => u.role === 'agent').map((u) => u.id));
  const queue = directory.queues.find((q) => (supervisor.queueIds ?? []).includes(q.id)
    && q.memberIds.filter((id) => agents.has(id)).length >= agentCount);
  assert.ok(queue, `one of the supervisor's queues has ${agentCount} agents`);
  return { queue, agents: queue.memberIds.filter((id) => agents.has(id)).slice(0, agentCount) };
}

/** A gc-sim admin call: GET without a body, POST with one; the answer's JSON. */
export async function sim(path, body) {
  const res = await fetch(`${GC_SIM_URL}${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${path} answered ${res.status}`);
  return res.json();
}

/** Poll `check` every 250 ms until it returns something truthy; throw after `timeoutMs`. */
export async function until(what, timeoutMs, check) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Press Export CSV on `page` (its context accepts downloads), or in one of its frames (`scope`, a frame
 *  locator); the file's header and rows as objects. */
export async function exportCsv(page, scope = page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    scope.getByRole('button', { name: 'Export CSV', exact: true }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^wrapup-\d{8}-\d{6}\.csv$/);
  const records = parseCsv(readFileSync(await download.path(), 'utf8'));
  const [header, ...rows] = records;
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

/** Sign in again after the reload: gc-sim remembers the browser's sign-in and may redirect straight back,
 *  or show its sign-in page, where the supervisor is picked again. Returns the token the redirect carried. */
export async function signInAgain(page) {
  const token = watchToken(page);
  await page.getByRole('button', { name: /Sign in to gc-sim/ }).click();
  const live = page.getByTestId('connection').filter({ hasText: 'Live' });
  const picker = page.locator('#user');
  // Whichever shows first; the other wait is dropped quietly.
  const quietly = (p) => p.catch(() => {});
  await Promise.race([quietly(live.waitFor({ timeout: 15_000 })), quietly(picker.waitFor({ timeout: 15_000 }))]);
  if (await picker.count() > 0) {
    const option = await page.locator('#user option', { hasText: /Supervisor/ }).first().getAttribute('value');
    await page.selectOption('#user', option);
    await page.click('#sign-in');
  }
  await live.waitFor({ timeout: 15_000 });
  return token;
}

/** Every record in every IndexedDB database of the page's origin, as JSON text (one line per store). */
export async function indexedDbText(page) {
  return page.evaluate(async () => {
    const request = (r) => new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const parts = [];
    for (const { name } of await indexedDB.databases()) {
      const db = await request(indexedDB.open(name));
      for (const store of db.objectStoreNames) {
        parts.push(JSON.stringify(await request(db.transaction(store, 'readonly').objectStore(store).getAll())));
      }
      db.close();
    }
    return parts.join('\n');
  });
}
