// Sign-in journeys against gc-sim's real sign-in page: PKCE (the default), the implicit grant for old
// clients, a forged state and a denial. Names and wrap-ups are compared with /sim/directory and /sim/truth.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, widgetUrl, GC_SIM_URL, WIDGET_URL } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const simJson = async (path) => (await fetch(`${GC_SIM_URL}${path}`)).json();

async function supervisor() {
  const directory = await simJson('/sim/directory');
  return directory.users.find((u) => u.role === 'supervisor');
}

/** A fresh page that records every URL it visits and every page error. */
async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1180, height: 760 } });
  const page = await context.newPage();
  const visited = [];
  const errors = [];
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) visited.push(frame.url()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, visited, errors };
}

/** Press the widget's sign-in button and wait for gc-sim's sign-in page; returns its URL. */
async function toSignInPage(page, url) {
  await page.goto(url);
  await page.getByRole('button', { name: /Sign in to gc-sim/ }).click();
  await page.waitForURL(/\/oauth\/authorize/);
  return new URL(page.url());
}

/** Pick `userId` on gc-sim's sign-in page, submit, and wait to be back on the widget. */
async function submitAs(page, userId) {
  await page.selectOption('#user', userId);
  await page.click('#sign-in');
  await page.waitForURL((url) => url.toString().startsWith(WIDGET_URL));
}

/** What the widget stores for the page, and the current history entry's state. */
async function storage(page) {
  return page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage }, history: JSON.stringify(history.state) }));
}

/** Every (agent, code name) the feed shows with a resolved name, which must each be a submitted wrap-up in truth. */
async function assertRowsMatchTruth(page) {
  const named = page.locator('tbody tr').filter({ has: page.locator('.col-code .code:not(.code-unresolved):not(.code-system):not(.code-none)') });
  await named.first().waitFor({ timeout: 20_000 });
  // Give names a moment to resolve, then compare every row whose agent is named too.
  await page.waitForTimeout(1000);
  const rows = await named.evaluateAll((trs) => trs
    .filter((tr) => !tr.querySelector('.col-agent .unresolved'))
    .map((tr) => ({
      agent: tr.querySelector('.col-agent').textContent.trim(),
      code: tr.querySelector('.col-code .code').textContent.trim(),
    })));
  assert.ok(rows.length > 0, 'at least one row with a named agent and code');
  const [directory, truth] = [await simJson('/sim/directory'), await simJson('/sim/truth')];
  const userName = (id) => directory.users.find((u) => u.id === id)?.name;
  const codeName = (id) => directory.wrapupCodes.find((c) => c.id === id)?.name;
  for (const row of rows) {
    assert.ok(
      truth.outcomes.some((o) => o.outcome === 'submitted' && userName(o.userId) === row.agent && codeName(o.code) === row.code),
      `${row.agent} / ${row.code} is a submitted wrap-up in /sim/truth`,
    );
  }
  return rows.length;
}

