//! Who is signed in, to what, and the health of the live link. Pure reducer: no I/O.

use std::rc::Rc;

use wrapup_core::directory::{NamedEntity, UserMe};
use wrapup_core::platform::Launch;
use yew::Reducible;

use crate::services::api::Api;
use crate::services::live::Link;

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
    /// Signed in: the API client holds the token (memory only).
    SignedIn { launch: Launch, api: Api },
    /// The token expired or was revoked while in use; the feed stays, sign-in is offered.
    Expired { launch: Launch, problem: String },
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
            SessionAction::Expired(problem) | SessionAction::Failed(problem) => match &next.phase {
                Phase::SignedIn { launch, .. } => {
                    next.phase = Phase::Expired {
                        launch: launch.clone(),
                        problem,
                    };
                    next.link = None;
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
