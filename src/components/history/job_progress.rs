//! Where a history search is: a progress bar, the job's state or the query's chunk, counts, the data
//! availability date, a live "throttled, resuming in N s" countdown, and Cancel.

use gloo_timers::callback::Interval;
use yew::prelude::*;

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
    let status = match &run.status {
        RunStatus::Running => "running".to_owned(),
        RunStatus::Cancelling => "cancelling…".to_owned(),
        RunStatus::Finished => "finished".to_owned(),
        RunStatus::Failed(_) => "failed".to_owned(),
        RunStatus::Cancelled(Some(state)) => format!("cancelled (job {state})"),
        RunStatus::Cancelled(None) => "cancelled".to_owned(),
    };
    let stage = match run.kind {
        SearchKind::Query => match run.chunk {
            Some((index, of)) => format!("UTC day {} of {of}", (index + 1).min(of)),
            None => "starting".to_owned(),
        },
        SearchKind::Job => match (&run.job_id, &run.job_state) {
            (None, _) => "creating the job".to_owned(),
            (Some(_), None) => "job created".to_owned(),
            (Some(_), Some(state)) => format!("job {state}"),
        },
    };
    let wait = run.wait.as_ref().map(|wait| {
        let seconds = (((wait.until_ms as f64 - *now_ms) / 1000.0).ceil() as i64).max(0);
        let text = match &wait.reason {
            WaitReason::Throttled => format!("throttled, resuming in {seconds} s"),
            WaitReason::Unavailable(why) => format!("{why}; retrying in {seconds} s"),
        };
        html! { <p class="history-wait" role="status" data-testid="history-wait">{ text }</p> }
    });
    let counts = format!(
        "{} conversations · {} records read in {} page(s){}{}{}",
        run.rows.len(),
        run.records_read,
        run.pages,
        if run.outside_window > 0 {
            format!(" · {} outside the window (day rule)", run.outside_window)
        } else {
            String::new()
        },
        if run.duplicates > 0 {
            format!(" · {} repeated on shifted pages, kept once", run.duplicates)
        } else {
            String::new()
        },
        run.total_hits
            .map(|n| format!(" · totalHits ≈ {n}"))
            .unwrap_or_default(),
    );
    let availability = run.availability.as_ref().map(|date| {
        html! {
            <p class="history-availability" data-testid="history-availability">
                { "Data availability date: " }<time>{ date.clone() }</time>
                { " (UTC). Conversations after it are not final yet and are marked in the table." }
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
                { "Cancel" }
            </button>
        }
    });
    let percent = (run.progress() * 100.0).round();
    html! {
        <section class="history-progress" aria-label="Search progress" data-testid="history-progress"
            data-status={status.clone()} data-job-state={run.job_state.clone().unwrap_or_default()}
            data-job-id={run.job_id.clone().unwrap_or_default()}>
            <div class="history-progress-line">
                <strong>{ format!("{}: ", run.kind.label()) }</strong>
                <span data-testid="history-status">{ status }</span>
                <span class="muted">{ format!(" · {stage}") }</span>
                { run.job_id.as_ref().map(|id| html! { <span class="muted" title={id.clone()}>{ format!(" · job {}", crate::view::short_id(id)) }</span> }) }
                { cancel }
            </div>
            <progress max="100" value={percent.to_string()} aria-label={format!("{percent}% done")}></progress>
            <p class="muted" data-testid="history-counts">{ counts }</p>
            <p class="muted">{ format!("Window {}", run.window) }</p>
            { for wait }
            { for availability }
            { for failure }
        </section>
    }
}
