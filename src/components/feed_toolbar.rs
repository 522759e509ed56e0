//! The feed's controls: filters (agent, queue, code, outcome, text), pause and resume, Export CSV,
//! Download frames and Import frames. It raises callbacks; the files are made by the App.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::feed_counts::code_words;
use crate::i18n::{t, t_args};
use crate::state::feed::{Directory, FeedFilter, OUTCOMES};
use crate::types::names::NameKind;
use crate::view::{outcome_words, short_id};

/// Props for [`FeedToolbar`].
#[derive(Properties, PartialEq)]
pub struct FeedToolbarProps {
    /// The filters applied.
    pub filter: Rc<FeedFilter>,
    /// Agent user ids, queue ids and code ids present in the retained rows.
    pub agents: Rc<Vec<String>>,
    /// Queue ids present.
    pub queues: Rc<Vec<String>>,
    /// Code ids present (`""`: no code).
    pub codes: Rc<Vec<String>>,
    /// Names for ids.
    pub directory: Rc<Directory>,
    /// Whether new rows are held back.
    pub paused: bool,
    /// Rows held back while paused.
    pub held: usize,
    /// Whether this is a replayed capture (no pause, no frames to download).
    #[prop_or_default]
    pub offline: bool,
    /// New filters.
    pub on_filter: Callback<FeedFilter>,
    /// Pause (`true`) or resume.
    pub on_pause: Callback<bool>,
    /// Export CSV pressed.
    pub on_export: Callback<()>,
    /// Download frames pressed.
    pub on_download_frames: Callback<()>,
    /// A capture file was picked for Import frames.
    pub on_import_frames: Callback<web_sys::File>,
}

/// The toolbar above the rows.
#[function_component(FeedToolbar)]
pub fn feed_toolbar(props: &FeedToolbarProps) -> Html {
    let dir = &props.directory;
    let set = |change: fn(&mut FeedFilter, Option<String>)| {
        let (filter, on_filter) = (props.filter.clone(), props.on_filter.clone());
        Callback::from(move |e: Event| {
            let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            else {
                return;
            };
            let value = select.value();
            let mut next = (*filter).clone();
            change(&mut next, (value != "*").then_some(value));
            on_filter.emit(next);
        })
    };
    let on_text = {
        let (filter, on_filter) = (props.filter.clone(), props.on_filter.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                on_filter.emit(FeedFilter {
                    text: input.value(),
                    ..(*filter).clone()
                });
            }
        })
    };
    let on_import = {
        let on_import = props.on_import_frames.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                if let Some(file) = input.files().and_then(|files| files.get(0)) {
                    on_import.emit(file);
                }
                // Picking the same file again must fire again.
                input.set_value("");
            }
        })
    };
    let options = |ids: &[String], kind: NameKind, current: &Option<String>| {
        let mut labelled: Vec<(String, String)> = ids
            .iter()
            .map(|id| {
                let label = match kind {
                    NameKind::Code => code_words(dir, id),
                    _ => dir
                        .name(kind, id)
                        .map(str::to_owned)
                        .unwrap_or_else(|| short_id(id)),
                };
                (label, id.clone())
            })
            .collect();
        labelled.sort();
        html! { <>{ for labelled.into_iter().map(|(label, id)| {
            let selected = current.as_deref() == Some(id.as_str());
            html! { <option value={id} {selected}>{ label }</option> }
        }) }</> }
    };
    let f = &props.filter;
    let pause = {
        let (on_pause, paused) = (props.on_pause.clone(), props.paused);
        Callback::from(move |_: MouseEvent| on_pause.emit(!paused))
    };
    let clear = {
        let on_filter = props.on_filter.clone();
        Callback::from(move |_: MouseEvent| on_filter.emit(FeedFilter::default()))
    };
    let click = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <div class="feed-toolbar" role="toolbar" aria-label={t("toolbar-label")}>
            <div class="filters" role="group" aria-label={t("toolbar-filters")}>
                <label class="field"><span>{ t("filter-agent") }</span>
                    <select onchange={set(|f, v| f.agent = v)} aria-label={t("filter-agent")}>
                        <option value="*" selected={f.agent.is_none()}>{ t("filter-all-agents") }</option>
                        { options(&props.agents, NameKind::User, &f.agent) }
                    </select>
                </label>
                <label class="field"><span>{ t("filter-queue") }</span>
                    <select onchange={set(|f, v| f.queue = v)} aria-label={t("filter-queue")}>
                        <option value="*" selected={f.queue.is_none()}>{ t("filter-all-queues") }</option>
                        { options(&props.queues, NameKind::Queue, &f.queue) }
                    </select>
                </label>
                <label class="field"><span>{ t("filter-code") }</span>
                    <select onchange={set(|f, v| f.code = v)} aria-label={t("filter-code-label")}>
                        <option value="*" selected={f.code.is_none()}>{ t("filter-all-codes") }</option>
                        { options(&props.codes, NameKind::Code, &f.code) }
                    </select>
                </label>
                <label class="field"><span>{ t("filter-outcome") }</span>
                    <select onchange={set(|f, v| f.outcome = v.and_then(|v| OUTCOMES.into_iter().find(|o| o.as_str() == v)))} aria-label={t("filter-outcome")}>
                        <option value="*" selected={f.outcome.is_none()}>{ t("filter-all-outcomes") }</option>
                        { for OUTCOMES.into_iter().map(|o| html! {
                            <option value={o.as_str()} selected={f.outcome == Some(o)}>{ outcome_words(o) }</option>
                        }) }
                    </select>
                </label>
                <label class="field field-text"><span>{ t("filter-search") }</span>
                    <input type="search" placeholder={t("filter-search-placeholder")} aria-label={t("filter-search-label")}
                        value={f.text.clone()} oninput={on_text} />
                </label>
                if !f.is_empty() {
                    <button type="button" class="button button-quiet" onclick={clear}>{ t("filter-clear") }</button>
                }
            </div>
            <div class="actions" role="group" aria-label={t("toolbar-actions")}>
                if !props.offline {
                    <button type="button" class={classes!("button", props.paused.then_some("button-paused"))}
                        aria-pressed={props.paused.to_string()} onclick={pause}>
                        { if props.paused { t_args("toolbar-resume", &[("held", props.held.into())]) } else { t("toolbar-pause") } }
                    </button>
                }
                <button type="button" class="button" onclick={click(&props.on_export)}>{ t("toolbar-export-csv") }</button>
                if !props.offline {
                    <button type="button" class="button" onclick={click(&props.on_download_frames)}
                        title={t("toolbar-download-frames-title")}>{ t("toolbar-download-frames") }</button>
                }
                <label class="button file-button" title={t("toolbar-import-frames-title")}>
                    { t("toolbar-import-frames") }
                    <input type="file" class="visually-hidden" accept=".ndjson,.jsonl,.txt,application/x-ndjson" onchange={on_import} />
                </label>
            </div>
        </div>
    }
}
