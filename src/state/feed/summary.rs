//! Counts over a set of rows: per outcome, per code, per agent and queue (for the filter lists),
//! and per minute of end time (for the chart). Kept incrementally: add and remove are O(1)-ish.

use std::collections::{BTreeMap, HashMap};

use wrapup_core::tracker::Outcome;

use super::row::FeedRow;

/// The four final outcomes, in chart and column order.
pub const OUTCOMES: [Outcome; 4] = [
    Outcome::Submitted,
    Outcome::TimedOut,
    Outcome::Skipped,
    Outcome::NotRequired,
];

/// Index of a final outcome in [`OUTCOMES`].
pub fn outcome_slot(outcome: Outcome) -> Option<usize> {
    OUTCOMES.iter().position(|o| *o == outcome)
}

/// Counts over a set of final rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows per outcome, in [`OUTCOMES`] order.
    pub per_outcome: [u32; 4],
    /// Rows per code id (`""` for rows without a code).
    pub per_code: HashMap<String, u32>,
    /// Rows per agent user id.
    pub per_agent: HashMap<String, u32>,
    /// Rows per queue id.
    pub per_queue: HashMap<String, u32>,
    /// Rows per minute of order time (ms / 60 000), per outcome.
    pub per_minute: BTreeMap<i64, [u32; 4]>,
}

impl Summary {
    /// Rows counted.
    pub fn total(&self) -> u32 {
        self.per_outcome.iter().sum()
    }

    /// Counts `row`, whose order time is `order_ms`.
    pub(super) fn add(&mut self, row: &FeedRow, order_ms: i64) {
        self.change(row, order_ms, true);
    }

    /// Stops counting `row`.
    pub(super) fn remove(&mut self, row: &FeedRow, order_ms: i64) {
        self.change(row, order_ms, false);
    }

    fn change(&mut self, row: &FeedRow, order_ms: i64, add: bool) {
        let Some(slot) = outcome_slot(row.outcome.outcome) else {
            return;
        };
        let step = |n: &mut u32| *n = if add { *n + 1 } else { n.saturating_sub(1) };
        step(&mut self.per_outcome[slot]);
        let o = &row.outcome;
        bump(&mut self.per_code, o.code.as_deref().unwrap_or(""), add);
        if let Some(user) = o.user_id.as_deref() {
            bump(&mut self.per_agent, user, add);
        }
        if let Some(queue) = o.queue_id.as_deref() {
            bump(&mut self.per_queue, queue, add);
        }
        let minute = order_ms.div_euclid(60_000);
        let counts = self.per_minute.entry(minute).or_default();
        step(&mut counts[slot]);
        if counts.iter().all(|n| *n == 0) {
            self.per_minute.remove(&minute);
        }
    }
}

fn bump(map: &mut HashMap<String, u32>, key: &str, add: bool) {
    if add {
        *map.entry(key.to_owned()).or_default() += 1;
    } else if let Some(n) = map.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            map.remove(key);
        }
    }
}
