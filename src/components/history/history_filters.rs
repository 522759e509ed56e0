//! Filters of a history search: queue, agent, media type, wrap-up (present, absent, a specific code),
//! ended conversations only, and the page size.

use std::rc::Rc;

use wrapup_core::query::{HistoryFilters, WrapUpFilter};
use yew::prelude::*;

use crate::i18n::{t, t_args};
use crate::state::feed::Directory;
use crate::types::names::NameKind;

/// Media types a details query can filter on (analytics spelling).
pub const MEDIA_TYPES: [&str; 5] = ["voice", "callback", "chat", "email", "message"];

/// Page sizes offered (the sync query's maximum is UNCONFIRMED; 100 is the reference's safe size).
pub const PAGE_SIZES: [u32; 3] = [25, 100, 200];

/// Props for [`HistoryFiltersForm`].
#[derive(Properties, PartialEq)]
pub struct HistoryFiltersProps {
    /// The filters as chosen.
    pub filters: HistoryFilters,
    /// Records per page.
    pub page_size: u32,
    /// Names known to the widget (queues, agents, codes).
    pub directory: Rc<Directory>,
    /// The filters changed.
    pub on_change: Callback<HistoryFilters>,
    /// The page size changed.
    pub on_page_size: Callback<u32>,
}

fn selected(e: &Event) -> String {
    let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
    select.value()
}

/// The filter controls.
#[function_component(HistoryFiltersForm)]
pub fn history_filters(props: &HistoryFiltersProps) -> Html {
    let filters = &props.filters;
    let one = |values: &[String]| values.first().cloned().unwrap_or_default();
    let change = |apply: fn(&mut HistoryFilters, String)| {
        let (filters, on_change) = (filters.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let mut next = filters.clone();
            apply(&mut next, selected(&e));
            on_change.emit(next);
        })
    };
    let options = |kind: NameKind, current: &str| {
        let mut named = props.directory.named(kind);
        if !current.is_empty() && !named.iter().any(|(id, _)| id == current) {
            named.push((current.to_owned(), current.to_owned()));
        }
        named
            .into_iter()
            .map(|(id, name)| html! { <option value={id.clone()} selected={id == current}>{ name }</option> })
            .collect::<Html>()
    };
    let (queue, agent, media) = (
        one(&filters.queue_ids),
        one(&filters.user_ids),
        one(&filters.media_types),
    );
    let wrap_up_value = match &filters.wrap_up {
        WrapUpFilter::Any => String::new(),
        WrapUpFilter::Present => "present".into(),
        WrapUpFilter::Absent => "absent".into(),
        WrapUpFilter::Code(code) => format!("code:{code}"),
    };
    let on_wrap_up = {
        let (filters, on_change) = (filters.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let value = selected(&e);
            let mut next = filters.clone();
            next.wrap_up = match value.as_str() {
                "present" => WrapUpFilter::Present,
                "absent" => WrapUpFilter::Absent,
                other => match other.strip_prefix("code:") {
                    Some(code) => WrapUpFilter::Code(code.to_owned()),
                    None => WrapUpFilter::Any,
                },
            };
            on_change.emit(next);
        })
    };
    let mut codes = props.directory.named(NameKind::Code);
    codes.push(("ININ-WRAP-UP-TIMEOUT".into(), t("history-code-timeout")));
    let code_options = codes.into_iter().map(|(id, name)| {
        let value = format!("code:{id}");
        let chosen = value == wrap_up_value;
        html! { <option selected={chosen} {value}>{ t_args("history-code-option", &[("name", name.into())]) }</option> }
    });
    let on_ended = {
        let (filters, on_change) = (filters.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let mut next = filters.clone();
            next.ended_only = input.checked();
            on_change.emit(next);
        })
    };
    let on_page_size = {
        let on_page_size = props.on_page_size.clone();
        Callback::from(move |e: Event| {
            if let Ok(size) = selected(&e).parse() {
                on_page_size.emit(size);
            }
        })
    };
    html! {
        <fieldset class="history-filters">
            <legend>{ t("toolbar-filters") }</legend>
            <label>{ t("filter-queue") }{ " " }
                <select onchange={change(|f, v| f.queue_ids = if v.is_empty() { vec![] } else { vec![v] })} data-testid="history-queue">
                    <option value="" selected={queue.is_empty()}>{ t("history-any-queue") }</option>
                    { options(NameKind::Queue, &queue) }
                </select>
            </label>
            <label>{ t("filter-agent") }{ " " }
                <select onchange={change(|f, v| f.user_ids = if v.is_empty() { vec![] } else { vec![v] })} data-testid="history-agent">
                    <option value="" selected={agent.is_empty()}>{ t("history-any-agent") }</option>
                    { options(NameKind::User, &agent) }
                </select>
            </label>
            <label>{ t("col-media") }{ " " }
                <select onchange={change(|f, v| f.media_types = if v.is_empty() { vec![] } else { vec![v] })} data-testid="history-media">
                    <option value="" selected={media.is_empty()}>{ t("history-any-media") }</option>
                    { for MEDIA_TYPES.iter().map(|m| html! { <option value={*m} selected={*m == media}>{ *m }</option> }) }
                </select>
            </label>
            <label>{ t("history-wrapup") }{ " " }
                <select onchange={on_wrap_up} data-testid="history-wrapup">
                    <option value="" selected={wrap_up_value.is_empty()}>{ t("history-any") }</option>
                    <option value="present" selected={wrap_up_value == "present"}>{ t("history-code-present") }</option>
                    <option value="absent" selected={wrap_up_value == "absent"}>{ t("history-code-absent") }</option>
                    { for code_options }
                </select>
            </label>
            <label class="history-check">
                <input type="checkbox" checked={filters.ended_only} onchange={on_ended} data-testid="history-ended" />
                { " " }{ t("history-ended-only") }
            </label>
            <label>{ t("history-page-size") }{ " " }
                <select onchange={on_page_size} data-testid="history-page-size">
                    { for PAGE_SIZES.iter().map(|n| html! { <option value={n.to_string()} selected={*n == props.page_size}>{ n }</option> }) }
                </select>
            </label>
        </fieldset>
    }
}
