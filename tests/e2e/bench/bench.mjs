// `cargo xtask bench`'s browser half: the release widget (dist/, served statically here) and the
// plain-JavaScript baseline (tests/e2e/baseline/) side by side in Debian's headless Chromium, fed by
// gc-sim's firehose. Writes the browser figures as JSON to BENCH_OUT; xtask adds the bundle sizes,
// writes target/bench/report.json and prints the table. Definitions: README "Performance".
//
// Env: DIST_DIR, BASELINE_DIR, BENCH_PORT (the static server's port; WIDGET_URL points at it),
// GC_SIM_URL, CHROMIUM, BENCH_OUT, BENCH_QUICK=1 (a short smoke run: tiny windows, 2k rows),
// BENCH_BASELINE_MEMORY=1 (also fill the baseline with 100k rows, for the heap and DOM comparison).
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GC_SIM_URL, WIDGET_URL, launch, signIn, sim, until } from '../browser.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
/** Seconds each ingest probe runs at its rate. */
const PROBE_SECS = QUICK ? 2 : 5;
/** A consumer keeps up when its rows trail gc-sim's decided legs by at most this much traffic. */
const MAX_LAG_SECS = 1.0;
/** Background load for the latency figure, frames/s reaching the socket (the definition). */
const LATENCY_FRAMES = 1000;
const LATENCY_SECS = QUICK ? 3 : 10;
/** Rows retained for the heap, DOM and export figures (the feed's MAX_ROWS). */
const RETAINED = QUICK ? 2_000 : 100_000;
const log = (...a) => console.error('[bench]', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const setRate = (rate, finalOnly = false) => sim('/sim/firehose', { rate, finalOnly });
const firehose = () => sim('/sim/firehose');

// ---- static server: dist/ at /, the baseline at /baseline/; no-store, so every load is cold ----
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.json': 'application/json' };
function serveStatic(port) {
  const roots = [['/baseline/', process.env.BASELINE_DIR], ['/', process.env.DIST_DIR]];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const [prefix, root] = roots.find(([p]) => url.pathname.startsWith(p));
    let rel = decodeURIComponent(url.pathname.slice(prefix.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch { res.writeHead(404).end(); }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

// ---- the two consumers ----
const VIEWPORT = { width: 1280, height: 860 };
async function openWidget(browser, init) {
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  await signIn(page);
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
  return { context, page };
}
async function openBaseline(browser, init) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  await page.goto(`${WIDGET_URL}/baseline/?sim=${encodeURIComponent(GC_SIM_URL)}`);
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
  return { context, page };
}
const CONSUMERS = { widget: openWidget, baseline: openBaseline };

/** Decided rows the page shows: the sum of its per-outcome counts (same markup in both pages). */
const rowsShown = (page) => page.evaluate(() =>
  [...document.querySelectorAll('.totals dd')].reduce((n, dd) => n + Number(dd.textContent), 0));

// ---- ingest: the highest firehose rate a consumer sustains ----
async function probe(browser, open, rate) {
  await setRate(0);
  const { context, page } = await open(browser);
  await sleep(300);
  const before = await firehose();
  const shownBefore = await rowsShown(page);
  await setRate(rate);
  await sleep(PROBE_SECS * 1000);
  const [after, shown] = await Promise.all([firehose(), rowsShown(page)]);
  await setRate(0);
  await context.close();
  const legs = after.truth - before.truth;
  const offered = (after.eventsSent - before.eventsSent) / PROBE_SECS;
  const lagSecs = (legs - (shown - shownBefore)) / Math.max(legs / PROBE_SECS, 1);
  const result = { rate, offered: Math.round(offered), lagSecs: Number(lagSecs.toFixed(2)),
    kept: lagSecs <= MAX_LAG_SECS, producerShort: offered < 0.9 * rate };
  log('probe', open === openWidget ? 'widget' : 'baseline', JSON.stringify(result));
  return result;
}
/** From 500 snapshots/s: doubling until the consumer falls behind (halving if it already does at 500),
 *  then two bisection steps. */
async function sustainedRate(browser, open) {
  let pass = null, fail = null;
  for (let rate = 500; rate <= 64_000 && !fail; rate *= 2) {
    const r = await probe(browser, open, rate);
    if (r.kept && !r.producerShort) pass = r; else fail = r;
  }
  for (let rate = 250; !pass && rate >= 60; rate = Math.round(rate / 2)) {
    const r = await probe(browser, open, rate);
    if (r.kept && !r.producerShort) pass = r; else fail = r;
  }
  for (let i = 0; i < (QUICK ? 0 : 2) && pass && fail; i++) {
    const r = await probe(browser, open, Math.round((pass.rate + fail.rate) / 2));
    if (r.kept && !r.producerShort) pass = r; else fail = r;
  }
  return { eventsPerSec: pass?.offered ?? 0, producerLimited: Boolean(fail?.producerShort), pass, fail };
}

// ---- latency: gc-sim's publication of the wrap-up (its endTime) to the frame after the row appears ----
// Installed before the page loads; the same observer in both pages (same row markup).
const PAINT_PROBE = () => {
  window.__paint = { samples: [], firstRow: null, seen: new Set() };
  const fresh = [];
  const look = (node) => {
    if (node.nodeType !== 1) return;
    const rows = node.matches('tr.feed-row') ? [node] : node.querySelectorAll('tr.feed-row');
    for (const tr of rows) {
      const key = tr.getAttribute('data-conversation');
      if (tr.getAttribute('data-outcome') !== 'submitted' || !key || window.__paint.seen.has(key)) continue;
      window.__paint.seen.add(key);
      fresh.push(tr.querySelector('time')?.getAttribute('datetime'));
    }
    if (window.__paint.firstRow === null && rows.length) {
      requestAnimationFrame(() => { window.__paint.firstRow ??= performance.now(); });
    }
  };
  new MutationObserver((records) => {
    const before = fresh.length;
    for (const r of records) r.addedNodes.forEach(look);
    if (fresh.length > before) {
      // The next animation frame starts after the frame that holds the new rows was painted.
      requestAnimationFrame(() => {
        const now = Date.now();
        for (const end of fresh.splice(0)) if (end) window.__paint.samples.push(now - Date.parse(end));
      });
    }
  }).observe(document, { childList: true, subtree: true });
};
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
async function latency(browser, open, rate) {
  await setRate(0);
  const { context, page } = await open(browser, PAINT_PROBE);
  await page.evaluate(() => { window.__paint.samples.length = 0; });
  const before = await firehose();
  await setRate(rate);
  await sleep(LATENCY_SECS * 1000);
  const after = await firehose();
  await setRate(0);
  const framesPerSec = Math.round((after.eventsSent - before.eventsSent) / LATENCY_SECS);
  const samples = (await page.evaluate(() => window.__paint.samples)).sort((a, b) => a - b);
  await context.close();
  if (samples.length === 0) throw new Error('no submitted wrap-up row was painted during the latency run');
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), n: samples.length, framesPerSec };
}

// ---- cold start: navigation start of the load back from sign-in to the first feed row painted ----
async function coldStart(browser) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    await setRate(200, true); // a decided wrap-up every 5 ms: one is ready the moment the widget subscribes
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    await page.addInitScript(PAINT_PROBE);
    await signIn(page);
    const first = await page.waitForFunction(() => window.__paint?.firstRow, null, { timeout: 30_000 });
    runs.push(await first.jsonValue());
    await context.close();
  }
  await setRate(0);
  return runs.sort((a, b) => a - b)[1];
}

