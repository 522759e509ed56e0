//! One agent leg's verdict: what it is, the agent, the code by name, what to do next, and the record's fields
//! that prove it. The element carries `data-participant-id` and `data-verdict` (the `wrapup explain` name).

use std::rc::Rc;

use wrapup_core::diagnosis::{LegVerdict as Leg, Verdict};
use yew::prelude::*;

use crate::i18n::{t, t_args};

use crate::state::feed::Directory;

/// Props for [`LegVerdict`].
#[derive(Properties, PartialEq)]
pub struct LegVerdictProps {
    /// The leg's verdict from `wrapup_core::diagnosis::explain`.
    pub leg: Leg,
    /// Names of users and codes, where known.
    pub directory: Rc<Directory>,
}

/// The verdict as a person reads it.
pub fn verdict_label(verdict: Verdict) -> String {
    match verdict {
        Verdict::Coded => t("verdict-coded"),
        Verdict::TimedOut => t("verdict-timed-out"),
        Verdict::SystemCode => t("verdict-system-code"),
        Verdict::Skipped => t("verdict-skipped"),
        Verdict::WrapupWithoutCode => t("verdict-wrapup-without-code"),
        Verdict::NoWrapupPhase => t("verdict-no-wrapup-phase"),
        Verdict::NotAnswered => t("verdict-not-answered"),
        Verdict::InProgress => t("verdict-in-progress"),
        Verdict::NoAgent => t("verdict-no-agent"),
    }
}

/// A code by name with its id, or the id alone.
pub fn code_shown(directory: &Directory, code: &str) -> String {
    match directory.code_text(code) {
        Some(name) if name != code => format!("{name} ({code})"),
        _ => code.to_owned(),
    }
}

/// One leg.
#[function_component(LegVerdict)]
pub fn leg_verdict(props: &LegVerdictProps) -> Html {
    let leg = &props.leg;
    let agent = match (&leg.user_id, leg.verdict) {
        (_, Verdict::NoAgent) => t("leg-no-agent"),
        (Some(user), _) => props.directory.user_name(user).map_or_else(
            || t_args("leg-agent-id", &[("id", user.as_str().into())]),
            str::to_owned,
        ),
        (None, _) => t("leg-agent-no-id"),
    };
    html! {
        <li class={classes!("leg-verdict", format!("verdict-{}", leg.verdict.as_str()))} data-testid="leg-verdict"
            data-participant-id={leg.participant_id.clone().unwrap_or_default()} data-verdict={leg.verdict.as_str()}>
            <div class="leg-verdict-head">
                <span class="verdict-badge">{ verdict_label(leg.verdict) }</span>
                <span class="leg-agent">{ agent }</span>
            </div>
            if let Some(code) = &leg.code {
                <div class="leg-code">{ t("leg-code") }{ " " }<span class="leg-code-value">{ code_shown(&props.directory, code) }</span></div>
            }
            if let Some(note) = &leg.note {
                <div class="leg-note">{ t("leg-note") }{ " " }{ note.clone() }</div>
            }
            <p class="leg-advice"><strong>{ t("leg-next") }{ " " }</strong>{ leg.verdict.advice() }</p>
            <div class="leg-evidence-title">{ t("leg-evidence") }</div>
            <ul class="leg-evidence">
                { for leg.evidence.iter().map(|line| html! { <li><code>{ line.clone() }</code></li> }) }
            </ul>
            if let Some(participant) = &leg.participant_id {
                <div class="leg-participant">{ "participantId " }<code>{ participant.clone() }</code></div>
            }
        </li>
    }
}
