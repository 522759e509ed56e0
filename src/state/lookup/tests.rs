//! The lookup reducer: opening by id, refusing bad input without losing the open conversation, offline JSON
//! giving the CLI's explanation, and service events applied only to their own run.

use super::*;
use wrapup_core::diagnosis::Verdict;

const ID: &str = "3f9a1c2e-5b7d-4e8f-9a01-23456789abcd";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/crates/wrapup-core/tests/fixtures/explain/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn opened() -> Rc<LookupState> {
    Rc::new(LookupState::default()).reduce(LookupAction::Typed(format!("  {} ", ID.to_uppercase())))
}

#[test]
fn a_typed_id_opens_a_lookup_and_a_bad_one_is_refused_keeping_the_open_one() {
    let state = opened();
    assert_eq!(state.conversation_id.as_deref(), Some(ID));
    assert_eq!(state.source, Some(Source::Typed));
    assert_eq!(state.stage, Stage::Fetching);
    assert!(state.wants_fetch());
    let run = state.run;
    let refused = state.reduce(LookupAction::Typed("not-an-id".into()));
    assert!(
        refused
            .input_error
            .as_deref()
            .unwrap()
            .contains("\"not-an-id\" is not a conversation id"),
        "{:?}",
        refused.input_error
    );
    assert_eq!(refused.run, run, "no new fetch");
    assert_eq!(refused.conversation_id.as_deref(), Some(ID));
    let again = refused.reduce(LookupAction::Typed(ID.into()));
    assert_eq!(again.input_error, None);
    assert_eq!(again.run, run + 1);
}

#[test]
fn service_events_move_the_stage_and_stale_runs_are_ignored() {
    let state = opened();
    let run = state.run;
    let waiting = state.reduce(LookupAction::Event {
        run,
        event: LookupEvent::Waiting {
            why: WaitReason::NotIndexed,
            retry_at_ms: 5_000.0,
            attempts: 1,
        },
    });
    assert!(matches!(
        waiting.stage,
        Stage::Waiting {
            why: WaitReason::NotIndexed,
            attempts: 1,
            ..
        }
    ));
    let (record, explanation) = record_of_json(&fixture("coded.json")).unwrap();
    let stale = waiting.clone().reduce(LookupAction::Event {
        run: run - 1,
        event: LookupEvent::Failed("old".into()),
    });
    assert_eq!(stale, waiting);
    let done = waiting.reduce(LookupAction::Event {
        run,
        event: LookupEvent::Record {
            record: Rc::new(record),
            explanation: Rc::new(explanation),
            pending: false,
        },
    });
    assert_eq!(done.stage, Stage::Done);
    assert!(!done.wants_fetch());
    assert_eq!(
        done.explanation.as_ref().unwrap().verdicts[0].verdict,
        Verdict::Coded
    );
    // Once done, late events of the same run change nothing.
    let after = done.clone().reduce(LookupAction::Event {
        run,
        event: LookupEvent::GaveUp("late".into()),
    });
    assert_eq!(after, done);
}

#[test]
fn offline_json_gives_the_cli_verdicts_and_bad_json_loses_nothing() {
    let state = opened();
    let offline = state.reduce(LookupAction::Offline {
        name: "skipped.json".into(),
        text: fixture("skipped.json"),
    });
    let expected: serde_json::Value =
        serde_json::from_str(&fixture("skipped.expected.json")).unwrap();
    assert_eq!(
        serde_json::to_value(offline.explanation.as_deref().unwrap()).unwrap(),
        expected
    );
    assert_eq!(offline.stage, Stage::Done);
    assert!(!offline.wants_fetch(), "offline never fetches");
    assert_eq!(
        offline.source,
        Some(Source::Offline {
            name: "skipped.json".into()
        })
    );
    let refused = offline.clone().reduce(LookupAction::Offline {
        name: "pasted JSON".into(),
        text: fixture("error_404.json"),
    });
    assert!(
        refused
            .input_error
            .as_deref()
            .unwrap()
            .starts_with("pasted JSON cannot be explained: the API answered status 404")
    );
    assert_eq!(
        refused.explanation, offline.explanation,
        "the shown explanation stays"
    );
}

#[test]
fn the_end_time_comes_from_real_time_then_the_record_then_the_feed() {
    let state = Rc::new(LookupState::default()).reduce(LookupAction::Open {
        conversation_id: ID.into(),
        source: Source::Feed,
        feed_end: Some("2024-05-01T10:00:10Z".into()),
    });
    assert_eq!(state.ended_at_ms(), Some(1_714_557_610_000.0));
    let live = serde_json::from_str(r#"{"endTime":"2024-05-01T10:00:05Z"}"#).unwrap();
    let state = state.clone().reduce(LookupAction::Event {
        run: state.run,
        event: LookupEvent::Realtime(Ok(Some(Rc::new(live)))),
    });
    assert_eq!(state.ended_at_ms(), Some(1_714_557_605_000.0));
}
