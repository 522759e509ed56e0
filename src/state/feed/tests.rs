//! The reducer's behaviour: order by end time with late rows, one row per leg, filters, pause,
//! counts, the retention bound, export rows, frames and replay.

use super::*;
use crate::types::names::{NameKind, Unresolvable};
use wrapup_core::directory::NamedEntity;

fn outcome(conv: &str, kind: Outcome, end: &str) -> WrapUpOutcome {
    WrapUpOutcome {
        conversation_id: conv.into(),
        participant_id: "p".into(),
        user_id: Some("u1".into()),
        queue_id: Some("q1".into()),
        media_type: Some("voice".into()),
        outcome: kind,
        code: Some("c1".into()),
        notes: None,
        duration_seconds: Some(30),
        end_time: Some(format!("2026-03-02T10:{end}.000Z")),
    }
}

fn live(outcomes: Vec<WrapUpOutcome>, now_ms: f64) -> FeedAction {
    FeedAction::Outcomes {
        outcomes,
        source: RowSource::Live,
        now_ms,
    }
}

fn shown(state: &FeedState) -> Vec<String> {
    (0..state.shown_len())
        .map(|i| state.shown_row(i).unwrap().outcome.conversation_id.clone())
        .collect()
}

#[test]
fn newest_end_time_first_and_a_late_row_slots_into_place() {
    let state = Rc::new(FeedState::default())
        .reduce(live(
            vec![
                outcome("a", Outcome::Submitted, "00:00"),
                outcome("c", Outcome::Submitted, "02:00"),
            ],
            1.0,
        ))
        .reduce(FeedAction::Outcomes {
            outcomes: vec![outcome("b", Outcome::Skipped, "01:00")],
            source: RowSource::Recovered,
            now_ms: 2.0,
        });
    assert_eq!(shown(&state), ["c", "b", "a"]);
    let late = state.shown_row(1).unwrap();
    assert_eq!(late.source, RowSource::Recovered);
    assert_eq!(state.shown_row(0).unwrap().source, RowSource::Live);
}

#[test]
fn one_row_per_leg_and_a_pending_leg_completes() {
    let state = Rc::new(FeedState::default()).reduce(FeedAction::Pending(vec![outcome(
        "a",
        Outcome::Pending,
        "00:00",
    )]));
    assert_eq!(shown(&state), ["a"], "the leg in ACW is shown");
    assert_eq!(
        state.shown_row(0).unwrap().outcome.outcome,
        Outcome::Pending
    );
    let state = state
        .reduce(live(vec![outcome("a", Outcome::Submitted, "00:05")], 1.0))
        .reduce(live(vec![outcome("a", Outcome::Submitted, "00:05")], 2.0))
        .reduce(FeedAction::Outcomes {
            outcomes: vec![outcome("a", Outcome::Submitted, "00:05")],
            source: RowSource::Recovered,
            now_ms: 3.0,
        });
    assert_eq!(shown(&state), ["a"]);
    assert_eq!(
        state.shown_row(0).unwrap().outcome.outcome,
        Outcome::Submitted
    );
    assert!(state.pending.is_empty());
    assert_eq!(state.totals.submitted, 1);
    assert_eq!(state.rows().len(), 1);
}

#[test]
fn legs_in_after_call_work_are_listed_newest_first_above_the_final_rows() {
    let state = Rc::new(FeedState::default())
        .reduce(live(
            vec![outcome("done", Outcome::Submitted, "05:00")],
            1.0,
        ))
        .reduce(FeedAction::Pending(vec![
            outcome("middle", Outcome::Pending, "01:00"),
            outcome("oldest", Outcome::Pending, "00:00"),
            outcome("newest", Outcome::Pending, "02:00"),
        ]));
    assert_eq!(shown(&state), ["newest", "middle", "oldest", "done"]);
}

#[test]
fn retention_keeps_the_newest_rows_and_counts_follow() {
    let mut state = Rc::new(FeedState::with_capacity(3));
    for (i, end) in ["00:01", "00:02", "00:03", "00:04", "00:05"]
        .iter()
        .enumerate()
    {
        state = state.reduce(live(
            vec![outcome(&i.to_string(), Outcome::Submitted, end)],
            0.0,
        ));
    }
    assert_eq!(shown(&state), ["4", "3", "2"]);
    assert_eq!(state.rows().summary().per_outcome[0], 3);
    assert_eq!(state.totals.submitted, 5, "session totals never drop");
    // A row older than all retained ones at capacity does not push a newer one out.
    let state = state.reduce(live(vec![outcome("old", Outcome::Submitted, "00:00")], 0.0));
    assert_eq!(shown(&state), ["4", "3", "2"]);
}

