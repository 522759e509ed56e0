//! The root component: takes the launch resolved at boot, builds the API client from the signed-in
//! fact, runs the live engine and lays out the page.

use futures::future::{AbortHandle, Abortable};
use gloo_timers::callback::Timeout;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::feed::Feed;
use crate::components::notice::{Notice, Tone};
use crate::components::sign_in_card::SignInCard;
use crate::components::top_bar::TopBar;
use crate::services::api::Api;
use crate::services::auth::{self, Start};
use crate::services::live::LiveEngine;
use crate::services::store::{self, FeedSaver};
use crate::state::feed::{FeedAction, FeedState};
use crate::state::session::{Phase, Renewal, SessionAction, SessionState};
use crate::types::live::LiveEvent;
use crate::types::saved::{RowSource, SavedRow, StoreKey};
use crate::types::sign_in::{refresh_delay_ms, renew_notice_delay_ms};
use wrapup_core::platform::Platform;
use wrapup_core::tracker::{Outcome, WrapUpOutcome};

/// What the page was launched into, as the session's first phase.
pub fn launch_phase(start: Start) -> Phase {
    match start {
        Start::Returned { launch, sign_in } => Phase::CompletingSignIn { launch, sign_in },
        Start::SignedOut { launch } => Phase::SignedOut {
            launch,
            problem: None,
        },
        Start::SignInFailed { launch, error } => Phase::SignedOut {
            launch,
            problem: Some(error.to_string()),
        },
        Start::BadLaunch(err) => Phase::BadLaunch(err.to_string()),
    }
}

/// Props for [`App`].
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The phase the page starts in (see [`launch_phase`]).
    pub phase: Phase,
}

