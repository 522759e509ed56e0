// The chaos run: a supervisor's release widget stays signed in against gc-sim's demo traffic while
// faults are injected on a fixed schedule (dropped sockets, socket_closing, expired and gone channels,
// token expiry, 429 storms, 503 spells, slow responses, malformed frames, silently dead sockets, a
// reload). Afterwards the widget's Export CSV is compared, leg by leg, with every outcome gc-sim
// finalised during the run. Used by `chaos.test.mjs` (60 s, inside `cargo xtask test`) and by
// `chaos-run.mjs` (`cargo xtask chaos`, 10 min by default).
import os from 'node:os';
import { exportCsv, screenshot, signIn, signInAgain, sim, until } from './browser.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The faults for a run of `durationS` seconds, as `[atSeconds, name, faults, revertAfterS?]`, sorted.
 *  Per 10 minutes: 105 dropped sockets, 11 socket_closing, 5 channel expiries or evictions, 2 token
 *  expiries, 10 429 storms, 10 503 spells, 5 slow spells, 20 malformed bursts, 2 dead sockets (runs of
 *  5 minutes or more), and one reload half way. */
export function schedule(durationS) {
  const plan = [];
  const every = (count, name, faults, revertS, offsetS = 0) => {
    for (let i = 0; i < count; i++) plan.push([offsetS + (i * durationS) / count, name, faults, revertS]);
  };
  const per10Min = (n) => Math.max(1, Math.round((n * durationS) / 600));
  // A few more than the required 100 and 10: one may find the link already down (then it drops nothing).
  every(per10Min(105), 'drop', { dropSockets: true }, undefined, 3);
  every(per10Min(11), 'socketClosing', { socketClosing: true }, undefined, 8);
  const expiries = per10Min(5);
  for (let i = 0; i < expiries; i++) {
    const at = 14 + (i * durationS) / expiries;
    plan.push(i % 2 === 0
      ? [at, 'channelExpiry', { expireChannel: 'all' }]
      : [at, 'channelGone', { channelGoneMessage: 'all' }]);
  }
  every(per10Min(2), 'tokenExpiry', { expireTokens: true }, undefined, 20);
  every(per10Min(10), '429 storm', { force429: 8 }, undefined, 5);
  every(per10Min(10), '503 spell', { error503Rate: 0.3 }, 6, 25);
  every(per10Min(5), 'slow responses', { delayMs: 1_500 }, 6, 40);
  every(per10Min(20), 'malformed', { malformedFrames: 3 }, undefined, 11);
  if (durationS >= 300) every(2, 'deadSocket', { stallSockets: true }, undefined, durationS / 4);
  plan.push([durationS / 2, 'reload', null]);
  return plan.filter(([at]) => at < durationS - 5).sort((a, b) => a[0] - b[0]);
}

