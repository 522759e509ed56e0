//! One agent leg as a table row of fixed height. All platform text renders as text.

use std::rc::Rc;

use wrapup_core::export::RowSource;
use wrapup_core::tracker::Outcome;
use yew::prelude::*;

use crate::i18n::{t, t_args};
use crate::state::feed::{CodeLabel, Directory, FeedRow as Row};
use crate::types::names::NameKind;
use crate::view::{clock_time, delay_text, duration_text, media_label, outcome_words, short_id};

/// Props for [`FeedRow`].
#[derive(Properties, PartialEq)]
pub struct FeedRowProps {
    /// The row to show.
    pub row: Rc<Row>,
    /// Names for ids.
    pub directory: Rc<Directory>,
    /// Its position among the rows shown (0 = top).
    pub index: usize,
    /// Whether it is the row the keyboard is on (the one reachable with Tab).
    #[prop_or_default]
    pub focused: bool,
    /// Clicked (or Enter): the row's index.
    #[prop_or_default]
    pub on_select: Callback<usize>,
}

/// A feed row: end time, agent, queue, media, outcome, code, notes, ACW time, arrival delay.
#[function_component(FeedRow)]
pub fn feed_row(props: &FeedRowProps) -> Html {
    let row = &props.row;
    let o = &row.outcome;
    let dir = &props.directory;
    let (badge_class, badge) = outcome_badge(o.outcome);
    // A leg in ACW has not ended: show when it was first seen wrapping up, muted.
    let when = clock_time(o.end_time.as_deref(), row.received_at_ms);
    let onclick = {
        let (select, index) = (props.on_select.clone(), props.index);
        Callback::from(move |_: MouseEvent| select.emit(index))
    };
    let arrived = match (o.outcome, row.delay_ms()) {
        (Outcome::Pending, _) => html! { <span class="muted">{ t("row-in-acw") }</span> },
        (_, Some(ms)) => html! {
            <span title={t("row-delay-title")}>{ delay_text(ms) }</span>
        },
        (_, None) => html! { <span class="muted">{ "—" }</span> },
    };
    html! {
        <tr class={classes!("feed-row", props.focused.then_some("is-focused"))}
            data-index={props.index.to_string()} data-outcome={o.outcome.as_str()}
            data-conversation={o.conversation_id.clone()}
            aria-rowindex={(props.index + 2).to_string()}
            tabindex={if props.focused { "0" } else { "-1" }} {onclick}>
            <td class="col-time"><time datetime={o.end_time.clone().unwrap_or_default()}>{ when }</time></td>
            <td class="col-agent">{ named(dir, NameKind::User, o.user_id.as_deref(), || t("row-unknown-agent")) }</td>
            <td class="col-queue">{ named(dir, NameKind::Queue, o.queue_id.as_deref(), || t("row-no-queue")) }</td>
            <td class="col-media">{ media_label(o.media_type.as_deref()) }</td>
            <td class="col-outcome"><span class={badge_class}>{ badge }</span></td>
            <td class="col-code">{ code_cell(dir, o.outcome, o.code.as_deref()) }</td>
            <td class="col-notes" title={o.notes.clone().unwrap_or_default()}>{ o.notes.clone().unwrap_or_default() }</td>
            <td class="col-acw">{ o.duration_seconds.map(duration_text).unwrap_or_default() }</td>
            <td class="col-arrived">
                { arrived }
                if row.source == RowSource::Recovered {
                    <span class="tag-recovered" title={t("row-recovered-title")}>{ t("row-recovered") }</span>
                }
            </td>
        </tr>
    }
}

/// The badge class and words for an outcome.
pub fn outcome_badge(outcome: Outcome) -> (&'static str, String) {
    let class = match outcome {
        Outcome::Submitted => "badge badge-submitted",
        Outcome::TimedOut => "badge badge-timed-out",
        Outcome::Skipped => "badge badge-skipped",
        Outcome::NotRequired => "badge badge-not-required",
        Outcome::Pending => "badge badge-pending",
    };
    (class, outcome_words(outcome))
}

fn code_cell(dir: &Directory, outcome: Outcome, code: Option<&str>) -> Html {
    match code {
        Some(code) => match dir.code_label(code) {
            CodeLabel::Named(name) => {
                html! { <span class="code" title={code.to_owned()}>{ name }</span> }
            }
            CodeLabel::System(label) => html! {
                <span class="code code-system" title={t_args("code-system-title", &[("code", code.into())])}>{ label }</span>
            },
            CodeLabel::Unavailable(reason) => html! {
                <span class="code code-unresolved" title={format!("{code}: {reason}")}>
                    { t_args("code-unavailable-row", &[("code", short_id(code).into())]) }
                </span>
            },
            CodeLabel::Unknown => html! {
                <span class="code code-unresolved" title={t_args("code-looking-up-title", &[("code", code.into())])}>{ short_id(code) }</span>
            },
        },
        None => {
            let words = match outcome {
                Outcome::Skipped => t("code-none-skipped"),
                Outcome::NotRequired => t("code-none-not-required"),
                _ => "—".to_owned(),
            };
            html! { <span class="code code-none">{ words }</span> }
        }
    }
}

/// `missing`: the words for a row without this id.
fn named(
    dir: &Directory,
    kind: NameKind,
    id: Option<&str>,
    missing: impl FnOnce() -> String,
) -> Html {
    match id {
        Some(id) => match (dir.name(kind, id), dir.why_unnamed(kind, id)) {
            (Some(name), _) => html! { <span title={id.to_owned()}>{ name.to_owned() }</span> },
            (None, Some(reason)) => html! {
                <span class="unresolved" title={format!("{id}: {reason}")}>{ t_args("row-not-visible", &[("id", short_id(id).into())]) }</span>
            },
            (None, None) => {
                html! { <span class="unresolved" title={id.to_owned()}>{ short_id(id) }</span> }
            }
        },
        None => html! { <span class="unresolved">{ missing() }</span> },
    }
}
