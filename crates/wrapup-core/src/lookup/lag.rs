//! The lag probe's arithmetic: whether analytics has indexed a wrap-up the feed saw live, and the lag
//! distribution of the samples taken. The person's own answer to "is this standard latency?".

use std::time::Duration;

use crate::diagnosis::{Verdict, explain};
use crate::model::analytics::Conversation;

/// Polls of one sampled wrap-up: every 5 s, so the probe stays at 12 requests a minute.
pub const PROBE_EVERY: Duration = Duration::from_secs(5);

/// A sampled wrap-up not indexed after this long is counted as given up (the mission's worst case).
pub const PROBE_GIVE_UP: Duration = Duration::from_secs(15 * 60);

/// Whether `record` already carries the wrap-up code `code` for agent leg `participant_id`.
pub fn code_indexed(record: &Conversation, participant_id: &str, code: &str) -> bool {
    explain(record).verdicts.iter().any(|leg| {
        leg.participant_id.as_deref() == Some(participant_id)
            && leg.verdict == Verdict::Coded
            && leg.code.as_deref() == Some(code)
    })
}

/// The measured lags: how many, and their median, 90th percentile and maximum (nearest rank).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LagStats {
    /// Samples measured.
    pub samples: usize,
    /// Half the wrap-ups were indexed within this.
    pub p50: Duration,
    /// Nine in ten were indexed within this.
    pub p90: Duration,
    /// The slowest.
    pub max: Duration,
}

/// The distribution of `lags`, or `None` without samples.
pub fn lag_stats(lags: &[Duration]) -> Option<LagStats> {
    if lags.is_empty() {
        return None;
    }
    let mut sorted = lags.to_vec();
    sorted.sort_unstable();
    let rank = |p: usize| sorted[(p * sorted.len()).div_ceil(100).max(1) - 1];
    Some(LagStats {
        samples: sorted.len(),
        p50: rank(50),
        p90: rank(90),
        max: *sorted.last()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::explain_json;

    fn secs(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|s| Duration::from_secs(*s)).collect()
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        assert_eq!(lag_stats(&[]), None);
        let one = lag_stats(&secs(&[42])).unwrap();
        assert_eq!(
            (one.samples, one.p50, one.p90, one.max),
            (
                1,
                Duration::from_secs(42),
                Duration::from_secs(42),
                Duration::from_secs(42)
            )
        );
        let ten = lag_stats(&secs(&[90, 10, 20, 30, 40, 50, 60, 70, 80, 100])).unwrap();
        assert_eq!(ten.p50, Duration::from_secs(50));
        assert_eq!(ten.p90, Duration::from_secs(90));
        assert_eq!(ten.max, Duration::from_secs(100));
        let three = lag_stats(&secs(&[7, 3, 5])).unwrap();
        assert_eq!(
            (three.p50, three.p90),
            (Duration::from_secs(5), Duration::from_secs(7))
        );
    }

    #[test]
    fn a_code_counts_as_indexed_only_on_its_own_leg_and_when_it_matches() {
        let json = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/explain/coded.json"
        ))
        .unwrap();
        let record: Conversation = serde_json::from_str(&json).unwrap();
        let leg = explain_json(&json)
            .unwrap()
            .verdicts
            .into_iter()
            .find(|l| l.verdict == Verdict::Coded)
            .expect("the fixture has a coded leg");
        let (participant, code) = (leg.participant_id.unwrap(), leg.code.unwrap());
        assert!(code_indexed(&record, &participant, &code));
        assert!(!code_indexed(&record, &participant, "another-code"));
        assert!(!code_indexed(&record, "another-participant", &code));
    }
}