/** Run chaos for `durationS` seconds in a fresh context of `browser`; returns the report. */
export async function runChaos(browser, { durationS, log = console.log }) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  let panics = 0;
  page.on('pageerror', (e) => { errors.push(String(e)); if (/panicked|unreachable/i.test(String(e))) panics += 1; });
  page.on('console', (m) => { if (/panicked at/.test(m.text())) panics += 1; });

  await sim('/sim/faults', { reset: true });
  await signIn(page);
  const live = page.getByTestId('connection').filter({ hasText: 'Live' });
  await live.waitFor({ timeout: 30_000 });
  const before = await sim('/sim/state');
  const started = Date.now();
  const plan = schedule(durationS);
  const reverts = [];
  for (const [at, name, faults, revertS] of plan) {
    const wait = started + at * 1000 - Date.now();
    if (wait > 0) await sleep(wait);
    if (name === 'reload') {
      log(`chaos ${at.toFixed(0)} s: reload`);
      await page.reload();
      await page.getByRole('button', { name: /Sign in to gc-sim/ }).waitFor({ timeout: 30_000 });
      await signInAgain(page).catch((e) => log(`chaos: sign-in after the reload: ${e.message}`));
      continue;
    }
    // A drop or a closing only counts when there is a socket: wait for the link first (bounded).
    if (name === 'drop' || name === 'socketClosing') await live.waitFor({ timeout: 15_000 }).catch(() => {});
    await sim('/sim/faults', faults);
    if (revertS) {
      const undo = Object.fromEntries(Object.keys(faults).map((k) => [k, 0])); // 503 rate and delay back to 0
      reverts.push(sleep(revertS * 1000).then(() => sim('/sim/faults', undo)));
    }
  }
  const wait = started + durationS * 1000 - Date.now();
  if (wait > 0) await sleep(wait);
  await Promise.all(reverts);
  await sim('/sim/faults', { reset: true });
  const faultsOver = Date.now();
  const end = await sim('/sim/state');
  const truth = (await sim('/sim/truth')).outcomes.slice(before.truth, end.truth);
  log(`chaos: faults over after ${((Date.now() - started) / 1000).toFixed(0)} s; ${truth.length} outcomes finalised; settling`);

  // Settle: the link comes back and gap recovery finishes (analytics re-polls included).
  await live.waitFor({ timeout: 120_000 }).catch(() => log('chaos: the link is not live after the faults'));
  const keyOf = (r) => `${r.conversationId}/${r.participantId}`;
  const wanted = new Set(truth.map(keyOf));
  const settleStarted = Date.now();
  await until('every outcome of the run in the export', 240_000, async () => {
    const have = new Set((await exportCsv(page)).rows.map(keyOf));
    return [...wanted].every((k) => have.has(k));
  }).catch(() => log('chaos: the export still misses outcomes after 240 s of settling'));
  await sleep(3_000);
  const { rows } = await exportCsv(page);
  const counts = new Map();
  for (const r of rows) counts.set(keyOf(r), (counts.get(keyOf(r)) ?? 0) + 1);
  const lostKeys = [...wanted].filter((k) => !counts.has(k));
  const duplicated = [...counts.values()].reduce((n, c) => n + c - 1, 0);
  const mismatched = truth.filter((t) => {
    const row = rows.find((r) => keyOf(r) === keyOf(t));
    return row && (row.outcome !== t.outcome || row.codeId !== (t.code ?? '') || row.userId !== t.userId);
  });
  await page.getByPlaceholder('Name, code, notes or id').fill('');
  await screenshot(page, 'chaos-feed');
  const grew = (key) => (end[key] ?? 0) - (before[key] ?? 0);
  const report = {
    // The schedule waits for the link before each drop, so the fault phase can outlast the plan.
    duration_s: Math.round((faultsOver - started) / 1000),
    planned_s: durationS,
    settle_s: Math.round((Date.now() - settleStarted) / 1000),
    drops: grew('socketsDropped'),
    socket_closings: grew('socketClosings'),
    channel_expiries: grew('channelsExpired'),
    token_expiries: grew('tokenExpiries'),
    dead_sockets: grew('socketsStalled'),
    throttled_requests: grew('throttledResponses'),
    unavailable_responses: grew('unavailableResponses'),
    reloads: plan.filter(([, name]) => name === 'reload').length,
    truth_outcomes: truth.length,
    feed_outcomes: truth.length - lostKeys.length,
    lost: lostKeys.length,
    duplicated,
    mismatched: mismatched.length,
    panics,
    page_errors: errors.length,
    max_requests_per_min: end.maxRequestsPerMinute,
    machine: { cores: os.cpus().length, memory_gb: Math.round(os.totalmem() / 2 ** 30) },
    date: new Date().toISOString(),
  };
  if (lostKeys.length) log(`chaos: lost ${lostKeys.slice(0, 10).join(', ')}${lostKeys.length > 10 ? ' …' : ''}`);
  if (errors.length) log(`chaos: page errors: ${errors.slice(0, 5).join(' | ')}`);
  await context.close();
  return report;
}

/** Why a report fails the run (empty when it passes). */
export function failures(report) {
  const out = [];
  if (report.truth_outcomes === 0) out.push('no outcomes were finalised during the run');
  if (report.lost) out.push(`${report.lost} wrap-up(s) lost`);
  if (report.duplicated) out.push(`${report.duplicated} wrap-up(s) duplicated`);
  if (report.mismatched) out.push(`${report.mismatched} row(s) disagree with gc-sim's truth`);
  if (report.panics) out.push(`${report.panics} panic(s)`);
  if (report.max_requests_per_min > 300) out.push(`${report.max_requests_per_min} requests in a minute (budget 300)`);
  return out;
}
