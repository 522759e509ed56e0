// The lag probe: switched on in the analytics panel, it measures how long analytics takes to index wrap-ups
// the feed showed live; every sample it lists is a submitted wrap-up gc-sim recorded, with that code.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, signIn, sim, until } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the lag probe measures wrap-ups seen live, each one a submitted wrap-up in /sim/truth', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page);
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 20_000 });
  await page.getByRole('tab', { name: 'Lag probe' }).click();
  await page.getByRole('button', { name: 'Measure analytics lag' }).click();
  const stats = page.getByTestId('lag-stats');
  await until('three measured wrap-ups', 120_000, async () =>
    Number(await stats.getAttribute('data-samples', { timeout: 1_000 }).catch(() => 0)) >= 3);
  const samples = await page.locator('.lag-samples tbody tr').evaluateAll((rows) => rows.map((r) => ({
    conversationId: r.dataset.conversationId, participantId: r.dataset.participantId, code: r.dataset.code,
  })));
  const truth = (await sim('/sim/truth')).outcomes;
  assert.ok(samples.length >= 3, `${samples.length} samples listed`);
  for (const sample of samples) {
    const leg = truth.find((o) => o.conversationId === sample.conversationId && o.participantId === sample.participantId);
    assert.ok(leg, `${sample.conversationId} is in gc-sim's truth`);
    assert.equal(leg.outcome, 'submitted');
    assert.equal(leg.code, sample.code, 'the code analytics indexed is the one the agent submitted');
  }
  assert.match(await stats.innerText(), /^\d+ wrap-up\(s\) measured · p50 \d+ s · p90 \d+ s · max \d+ s$/);
  await screenshot(page, 'analytics-lag');
  await page.getByRole('button', { name: 'Stop measuring' }).click();
  assert.equal(await page.getByRole('status').filter({ hasText: 'Off.' }).count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});
