//! The root component: takes the launch resolved at boot, builds the API client from the signed-in
//! fact, runs the live engine and lays out the page. Its helpers each have a file: the sign-in's life
//! (`sign_in`), saving the feed (`saving`), routing engine events (`routing`) and the feed panel.

mod analytics;
mod feed_panel;
mod history_panel;
mod host_news;
pub mod interaction;
mod lag_probe;
mod link;
mod routing;
mod saving;
mod sign_in;

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::{AbortHandle, Abortable};
use gloo_timers::callback::Timeout;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use self::analytics::{ConversationLookup, feed_outcomes};
use self::feed_panel::FeedPanel;
use self::history_panel::HistoryPanel;
use self::host_news::HostNews;
use self::interaction::InteractionView;
use self::lag_probe::LagProbePanel;
use self::link::LinkRun;
use self::routing::{LagTargets, Listeners, route};
use self::saving::{Saving, forget_saved_feed};
use self::sign_in::{use_sign_in_completion, use_token_renewal};
use crate::components::analytics_panel::AnalyticsPanel;
use crate::components::feed_batch::FeedBatch;
use crate::components::link_role::LinkRoleBadge;
use crate::components::notice::{Notice, Tone};
use crate::components::sign_in_card::SignInCard;
use crate::components::top_bar::TopBar;
use crate::components::watch_picker::WatchPicker;
use crate::i18n::{t, t_args};
use crate::services::api::Api;
use crate::services::auth::{self, Start};
use crate::services::host::Host;
use crate::services::store::{self, FeedSaver};
use crate::state::feed::FeedState;
use crate::state::lookup::{LookupAction, LookupState, Source};
use crate::state::session::{Phase, Renewal, SessionAction, SessionState, WatchChoices};
use crate::types::host::{Hook, HostAction};

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
        Start::HandedBack => Phase::HandedBack,
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
    let lookup = use_reducer(LookupState::default);
    // Wrap-ups seen live, offered to the lag probe; one queue for the page's life.
    let lag_targets = use_memo((), |_| LagTargets::default());
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
    use_deep_link(&session, &lookup);
    let launch = session.phase.launch().cloned();
    // The Genesys Cloud UI framing this page, if the launch named one and the page is framed.
    let host_news = use_memo(launch.clone(), |launch| {
        let launch = launch.as_ref()?;
        let host = Host::framed_by(launch.host_origin.as_deref()?)?;
        Some(HostNews::new(
            host,
            launch
                .interaction
                .then(|| launch.conversation_id.clone())
                .flatten(),
        ))
    });
    use_host_lifecycle(&session, &host_news);
    {
        let (session, feed, batch) = (session.clone(), feed.clone(), batch.clone());
        let (saver_slot, store_problem) = (saver.clone(), store_problem.clone());
        let watching = session.watching.clone();
        let lag_targets = (*lag_targets).clone();
        let client_id = launch.as_ref().map(|l| l.client_id.clone());
        let host = (*host_news).clone();
        // A new watch restarts the link on a new channel; the platform evicts the idle old one
        // first when the 20-channel cap is reached (reference §4). The saved resume point makes the
        // new engine recover the switch-over gap for what it now watches. A host `stop` pauses it.
        let stopped = session.host_stopped;
        use_effect_with(
            (api.clone(), watching, stopped),
            move |(api, watching, stopped)| {
                let watching = watching.clone();
                let running = (**api).clone().filter(|_| !*stopped).map(|api| {
                    let saving = Rc::new(Saving {
                        saver: FeedSaver::default(),
                        platform: api.platform().clone(),
                        failed: Callback::from(move |problem| store_problem.set(Some(problem))),
                        resume: RefCell::new(None),
                    });
                    // Where the last run stood (a host stop, a new watch): recover from there, even
                    // where the browser refuses storage to this frame.
                    let carried = saver_slot
                        .borrow_mut()
                        .replace(saving.saver.clone())
                        .and_then(|previous| previous.resume_point());
                    let writes = saving
                        .saver
                        .clone()
                        .run(saving.failed.reform(|err: store::StoreError| err.notice()));
                    let listeners = Listeners {
                        saving: saving.clone(),
                        probe: lag_targets,
                        host,
                    };
                    let report = {
                        let (session, feed, batch) = (session.clone(), feed.clone(), batch.clone());
                        Callback::from(move |event| {
                            route(event, &session, &feed, &batch, &listeners)
                        })
                    };
                    let role = {
                        let session = session.clone();
                        Callback::from(move |role| session.dispatch(SessionAction::Role(role)))
                    };
                    let run = LinkRun {
                        api,
                        client_id: client_id.unwrap_or_default(),
                        watching,
                        report,
                        role: role.clone(),
                        saving,
                        carried,
                    };
                    let (handle, registration) = AbortHandle::new_pair();
                    spawn_local(async move {
                        let link = run.run();
                        let _ =
                            Abortable::new(futures::future::join(link, writes), registration).await;
                    });
                    (handle, role)
                });
                move || {
                    if let Some((handle, role)) = running {
                        handle.abort();
                        role.emit(None);
                    }
                }
            },
        );
    }

    let platform_label = match &session.phase {
        Phase::BadLaunch(_) | Phase::HandedBack => "not configured".to_owned(),
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
            let popup_done = {
                let session = session.clone();
                Callback::from(
                    move |returned: Result<_, crate::types::sign_in::SignInError>| {
                        session.dispatch(match returned {
                            Ok(sign_in) => SessionAction::Returned(sign_in),
                            Err(problem) => SessionAction::Failed(problem.to_string()),
                        })
                    },
                )
            };
            Some(Callback::from(move |_: MouseEvent| {
                if let Err(problem) = auth::begin_sign_in(&launch, popup_done.clone()) {
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

    let watch_picker = {
        let on_open = {
            let (session, api) = (session.clone(), api.clone());
            Callback::from(move |()| load_watch_choices(&session, (*api).clone()))
        };
        let on_watch = {
            let session = session.clone();
            Callback::from(move |watch| session.dispatch(SessionAction::Watch(watch)))
        };
        html! {
            <WatchPicker watching={session.watching.clone()} watched_queues={Rc::new(session.queues.clone())}
                choices={session.watch_choices.clone()} {on_open} {on_watch} />
        }
    };

    let open_from_feed = {
        let (lookup, feed) = (lookup.clone(), feed.clone());
        Callback::from(move |conversation_id: String| {
            let feed_end = feed_outcomes(&feed, &conversation_id)
                .into_iter()
                .filter_map(|o| o.end_time)
                .max();
            lookup.dispatch(LookupAction::Open {
                conversation_id,
                source: Source::Feed,
                feed_end,
            })
        })
    };

    html! {
        <div class="app">
            <TopBar platform={platform_label.clone()}
                user={session.me.as_ref().and_then(|m| m.name.clone()).map(AttrValue::from)}
                queue_count={session.queues.len()} link={session.link.clone()}
                heartbeats={session.heartbeats} session_ends_at_ms={session.expires_at_ms()}
                {on_sign_out} />
            <main class="content">
                <LinkRoleBadge role={session.role} paused={session.host_stopped} />
                { notices(&session, sign_in.clone()) }
                { for (*store_problem).clone().map(|problem| html! { <Notice tone={Tone::Info} message={problem} /> }) }
                { match &session.phase {
                    Phase::BadLaunch(problem) => html! {
                        <Notice tone={Tone::Error} message={t_args("app-cannot-start", &[("problem", problem.clone().into())])} />
                    },
                    Phase::HandedBack => html! {
                        <Notice tone={Tone::Info} message={t("app-popup-handed-back")} />
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
                    Phase::SignedIn { launch, .. } | Phase::Expired { launch, .. } if launch.interaction => {
                        match (&*api, &launch.conversation_id) {
                            (Some(api), Some(id)) => html! {
                                <InteractionView conversation_id={AttrValue::from(id.clone())} api={api.clone()} feed={feed.clone()} />
                            },
                            _ => html! {},
                        }
                    }
                    Phase::SignedIn { .. } | Phase::Expired { .. } => html! {
                        <div class="workspace">
                            <section class="feed-area" aria-label="Live feed">
                                if matches!(session.phase, Phase::SignedIn { .. }) { { watch_picker } }
                                <FeedPanel live={feed.clone()} on_open_conversation={open_from_feed.clone()} />
                            </section>
                            { analytics_panel(&lookup, (*api).clone(), Some((feed.clone(), (*lag_targets).clone())), None) }
                        </div>
                    },
                } }
                { match &session.phase {
                    // Signed out: the panel still explains pasted or dropped JSON, with no sign-in.
                    Phase::SignedOut { launch, .. } => analytics_panel(&lookup, None, None,
                        launch.conversation_id.clone().map(AttrValue::from)),
                    _ => html! {},
                } }
            </main>
        </div>
    }
}

/// The analytics panel. THE place the "History" tab mounts: pass its view as `history`
/// (e.g. `history={Some(html! { <HistoryView api={api.clone()} /> })}`); the tab shows when it is `Some`.
fn analytics_panel(
    lookup: &UseReducerHandle<LookupState>,
    api: Option<Api>,
    live: Option<(UseReducerHandle<FeedState>, LagTargets)>,
    initial_id: Option<AttrValue>,
) -> Html {
    let feed = live.as_ref().map(|(feed, _)| feed.clone());
    let signed_in = api.zip(live);
    html! {
        <AnalyticsPanel opened={lookup.run}
            conversation={html! { <ConversationLookup lookup={lookup.clone()} api={signed_in.as_ref().map(|(api, _)| api.clone())} {feed} {initial_id} /> }}
            history={signed_in.as_ref().map(|(api, (feed, _))| html! {
                <HistoryPanel api={api.clone()} directory={feed.directory.clone()} />
            })}
            lag={signed_in.map(|(api, (feed, targets))| html! {
                <LagProbePanel {api} {targets} directory={feed.directory.clone()} />
            })} />
    }
}

/// Open the launch's conversation (`?conversation=`, `gcConversationId`, carried through sign-in in `state`)
/// once, when the sign-in completes.
#[hook]
fn use_deep_link(session: &UseReducerHandle<SessionState>, lookup: &UseReducerHandle<LookupState>) {
    // An interaction widget shows its conversation in its own compact view instead.
    let deep_link = match &session.phase {
        Phase::SignedIn { launch, .. } if !launch.interaction => launch.conversation_id.clone(),
        _ => None,
    };
    let lookup = lookup.clone();
    use_effect_with(deep_link, move |deep_link| {
        if let Some(id) = deep_link
            && lookup.source.is_none()
        {
            lookup.dispatch(match wrapup_core::lookup::parse_conversation_id(id) {
                Ok(conversation_id) => LookupAction::Open {
                    conversation_id,
                    source: Source::DeepLink,
                    feed_end: None,
                },
                Err(_) => LookupAction::Typed(id.clone()),
            });
        }
    });
}

fn notices(session: &SessionState, sign_in: Option<Callback<MouseEvent>>) -> Html {
    let expired = match (&session.phase, sign_in.clone()) {
        (Phase::Expired { problem, .. }, Some(sign_in)) => html! {
            <Notice tone={Tone::Error} message={problem.clone()} action={(AttrValue::from(t("notice-sign-in-again")), sign_in)} />
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
                <Notice tone={Tone::Warning} action={(AttrValue::from(t("notice-renew-button")), sign_in)}
                    message={t_args("notice-renew", &[("why", why.into())])} />
            }
        }
        _ => html! {},
    };
    let rejected = if session.rejected_topics.is_empty() {
        html! {}
    } else {
        html! {
            <Notice tone={Tone::Warning} message={t_args("notice-rejected-topics", &[
                ("count", session.rejected_topics.len().into()),
                ("topics", session.rejected_topics.join(", ").into()),
            ])} />
        }
    };
    let malformed = match &session.last_malformed {
        Some(reason) => html! {
            <Notice tone={Tone::Info} message={t_args("notice-malformed", &[
                ("count", session.malformed.into()),
                ("reason", reason.clone().into()),
            ])} />
        },
        None => html! {},
    };
    let setbacks = session.setbacks.iter().map(|setback| {
        html! { <Notice tone={Tone::Warning} message={setback.message()} /> }
    });
    html! { <>{ expired }{ renew }{ rejected }{ for setbacks }{ malformed }</> }
}

/// Fetch the queues and agents the picker offers, once per sign-in (again after a failure).
fn load_watch_choices(session: &UseReducerHandle<SessionState>, api: Option<Api>) {
    let Some(api) = api else { return };
    if matches!(
        session.watch_choices,
        WatchChoices::Loading | WatchChoices::Loaded { .. }
    ) {
        return;
    }
    session.dispatch(SessionAction::WatchChoices(WatchChoices::Loading));
    let session = session.clone();
    spawn_local(async move {
        let choices = match futures::future::try_join(api.all_queues(), api.all_users()).await {
            Ok((queues, agents)) => WatchChoices::Loaded {
                queues: Rc::new(queues),
                agents: Rc::new(agents),
            },
            Err(err) => WatchChoices::Failed(t_args(
                "watch-choices-failed",
                &[("error", err.to_string().into())],
            )),
        };
        session.dispatch(SessionAction::WatchChoices(choices));
    });
}

/// The host's lifecycle hooks: `stop` pauses the link (and is answered `stopped` once it is down);
/// `bootstrap` is answered `bootstrapped`; `bootstrap` or `focus` after a stop resumes the link, whose
/// engine then recovers what ended meanwhile.
#[hook]
fn use_host_lifecycle(session: &UseReducerHandle<SessionState>, host_news: &Rc<Option<HostNews>>) {
    let host = (**host_news).clone();
    {
        let session = session.clone();
        use_effect_with(host.clone(), move |host| {
            let listener = host.as_ref().and_then(|news| {
                let replies = news.host().clone();
                news.host().hooks(Callback::from(move |hook| match hook {
                    Hook::Bootstrap => {
                        replies.post(&HostAction::Bootstrapped);
                        session.dispatch(SessionAction::HostStopped(false));
                    }
                    Hook::Focus => session.dispatch(SessionAction::HostStopped(false)),
                    Hook::Blur => {}
                    Hook::Stop => session.dispatch(SessionAction::HostStopped(true)),
                }))
            });
            move || drop(listener)
        });
    }
    // Rendered after the link's effect cleaned up, so the link is down when the host hears it.
    use_effect_with(session.host_stopped, move |stopped| {
        if *stopped && let Some(news) = &host {
            news.host().post(&HostAction::Stopped);
        }
    });
}

/// Say so when the token reaches the end of its lifetime (a refresh, where possible, comes before).
#[hook]
fn use_session_expiry(session: &UseReducerHandle<SessionState>, expires_at_ms: Option<f64>) {
    let session = session.clone();
    use_effect_with(expires_at_ms, move |expires_at_ms| {
        let timer = expires_at_ms.map(|at| {
            let millis = (at - js_sys::Date::now()).max(0.0) as u32;
            Timeout::new(millis, move || {
                session.dispatch(SessionAction::Expired(t("notice-session-ended")))
            })
        });
        move || drop(timer)
    });
}
