//! `cargo xtask demo`: gc-sim plus `trunk serve`, so a newcomer sees live wrap-ups with no account.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::processes::{start_gc_sim, start_trunk_serve};
use crate::repo_root;

pub fn run(port: u16, sim_port: u16) -> Result<()> {
    let root = repo_root();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .context("installing the Ctrl-C handler")?;

    let mut sim = start_gc_sim(&root, sim_port, &[]).with_context(|| {
        format!("starting gc-sim on port {sim_port} (is something else using it? try --sim-port)")
    })?;
    let mut widget = start_trunk_serve(&root, port)?;
    let mut url = format!("{}/", widget.url);
    if sim_port != 8787 {
        url.push_str(&format!("?sim={}", sim.url));
    }
    println!();
    println!("  wrapup-live demo is running.");
    println!(
        "  Open {url} and sign in on the simulator's page (pick the Supervisor to see every queue)."
    );
    println!("  Wrap-ups start arriving within seconds. Ctrl-C stops gc-sim and trunk.");
    println!();
    while !stop.load(Ordering::SeqCst) {
        sim.check_alive()?;
        widget.check_alive()?;
        thread::sleep(Duration::from_millis(300));
    }
    Ok(())
}
