//! A history search's conversations as a virtualized table: only the rows in view (plus a few either side)
//! exist in the DOM, whatever the number found. One row per conversation, its verdict per agent leg.

use std::rc::Rc;

use web_sys::HtmlElement;
use wrapup_core::history::HistoryRow;
use yew::prelude::*;

use crate::i18n::t;
use crate::state::feed::Directory;
use crate::types::names::NameKind;
use crate::view::{media_label, short_id};

/// Height of every row in CSS pixels (kept in step with `.history-row` in styles.css).
pub const ROW_HEIGHT: f64 = 34.0;
/// Rows rendered beyond each edge of the view.
pub const OVERSCAN: usize = 8;
/// Rows assumed in view before the table is measured.
const FIRST_FIT: usize = 14;

/// Props for [`ResultsTable`].
#[derive(Properties, PartialEq)]
pub struct ResultsTableProps {
    /// The rows, in arrival order.
    pub rows: Rc<Vec<Rc<HistoryRow>>>,
    /// Per row: whether its data is final (after `dataAvailabilityDate` it is not).
    pub is_final: Callback<Rc<HistoryRow>, bool>,
    /// Names for ids.
    pub directory: Rc<Directory>,
}

/// The virtualized results table.
#[function_component(ResultsTable)]
pub fn results_table(props: &ResultsTableProps) -> Html {
    let container = use_node_ref();
    let view = use_state(|| (0usize, FIRST_FIT));
    let onscroll = {
        let (container, view) = (container.clone(), view.clone());
        Callback::from(move |_: Event| {
            if let Some(el) = container.cast::<HtmlElement>() {
                let first = (f64::from(el.scroll_top()).max(0.0) / ROW_HEIGHT) as usize;
                let fits = (f64::from(el.client_height()) / ROW_HEIGHT).ceil() as usize + 1;
                if (first, fits) != *view {
                    view.set((first, fits));
                }
            }
        })
    };
    let total = props.rows.len();
    let (first, fits) = *view;
    let start = first.saturating_sub(OVERSCAN).min(total);
    let end = (first + fits + OVERSCAN).min(total);
    let spacer = |rows: usize| {
        (rows > 0).then(|| html! {
            <tr class="history-spacer" aria-hidden="true"><td colspan="6" height={format!("{}", rows as f64 * ROW_HEIGHT)}></td></tr>
        })
    };
    let dir = &props.directory;
    let name = |kind: NameKind, id: Option<&str>| -> String {
        match id {
            Some(id) => dir
                .name(kind, id)
                .map_or_else(|| short_id(id), str::to_owned),
            None => "—".to_owned(),
        }
    };
    let body = (start..end).filter_map(|index| {
        let row = props.rows.get(index)?.clone();
        let settled = props.is_final.emit(row.clone());
        let legs = row.verdicts.iter().map(|leg| {
            let verdict = leg.verdict.as_str();
            let who = name(NameKind::User, leg.user_id.as_deref());
            let code = leg.code.as_deref().map(|c| dir.code_text(c).unwrap_or_else(|| short_id(c)));
            let title = format!("{}\n{}", leg.verdict.advice(), leg.evidence.join("\n"));
            html! {
                <span class={classes!("verdict", format!("verdict-{verdict}"))} title={title}
                    data-verdict={verdict} data-participant-id={leg.participant_id.clone().unwrap_or_default()}>
                    { if leg.user_id.is_some() { format!("{who}: {verdict}") } else { verdict.to_owned() } }
                    { code.map(|c| format!(" · {c}")).unwrap_or_default() }
                </span>
            }
        });
        Some(html! {
            <tr key={row.conversation_id.clone()} class="history-row" data-conversation-id={row.conversation_id.clone()}>
                <td class="mono" title={row.conversation_id.clone()}>{ short_id(&row.conversation_id) }</td>
                <td><time datetime={row.conversation_start.clone().unwrap_or_default()}>
                    { row.conversation_start.as_deref().map_or("—", |s| s.get(..19).unwrap_or(s)).replace('T', " ") }
                </time></td>
                <td>{ media_label(row.media_type.as_deref()) }</td>
                <td>{ name(NameKind::Queue, row.queue_id.as_deref()) }</td>
                <td class="history-verdicts">{ for legs }</td>
                <td>{ if settled { html! { t("history-final") } } else { html! { <span class="not-final" title={t("history-not-final-title")}>{ t("history-not-final") }</span> } } }</td>
            </tr>
        })
    });
    html! {
        <div class="history-scroll" ref={container} {onscroll} data-testid="history-table" data-rows={total.to_string()}>
            <table class="history-table" aria-rowcount={(total + 1).to_string()}>
                <thead><tr>
                    <th scope="col">{ t("tab-conversation") }</th>
                    <th scope="col">{ t("history-col-started") }</th>
                    <th scope="col">{ t("col-media") }</th>
                    <th scope="col">{ t("filter-queue") }</th>
                    <th scope="col">{ t("verdicts-title") }</th>
                    <th scope="col">{ t("history-col-data") }</th>
                </tr></thead>
                <tbody>
                    { spacer(start) }
                    { for body }
                    { spacer(total - end) }
                </tbody>
            </table>
        </div>
    }
}
