// `cargo xtask chaos`: one chaos run of CHAOS_SECONDS (default 600) against the gc-sim and widget the
// xtask started; writes the report to CHAOS_REPORT and exits non-zero when the run fails.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launch } from './browser.mjs';
import { failures, runChaos } from './chaos.mjs';

const durationS = Number(process.env.CHAOS_SECONDS ?? 600);
const reportPath = process.env.CHAOS_REPORT ?? 'target/chaos/report.json';
const browser = await launch();
const started = Date.now();
const log = (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
try {
  const report = await runChaos(browser, { durationS, log });
  mkdirSync(path.dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
  const failed = failures(report);
  if (failed.length) {
    console.error(`chaos FAILED: ${failed.join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log(`chaos passed: ${report.truth_outcomes} outcomes, 0 lost, 0 duplicated; report in ${reportPath}`);
  }
} finally {
  await browser.close();
}
