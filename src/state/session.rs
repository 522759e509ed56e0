//! Who is signed in, to what, until when, how the token is renewed, and the health of the live link.
//! Pure reducer: it holds facts (the token, its expiry, the link), never a client or a socket.

use std::rc::Rc;

use wrapup_core::directory::{NamedEntity, UserMe};
use wrapup_core::platform::Launch;
use yew::Reducible;

use crate::types::live::{Link, Recovery, Setback, Watch};
use crate::types::shared::LinkRole;
use crate::types::sign_in::{AccessToken, RefreshToken, SignInReturn, TokenGrant};

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
    /// Back from the sign-in page with a verified response; the token request may still be in flight.
    CompletingSignIn {
        launch: Launch,
        sign_in: SignInReturn,
    },
    /// Signed in: the token (memory only) and when it lapses (ms since epoch), if the platform said.
    SignedIn {
        launch: Launch,
        token: AccessToken,
        expires_at_ms: Option<f64>,
    },
    /// The token expired or was revoked while in use; the feed stays, sign-in is offered.
    Expired { launch: Launch, problem: String },
    /// This page is a sign-in popup that handed its response to the frame that opened it.
    HandedBack,
}

impl Phase {
    /// The launch, unless it was unusable.
    pub fn launch(&self) -> Option<&Launch> {
        match self {
            Self::BadLaunch(_) | Self::HandedBack => None,
            Self::SignedOut { launch, .. }
            | Self::CompletingSignIn { launch, .. }
            | Self::SignedIn { launch, .. }
            | Self::Expired { launch, .. } => Some(launch),
        }
    }
}

/// Where renewing the signed-in token stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Renewal {
    /// Nothing to show: the token is fresh, or a refresh is scheduled in the background.
    #[default]
    Quiet,
    /// The platform answered 401 and a refresh token is held: refresh at once.
    RefreshNow,
    /// No silent refresh is possible: offer "Renew sign-in"; `problem` says why a refresh failed, if one did.
    Due { problem: Option<String> },
}

