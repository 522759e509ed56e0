//! The analytics verdicts side by side with the real-time source (`GET /api/v2/conversations/{id}`: each
//! participant's `wrapup` and `attributes`) and the feed's own row, with every disagreement said in words.
//! The comparison itself is `wrapup_core::lookup::crosscheck::compare`.

use std::rc::Rc;

use wrapup_core::lookup::crosscheck::{LegComparison, RealtimeConversation};
use yew::prelude::*;

use crate::components::leg_verdict::{code_shown, verdict_label};
use crate::i18n::{t, t_args};
use crate::state::feed::Directory;
use crate::view::short_id;

/// Props for [`RealtimeCompare`].
#[derive(Properties, PartialEq)]
pub struct RealtimeCompareProps {
    /// One comparison per agent leg.
    pub legs: Vec<LegComparison>,
    /// The real-time answer (absent while it is being asked).
    #[prop_or_default]
    pub realtime: Option<Result<Option<Rc<RealtimeConversation>>, String>>,
    /// Names of users and codes, where known.
    pub directory: Rc<Directory>,
}

/// The comparison table and the real-time participant data.
#[function_component(RealtimeCompare)]
pub fn realtime_compare(props: &RealtimeCompareProps) -> Html {
    let directory = &props.directory;
    // Names keep the table narrow; an unnamed code shows a short id (the full one is in the verdict above).
    let code = |c: &Option<String>| {
        c.as_deref().map_or_else(
            || "null".to_owned(),
            |c| directory.code_text(c).unwrap_or_else(|| short_id(c)),
        )
    };
    let source_note = match &props.realtime {
        None => Some(t("realtime-asking")),
        Some(Ok(None)) => Some(t("realtime-not-found")),
        Some(Err(problem)) => Some(t_args(
            "realtime-failed",
            &[("problem", problem.as_str().into())],
        )),
        Some(Ok(Some(_))) => None,
    };
    let attributes: Vec<(String, String, String)> = match &props.realtime {
        Some(Ok(Some(conversation))) => conversation
            .participants
            .iter()
            .flat_map(|p| {
                let who = format!(
                    "{}{}",
                    p.purpose
                        .clone()
                        .unwrap_or_else(|| t("realtime-participant")),
                    p.name
                        .as_deref()
                        .map(|n| format!(": {n}"))
                        .unwrap_or_default()
                );
                p.attributes
                    .iter()
                    .map(move |(k, v)| (who.clone(), k.clone(), v.clone()))
            })
            .collect(),
        _ => Vec::new(),
    };
    html! {
        <section class="realtime-compare" aria-label={t("realtime-title")} data-testid="realtime-compare">
            <h3>{ t("realtime-title") }</h3>
            if let Some(note) = source_note {
                <p class="realtime-note">{ note }</p>
            }
            <table class="compare-table">
                <thead><tr>
                    <th>{ t("realtime-col-leg") }</th><th>{ t("realtime-col-analytics") }</th><th>{ t("realtime-col-realtime") }</th><th>{ t("realtime-col-feed") }</th><th>{ t("realtime-col-finding") }</th>
                </tr></thead>
                <tbody>
                    { for props.legs.iter().map(|leg| {
                        let agent = leg.user_id.as_deref()
                            .map(|u| directory.user_name(u).map_or_else(|| u.to_owned(), str::to_owned))
                            .unwrap_or_else(|| leg.participant_id.clone());
                        let analytics = match leg.verdict {
                            Some(verdict) => format!("{}, {}", verdict_label(verdict), code(&leg.analytics_code)),
                            None => t("realtime-not-in-record"),
                        };
                        let feed = match &leg.feed {
                            Some((feed_code, outcome)) => format!("{outcome}, {}", code(feed_code)),
                            None => t("realtime-not-seen"),
                        };
                        let finding = leg.finding.message(|c| code_shown(directory, c));
                        html! {
                            <tr data-participant-id={leg.participant_id.clone()} data-finding={leg.finding.as_str()}
                                class={classes!((leg.finding.as_str() != "agree").then_some("compare-disagree"))}>
                                <td>{ agent }</td>
                                <td>{ analytics }</td>
                                <td>{ if props.realtime.is_some() { code(&leg.realtime_code) } else { "…".to_owned() } }</td>
                                <td>{ feed }</td>
                                <td class="compare-finding">{ finding }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if !attributes.is_empty() {
                <h4>{ t("realtime-attributes-title") }</h4>
                <table class="attributes-table" data-testid="realtime-attributes">
                    <thead><tr><th>{ t("col-participant") }</th><th>{ t("realtime-col-key") }</th><th>{ t("realtime-col-value") }</th></tr></thead>
                    <tbody>
                        { for attributes.into_iter().map(|(who, key, value)| html! {
                            <tr><td>{ who }</td><td><code>{ key }</code></td><td>{ value }</td></tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