/// The whole widget.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let session = {
        let phase = props.phase.clone();
        use_reducer(move || SessionState::new(phase))
    };
    let feed = use_reducer(FeedState::default);
    use_sign_in_completion(&session);
    use_token_renewal(&session);
    // The running sign-in's saver, so signing out can stop it; and why saving failed, if it did.
    let saver = use_mut_ref(|| None::<FeedSaver>);
    let store_problem = use_state(|| None::<String>);

    let (credentials, expires_at_ms) = match &session.phase {
        Phase::SignedIn {
            launch,
            token,
            expires_at_ms,
        } => (
            Some((launch.platform.clone(), token.clone())),
            *expires_at_ms,
        ),
        _ => (None, None),
    };
    // The client is built here from the signed-in fact; reducers only hold the token.
    let api = use_memo(credentials, |credentials| {
        credentials
            .as_ref()
            .map(|(platform, token)| Api::new(platform.clone(), token.secret()))
    });
    {
        let (session, feed) = (session.clone(), feed.clone());
        let (saver_slot, store_problem) = (saver.clone(), store_problem.clone());
        use_effect_with((api, expires_at_ms), move |(api, expires_at_ms)| {
            let running = (**api).clone().map(|api| {
                let saving = Saving {
                    saver: FeedSaver::default(),
                    platform: api.platform().clone(),
                    failed: Callback::from(move |problem| store_problem.set(Some(problem))),
                };
                *saver_slot.borrow_mut() = Some(saving.saver.clone());
                let writes = saving
                    .saver
                    .clone()
                    .run(saving.failed.reform(|err: store::StoreError| err.notice()));
                let report = {
                    let (session, feed) = (session.clone(), feed.clone());
                    Callback::from(move |event| route(event, &session, &feed, &saving))
                };
                let (handle, registration) = AbortHandle::new_pair();
                spawn_local(async move {
                    let engine = LiveEngine::new(api, report).run();
                    let _ = Abortable::new(futures::future::join(engine, writes), registration)
                        .await;
                });
                // No refresh exists for the implicit grant: say so when the token lapses.
                let expiry = expires_at_ms.map(|at| {
                    let session = session.clone();
                    let millis = (at - js_sys::Date::now()).max(0.0) as u32;
                    Timeout::new(millis, move || {
                        session.dispatch(SessionAction::Expired(
                            "Your sign-in has reached the end of its lifetime. Sign in again to keep the feed live; rows already shown stay.".into(),
                        ))
                    })
                });
                (handle, expiry)
            });
            move || {
                if let Some((handle, expiry)) = running {
                    handle.abort();
                    drop(expiry);
                }
            }
        });
    }

    let platform_label = match &session.phase {
        Phase::BadLaunch(_) => "not configured".to_owned(),
        Phase::SignedOut { launch, .. }
        | Phase::CompletingSignIn { launch, .. }
        | Phase::SignedIn { launch, .. }
        | Phase::Expired { launch, .. } => launch.platform.label(),
    };
    let sign_in = match &session.phase {
        Phase::SignedOut { launch, .. }
        | Phase::SignedIn { launch, .. }
        | Phase::Expired { launch, .. } => {
            let launch = launch.clone();
            let session = session.clone();
            Some(Callback::from(move |_: MouseEvent| {
                if let Err(problem) = auth::begin_sign_in(&launch) {
                    session.dispatch(SessionAction::Failed(problem.to_string()));
                }
            }))
        }
        _ => None,
    };
    let on_sign_out = matches!(
        session.phase,
        Phase::SignedIn { .. } | Phase::Expired { .. }
    )
    .then(|| {
        let (session, saver, store_problem) =
            (session.clone(), saver.clone(), store_problem.clone());
        Callback::from(move |_: MouseEvent| {
            forget_saved_feed(&session, saver.borrow_mut().take(), store_problem.clone());
            session.dispatch(SessionAction::SignOut)
        })
    });

    html! {
        <div class="app">
            <TopBar platform={platform_label.clone()}
                user={session.me.as_ref().and_then(|m| m.name.clone()).map(AttrValue::from)}
                queue_count={session.queues.len()} link={session.link.clone()}
                heartbeats={session.heartbeats} session_ends_at_ms={session.expires_at_ms()}
                {on_sign_out} />
            <main class="content">
                { notices(&session, sign_in.clone()) }
                { for (*store_problem).clone().map(|problem| html! { <Notice tone={Tone::Info} message={problem} /> }) }
                { match &session.phase {
                    Phase::BadLaunch(problem) => html! {
                        <Notice tone={Tone::Error} message={format!("wrapup-live cannot start: {problem}")} />
                    },
                    Phase::SignedOut { launch, problem } => html! {
                        <SignInCard platform={platform_label} simulator={launch.platform.is_simulator()}
                            problem={problem.clone().map(AttrValue::from)}
                            on_sign_in={sign_in.clone().unwrap_or_default()} />
                    },
                    Phase::CompletingSignIn { launch, .. } => html! {
                        <SignInCard platform={platform_label} simulator={launch.platform.is_simulator()}
                            completing=true on_sign_in={Callback::noop()} />
                    },
                    Phase::SignedIn { .. } | Phase::Expired { .. } => html! { <Feed feed={std::rc::Rc::new((*feed).clone())} /> },
                } }
            </main>
        </div>
    }
}

