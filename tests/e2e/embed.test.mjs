// Inside Genesys Cloud: www/host.html frames the app the way an integration does (URL template with
// gcHostOrigin, gcTargetEnv, gcLangTag, gcConversationId, gcUsePopupAuth; the configured sandbox).
// Sign-in runs in a popup that hands the response back by postMessage. Two client-app frames and an
// interaction widget share one connection (gc-sim counts one socket); the host hears toasts and the
// attention count; closing the leading frame hands the link over with no wrap-up lost; lifecycle
// hooks pause and resume the link, and messages from any other window or origin are ignored.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { GC_SIM_URL, WIDGET_URL, exportCsv, launch, screenshot, sim, supervisorQueue, until, watchToken } from './browser.mjs';

let browser;
let directory;
before(async () => {
  browser = await launch();
  directory = await sim('/sim/directory');
});
after(async () => { await browser?.close(); });

const RUN = Date.now().toString(36);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const appOrigin = new URL(WIDGET_URL).origin;
// The same server under another name: a different origin, as apps.{env} is to the app's own host.
const hostOrigin = appOrigin.replace('127.0.0.1', 'localhost');

function hostUrl(frames) {
  const q = new URLSearchParams({ app: `${appOrigin}/`, sim: GC_SIM_URL, frames: frames.join(','), popup: 'true', lang: 'en-us' });
  return `${hostOrigin}/host.html?${q}`;
}

/** The supervisor's queue with three agents, as the other journeys script. */
function targets() {
  const { queue, agents } = supervisorQueue(directory, 3);
  return { queueId: queue.id, agents };
}

const frameOf = (page, index) => page.frameLocator(`#frame-${index}`);
const live = (scope) => scope.getByTestId('connection').filter({ hasText: 'Live' });
const role = async (page, index) => frameOf(page, index).locator('[data-role]').getAttribute('data-role', { timeout: 20_000 });

/** Press Sign in inside frame `index`; the popup shows gc-sim's page (pick the supervisor) or, with the
 *  sign-in remembered, comes straight back. The frame then closes the popup. */
async function popupSignIn(page, index) {
  const frame = frameOf(page, index);
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    frame.getByRole('button', { name: /Sign in to gc-sim/ }).click(),
  ]);
  const closed = popup.waitForEvent('close', { timeout: 30_000 });
  const picker = popup.locator('#user').waitFor({ timeout: 15_000 }).then(() => 'picker', () => 'no picker');
  if (await Promise.race([closed.then(() => 'closed'), picker]) === 'picker') {
    const option = await popup.locator('#user option', { hasText: /Supervisor/ }).first().getAttribute('value');
    await popup.selectOption('#user', option);
    await popup.click('#sign-in');
  }
  await closed;
  await live(frame).waitFor({ timeout: 20_000 });
}

/** gc-sim's final outcomes of `ids`, once every one of `legs` legs has one. */
async function truthFor(ids, legs) {
  const wanted = new Set(ids);
  return until(`gc-sim truth for ${legs} legs`, 60_000, async () => {
    const found = (await sim('/sim/truth')).outcomes.filter((o) => wanted.has(o.conversationId));
    return found.length >= legs ? found : null;
  });
}

/** Export CSV in frame `index` until it holds every truth leg; then it must equal the truth exactly. */
async function assertExportEqualsTruth(page, index, truth, what) {
  const keyOf = (r) => `${r.conversationId}/${r.participantId}`;
  const ids = new Set(truth.map((t) => t.conversationId));
  const rows = await until(`${what}: every leg exported`, 90_000, async () => {
    const ours = (await exportCsv(page, frameOf(page, index))).rows.filter((r) => ids.has(r.conversationId));
    return truth.every((t) => ours.some((r) => keyOf(r) === keyOf(t))) ? ours : null;
  }).catch(async (err) => {
    const ours = (await exportCsv(page, frameOf(page, index))).rows.filter((r) => ids.has(r.conversationId));
    console.log(`${what}: exported ${ours.length} of ${truth.length}`);
    throw err;
  });
  assert.equal(new Set(rows.map(keyOf)).size, rows.length, `${what}: duplicated wrap-ups`);
  assert.equal(rows.length, truth.length, `${what}: legs gc-sim never recorded`);
  for (const t of truth) {
    const row = rows.find((r) => keyOf(r) === keyOf(t));
    assert.equal(row.outcome, t.outcome, `${what} ${keyOf(t)}`);
    assert.equal(row.userId, t.userId, `${what} ${keyOf(t)}`);
    if (t.outcome === 'submitted' || t.outcome === 'timed_out') assert.equal(row.codeId, t.code, `${what} ${keyOf(t)}`);
  }
  return rows;
}

