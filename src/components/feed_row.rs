//! One agent leg's wrap-up outcome as a table row. All platform text renders as text.

use std::rc::Rc;

use wrapup_core::tracker::{Outcome, WrapUpOutcome};
use yew::prelude::*;

use crate::state::feed::Directory;
use crate::types::names::NameKind;
use crate::view::{clock_time, duration_text, media_label, short_id};

/// Props for [`FeedRow`].
#[derive(Properties, PartialEq)]
pub struct FeedRowProps {
    /// The outcome to show.
    pub outcome: Rc<WrapUpOutcome>,
    /// Names for ids.
    pub directory: Rc<Directory>,
    /// When it arrived (ms since epoch), used when the platform gave no end time.
    pub received_at_ms: f64,
}

/// A feed row: time, agent, queue, media, wrap-up code, notes, outcome.
#[function_component(FeedRow)]
pub fn feed_row(props: &FeedRowProps) -> Html {
    let o = &props.outcome;
    let dir = &props.directory;
    let agent = name_or_id(dir, NameKind::User, o.user_id.as_deref(), "Unknown agent");
    let queue = name_or_id(dir, NameKind::Queue, o.queue_id.as_deref(), "No queue");
    let (badge_class, badge) = match o.outcome {
        Outcome::Submitted => ("badge badge-submitted", "Submitted"),
        Outcome::TimedOut => ("badge badge-timed-out", "Timed out"),
        Outcome::Skipped => ("badge badge-skipped", "Skipped"),
        Outcome::NotRequired => ("badge badge-not-required", "No wrap-up"),
        Outcome::Pending => ("badge badge-pending", "Wrapping up"),
    };
    let code = match (&o.outcome, o.code.as_deref()) {
        (_, Some(code))
            if wrapup_core::model::WrapUpCodeKind::of(code)
                != wrapup_core::model::WrapUpCodeKind::Configured =>
        {
            html! {
                <span class="code code-system" title="A system code Genesys Cloud applied, not one the agent chose">{ code }</span>
            }
        }
        (_, Some(code)) => match dir.code_name(code) {
            Some(name) => html! { <span class="code" title={code.to_owned()}>{ name }</span> },
            None => html! {
                <span class="code code-unresolved" title={unnamed_title(dir, NameKind::Code, code)}>
                    { short_id(code) }
                </span>
            },
        },
        (Outcome::Skipped, None) => {
            html! { <span class="code code-none">{ "Agent skipped after-call work" }</span> }
        }
        (Outcome::NotRequired, None) => {
            html! { <span class="code code-none">{ "No after-call work on this leg" }</span> }
        }
        (_, None) => html! { <span class="code code-none">{ "—" }</span> },
    };
    let when = clock_time(o.end_time.as_deref(), props.received_at_ms);
    html! {
        <tr class="feed-row" data-outcome={badge_class.rsplit('-').next().unwrap_or_default().to_owned()}>
            <td class="col-time"><time datetime={o.end_time.clone().unwrap_or_default()}>{ when }</time></td>
            <td class="col-agent">{ agent }</td>
            <td class="col-queue">{ queue }</td>
            <td class="col-media">{ media_label(o.media_type.as_deref()) }</td>
            <td class="col-code">{ code }</td>
            <td class="col-notes" title={o.notes.clone().unwrap_or_default()}>{ o.notes.clone().unwrap_or_default() }</td>
            <td class="col-outcome">
                <span class={badge_class}>{ badge }</span>
                if let Some(secs) = o.duration_seconds {
                    <span class="acw-duration" title="Time in after-call work">{ duration_text(secs) }</span>
                }
            </td>
        </tr>
    }
}

fn name_or_id(dir: &Directory, kind: NameKind, id: Option<&str>, missing: &'static str) -> Html {
    let name = |id: &str| match kind {
        NameKind::Code => dir.code_name(id),
        NameKind::User => dir.user_name(id),
        NameKind::Queue => dir.queue_name(id),
    };
    match id {
        Some(id) => match name(id) {
            Some(name) => html! { <span title={id.to_owned()}>{ name.to_owned() }</span> },
            None => html! {
                <span class="unresolved" title={unnamed_title(dir, kind, id)}>{ short_id(id) }</span>
            },
        },
        None => html! { <span class="unresolved">{ missing }</span> },
    }
}

/// The tooltip of an id shown without its name: the platform's reason once it gave one.
fn unnamed_title(dir: &Directory, kind: NameKind, id: &str) -> String {
    match dir.why_unnamed(kind, id) {
        Some(reason) => format!("{id}: {reason}"),
        None if kind == NameKind::Code => {
            "Name not available yet, or the code was deleted or is in a division you cannot see"
                .to_owned()
        }
        None => id.to_owned(),
    }
}