fn notices(session: &SessionState, sign_in: Option<Callback<MouseEvent>>) -> Html {
    let expired = match (&session.phase, sign_in.clone()) {
        (Phase::Expired { problem, .. }, Some(sign_in)) => html! {
            <Notice tone={Tone::Error} message={problem.clone()} action={(AttrValue::from("Sign in again"), sign_in)} />
        },
        _ => html! {},
    };
    let renew = match (&session.phase, &session.renewal, sign_in) {
        (Phase::SignedIn { .. }, Renewal::Due { problem }, Some(sign_in)) => {
            let why = problem
                .as_deref()
                .map(|p| format!("{p} "))
                .unwrap_or_default();
            html! {
                <Notice tone={Tone::Warning} action={(AttrValue::from("Renew sign-in"), sign_in)}
                    message={format!("{why}Your sign-in ends in a few minutes and cannot be renewed silently. Renew it now to keep the feed live: you pass through the sign-in page and come straight back.")} />
            }
        }
        _ => html! {},
    };
    let rejected = if session.rejected_topics.is_empty() {
        html! {}
    } else {
        html! {
            <Notice tone={Tone::Warning} message={format!(
                "Genesys Cloud did not subscribe {} topic(s), so those queues or agents are not watched (reason in brackets; ask an admin for the missing permission): {}",
                session.rejected_topics.len(), session.rejected_topics.join(", "))} />
        }
    };
    let malformed = match &session.last_malformed {
        Some(reason) => html! {
            <Notice tone={Tone::Info} message={format!(
                "Skipped {} unreadable notification(s); the feed carries on. Last: {reason}", session.malformed)} />
        },
        None => html! {},
    };
    let setbacks = session.setbacks.iter().map(|setback| {
        html! { <Notice tone={Tone::Warning} message={setback.message()} /> }
    });
    html! { <>{ expired }{ renew }{ rejected }{ for setbacks }{ malformed }</> }
}

/// Finish a sign-in that came back verified: exchange the code (or take the implicit token), then
/// sign in or explain the failure on the sign-in card.
#[hook]
fn use_sign_in_completion(session: &UseReducerHandle<SessionState>) {
    let completing = match &session.phase {
        Phase::CompletingSignIn { launch, sign_in } => Some((launch.clone(), sign_in.clone())),
        _ => None,
    };
    let session = session.clone();
    use_effect_with(completing, move |completing| {
        if let Some((launch, sign_in)) = completing.clone() {
            spawn_local(async move {
                match auth::complete(&launch, &sign_in).await {
                    Ok(grant) => session.dispatch(SessionAction::SignedIn(grant)),
                    Err(err) => session.dispatch(SessionAction::Failed(err.to_string())),
                }
            });
        }
    });
}

/// Keep the token fresh: with a refresh token, refresh in the background before it lapses (or at once
/// after a 401); without one, raise the "Renew sign-in" notice a few minutes ahead.
#[hook]
fn use_token_renewal(session: &UseReducerHandle<SessionState>) {
    let signed_in = match &session.phase {
        Phase::SignedIn {
            launch,
            token,
            expires_at_ms,
        } => Some((
            launch.clone(),
            token.clone(),
            *expires_at_ms,
            session.refresh_token.clone(),
            session.renewal == Renewal::RefreshNow,
        )),
        _ => None,
    };
    let session = session.clone();
    use_effect_with(signed_in, move |signed_in| {
        let timer =
            signed_in
                .clone()
                .and_then(|(launch, _, expires_at_ms, refresh_token, refresh_now)| {
                    let remaining = expires_at_ms.map(|at| at - js_sys::Date::now());
                    match refresh_token {
                        Some(refresh_token) => {
                            let delay = if refresh_now {
                                0.0
                            } else {
                                refresh_delay_ms(remaining?)
                            };
                            Some(Timeout::new(delay as u32, move || {
                                spawn_local(async move {
                                    match auth::refresh(&launch, &refresh_token).await {
                                        Ok(grant) => {
                                            session.dispatch(SessionAction::SignedIn(grant))
                                        }
                                        Err(err) => session.dispatch(SessionAction::RefreshFailed(
                                            err.to_string(),
                                        )),
                                    }
                                })
                            }))
                        }
                        None => remaining.map(|remaining| {
                            Timeout::new(renew_notice_delay_ms(remaining) as u32, move || {
                                session.dispatch(SessionAction::RenewalDue)
                            })
                        }),
                    }
                });
        move || drop(timer)
    });
}

/// Where one sign-in's feed is saved, and who hears when saving fails.
struct Saving {
    saver: FeedSaver,
    platform: Platform,
    failed: Callback<String>,
}

