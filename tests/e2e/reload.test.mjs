// A reload mid-traffic loses nothing: rows shown before it come back after signing in again, once each,
// and they are the conversations gc-sim recorded; the saved feed never holds the token.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { indexedDbText, launch, screenshot, signIn, signInAgain, GC_SIM_URL } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const SCRIPTED = 4;
// Longer than the saver's one-second flush, so every row shown before it is on disk.
const FLUSH_WAIT_MS = 2_500;

async function sim(path, body) {
  const response = await fetch(`${GC_SIM_URL}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(response.ok, `${path} answered ${response.status}`);
  return response.json();
}

/** How many rows show exactly this note, for each note. */
async function rowsPerNote(page, notes) {
  const shown = await page.locator('tbody tr .col-notes').evaluateAll((cells) => cells.map((c) => c.title));
  return Object.fromEntries(notes.map((note) => [note, shown.filter((t) => t === note).length]));
}

async function waitForNotes(page, notes, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const counts = await rowsPerNote(page, notes);
    if (notes.every((note) => counts[note] > 0)) return counts;
    assert.ok(Date.now() < deadline, `rows for ${JSON.stringify(counts)} within ${timeout} ms`);
    await page.waitForTimeout(200);
  }
}

test('a reload keeps every row shown before it, once each', async () => {
  const context = await browser.newContext({ viewport: { width: 1180, height: 760 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  const firstToken = await signIn(page);
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });

  // Scripted conversations with notes of this run, so their rows can be told from background traffic.
  const run = Date.now().toString(36);
  const scripted = [];
  for (let i = 0; i < SCRIPTED; i++) {
    const notes = `reload ${run} #${i}`;
    const answer = await sim('/sim/conversations', { legs: [{ outcome: 'submitted', notes }] });
    scripted.push({ notes, conversationId: answer.conversationId });
  }
  const notes = scripted.map((s) => s.notes);
  await waitForNotes(page, notes, 20_000);
  const rowsBefore = await page.locator('tbody tr').count();
  await page.waitForTimeout(FLUSH_WAIT_MS);

  await page.reload();
  await page.getByRole('button', { name: /Sign in to gc-sim/ }).waitFor({ timeout: 10_000 });
  const secondToken = await signInAgain(page);

  // Restored on sign-in: each scripted row once, and no fewer rows than before the reload.
  const counts = await waitForNotes(page, notes, 10_000);
  assert.deepEqual(counts, Object.fromEntries(notes.map((n) => [n, 1])), 'each row exactly once');
  const rowsAfter = await page.locator('tbody tr').count();
  assert.ok(rowsAfter >= rowsBefore, `${rowsBefore} rows before the reload, ${rowsAfter} after`);
  await screenshot(page, 'feed-after-reload');

  // The rows are the conversations gc-sim completed, with the notes the agents typed.
  const truth = await sim('/sim/truth');
  for (const { conversationId } of scripted) {
    const legs = truth.outcomes.filter((o) => o.conversationId === conversationId);
    assert.equal(legs.length, 1, `gc-sim recorded ${conversationId} once`);
    assert.equal(legs[0].outcome, 'submitted');
  }
  const saved = await indexedDbText(page);
  for (const { conversationId, notes: note } of scripted) {
    const stored = saved.split(`"conversationId":"${conversationId}"`).length - 1;
    assert.equal(stored, 1, `${conversationId} (${note}) saved once`);
  }

  for (const token of [firstToken(), secondToken()]) {
    assert.ok(token, 'each sign-in carried a token');
    assert.ok(!saved.includes(token), 'the token is never saved');
  }
  assert.deepEqual(errors, [], 'no page errors');
  await context.close();
});
