//! Who is signed in, to what, until when, and the health of the live link. Pure reducer: it holds
//! facts (the token, its expiry, the link), never a client or a socket.

use std::rc::Rc;

use wrapup_core::directory::{NamedEntity, UserMe};
use wrapup_core::platform::Launch;
use yew::Reducible;

use crate::types::live::{Link, Recovery, Setback};
use crate::types::sign_in::AccessToken;

/// Where the session stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Launch parameters could not be used; nothing else can happen.
    BadLaunch(String),
    /// Needs sign-in; `problem` explains a previous failure, if any.
    SignedOut {
        launch: Launch,
        problem: Option<String>,
    },
    /// Signed in: the token (memory only) and when it lapses (ms since epoch), if the platform said.
    SignedIn {
        launch: Launch,
        token: AccessToken,
        expires_at_ms: Option<f64>,
    },
    /// The token expired or was revoked while in use; the feed stays, sign-in is offered.
    Expired { launch: Launch, problem: String },
}

impl Phase {
    /// The launch, unless it was unusable.
    pub fn launch(&self) -> Option<&Launch> {
        match self {
            Self::BadLaunch(_) => None,
            Self::SignedOut { launch, .. }
            | Self::SignedIn { launch, .. }
            | Self::Expired { launch, .. } => Some(launch),
        }
    }
}

/// Session and link state.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionState {
    /// Sign-in phase.
    pub phase: Phase,
    /// The signed-in user, once `users/me` answered.
    pub me: Option<UserMe>,
    /// Queues whose conversations are watched.
    pub queues: Vec<NamedEntity>,
    /// The socket's state; `None` before the engine starts.
    pub link: Option<Link>,
    /// Heartbeats/pongs received (shows liveness).
    pub heartbeats: u32,
    /// Frames skipped as unreadable, with the last reason.
    pub malformed: u32,
    /// Why the last malformed frame was skipped.
    pub last_malformed: Option<String>,
    /// Topics the platform refused.
    pub rejected_topics: Vec<String>,
    /// What the engine is still retrying, at most one per [`Recovery`], oldest first.
    pub setbacks: Vec<Setback>,
}

impl SessionState {
    /// A session starting in `phase`.
    pub fn new(phase: Phase) -> Self {
        Self {
            phase,
            me: None,
            queues: Vec::new(),
            link: None,
            heartbeats: 0,
            malformed: 0,
            last_malformed: None,
            rejected_topics: Vec::new(),
            setbacks: Vec::new(),
        }
    }
}

/// Changes to the session.
pub enum SessionAction {
    /// `users/me` and `queues/me` answered.
    Identity {
        me: UserMe,
        queues: Vec<NamedEntity>,
    },
    /// The link changed.
    Link(Link),
    /// A heartbeat or pong arrived.
    Heartbeat,
    /// A frame was skipped.
    Malformed(String),
    /// Topics were refused.
    Rejected(Vec<String>),
    /// Something failed and is being retried.
    Setback(Setback),
    /// A retried thing worked.
    Recovered(Recovery),
    /// The token no longer works.
    Expired(String),
    /// A non-recoverable failure; sign in again to retry.
    Failed(String),
    /// Forget the token (memory only, so this is complete).
    SignOut,
}

impl Reducible for SessionState {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            SessionAction::Identity { me, queues } => {
                next.me = Some(me);
                next.queues = queues;
            }
            SessionAction::Link(link) => next.link = Some(link),
            SessionAction::Heartbeat => next.heartbeats += 1,
            SessionAction::Malformed(reason) => {
                next.malformed += 1;
                next.last_malformed = Some(reason);
            }
            SessionAction::Rejected(topics) => next.rejected_topics = topics,
            SessionAction::Setback(setback) => {
                match next
                    .setbacks
                    .iter_mut()
                    .find(|s| s.recovery() == setback.recovery())
                {
                    Some(same) => *same = setback,
                    None => next.setbacks.push(setback),
                }
            }
            SessionAction::Recovered(recovery) => {
                next.setbacks.retain(|s| s.recovery() != recovery)
            }
            SessionAction::Expired(problem) | SessionAction::Failed(problem) => match &next.phase {
                Phase::SignedIn { launch, .. } => {
                    next.phase = Phase::Expired {
                        launch: launch.clone(),
                        problem,
                    };
                    next.link = None;
                    // The engine has stopped, so nothing is being retried any more.
                    next.setbacks.clear();
                }
                Phase::SignedOut { launch, .. } => {
                    next.phase = Phase::SignedOut {
                        launch: launch.clone(),
                        problem: Some(problem),
                    };
                }
                Phase::Expired { .. } | Phase::BadLaunch(_) => {}
            },
            SessionAction::SignOut => {
                if let Phase::SignedIn { launch, .. } | Phase::Expired { launch, .. } = &next.phase
                {
                    next = Self::new(Phase::SignedOut {
                        launch: launch.clone(),
                        problem: None,
                    });
                }
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests;