#[test]
fn a_hundred_thousand_rows_are_retained_and_indexed() {
    let batch: Vec<WrapUpOutcome> = (0..MAX_ROWS + 10)
        .map(|i| {
            let mut o = outcome(&format!("conv-{i}"), Outcome::Submitted, "00:00");
            o.end_time = None;
            o
        })
        .collect();
    let state = Rc::new(FeedState::default()).reduce(live(batch, 5.0));
    assert_eq!(state.rows().len(), MAX_ROWS);
    // Same order time: arrival order decides, newest first.
    assert_eq!(
        state.shown_row(0).unwrap().outcome.conversation_id,
        format!("conv-{}", MAX_ROWS + 9)
    );
    assert_eq!(
        state
            .shown_row(MAX_ROWS - 1)
            .unwrap()
            .outcome
            .conversation_id,
        "conv-10"
    );
}

#[test]
fn filters_narrow_rows_counts_and_follow_new_rows_and_names() {
    let mut other = outcome("z", Outcome::TimedOut, "00:03");
    other.user_id = Some("u2".into());
    other.code = Some("ININ-WRAP-UP-TIMEOUT".into());
    let mut noted = outcome("n", Outcome::Submitted, "00:04");
    noted.notes = Some("Refund promised".into());
    let state = Rc::new(FeedState::default())
        .reduce(live(
            vec![outcome("a", Outcome::Submitted, "00:01"), other, noted],
            0.0,
        ))
        .reduce(FeedAction::Filter(FeedFilter {
            agent: Some("u1".into()),
            ..FeedFilter::default()
        }));
    assert_eq!(shown(&state), ["n", "a"]);
    assert_eq!(state.rows().view_summary().per_outcome, [2, 0, 0, 0]);
    let state = state.reduce(live(vec![outcome("b", Outcome::Skipped, "00:02")], 0.0));
    assert_eq!(shown(&state), ["n", "b", "a"]);

    let by_outcome = state.reduce(FeedAction::Filter(FeedFilter {
        outcome: Some(Outcome::TimedOut),
        ..FeedFilter::default()
    }));
    assert_eq!(shown(&by_outcome), ["z"]);
    let by_text = by_outcome.reduce(FeedAction::Filter(FeedFilter {
        text: "REFUND".into(),
        ..FeedFilter::default()
    }));
    assert_eq!(shown(&by_text), ["n"]);
    let by_label = by_text.reduce(FeedAction::Filter(FeedFilter {
        text: "timed out (system)".into(),
        ..FeedFilter::default()
    }));
    assert_eq!(
        shown(&by_label),
        ["z"],
        "system codes are found by their label"
    );
    let by_name = by_label.reduce(FeedAction::Filter(FeedFilter {
        text: "billing".into(),
        ..FeedFilter::default()
    }));
    assert!(shown(&by_name).is_empty());
    let named = by_name.reduce(FeedAction::Names(Names {
        queues: vec![NamedEntity {
            id: "q1".into(),
            name: Some("Billing".into()),
        }],
        ..Names::default()
    }));
    assert_eq!(
        shown(&named),
        ["n", "z", "b", "a"],
        "names arriving re-apply a text filter"
    );
    let cleared = named.reduce(FeedAction::Filter(FeedFilter::default()));
    assert_eq!(cleared.shown_len(), 4);
    assert_eq!(cleared.rows().view_summary().per_code["c1"], 3);
}

#[test]
fn pause_holds_new_rows_with_a_count_until_resumed() {
    let state = Rc::new(FeedState::default())
        .reduce(live(vec![outcome("a", Outcome::Submitted, "00:01")], 0.0))
        .reduce(FeedAction::Pause)
        .reduce(live(
            vec![
                outcome("b", Outcome::Submitted, "00:02"),
                outcome("a", Outcome::Submitted, "00:01"),
            ],
            0.0,
        ))
        .reduce(live(vec![outcome("b", Outcome::Submitted, "00:02")], 0.0));
    assert_eq!(shown(&state), ["a"]);
    assert_eq!(state.held_count(), 1, "duplicates are not counted as held");
    let state = state.reduce(FeedAction::Resume);
    assert_eq!(shown(&state), ["b", "a"]);
    assert_eq!(state.held_count(), 0);
    assert!(!state.paused);
}

