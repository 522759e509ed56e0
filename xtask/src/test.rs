//! The test tiers. Every tier runs even if an earlier one failed, so one run reports everything;
//! the exit status is non-zero if any tier failed.

use std::process::Command;
use std::time::Instant;

use anyhow::{Result, bail};

use crate::Tier;
use crate::processes::{build_dist, path_with_node_bin, run_checked, start_gc_sim};
use crate::repo_root;
use crate::setup::{CHROMEDRIVER, CHROMIUM};
use crate::static_site;

pub fn run(tiers: &[Tier], specs: &[String]) -> Result<()> {
    let mut failed = Vec::new();
    let mut report = Vec::new();
    for &tier in tiers {
        let started = Instant::now();
        eprintln!("\n=== tier {tier:?} ===");
        let result = match tier {
            Tier::Lint => lint(),
            Tier::Native => native(),
            Tier::Browser => browser(),
            Tier::E2e => e2e(specs),
            Tier::Contract => crate::contract::run(),
        };
        let secs = started.elapsed().as_secs();
        match result {
            Ok(()) => report.push(format!("{tier:?}: ok ({secs} s)")),
            Err(err) => {
                eprintln!("tier {tier:?} failed: {err:#}");
                report.push(format!("{tier:?}: FAILED ({secs} s)"));
                failed.push(tier);
            }
        }
    }
    eprintln!("\n=== summary ===\n{}", report.join("\n"));
    if !failed.is_empty() {
        bail!("tiers failed: {failed:?}");
    }
    Ok(())
}

/// Formatting and lints, as one gate: the workspace natively, then the widget as it ships (wasm32).
fn lint() -> Result<()> {
    let cargo = |args: &[&str]| {
        run_checked(
            Command::new(env!("CARGO"))
                .args(args)
                .current_dir(repo_root()),
        )
    };
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    cargo(&[
        "clippy",
        "-p",
        "wrapup-live",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])
}

fn native() -> Result<()> {
    run_checked(
        Command::new(env!("CARGO"))
            .args(["test", "--workspace", "--no-fail-fast"])
            .current_dir(repo_root()),
    )
}

/// Browser tests are compiled with gc-sim's address baked in (`option_env!("GC_SIM_URL")`).
fn browser() -> Result<()> {
    let root = repo_root();
    let sim = start_gc_sim(&root, 0, &["--speed", "10", "--analytics-lag", "2"])?;
    run_checked(
        Command::new("wasm-pack")
            .args([
                "test",
                "--headless",
                "--chrome",
                "--chromedriver",
                CHROMEDRIVER,
                "--mode",
                "no-install",
            ])
            .env("GC_SIM_URL", &sim.url)
            .env("CHROME_BIN", CHROMIUM)
            // The runner's default (20 s for a whole test file) is shorter than the engine's fault tests,
            // which wait for paced gap recovery; each test still fails on its own explicit waits.
            .env("WASM_BINDGEN_TEST_TIMEOUT", "300")
            .current_dir(&root),
    )
}

/// Playwright journeys against the release build (`dist/`, as `cargo xtask dist` makes it), talking
/// to gc-sim.
fn e2e(only: &[String]) -> Result<()> {
    let root = repo_root();
    build_dist(&root)?;
    let widget = static_site::serve(&root.join("dist"))?;
    // A 20 s (simulated) data-lake lag lets the history spec's jobs see conversations of this run.
    let sim = start_gc_sim(
        &root,
        0,
        &[
            "--speed",
            "4",
            "--analytics-lag",
            "5",
            "--datalake-lag",
            "20",
        ],
    )?;
    let screenshots = root.join("target/e2e");
    std::fs::create_dir_all(&screenshots)?;
    let mut specs: Vec<String> = std::fs::read_dir(root.join("tests/e2e"))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".test.mjs"))
        .filter(|name| only.is_empty() || only.iter().any(|part| name.contains(part.as_str())))
        .map(|name| format!("tests/e2e/{name}"))
        .collect();
    specs.sort();
    run_checked(
        Command::new("node")
            .args(["--test", "--test-concurrency=1"])
            .args(&specs)
            .env("PATH", path_with_node_bin(&root))
            .env("WIDGET_URL", &widget.url)
            .env("GC_SIM_URL", &sim.url)
            .env("CHROMIUM", CHROMIUM)
            .env("SCREENSHOT_DIR", &screenshots)
            .current_dir(&root),
    )
}
