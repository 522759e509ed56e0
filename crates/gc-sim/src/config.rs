//! Simulator configuration: the knobs shared by the CLI and the library API.
//! Durations marked "simulated" are divided by `speed`; the others are wall-clock.

use std::time::Duration;

/// Which background activity the simulator runs (`--scenario demo|idle|firehose|chaos`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    /// Steady, seeded contact-centre traffic at a demo-friendly pace.
    #[default]
    Demo,
    /// No background traffic: only conversations started through `/sim/conversations`
    /// or `POST /api/v2/conversations/callbacks` (what the tests use).
    Idle,
    /// `firehose_rate` conversation snapshots per second, for benchmarks.
    Firehose,
    /// Demo traffic plus a seeded, periodic mix of faults (see `faults::chaos_loop`).
    Chaos,
}

impl std::str::FromStr for Scenario {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        use serde::Deserialize;
        use serde::de::value::{Error, StrDeserializer};
        Self::deserialize(StrDeserializer::<Error>::new(s))
            .map_err(|_| format!("unknown scenario {s:?} (demo|idle|firehose|chaos)"))
    }
}

/// Everything that shapes a simulator run. Build with `Config { speed: 50.0, ..Config::default() }`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Interface to bind; must be a loopback address (`127.0.0.1`, `::1` or `localhost`).
    pub host: String,
    /// TCP port; `0` picks an ephemeral port.
    pub port: u16,
    /// Seed for the directory (users, queues, codes) and the traffic plans.
    pub seed: u64,
    /// Number of agents (the supervisor comes on top).
    pub agents: usize,
    /// Number of queues (1..=8).
    pub queues: usize,
    /// Time compression: every simulated duration is divided by this factor.
    pub speed: f64,
    /// Background activity.
    pub scenario: Scenario,
    /// Simulated delay before a conversation appears in analytics (details endpoints).
    pub analytics_lag: Duration,
    /// Extra simulated delay before a `wrapup` segment (and `tAcw`) appears in analytics.
    pub wrapup_segment_lag: Duration,
    /// Simulated delay between "now" and the async-jobs `dataAvailabilityDate`.
    pub datalake_lag: Duration,
    /// Wall-clock lifetime of access tokens issued by the sign-in flows and refreshes (`expires_in`).
    pub token_lifetime: Duration,
    /// Whether the PKCE code grant also returns a `refresh_token` (reference §2.5: UNCONFIRMED; the
    /// default is `unconfirmed::PKCE_REFRESH_TOKENS`). The implicit grant never gets one.
    pub pkce_refresh_tokens: bool,
    /// Wall-clock interval between `channel.metadata` heartbeats on each socket.
    pub heartbeat: Duration,
    /// Wall-clock lifetime of a notification channel (extended by re-subscribing).
    pub channel_lifetime: Duration,
    /// Wall-clock time a socket stays open after the channel-gone frame (`channelGoneMessage`)
    /// unless the client closes it first (default `unconfirmed::CHANNEL_GONE_MESSAGE_GRACE_SECS`).
    pub channel_gone_grace: Duration,
    /// Simulated grace between `v2.system.socket_closing` and the server closing the socket.
    pub socket_closing_grace: Duration,
    /// Requests per minute per user + OAuth client before 429.
    pub rate_limit_per_minute: u32,
    /// Registered OAuth client ids (all accept loopback redirect URIs).
    pub client_ids: Vec<String>,
    /// Conversation snapshots per second in the firehose scenario.
    pub firehose_rate: u32,
    /// Start with traffic paused (`POST /sim/resume` starts it): lets a client subscribe first.
    pub start_paused: bool,
    /// Log one line per request to stderr.
    pub log_requests: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 8787,
            seed: 42,
            agents: 8,
            queues: 4,
            speed: 1.0,
            scenario: Scenario::Demo,
            analytics_lag: Duration::from_secs(45),
            wrapup_segment_lag: Duration::from_secs(20),
            datalake_lag: Duration::from_secs(300),
            token_lifetime: Duration::from_secs(86_400),
            pkce_refresh_tokens: crate::unconfirmed::PKCE_REFRESH_TOKENS,
            heartbeat: Duration::from_secs(30),
            channel_lifetime: Duration::from_secs(24 * 3600),
            channel_gone_grace: Duration::from_secs(
                crate::unconfirmed::CHANNEL_GONE_MESSAGE_GRACE_SECS,
            ),
            socket_closing_grace: Duration::from_secs(60),
            rate_limit_per_minute: 300,
            client_ids: vec!["wrapup-live-demo".into()],
            firehose_rate: 200,
            start_paused: false,
            log_requests: true,
        }
    }
}
