//! `cargo xtask chaos`: the release widget against gc-sim under a schedule of faults for a while
//! (10 minutes by default), then its export against gc-sim's truth; the report goes to
//! `target/chaos/report.json`. The 60 s variant is the e2e tier's `chaos.test.mjs`.

use std::process::Command;

use anyhow::Result;

use crate::processes::{build_dist, path_with_node_bin, run_checked, start_gc_sim};
use crate::repo_root;
use crate::setup::CHROMIUM;
use crate::static_site;

pub fn run(seconds: u64) -> Result<()> {
    let root = repo_root();
    build_dist(&root)?;
    let widget = static_site::serve(&root.join("dist"))?;
    let sim = start_gc_sim(&root, 0, &["--speed", "4", "--analytics-lag", "5"])?;
    let report = root.join("target/chaos/report.json");
    run_checked(
        Command::new("node")
            .arg("tests/e2e/chaos-run.mjs")
            .env("PATH", path_with_node_bin(&root))
            .env("WIDGET_URL", &widget.url)
            .env("GC_SIM_URL", &sim.url)
            .env("CHROMIUM", CHROMIUM)
            .env("SCREENSHOT_DIR", root.join("target/chaos"))
            .env("CHAOS_SECONDS", seconds.to_string())
            .env("CHAOS_REPORT", &report)
            .current_dir(&root),
    )
}
