//! The history reducer: runs replace each other, rows are kept once, verdicts are counted, waits and
//! terminal states are recorded, and reports of an old run or after the end are ignored.

use std::rc::Rc;

use serde_json::json;
use wrapup_core::diagnosis::Verdict;
use wrapup_core::history::HistoryRow;
use wrapup_core::model::analytics::Conversation;

use super::*;
use crate::types::history::{HistoryEvent, SearchKind, WaitReason};

fn row(id: &str, end: Option<&str>, code: Option<&str>) -> HistoryRow {
    let record: Conversation = serde_json::from_value(json!({
        "conversationId": id, "conversationStart": "2026-11-30T07:00:00.000Z", "conversationEnd": end,
        "participants": [{"purpose": "agent", "participantId": format!("p-{id}"), "sessions": [{"mediaType": "voice", "segments": [
            {"segmentType": "interact", "segmentStart": "2026-11-30T07:00:00.000Z", "segmentEnd": "2026-11-30T07:01:00.000Z"},
            {"segmentType": "wrapup", "wrapUpCode": code, "segmentStart": "2026-11-30T07:01:00.000Z", "segmentEnd": "2026-11-30T07:02:00.000Z"}]}]}]
    }))
    .unwrap();
    HistoryRow::from_record(&record)
}

fn page(rows: Vec<HistoryRow>, outside: usize) -> HistoryEvent {
    HistoryEvent::Page {
        records: rows.len() + outside,
        rows: Rc::new(rows),
        outside_window: outside,
        total_hits: Some(9),
    }
}

fn begun(kind: SearchKind) -> HistoryState {
    let mut state = HistoryState::default();
    let id = state.next_run_id();
    state.apply(HistoryAction::Begin {
        id,
        kind,
        window: "w".into(),
    });
    state
}

#[test]
fn pages_add_rows_once_and_count_verdicts_per_leg() {
    let mut state = begun(SearchKind::Query);
    let id = state.active_run().unwrap();
    let end = Some("2026-11-30T07:02:00.000Z");
    state.apply(HistoryAction::Report(
        id,
        HistoryEvent::Chunk {
            index: 0,
            of: 2,
            interval: "i".into(),
        },
    ));
    state.apply(HistoryAction::Report(
        id,
        page(vec![row("a", end, Some("code")), row("b", end, None)], 3),
    ));
    state.apply(HistoryAction::Report(
        id,
        page(vec![row("b", end, None), row("c", end, Some("code"))], 0),
    ));
    let run = state.run.as_ref().unwrap();
    let ids: Vec<&str> = run
        .rows
        .iter()
        .map(|r| r.conversation_id.as_str())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(
        (
            run.duplicates,
            run.outside_window,
            run.records_read,
            run.pages
        ),
        (1, 3, 7, 2)
    );
    assert_eq!(run.verdict_counts[&VerdictKey::of(Verdict::Coded)], 2);
    assert_eq!(
        run.verdict_counts[&VerdictKey::of(Verdict::WrapupWithoutCode)],
        1
    );
    assert_eq!(run.progress(), 0.0);
    state.apply(HistoryAction::Report(id, HistoryEvent::Finished));
    let run = state.run.as_ref().unwrap();
    assert_eq!(run.status, RunStatus::Finished);
    assert_eq!((run.chunk, run.progress()), (Some((2, 2)), 1.0));
    assert_eq!(state.active_run(), None);
}

#[test]
fn a_new_run_replaces_the_old_and_old_reports_are_ignored() {
    let mut state = begun(SearchKind::Query);
    let old = state.active_run().unwrap();
    let next = state.next_run_id();
    assert_ne!(old, next);
    state.apply(HistoryAction::Begin {
        id: next,
        kind: SearchKind::Job,
        window: "w2".into(),
    });
    state.apply(HistoryAction::Report(
        old,
        page(vec![row("a", None, None)], 0),
    ));
    let run = state.run.as_ref().unwrap();
    assert_eq!(
        (run.id, run.kind, run.rows.len()),
        (next, SearchKind::Job, 0)
    );
}

#[test]
fn job_states_waits_availability_and_cancel_are_recorded() {
    let mut state = begun(SearchKind::Job);
    let id = state.active_run().unwrap();
    state.apply(HistoryAction::Report(
        id,
        HistoryEvent::JobCreated { job_id: "j".into() },
    ));
    state.apply(HistoryAction::Report(
        id,
        HistoryEvent::JobState("PENDING".into()),
    ));
    let waiting = HistoryEvent::Waiting {
        reason: WaitReason::Throttled,
        until_ms: 5_000.0,
    };
    state.apply(HistoryAction::Report(id, waiting));
    let run = state.run.as_ref().unwrap();
    assert_eq!(
        run.wait,
        Some(Wait {
            reason: WaitReason::Throttled,
            until_ms: 5_000
        })
    );
    assert_eq!(run.progress(), 0.5);
    state.apply(HistoryAction::Report(id, HistoryEvent::Resumed));
    assert_eq!(state.run.as_ref().unwrap().wait, None);
    state.apply(HistoryAction::Report(
        id,
        HistoryEvent::Availability("2026-11-30T07:01:30.000Z".into()),
    ));
    let run = state.run.as_ref().unwrap();
    assert!(!run.is_final(&row("late", Some("2026-11-30T07:02:00.000Z"), None)));
    assert!(run.is_final(&row("early", Some("2026-11-30T07:01:00.000Z"), None)));
    assert!(
        !run.is_final(&row("open", None, None)),
        "an open conversation is not final"
    );

    state.apply(HistoryAction::CancelRequested(id));
    assert_eq!(state.run.as_ref().unwrap().status, RunStatus::Cancelling);
    assert_eq!(
        state.active_run(),
        Some(id),
        "still active until the platform answers"
    );
    state.apply(HistoryAction::Report(
        id,
        HistoryEvent::Cancelled(Some("CANCELLED".into())),
    ));
    state.apply(HistoryAction::Report(
        id,
        page(vec![row("late", None, None)], 0),
    ));
    let run = state.run.as_ref().unwrap();
    assert_eq!(run.status, RunStatus::Cancelled(Some("CANCELLED".into())));
    assert_eq!(run.job_state.as_deref(), Some("CANCELLED"));
    assert!(run.rows.is_empty(), "nothing is added after the end");
}

#[test]
fn a_failure_is_kept_with_the_rows_so_far() {
    let mut state = begun(SearchKind::Query);
    let id = state.active_run().unwrap();
    state.apply(HistoryAction::Report(
        id,
        page(vec![row("a", None, None)], 0),
    ));
    state.apply(HistoryAction::Report(id, HistoryEvent::Failed("no".into())));
    let run = state.run.as_ref().unwrap();
    assert_eq!(
        (run.status.clone(), run.rows.len()),
        (RunStatus::Failed("no".into()), 1)
    );
}
