//! Where a history search is: a progress bar, the job's state or the query's chunk, counts, the data
//! availability date, a live "throttled, resuming in N s" countdown, and Cancel.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::i18n::{t, t_args};
use crate::state::history::{Run, RunStatus};
use crate::types::history::{SearchKind, WaitReason};

/// Props for [`JobProgress`].
#[derive(Properties, PartialEq)]
pub struct JobProgressProps {
    /// The run shown.
    pub run: Run,
    /// Cancel pressed.
    pub on_cancel: Callback<()>,
}

/// The progress of one run.
#[function_component(JobProgress)]
pub fn job_progress(props: &JobProgressProps) -> Html {
    let run = &props.run;
    let now_ms = use_state(js_sys::Date::now);
    {
        // Tick once a second while waiting, so the countdown moves.
        let now_ms = now_ms.clone();
        use_effect_with(run.wait.clone(), move |wait| {
            now_ms.set(js_sys::Date::now());
            let tick = wait
                .is_some()
                .then(|| Interval::new(250, move || now_ms.set(js_sys::Date::now())));
            move || drop(tick)
        });
    }
    // Tests and styles read `data-status`: the same words in every language.
    let status_key = match &run.status {
        RunStatus::Running => "running".to_owned(),
        RunStatus::Cancelling => "cancelling…".to_owned(),
        RunStatus::Finished => "finished".to_owned(),
        RunStatus::Failed(_) => "failed".to_owned(),
        RunStatus::Cancelled(Some(state)) => format!("cancelled (job {state})"),
        RunStatus::Cancelled(None) => "cancelled".to_owned(),
    };
    let status = match &run.status {
        RunStatus::Running => t("run-running"),
        RunStatus::Cancelling => t("run-cancelling"),
        RunStatus::Finished => t("run-finished"),
        RunStatus::Failed(_) => t("run-failed"),
        RunStatus::Cancelled(Some(state)) => {
            t_args("run-cancelled-job", &[("state", state.as_str().into())])
        }
        RunStatus::Cancelled(None) => t("run-cancelled"),
    };
    let stage = match run.kind {
        SearchKind::Query => match run.chunk {
            Some((index, of)) => t_args(
                "run-stage-day",
                &[("day", (index + 1).min(of).into()), ("days", of.into())],
            ),
            None => t("run-stage-starting"),
        },
        SearchKind::Job => match (&run.job_id, &run.job_state) {
            (None, _) => t("run-stage-creating-job"),
            (Some(_), None) => t("run-stage-job-created"),
            (Some(_), Some(state)) => t_args("run-stage-job", &[("state", state.as_str().into())]),
        },
    };
    let wait = run.wait.as_ref().map(|wait| {
        let seconds = (((wait.until_ms as f64 - *now_ms) / 1000.0).ceil() as i64).max(0);
        let text = match &wait.reason {
            WaitReason::Throttled => {
                t_args("lookup-throttled-countdown", &[("seconds", seconds.into())])
            }
            WaitReason::Unavailable(why) => t_args(
                "run-unavailable-countdown",
                &[("why", why.as_str().into()), ("seconds", seconds.into())],
            ),
        };
        html! { <p class="history-wait" role="status" data-testid="history-wait">{ text }</p> }
    });
    let mut counts = t_args(
        "run-counts",
        &[
            ("conversations", run.rows.len().into()),
            ("records", run.records_read.into()),
            ("pages", run.pages.into()),
        ],
    );
    if run.outside_window > 0 {
        counts += " · ";
        counts += &t_args(
            "run-outside-window",
            &[("count", run.outside_window.into())],
        );
    }
    if run.duplicates > 0 {
        counts += " · ";
        counts += &t_args("run-duplicates", &[("count", run.duplicates.into())]);
    }
    if let Some(hits) = run.total_hits {
        counts += &format!(" · totalHits ≈ {hits}");
    }
    let availability = run.availability.as_ref().map(|date| {
        html! {
            <p class="history-availability" data-testid="history-availability">
                { t("run-availability") }{ " " }<time>{ date.clone() }</time>
                { " " }{ t("run-availability-after") }
            </p>
        }
    });
    let failure = match &run.status {
        RunStatus::Failed(message) => Some(html! {
            <p class="history-problem" role="alert" data-testid="history-failure">{ message.clone() }</p>
        }),
        _ => None,
    };
    let cancel = run.status.is_active().then(|| {
        let on_cancel = props.on_cancel.clone();
        html! {
            <button type="button" class="button button-danger" disabled={run.status == RunStatus::Cancelling}
                onclick={Callback::from(move |_: MouseEvent| on_cancel.emit(()))} data-testid="history-cancel">
                { t("watch-cancel") }
            </button>
        }
    });
    let percent = (run.progress() * 100.0).round();
    html! {
        <section class="history-progress" aria-label={t("run-progress-label")} data-testid="history-progress"
            data-status={status_key} data-job-state={run.job_state.clone().unwrap_or_default()}
            data-job-id={run.job_id.clone().unwrap_or_default()}>
            <div class="history-progress-line">
                <strong>{ match run.kind {
                    SearchKind::Query => t("run-kind-query"),
                    SearchKind::Job => t("run-kind-job"),
                } }{ ": " }</strong>
                <span data-testid="history-status">{ status }</span>
                <span class="muted">{ format!(" · {stage}") }</span>
                { run.job_id.as_ref().map(|id| html! { <span class="muted" title={id.clone()}>{ " · " }{ t_args("run-job-id", &[("id", crate::view::short_id(id).into())]) }</span> }) }
                { cancel }
            </div>
            <progress max="100" value={percent.to_string()} aria-label={t_args("run-percent-done", &[("percent", percent.into())])}></progress>
            <p class="muted" data-testid="history-counts">{ counts }</p>
            <p class="muted">{ t_args("run-window", &[("window", run.window.to_string().into())]) }</p>
            { for wait }
            { for availability }
            { for failure }
        </section>
    }
}