const nameOf = (id) => directory.users.find((u) => u.id === id)?.name;
const codeName = (id) => directory.wrapupCodes.find((c) => c.id === id)?.name;

test('framed: popup sign-in, one shared socket, toasts and attention count, hand-over loses nothing', async (t) => {
  const { queueId, agents: [a, b, c] } = targets();
  // The interaction widget's conversation: it waits in queue while the frames sign in (gc-sim runs at 4x).
  const call = await sim('/sim/conversations', {
    queueId, queueSecs: 80, talkSecs: 40, acwSecs: 12, legs: [{ userId: a, outcome: 'submitted', notes: `embed ${RUN} call` }],
  });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 2000, height: 900 } });
  t.after(() => context.close().catch(() => {}));
  const page = await context.newPage();
  const errors = [];
  context.on('page', (p) => p.on('pageerror', (e) => errors.push(String(e))));
  page.on('pageerror', (e) => errors.push(String(e)));
  const token = watchToken(page);
  await page.goto(hostUrl(['app', 'app', `widget:${call.conversationId}`]));
  for (const index of [0, 1, 2]) await popupSignIn(page, index);
  assert.ok(token(), 'the frames exchanged a code for a token');

  assert.deepEqual([await role(page, 0), await role(page, 1), await role(page, 2)], ['leading', 'following', 'following']);
  const state = await until('one socket for three instances', 15_000, async () => {
    const s = await sim('/sim/state');
    return s.sockets === 1 ? s : null;
  });
  console.log(`three instances, sockets ${state.sockets}`);

  // The call's wrap-up: an attention count while it is in after-call work, then a toast naming it.
  const [truthCall] = await truthFor([call.conversationId], 1);
  const widgetMessages = async () => (await page.evaluate(() => window.hostMessages)).filter((m) => m.frame === 'frame-2');
  const toast = await until('the widget\'s toast for its call', 30_000, async () =>
    (await widgetMessages()).find((m) => m.data.action === 'showToast'));
  assert.equal(toast.data.protocol, 'purecloud-client-apps');
  assert.equal(toast.data.title, 'Wrap-up submitted');
  assert.equal(toast.data.message, `${nameOf(truthCall.userId)}: ${codeName(truthCall.code)}`);
  assert.equal(toast.data.id, `${truthCall.conversationId}/${truthCall.participantId}`);
  const counts = (await widgetMessages()).filter((m) => m.data.action === 'setAttentionCount').map((m) => m.data.count);
  assert.deepEqual(counts.slice(-2), [1, 0], 'one wrap-up pending in the call, then none');
  const received = await page.evaluate(() => window.hostMessages);
  for (const m of received) assert.equal(m.origin, appOrigin);
  assert.ok(!JSON.stringify(received).includes(token()), 'the host never receives the token');
  for (const frame of page.frames()) assert.ok(!frame.url().includes(token()) && !/[?&#](code|access_token)=/.test(frame.url()), frame.url());

  // The interaction widget shows its call: the agent leg, submitted live, then analytics' verdict.
  const leg = frameOf(page, 2).locator(`[data-testid="interaction-leg"][data-participant-id="${truthCall.participantId}"]`);
  await until('the call\'s verdict once analytics indexed it', 60_000, async () =>
    (await leg.getAttribute('data-verdict').catch(() => null)) === 'coded');
  assert.equal(await leg.getAttribute('data-live'), 'submitted');
  assert.equal(await leg.getAttribute('data-source'), 'feed');
  assert.ok((await leg.innerText()).includes(codeName(truthCall.code)), 'the leg names its code');
  assert.equal(await frameOf(page, 2).getByTestId('interaction-facts').getAttribute('data-conversation-id'), call.conversationId);

  await page.mouse.move(0, 0);
  await page.locator('#frame-2').screenshot({ path: `${process.env.SCREENSHOT_DIR ?? 'target/e2e'}/embed-interaction.png` });
  await screenshot(page, 'embed-host');

  // Hand-over: conversations end while the leading frame closes; the next frame takes the link over.
  const timing = { queueId, queueSecs: 0.5, alertSecs: 0.5, talkSecs: 3, acwSecs: 1 };
  const during = [];
  for (const [i, userId] of [a, b, c].entries()) {
    during.push(await sim('/sim/conversations', { ...timing, legs: [{ userId, outcome: i === 1 ? 'timed_out' : 'submitted', notes: `embed ${RUN} handover ${i}` }] }));
  }
  await page.evaluate(() => document.getElementById('frame-0').closest('.host-slot').remove());
  await until('frame 1 leads', 20_000, async () => (await role(page, 1)) === 'leading');
  await live(frameOf(page, 1)).waitFor({ timeout: 20_000 });
  assert.equal(await role(page, 2), 'following');
  const after = await sim('/sim/conversations', { ...timing, legs: [{ userId: a, outcome: 'submitted', notes: `embed ${RUN} after` }] });
  const all = [call, ...during, after];
  const truth = await truthFor(all.map((s) => s.conversationId), all.length);
  const rows = await assertExportEqualsTruth(page, 1, truth, 'hand-over');
  assert.equal((await sim('/sim/state')).sockets, 1, 'still one socket after the hand-over');
  console.log(`hand-over: ${truth.length} legs, lost 0, duplicated 0; sources ${rows.map((r) => r.source).join(',')}`);
  assert.deepEqual(errors, [], 'no page errors');
  await context.close();
});

