//! One context list (the customer's recent conversations, or the agent's last wrap-ups): how loading goes (a
//! wait says why and counts down) and one row per conversation: when, media, and per agent leg the code's name
//! and the verdict. Rows carry `data-conversation-id`; legs `data-participant-id`, `data-code`, `data-verdict`.

use std::rc::Rc;

use wrapup_core::history::HistoryRow;
use wrapup_core::lookup::context::CONTEXT_DAYS;
use yew::prelude::*;

use super::{code_name, when};
use crate::components::leg_verdict::verdict_label;
use crate::components::lookup_status::use_now_ticking;
use crate::i18n::{t, t_args};
use crate::state::feed::Directory;
use crate::state::interaction::ContextStatus;
use crate::types::interaction::ContextList as List;
use crate::view::media_label;

/// Props for [`ContextList`].
#[derive(Properties, PartialEq)]
pub struct ContextListProps {
    /// Which list.
    pub list: List,
    /// The heading.
    pub title: AttrValue,
    /// How far it has got.
    pub status: ContextStatus,
    /// Names of users and codes, where known.
    pub directory: Rc<Directory>,
    /// Whether to name the agent of each leg (the customer's list; the agent's list is one agent).
    #[prop_or_default]
    pub show_agents: bool,
}

/// The list.
#[function_component(ContextList)]
pub fn context_list(props: &ContextListProps) -> Html {
    let now = use_now_ticking(matches!(props.status, ContextStatus::Waiting { .. }));
    let body = match &props.status {
        ContextStatus::Idle | ContextStatus::Loading => {
            html! { <p class="context-status" role="status">{ t("interaction-context-loading") }</p> }
        }
        ContextStatus::NotAvailable(why) => html! { <p class="context-status">{ why.clone() }</p> },
        ContextStatus::Waiting { why, retry_at_ms } => {
            let seconds = ((retry_at_ms - *now) / 1000.0).ceil().max(0.0) as i64;
            html! {
                <p class="context-status context-waiting" role="status" data-testid="context-waiting">
                    { why.clone() }{ " " }<strong role="timer">{ t_args("interaction-context-retry", &[("seconds", seconds.into())]) }</strong>
                </p>
            }
        }
        ContextStatus::Failed(message) => html! {
            <p class="context-status context-failed" role="alert" data-testid="context-failed">{ message.clone() }</p>
        },
        ContextStatus::Loaded(rows) if rows.is_empty() => html! {
            <p class="context-status" data-testid="context-empty">
                { t_args("interaction-context-empty", &[("days", CONTEXT_DAYS.into())]) }
            </p>
        },
        ContextStatus::Loaded(rows) => html! {
            <ol class="context-rows">
                { for rows.iter().map(|row| context_row(row, &props.directory, props.show_agents)) }
            </ol>
        },
    };
    html! {
        <section class="interaction-context" data-testid={format!("context-{}", props.list.as_str())}
            data-state={status_name(&props.status)} aria-label={props.title.clone()}>
            <h3>{ props.title.clone() }</h3>
            { body }
        </section>
    }
}

fn status_name(status: &ContextStatus) -> &'static str {
    match status {
        ContextStatus::Idle => "idle",
        ContextStatus::NotAvailable(_) => "not_available",
        ContextStatus::Loading => "loading",
        ContextStatus::Waiting { .. } => "waiting",
        ContextStatus::Loaded(_) => "loaded",
        ContextStatus::Failed(_) => "failed",
    }
}

fn context_row(row: &HistoryRow, directory: &Directory, show_agents: bool) -> Html {
    let legs = row.verdicts.iter().map(|leg| {
        let agent = leg.user_id.as_deref().map(|u| {
            directory
                .user_name(u)
                .map_or_else(|| t("interaction-context-agent-unknown"), str::to_owned)
        });
        html! {
            <li class="context-leg" data-participant-id={leg.participant_id.clone().unwrap_or_default()}
                data-code={leg.code.clone().unwrap_or_default()} data-verdict={leg.verdict.as_str()}
                title={format!("{}\n{}", leg.verdict.advice(), leg.evidence.join("\n"))}>
                if show_agents && let Some(agent) = agent {
                    <span class="context-agent">{ agent }{ ": " }</span>
                }
                <span class="context-code">
                    { leg.code.as_deref().map_or_else(|| t("interaction-context-no-code"), |c| code_name(directory, c)) }
                </span>
                { " · " }
                <span class={classes!("verdict-badge", format!("verdict-{}", leg.verdict.as_str()))}>
                    { verdict_label(leg.verdict) }
                </span>
            </li>
        }
    });
    html! {
        <li key={row.conversation_id.clone()} class="context-row" data-testid="context-row"
            data-conversation-id={row.conversation_id.clone()}>
            <div class="context-row-head">
                <time datetime={row.conversation_start.clone().unwrap_or_default()}>{ when(row.conversation_start.as_deref()) }</time>
                <span class="context-media">{ media_label(row.media_type.as_deref()) }</span>
            </div>
            <ul class="context-legs">{ for legs }</ul>
        </li>
    }
}
