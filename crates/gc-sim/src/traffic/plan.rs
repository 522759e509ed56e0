//! Plan types: a complete script for one conversation (media, queue, legs, outcomes, durations),
//! decided up front so the runner only plays it.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::store::conversation::{CallbackInfo, Media, Origin, Outcome};
use crate::store::directory::QueuePrompt;

/// What ends a leg's after-call work.
#[derive(Debug, Clone, PartialEq)]
pub enum AcwPlan {
    /// No ACW for this leg (`wrapupRequired: false`).
    NotRequired,
    /// The agent submits `code` after `secs`.
    Submit {
        /// Wrap-up code id.
        code: Uuid,
        /// Notes.
        notes: Option<String>,
        /// Seconds in ACW.
        secs: f64,
    },
    /// The agent skips ACW after `secs` (0 = at once, giving a zero-length wrapup segment).
    Skip {
        /// Seconds in ACW.
        secs: f64,
    },
    /// Nobody codes; after `wrapupTimeoutMs` the system applies `ININ-WRAP-UP-TIMEOUT`.
    Timeout,
}

/// How an agent leg goes.
#[derive(Debug, Clone, PartialEq)]
pub enum LegKind {
    /// Alerts, then times out without being answered.
    NotAnswered,
    /// Answered; talks for `talk` seconds; then transfers away or the customer hangs up.
    Answered {
        /// Talk seconds.
        talk: f64,
        /// Ends with a transfer to the next leg.
        transfer_out: bool,
        /// After-call work.
        acw: AcwPlan,
    },
}

/// One agent leg of a plan.
#[derive(Debug, Clone)]
pub struct LegPlan {
    /// Participant id.
    pub participant_id: Uuid,
    /// Communication id.
    pub comm_id: Uuid,
    /// Agent.
    pub user_id: Uuid,
    /// Seconds alerting.
    pub alert: f64,
    /// The ACW prompt the leg shows (rendered in its participant-side spelling).
    pub prompt: QueuePrompt,
    /// `wrapupTimeoutMs`.
    pub timeout_ms: Option<u64>,
    /// What happens.
    pub kind: LegKind,
    /// Milliseconds the wrapup segment starts before the interact segment ends (realistic overlap).
    pub overlap_ms: i64,
}

impl LegPlan {
    /// The outcome this leg will end with.
    pub fn outcome(&self) -> Outcome {
        match &self.kind {
            LegKind::NotAnswered => Outcome::NotRequired,
            LegKind::Answered { acw, .. } => match acw {
                AcwPlan::NotRequired => Outcome::NotRequired,
                AcwPlan::Submit { .. } => Outcome::Submitted,
                AcwPlan::Skip { .. } => Outcome::Skipped,
                AcwPlan::Timeout => Outcome::TimedOut,
            },
        }
    }
}

/// Where a conversation without an agent ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abandon {
    /// Reaches agents.
    No,
    /// Customer hangs up in the IVR (IVR-only conversation).
    InIvr,
    /// Customer hangs up while queued.
    InQueue,
}

/// A complete, seeded script for one conversation.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Conversation id.
    pub conversation_id: Uuid,
    /// Media.
    pub media: Media,
    /// Queue.
    pub queue_id: Uuid,
    /// Origin.
    pub origin: Origin,
    /// Customer participant and communication ids.
    pub customer: (Uuid, Uuid),
    /// Customer display name.
    pub customer_name: String,
    /// Customer address.
    pub customer_address: String,
    /// IVR participant, communication and seconds (voice only).
    pub ivr: Option<(Uuid, Uuid, f64)>,
    /// ACD participant and communication ids.
    pub acd: (Uuid, Uuid),
    /// Seconds waiting in queue before the first alert.
    pub queue_wait: f64,
    /// Abandonment.
    pub abandon: Abandon,
    /// Agent legs in order.
    pub legs: Vec<LegPlan>,
    /// Participant data for the customer and ACD participants.
    pub attributes: BTreeMap<String, String>,
    /// Callback details (callback media).
    pub callback: Option<CallbackInfo>,
    /// Email subject.
    pub subject: Option<String>,
    /// Per-conversation analytics lag factor.
    pub lag_factor: f64,
}

/// Tunables for generated durations (simulated seconds).
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// Multiplier on every duration (warm-up uses a small one so the feed fills at once).
    pub scale: f64,
}
