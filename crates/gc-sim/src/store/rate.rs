//! Rate-limit windows as stored: one fixed one-minute window per user + OAuth client, counted
//! by the `/api/v2` middleware.

use std::time::{Duration, Instant};

/// A fixed one-minute rate-limit window for one user + client.
#[derive(Debug, Clone)]
pub struct RateWindow {
    started: Instant,
    count: u32,
}

impl RateWindow {
    /// Counts one request, starting a fresh window once a minute has passed; returns the
    /// requests counted in the window and the seconds until it resets (at least 1).
    pub fn count_request(&mut self) -> (u32, u64) {
        if self.started.elapsed() >= Duration::from_secs(60) {
            *self = Self::default();
        }
        self.count += 1;
        let reset_secs = 60u64
            .saturating_sub(self.started.elapsed().as_secs())
            .max(1);
        (self.count, reset_secs)
    }
}

impl Default for RateWindow {
    fn default() -> Self {
        Self {
            started: Instant::now(),
            count: 0,
        }
    }
}
