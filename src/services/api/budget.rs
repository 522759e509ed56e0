//! The request budget: Genesys allows 300 requests a minute per user and OAuth client (reference §9),
//! so every request waits for a token from one bucket shared by all clones of the client. Pure: time is passed in.

use std::time::Duration;

/// The platform's limit per user and client (`org.app.user.rate.per.minute`).
pub const PLATFORM_LIMIT_PER_MINUTE: u32 = 300;

/// A token bucket: `burst` requests at once, then `per_minute` spread evenly. In any 60 s window at most
/// `burst + per_minute` requests start, so the defaults (40 + 240 = 280) stay under the platform's 300 with
/// room for a second tab or a retry that was already on its way.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestBudget {
    burst: f64,
    per_ms: f64,
    /// Tokens left; below zero, requests already promised a later start.
    tokens: f64,
    last_ms: f64,
}

impl Default for RequestBudget {
    fn default() -> Self {
        Self::new(40, 240)
    }
}

impl RequestBudget {
    /// A full bucket of `burst` refilled at `per_minute`.
    pub fn new(burst: u32, per_minute: u32) -> Self {
        Self {
            burst: f64::from(burst.max(1)),
            per_ms: f64::from(per_minute.max(1)) / 60_000.0,
            tokens: f64::from(burst.max(1)),
            last_ms: f64::NAN,
        }
    }

    /// Most requests this budget can start in any minute.
    pub fn most_per_minute(&self) -> u32 {
        (self.burst + self.per_ms * 60_000.0).floor() as u32
    }

    /// Take one request's token at `now_ms`: the wait before the request may start (zero when a token is
    /// there). Callers that reserve later wait longer, in order.
    pub fn reserve(&mut self, now_ms: f64) -> Duration {
        self.refill(now_ms);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.per_ms / 1000.0)
        }
    }

    /// The platform answered 429 with `Retry-After`: no request starts before `now_ms + wait`.
    pub fn hold(&mut self, now_ms: f64, wait: Duration) {
        self.refill(now_ms);
        let hold = wait.as_secs_f64() * 1000.0 * self.per_ms;
        // The next reservation waits (1 - tokens) / rate: at least `wait` once tokens ≤ 1 - hold.
        self.tokens = self.tokens.min(1.0 - hold);
    }

    fn refill(&mut self, now_ms: f64) {
        if self.last_ms.is_nan() {
            self.last_ms = now_ms;
        }
        let elapsed = (now_ms - self.last_ms).max(0.0);
        self.tokens = (self.tokens + elapsed * self.per_ms).min(self.burst);
        self.last_ms = self.last_ms.max(now_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Start times of `count` requests each sent as soon as the budget allows, asked for at `asked_every_ms`.
    fn start_times(budget: &mut RequestBudget, count: usize, asked_every_ms: f64) -> Vec<f64> {
        (0..count)
            .map(|i| {
                let asked = i as f64 * asked_every_ms;
                asked + budget.reserve(asked).as_secs_f64() * 1000.0
            })
            .collect()
    }

    fn busiest_minute(starts: &[f64]) -> usize {
        starts
            .iter()
            .map(|&from| {
                starts
                    .iter()
                    .filter(|&&t| t >= from && t < from + 60_000.0)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn a_burst_starts_at_once_and_the_rest_is_spread_evenly() {
        let mut budget = RequestBudget::new(40, 240);
        let starts = start_times(&mut budget, 42, 0.0);
        assert!(starts[..40].iter().all(|&t| t == 0.0));
        assert!((starts[40] - 250.0).abs() < 1e-6, "{}", starts[40]);
        assert!((starts[41] - 500.0).abs() < 1e-6, "{}", starts[41]);
    }

    #[test]
    fn no_minute_ever_holds_more_than_the_platform_allows() {
        let mut budget = RequestBudget::default();
        assert!(budget.most_per_minute() < PLATFORM_LIMIT_PER_MINUTE);
        // A recovery asking for 2,000 reads at once, then a trickle, then another flood.
        let mut starts = start_times(&mut budget, 2_000, 0.0);
        let later = *starts.last().unwrap() + 90_000.0;
        for i in 0..500 {
            let asked = later + f64::from(i) * 10.0;
            starts.push(asked + budget.reserve(asked).as_secs_f64() * 1000.0);
        }
        let busiest = busiest_minute(&starts);
        assert!(busiest <= budget.most_per_minute() as usize, "{busiest}");
        assert!(busiest <= PLATFORM_LIMIT_PER_MINUTE as usize);
    }

    #[test]
    fn an_idle_budget_refills_only_up_to_the_burst() {
        let mut budget = RequestBudget::new(2, 60);
        start_times(&mut budget, 2, 0.0);
        assert_eq!(budget.reserve(3_600_000.0), Duration::ZERO);
        assert_eq!(budget.reserve(3_600_000.0), Duration::ZERO);
        assert_eq!(budget.reserve(3_600_000.0), Duration::from_secs(1));
    }

    #[test]
    fn a_429_holds_every_request_until_retry_after_has_passed() {
        let mut budget = RequestBudget::new(40, 240);
        budget.reserve(0.0);
        budget.hold(0.0, Duration::from_secs(3));
        assert_eq!(budget.reserve(0.0), Duration::from_secs(3));
        // A hold shorter than the queue already promised does not move anyone earlier.
        let queued = budget.reserve(0.0);
        budget.hold(0.0, Duration::from_secs(1));
        assert!(budget.reserve(0.0) > queued);
    }
}
