//! The history search wired to the platform: holds the search state, runs each search with
//! `services::history` (one at a time; a new one replaces the old) and offers the export files it wrote.
//! It lives beside App because it calls services; [`HistoryView`] only renders and raises callbacks.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::history::history_view::HistoryView;
use crate::i18n::{t, t_args};
use crate::services::api::Api;
use crate::services::history::{CancelFlag, HistoryRunner, SharedExports};
use crate::state::feed::Directory;
use crate::state::history::{HistoryAction, HistoryState};
use crate::types::history::{ExportFormat, RunId};

/// Props for [`HistoryPanel`].
#[derive(Properties, PartialEq)]
pub struct HistoryPanelProps {
    /// The signed-in client (its request budget is shared with the live feed).
    pub api: Api,
    /// Names the live feed learnt, for the filters and the table.
    pub directory: Rc<Directory>,
}

/// History queries and jobs over many conversations.
#[function_component(HistoryPanel)]
pub fn history_panel(props: &HistoryPanelProps) -> Html {
    let history = use_reducer(HistoryState::default);
    let exports: SharedExports = use_mut_ref(|| None);
    let cancel = use_mut_ref(CancelFlag::default);
    let export_problem = use_state(|| None::<AttrValue>);

    let on_search = {
        let (api, history, exports, cancel) = (
            props.api.clone(),
            history.clone(),
            exports.clone(),
            cancel.clone(),
        );
        Callback::from(move |request: crate::types::history::SearchRequest| {
            // A new search stops the last one.
            cancel.borrow().cancel();
            let flag = CancelFlag::default();
            *cancel.borrow_mut() = flag.clone();
            let id = history.next_run_id();
            history.dispatch(HistoryAction::Begin {
                id,
                kind: request.kind,
                window: request.window.to_string(),
            });
            let report = {
                let history = history.clone();
                Callback::from(move |event| history.dispatch(HistoryAction::Report(id, event)))
            };
            let runner = HistoryRunner::new(&api, report, exports.clone(), flag);
            spawn_local(runner.run(request));
        })
    };
    let on_cancel = {
        let (history, cancel) = (history.clone(), cancel.clone());
        Callback::from(move |id: RunId| {
            history.dispatch(HistoryAction::CancelRequested(id));
            cancel.borrow().cancel();
        })
    };
    let on_export = {
        let (exports, export_problem) = (exports.clone(), export_problem.clone());
        Callback::from(move |format: ExportFormat| {
            let name =
                crate::view::file_name("wrapup-history", format.extension(), js_sys::Date::now());
            let saved = match exports.borrow().as_ref() {
                Some(files) => files.file(format).download(&name),
                None => Err(t("history-export-no-search")),
            };
            export_problem.set(saved.err().map(|problem| {
                AttrValue::from(t_args(
                    "history-export-failed",
                    &[("problem", problem.into())],
                ))
            }));
        })
    };
    html! {
        <HistoryView {history} directory={props.directory.clone()} {on_search} {on_cancel} {on_export}
            export_problem={(*export_problem).clone()} />
    }
}
