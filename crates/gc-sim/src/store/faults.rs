//! Fault switches as stored: the persistent settings `POST /sim/faults` flips and the HTTP
//! middleware and socket tasks consult (one-shot fault actions live in `crate::faults`).

use serde::Serialize;

use crate::config::Config;

/// Persistent switches consulted by the HTTP middleware and the socket tasks.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Faults {
    /// Requests per minute per user + client (default from `--rate-limit`, reference §9: 300).
    pub rate_limit_per_minute: u32,
    /// The next N `/api/v2` requests answer 429 (`Retry-After: 1`).
    #[serde(rename = "force429")]
    pub force_429: u32,
    /// The next N `/api/v2` requests answer 503 (counted after `force429`'s scope check, before auth).
    #[serde(rename = "force503")]
    pub force_503: u32,
    /// When set, `force429` and `force503` only hit `/api/v2` requests whose path and query contain this
    /// text (e.g. `cursor=` for job result pages after the first), so a test can aim them.
    pub fault_path: Option<String>,
    /// Fraction (0..1) of `/api/v2` requests answered 503.
    #[serde(rename = "error503Rate")]
    pub error_503_rate: f64,
    /// Extra latency added to every `/api/v2` response.
    pub delay_ms: u64,
    /// Stop sending `channel.metadata` heartbeats (missed-heartbeat fault).
    pub pause_heartbeats: bool,
    /// The next N analytics jobs end FAILED.
    pub fail_jobs: u32,
    /// The PKCE token answer carries a `refresh_token` and the refresh grant works (default from
    /// `--pkce-refresh-tokens`; UNCONFIRMED, see `unconfirmed::PKCE_REFRESH_TOKENS`).
    pub pkce_refresh_tokens: bool,
}

impl Faults {
    /// No faults; the rate limit and refresh-token switch as configured.
    pub fn new(cfg: &Config) -> Self {
        Self {
            rate_limit_per_minute: cfg.rate_limit_per_minute,
            force_429: 0,
            force_503: 0,
            fault_path: None,
            error_503_rate: 0.0,
            delay_ms: 0,
            pause_heartbeats: false,
            fail_jobs: 0,
            pkce_refresh_tokens: cfg.pkce_refresh_tokens,
        }
    }
}
