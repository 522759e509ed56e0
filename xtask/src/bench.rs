//! `cargo xtask bench`: builds the release widget (`dist/`), weighs it, starts an optimised gc-sim in
//! firehose mode, and runs the browser benchmarks (`tests/e2e/bench/bench.mjs`: the widget and the
//! plain-JavaScript baseline side by side in headless Chromium). Writes `target/bench/report.json`
//! (the keys of issue #12) and `target/bench/size.md`, then prints the report as a markdown table.

use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::processes::{
    SIM_BENCH_PROFILE, build_dist, free_port, path_with_node_bin, run_checked, start_gc_sim_built,
};
use crate::setup::CHROMIUM;
use crate::size;

/// The report's keys, in the order they are written and printed.
const KEYS: [&str; 14] = [
    "ingest_events_per_s",
    "baseline_events_per_s",
    "ingest_ratio",
    "wrapup_latency_ms_p50",
    "wrapup_latency_ms_p99",
    "bundle_brotli_bytes",
    "bundle_raw_bytes",
    "cold_start_ms",
    "heap_mb_100k",
    "dom_nodes_100k",
    "job_export_conv_per_s",
    "chromium_version",
    "machine",
    "date",
];

/// What each figure means and its goal (issue #12), for the printed table.
fn goal(key: &str) -> &'static str {
    match key {
        "ingest_ratio" => "≥ 1.0",
        "wrapup_latency_ms_p99" => "≤ 100",
        "bundle_brotli_bytes" => "≤ 200,000 (feed + analytics panel + embedding)",
        "cold_start_ms" => "≤ 300",
        "heap_mb_100k" => "≤ 64",
        "dom_nodes_100k" => "≤ 2,000",
        "job_export_conv_per_s" => "≥ 10,000 (measured: the feed's Export CSV, see README)",
        _ => "",
    }
}

/// `quick`: a smoke run (short probes, 2,000 retained rows) that checks the harness, not the figures;
/// `baseline_memory`: also fill the baseline with 100k rows (heap and DOM comparison, in details.json).
pub fn run(quick: bool, baseline_memory: bool) -> Result<()> {
    let root = crate::repo_root();
    let out_dir = root.join("target/bench");
    std::fs::create_dir_all(&out_dir)?;

    eprintln!("bench: building the release widget (cargo xtask dist)");
    build_dist(&root)?;
    let dist = root.join("dist");
    let files = size::bundle(&dist)?;
    let raw: u64 = files.iter().map(|f| f.raw).sum();
    let brotli: u64 = files.iter().map(|f| f.brotli).sum();
    let size_md = size::report(&root)?;
    std::fs::write(out_dir.join("size.md"), &size_md)?;

    eprintln!("bench: starting gc-sim (optimised, firehose at rate 0 until a probe sets it)");
    let sim = start_gc_sim_built(
        &root,
        SIM_BENCH_PROFILE,
        0,
        &[
            "--scenario",
            "firehose",
            "--firehose-rate",
            "0",
            "--quiet",
            // Every probe signs in afresh; the benchmark is not about the request budget.
            "--rate-limit",
            "100000",
        ],
    )?;
    let browser_out = out_dir.join("browser.json");
    let _ = std::fs::remove_file(&browser_out);
    let port = free_port()?;
    run_checked(
        Command::new("node")
            .arg("tests/e2e/bench/bench.mjs")
            .env("PATH", path_with_node_bin(&root))
            .env("DIST_DIR", &dist)
            .env("BASELINE_DIR", root.join("tests/e2e/baseline"))
            .env("BENCH_PORT", port.to_string())
            .env("WIDGET_URL", format!("http://127.0.0.1:{port}"))
            .env("GC_SIM_URL", &sim.url)
            .env("CHROMIUM", CHROMIUM)
            .env("BENCH_OUT", &browser_out)
            .env("BENCH_QUICK", if quick { "1" } else { "0" })
            .env(
                "BENCH_BASELINE_MEMORY",
                if baseline_memory { "1" } else { "0" },
            )
            .current_dir(&root),
    )?;
    drop(sim);
    let browser: Value = serde_json::from_str(
        &std::fs::read_to_string(&browser_out)
            .context("the browser benchmarks wrote no figures")?,
    )?;

    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let mut report = serde_json::Map::new();
    for key in KEYS {
        let value = match key {
            "bundle_brotli_bytes" => json!(brotli),
            "bundle_raw_bytes" => json!(raw),
            "date" => json!(date),
            _ => browser.get(key).cloned().unwrap_or(Value::Null),
        };
        if value.is_null() {
            bail!("the benchmark produced no {key}; see the log above");
        }
        report.insert(key.to_owned(), value);
    }
    let report_path = out_dir.join("report.json");
    std::fs::write(&report_path, ordered_json(&report))?;
    std::fs::write(
        out_dir.join("details.json"),
        serde_json::to_string_pretty(browser.get("details").unwrap_or(&Value::Null))?,
    )?;

    println!("{}", table(&report));
    println!("{size_md}");
    println!(
        "wrote {} (and size.md, details.json beside it){}",
        report_path.display(),
        if quick {
            "; QUICK run: the figures are a smoke check, not a benchmark"
        } else {
            ""
        }
    );
    Ok(())
}

/// The report as JSON with its keys in [`KEYS`] order (serde_json's map sorts them).
fn ordered_json(report: &serde_json::Map<String, Value>) -> String {
    let lines: Vec<String> = KEYS
        .iter()
        .map(|key| format!("  {}: {}", json!(key), report[*key]))
        .collect();
    format!("{{\n{}\n}}\n", lines.join(",\n"))
}

/// The report as a markdown table: key, figure, goal.
fn table(report: &serde_json::Map<String, Value>) -> String {
    let mut out = String::from("| key | figure | goal |\n| --- | --- | --- |\n");
    for key in KEYS {
        let figure = match &report[key] {
            Value::String(s) => s.clone(),
            Value::Object(m) => m
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        };
        out.push_str(&format!("| `{key}` | {figure} | {} |\n", goal(key)));
    }
    out
}
