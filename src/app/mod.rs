//! The root component: takes the launch resolved at boot, builds the API client from the signed-in
//! fact, runs the live engine and lays out the page. Its helpers each have a file: the sign-in's life
//! (`sign_in`), saving the feed (`saving`), routing engine events (`routing`) and the feed panel.

mod feed_panel;
mod history_panel;
mod routing;
mod saving;
mod sign_in;

use std::cell::RefCell;

use futures::channel::oneshot;
use futures::future::{AbortHandle, Abortable};
use gloo_timers::callback::Timeout;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use self::feed_panel::FeedPanel;
use self::history_panel::HistoryPanel;
use self::routing::route;
use self::saving::{Saving, forget_saved_feed};
use self::sign_in::{use_sign_in_completion, use_token_renewal};
use crate::components::feed_batch::FeedBatch;
use crate::components::notice::{Notice, Tone};
use crate::components::sign_in_card::SignInCard;
use crate::components::top_bar::TopBar;
use crate::services::api::Api;
use crate::services::auth::{self, Start};
use crate::services::live::LiveEngine;
use crate::services::store::{self, FeedSaver};
use crate::state::feed::FeedState;
use crate::state::session::{Phase, Renewal, SessionAction, SessionState};
use crate::types::live::Watch;
use wrapup_core::oauth::state::WatchMode;

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
    // Engine events reach the feed once per animation frame, however many arrive.
    let batch = {
        let dispatcher = feed.dispatcher();
        use_memo((), move |_| {
            FeedBatch::new(Callback::from(move |a| dispatcher.dispatch(a)))
        })
    };
    let (platform, token, expires_at_ms) = match &session.phase {
        Phase::SignedIn {
            launch,
            token,
            expires_at_ms,
        } => (
            Some(launch.platform.clone()),
            Some(token.clone()),
            *expires_at_ms,
        ),
        _ => (None, None, None),
    };
    // One client per signed-in platform, built here from the signed-in fact (reducers only hold the
    // token). A refreshed token replaces the old one inside it, so the engine keeps its state.
    let api = use_memo(platform, |platform| {
        platform
            .as_ref()
            .zip(token.as_ref())
            .map(|(platform, token)| Api::new(platform.clone(), token.secret()))
    });
    if let (Some(api), Some(token)) = (&*api, &token)
        && !api.sends(token.secret())
    {
        api.set_token(token.secret());
    }
    use_session_expiry(&session, expires_at_ms);
    {
        let (session, feed, batch) = (session.clone(), feed.clone(), batch.clone());
        let (saver_slot, store_problem) = (saver.clone(), store_problem.clone());
        let watch = session.watch;
        use_effect_with(api.clone(), move |api| {
            let running = (**api).clone().map(|api| {
                let (resume_tx, resume_rx) = oneshot::channel();
                let saving = Saving {
                    saver: FeedSaver::default(),
                    platform: api.platform().clone(),
                    failed: Callback::from(move |problem| store_problem.set(Some(problem))),
                    resume: RefCell::new(Some(resume_tx)),
                };
                *saver_slot.borrow_mut() = Some(saving.saver.clone());
                let writes = saving
                    .saver
                    .clone()
                    .run(saving.failed.reform(|err: store::StoreError| err.notice()));
                let report = {
                    let (session, feed, batch) = (session.clone(), feed.clone(), batch.clone());
                    Callback::from(move |event| route(event, &session, &feed, &batch, &saving))
                };
                let (handle, registration) = AbortHandle::new_pair();
                spawn_local(async move {
                    let engine = LiveEngine::new(api, report)
                        .watching(watch_of(watch))
                        .resuming(resume_rx)
                        .run();
                    let _ =
                        Abortable::new(futures::future::join(engine, writes), registration).await;
                });
                handle
            });
            move || {
                if let Some(handle) = running {
                    handle.abort();
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
                    Phase::SignedIn { .. } | Phase::Expired { .. } => html! { <FeedPanel live={feed.clone()} /> },
                } }
                // History searches, below the feed while signed in (to become the analytics panel's History tab).
                { match (&session.phase, (*api).clone()) {
                    (Phase::SignedIn { .. }, Some(api)) => html! {
                        <section class="history-section" aria-labelledby="history-title">
                            <HistoryPanel {api} directory={feed.directory.clone()} />
                        </section>
                    },
                    _ => html! {},
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

/// The engine's watch for the mode the sign-in carried; picked queues and agents come from the picker.
fn watch_of(mode: WatchMode) -> Watch {
    match mode {
        WatchMode::Me => Watch::Me,
        WatchMode::Queues | WatchMode::Agents => Watch::MyQueues,
    }
}

/// Say so when the token reaches the end of its lifetime (a refresh, where possible, comes before).
#[hook]
fn use_session_expiry(session: &UseReducerHandle<SessionState>, expires_at_ms: Option<f64>) {
    let session = session.clone();
    use_effect_with(expires_at_ms, move |expires_at_ms| {
        let timer = expires_at_ms.map(|at| {
            let millis = (at - js_sys::Date::now()).max(0.0) as u32;
            Timeout::new(millis, move || {
                session.dispatch(SessionAction::Expired(
                    "Your sign-in has reached the end of its lifetime. Sign in again to keep the feed live; rows already shown stay.".into(),
                ))
            })
        });
        move || drop(timer)
    });
}
