//! The analytics lag probe: switch it on, see which live wrap-up it is waiting for, and the lag
//! distribution measured so far (p50, p90, max), with the last samples listed.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::feed::Directory;
use crate::state::lag_probe::LagProbeState;
use crate::view::{duration_text, short_id};

/// Samples listed under the statistics.
const LISTED: usize = 10;

/// Props for [`LagProbeView`].
#[derive(Properties, PartialEq)]
pub struct LagProbeViewProps {
    /// The probe's state.
    pub probe: Rc<LagProbeState>,
    /// Names for codes.
    pub directory: Rc<Directory>,
    /// Switch measuring on (`true`) or off.
    pub on_switch: Callback<bool>,
}

/// "Is this standard latency?", answered with the person's own measurements.
#[function_component(LagProbeView)]
pub fn lag_probe_view(props: &LagProbeViewProps) -> Html {
    let probe = &props.probe;
    let switch = {
        let (on_switch, on) = (props.on_switch.clone(), probe.on);
        Callback::from(move |_: MouseEvent| on_switch.emit(!on))
    };
    let seconds = |d: std::time::Duration| duration_text(d.as_secs() as i64);
    let stats = match probe.stats() {
        Some(s) => html! {
            <p class="lag-stats" data-testid="lag-stats" data-samples={s.samples.to_string()}>
                { format!("{} wrap-up(s) measured · p50 {} · p90 {} · max {}", s.samples, seconds(s.p50), seconds(s.p90), seconds(s.max)) }
            </p>
        },
        None => html! { <p class="lag-stats">{ "No wrap-up measured yet." }</p> },
    };
    let status = match (&probe.measuring, probe.on) {
        (Some(target), true) => format!(
            "Waiting for analytics to index the code of conversation {} (seen live {} ago).",
            short_id(&target.conversation_id),
            duration_text(
                ((js_sys::Date::now() as u64).saturating_sub(target.seen_live_ms) / 1000) as i64
            )
        ),
        (None, true) => "Waiting for the next submitted wrap-up to arrive live.".to_owned(),
        (_, false) => "Off.".to_owned(),
    };
    let rows = probe.samples.iter().rev().take(LISTED).map(|(target, lag)| {
        let code = props
            .directory
            .code_text(&target.code)
            .unwrap_or_else(|| short_id(&target.code));
        html! {
            <tr data-conversation-id={target.conversation_id.clone()} data-participant-id={target.participant_id.clone()}
                data-code={target.code.clone()}>
                <td class="mono" title={target.conversation_id.clone()}>{ short_id(&target.conversation_id) }</td>
                <td>{ code }</td>
                <td class="num">{ seconds(*lag) }</td>
            </tr>
        }
    });
    html! {
        <section class="lag-probe" aria-labelledby="lag-probe-title" data-testid="lag-probe">
            <h3 id="lag-probe-title">{ "Analytics lag, measured here" }</h3>
            <p class="lookup-hint">
                { "Takes the newest wrap-up the feed shows live and asks analytics for it every 5 s until its code is there; then the next. One request at a time: at most 12 a minute of the request budget the feed uses too. A wrap-up not indexed within 15 minutes is counted as given up." }
            </p>
            <button type="button" class={classes!("button", (!probe.on).then_some("button-primary"))} aria-pressed={probe.on.to_string()} onclick={switch}>
                { if probe.on { "Stop measuring" } else { "Measure analytics lag" } }
            </button>
            <p class="lag-status" role="status">{ status }</p>
            { stats }
            if probe.gave_up > 0 {
                <p class="lag-gave-up">{ format!("{} wrap-up(s) were not indexed within 15 minutes.", probe.gave_up) }</p>
            }
            if let Some(problem) = &probe.problem {
                <p class="lookup-error">{ problem.clone() }</p>
            }
            if !probe.samples.is_empty() {
                <table class="lag-samples">
                    <thead><tr><th>{ "Conversation" }</th><th>{ "Code" }</th><th class="num">{ "Lag" }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
        </section>
    }
}
