// The analytics panel's "Conversation" tab against gc-sim (`--speed 4 --analytics-lag 5`):
// (a) a conversation looked up right after it ends says "not indexed yet", then shows its verdict by itself;
// (b) every verdict kind gc-sim's traffic can produce, each with its evidence, checked against the scripts;
// (c) an analytics JSON pasted signed out gives exactly what `wrapup explain` says of the same file.
// Also: a bad id is refused with no request, and `?conversation=` opens after sign-in.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GC_SIM_URL, WIDGET_URL, launch, screenshot, signIn, sim, supervisorQueue, until, widgetUrl } from './browser.mjs';

let browser;
let directory;
before(async () => {
  browser = await launch();
  directory = await sim('/sim/directory');
});
after(async () => { await browser?.close(); });

const RUN = Date.now().toString(36);
const TIMING = { queueSecs: 0.5, alertSecs: 0.5, talkSecs: 1, acwSecs: 1 };

/** A queue the supervisor belongs to, with two agents and a code visible to agents. */
function targets() {
  const { queue, agents: [a, b] } = supervisorQueue(directory, 2);
  return { queueId: queue.id, a, b, code: queue.codeIds[0] };
}

/** What `wrapup explain` must say for a scripted leg outcome (gc-sim's vocabulary → the verdict names). */
const VERDICT_OF = { submitted: 'coded', timed_out: 'timed_out', skipped: 'skipped', not_required: 'no_wrapup_phase', not_answered: 'not_answered' };
/** A field each verdict's evidence must quote. */
const EVIDENCE_OF = {
  coded: (leg) => `has wrapUpCode ${leg.code}`,
  timed_out: () => 'has wrapUpCode ININ-WRAP-UP-TIMEOUT',
  skipped: () => 'acwSkipped = true',
  no_wrapup_phase: () => 'no tAcw metric',
  not_answered: () => 'tNotResponding',
  no_agent: () => 'no participant with purpose agent or user',
};

async function openWidget() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

async function lookUp(page, id) {
  await page.getByLabel('Conversation id').fill(id);
  await page.getByRole('button', { name: 'Look up', exact: true }).click();
}

/** Wait for the final verdicts of `script`'s started conversation and check each leg against the script. */
async function expectVerdicts(page, started) {
  const panel = page.getByTestId('analytics-panel');
  const wanted = started.legs.length === 0
    ? [{ participantId: '', verdict: 'no_agent', leg: {} }]
    : started.legs.map((leg) => ({ participantId: leg.participantId, verdict: VERDICT_OF[leg.scripted ?? leg.outcome], leg }));
  for (const { participantId, verdict, leg } of wanted) {
    const element = panel.locator(`[data-testid=leg-verdict][data-participant-id="${participantId}"][data-verdict="${verdict}"]`);
    await element.waitFor({ timeout: 90_000 });
    const evidence = await element.locator('.leg-evidence').innerText();
    assert.ok(evidence.includes(EVIDENCE_OF[verdict](leg)), `${verdict} evidence quotes the field: ${evidence}`);
    assert.ok((await element.locator('.leg-advice').innerText()).length > 20, 'advice shown');
  }
  const shown = await panel.locator('[data-testid=leg-verdict]').evaluateAll((els) => els.map((e) => e.dataset.verdict));
  assert.deepEqual(shown, wanted.map((w) => w.verdict), 'exactly the scripted legs, in order');
  await until('the lookup to finish', 30_000, async () => (await page.getByTestId('lookup-status').count()) === 0);
}

async function startScript(script) {
  const started = await sim('/sim/conversations', script);
  return started;
}

async function ended(conversationId, legs) {
  if (legs === 0) {
    await new Promise((r) => setTimeout(r, 2000));
    return;
  }
  await until(`gc-sim truth for ${conversationId}`, 60_000, async () =>
    (await sim('/sim/truth')).outcomes.filter((o) => o.conversationId === conversationId).length >= legs);
}

