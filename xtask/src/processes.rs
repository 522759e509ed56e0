//! Child processes: running tools to completion, and the two long-lived servers (gc-sim and
//! trunk serve), which are stopped when their handle drops, so Ctrl-C or a failure never leaks them.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Run a command, inheriting stdio; an unsuccessful exit is an error.
pub fn run_checked(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("could not start {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

/// Run a command and return its stdout; an unsuccessful exit is an error.
pub fn stdout_of(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .stderr(Stdio::null())
        .output()
        .with_context(|| format!("could not start {cmd:?}"))?;
    if !out.status.success() {
        bail!("{cmd:?} failed with {}", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A free loopback port (bound and released; good enough for a single machine's run).
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A server process that is killed when dropped.
pub struct Server {
    name: &'static str,
    child: Child,
    /// Where it listens, e.g. `http://127.0.0.1:8787`.
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        eprintln!("stopped {}", self.name);
    }
}

impl Server {
    /// Whether the process is still running.
    pub fn check_alive(&mut self) -> Result<()> {
        if let Some(status) = self.child.try_wait()? {
            bail!("{} exited unexpectedly with {status}", self.name);
        }
        Ok(())
    }
}

/// Build (debug) and start gc-sim on `port` (0 = any free port) and wait for its ready line.
pub fn start_gc_sim(root: &Path, port: u16, extra_args: &[&str]) -> Result<Server> {
    start_gc_sim_built(root, "dev", port, extra_args)
}

/// The cargo profile of the optimised gc-sim that benchmarks use (see Cargo.toml).
pub const SIM_BENCH_PROFILE: &str = "sim-release";

/// Like [`start_gc_sim`], built with cargo `profile` (`dev` or e.g. [`SIM_BENCH_PROFILE`]).
pub fn start_gc_sim_built(
    root: &Path,
    profile: &str,
    port: u16,
    extra_args: &[&str],
) -> Result<Server> {
    run_checked(
        Command::new(env!("CARGO"))
            .args(["build", "--quiet", "-p", "gc-sim", "--profile", profile])
            .current_dir(root),
    )?;
    let dir = if profile == "dev" { "debug" } else { profile };
    let binary = root.join("target").join(dir).join("gc-sim");
    let mut child = Command::new(&binary)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(extra_args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("could not start {}", binary.display()))?;
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    // Keep draining stdout after the ready line so gc-sim never blocks on a full pipe.
    thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if !sent && let Some(url) = line.strip_prefix("gc-sim listening on ") {
                let _ = tx.send(url.trim().to_owned());
                sent = true;
            }
        }
    });
    let mut server = Server {
        name: "gc-sim",
        child,
        url: String::new(),
    };
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(url) => server.url = url,
        Err(_) => {
            server.check_alive()?;
            bail!("gc-sim did not print its ready line within 60 s");
        }
    }
    Ok(server)
}

/// Start `trunk serve` (a debug build that rebuilds on edits, for the demo) and wait until the
/// wasm is being served.
pub fn start_trunk_serve(root: &Path, port: u16) -> Result<Server> {
    let mut cmd = Command::new("trunk");
    cmd.args([
        "serve",
        "--offline",
        "--no-autoreload",
        "--address",
        "127.0.0.1",
        "--port",
        &port.to_string(),
    ]);
    cmd.env("PATH", path_with_node_bin(root)).current_dir(root);
    let child = cmd
        .spawn()
        .context("could not start trunk; run `cargo xtask setup`")?;
    let mut server = Server {
        name: "trunk serve",
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    // A cold build takes minutes on two cores; wait for the wasm itself, not just the port.
    let wasm = format!("{}/wrapup-live_bg.wasm", server.url);
    let deadline = Instant::now() + Duration::from_secs(20 * 60);
    loop {
        server.check_alive()?;
        if let Ok(resp) = ureq::get(&wasm).call()
            && resp.status() == 200
        {
            return Ok(server);
        }
        if Instant::now() > deadline {
            bail!("trunk serve did not serve {wasm} within 20 minutes");
        }
        thread::sleep(Duration::from_millis(500));
    }
}

/// The cargo profile for the widget's release wasm (size-optimised; see Cargo.toml).
pub const WASM_PROFILE: &str = "wasm-release";

/// Build the deployable widget into `dist/`: release wasm, wasm-opt from the npm binaryen.
pub fn build_dist(root: &Path) -> Result<()> {
    run_checked(
        Command::new("trunk")
            .args([
                "build",
                "--release",
                "--offline",
                "--cargo-profile",
                WASM_PROFILE,
            ])
            .env("PATH", path_with_node_bin(root))
            .current_dir(root),
    )
}

/// PATH with the npm packages' binaries (wasm-opt from binaryen) first.
pub fn path_with_node_bin(root: &Path) -> String {
    let node_bin = root.join("node_modules/.bin");
    match std::env::var("PATH") {
        Ok(path) => format!("{}:{path}", node_bin.display()),
        Err(_) => node_bin.display().to_string(),
    }
}
