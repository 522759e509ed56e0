//! One decided (or in-ACW) agent leg as the feed keeps it: plain data, saved and restored as is.

use serde::{Deserialize, Serialize};
use wrapup_core::export::RowSource;
use wrapup_core::model::parse_instant;
use wrapup_core::tracker::{LegKey, WrapUpOutcome};

use crate::types::saved::SavedRow;

/// One agent leg in the feed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedRow {
    /// What the tracker reported.
    pub outcome: WrapUpOutcome,
    /// When the widget received it (ms since epoch).
    pub received_at_ms: f64,
    /// Whether it came live or was found by gap recovery.
    pub source: RowSource,
}

impl From<SavedRow> for FeedRow {
    /// A row kept between page loads, back in the feed as it was.
    fn from(saved: SavedRow) -> Self {
        Self {
            outcome: saved.outcome,
            received_at_ms: saved.received_at_ms,
            source: saved.source,
        }
    }
}

impl FeedRow {
    /// A live row received at `received_at_ms`.
    pub fn live(outcome: WrapUpOutcome, received_at_ms: f64) -> Self {
        Self {
            outcome,
            received_at_ms,
            source: RowSource::Live,
        }
    }

    /// The leg's identity.
    pub fn key(&self) -> LegKey {
        self.outcome.leg_key()
    }

    /// When the wrap-up ended (ms since epoch), if the platform said and it reads as a time.
    pub fn end_ms(&self) -> Option<f64> {
        let at = parse_instant(self.outcome.end_time.as_deref()?)?;
        Some((at.unix_timestamp_nanos() / 1_000_000) as f64)
    }

    /// What the feed orders by: the end time, else when it arrived.
    pub fn order_ms(&self) -> i64 {
        self.end_ms().unwrap_or(self.received_at_ms) as i64
    }

    /// How long after the agent's Done the row appeared, when the end time is known.
    pub fn delay_ms(&self) -> Option<f64> {
        self.end_ms().map(|end| self.received_at_ms - end)
    }
}
