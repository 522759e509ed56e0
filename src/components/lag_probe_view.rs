//! The analytics lag probe: switch it on, see which live wrap-up it is waiting for, and the lag
//! distribution measured so far (p50, p90, max), with the last samples listed.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{t, t_args};

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
                { t_args("lag-stats", &[
                    ("samples", s.samples.into()),
                    ("p50", seconds(s.p50).into()),
                    ("p90", seconds(s.p90).into()),
                    ("max", seconds(s.max).into()),
                ]) }
            </p>
        },
        None => html! { <p class="lag-stats">{ t("lag-none-yet") }</p> },
    };
    let status = match (&probe.measuring, probe.on) {
        (Some(target), true) => t_args(
            "lag-waiting-index",
            &[
                ("id", short_id(&target.conversation_id).into()),
                (
                    "ago",
                    duration_text(
                        ((js_sys::Date::now() as u64).saturating_sub(target.seen_live_ms) / 1000)
                            as i64,
                    )
                    .into(),
                ),
            ],
        ),
        (None, true) => t("lag-waiting-next"),
        (_, false) => t("lag-off"),
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
            <h3 id="lag-probe-title">{ t("lag-title") }</h3>
            <p class="lookup-hint">
                { t("lag-hint") }
            </p>
            <button type="button" class={classes!("button", (!probe.on).then_some("button-primary"))} aria-pressed={probe.on.to_string()} onclick={switch}>
                { if probe.on { t("lag-stop") } else { t("lag-start") } }
            </button>
            <p class="lag-status" role="status">{ status }</p>
            { stats }
            if probe.gave_up > 0 {
                <p class="lag-gave-up">{ t_args("lag-gave-up", &[("count", probe.gave_up.into())]) }</p>
            }
            if let Some(problem) = &probe.problem {
                <p class="lookup-error">{ problem.clone() }</p>
            }
            if !probe.samples.is_empty() {
                <table class="lag-samples">
                    <thead><tr><th>{ t("tab-conversation") }</th><th>{ t("filter-code") }</th><th class="num">{ t("lag-col-lag") }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
        </section>
    }
}
