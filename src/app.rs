//! The root component: takes the launch resolved at boot, builds the API client from the signed-in
//! fact, runs the live engine and lays out the page.

use futures::future::{AbortHandle, Abortable};
use gloo_timers::callback::Timeout;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::feed::Feed;
use crate::components::feed_batch::FeedBatch;
use crate::components::notice::{Notice, Tone};
use crate::components::sign_in_card::SignInCard;
use crate::components::top_bar::TopBar;
use crate::services::api::Api;
use crate::services::auth::{self, Start};
use crate::services::files;
use crate::services::live::LiveEngine;
use crate::state::feed::{FeedAction, FeedState, Replay};
use crate::state::session::{Phase, SessionAction, SessionState};
use crate::types::live::LiveEvent;
use crate::types::sign_in::AccessToken;

/// What the page was launched into, as the session's first phase; `now_ms` dates the token's expiry.
pub fn launch_phase(start: Start, now_ms: f64) -> Phase {
    match start {
        Start::SignedIn { launch, grant } => Phase::SignedIn {
            launch,
            token: AccessToken::new(grant.access_token),
            expires_at_ms: grant.expires_in.map(|secs| now_ms + secs as f64 * 1000.0),
        },
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
    // Engine events reach the feed once per animation frame, however many arrive.
    let batch = {
        let dispatcher = feed.dispatcher();
        use_memo((), move |_| {
            FeedBatch::new(Callback::from(move |a| dispatcher.dispatch(a)))
        })
    };
    let feed_view = feed_view(&feed);

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
        let (session, batch) = (session.clone(), batch.clone());
        use_effect_with((api, expires_at_ms), move |(api, expires_at_ms)| {
            let running = (**api).clone().map(|api| {
                let report = {
                    let (session, batch) = (session.clone(), batch.clone());
                    Callback::from(move |event| route(event, &session, &batch))
                };
                let (handle, registration) = AbortHandle::new_pair();
                spawn_local(async move {
                    let _ = Abortable::new(LiveEngine::new(api, report).run(), registration).await;
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
        | Phase::SignedIn { launch, .. }
        | Phase::Expired { launch, .. } => launch.platform.label(),
    };
    let sign_in = match &session.phase {
        Phase::SignedOut { launch, .. } | Phase::Expired { launch, .. } => {
            let launch = launch.clone();
            let session = session.clone();
            Some(Callback::from(move |_: MouseEvent| {
                if let Err(problem) = auth::begin_sign_in(&launch) {
                    session.dispatch(SessionAction::Failed(problem));
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
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(SessionAction::SignOut))
    });

    html! {
        <div class="app">
            <TopBar platform={platform_label.clone()}
                user={session.me.as_ref().and_then(|m| m.name.clone()).map(AttrValue::from)}
                queue_count={session.queues.len()} link={session.link.clone()}
                heartbeats={session.heartbeats} {on_sign_out} />
            <main class="content">
                { notices(&session, sign_in.clone()) }
                { match &session.phase {
                    Phase::BadLaunch(problem) => html! {
                        <Notice tone={Tone::Error} message={format!("wrapup-live cannot start: {problem}")} />
                    },
                    Phase::SignedOut { launch, problem } => html! {
                        <SignInCard platform={platform_label} simulator={launch.platform.is_simulator()}
                            problem={problem.clone().map(AttrValue::from)}
                            on_sign_in={sign_in.clone().unwrap_or_default()} />
                    },
                    Phase::SignedIn { .. } | Phase::Expired { .. } => feed_view,
                } }
            </main>
        </div>
    }
}

fn notices(session: &SessionState, sign_in: Option<Callback<MouseEvent>>) -> Html {
    let expired = match (&session.phase, sign_in) {
        (Phase::Expired { problem, .. }, Some(sign_in)) => html! {
            <Notice tone={Tone::Error} message={problem.clone()} action={(AttrValue::from("Sign in again"), sign_in)} />
        },
        _ => html! {},
    };
    let rejected = if session.rejected_topics.is_empty() {
        html! {}
    } else {
        html! {
            <Notice tone={Tone::Warning} message={format!(
                "Genesys Cloud refused {} topic(s) for lack of permission, so some queues are not watched: {}",
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
    html! { <>{ expired }{ rejected }{ for setbacks }{ malformed }</> }
}

/// The live feed, or an imported capture replayed offline, with the feed's own notices and its
/// file and panel hooks.
fn feed_view(feed: &UseReducerHandle<FeedState>) -> Html {
    html! { <FeedPanel live={feed.clone()} /> }
}

/// Props for [`FeedPanel`].
#[derive(Properties, PartialEq)]
struct FeedPanelProps {
    live: UseReducerHandle<FeedState>,
}

/// What the feed last told the person (an export problem, an import result, an opened row).
#[derive(Clone, PartialEq)]
struct FeedNote {
    tone: Tone,
    message: String,
}

/// The feed and what it does outside the page: files, the conversation hook, the offline replay.
#[function_component(FeedPanel)]
fn feed_panel(props: &FeedPanelProps) -> Html {
    let live = &props.live;
    let offline = use_reducer(FeedState::default);
    let offline_name = use_state(|| None::<String>);
    let note = use_state(|| None::<FeedNote>);
    let tell = {
        let note = note.clone();
        move |tone: Tone, message: String| note.set(Some(FeedNote { tone, message }))
    };
    let on_export = {
        let tell = tell.clone();
        Callback::from(move |csv: Result<String, String>| {
            let saved = csv.and_then(|csv| {
                files::download_text(
                    &crate::view::file_name("wrapup", "csv", js_sys::Date::now()),
                    "text/csv",
                    &csv,
                )
            });
            if let Err(problem) = saved {
                tell(
                    Tone::Error,
                    format!("Export CSV failed: {problem}. The feed is unchanged; try again."),
                );
            }
        })
    };
    let on_download_frames = {
        let (live, tell) = (live.clone(), tell.clone());
        Callback::from(move |()| {
            if live.frame_count() == 0 {
                tell(Tone::Info, "No notification frames kept yet: they are recorded from the moment the feed connects.".into());
                return;
            }
            let name = crate::view::file_name("wrapup-frames", "ndjson", js_sys::Date::now());
            if let Err(problem) =
                files::download_text(&name, "application/x-ndjson", &live.frames_ndjson())
            {
                tell(Tone::Error, format!("Download frames failed: {problem}."));
            }
        })
    };
    let on_import_frames = {
        let (live, offline, offline_name, tell) = (
            live.clone(),
            offline.clone(),
            offline_name.clone(),
            tell.clone(),
        );
        Callback::from(move |file: web_sys::File| {
            let (live, offline, offline_name, tell) = (
                live.clone(),
                offline.clone(),
                offline_name.clone(),
                tell.clone(),
            );
            spawn_local(async move {
                let text = match files::read_text(&file).await {
                    Ok(text) => text,
                    Err(problem) => {
                        return tell(
                            Tone::Error,
                            format!("Import frames: {problem}. Nothing was changed."),
                        );
                    }
                };
                let replay = Replay::of_ndjson(&text);
                offline.dispatch(FeedAction::Reset {
                    directory: live.directory.clone(),
                });
                offline.dispatch(FeedAction::Outcomes {
                    outcomes: replay.outcomes.clone(),
                    source: wrapup_core::export::RowSource::Live,
                    now_ms: js_sys::Date::now(),
                });
                offline.dispatch(FeedAction::Pending(replay.pending.clone()));
                offline_name.set(Some(format!(
                    "Offline replay of {}: {} frame(s), {} wrap-up(s), {} still in after-call work. The live feed keeps running behind it.",
                    file.name(), replay.frames, replay.outcomes.len(), replay.pending.len()
                )));
                match replay.malformed_message() {
                    Some(message) => tell(Tone::Warning, format!("Import frames: {message}")),
                    None => tell(Tone::Info, "Import frames: every line was replayed.".into()),
                }
            });
        })
    };
    let on_open_conversation = {
        let tell = tell.clone();
        Callback::from(move |id: String| {
            tell(
                Tone::Info,
                format!(
                    "Conversation {id} selected. Its analytics record opens here once the analytics panel is added."
                ),
            )
        })
    };
    let back_to_live = {
        let (offline, offline_name, note) = (offline.clone(), offline_name.clone(), note.clone());
        Callback::from(move |_: MouseEvent| {
            offline_name.set(None);
            note.set(None);
            offline.dispatch(FeedAction::Reset {
                directory: Default::default(),
            });
        })
    };
    let note_html = match &*note {
        Some(n) => html! { <Notice tone={n.tone} message={n.message.clone()} /> },
        None => html! {},
    };
    match &*offline_name {
        Some(name) => html! {
            <>
                <Notice tone={Tone::Info} message={name.clone()} action={(AttrValue::from("Back to live feed"), back_to_live)} />
                { note_html }
                <Feed feed={std::rc::Rc::new((*offline).clone())} offline={AttrValue::from(name.clone())}
                    on_action={Callback::from({ let offline = offline.clone(); move |a| offline.dispatch(a) })}
                    {on_export} {on_open_conversation} {on_import_frames} />
            </>
        },
        None => html! {
            <>
                { note_html }
                <Feed feed={std::rc::Rc::new((**live).clone())}
                    on_action={Callback::from({ let live = live.clone(); move |a| live.dispatch(a) })}
                    {on_export} {on_download_frames} {on_import_frames} {on_open_conversation} />
            </>
        },
    }
}

/// Route an engine event to the reducer that owns it; feed changes go through the frame batch.
fn route(event: LiveEvent, session: &UseReducerHandle<SessionState>, batch: &FeedBatch) {
    match event {
        LiveEvent::Identity { me, queues } => {
            session.dispatch(SessionAction::Identity { me, queues })
        }
        LiveEvent::Link(link) => session.dispatch(SessionAction::Link(link)),
        LiveEvent::Heartbeat => session.dispatch(SessionAction::Heartbeat),
        LiveEvent::Outcomes(outcomes) => batch.push(FeedAction::Outcomes {
            outcomes,
            source: wrapup_core::export::RowSource::Live,
            now_ms: js_sys::Date::now(),
        }),
        LiveEvent::Pending(pending) => batch.push(FeedAction::Pending(pending)),
        LiveEvent::Names(names) => batch.push(FeedAction::Names(names)),
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
