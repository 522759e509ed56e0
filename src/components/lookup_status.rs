//! Where the lookup is: fetching, "not indexed yet" with the time since the conversation ended, the typical
//! lag and a ticking countdown to the next try, "throttled, resuming in N s", or why it stopped.

use gloo_timers::callback::Interval;
use wrapup_core::lookup::TYPICAL_INDEXING_LAG;
use yew::prelude::*;

use crate::i18n::{t, t_args};
use crate::state::lookup::Stage;
use crate::types::lookup::WaitReason;
use crate::view::duration_text;

/// Props for [`LookupStatus`].
#[derive(Properties, PartialEq)]
pub struct LookupStatusProps {
    /// The lookup's stage.
    pub stage: Stage,
    /// The conversation looked up.
    pub conversation_id: AttrValue,
    /// When it ended (ms since epoch), if any source said.
    #[prop_or_default]
    pub ended_at_ms: Option<f64>,
}

/// The time now (ms since epoch), re-read twice a second while `ticking` so a countdown moves.
#[hook]
pub fn use_now_ticking(ticking: bool) -> UseStateHandle<f64> {
    let now = use_state(js_sys::Date::now);
    {
        let now = now.clone();
        use_effect_with(ticking, move |ticking| {
            let tick = ticking.then(|| Interval::new(500, move || now.set(js_sys::Date::now())));
            move || drop(tick)
        });
    }
    now
}

/// The status line, ticking every second while waiting.
#[function_component(LookupStatus)]
pub fn lookup_status(props: &LookupStatusProps) -> Html {
    let now = use_now_ticking(matches!(props.stage, Stage::Waiting { .. }));
    let ended = match props.ended_at_ms {
        Some(end) => t_args(
            "lookup-ended-ago",
            &[(
                "duration",
                duration_text(((*now - end) / 1000.0).max(0.0) as i64).into(),
            )],
        ),
        None => t("lookup-end-unknown"),
    };
    let (class, text, countdown) = match &props.stage {
        Stage::Idle | Stage::Done => return html! {},
        Stage::Fetching => (
            "lookup-status",
            t_args(
                "lookup-fetching",
                &[("id", props.conversation_id.as_str().into())],
            ),
            None,
        ),
        Stage::Waiting {
            why,
            retry_at_ms,
            attempts,
        } => {
            let seconds = ((retry_at_ms - *now) / 1000.0).ceil().max(0.0) as i64;
            let text = match why {
                WaitReason::NotIndexed => t_args(
                    "lookup-not-indexed",
                    &[
                        ("ended", ended.as_str().into()),
                        ("lag", TYPICAL_INDEXING_LAG.into()),
                        ("attempts", (*attempts).into()),
                    ],
                ),
                WaitReason::WrapupNotIndexed => t_args(
                    "lookup-wrapup-not-indexed",
                    &[
                        ("ended", ended.as_str().into()),
                        ("lag", TYPICAL_INDEXING_LAG.into()),
                        ("attempts", (*attempts).into()),
                    ],
                ),
                WaitReason::Throttled => t("lookup-throttled"),
                WaitReason::Unavailable(problem) => problem.clone(),
            };
            let countdown = match why {
                WaitReason::Throttled => {
                    t_args("lookup-throttled-countdown", &[("seconds", seconds.into())])
                }
                _ => t_args("lookup-retry-countdown", &[("seconds", seconds.into())]),
            };
            ("lookup-status lookup-status-waiting", text, Some(countdown))
        }
        Stage::GaveUp(message) => ("lookup-status lookup-status-stopped", message.clone(), None),
        Stage::Failed(message) => (
            "lookup-status lookup-status-failed",
            t_args("lookup-failed", &[("message", message.as_str().into())]),
            None,
        ),
    };
    html! {
        <div class={class} role="status" aria-live="polite" data-testid="lookup-status">
            <span>{ text }</span>
            if let Some(countdown) = countdown {
                { " " }<strong class="lookup-countdown" role="timer" data-testid="lookup-countdown">{ countdown }</strong>
            }
        </div>
    }
}
