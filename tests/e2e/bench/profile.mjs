// One-off helper for `cargo xtask bench` findings: where the widget's main thread spends its time while
// ingesting the firehose. Run against a running gc-sim (firehose scenario) and a served dist/:
//   WIDGET_URL=http://127.0.0.1:PORT GC_SIM_URL=http://127.0.0.1:SIM node tests/e2e/bench/profile.mjs [rate]
// Prints the share of sampled time in wasm, the JS glue, GC, idle and the rest (layout, style, paint).
import { launch, signIn, sim } from '../browser.mjs';

const rate = Number(process.argv[2] ?? 500);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
const page = await context.newPage();
await signIn(page);
await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await sim('/sim/firehose', { rate });
await new Promise((r) => setTimeout(r, 1000));
await cdp.send('Profiler.start');
await new Promise((r) => setTimeout(r, 5000));
const { profile } = await cdp.send('Profiler.stop');
await sim('/sim/firehose', { rate: 0 });
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const buckets = {};
const fns = {};
for (const id of profile.samples) {
  const { callFrame } = byId.get(id);
  const url = callFrame.url ?? '';
  const bucket = url.startsWith('wasm://') ? 'wasm' : url.endsWith('wrapup-live.js') ? 'JS glue'
    : callFrame.functionName.startsWith('(') ? callFrame.functionName : url ? 'other JS' : 'native (DOM, JSON, …)';
  buckets[bucket] = (buckets[bucket] ?? 0) + 1;
  const name = `${bucket}: ${callFrame.functionName || '(anonymous)'}`;
  fns[name] = (fns[name] ?? 0) + 1;
}
const total = profile.samples.length;
for (const [k, v] of Object.entries(buckets).sort((a, b) => b[1] - a[1])) console.log(`${k}\t${((100 * v) / total).toFixed(1)} %`);
console.log('--- top self time');
for (const [k, v] of Object.entries(fns).sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${((100 * v) / total).toFixed(1)} %\t${k}`);
await browser.close();