// ---- 100k retained: heap, DOM nodes, then Export CSV of them ----
// Filled with the firehose's final snapshots (one decided leg per conversation frame) so 100k rows take
// a minute or two, not ten; what the feed retains is the same rows either way.
async function retained(browser, open, rate) {
  await setRate(0);
  const { context, page } = await open(browser);
  await setRate(rate, true);
  const started = Date.now();
  let shown = 0;
  while ((shown = await rowsShown(page)) < RETAINED) {
    if (Date.now() - started > 6 * 60_000) throw new Error(`only ${shown} rows after 6 minutes at ${rate} frames/s`);
    await sleep(1000);
  }
  await setRate(0);
  await until('the feed to settle', 60_000, async () => {
    const a = await rowsShown(page);
    await sleep(500);
    return a === (await rowsShown(page));
  });
  shown = await rowsShown(page);
  log(`${shown} rows retained after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await sleep(1500);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  // The widget's rows live in wasm linear memory, outside the JS heap: find every WebAssembly.Memory
  // through the inspector (no hook in the widget) and add its size.
  const { result: proto } = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.objectId });
  const { result: wasm } = await cdp.send('Runtime.callFunctionOn', { objectId: objects.objectId, returnByValue: true,
    functionDeclaration: 'function () { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }' });
  const heapBytes = heap.usedSize + wasm.value;
  // Every node of the page's document (elements, text, comments): deterministic, unlike the renderer's
  // counter, which also counts nodes of other pages in the process and garbage not yet collected.
  const { nodes, elements } = await page.evaluate(() => {
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
    let all = 1;
    while (walker.nextNode()) all++;
    return { nodes: all, elements: document.getElementsByTagName('*').length };
  });
  const { nodes: rendererNodes } = await cdp.send('Memory.getDOMCounters');
  return { page, context, shown, heapMb: heapBytes / 2 ** 20, jsHeapMb: heap.usedSize / 2 ** 20,
    wasmMb: wasm.value / 2 ** 20, domNodes: nodes, domElements: elements, rendererNodes };
}
/** Conversations per second through the feed's Export CSV (wrapup-core export.rs, a Blob download). */
async function exportRate(page, rows) {
  const started = performance.now();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    page.getByRole('button', { name: 'Export CSV', exact: true }).click(),
  ]);
  const secs = (performance.now() - started) / 1000;
  const text = await readFile(await download.path(), 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0).length - 1;
  if (lines < rows) throw new Error(`Export CSV held ${lines} rows, the feed ${rows}`);
  return lines / secs;
}

// ---- run ----
const server = await serveStatic(Number(process.env.BENCH_PORT));
const browser = await launch();
try {
  const out = { chromium_version: browser.version(), machine: { cores: os.cpus().length,
    memory_gb: Number((os.totalmem() / 2 ** 30).toFixed(1)), cpu: os.cpus()[0]?.model ?? 'unknown' } };
  log('cold start');
  out.cold_start_ms = Math.round(await coldStart(browser));
  log('ingest');
  const widget = await sustainedRate(browser, openWidget);
  const baseline = await sustainedRate(browser, openBaseline);
  Object.assign(out, { ingest_events_per_s: widget.eventsPerSec, baseline_events_per_s: baseline.eventsPerSec,
    ingest_ratio: baseline.eventsPerSec ? Number((widget.eventsPerSec / baseline.eventsPerSec).toFixed(2)) : null });
  // A conversation touching several queues reaches a supervisor once per queue topic: calibrate the
  // firehose's snapshot rate so the socket carries LATENCY_FRAMES frames/s.
  const fanOut = Math.max(1, (widget.pass?.offered ?? 1) / (widget.pass?.rate ?? 1));
  const latencyRate = Math.round(LATENCY_FRAMES / fanOut);
  log('latency at', LATENCY_FRAMES, 'frames/s (firehose rate', latencyRate, ')');
  const lat = await latency(browser, openWidget, latencyRate);
  const baseLat = await latency(browser, openBaseline, latencyRate);
  Object.assign(out, { wrapup_latency_ms_p50: lat.p50, wrapup_latency_ms_p99: lat.p99 });
  log('retaining', RETAINED, 'rows');
  const kept = await retained(browser, openWidget, Math.round(1.5 * (widget.pass?.rate ?? 500)));
  out.heap_mb_100k = Number(kept.heapMb.toFixed(1));
  out.dom_nodes_100k = kept.domNodes;
  out.job_export_conv_per_s = Math.round(await exportRate(kept.page, kept.shown));
  await kept.context.close();
  let baseKept = null;
  if (process.env.BENCH_BASELINE_MEMORY === '1') {
    baseKept = await retained(browser, openBaseline, Math.round(1.5 * (baseline.pass?.rate ?? 500)));
    await baseKept.context.close();
  }
  // Figures beyond the report's keys, for the README's comparison.
  out.details = {
    latency_samples: lat.n, latency_frames_per_s: lat.framesPerSec, baseline_latency_frames_per_s: baseLat.framesPerSec,
    baseline_latency_ms_p50: baseLat.p50, baseline_latency_ms_p99: baseLat.p99,
    ingest_widget: widget, ingest_baseline: baseline, probe_secs: PROBE_SECS, max_lag_secs: MAX_LAG_SECS,
    widget_js_heap_mb: Number(kept.jsHeapMb.toFixed(1)), widget_wasm_memory_mb: Number(kept.wasmMb.toFixed(1)), baseline_heap_mb_100k: baseKept && Number(baseKept.heapMb.toFixed(1)),
    baseline_dom_nodes_100k: baseKept?.domNodes ?? null, retained_rows: RETAINED, quick: QUICK,
    widget_dom_elements_100k: kept.domElements, widget_renderer_dom_counter_100k: kept.rendererNodes,
  };
  await writeFile(process.env.BENCH_OUT, JSON.stringify(out, null, 2));
} finally {
  await browser.close();
  server.close();
}
