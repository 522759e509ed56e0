// History searches over many conversations, against gc-sim's own analytics for the same window:
// an async job runs to completion through an injected 503 and 429 on its result pages and its CSV and
// NDJSON exports hold exactly the conversations gc-sim's job gives for that window (with the scripted
// verdicts where gc-sim's truth knows the leg); cancel ends a running job (CANCELLED shown, polling
// stops); an interval query lists exactly the conversations that started in its window.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GC_SIM_URL, launch, parseCsv, screenshot, signIn, sim, until } from './browser.mjs';

let browser, context, page, token;
const errors = [];
const JOBS = '/api/v2/analytics/conversations/details/jobs';

before(async () => {
  browser = await launch();
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1680, height: 1100 } });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page);
  // History is the analytics panel's second tab.
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByTestId('history').waitFor({ timeout: 20_000 });
  token = (await sim('/sim/tokens', {})).access_token;
});
after(async () => {
  await sim('/sim/faults', { reset: true });
  await browser?.close();
});

/** A call to gc-sim's API as the supervisor (the same user the widget signed in as). It shares the
 *  widget's request budget, so like any good client it waits out a 429's Retry-After. */
async function api(path, init = {}) {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${GC_SIM_URL}${path}`, {
      ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    if (res.status === 429 && attempt < 10) {
      await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
      continue;
    }
    assert.ok(res.ok, `${path} answered ${res.status}`);
    return res.status === 204 ? null : res.json();
  }
}

const minute = (ms) => Math.floor(ms / 60_000) * 60_000;
const inputValue = (ms) => new Date(ms).toISOString().slice(0, 16);
const iso = (ms) => new Date(ms).toISOString();

async function setWindow(fromMs, toMs) {
  await page.getByTestId('history-from').fill(inputValue(fromMs));
  await page.getByTestId('history-to').fill(inputValue(toMs));
  await assert.doesNotReject(page.getByTestId('history-interval').filter({ hasText: `${iso(fromMs)}/${iso(toMs)}` }).waitFor({ timeout: 5_000 }));
}

/** gc-sim's own job over `interval`: every conversation id in its results, in order. */
async function referenceJob(interval) {
  const { jobId } = await api(JOBS, { method: 'POST', body: JSON.stringify({ interval }) });
  await until('reference job fulfilled', 60_000, async () => (await api(`${JOBS}/${jobId}`)).state === 'FULFILLED');
  const ids = [];
  let cursor;
  do {
    const page = await api(`${JOBS}/${jobId}/results?pageSize=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    ids.push(...page.conversations.map((c) => c.conversationId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

async function download(testId) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFileSync(await file.path(), 'utf8');
}

/** Every text the wait notice shows, recorded in the page as it changes. */
async function recordWaits() {
  await page.evaluate(() => {
    window.historyWaits = [];
    new MutationObserver(() => {
      const wait = document.querySelector('[data-testid="history-wait"]');
      if (wait && window.historyWaits.at(-1) !== wait.textContent) window.historyWaits.push(wait.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

test('a job runs to completion through a 503 and a 429 and exports exactly gc-sim\'s conversations', async () => {
  // The window ends before the data lake's availability date, so its result set no longer changes.
  const available = await until('conversations in the data lake', 120_000, async () => {
    const { dataAvailabilityDate } = await api(`${JOBS}/availability`);
    const end = minute(Date.parse(dataAvailabilityDate));
    const ids = await referenceJob(`${iso(end - 15 * 60_000)}/${iso(end)}`);
    return ids.length > 25 ? { end, ids } : null;
  });
  const start = available.end - 15 * 60_000;
  const reference = await referenceJob(`${iso(start)}/${iso(available.end)}`);
  assert.deepEqual(reference, available.ids, 'the window\'s job result is stable');

  await setWindow(start, available.end);
  await page.getByTestId('history-page-size').selectOption('25');
  await recordWaits();
  // Aimed at result pages after the first: the job must resume from the cursor it had.
  await sim('/sim/faults', { force503: 1, force429: 1, faultPath: 'cursor=' });
  await page.getByTestId('history-run-job').click();
  const progress = page.getByTestId('history-progress');
  await progress.and(page.locator('[data-status="finished"]')).waitFor({ timeout: 120_000 });
  const faults = await sim('/sim/faults');
  assert.equal(faults.force503, 0, 'the 503 was served to the widget');
  assert.equal(faults.force429, 0, 'the 429 was served to the widget');
  const waits = await page.evaluate(() => window.historyWaits);
  console.log(`job waits shown: ${JSON.stringify(waits)}`);
  assert.ok(waits.some((w) => /503; retrying in \d+ s/.test(w)), 'the 503 wait was shown');
  assert.ok(waits.some((w) => /throttled, resuming in \d+ s/.test(w)), 'the 429 wait was shown');
  assert.match(await page.getByTestId('history-availability').innerText(), /Data availability date: \d{4}-\d\d-\d\dT/);
  assert.equal(await page.getByTestId('history-table').getAttribute('data-rows'), String(reference.length));

  const csv = parseCsv(await download('history-export-csv'));
  const [header, ...records] = csv;
  assert.deepEqual(header.slice(0, 8), ['conversationId', 'conversationStart', 'conversationEnd', 'mediaType', 'queueId', 'participantId', 'userId', 'verdict']);
  const csvIds = [...new Set(records.map((r) => r[0]))];
  assert.deepEqual([...csvIds].sort(), [...reference].sort(), 'CSV: exactly gc-sim\'s conversations');
  const ndjson = (await download('history-export-ndjson')).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(ndjson.map((r) => r.conversationId).sort(), [...reference].sort(), 'NDJSON: exactly gc-sim\'s conversations, once each');

  // Legs gc-sim's truth decided before the window's end (so before the availability date) carry the verdict the outcome implies.
  // gc-sim's `not_required` covers a leg without ACW and a leg that never answered (no wrap-up due either way).
  const expected = { submitted: ['coded'], timed_out: ['timed_out'], skipped: ['skipped'], not_required: ['no_wrapup_phase', 'not_answered'] };
  const truth = (await sim('/sim/truth')).outcomes.filter((o) => reference.includes(o.conversationId)
    && Date.parse(o.time) < available.end);
  const verdictOf = new Map(records.map((r) => [`${r[0]}/${r[5]}`, r[7]]));
  let checked = 0;
  for (const leg of truth) {
    const verdict = verdictOf.get(`${leg.conversationId}/${leg.participantId}`);
    if (verdict === undefined) continue; // a transfer leg decided after the window's data was cut
    assert.ok(expected[leg.outcome].includes(verdict), `${leg.conversationId}/${leg.participantId}: ${leg.outcome} gave ${verdict}`);
    checked += 1;
  }
  console.log(`job: ${reference.length} conversations, ${records.length} legs exported, ${checked} legs checked against truth`);
  assert.ok(checked > 0, 'some legs were checked against the truth');
  await page.mouse.move(0, 0);
  // From the top, so the sticky top bar sits where it belongs in the full-page image.
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'analytics-job');
  assert.deepEqual(errors, []);
});

test('cancel ends a running job: CANCELLED shown, polling stops', async () => {
  const { dataAvailabilityDate } = await api(`${JOBS}/availability`);
  const end = minute(Date.parse(dataAvailabilityDate));
  // A week's job stays PENDING long enough to be cancelled.
  await setWindow(end - 7 * 86_400_000, end);
  await page.getByTestId('history-run-job').click();
  const progress = page.getByTestId('history-progress');
  await progress.and(page.locator('[data-job-state="QUEUED"], [data-job-state="PENDING"]')).waitFor({ timeout: 30_000 });
  const jobId = await progress.getAttribute('data-job-id');
  assert.ok(jobId);
  await page.getByTestId('history-cancel').click();
  await progress.and(page.locator('[data-status="cancelled (job CANCELLED)"]')).waitFor({ timeout: 30_000 });
  assert.equal((await api(`${JOBS}/${jobId}`)).state, 'CANCELLED', 'gc-sim has the job cancelled');
  const calls = [];
  page.on('request', (r) => { if (r.url().includes(jobId)) calls.push(r.url()); });
  await page.waitForTimeout(5_000);
  assert.deepEqual(calls, [], 'no request for the job after it was cancelled');
  assert.equal(await page.getByTestId('history-cancel').count(), 0, 'Cancel is gone');
});

test('an interval query lists exactly the conversations that started in its window', async () => {
  const end = minute(Date.now() - 60_000);
  const start = end - 10 * 60_000;
  await setWindow(start, end);
  // The largest page: gc-sim answers each page from the whole UTC day, so fewer pages finish sooner.
  await page.getByTestId('history-page-size').selectOption('200');
  const ended = page.getByTestId('history-ended');
  if (await ended.isChecked()) await ended.uncheck();
  await page.getByTestId('history-run-query').click();
  const progress = page.getByTestId('history-progress');
  await progress.and(page.locator('[data-status="finished"]')).waitFor({ timeout: 240_000 });
  // gc-sim's answer for the whole UTC day(s), every page, kept when it started inside the window.
  const days = new Set([iso(start).slice(0, 10), iso(end - 1).slice(0, 10)]);
  const reference = new Set();
  for (const day of days) {
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
    for (let pageNumber = 1; ; pageNumber++) {
      const answer = await api('/api/v2/analytics/conversations/details/query', {
        method: 'POST', body: JSON.stringify({ interval: `${day}T00:00:00.000Z/${next}`, paging: { pageSize: 200, pageNumber } }),
      });
      const list = answer.conversations ?? [];
      for (const c of list) {
        const t = Date.parse(c.conversationStart);
        if (t >= start && t < end) reference.add(c.conversationId);
      }
      if (list.length < 200) break;
    }
  }
  assert.ok(reference.size > 0, 'the window has conversations');
  const shown = await page.locator('[data-testid="history-table"] tr[data-conversation-id]').count();
  assert.equal(await page.getByTestId('history-table').getAttribute('data-rows'), String(reference.size));
  const ids = parseCsv(await download('history-export-csv')).slice(1).map((r) => r[0]);
  assert.deepEqual([...new Set(ids)].sort(), [...reference].sort(), 'the query lists exactly the window\'s conversations');
  assert.ok(shown <= reference.size && shown > 0);
  console.log(`query: ${reference.size} conversations; counts: ${await page.getByTestId('history-counts').innerText()}`);
  assert.deepEqual(errors, []);
});