/// What the watch picker can offer: the org's queues and agents, fetched when it first opens.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum WatchChoices {
    /// The picker has not been opened.
    #[default]
    NotAsked,
    /// Being fetched.
    Loading,
    /// The queues and users the signed-in person may see, by name.
    Loaded {
        queues: Rc<Vec<NamedEntity>>,
        agents: Rc<Vec<NamedEntity>>,
    },
    /// Fetching failed; the text says why and what to do.
    Failed(String),
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
    /// What the feed watches: first the mode the sign-in `state` carried, then what the person picks.
    pub watching: Watch,
    /// The queues and agents the person can pick from, once asked for.
    pub watch_choices: WatchChoices,
    /// The code flow's refresh token, memory only; `None` means renewing takes a redirect.
    pub refresh_token: Option<RefreshToken>,
    /// Where renewing the token stands.
    pub renewal: Renewal,
    /// Whether this instance leads or follows the browser's shared link; `None` while deciding or signed out.
    pub role: Option<LinkRole>,
    /// The host sent the `stop` lifecycle hook: the link is paused until it shows the app again.
    pub host_stopped: bool,
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
            watching: Watch::default(),
            watch_choices: WatchChoices::NotAsked,
            refresh_token: None,
            renewal: Renewal::Quiet,
            role: None,
            host_stopped: false,
        }
    }

    /// When the signed-in token lapses (ms since epoch), if signed in and the platform said.
    pub fn expires_at_ms(&self) -> Option<f64> {
        match &self.phase {
            Phase::SignedIn { expires_at_ms, .. } => *expires_at_ms,
            _ => None,
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
    /// A token arrived: the sign-in finished, or a refresh replaced the token.
    SignedIn(TokenGrant),
    /// The token lapses soon and cannot be refreshed silently.
    RenewalDue,
    /// A silent refresh was refused or failed; the text says why.
    RefreshFailed(String),
    /// The token no longer works (401 or lifetime over). With a refresh token, a refresh is tried first.
    Expired(String),
    /// A non-recoverable failure; sign in again to retry.
    Failed(String),
    /// Watch something else from now on (the engine restarts with the new topics).
    Watch(Watch),
    /// Where fetching the picker's queues and agents stands.
    WatchChoices(WatchChoices),
    /// Forget the token (memory only, so this is complete).
    SignOut,
    /// A sign-in popup came back verified: finish it as a redirect would.
    Returned(SignInReturn),
    /// This instance now leads or follows the shared link (`None`: neither, e.g. paused).
    Role(Option<LinkRole>),
    /// The host stopped the app (`true`) or showed it again (`false`).
    HostStopped(bool),
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
            // Only a signed-in session has a link: an engine winding down after expiry says nothing.
            SessionAction::Link(link) if matches!(next.phase, Phase::SignedIn { .. }) => {
                next.link = Some(link)
            }
            SessionAction::Link(_) => {}
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
            SessionAction::SignedIn(grant) => {
                let launch = match &next.phase {
                    Phase::CompletingSignIn { launch, sign_in } => {
                        next.watching = Watch::from(sign_in.watch);
                        Some(launch.clone())
                    }
                    Phase::SignedIn { launch, .. } | Phase::Expired { launch, .. } => {
                        Some(launch.clone())
                    }
                    Phase::SignedOut { .. } | Phase::BadLaunch(_) | Phase::HandedBack => None,
                };
                if let Some(launch) = launch {
                    // RFC 6749 §6: a refresh answer without a new refresh token leaves the old one valid.
                    next.refresh_token = grant.refresh_token.or(next.refresh_token.take());
                    next.renewal = Renewal::Quiet;
                    next.phase = Phase::SignedIn {
                        launch,
                        token: grant.token,
                        expires_at_ms: grant.expires_at_ms,
                    };
                }
            }
            SessionAction::RenewalDue => {
                if matches!(next.phase, Phase::SignedIn { .. }) && next.renewal == Renewal::Quiet {
                    next.renewal = Renewal::Due { problem: None };
                }
            }
            SessionAction::RefreshFailed(problem) => {
                next.refresh_token = None;
                if next.renewal == Renewal::RefreshNow {
                    // The token was already refused, so without a new one the feed cannot stay live.
                    expire(&mut next, problem);
                } else if matches!(next.phase, Phase::SignedIn { .. }) {
                    next.renewal = Renewal::Due {
                        problem: Some(problem),
                    };
                }
            }
            SessionAction::Expired(_)
                if next.refresh_token.is_some() && matches!(next.phase, Phase::SignedIn { .. }) =>
            {
                next.renewal = Renewal::RefreshNow;
            }
            SessionAction::Expired(problem) | SessionAction::Failed(problem) => match &next.phase {
                Phase::CompletingSignIn { launch, .. } => {
                    next.phase = Phase::SignedOut {
                        launch: launch.clone(),
                        problem: Some(problem),
                    };
                }
                Phase::SignedIn { .. } => expire(&mut next, problem),
                Phase::SignedOut { launch, .. } => {
                    next.phase = Phase::SignedOut {
                        launch: launch.clone(),
                        problem: Some(problem),
                    };
                }
                Phase::Expired { .. } | Phase::BadLaunch(_) | Phase::HandedBack => {}
            },
            SessionAction::Watch(watch) if watch != next.watching => {
                // Refusals belonged to the old topics; the new ones get their own answer.
                next.rejected_topics.clear();
                next.watching = watch;
            }
            SessionAction::Watch(_) => {}
            SessionAction::WatchChoices(choices) => next.watch_choices = choices,
            SessionAction::Returned(sign_in) => match &next.phase {
                Phase::SignedOut { launch, .. }
                | Phase::SignedIn { launch, .. }
                | Phase::Expired { launch, .. } => {
                    next.phase = Phase::CompletingSignIn {
                        launch: launch.clone(),
                        sign_in,
                    };
                }
                Phase::CompletingSignIn { .. } | Phase::BadLaunch(_) | Phase::HandedBack => {}
            },
            SessionAction::Role(role) => next.role = role,
            SessionAction::HostStopped(stopped) => {
                next.host_stopped = stopped;
                if stopped {
                    next.role = None;
                }
            }
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

/// The token stopped working: keep the feed, drop the link, offer sign-in.
fn expire(state: &mut SessionState, problem: String) {
    if let Phase::SignedIn { launch, .. } = &state.phase {
        state.phase = Phase::Expired {
            launch: launch.clone(),
            problem,
        };
        state.link = None;
        state.refresh_token = None;
        state.renewal = Renewal::Quiet;
        // The engine has stopped, so nothing is being retried any more.
        state.setbacks.clear();
    }
}

#[cfg(test)]
mod tests;
