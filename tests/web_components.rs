//! Components in a real browser: what a person sees for each outcome, and that platform text
//! is always shown as text.
#![cfg(target_arch = "wasm32")]

mod support;

use std::rc::Rc;

use support::{mount, text_of, tick};
use wasm_bindgen_test::*;
use wrapup_core::tracker::{Outcome, WrapUpOutcome};
use wrapup_live::components::feed::{Feed, FeedProps};
use wrapup_live::state::feed::{FeedAction, FeedState};
use wrapup_live::types::names::Names;
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn outcome(conv: &str, kind: Outcome, code: Option<&str>, notes: Option<&str>) -> WrapUpOutcome {
    WrapUpOutcome {
        conversation_id: conv.into(),
        participant_id: "p-agent".into(),
        user_id: Some("user-1".into()),
        queue_id: Some("queue-1".into()),
        media_type: Some("voice".into()),
        outcome: kind,
        code: code.map(Into::into),
        notes: notes.map(Into::into),
        duration_seconds: Some(65),
        end_time: Some("2026-11-21T10:15:30.000Z".into()),
    }
}

fn named(id: &str, name: &str) -> wrapup_core::directory::NamedEntity {
    wrapup_core::directory::NamedEntity {
        id: id.into(),
        name: Some(name.into()),
    }
}

#[wasm_bindgen_test]
async fn feed_shows_names_outcomes_and_newest_first() {
    let feed = Rc::new(FeedState::default())
        .reduce(FeedAction::Outcomes {
            outcomes: vec![
                outcome(
                    "c-1",
                    Outcome::Submitted,
                    Some("code-resolved"),
                    Some("Customer happy"),
                ),
                outcome("c-2", Outcome::TimedOut, Some("ININ-WRAP-UP-TIMEOUT"), None),
            ],
            now_ms: 0.0,
        })
        .reduce(FeedAction::Names(Names {
            codes: vec![named("code-resolved", "Resolved")],
            users: vec![named("user-1", "Agent 07")],
            queues: vec![named("queue-1", "Billing")],
            ..Names::default()
        }));
    let root = mount::<Feed>(FeedProps { feed });
    tick().await;

    let rows = root.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 2);
    let first = text_of(&root, "tbody tr:first-child").unwrap();
    assert!(
        first.contains("ININ-WRAP-UP-TIMEOUT") && first.contains("Timed out"),
        "newest first: {first}"
    );
    let second = text_of(&root, "tbody tr:nth-child(2)").unwrap();
    for expected in [
        "Agent 07",
        "Billing",
        "Resolved",
        "Customer happy",
        "Submitted",
        "1 m 05 s",
        "Voice",
    ] {
        assert!(
            second.contains(expected),
            "missing {expected:?} in {second:?}"
        );
    }
    assert_eq!(
        text_of(&root, "[data-testid=total-submitted]").as_deref(),
        Some("1")
    );
}

#[wasm_bindgen_test]
async fn unresolved_ids_show_short_and_skips_explain_themselves() {
    let feed = Rc::new(FeedState::default()).reduce(FeedAction::Outcomes {
        outcomes: vec![
            outcome(
                "c-3",
                Outcome::Submitted,
                Some("7f3c1a2b-0000-4000-8000-000000000000"),
                None,
            ),
            outcome("c-4", Outcome::Skipped, None, None),
        ],
        now_ms: 0.0,
    });
    let root = mount::<Feed>(FeedProps { feed });
    tick().await;
    let skipped = text_of(&root, "tbody tr:first-child").unwrap();
    assert!(
        skipped.contains("Agent skipped after-call work"),
        "{skipped}"
    );
    let unresolved = text_of(&root, "tbody tr:nth-child(2) .code-unresolved").unwrap();
    assert_eq!(unresolved, "7f3c1a2b…");
}

#[wasm_bindgen_test]
async fn notes_with_markup_render_as_text() {
    let hostile = r#"<img src=x onerror="document.title='pwned'"><b>bold</b>"#;
    let feed = Rc::new(FeedState::default()).reduce(FeedAction::Outcomes {
        outcomes: vec![outcome("c-5", Outcome::Submitted, Some("x"), Some(hostile))],
        now_ms: 0.0,
    });
    let root = mount::<Feed>(FeedProps { feed });
    tick().await;
    let cell = root.query_selector(".col-notes").unwrap().unwrap();
    assert_eq!(cell.text_content().as_deref(), Some(hostile));
    assert!(
        cell.query_selector("img, b").unwrap().is_none(),
        "markup must not become elements"
    );
}

#[wasm_bindgen_test]
async fn empty_feed_says_what_will_happen() {
    let root = mount::<Feed>(FeedProps {
        feed: Rc::new(FeedState::default()),
    });
    tick().await;
    let empty = text_of(&root, "[data-testid=feed-empty]").unwrap();
    assert!(empty.contains("Waiting for the first wrap-up"), "{empty}");
}
