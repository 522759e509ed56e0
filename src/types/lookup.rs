//! What the conversation lookup service reports while it fetches one conversation: the real-time answer,
//! each analytics record it gets, why it is waiting and until when, and how it ended.

use std::rc::Rc;

use wrapup_core::diagnosis::Explanation;
use wrapup_core::lookup::crosscheck::RealtimeConversation;
use wrapup_core::model::analytics::Conversation;

/// One step of a lookup, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum LookupEvent {
    /// `GET /api/v2/conversations/{id}` answered: the conversation, `None` when the platform does not have it
    /// (404), or why the call failed.
    Realtime(Result<Option<Rc<RealtimeConversation>>, String>),
    /// An analytics record arrived, with its explanation; `pending` while its wrap-up is not indexed yet.
    Record {
        /// The record as fetched.
        record: Rc<Conversation>,
        /// `wrapup_core::diagnosis::explain` of it.
        explanation: Rc<Explanation>,
        /// More is expected: the service keeps fetching.
        pending: bool,
    },
    /// The service waits until `retry_at_ms` (ms since epoch) before fetching again.
    Waiting {
        /// Why.
        why: WaitReason,
        /// When the next try starts.
        retry_at_ms: f64,
        /// Tries so far.
        attempts: u32,
    },
    /// The record (or its wrap-up) did not appear before the deadline; the message says what to do.
    GaveUp(String),
    /// A failure retrying cannot fix (permission, sign-in, a bad answer).
    Failed(String),
}

/// Why a lookup is waiting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitReason {
    /// 404 or an empty record: analytics has not indexed the conversation yet.
    NotIndexed,
    /// The record is there but an agent leg's wrap-up is not (an `in_progress` verdict on an ended conversation).
    WrapupNotIndexed,
    /// 429: the platform asked to wait (`Retry-After`).
    Throttled,
    /// 502/503/504 or the network: worth another try.
    Unavailable(String),
}
