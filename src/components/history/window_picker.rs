//! The search window: from and to in UTC (typed or picked), quick choices, the interval as it will be
//! sent, and what the platform returns for it (the sync query's day rule, the job's activity rule).

use wrapup_core::query::{Interval, format_instant, touched_utc_days};
use yew::prelude::*;

use crate::i18n::{t, t_args};

/// Props for [`WindowPicker`].
#[derive(Properties, PartialEq)]
pub struct WindowPickerProps {
    /// From, as typed (`YYYY-MM-DDTHH:MM`, UTC).
    pub from: AttrValue,
    /// To, as typed (`YYYY-MM-DDTHH:MM`, UTC).
    pub to: AttrValue,
    /// Both ends changed (from, to).
    pub on_change: Callback<(String, String)>,
}

/// The window typed, as an interval; `Err` says what is wrong.
pub fn parse_window(from: &str, to: &str) -> Result<Interval, String> {
    let instant = |label: String, text: &str| {
        let text = text.trim();
        // `datetime-local` gives minutes (and sometimes seconds); the widget reads them as UTC.
        let full = match text.len() {
            16 => format!("{text}:00Z"),
            19 => format!("{text}Z"),
            _ => text.to_owned(),
        };
        time::OffsetDateTime::parse(&full, &time::format_description::well_known::Rfc3339).map_err(
            |_| {
                t_args(
                    "window-not-a-date",
                    &[("field", label.into()), ("text", text.into())],
                )
            },
        )
    };
    let (start, end) = (
        instant(t("window-from"), from)?,
        instant(t("window-to"), to)?,
    );
    Interval::new(start, end).ok_or_else(|| t("window-backwards"))
}

/// `YYYY-MM-DDTHH:MM` in UTC, the `datetime-local` value for an epoch-ms instant.
pub fn input_value(epoch_ms: f64) -> String {
    let instant = time::OffsetDateTime::from_unix_timestamp_nanos((epoch_ms * 1_000_000.0) as i128)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format_instant(instant)[..16].to_owned()
}

/// From and to in UTC, quick choices and the rule explained.
#[function_component(WindowPicker)]
pub fn window_picker(props: &WindowPickerProps) -> Html {
    let (from, to) = (props.from.to_string(), props.to.to_string());
    let on_from = {
        let (on_change, to) = (props.on_change.clone(), to.clone());
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            on_change.emit((input.value(), to.clone()));
        })
    };
    let on_to = {
        let (on_change, from) = (props.on_change.clone(), from.clone());
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            on_change.emit((from.clone(), input.value()));
        })
    };
    let quick = |label: String, back_ms: f64, from_midnight: bool| {
        let on_change = props.on_change.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let now = js_sys::Date::now();
            let start = if from_midnight {
                now - now.rem_euclid(86_400_000.0)
            } else {
                now - back_ms
            };
            on_change.emit((input_value(start), input_value(now + 60_000.0)));
        });
        html! { <button type="button" class="button button-quiet" {onclick}>{ label }</button> }
    };
    let explained = match parse_window(&from, &to) {
        Ok(window) => {
            let (first, last) = touched_utc_days(&window);
            let days = if first == last {
                format!("{first}")
            } else {
                t_args(
                    "window-days",
                    &[
                        ("first", first.to_string().into()),
                        ("last", last.to_string().into()),
                    ],
                )
            };
            html! {
                <div class="history-rule" data-testid="history-rule">
                    <p><code data-testid="history-interval">{ window.to_string() }</code></p>
                    <p>{ t_args("window-rule-query", &[("days", days.into())]) }</p>
                    <p>{ t("window-rule-job") }</p>
                </div>
            }
        }
        Err(problem) => html! {
            <p class="history-problem" role="alert" data-testid="history-window-problem">{ problem }</p>
        },
    };
    html! {
        <fieldset class="history-window">
            <legend>{ t("window-legend") }</legend>
            <label>{ t("window-from-utc") }{ " " }
                <input type="datetime-local" step="60" value={from} oninput={on_from} data-testid="history-from" />
            </label>
            <label>{ t("window-to-utc") }{ " " }
                <input type="datetime-local" step="60" value={to} oninput={on_to} data-testid="history-to" />
            </label>
            <span class="history-quick">
                { quick(t("window-last-hour"), 3_600_000.0, false) }
                { quick(t("window-today"), 0.0, true) }
                { quick(t("window-last-7-days"), 7.0 * 86_400_000.0, false) }
            </span>
            { explained }
        </fieldset>
    }
}