test('lifecycle: stop pauses the link, focus resumes and recovers; foreign messages are ignored', async (t) => {
  const { queueId, agents: [a] } = targets();
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1600, height: 900 } });
  t.after(() => context.close().catch(() => {}));
  const page = await context.newPage();
  await page.goto(hostUrl(['app']));
  await popupSignIn(page, 0);
  await until('frame 0 leads', 20_000, async () => (await role(page, 0)) === 'leading');

  // A stop from another origin and window (a gc-sim page framed beside the app) changes nothing.
  await page.evaluate((src) => {
    const probe = document.createElement('iframe');
    probe.id = 'probe';
    probe.src = src;
    document.body.append(probe);
  }, `${GC_SIM_URL}/sim/state`);
  const probe = await until('the probe frame', 10_000, async () => page.frames().find((f) => f.url().startsWith(GC_SIM_URL)));
  await probe.waitForLoadState();
  await probe.evaluate(() => parent.frames[0].postMessage({ purecloudEventType: 'appLifecycleHook', hook: 'stop' }, '*'));
  // From the host, but not a hook the protocol knows: ignored too.
  await page.evaluate((origin) => document.getElementById('frame-0').contentWindow.postMessage({ purecloudEventType: 'appLifecycleHook', hook: 'explode' }, origin), appOrigin);
  await sleep(1_500);
  assert.equal((await page.evaluate(() => window.hostMessages)).filter((m) => m.data.action === 'stopped').length, 0);
  await live(frameOf(page, 0)).waitFor({ timeout: 2_000 });

  // The host stops the app: it answers `stopped` and gc-sim sees no socket. A wrap-up ends meanwhile.
  await page.evaluate(() => window.sendHook('frame-0', 'stop'));
  await until('the app answers stopped', 10_000, async () =>
    (await page.evaluate(() => window.hostMessages)).some((m) => m.data.action === 'stopped'));
  await until('no socket while stopped', 15_000, async () => (await sim('/sim/state')).sockets === 0);
  assert.equal(await role(page, 0), 'paused');
  const timing = { queueId, queueSecs: 0.5, alertSecs: 0.5, talkSecs: 1, acwSecs: 1 };
  const whileStopped = await sim('/sim/conversations', { ...timing, legs: [{ userId: a, outcome: 'submitted', notes: `embed ${RUN} stopped` }] });
  const truth = await truthFor([whileStopped.conversationId], 1);

  // Shown again: the link resumes and recovers the wrap-up that ended while it was down.
  await page.evaluate(() => window.sendHook('frame-0', 'focus'));
  await live(frameOf(page, 0)).waitFor({ timeout: 20_000 });
  const rows = await assertExportEqualsTruth(page, 0, truth, 'stopped');
  assert.deepEqual(rows.map((r) => r.source), ['recovered']);
  console.log('lifecycle: foreign stop ignored, host stop paused (0 sockets), focus resumed, 1 of 1 recovered');
  await context.close();
});
