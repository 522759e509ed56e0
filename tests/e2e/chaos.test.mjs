// The 60 s chaos run inside `cargo xtask test`: every kind of fault on a compressed schedule, then
// the export must equal gc-sim's truth for the run (0 lost, 0 duplicated, no panics, within budget).
// `cargo xtask chaos` runs the same for 10 minutes and writes target/chaos/report.json.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { failures, runChaos } from './chaos.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('60 s of chaos: nothing lost, nothing doubled, no panics, within the request budget', async () => {
  const report = await runChaos(browser, { durationS: 60 });
  console.log(`chaos report: ${JSON.stringify(report)}`);
  assert.ok(report.drops >= 9, `about ten sockets dropped, got ${report.drops}`);
  for (const kind of ['socket_closings', 'channel_expiries', 'token_expiries', 'throttled_requests', 'unavailable_responses']) {
    assert.ok(report[kind] > 0, `the run injected ${kind}`);
  }
  assert.deepEqual(failures(report), []);
});
