//! The `gc-sim` binary: parses the CLI, starts the simulator, prints the ready line, runs until
//! Ctrl-C. Everything else lives in the library (`gc_sim::spawn`).

use std::io::Write;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use gc_sim::{Config, Scenario};

/// A faithful local Genesys Cloud for wrapup-live: OAuth, directory, conversations, notifications
/// (WebSocket), analytics, seeded traffic, ground truth (/sim/truth) and fault switches (/sim/faults).
#[derive(Debug, Parser)]
#[command(name = "gc-sim", version)]
struct Cli {
    /// TCP port (0 = ephemeral).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Loopback interface to bind (127.0.0.1, ::1 or localhost; anything else is refused).
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Seed for users, queues, codes and traffic.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Number of agents (plus one supervisor).
    #[arg(long, default_value_t = 8)]
    agents: usize,
    /// Number of queues (1-8).
    #[arg(long, default_value_t = 4)]
    queues: usize,
    /// Time compression: simulated durations are divided by this.
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    /// demo | idle | firehose | chaos.
    #[arg(long, default_value = "demo")]
    scenario: Scenario,
    /// Simulated seconds before a conversation is visible in analytics details.
    #[arg(long, default_value_t = 45.0)]
    analytics_lag: f64,
    /// Extra simulated seconds before the wrapup segment appears in analytics.
    #[arg(long, default_value_t = 20.0)]
    wrapup_lag: f64,
    /// Simulated seconds between now and the async-jobs dataAvailabilityDate.
    #[arg(long, default_value_t = 300.0)]
    datalake_lag: f64,
    /// Access-token lifetime in seconds (expires_in; Genesys allows 300-172800 per client,
    /// gc-sim anything from 1 so tests can reach expiry). Wall clock, not scaled by --speed.
    #[arg(long, default_value_t = 86_400)]
    token_lifetime: u64,
    /// Whether the PKCE token answer carries a refresh_token (UNCONFIRMED for Genesys; default on).
    #[arg(long, value_enum)]
    pkce_refresh_tokens: Option<Switch>,
    /// Notification channel lifetime in seconds (reference: 24 h), extended by re-subscribing.
    /// Wall clock, not scaled by --speed.
    #[arg(long, default_value_t = 86_400.0)]
    channel_lifetime: f64,
    /// Seconds between channel.metadata heartbeats (wall clock).
    #[arg(long, default_value_t = 30.0)]
    heartbeat_secs: f64,
    /// Requests per minute per user + client before 429 (reference: 300).
    #[arg(long, default_value_t = 300)]
    rate_limit: u32,
    /// Conversation snapshots per second in the firehose scenario.
    #[arg(long, default_value_t = 200)]
    firehose_rate: u32,
    /// Additional registered OAuth client id (repeatable); wrapup-live-demo is always registered.
    #[arg(long = "client-id")]
    client_ids: Vec<String>,
    /// Start with traffic paused until POST /sim/resume.
    #[arg(long)]
    paused: bool,
    /// Do not log one line per request.
    #[arg(long)]
    quiet: bool,
}

/// An on/off CLI value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Switch {
    On,
    Off,
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.0))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut client_ids = vec!["wrapup-live-demo".to_string()];
    client_ids.extend(
        cli.client_ids
            .into_iter()
            .filter(|c| c != "wrapup-live-demo"),
    );
    let config = Config {
        host: cli.host,
        port: cli.port,
        seed: cli.seed,
        agents: cli.agents,
        queues: cli.queues,
        speed: cli.speed,
        scenario: cli.scenario,
        analytics_lag: secs(cli.analytics_lag),
        wrapup_segment_lag: secs(cli.wrapup_lag),
        datalake_lag: secs(cli.datalake_lag),
        token_lifetime: Duration::from_secs(cli.token_lifetime.max(1)),
        pkce_refresh_tokens: cli
            .pkce_refresh_tokens
            .map_or(Config::default().pkce_refresh_tokens, |s| s == Switch::On),
        channel_lifetime: secs(cli.channel_lifetime.max(1.0)),
        heartbeat: secs(cli.heartbeat_secs.max(0.01)),
        rate_limit_per_minute: cli.rate_limit,
        firehose_rate: cli.firehose_rate,
        client_ids,
        start_paused: cli.paused,
        log_requests: !cli.quiet,
        ..Config::default()
    };
    let sim = gc_sim::spawn(config).await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "gc-sim listening on {}", sim.base_url())?;
        out.flush()?;
    }
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = sim.stopped() => {}
    }
    sim.shutdown().await;
    Ok(())
}