test('PKCE sign-in: the code is exchanged, the feed goes live, nothing secret is left behind', async () => {
  const { context, page, visited, errors } = await openPage();
  const user = await supervisor();
  const authorize = await toSignInPage(page, widgetUrl());
  assert.equal(authorize.searchParams.get('response_type'), 'code');
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.match(authorize.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.equal(authorize.searchParams.get('redirect_uri'), `${WIDGET_URL}/`, 'the bare page address');
  const state = authorize.searchParams.get('state');
  await submitAs(page, user.id);

  await page.locator('.top-bar .user').filter({ hasText: user.name }).waitFor({ timeout: 15_000 });
  assert.equal((await page.locator('.top-bar .user').textContent()).trim(), user.name);
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  const countdown = page.getByRole('timer');
  assert.match(await countdown.textContent(), /^Session ends in \d+ (h \d\d m|m|s)$/);
  assert.match(await countdown.getAttribute('aria-label'), /^Sign-in session ends in /);
  const rows = await assertRowsMatchTruth(page);
  console.log(`PKCE sign-in: ${rows} named rows, each in /sim/truth`);
  await screenshot(page, 'sign-in-pkce-feed');

  const back = visited.find((u) => u.startsWith(WIDGET_URL) && u.includes('code='));
  assert.ok(back, `the redirect carried a code: ${visited.join(' | ')}`);
  const code = new URL(back).searchParams.get('code');
  const current = new URL(page.url());
  assert.deepEqual([...current.searchParams.keys()].sort(), ['clientId', 'sim'], `launch restored, nothing else: ${page.url()}`);
  assert.equal(current.hash, '');
  const kept = JSON.stringify(await storage(page));
  for (const secret of [code, state]) assert.ok(!kept.includes(secret), 'no code or state in storage or history state');
  assert.ok(!kept.includes('wrapup-live.sign-in'), `no verifier or state left in sessionStorage: ${kept}`);
  // Every history entry of this tab, as the browser keeps them: none holds the code, and the widget's hold no state.
  const cdp = await context.newCDPSession(page);
  const { entries } = await cdp.send('Page.getNavigationHistory');
  assert.ok(entries.length >= 2, 'the sign-in page and the widget are in history');
  for (const { url } of entries) {
    assert.ok(!url.includes(code), `history entry ${url} holds no code`);
    if (url.startsWith(WIDGET_URL)) assert.ok(!url.includes('state='), `history entry ${url} holds no state`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('implicit sign-in (grant=implicit): the token is read from the fragment and scrubbed', async () => {
  const { context, page, visited, errors } = await openPage();
  const user = await supervisor();
  const authorize = await toSignInPage(page, `${widgetUrl()}&grant=implicit`);
  assert.equal(authorize.searchParams.get('response_type'), 'token');
  assert.equal(authorize.searchParams.get('code_challenge'), null);
  await submitAs(page, user.id);

  await page.locator('.top-bar .user').filter({ hasText: user.name }).waitFor({ timeout: 15_000 });
  await assertRowsMatchTruth(page);
  const back = visited.find((u) => u.includes('#access_token='));
  assert.ok(back, 'the redirect carried a token');
  const token = new URLSearchParams(new URL(back).hash.slice(1)).get('access_token');
  assert.ok(!page.url().includes(token) && !page.url().includes('#'), page.url());
  assert.equal(new URL(page.url()).searchParams.get('grant'), 'implicit', 'a reload signs in the same way');
  assert.ok(!JSON.stringify(await storage(page)).includes(token), 'the token is in memory only');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a forged state on the way back is refused with a clear message', async () => {
  const { context, page, visited } = await openPage();
  const user = await supervisor();
  await toSignInPage(page, widgetUrl());
  // An attacker's response: a real code, but a state this tab never sent.
  await page.evaluate(() => { document.querySelector('input[name=state]').value = 'forged-state-0123456789'; });
  await submitAs(page, user.id);

  const alert = page.getByRole('alert').filter({ hasText: 'state mismatch' });
  await alert.waitFor({ timeout: 10_000 });
  assert.match(await alert.textContent(), /does not belong to this tab \(state mismatch\).*Sign in again/);
  assert.ok(visited.some((u) => u.includes('state=forged-state')), 'the forged response did reach the widget');
  assert.ok(!page.url().includes('code=') && !page.url().includes('forged'), `scrubbed: ${page.url()}`);
  assert.ok(!JSON.stringify(await storage(page)).includes('wrapup-live.sign-in'), 'the round trip is deleted anyway');
  assert.equal(await page.locator('.top-bar .user').count(), 0, 'nobody is signed in');
  assert.equal(await page.locator('tbody tr').count(), 0);
  await page.getByRole('button', { name: /Sign in to gc-sim/ }).waitFor();
  await screenshot(page, 'sign-in-state-mismatch');
  await context.close();
});

test('denying on the sign-in page shows what the platform said and offers sign-in again', async () => {
  const { context, page, visited } = await openPage();
  await toSignInPage(page, widgetUrl());
  await page.click('#deny');
  await page.waitForURL((url) => url.toString().startsWith(WIDGET_URL));
  const back = new URL(visited.find((u) => u.startsWith(WIDGET_URL) && u.includes('error=')));
  const [error, description] = [back.searchParams.get('error'), back.searchParams.get('error_description')];
  assert.equal(error, 'access_denied');
  const alert = page.getByRole('alert').filter({ hasText: `[${error}]` });
  await alert.waitFor({ timeout: 10_000 });
  assert.equal((await alert.textContent()).trim(), `Sign-in was refused [${error}]: ${description}. Press Sign in to try again.`);
  assert.ok(!page.url().includes('error='), `scrubbed: ${page.url()}`);
  assert.ok(!JSON.stringify(await storage(page)).includes('wrapup-live.sign-in'));
  await page.getByRole('button', { name: /Sign in to gc-sim/ }).waitFor();
  await screenshot(page, 'sign-in-denied-pkce');
  await context.close();
});
