//! Time for the simulator: wall-clock timestamps, speed-scaled sleeps, pause and shutdown.
//! Every lifecycle step sleeps through [`Clock::sleep`], so pausing or stopping the sim is one switch.

use std::time::Duration;

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// A point in time; always UTC.
pub type Ts = OffsetDateTime;

/// The current wall-clock time (timestamps in payloads are real time, durations are compressed).
pub fn now() -> Ts {
    OffsetDateTime::now_utc()
}

/// ISO-8601 with milliseconds and `Z`, the shape Genesys uses everywhere (`2024-04-29T10:15:03.123Z`).
pub fn iso(t: Ts) -> String {
    let fmt =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    t.to_offset(UtcOffset::UTC)
        .format(&fmt)
        .expect("formatting a UTC timestamp cannot fail")
}

/// Parses an RFC 3339 timestamp (what analytics intervals are made of).
pub fn parse_iso(s: &str) -> Option<Ts> {
    OffsetDateTime::parse(s, &Rfc3339)
        .ok()
        .map(|t| t.to_offset(UtcOffset::UTC))
}

/// Converts a std duration to a `time` duration.
pub fn td(d: Duration) -> time::Duration {
    time::Duration::try_from(d).unwrap_or(time::Duration::MAX)
}

/// Speed factor, pause switch and shutdown signal shared by every simulator task.
pub struct Clock {
    speed: f64,
    paused: watch::Sender<bool>,
    cancel: CancellationToken,
}

impl Clock {
    /// A running (unpaused) clock compressing time by `speed`.
    pub fn new(speed: f64, cancel: CancellationToken) -> Self {
        let speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            1.0
        };
        Self {
            speed,
            paused: watch::channel(false).0,
            cancel,
        }
    }

    /// The speed factor.
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Wall-clock length of a simulated duration.
    pub fn real(&self, sim: Duration) -> Duration {
        sim.div_f64(self.speed)
    }

    /// Wall-clock length of `secs` simulated seconds.
    pub fn real_secs(&self, secs: f64) -> Duration {
        self.real(Duration::from_secs_f64(secs.max(0.0)))
    }

    /// Sleeps a simulated duration, then waits while paused. `false` when the sim is shutting down.
    pub async fn sleep(&self, sim: Duration) -> bool {
        tokio::select! {
            _ = self.cancel.cancelled() => return false,
            _ = tokio::time::sleep(self.real(sim)) => {}
        }
        self.wait_unpaused().await
    }

    /// Sleeps `secs` simulated seconds (see [`Clock::sleep`]).
    pub async fn sleep_secs(&self, secs: f64) -> bool {
        self.sleep(Duration::from_secs_f64(secs.max(0.0))).await
    }

    /// Waits until traffic is resumed; `false` on shutdown.
    pub async fn wait_unpaused(&self) -> bool {
        let mut rx = self.paused.subscribe();
        tokio::select! {
            _ = self.cancel.cancelled() => false,
            r = rx.wait_for(|p| !*p) => r.is_ok(),
        }
    }

    /// Freezes (or unfreezes) traffic at the next lifecycle step.
    pub fn set_paused(&self, paused: bool) {
        self.paused.send_replace(paused);
    }

    /// Whether traffic is paused.
    pub fn is_paused(&self) -> bool {
        *self.paused.borrow()
    }

    /// Resolves when the simulator shuts down.
    pub async fn cancelled(&self) {
        self.cancel.cancelled().await
    }
}
