//! `cargo xtask`: the project's own installer and orchestrator (setup, demo, dist, test, bench).
//! Everything a fresh machine needs is installed from here, idempotently.

mod bench;
mod chaos;
mod contract;
mod demo;
mod processes;
mod setup;
mod size;
mod static_site;
mod test;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "wrapup-live: setup, demo and test orchestration"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install whatever is missing (wasm target, wasm-bindgen-cli, trunk, wasm-pack, Chromium, npm packages,
    /// Genesys' Python SDK for the contract tier).
    Setup,
    /// Start gc-sim and `trunk serve`, then print the URL to open. Ctrl-C stops both.
    Demo {
        /// Port for the widget (trunk serve).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Port for gc-sim; the widget's default simulator address is 127.0.0.1:8787.
        #[arg(long, default_value_t = 8787)]
        sim_port: u16,
    },
    /// Build the deployable widget into dist/ (size-optimised release wasm).
    Dist,
    /// The release widget against gc-sim under scheduled faults, then its export against the truth;
    /// writes target/chaos/report.json and fails on any lost or doubled wrap-up.
    Chaos {
        /// How long to inject faults, in seconds.
        #[arg(long, default_value_t = 600)]
        seconds: u64,
    },
    /// Benchmarks: the release widget against a plain-JavaScript baseline in headless Chromium, fed by
    /// gc-sim's firehose; bundle sizes and a wasm breakdown. Writes target/bench/report.json.
    Bench {
        /// A short smoke run of the harness (seconds-long probes, 2,000 rows): not a benchmark.
        #[arg(long)]
        quick: bool,
        /// Also fill the baseline page with 100k rows for a heap and DOM comparison (about 2 min more).
        #[arg(long)]
        baseline_memory: bool,
    },
    /// What the widget weighs: builds dist/ and prints raw and brotli sizes and the wasm breakdown by
    /// crate; with --file, only the sizes of the given files (for comparing build options).
    Size {
        /// Measure these files instead of building dist/.
        #[arg(long)]
        file: Vec<PathBuf>,
    },
    /// Run every test tier: lint, native cargo test, wasm-pack browser tests, Playwright e2e.
    Test {
        /// Run only these tiers (default: all).
        #[arg(long, value_enum, value_delimiter = ',')]
        tier: Vec<Tier>,
        /// Run only the e2e spec files whose name contains one of these (e.g. `faults`).
        #[arg(long, value_delimiter = ',')]
        spec: Vec<String>,
    },
}

/// A tier of the test suite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Tier {
    /// `cargo fmt --check` and `cargo clippy -D warnings`, natively on the workspace and on the widget for wasm32.
    Lint,
    /// `cargo test --workspace` on this machine.
    Native,
    /// `wasm-pack test --headless --chrome`: components in a real Chromium against gc-sim.
    Browser,
    /// Playwright (playwright-core + Debian Chromium) journeys against the release dist/ + gc-sim.
    E2e,
    /// gc-sim's answers and frames against Genesys' Python SDK models (pinned venv).
    Contract,
}

/// The repository root (the parent of this crate).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repo")
        .to_path_buf()
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Setup => setup::run(),
        Command::Demo { port, sim_port } => {
            setup::run()?;
            demo::run(port, sim_port)
        }
        Command::Dist => {
            setup::run()?;
            processes::build_dist(&repo_root())?;
            eprintln!("dist/ is ready: copy it to any static HTTPS host");
            Ok(())
        }
        Command::Chaos { seconds } => {
            setup::run()?;
            chaos::run(seconds)
        }
        Command::Bench {
            quick,
            baseline_memory,
        } => {
            setup::run()?;
            bench::run(quick, baseline_memory)
        }
        Command::Size { file } if !file.is_empty() => size::print_files(&file),
        Command::Size { .. } => {
            setup::run()?;
            processes::build_dist(&repo_root())?;
            println!("{}", size::report(&repo_root())?);
            Ok(())
        }
        Command::Test { tier, spec } => {
            setup::run()?;
            let tiers = if tier.is_empty() {
                vec![
                    Tier::Lint,
                    Tier::Native,
                    Tier::Contract,
                    Tier::Browser,
                    Tier::E2e,
                ]
            } else {
                tier
            };
            test::run(&tiers, &spec)
        }
    }
}
