// Changing what the feed watches: a supervisor picks agents, then queues, in the watch picker, and from
// then on the feed holds exactly the scripted wrap-ups of what is watched (compared with gc-sim's truth)
// and none of what is not.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { exportCsv, launch, screenshot, signIn, sim, until } from './browser.mjs';

let browser;
let directory;
before(async () => {
  browser = await launch();
  directory = await sim('/sim/directory');
});
after(async () => { await browser?.close(); });

const RUN = Date.now().toString(36);
const live = (page) => page.getByTestId('connection').filter({ hasText: 'Live' });
const user = (name) => directory.users.find((u) => u.name === name);
const queue = (name) => directory.queues.find((q) => q.name === name);

/** One short submitted conversation for `agent` on `queueName`; its id. */
async function converse(agent, queueName, label) {
  const started = await sim('/sim/conversations', {
    queueId: queue(queueName).id, queueSecs: 0.5, alertSecs: 0.5, talkSecs: 1, acwSecs: 1,
    legs: [{ userId: user(agent).id, outcome: 'submitted', notes: `watch ${RUN} ${label}` }],
  });
  return started.conversationId;
}

/** Open the picker, choose `mode`, tick `names` (filtering by each), press Watch, wait until live again. */
async function watch(page, mode, names = []) {
  await page.getByRole('button', { name: 'Change', exact: true }).click();
  await page.getByRole('radio', { name: mode }).check();
  const filter = page.getByLabel(/^Filter (agents|queues) by name$/);
  for (const name of names) {
    await filter.fill(name);
    await page.getByRole('checkbox', { name, exact: true }).check();
  }
  await filter.fill('');
  await screenshot(page, `watch-${mode.replace(/\s+/g, '-').toLowerCase()}`);
  await page.getByRole('button', { name: 'Watch', exact: true }).click();
  await live(page).waitFor({ timeout: 30_000 });
}

/** Wait until the export holds `wanted` conversations (then a little longer for stragglers); the rows
 *  of `ids` it holds. */
async function exported(page, ids, wanted) {
  const ours = async () => (await exportCsv(page)).rows.filter((r) => ids.includes(r.conversationId));
  await until(`rows for ${wanted.length} watched conversation(s)`, 60_000, async () => {
    const have = new Set((await ours()).map((r) => r.conversationId));
    return wanted.every((id) => have.has(id));
  });
  await page.waitForTimeout(3_000);
  return ours();
}

/** Each watched conversation appears once, as gc-sim recorded it; unwatched ones not at all. */
async function assertFeedHolds(page, watched, unwatched) {
  const ids = [...watched, ...unwatched];
  const rows = await exported(page, ids, watched);
  const truth = (await sim('/sim/truth')).outcomes.filter((o) => watched.includes(o.conversationId));
  assert.equal(truth.length, watched.length, 'gc-sim recorded each watched conversation once');
  assert.deepEqual(rows.map((r) => r.conversationId).sort(), watched.slice().sort(), 'exactly the watched conversations');
  for (const t of truth) {
    const row = rows.find((r) => r.conversationId === t.conversationId);
    assert.equal(row.userId, t.userId);
    assert.equal(row.queueId, t.queueId);
    assert.equal(row.outcome, t.outcome);
    assert.equal(row.codeId, t.code ?? '');
  }
}

test('picking agents, then queues, changes what the feed holds', async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page);
  await live(page).waitFor({ timeout: 20_000 });
  const mine = directory.queues.filter((q) => user('Supervisor').queueIds.includes(q.id)).map((q) => q.name).sort();
  await assert.doesNotReject(page.getByTestId('watching').filter({ hasText: `Watching your ${mine.length} queue(s): ${mine.join(', ')}` }).waitFor({ timeout: 5_000 }));

  // Agents: only Agent 02's conversations, whatever the queue.
  await watch(page, 'Chosen agents', ['Agent 02']);
  assert.equal(await page.getByTestId('watching').innerText(), 'Watching 1 agent(s): Agent 02');
  const agentWatched = [await converse('Agent 02', 'Sales', 'agent-02')];
  const agentUnwatched = [await converse('Agent 01', 'Billing', 'agent-01')];
  await assertFeedHolds(page, agentWatched, agentUnwatched);

  // Queues: only Billing, whoever answers.
  await watch(page, 'Chosen queues', ['Billing']);
  assert.equal(await page.getByTestId('watching').innerText(), 'Watching 1 queue(s): Billing');
  const queueWatched = [await converse('Agent 05', 'Billing', 'billing')];
  const queueUnwatched = [await converse('Agent 02', 'Sales', 'sales')];
  await assertFeedHolds(page, queueWatched, queueUnwatched);

  await page.getByPlaceholder('Name, code, notes or id').fill(`watch ${RUN}`);
  await page.waitForTimeout(500);
  await screenshot(page, 'watch-feed');
  assert.deepEqual(errors, [], 'no page errors');
  await context.close();
});
