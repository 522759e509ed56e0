//! When to try a failed thing again: counts failures since the last success and asks the one
//! retry policy ([`Backoff`]) for the wait. Pure: the clock and randomness are passed in.

use std::time::Duration;

use wrapup_core::retry::Backoff;

/// A retry in progress: failures since the last success, since when, and when the next try is due.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RetrySchedule {
    failures: u32,
    since_ms: f64,
    due_ms: f64,
}

impl RetrySchedule {
    /// Record a failure at `now_ms` and return the wait before the next try. `retry_after` (the
    /// platform's word) wins over the computed delay; past the policy's deadline the wait is its cap.
    pub fn failed(
        &mut self,
        policy: &Backoff,
        retry_after: Option<Duration>,
        now_ms: f64,
        rng: &mut impl FnMut() -> f64,
    ) -> Duration {
        if self.failures == 0 {
            self.since_ms = now_ms;
        }
        let elapsed = Duration::from_secs_f64(((now_ms - self.since_ms) / 1000.0).max(0.0));
        let wait = policy
            .next_delay(self.failures, retry_after, elapsed, rng)
            .unwrap_or(policy.cap);
        self.failures = self.failures.saturating_add(1);
        self.due_ms = now_ms + wait.as_secs_f64() * 1000.0;
        wait
    }

    /// The thing worked: the next failure starts from the first delay again.
    pub fn succeeded(&mut self) {
        *self = Self::default();
    }

    /// Failures since the last success.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Whether the wait after the last failure is over (always, when nothing failed).
    pub fn is_due(&self, now_ms: f64) -> bool {
        now_ms >= self.due_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_and_a_success_starts_over() {
        let policy = Backoff::reconnect();
        let mut no_jitter = || 0.0;
        let mut schedule = RetrySchedule::default();
        assert!(schedule.is_due(0.0));
        assert_eq!(
            schedule.failed(&policy, None, 1_000.0, &mut no_jitter),
            Duration::from_secs(2)
        );
        assert!(!schedule.is_due(2_999.0));
        assert!(schedule.is_due(3_000.0));
        assert_eq!(
            schedule.failed(&policy, None, 3_000.0, &mut no_jitter),
            Duration::from_secs(4)
        );
        assert_eq!(schedule.failures(), 2);
        schedule.succeeded();
        assert_eq!(
            schedule.failed(&policy, None, 9_000.0, &mut no_jitter),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn the_platforms_retry_after_wins() {
        let mut schedule = RetrySchedule::default();
        let wait = schedule.failed(
            &Backoff::reconnect(),
            Some(Duration::from_secs(1)),
            0.0,
            &mut || 0.0,
        );
        assert_eq!(wait, Duration::from_secs(1));
        assert!(schedule.is_due(1_000.0));
    }

    #[test]
    fn past_the_deadline_the_wait_is_the_cap() {
        let policy = Backoff::request();
        let mut schedule = RetrySchedule::default();
        schedule.failed(&policy, None, 0.0, &mut || 0.0);
        let wait = schedule.failed(&policy, None, 61_000.0, &mut || 0.0);
        assert_eq!(wait, policy.cap);
    }
}
