//! The history panel's face: the window and filters, Run query / Run as job, the progress of the run, a
//! chart of verdict counts, the results table and Export CSV / NDJSON. It raises callbacks; the app runs
//! the searches (components never fetch).

use std::rc::Rc;

use wrapup_core::query::HistoryFilters;
use yew::prelude::*;

use super::history_filters::HistoryFiltersForm;
use super::job_progress::JobProgress;
use super::results_table::ResultsTable;
use super::verdict_chart::VerdictChart;
use super::window_picker::{WindowPicker, input_value, parse_window};
use crate::i18n::t;
use crate::state::feed::Directory;
use crate::state::history::HistoryState;
use crate::types::history::{ExportFormat, RunId, SearchKind, SearchRequest};

/// Windows longer than this suggest an async job instead of the interval query.
const LONG_WINDOW_HOURS: u64 = 24;

/// Props for [`HistoryView`].
#[derive(Properties, PartialEq)]
pub struct HistoryViewProps {
    /// The search state.
    pub history: UseReducerHandle<HistoryState>,
    /// Names known to the widget.
    pub directory: Rc<Directory>,
    /// Run pressed: the search wanted.
    pub on_search: Callback<SearchRequest>,
    /// Cancel pressed on this run.
    pub on_cancel: Callback<RunId>,
    /// Export pressed.
    pub on_export: Callback<ExportFormat>,
    /// What the last export said, if it failed.
    #[prop_or_default]
    pub export_problem: Option<AttrValue>,
}

/// The history search panel.
#[function_component(HistoryView)]
pub fn history_view(props: &HistoryViewProps) -> Html {
    let window = use_state(|| {
        let now = js_sys::Date::now();
        (input_value(now - 3_600_000.0), input_value(now + 60_000.0))
    });
    let filters = use_state(|| HistoryFilters {
        ended_only: true,
        ..HistoryFilters::default()
    });
    let page_size = use_state(|| 100u32);
    let parsed = parse_window(&window.0, &window.1);
    let run = props.history.run.as_ref();
    let busy = run.is_some_and(|r| r.status.is_active());
    let start = |kind: SearchKind| {
        let (on_search, filters, page_size) =
            (props.on_search.clone(), filters.clone(), page_size.clone());
        let parsed = parsed.clone();
        Callback::from(move |_: MouseEvent| {
            if let Ok(window) = parsed.clone() {
                on_search.emit(SearchRequest {
                    window,
                    filters: (*filters).clone(),
                    kind,
                    page_size: *page_size,
                });
            }
        })
    };
    let long = parsed
        .as_ref()
        .is_ok_and(|w| w.length().as_secs() > LONG_WINDOW_HOURS * 3600);
    let on_window = {
        let window = window.clone();
        Callback::from(move |(from, to): (String, String)| window.set((from, to)))
    };
    let on_filters = {
        let filters = filters.clone();
        Callback::from(move |next| filters.set(next))
    };
    let on_page_size = {
        let page_size = page_size.clone();
        Callback::from(move |n| page_size.set(n))
    };
    let progress = run.map(|run| {
        let (on_cancel, id) = (props.on_cancel.clone(), run.id);
        html! { <JobProgress run={run.clone()} on_cancel={Callback::from(move |()| on_cancel.emit(id))} /> }
    });
    let results = run.filter(|run| !run.rows.is_empty()).map(|run| {
        let export = |format: ExportFormat, label: String| {
            let on_export = props.on_export.clone();
            html! {
                <button type="button" class="button" onclick={Callback::from(move |_: MouseEvent| on_export.emit(format))}
                    data-testid={format!("history-export-{}", format.extension())}>{ label }</button>
            }
        };
        let history = props.history.clone();
        let is_final = Callback::from(move |row: Rc<wrapup_core::history::HistoryRow>| {
            history.run.as_ref().is_none_or(|run| run.is_final(&row))
        });
        html! {
            <>
                <div class="history-results-bar">
                    <VerdictChart counts={Rc::new(run.verdict_counts.clone())} />
                    <div class="history-export">
                        { export(ExportFormat::Csv, t("toolbar-export-csv")) }
                        { export(ExportFormat::Ndjson, t("history-export-ndjson")) }
                        <p class="muted">{ t("history-export-note") }</p>
                    </div>
                </div>
                <ResultsTable rows={Rc::new(run.rows.clone())} {is_final} directory={props.directory.clone()} />
            </>
        }
    });
    html! {
        <div class="history" data-testid="history">
            <h2 id="history-title">{ t("history-title") }</h2>
            <div class="history-form">
                <WindowPicker from={window.0.clone()} to={window.1.clone()} on_change={on_window} />
                <HistoryFiltersForm filters={(*filters).clone()} page_size={*page_size}
                    directory={props.directory.clone()} on_change={on_filters} {on_page_size} />
            </div>
            <div class="history-actions">
                <button type="button" class="button button-primary" disabled={busy || parsed.is_err()}
                    onclick={start(SearchKind::Query)} data-testid="history-run-query">{ t("history-run-query") }</button>
                <button type="button" class="button" disabled={busy || parsed.is_err()}
                    onclick={start(SearchKind::Job)} data-testid="history-run-job">{ t("history-run-job") }</button>
                { long.then(|| html! {
                    <span class="muted">{ t("history-long-window") }</span>
                }) }
            </div>
            { for props.export_problem.clone().map(|p| html! { <p class="history-problem" role="alert">{ p }</p> }) }
            { for progress }
            { for results }
        </div>
    }
}
