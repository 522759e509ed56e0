//! The one retry policy: exponential backoff with jitter, a cap and a deadline, where the server's
//! `Retry-After` wins. Reconnects, 429/503 handling and job polling all use it; pure, no clock.

use std::time::Duration;

/// Exponential backoff with jitter, a cap and an overall deadline; a server's `Retry-After` wins.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// Delay before the first retry (attempt 0).
    pub base: Duration,
    /// Growth per attempt (2.0 doubles).
    pub factor: f64,
    /// Largest computed delay (`Retry-After` may exceed it).
    pub cap: Duration,
    /// Give up once this much time has passed since the start.
    pub deadline: Duration,
    /// Fraction of each delay that is random, 0 (none) to 1 (full jitter): delay × (1 − jitter × r), r ∈ [0, 1).
    pub jitter: f64,
}

impl Default for Backoff {
    /// Polling an analytics job: 2 s doubling to 30 s, 20 % jitter, give up after 10 minutes.
    fn default() -> Self {
        Self {
            base: Duration::from_secs(2),
            factor: 2.0,
            cap: Duration::from_secs(30),
            deadline: Duration::from_secs(600),
            jitter: 0.2,
        }
    }
}

impl Backoff {
    /// Reconnecting the notification socket, as Genesys' streaming client does: 2 s doubling to 90 s, no deadline.
    pub fn reconnect() -> Self {
        Self {
            base: Duration::from_secs(2),
            factor: 2.0,
            cap: Duration::from_secs(90),
            deadline: Duration::MAX,
            jitter: 0.2,
        }
    }

    /// Retrying one REST call after a 429, 502, 503, 504 or a network failure: 1 s doubling to 16 s, given up
    /// after a minute so the person hears about an outage instead of waiting on a spinner.
    pub fn request() -> Self {
        Self {
            base: Duration::from_secs(1),
            factor: 2.0,
            cap: Duration::from_secs(16),
            deadline: Duration::from_secs(60),
            jitter: 0.2,
        }
    }

    /// Polling an analytics job (the [`Default`]).
    pub fn job_polling() -> Self {
        Self::default()
    }

    /// The delay before retry number `attempt` (from 0), `elapsed` after the first try, or `None` when it would
    /// end past the deadline.
    /// `retry_after` (the server's `Retry-After`) is used as is, without jitter or cap. `rng` returns values in
    /// [0, 1); out-of-range values are clamped.
    pub fn next_delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        elapsed: Duration,
        rng: &mut impl FnMut() -> f64,
    ) -> Option<Duration> {
        let delay = match retry_after {
            Some(server) => server,
            None => {
                let cap = self.cap.as_secs_f64();
                let exponent = i32::try_from(attempt).unwrap_or(i32::MAX);
                let raw = (self.base.as_secs_f64() * self.factor.max(1.0).powi(exponent)).min(cap);
                let raw = if raw.is_finite() { raw } else { cap };
                let jitter = if self.jitter.is_finite() {
                    self.jitter.clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let r = rng();
                let r = if r.is_finite() {
                    r.clamp(0.0, 1.0)
                } else {
                    0.0
                };
                Duration::try_from_secs_f64(raw * (1.0 - jitter * r)).unwrap_or(self.cap)
            }
        };
        (elapsed.saturating_add(delay) <= self.deadline).then_some(delay)
    }
}

/// Reads a `Retry-After` header: integer (or decimal) seconds, as the Genesys SDKs do. HTTP-dates are not used by
/// Genesys (reference §9) and give `None`.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never() -> impl FnMut() -> f64 {
        || 0.0
    }

    #[test]
    fn backoff_grows_exponentially_up_to_the_cap() {
        let backoff = Backoff {
            base: Duration::from_secs(1),
            factor: 2.0,
            cap: Duration::from_secs(10),
            deadline: Duration::from_secs(3600),
            jitter: 0.0,
        };
        let delays: Vec<u64> = (0..6)
            .map(|attempt| {
                backoff
                    .next_delay(attempt, None, Duration::ZERO, &mut never())
                    .unwrap()
                    .as_secs()
            })
            .collect();
        assert_eq!(delays, [1, 2, 4, 8, 10, 10]);
        assert_eq!(
            backoff.next_delay(u32::MAX, None, Duration::ZERO, &mut never()),
            Some(Duration::from_secs(10))
        );
    }

    #[test]
    fn jitter_takes_a_random_fraction_off() {
        let backoff = Backoff {
            jitter: 0.5,
            ..Backoff::default()
        };
        let mut half = || 0.5;
        // 2 s × (1 − 0.5 × 0.5) = 1.5 s
        assert_eq!(
            backoff.next_delay(0, None, Duration::ZERO, &mut half),
            Some(Duration::from_millis(1500))
        );
        let mut broken = || f64::NAN;
        assert_eq!(
            backoff.next_delay(0, None, Duration::ZERO, &mut broken),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn retry_after_wins_and_the_deadline_ends_the_wait() {
        let backoff = Backoff::default();
        assert_eq!(
            backoff.next_delay(
                0,
                Some(Duration::from_secs(45)),
                Duration::ZERO,
                &mut never()
            ),
            Some(Duration::from_secs(45))
        );
        let late = Duration::from_secs(599);
        assert_eq!(backoff.next_delay(0, None, late, &mut never()), None);
        assert_eq!(
            backoff.next_delay(0, Some(Duration::from_secs(1)), late, &mut never()),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn retry_after_is_read_as_seconds() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
