//! The feed and what it does outside the page: Export CSV and frame files, opening a row's conversation in the
//! analytics panel, and an imported capture replayed offline. It lives beside App because it calls services.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::feed::Feed;
use crate::components::notice::{Notice, Tone};
use crate::i18n::{t, t_args};
use crate::services::files;
use crate::state::feed::{FeedAction, FeedState, Replay};

/// Props for [`FeedPanel`].
#[derive(Properties, PartialEq)]
pub struct FeedPanelProps {
    /// The live feed (an imported capture gets its own, offline).
    pub live: UseReducerHandle<FeedState>,
    /// A row's conversation was picked: open it in the analytics panel.
    pub on_open_conversation: Callback<String>,
}

/// What the feed last told the person (an export problem, an import result, an opened row).
#[derive(Clone, PartialEq)]
struct FeedNote {
    tone: Tone,
    message: String,
}

/// The feed and what it does outside the page: files, the conversation hook, the offline replay.
#[function_component(FeedPanel)]
pub fn feed_panel(props: &FeedPanelProps) -> Html {
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
                    t_args("export-csv-failed", &[("problem", problem.into())]),
                );
            }
        })
    };
    let on_download_frames = {
        let (live, tell) = (live.clone(), tell.clone());
        Callback::from(move |()| {
            if live.frame_count() == 0 {
                tell(Tone::Info, t("frames-none-yet"));
                return;
            }
            let name = crate::view::file_name("wrapup-frames", "ndjson", js_sys::Date::now());
            if let Err(problem) =
                files::download_text(&name, "application/x-ndjson", &live.frames_ndjson())
            {
                tell(
                    Tone::Error,
                    t_args("frames-download-failed", &[("problem", problem.into())]),
                );
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
                            t_args("frames-import-failed", &[("problem", problem.into())]),
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
                offline_name.set(Some(t_args(
                    "frames-offline-replay",
                    &[
                        ("file", file.name().into()),
                        ("frames", replay.frames.into()),
                        ("wrapups", replay.outcomes.len().into()),
                        ("pending", replay.pending.len().into()),
                    ],
                )));
                match replay.malformed_message() {
                    Some(message) => tell(
                        Tone::Warning,
                        t_args("frames-import-partial", &[("message", message.into())]),
                    ),
                    None => tell(Tone::Info, t("frames-import-whole")),
                }
            });
        })
    };
    let on_open_conversation = props.on_open_conversation.clone();
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
                <Notice tone={Tone::Info} message={name.clone()} action={(AttrValue::from(t("frames-back-to-live")), back_to_live)} />
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