impl Saving {
    /// `users/me` answered: bring back what this user saw here before, then save alongside the feed.
    fn resume(&self, user_id: &str, feed: &UseReducerHandle<FeedState>) {
        let (saver, feed, failed) = (self.saver.clone(), feed.clone(), self.failed.clone());
        let key = StoreKey::new(user_id, &self.platform);
        spawn_local(async move {
            match saver.resume(key).await {
                Ok(saved) => {
                    feed.dispatch(FeedAction::Names(saved.names.to_names()));
                    feed.dispatch(FeedAction::Restore(saved.rows));
                }
                Err(err) => failed.emit(err.notice()),
            }
        });
    }
}

/// Signing out: stop saving and delete what was kept for this user here.
fn forget_saved_feed(
    session: &SessionState,
    saver: Option<FeedSaver>,
    store_problem: UseStateHandle<Option<String>>,
) {
    if let Some(saver) = saver {
        saver.stop();
    }
    let (Some(me), Some(launch)) = (&session.me, session.phase.launch()) else {
        return;
    };
    let key = StoreKey::new(&me.id, &launch.platform);
    spawn_local(async move {
        if let Err(err) = store::forget(key).await {
            store_problem.set(Some(format!(
                "The feed saved in this browser could not be deleted on sign-out ({err}). Clear this site's data in the browser settings to remove it."
            )));
        }
    });
}

/// Route an engine event to the reducer that owns it, and feed changes to the saver.
fn route(
    event: LiveEvent,
    session: &UseReducerHandle<SessionState>,
    feed: &UseReducerHandle<FeedState>,
    saving: &Saving,
) {
    let now_ms = js_sys::Date::now();
    match event {
        LiveEvent::Identity { me, queues } => {
            saving.resume(&me.id, feed);
            session.dispatch(SessionAction::Identity { me, queues })
        }
        LiveEvent::Link(link) => session.dispatch(SessionAction::Link(link)),
        LiveEvent::Heartbeat => {
            saving.saver.event_seen(now_ms);
            session.dispatch(SessionAction::Heartbeat)
        }
        LiveEvent::Outcomes(outcomes) => add_rows(outcomes, RowSource::Live, now_ms, saving, feed),
        LiveEvent::RecoveredOutcomes(outcomes) => {
            add_rows(outcomes, RowSource::Recovered, now_ms, saving, feed)
        }
        LiveEvent::Pending(pending) => {
            saving.saver.event_seen(now_ms);
            feed.dispatch(FeedAction::Pending(pending))
        }
        LiveEvent::Names(names) => {
            saving.saver.names(&names);
            feed.dispatch(FeedAction::Names(names))
        }
        LiveEvent::Rejected(topics) => session.dispatch(SessionAction::Rejected(topics)),
        LiveEvent::Malformed(reason) => session.dispatch(SessionAction::Malformed(reason)),
        LiveEvent::Setback(setback) => session.dispatch(SessionAction::Setback(setback)),
        LiveEvent::Recovered(recovery) => session.dispatch(SessionAction::Recovered(recovery)),
        LiveEvent::Stopped(err) if err.needs_sign_in() => {
            session.dispatch(SessionAction::Expired(err.to_string()))
        }
        LiveEvent::Stopped(err) => session.dispatch(SessionAction::Failed(err.to_string())),
    }
}

/// Final outcomes join the feed and the saver, marked live or recovered.
fn add_rows(
    outcomes: Vec<WrapUpOutcome>,
    source: RowSource,
    now_ms: f64,
    saving: &Saving,
    feed: &UseReducerHandle<FeedState>,
) {
    saving.saver.rows(
        outcomes
            .iter()
            .filter(|outcome| outcome.outcome != Outcome::Pending)
            .map(|outcome| SavedRow {
                outcome: outcome.clone(),
                received_at_ms: now_ms,
                source,
            }),
    );
    saving.saver.event_seen(now_ms);
    feed.dispatch(FeedAction::Outcomes { outcomes, now_ms })
}
