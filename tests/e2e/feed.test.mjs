// The feed journey: a supervisor watches scripted conversations complete, exports the feed as CSV,
// and the file matches gc-sim's ground truth for them (0 lost, 0 duplicated). Screenshots of the
// feed in light and dark are taken here for the README.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { exportCsv, launch, screenshot, signIn, sim, until } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('Export CSV equals gc-sim truth for scripted conversations: 0 lost, 0 duplicated', async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page);
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });

  const scripts = [
    { outcome: 'submitted', acwSecs: 1 },
    { outcome: 'timed_out', acwSecs: 1 },
    { outcome: 'skipped' },
    { outcome: 'not_required' },
    { mediaType: 'chat', legs: [{ outcome: 'submitted', notes: '=SUM(1,2) "quoted", <b>not bold</b>' }, { outcome: 'submitted' }] },
    { mediaType: 'email' },
  ];
  const started = [];
  for (const script of scripts) started.push(await sim('/sim/conversations', script));
  const ids = new Set(started.map((s) => s.conversationId));
  const expectedLegs = started.reduce((n, s) => n + s.legs.length, 0);

  const truth = await until('gc-sim truth for every scripted leg', 60_000, async () => {
    const all = (await sim('/sim/truth')).outcomes.filter((o) => ids.has(o.conversationId));
    return all.length >= expectedLegs ? all : null;
  });

  const { header, rows } = await until('every scripted leg in the exported CSV', 30_000, async () => {
    const csv = await exportCsv(page);
    const seen = csv.rows.filter((r) => ids.has(r.conversationId));
    return seen.length >= truth.length ? csv : null;
  });
  assert.deepEqual(header, ['conversationId', 'participantId', 'userId', 'agent', 'queueId', 'queue', 'mediaType',
    'outcome', 'codeId', 'code', 'notes', 'acwSeconds', 'endTime', 'receivedAt', 'source']);

  const keyOf = (r) => `${r.conversationId}/${r.participantId}`;
  const allKeys = rows.map(keyOf);
  assert.equal(new Set(allKeys).size, allKeys.length, 'no leg appears twice in the whole export');
  const exported = new Map(rows.filter((r) => ids.has(r.conversationId)).map((r) => [keyOf(r), r]));
  let lost = 0;
  for (const t of truth) {
    const row = exported.get(keyOf(t));
    if (!row) { lost++; continue; }
    assert.equal(row.outcome, t.outcome, keyOf(t));
    assert.equal(row.userId, t.userId, keyOf(t));
    assert.equal(row.queueId, t.queueId, keyOf(t));
    assert.equal(row.mediaType, t.mediaType, keyOf(t));
    if (t.outcome === 'submitted' || t.outcome === 'timed_out') assert.equal(row.codeId, t.code, keyOf(t));
    assert.match(row.endTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(row.agent.length > 0, `agent name for ${keyOf(t)}`);
  }
  assert.equal(lost, 0, 'lost wrap-ups');
  assert.equal(exported.size, truth.length, 'duplicated or invented wrap-ups');
  const noted = [...exported.values()].find((r) => r.notes.includes('quoted'));
  assert.equal(noted?.notes, `'=SUM(1,2) "quoted", <b>not bold</b>`, 'notes exported as written, formula defused');
  console.log(`exported ${rows.length} row(s); scripted legs ${truth.length}, lost 0, duplicated 0`);

  // Let names settle, then capture the feed as a supervisor sees it, light and dark.
  await page.waitForTimeout(1500);
  await page.mouse.move(0, 0);
  await screenshot(page, 'feed-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'feed-dark');
  assert.deepEqual(errors, [], 'no page errors');
  await context.close();
});
