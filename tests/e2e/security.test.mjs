// Token hygiene and hostile text, in the release widget: after a PKCE sign-in and live traffic the token
// is in no storage, log line, export or frame capture; wrap-up notes written as HTML render as text; and
// the page's CSP refuses an injected inline script.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exportCsv, indexedDbText, launch, screenshot, signIn, sim, until } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const HOSTILE = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;

/** Every value in localStorage, sessionStorage and IndexedDB of the page's origin, as one text. */
async function everythingStored(page) {
  const webStorage = await page.evaluate(() => [JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })]);
  return [...webStorage, await indexedDbText(page)].join('\n');
}

test('the token is in no storage, log, export or frame capture; notes written as HTML stay text', async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(String(e)));
  const token = await signIn(page);
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 20_000 });
  const secret = token();
  assert.ok(secret && secret.length > 10, 'the sign-in obtained a token');

  const { conversationId } = await sim('/sim/conversations', {
    queueSecs: 0.5, alertSecs: 0.5, talkSecs: 1, acwSecs: 1,
    legs: [{ outcome: 'submitted', notes: HOSTILE }],
  });
  const row = page.locator('tbody tr', { has: page.locator('.col-notes', { hasText: 'window.__pwned=2' }) });
  await row.first().waitFor({ timeout: 30_000 });
  assert.equal(await row.first().locator('.col-notes').innerText(), HOSTILE, 'the notes show as typed');
  assert.equal(await page.locator('tbody img, tbody script').count(), 0, 'no element was made from the notes');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing in the notes ran');

  // The same text in the analytics panel (real-time and feed sources of the conversation).
  await row.first().click();
  await page.getByTestId('analytics-panel').getByText(conversationId).first().waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('analytics-panel').locator('img, script').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);

  const { rows } = await exportCsv(page);
  const exported = rows.find((r) => r.conversationId === conversationId);
  assert.equal(exported?.notes, HOSTILE, 'the export keeps the notes, as text');
  const [frames] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download frames', exact: true }).click(),
  ]);
  const capture = readFileSync(await frames.path(), 'utf8');
  assert.ok(capture.includes(conversationId), 'the capture holds the conversation\'s frames');
  await page.waitForTimeout(1_500); // the saver flushes once a second

  const stored = await everythingStored(page);
  assert.ok(stored.includes(conversationId), 'the feed was saved');
  const places = {
    storage: stored,
    logs: logs.join('\n'),
    export: JSON.stringify(rows),
    frames: capture,
    address: page.url(),
  };
  for (const [where, text] of Object.entries(places)) {
    assert.ok(!text.includes(secret), `the token is not in the ${where}`);
  }
  await screenshot(page, 'security-hostile-notes');
  await context.close();
});

test('the CSP refuses an inline script injected into the page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 20_000 });
  const outcome = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve({ blocked: e.violatedDirective, ran: window.__injected ?? null }), { once: true });
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.body.appendChild(script);
    setTimeout(() => resolve({ blocked: null, ran: window.__injected ?? null }), 2_000);
  }));
  assert.equal(outcome.ran, null, 'the injected script did not run');
  assert.match(outcome.blocked ?? '', /^script-src/, 'the browser reported a script-src violation');
  await until('the page to stay usable', 5_000, async () => page.getByTestId('connection').filter({ hasText: 'Live' }).count());
  await context.close();
});
