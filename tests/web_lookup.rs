//! The analytics panel's Conversation tab in a real browser: verdicts, timeline and the real-time comparison
//! rendered from fixtures whose `wrapup explain` output is known, platform text shown as text, and the lookup
//! service run against gc-sim over real HTTP until it reaches the verdict the script implies.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use support::{mount, sim_admin, sim_platform, sim_token, tick};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;
use wrapup_core::diagnosis::{Verdict, explain_json};
use wrapup_core::lookup::crosscheck::{RealtimeConversation, compare};
use wrapup_core::lookup::record_of_json;
use wrapup_live::components::realtime_compare::{RealtimeCompare, RealtimeCompareProps};
use wrapup_live::components::timeline::{Timeline, TimelineProps};
use wrapup_live::components::verdict_list::{VerdictList, VerdictListProps};
use wrapup_live::services::api::Api;
use wrapup_live::services::lookup::look_up;
use wrapup_live::state::feed::Directory;
use wrapup_live::types::lookup::LookupEvent;

wasm_bindgen_test_configure!(run_in_browser);

const TRANSFER: &str =
    include_str!("../crates/wrapup-core/tests/fixtures/explain/not_answered_then_coded.json");
const TRANSFER_EXPECTED: &str = include_str!(
    "../crates/wrapup-core/tests/fixtures/explain/not_answered_then_coded.expected.json"
);
const IN_PROGRESS: &str =
    include_str!("../crates/wrapup-core/tests/fixtures/explain/in_progress.json");

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn each_leg_shows_the_cli_verdict_with_its_evidence() {
    let expected: serde_json::Value = serde_json::from_str(TRANSFER_EXPECTED).unwrap();
    let root = mount::<VerdictList>(VerdictListProps {
        explanation: Rc::new(explain_json(TRANSFER).unwrap()),
        directory: Rc::new(Directory::default()),
    });
    tick().await;
    let legs = all(&root, "[data-testid=leg-verdict]");
    let wanted = expected["verdicts"].as_array().unwrap();
    assert_eq!(legs.len(), wanted.len());
    for (element, verdict) in legs.iter().zip(wanted) {
        assert_eq!(
            element.get_attribute("data-participant-id").as_deref(),
            verdict["participantId"].as_str()
        );
        assert_eq!(
            element.get_attribute("data-verdict").as_deref(),
            verdict["verdict"].as_str()
        );
        let evidence: Vec<String> = all(element, ".leg-evidence li")
            .iter()
            .map(|li| li.text_content().unwrap())
            .collect();
        let wanted: Vec<&str> = verdict["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap())
            .collect();
        assert_eq!(evidence, wanted);
        let verdict: Verdict = serde_json::from_value(verdict["verdict"].clone()).unwrap();
        assert!(
            element
                .query_selector(".leg-advice")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap()
                .contains(verdict.advice())
        );
    }
}

#[wasm_bindgen_test]
async fn the_timeline_has_a_lane_per_participant_and_highlights_coded_wrap_ups() {
    let (record, _) = record_of_json(TRANSFER).unwrap();
    let participants = record.participants.len();
    let root = mount::<Timeline>(TimelineProps {
        record: Rc::new(record),
        directory: Rc::new(Directory::default()),
    });
    tick().await;
    let lanes = all(&root, ".timeline-lane");
    assert_eq!(lanes.len(), participants);
    let purposes: Vec<String> = lanes
        .iter()
        .map(|l| l.get_attribute("data-purpose").unwrap())
        .collect();
    assert_eq!(purposes.first().map(String::as_str), Some("customer"));
    assert_eq!(&purposes[purposes.len() - 2..], ["agent", "agent"]);
    let coded = all(
        &root,
        ".timeline-lane[data-participant-id=p-agent-2] [data-segment=wrapup] .segment-coded",
    );
    assert_eq!(coded.len(), 1);
    let acw = root
        .query_selector(
            "[data-testid=timeline-metrics] tr[data-participant-id=p-agent-2] [data-metric=tAcw]",
        )
        .unwrap()
        .expect("tAcw shown");
    let raw: i64 = acw.get_attribute("data-value").unwrap().parse().unwrap();
    assert!(
        acw.text_content()
            .unwrap()
            .ends_with(&wrapup_core::lookup::timeline::readable_ms(raw))
    );
}

#[wasm_bindgen_test]
async fn real_time_disagreement_is_said_and_attributes_render_as_text() {
    let explanation = explain_json(IN_PROGRESS).unwrap();
    let realtime: RealtimeConversation = serde_json::from_value(serde_json::json!({
        "id": explanation.conversation_id,
        "participants": [
            { "id": "p-customer", "purpose": "customer", "name": "<img src=x onerror=alert(1)>",
              "attributes": { "note": "<b>not bold</b>" } },
            { "id": "p-agent", "purpose": "agent", "wrapup": { "code": "ININ-WRAP-UP-TIMEOUT" } }
        ]
    }))
    .unwrap();
    let legs = compare(Some(&explanation), Some(&realtime), &[]);
    let root = mount::<RealtimeCompare>(RealtimeCompareProps {
        legs,
        realtime: Some(Ok(Some(Rc::new(realtime)))),
        directory: Rc::new(Directory::default()),
    });
    tick().await;
    let row = root
        .query_selector("tr[data-participant-id=p-agent]")
        .unwrap()
        .unwrap();
    assert_eq!(
        row.get_attribute("data-finding").as_deref(),
        Some("indexing_lag")
    );
    assert!(
        row.text_content()
            .unwrap()
            .contains("analytics still null: indexing lag")
    );
    let attributes = root
        .query_selector("[data-testid=realtime-attributes]")
        .unwrap()
        .unwrap();
    assert!(
        attributes
            .text_content()
            .unwrap()
            .contains("<b>not bold</b>")
    );
    assert!(attributes.query_selector("b, img").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_service_follows_a_scripted_conversation_to_its_verdict_on_gc_sim() {
    let started = sim_admin(
        "/sim/conversations",
        serde_json::json!({ "queueSecs": 0.5, "alertSecs": 0.5, "talkSecs": 1, "acwSecs": 1,
            "legs": [{ "outcome": "submitted" }] }),
    )
    .await;
    let id = started["conversationId"].as_str().unwrap().to_owned();
    let leg = &started["legs"][0];
    let api = Api::new(sim_platform(), sim_token(None).await);
    let events = RefCell::new(Vec::new());
    let finished = look_up(&api, &id, |event| events.borrow_mut().push(event));
    let limit = gloo_timers::future::sleep(Duration::from_secs(120));
    futures::pin_mut!(finished, limit);
    assert!(
        matches!(
            futures::future::select(finished, limit).await,
            futures::future::Either::Left(_)
        ),
        "the lookup finished"
    );
    let events = events.borrow().clone();
    match &events[0] {
        LookupEvent::Realtime(Ok(Some(conversation))) => {
            assert_eq!(conversation.id.as_deref(), Some(id.as_str()));
            assert!(
                conversation
                    .participants
                    .iter()
                    .any(|p| p.id.as_deref() == started["customerParticipantId"].as_str()),
                "read at once, the live conversation has its customer (the agent joins later)"
            );
        }
        other => panic!("the real-time conversation first, got {other:?}"),
    }
    let Some(LookupEvent::Record {
        explanation,
        pending: false,
        ..
    }) = events.last()
    else {
        panic!("a final record last, got {:?}", events.last());
    };
    assert_eq!(explanation.verdicts.len(), 1);
    let verdict = &explanation.verdicts[0];
    assert_eq!(
        verdict.participant_id.as_deref(),
        leg["participantId"].as_str()
    );
    assert_eq!(verdict.verdict, Verdict::Coded);
    assert_eq!(verdict.code.as_deref(), leg["code"].as_str());
    // Every earlier record was not final, and every wait said until when.
    for event in &events[1..events.len() - 1] {
        match event {
            LookupEvent::Record { pending, .. } => assert!(pending),
            LookupEvent::Waiting { retry_at_ms, .. } => assert!(*retry_at_ms > 0.0),
            other => panic!("unexpected {other:?}"),
        }
    }
}
