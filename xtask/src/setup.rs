//! Installs the toolchain pieces a fresh machine lacks; a piece already present at the right
//! version is left alone. Nothing here downloads a prebuilt binary: registries only.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::processes::{run_checked, stdout_of};
use crate::repo_root;

/// trunk 0.22 needs a newer rustc than this machine's; 0.21.14 builds only with `--locked`.
const TRUNK_VERSION: &str = "0.21.14";
/// wasm-pack version installed with `--locked`.
const WASM_PACK_VERSION: &str = "0.15.1";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn run() -> Result<()> {
    let root = repo_root();
    wasm_target()?;
    chromium()?;
    let bindgen = wasm_bindgen_version(&root)?;
    cargo_tool(
        "wasm-bindgen",
        &bindgen,
        &["wasm-bindgen-cli", "--version", &bindgen],
    )?;
    cargo_tool(
        "wasm-pack",
        WASM_PACK_VERSION,
        &["wasm-pack", "--version", WASM_PACK_VERSION, "--locked"],
    )?;
    cargo_tool(
        "trunk",
        TRUNK_VERSION,
        &["trunk", "--version", TRUNK_VERSION, "--locked"],
    )?;
    npm_packages(&root)?;
    crate::contract::sdk_python()?;
    eprintln!("setup: all tools present");
    Ok(())
}

fn wasm_target() -> Result<()> {
    let installed = stdout_of(Command::new("rustup").args(["target", "list", "--installed"]))?;
    if installed
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    eprintln!("setup: adding the wasm32-unknown-unknown target");
    run_checked(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    eprintln!("setup: installing Debian's chromium and chromium-driver");
    let sudo = if is_root() { None } else { Some("sudo") };
    let apt = |args: &[&str]| {
        let mut cmd = match sudo {
            Some(s) => {
                let mut c = Command::new(s);
                c.arg("apt-get");
                c
            }
            None => Command::new("apt-get"),
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run_checked(&mut cmd)
    };
    apt(&["update", "-qq"])?;
    apt(&["install", "-y", "-qq", "chromium", "chromium-driver"]).context(
        "could not install chromium; run `apt-get install chromium chromium-driver` as root",
    )
}

fn is_root() -> bool {
    stdout_of(Command::new("id").arg("-u"))
        .map(|uid| uid.trim() == "0")
        .unwrap_or(false)
}

/// The wasm-bindgen version resolved in Cargo.lock; the CLI must match it exactly.
fn wasm_bindgen_version(root: &Path) -> Result<String> {
    let metadata = stdout_of(
        Command::new(env!("CARGO"))
            .args([
                "metadata",
                "--format-version",
                "1",
                "--filter-platform",
                "wasm32-unknown-unknown",
            ])
            .current_dir(root),
    )?;
    let metadata: serde_json::Value =
        serde_json::from_str(&metadata).context("cargo metadata output")?;
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "wasm-bindgen")
        .and_then(|p| p["version"].as_str())
        .map(str::to_owned)
        .context("wasm-bindgen is not in the dependency graph")
}

/// Install `binary` with `cargo install <args>` unless `<binary> --version` already reports `version`.
fn cargo_tool(binary: &str, version: &str, install_args: &[&str]) -> Result<()> {
    let present = stdout_of(Command::new(binary).arg("--version")).unwrap_or_default();
    if present
        .split_whitespace()
        .any(|word| word.trim_start_matches('v') == version)
    {
        return Ok(());
    }
    eprintln!("setup: installing {binary} {version} (a few minutes on 2 cores; once per machine)");
    run_checked(
        Command::new(env!("CARGO"))
            .arg("install")
            .args(install_args),
    )
    .with_context(|| format!("cargo install {}", install_args.join(" ")))?;
    let now = stdout_of(Command::new(binary).arg("--version"))?;
    if !now.contains(version) {
        bail!(
            "{binary} reports `{}` after installing {version}; is ~/.cargo/bin first on PATH?",
            now.trim()
        );
    }
    Ok(())
}

/// playwright-core (drives Debian's Chromium) and binaryen (wasm-opt) from the npm registry, as
/// pinned by package-lock.json. Neither downloads a browser or binary of its own.
fn npm_packages(root: &Path) -> Result<()> {
    let stamp = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let fresh = match (std::fs::metadata(&stamp), std::fs::metadata(&lock)) {
        (Ok(s), Ok(l)) => s.modified()? >= l.modified()?,
        _ => false,
    };
    if fresh
        && root.join("node_modules/.bin/wasm-opt").exists()
        && root.join("node_modules/playwright-core").exists()
    {
        return Ok(());
    }
    eprintln!("setup: installing npm packages (playwright-core, binaryen)");
    run_checked(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(root),
    )
}
