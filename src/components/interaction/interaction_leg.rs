//! One agent leg of the open conversation: the agent, the live wrap-up state (pending, submitted with the code's
//! name, skipped, timed out, …) and, once analytics has the leg, its verdict, with the evidence folded away.
//! The element carries `data-participant-id`, `data-live`, `data-source` (`feed` or `realtime`) and
//! `data-verdict` (the `wrapup explain` name).

use std::rc::Rc;

use wrapup_core::lookup::context::{InteractionLeg as Leg, LiveState};
use yew::prelude::*;

use super::code_name;
use crate::components::leg_verdict::verdict_label;
use crate::i18n::t;
use crate::state::feed::Directory;

/// Props for [`InteractionLeg`].
#[derive(Properties, PartialEq)]
pub struct InteractionLegProps {
    /// The leg.
    pub leg: Leg,
    /// Names of users and codes, where known.
    pub directory: Rc<Directory>,
}

/// The live state as a person reads it.
pub fn live_label(state: LiveState) -> String {
    match state {
        LiveState::Connected => t("interaction-live-connected"),
        LiveState::Pending => t("interaction-live-pending"),
        LiveState::Submitted => t("interaction-live-submitted"),
        LiveState::TimedOut => t("interaction-live-timed-out"),
        LiveState::Skipped => t("interaction-live-skipped"),
        LiveState::NotRequired => t("interaction-live-not-required"),
        LiveState::Ended => t("interaction-live-ended"),
    }
}

/// One leg.
#[function_component(InteractionLeg)]
pub fn interaction_leg(props: &InteractionLegProps) -> Html {
    let leg = &props.leg;
    let directory = &props.directory;
    let agent = leg
        .user_id
        .as_deref()
        .and_then(|u| directory.user_name(u).map(str::to_owned))
        .or_else(|| leg.name.clone())
        .unwrap_or_else(|| t("interaction-leg-agent-unknown"));
    // Whole sentences per source: word order differs between languages.
    let source = if leg.from_feed {
        t("interaction-leg-from-feed")
    } else {
        t("interaction-leg-from-realtime")
    };
    html! {
        <li class={classes!("interaction-leg", format!("live-{}", leg.live.as_str()))} data-testid="interaction-leg"
            data-participant-id={leg.participant_id.clone()} data-live={leg.live.as_str()}
            data-source={if leg.from_feed { "feed" } else { "realtime" }}
            data-verdict={leg.verdict.as_ref().map(|v| v.verdict.as_str()).unwrap_or_default()}>
            <div class="interaction-leg-head">
                <span class="leg-agent">{ agent }</span>
                <span class="live-badge" title={source}>{ live_label(leg.live) }</span>
            </div>
            if let Some(code) = &leg.code {
                <div class="interaction-leg-code" data-code={code.clone()} title={code.clone()}>
                    { t("interaction-leg-code") }{ " " }<strong>{ code_name(directory, code) }</strong>
                </div>
            }
            { match &leg.verdict {
                Some(verdict) => html! {
                    <details class="interaction-verdict">
                        <summary>
                            { t("interaction-leg-analytics") }{ " " }
                            <span class={classes!("verdict-badge", format!("verdict-{}", verdict.verdict.as_str()))}>
                                { verdict_label(verdict.verdict) }
                            </span>
                            if let Some(code) = &verdict.code {
                                { " · " }<span class="verdict-code" data-code={code.clone()}>{ code_name(directory, code) }</span>
                            }
                        </summary>
                        <p class="leg-advice">{ verdict.verdict.advice() }</p>
                        <ul class="leg-evidence">
                            { for verdict.evidence.iter().map(|line| html! { <li><code>{ line.clone() }</code></li> }) }
                        </ul>
                    </details>
                },
                None => html! { <div class="interaction-verdict-none">{ t("interaction-leg-not-indexed") }</div> },
            } }
        </li>
    }
}
