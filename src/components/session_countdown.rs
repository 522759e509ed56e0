//! How long the sign-in has left, e.g. "Session ends in 23 m", ticking in the top bar with a spoken
//! label, so nobody is surprised when the token lapses.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::i18n::{t, t_args};

/// Props for [`SessionCountdown`].
#[derive(Properties, PartialEq)]
pub struct SessionCountdownProps {
    /// When the token lapses, ms since epoch.
    pub ends_at_ms: f64,
}

/// The ticking countdown.
#[function_component(SessionCountdown)]
pub fn session_countdown(props: &SessionCountdownProps) -> Html {
    let now = use_state(js_sys::Date::now);
    {
        let now = now.clone();
        use_effect_with((), move |()| {
            let tick = Interval::new(1_000, move || now.set(js_sys::Date::now()));
            move || drop(tick)
        });
    }
    let left = props.ends_at_ms - *now;
    let (text, label) = countdown_text(left);
    let class = classes!(
        "session-countdown",
        (left < 5.0 * 60_000.0).then_some("session-countdown-soon")
    );
    html! {
        <span class={class} role="timer" aria-label={label.clone()} title={label} data-testid="session-countdown">
            { text }
        </span>
    }
}

/// What the countdown shows and says for `remaining_ms`: whole minutes (and hours) while a minute or
/// more is left, then seconds.
pub fn countdown_text(remaining_ms: f64) -> (String, String) {
    let seconds = (remaining_ms / 1000.0).floor() as i64;
    if seconds <= 0 {
        return (t("countdown-ended"), t("countdown-ended-spoken"));
    }
    let (hours, minutes) = (seconds / 3600, (seconds % 3600) / 60);
    let (short, spoken) = match (hours, minutes) {
        (0, 0) => (
            format!("{seconds} s"),
            t_args("countdown-spoken-seconds", &[("seconds", seconds.into())]),
        ),
        (0, m) => (
            format!("{m} m"),
            t_args("countdown-spoken-minutes", &[("minutes", m.into())]),
        ),
        (h, m) => (
            format!("{h} h {m:02} m"),
            t_args(
                "countdown-spoken-hours",
                &[("hours", h.into()), ("minutes", m.into())],
            ),
        ),
    };
    (t_args("countdown", &[("left", short.into())]), spoken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_while_a_minute_is_left_then_seconds() {
        assert_eq!(
            countdown_text(23.0 * 60_000.0 + 40_000.0),
            (
                "Session ends in 23 m".into(),
                "Sign-in session ends in 23 minutes".into()
            )
        );
        assert_eq!(
            countdown_text(3_600_000.0 + 5.0 * 60_000.0),
            (
                "Session ends in 1 h 05 m".into(),
                "Sign-in session ends in 1 hour 5 minutes".into()
            )
        );
        assert_eq!(
            countdown_text(61_000.0),
            (
                "Session ends in 1 m".into(),
                "Sign-in session ends in 1 minute".into()
            )
        );
        assert_eq!(
            countdown_text(45_500.0),
            (
                "Session ends in 45 s".into(),
                "Sign-in session ends in 45 seconds".into()
            )
        );
        assert_eq!(countdown_text(-1.0).0, "Session ended");
    }
}
