//! Where the lookup is: fetching, "not indexed yet" with the time since the conversation ended, the typical
//! lag and a ticking countdown to the next try, "throttled, resuming in N s", or why it stopped.

use gloo_timers::callback::Interval;
use wrapup_core::lookup::TYPICAL_INDEXING_LAG;
use yew::prelude::*;

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
        Some(end) => format!(
            "It ended {} ago",
            duration_text(((*now - end) / 1000.0).max(0.0) as i64)
        ),
        None => "Its end time is not known yet".to_owned(),
    };
    let (class, text, countdown) = match &props.stage {
        Stage::Idle | Stage::Done => return html! {},
        Stage::Fetching => (
            "lookup-status",
            format!("Looking up {}…", props.conversation_id),
            None,
        ),
        Stage::Waiting {
            why,
            retry_at_ms,
            attempts,
        } => {
            let seconds = ((retry_at_ms - *now) / 1000.0).ceil().max(0.0) as i64;
            let text = match why {
                WaitReason::NotIndexed => format!(
                    "Not indexed yet: analytics has no record of this conversation so far. {ended}; {TYPICAL_INDEXING_LAG}. Tried {attempts} time(s)."
                ),
                WaitReason::WrapupNotIndexed => format!(
                    "Wrap-up not indexed yet: the record is there, but it is not final (an agent leg's wrap-up is missing or still open). {ended}; {TYPICAL_INDEXING_LAG}. Tried {attempts} time(s)."
                ),
                WaitReason::Throttled => {
                    "Throttled by Genesys Cloud (429): it asked the widget to wait.".to_owned()
                }
                WaitReason::Unavailable(problem) => problem.clone(),
            };
            let countdown = match why {
                WaitReason::Throttled => format!("throttled, resuming in {seconds} s"),
                _ => format!("Looking again in {seconds} s"),
            };
            ("lookup-status lookup-status-waiting", text, Some(countdown))
        }
        Stage::GaveUp(message) => ("lookup-status lookup-status-stopped", message.clone(), None),
        Stage::Failed(message) => (
            "lookup-status lookup-status-failed",
            format!("The lookup failed: {message}"),
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
