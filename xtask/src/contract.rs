//! The SDK contract tier: installs Genesys' Python SDK (pinned, in its own venv, once) and runs
//! gc-sim's `sdk_contract` test, which holds every gc-sim answer and frame against its models.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result};

use crate::processes::{run_checked, stdout_of};
use crate::repo_root;

/// The SDK the gate is written against; bumping it is a deliberate change to the contract.
const SDK_VERSION: &str = "269.0.0";

pub fn run() -> Result<()> {
    let python = sdk_python()?;
    run_checked(
        Command::new(env!("CARGO"))
            .args([
                "test",
                "-p",
                "gc-sim",
                "--test",
                "sdk_contract",
                "--",
                "--ignored",
            ])
            .env("GC_SIM_SDK_PYTHON", &python)
            .current_dir(repo_root()),
    )
}

/// `$HOME/.cache/wrapup-live/sdk-<version>/bin/python` with the SDK at exactly that version;
/// creates the venv and installs from PyPI only when it is missing or at another version.
pub fn sdk_python() -> Result<PathBuf> {
    let home = std::env::var_os("HOME").context("HOME is not set")?;
    let venv = PathBuf::from(home).join(format!(".cache/wrapup-live/sdk-{SDK_VERSION}"));
    let python = venv.join("bin/python");
    let installed = stdout_of(Command::new(&python).args([
        "-c",
        "import importlib.metadata as m; print(m.version('PureCloudPlatformClientV2'))",
    ]));
    if installed.is_ok_and(|v| v.trim() == SDK_VERSION) {
        return Ok(python);
    }
    eprintln!("contract: installing PureCloudPlatformClientV2=={SDK_VERSION} into {venv:?}");
    run_checked(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run_checked(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        &format!("PureCloudPlatformClientV2=={SDK_VERSION}"),
    ]))?;
    Ok(python)
}
