//! gc-sim: a faithful local Genesys Cloud (OAuth, directory, conversations, notifications,
//! analytics) with seeded traffic, ground truth and fault switches; the demo backend and test double.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let sim = gc_sim::spawn(gc_sim::Config { port: 0, speed: 20.0, scenario: gc_sim::Scenario::Idle, ..Default::default() }).await?;
//! println!("{}", sim.base_url());
//! # Ok(()) }
//! ```

mod clock;
mod config;
mod faults;
mod firehose;
mod hub;
mod routes;
mod store;
mod traffic;
mod unconfirmed;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use anyhow::{Context, bail};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use config::{Config, Scenario};

use crate::clock::Clock;
use crate::store::Sim;
use crate::store::publish::Publisher;

/// A running simulator. Dropping it (or calling [`RunningSim::shutdown`]) stops the server and
/// every background task.
pub struct RunningSim {
    addr: SocketAddr,
    base_url: String,
    cancel: CancellationToken,
    server: Option<JoinHandle<()>>,
}

impl RunningSim {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (API, login and admin all live here).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Stops the simulator and waits for the server task to end.
    pub async fn shutdown(mut self) {
        self.cancel.cancel();
        if let Some(h) = self.server.take() {
            let _ = h.await;
        }
    }

    /// Resolves when the simulator stops (e.g. after [`RunningSim::shutdown`] from elsewhere).
    pub async fn stopped(&self) {
        self.cancel.cancelled().await
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        self.cancel.cancel();
        if let Some(h) = self.server.take() {
            h.abort();
        }
    }
}

/// Resolves `--host` to a loopback IP or refuses: the simulator is for this machine only.
fn loopback_ip(host: &str) -> anyhow::Result<IpAddr> {
    let ip = match host {
        "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
        other => other
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .with_context(|| format!("--host {other:?} is not an IP address"))?,
    };
    if !ip.is_loopback() {
        bail!(
            "refusing to bind {host}: gc-sim only listens on loopback addresses (127.0.0.1, ::1, localhost)"
        );
    }
    Ok(ip)
}

/// Binds, starts the server and the scenario's background tasks, and returns at once.
pub async fn spawn(config: Config) -> anyhow::Result<RunningSim> {
    let ip = loopback_ip(&config.host)?;
    if config.client_ids.is_empty() {
        bail!("at least one OAuth client id is required");
    }
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, config.port))
        .await
        .with_context(|| format!("binding {ip}:{}", config.port))?;
    let addr = listener.local_addr()?;
    let cancel = CancellationToken::new();
    let scenario = config.scenario;
    let (publisher, publications) = Publisher::channel();
    let sim = Arc::new(Sim::new(
        config.clone(),
        Clock::new(config.speed, cancel.clone()),
        addr,
        publisher,
    ));
    let base_url = sim.base_url.clone();
    sim.clock.set_paused(config.start_paused);

    tokio::spawn(hub::run(sim.clone(), publications));
    tokio::spawn(faults::janitor(sim.clone()));
    match scenario {
        Scenario::Demo => {
            tokio::spawn(traffic::generator(sim.clone()));
        }
        Scenario::Chaos => {
            tokio::spawn(traffic::generator(sim.clone()));
            tokio::spawn(faults::chaos_loop(sim.clone()));
        }
        Scenario::Firehose => {
            tokio::spawn(firehose::run(sim.clone()));
        }
        Scenario::Idle => {}
    }
    let router = routes::app(sim);
    let stop = cancel.clone();
    let server = tokio::spawn(async move {
        let serve = axum::serve(listener, router)
            .with_graceful_shutdown(async move { stop.cancelled().await });
        if let Err(e) = serve.await {
            eprintln!("gc-sim server error: {e}");
        }
    });
    Ok(RunningSim {
        addr,
        base_url,
        cancel,
        server: Some(server),
    })
}
