//! What the live engine reports: the link's state, outcomes, names, and the setbacks it is still
//! working through. The engine emits these; reducers store them; it never touches the DOM.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use wrapup_core::directory::{NamedEntity, UserMe};
use wrapup_core::oauth::state::WatchMode;
use wrapup_core::tracker::WrapUpOutcome;

use super::error::ApiError;
use super::names::Names;
use super::saved::SavedRow;

/// The socket's state as the person sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Link {
    /// Setting up identity, channel and subscriptions.
    Connecting,
    /// Socket open and subscribed.
    Live,
    /// Lost; trying again after a wait. `reason` says why it dropped.
    Reconnecting { attempt: u32, reason: String },
    /// Lost; the next try starts at `retry_at_ms` (ms since the epoch), for a countdown.
    Waiting {
        attempt: u32,
        reason: String,
        retry_at_ms: u64,
    },
    /// Stopped for good until the person acts (e.g. signs in again); `reason` says why.
    Offline { reason: String },
}

/// Whose conversations the feed watches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Watch {
    /// The signed-in user's own conversations.
    Me,
    /// The queues the signed-in user belongs to (`routing/queues/me`): a supervisor sees wrap-ups at once.
    #[default]
    MyQueues,
    /// Picked queues (ids).
    Queues(Vec<String>),
    /// Picked agents (user ids).
    Agents(Vec<String>),
}

impl From<WatchMode> for Watch {
    /// The watch a sign-in's mode starts with. Agents are picked after sign-in (their ids are not in
    /// `state`), so until then the agents mode watches the person's queues.
    fn from(mode: WatchMode) -> Self {
        match mode {
            WatchMode::Me => Watch::Me,
            WatchMode::Queues | WatchMode::Agents => Watch::MyQueues,
        }
    }
}

/// Something the engine has not managed to get yet and keeps retrying.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Recovery {
    /// Directory names for ids in the feed.
    Names,
    /// Re-reading the active conversations after the socket (re)opened.
    Backfill,
    /// Reading the conversations a gap in the link may have hidden.
    Gap,
}

/// A failure the engine will retry by itself, with what it means for the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setback {
    /// Names for `ids` could not be looked up (`reason`); asked again in `retry_in`.
    Names {
        ids: Vec<String>,
        reason: String,
        retry_in: Duration,
    },
    /// The active conversations could not be re-read (`reason`); tried again in `retry_in`.
    Backfill { reason: String, retry_in: Duration },
    /// The link was down; `conversations` are still to be read, and analytics is searched again while
    /// `searching` (conversations that began and ended in the gap show up there late).
    Gap {
        conversations: usize,
        searching: bool,
    },
}

impl Setback {
    /// What is being retried.
    pub fn recovery(&self) -> Recovery {
        match self {
            Self::Names { .. } => Recovery::Names,
            Self::Backfill { .. } => Recovery::Backfill,
            Self::Gap { .. } => Recovery::Gap,
        }
    }

    /// What happened, what it means and what happens next, for a notice.
    pub fn message(&self) -> String {
        match self {
            Self::Names {
                ids,
                reason,
                retry_in,
            } => format!(
                "Could not look up {} name(s) yet: {reason} Rows show short ids until the next try in {} s.",
                ids.len(),
                retry_in.as_secs_f64().ceil()
            ),
            Self::Backfill { reason, retry_in } => format!(
                "Could not re-read the active conversations after connecting: {reason} Wrap-ups that ended while the connection was down may be missing until the next try in {} s.",
                retry_in.as_secs_f64().ceil()
            ),
            Self::Gap {
                conversations,
                searching,
            } => {
                let search = if *searching {
                    " Analytics is searched again for conversations that started and ended while the link was down; it indexes them within minutes."
                } else {
                    ""
                };
                if *conversations == 0 {
                    format!(
                        "The feed was not connected for a while. Recovering what it may have missed: wrap-ups found appear marked as recovered.{search}"
                    )
                } else {
                    format!(
                        "The feed was not connected for a while. Recovering {conversations} conversation(s) that may have ended meanwhile; their wrap-ups appear marked as recovered.{search}"
                    )
                }
            }
        }
    }
}

/// What the engine reports to the UI.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveEvent {
    /// Who is signed in and which queues are watched.
    Identity {
        me: UserMe,
        queues: Vec<NamedEntity>,
    },
    /// The link changed state.
    Link(Link),
    /// A heartbeat or pong arrived: the link is healthy.
    Heartbeat,
    /// Agent legs whose outcome just became known, in order.
    Outcomes(Vec<WrapUpOutcome>),
    /// Agent legs whose outcome was recovered after a gap in the link (read by id, not seen live).
    RecoveredOutcomes(Vec<WrapUpOutcome>),
    /// Legs currently in after-call work.
    Pending(Vec<WrapUpOutcome>),
    /// The conversations the tracker has open, when that changed (saved, so a reload can read them).
    OpenConversations(Vec<String>),
    /// Names resolved (or found unresolvable) for ids seen so far.
    Names(Names),
    /// Topics the platform refused (permissions).
    Rejected(Vec<String>),
    /// A frame the parser could not read; it was skipped and counted.
    Malformed(String),
    /// Something failed and will be retried; the person is told what is missing meanwhile.
    Setback(Setback),
    /// A setback is over.
    Recovered(Recovery),
    /// The platform refused the token (401). The engine keeps its state and retries: a refreshed
    /// sign-in lets it carry on; without one the session ends and the engine with it.
    SignInLapsed(ApiError),
    /// Rows another instance of this browser already showed (a follower catching up with the leader).
    Shown(Vec<SavedRow>),
    /// A raw socket frame, as received, kept for "Download frames" (the format `wrapup replay` reads).
    Frame(String),
    /// A failure the engine cannot get past by itself (e.g. token expired); it has stopped.
    Stopped(ApiError),
}
