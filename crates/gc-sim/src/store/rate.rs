//! Rate-limit windows as stored: one fixed one-minute window per user + OAuth client, counted
//! by the `/api/v2` middleware; and a sliding minute per caller, for the busiest minute a client
//! ever had (what a chaos run checks against the 300-a-minute budget).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Request times of one user + client over the last minute, and the most ever seen in a minute.
#[derive(Debug, Clone, Default)]
pub struct SlidingMinute {
    times: VecDeque<Instant>,
    busiest: usize,
}

impl SlidingMinute {
    /// Count a request at `at`; returns the most requests seen in any 60 s so far.
    pub fn count(&mut self, at: Instant) -> usize {
        while self
            .times
            .front()
            .is_some_and(|t| at.duration_since(*t) >= Duration::from_secs(60))
        {
            self.times.pop_front();
        }
        self.times.push_back(at);
        self.busiest = self.busiest.max(self.times.len());
        self.busiest
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busiest_minute_slides_across_window_edges() {
        let start = Instant::now();
        let mut minute = SlidingMinute::default();
        // 5 requests at 50 s and 5 at 70 s: no fixed minute holds all 10, the sliding one does.
        for _ in 0..5 {
            minute.count(start + Duration::from_secs(50));
        }
        for _ in 0..5 {
            minute.count(start + Duration::from_secs(70));
        }
        assert_eq!(minute.count(start + Duration::from_secs(71)), 11);
        // Two minutes later only the newest request is in the window; the record stays.
        assert_eq!(minute.count(start + Duration::from_secs(200)), 11);
        assert_eq!(minute.times.len(), 1);
    }
}