test('a conversation looked up right after it ends goes from "not indexed yet" to its verdict by itself', async () => {
  const { page, context, errors } = await openWidget();
  await signIn(page);
  const { queueId, a, code } = targets();
  const started = await startScript({ ...TIMING, queueId, legs: [{ userId: a, outcome: 'submitted', code, notes: `analytics ${RUN} <b>bold</b>` }] });
  await ended(started.conversationId, 1);
  await lookUp(page, started.conversationId);
  const status = page.getByTestId('lookup-status');
  await until('"not indexed yet"', 20_000, async () => /not indexed yet/i.test(await status.innerText().catch(() => '')));
  assert.match(await status.innerText(), /ended \d+ s ago/, 'the time since the end is shown');
  assert.match(await page.getByTestId('lookup-countdown').innerText(), /Looking again in \d+ s/);
  await expectVerdicts(page, started);
  const leg = page.locator(`[data-participant-id="${started.legs[0].participantId}"][data-testid=leg-verdict]`);
  const codeName = directory.codes?.find((c) => c.id === code)?.name;
  if (codeName) assert.ok((await leg.locator('.leg-code').innerText()).includes(codeName), 'the code by name');
  assert.ok((await leg.locator('.leg-note').innerText()).includes('<b>bold</b>'), 'notes render as text');
  assert.equal(await leg.locator('.leg-note b').count(), 0);
  // Real-time and analytics agree once indexed.
  const row = page.locator(`[data-testid=realtime-compare] tr[data-participant-id="${started.legs[0].participantId}"]`);
  assert.equal(await row.getAttribute('data-finding'), 'agree');
  await page.getByTestId('verdict-list').scrollIntoViewIfNeeded();
  await screenshot(page, 'analytics-verdict');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every verdict gc-sim can produce is shown with its evidence, as the scripts imply', async () => {
  const { page, context, errors } = await openWidget();
  await signIn(page);
  const { queueId, a, b, code } = targets();
  const scripts = [
    { ...TIMING, queueId, legs: [{ userId: a, outcome: 'timed_out' }] },
    { ...TIMING, queueId, legs: [{ userId: a, outcome: 'skipped' }] },
    { ...TIMING, queueId, legs: [{ userId: b, outcome: 'not_required' }] },
    { ...TIMING, queueId, mediaType: 'chat', legs: [{ userId: a, outcome: 'not_answered' }, { userId: b, outcome: 'submitted', code }] },
    { ...TIMING, queueId, abandon: 'queue', attributes: { caseRef: `<i>${RUN}</i>` } },
    { ...TIMING, queueId, abandon: 'ivr', ivrSecs: 0.5 },
  ];
  const started = [];
  for (const script of scripts) {
    const s = await startScript(script);
    // The response names gc-sim's truth outcome (`not_answered` legs are recorded as not_required).
    s.legs.forEach((leg, i) => { leg.scripted = script.legs?.[i]?.outcome; });
    started.push(s);
  }
  for (const s of started) await ended(s.conversationId, s.legs.length);
  for (const [i, s] of started.entries()) {
    await lookUp(page, s.conversationId);
    await until(`lookup of ${s.conversationId} opened`, 10_000, async () =>
      (await page.getByTestId('lookup-heading').innerText().catch(() => '')).includes(s.conversationId));
    await expectVerdicts(page, s);
    if (i === 3) {
      // The transfer: customer, ACD and two agent lanes; the coded leg's wrap-up bar carries its code.
      const timeline = page.getByTestId('timeline');
      const lanes = await timeline.locator('.timeline-lane').evaluateAll((els) => els.map((e) => e.dataset.purpose));
      assert.deepEqual(lanes, ['customer', 'acd', 'agent', 'agent']);
      const coded = timeline.locator(`.timeline-lane[data-participant-id="${s.legs[1].participantId}"] [data-segment=wrapup] .segment-coded`);
      assert.equal(await coded.count(), 1);
      const acw = timeline.locator(`[data-testid=timeline-metrics] tr[data-participant-id="${s.legs[1].participantId}"] [data-metric=tAcw]`);
      assert.match(await acw.innerText(), /tAcw \d/);
      await timeline.scrollIntoViewIfNeeded();
      await timeline.screenshot({ path: path.join(process.env.SCREENSHOT_DIR ?? 'target/e2e', 'analytics-timeline.png') });
    }
    if (i === 4) {
      // Participant data comes from the real-time source, as text.
      const attributes = await page.getByTestId('realtime-attributes').innerText();
      assert.ok(attributes.includes(`<i>${RUN}</i>`), attributes);
      assert.equal(await page.getByTestId('realtime-attributes').locator('i').count(), 0);
    }
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a bad id is refused with no request, and ?conversation= opens after sign-in', async () => {
  const { page, context, errors } = await openWidget();
  await signIn(page);
  const analyticsCalls = [];
  page.on('request', (r) => { if (r.url().includes('/analytics/')) analyticsCalls.push(r.url()); });
  await lookUp(page, 'not-a-conversation');
  assert.match(await page.getByTestId('lookup-error').innerText(), /"not-a-conversation" is not a conversation id.*Nothing was requested/);
  assert.deepEqual(analyticsCalls, []);

  const { queueId, a, code } = targets();
  const started = await startScript({ ...TIMING, queueId, legs: [{ userId: a, outcome: 'submitted', code }] });
  await ended(started.conversationId, 1);
  // A fresh context: the first page's gc-sim login session would skip the sign-in page.
  const freshContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const fresh = await freshContext.newPage();
  fresh.on('pageerror', (e) => errors.push(String(e)));
  await fresh.goto(`${widgetUrl()}&conversation=${started.conversationId}`);
  assert.equal(await fresh.getByLabel('Conversation id').inputValue(), started.conversationId, 'shown before sign-in');
  await fresh.getByRole('button', { name: /Sign in to gc-sim/ }).click();
  await fresh.waitForURL(/\/oauth\/authorize/);
  const option = await fresh.locator('#user option', { hasText: /Supervisor/ }).first().getAttribute('value');
  await fresh.selectOption('#user', option);
  await fresh.click('#sign-in');
  await fresh.waitForURL((url) => url.toString().startsWith(WIDGET_URL));
  assert.match(await fresh.getByTestId('lookup-heading').innerText({ timeout: 20_000 }), /opened from the page's link/);
  await expectVerdicts(fresh, started);
  assert.deepEqual(errors, []);
  await freshContext.close();
  await context.close();
});

/** `wrapup explain` on a file, as JSON. */
function cliExplain(file) {
  return JSON.parse(execFileSync('cargo', ['run', '-q', '-p', 'wrapup-core', '--bin', 'wrapup', '--', 'explain', file], { encoding: 'utf8' }));
}

async function pastedVerdicts(page, text) {
  if (!(await page.locator('details.lookup-offline').evaluate((d) => d.open))) {
    await page.getByText('Explain an analytics JSON offline').click();
  }
  await page.getByLabel('Analytics JSON').fill(text);
  await page.getByRole('button', { name: 'Explain JSON' }).click();
  const legs = page.locator('[data-testid=leg-verdict]');
  await legs.first().waitFor();
  return legs.evaluateAll((els) => els.map((e) => ({
    participantId: e.dataset.participantId || null,
    verdict: e.dataset.verdict,
    evidence: [...e.querySelectorAll('.leg-evidence li')].map((li) => li.textContent),
  })));
}

test('signed out, a pasted analytics JSON gives the same verdicts as `wrapup explain`', async () => {
  const { page, context, errors } = await openWidget();
  await page.goto(widgetUrl());
  // A fixture with two agent legs, and a record gc-sim indexed just now (fetched with a test token).
  const fixture = 'crates/wrapup-core/tests/fixtures/explain/not_answered_then_coded.json';
  const { queueId, a, b, code } = targets();
  const started = await startScript({ ...TIMING, queueId, legs: [{ userId: a, outcome: 'skipped' }, { userId: b, outcome: 'submitted', code }] });
  await ended(started.conversationId, 2);
  const { access_token: token } = await sim('/sim/tokens', {});
  const record = await until('gc-sim to index the wrap-ups', 60_000, async () => {
    const res = await fetch(`${GC_SIM_URL}/api/v2/analytics/conversations/${started.conversationId}/details`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) return null;
    const body = await res.text();
    return body.includes(code) && body.includes('acwSkipped') ? body : null;
  });
  const simFile = path.join(mkdtempSync(path.join(tmpdir(), 'wrapup-e2e-')), 'gc-sim-record.json');
  writeFileSync(simFile, record);
  for (const file of [fixture, simFile]) {
    const expected = cliExplain(file);
    const shown = await pastedVerdicts(page, readFileSync(file, 'utf8'));
    assert.deepEqual(shown, expected.verdicts.map((v) => ({ participantId: v.participantId, verdict: v.verdict, evidence: v.evidence })), file);
    assert.equal(await page.locator('[data-callback-origin]').getAttribute('data-callback-origin'), expected.callbackOrigin ?? 'unknown');
    assert.match(await page.getByTestId('lookup-heading').innerText(), /Offline explanation of pasted JSON/);
  }
  // Something that is not a record is refused and the shown explanation stays.
  await page.getByLabel('Analytics JSON').fill('{"status":404,"code":"not.found","message":"nope"}');
  await page.getByRole('button', { name: 'Explain JSON' }).click();
  assert.match(await page.getByTestId('lookup-error').innerText(), /pasted JSON cannot be explained: the API answered status 404/);
  assert.equal(await page.locator('[data-testid=leg-verdict]').count(), 2);
  assert.deepEqual(errors, []);
  await context.close();
});
