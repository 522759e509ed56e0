//! The live link's state at a glance: Live, Connecting, Reconnecting in N s (a countdown), Offline,
//! with the time of the last heartbeat in the label's tooltip.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::i18n::{t, t_args};
use crate::types::live::Link;

/// Props for [`ConnectionPill`].
#[derive(Properties, PartialEq)]
pub struct ConnectionPillProps {
    /// The link, or `None` when not connected at all.
    pub link: Option<Link>,
    /// Heartbeats received so far; each change dates the last heartbeat.
    #[prop_or_default]
    pub heartbeats: u32,
}

/// A small status pill; the tooltip says why it is not live and when the platform last spoke.
#[function_component(ConnectionPill)]
pub fn connection_pill(props: &ConnectionPillProps) -> Html {
    let last_heartbeat_ms = use_state(|| None::<f64>);
    {
        let last_heartbeat_ms = last_heartbeat_ms.clone();
        use_effect_with(props.heartbeats, move |count| {
            if *count > 0 {
                last_heartbeat_ms.set(Some(js_sys::Date::now()));
            }
        });
    }
    // Re-render once a second while counting down to the next try. The time itself is read at
    // render: a clock kept in state would be stale on the first render after a long Live spell.
    let rerender = use_force_update();
    {
        let counting = matches!(props.link, Some(Link::Waiting { .. }));
        use_effect_with(counting, move |counting| {
            let ticker = counting.then(|| Interval::new(1_000, move || rerender.force_update()));
            move || drop(ticker)
        });
    }
    let now_ms = js_sys::Date::now();
    let heard = match *last_heartbeat_ms {
        Some(at) => t_args("pill-heard-at", &[("time", clock_time(at).into())]),
        None => t("pill-heard-never"),
    };
    let (class, label, title) = match &props.link {
        Some(Link::Live) => (
            "pill pill-live",
            t("pill-live"),
            t_args(
                "pill-live-title",
                &[
                    ("heard", heard.as_str().into()),
                    ("heartbeats", props.heartbeats.into()),
                ],
            ),
        ),
        Some(Link::Connecting) => (
            "pill pill-connecting",
            t("pill-connecting"),
            t("pill-connecting-title"),
        ),
        Some(Link::Reconnecting { attempt, reason }) => (
            "pill pill-reconnecting",
            t_args("pill-reconnecting", &[("attempt", (*attempt).into())]),
            t_args(
                "pill-reconnecting-title",
                &[
                    ("reason", reason.as_str().into()),
                    ("heard", heard.as_str().into()),
                ],
            ),
        ),
        Some(Link::Waiting {
            attempt,
            reason,
            retry_at_ms,
        }) => {
            let seconds = ((*retry_at_ms as f64 - now_ms) / 1000.0).ceil().max(0.0);
            (
                "pill pill-reconnecting",
                t_args("pill-waiting", &[("seconds", seconds.into())]),
                t_args(
                    "pill-waiting-title",
                    &[
                        ("reason", reason.as_str().into()),
                        ("attempt", (attempt + 1).into()),
                        ("seconds", seconds.into()),
                        ("heard", heard.as_str().into()),
                    ],
                ),
            )
        }
        Some(Link::Offline { reason }) => (
            "pill pill-offline",
            t("pill-offline"),
            t_args(
                "pill-stopped-title",
                &[
                    ("reason", reason.as_str().into()),
                    ("heard", heard.as_str().into()),
                ],
            ),
        ),
        None => (
            "pill pill-offline",
            t("pill-offline"),
            t("pill-not-connected-title"),
        ),
    };
    html! {
        <span class={class} title={title.clone()} aria-label={format!("{label}. {title}")} role="status" aria-live="polite" data-testid="connection">
            <span class="pill-dot" aria-hidden="true"></span>{ label }
        </span>
    }
}

/// `HH:MM:SS` in the person's local time.
fn clock_time(ms: f64) -> String {
    let date = js_sys::Date::new(&ms.into());
    format!(
        "{:02}:{:02}:{:02}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}