#[test]
fn export_lists_the_filtered_rows_with_names_labels_and_source() {
    let mut timeout = outcome("t", Outcome::TimedOut, "00:02");
    timeout.code = Some("ININ-WRAP-UP-TIMEOUT".into());
    let state = Rc::new(FeedState::default())
        .reduce(live(
            vec![outcome("a", Outcome::Submitted, "00:01")],
            1_000.0,
        ))
        .reduce(FeedAction::Outcomes {
            outcomes: vec![timeout],
            source: RowSource::Recovered,
            now_ms: 2_000.0,
        })
        .reduce(FeedAction::Names(Names {
            codes: vec![NamedEntity {
                id: "c1".into(),
                name: Some("Resolved".into()),
            }],
            ..Names::default()
        }));
    let csv = state.export_csv().unwrap();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert!(lines[0].starts_with("conversationId,participantId,userId,agent,"));
    assert_eq!(lines.len(), 4, "header, two rows, final line end: {csv}");
    assert!(
        lines[1]
            .starts_with("t,p,u1,,q1,,voice,timed_out,ININ-WRAP-UP-TIMEOUT,Timed out (system),")
    );
    assert!(lines[1].ends_with(",recovered"));
    assert!(lines[2].contains(",submitted,c1,Resolved,"));
    assert!(lines[2].ends_with("1970-01-01T00:00:01.000Z,live"));
    let filtered = state.reduce(FeedAction::Filter(FeedFilter {
        outcome: Some(Outcome::Submitted),
        ..FeedFilter::default()
    }));
    assert_eq!(filtered.export_csv().unwrap().split("\r\n").count(), 3);
}

#[test]
fn unnamed_codes_carry_the_reason_and_system_codes_a_label() {
    let state = Rc::new(FeedState::default()).reduce(FeedAction::Names(Names {
        unresolvable: vec![Unresolvable {
            kind: NameKind::Code,
            id: "c9".into(),
            reason: "deleted, or in another division".into(),
        }],
        ..Names::default()
    }));
    let dir = &state.directory;
    assert_eq!(
        dir.code_label("c9"),
        CodeLabel::Unavailable("deleted, or in another division".into())
    );
    assert_eq!(dir.code_label("c1"), CodeLabel::Unknown);
    assert_eq!(dir.why_unnamed(NameKind::User, "c9"), None);
    assert_eq!(
        system_code_label("ININ-OUTBOUND-PREVIEW-SKIPPED").as_deref(),
        Some("Outbound preview skipped (system)")
    );
    assert_eq!(
        system_code_label("ININ-WRAP-UP-SKIPPED").as_deref(),
        Some("Skipped (system)")
    );
    assert_eq!(system_code_label("7f3c"), None);
}

#[test]
fn frames_are_kept_bounded_without_a_new_snapshot() {
    let state = Rc::new(FeedState::default());
    let same = state
        .clone()
        .reduce(FeedAction::Frames(vec!["{\"a\":1}".into(), "x\ny".into()]));
    assert!(
        Rc::ptr_eq(&state, &same),
        "frames do not re-render the feed"
    );
    assert_eq!(same.frames_ndjson(), "{\"a\":1}\nx y\n");
    let mut ring = FrameRing::default();
    for i in 0..MAX_FRAMES + 5 {
        ring.push(i.to_string());
    }
    assert_eq!(ring.len(), MAX_FRAMES);
    assert!(ring.to_ndjson().starts_with("5\n"));
}

#[test]
fn a_replayed_capture_names_its_bad_lines() {
    let replay = Replay::of_ndjson(
        "not json\n\n{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"WebSocket Heartbeat\"}}\n",
    );
    assert_eq!(replay.frames, 2);
    assert_eq!(replay.malformed.len(), 1);
    assert_eq!(replay.malformed[0].0, 1);
    let message = replay.malformed_message().unwrap();
    assert!(message.starts_with("1 of 2 line(s)"), "{message}");
    assert!(Replay::of_ndjson("").malformed_message().is_none());
}

#[test]
fn saved_rows_round_trip_as_plain_data() {
    let row = FeedRow {
        outcome: outcome("a", Outcome::Submitted, "00:01"),
        received_at_ms: 12.0,
        source: RowSource::Recovered,
    };
    let json = serde_json::to_string(&row).unwrap();
    assert!(json.contains("\"source\":\"recovered\""), "{json}");
    let back: FeedRow = serde_json::from_str(&json).unwrap();
    assert_eq!(back, row);
    let state = Rc::new(FeedState::default()).reduce(FeedAction::Restore(vec![row.clone(), row]));
    assert_eq!(state.rows().len(), 1);
}
