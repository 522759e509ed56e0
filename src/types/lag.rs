//! The lag probe's values: a wrap-up seen live that is being looked for in analytics, and what the
//! probe reports about it.

use std::time::Duration;

/// A submitted wrap-up the feed showed live, to be found in analytics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeTarget {
    /// Its conversation.
    pub conversation_id: String,
    /// The agent leg.
    pub participant_id: String,
    /// The code the agent submitted.
    pub code: String,
    /// When the feed showed it (ms since the epoch).
    pub seen_live_ms: u64,
}

/// What the probe reports.
#[derive(Clone, Debug, PartialEq)]
pub enum LagEvent {
    /// Polling analytics for this wrap-up now; `None` while waiting for one to arrive live.
    Measuring(Option<ProbeTarget>),
    /// Analytics has the wrap-up's code, this long after the feed showed it.
    Measured { target: ProbeTarget, lag: Duration },
    /// Not indexed within the give-up time: counted, not measured.
    GaveUp(ProbeTarget),
    /// A request failed; the probe keeps trying. The text says what happened.
    Problem(String),
}
