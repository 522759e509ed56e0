//! Services against gc-sim over real HTTP and WebSocket in Chromium: the directory, channels,
//! the live engine end to end, and each bad input (bad token, 429, malformed frames, dropped socket).
#![cfg(target_arch = "wasm32")]

mod support;

use std::time::Duration;

use serde_json::json;
use support::engine::RecordedEngine;
use support::{directory_entry, sim_admin, sim_get, sim_platform, sim_token, wait_for};
use wasm_bindgen_test::*;
use wrapup_core::retry::Backoff;
use wrapup_core::tracker::Outcome;
use wrapup_live::services::api::Api;
use wrapup_live::types::error::ApiError;
use wrapup_live::types::live::{Link, LiveEvent, Setback};
use wrapup_live::types::names::NameKind;

wasm_bindgen_test_configure!(run_in_browser);

const WAIT: Duration = Duration::from_secs(20);

impl RecordedEngine {
    async fn wait_live(&self) {
        wait_for("the link to be live", WAIT, || {
            self.any(|e| matches!(e, LiveEvent::Link(Link::Live)))
        })
        .await;
    }

    fn outcome_of(&self, conversation_id: &str) -> Option<wrapup_core::tracker::WrapUpOutcome> {
        self.events.borrow().iter().find_map(|e| match e {
            LiveEvent::Outcomes(list) => list
                .iter()
                .find(|o| o.conversation_id == conversation_id)
                .cloned(),
            _ => None,
        })
    }
}

/// Start a scripted conversation on the simulator; returns its id and the first leg's code.
async fn scripted(body: serde_json::Value) -> (String, Option<String>) {
    let answer = sim_admin("/sim/conversations", body).await;
    let id = answer["conversationId"].as_str().unwrap().to_owned();
    let code = answer["legs"][0]["code"].as_str().map(str::to_owned);
    (id, code)
}

#[wasm_bindgen_test]
async fn a_bad_token_is_unauthorized_and_asks_for_sign_in() {
    let api = Api::new(sim_platform(), "not-a-real-token");
    let err = api.me().await.unwrap_err();
    assert_eq!(err, ApiError::Unauthorized);
    assert!(err.needs_sign_in());
    assert!(err.to_string().contains("Sign in again"));
}

#[wasm_bindgen_test]
async fn directory_and_channel_calls_return_typed_data() {
    let api = Api::new(sim_platform(), sim_token(None).await);
    let me = api.me().await.unwrap();
    assert_eq!(me.name.as_deref(), Some("Supervisor"));
    let queues = api.my_queues().await.unwrap();
    assert!(
        !queues.is_empty(),
        "the supervisor is a member of every queue"
    );

    let channel = api.create_channel().await.unwrap();
    assert!(
        channel.connect_uri.starts_with("ws://127.0.0.1:"),
        "{}",
        channel.connect_uri
    );
    let topics = vec![
        format!("v2.users.{}.conversations", me.id),
        format!("v2.routing.queues.{}.conversations", queues[0].id),
    ];
    let result = api.subscribe(&channel.id, &topics).await.unwrap();
    assert_eq!(result.len(), 2);
    assert!(result.iter().all(|t| !t.is_rejected()), "{result:?}");
    assert!(api.channel_exists(&channel.id).await.unwrap());
    assert!(
        !api.channel_exists("streaming-0-doesnotexist00000000000000")
            .await
            .unwrap()
    );
}

#[wasm_bindgen_test]
async fn another_users_topic_is_reported_as_rejected() {
    let api = Api::new(sim_platform(), sim_token(None).await);
    let channel = api.create_channel().await.unwrap();
    let result = api
        .subscribe(
            &channel.id,
            &["v2.users.00000000-0000-4000-8000-000000000000.conversations".to_owned()],
        )
        .await
        .unwrap();
    assert!(result[0].is_rejected(), "{result:?}");
}

#[wasm_bindgen_test]
async fn the_engine_delivers_a_submitted_wrap_up_with_its_code_name() {
    let engine = RecordedEngine::start(Api::new(sim_platform(), sim_token(None).await));
    engine.wait_live().await;
    let (conversation, code) = scripted(json!({ "outcome": "submitted" })).await;
    let code = code.expect("a submitted leg has a code");
    wait_for("the scripted outcome", WAIT, || {
        engine.outcome_of(&conversation).is_some()
    })
    .await;
    let outcome = engine.outcome_of(&conversation).unwrap();
    assert_eq!(outcome.outcome, Outcome::Submitted);
    assert_eq!(outcome.code.as_deref(), Some(code.as_str()));
    wait_for("the code's name", WAIT, || {
        engine.any(|e| matches!(e, LiveEvent::Names(n) if n.codes.iter().any(|c| c.id == code && c.name.is_some())))
    })
    .await;
    assert!(engine.any(
        |e| matches!(e, LiveEvent::Identity { me, .. } if me.name.as_deref() == Some("Supervisor"))
    ));
}

#[wasm_bindgen_test]
async fn each_outcome_kind_arrives_exactly_once() {
    let engine = RecordedEngine::start(Api::new(sim_platform(), sim_token(None).await));
    engine.wait_live().await;
    let mut expected = Vec::new();
    for (kind, outcome) in [
        ("timed_out", Outcome::TimedOut),
        ("skipped", Outcome::Skipped),
        ("not_required", Outcome::NotRequired),
    ] {
        let (id, _) = scripted(json!({ "outcome": kind })).await;
        expected.push((id, outcome));
    }
    for (id, outcome) in &expected {
        wait_for("a scripted outcome", WAIT, || {
            engine.outcome_of(id).is_some()
        })
        .await;
        assert_eq!(
            engine.outcome_of(id).unwrap().outcome,
            *outcome,
            "conversation {id}"
        );
    }
    // The supervisor sees each conversation on its user topic and its queue topic: still one outcome each.
    for (id, _) in &expected {
        let copies = engine.count(|e| matches!(e, LiveEvent::Outcomes(list) if list.iter().any(|o| &o.conversation_id == id)));
        assert_eq!(copies, 1, "conversation {id} reported {copies} times");
    }
}

#[wasm_bindgen_test]
async fn rate_limited_requests_wait_as_told_and_succeed() {
    let api = Api::new(sim_platform(), sim_token(None).await);
    sim_admin("/sim/faults", json!({ "force429": 2 })).await;
    let me = api.me().await.expect("retried after Retry-After");
    assert_eq!(me.name.as_deref(), Some("Supervisor"));
}

#[wasm_bindgen_test]
async fn malformed_frames_are_counted_and_the_feed_carries_on() {
    let engine = RecordedEngine::start(Api::new(sim_platform(), sim_token(None).await));
    engine.wait_live().await;
    sim_admin("/sim/faults", json!({ "malformedFrames": 3 })).await;
    wait_for("malformed frames to be reported", WAIT, || {
        engine.count(|e| matches!(e, LiveEvent::Malformed(_))) >= 3
    })
    .await;
    let (conversation, _) = scripted(json!({ "outcome": "submitted" })).await;
    wait_for("an outcome after the malformed frames", WAIT, || {
        engine.outcome_of(&conversation).is_some()
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_dropped_socket_reconnects_and_the_feed_resumes() {
    let engine = RecordedEngine::start(Api::new(sim_platform(), sim_token(None).await));
    engine.wait_live().await;
    sim_admin("/sim/faults", json!({ "dropSockets": true })).await;
    wait_for("the engine to notice the drop", WAIT, || {
        engine.any(|e| matches!(e, LiveEvent::Link(Link::Reconnecting { .. })))
    })
    .await;
    // Long enough (simulated seconds at the test speed) that the wrap-up lands after the reconnect.
    let (conversation, _) = scripted(json!({ "outcome": "submitted", "talkSecs": 60.0 })).await;
    wait_for("the outcome after reconnecting", WAIT, || {
        engine.outcome_of(&conversation).is_some()
    })
    .await;
    let lives = engine.count(|e| matches!(e, LiveEvent::Link(Link::Live)));
    assert!(lives >= 2, "live again after the drop ({lives} times live)");
}

/// A client that gives up at the first failure, so the engine's own retries are what is tested.
fn api_without_retries(token: String) -> Api {
    Api::new(sim_platform(), token).with_retry(Backoff {
        deadline: Duration::ZERO,
        ..Backoff::request()
    })
}

/// An agent from gc-sim's directory and a queue that agent is not a member of.
fn agent_and_foreign_queue(directory: &serde_json::Value) -> (String, String) {
    let agent = directory["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "agent")
        .expect("gc-sim has agents");
    let queue = directory["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| !agent["queueIds"].as_array().unwrap().contains(&q["id"]))
        .expect("some queue the agent is not in");
    (
        agent["id"].as_str().unwrap().to_owned(),
        queue["id"].as_str().unwrap().to_owned(),
    )
}

impl RecordedEngine {
    fn deferred_names(&self) -> Vec<String> {
        let events = self.events.borrow();
        let mut ids: Vec<String> = events
            .iter()
            .filter_map(|e| match e {
                LiveEvent::Setback(Setback::Names { ids, .. }) => Some(ids.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// What the engine finally said about `id`: `Ok(name)` or `Err(reason)`.
    fn answer_for(&self, id: &str) -> Option<Result<String, String>> {
        self.events.borrow().iter().find_map(|e| match e {
            LiveEvent::Names(names) => NameKind::ALL
                .iter()
                .flat_map(|kind| names.of_kind(*kind))
                .find(|n| n.id == id)
                .and_then(|n| n.name.clone().map(Ok))
                .or_else(|| {
                    names
                        .unresolvable
                        .iter()
                        .find(|u| u.id == id)
                        .map(|u| Err(u.reason.clone()))
                }),
            _ => None,
        })
    }
}

#[wasm_bindgen_test]
async fn names_that_first_got_a_429_are_looked_up_again_and_match_the_directory() {
    let directory = sim_get("/sim/directory").await;
    let (agent, foreign_queue) = agent_and_foreign_queue(&directory);
    let engine = RecordedEngine::start(api_without_retries(sim_token(Some(&agent)).await));
    engine.wait_live().await;

    // The foreign queue is new to this engine, so at least its look-up comes after the 429s start.
    sim_admin("/sim/faults", json!({ "force429": 3 })).await;
    let (conversation, _) = scripted(json!({
        "outcome": "submitted", "userId": agent, "queueId": foreign_queue
    }))
    .await;
    wait_for("the scripted outcome", WAIT, || {
        engine.outcome_of(&conversation).is_some()
    })
    .await;
    wait_for("a name look-up to be rate-limited", WAIT, || {
        !engine.deferred_names().is_empty()
    })
    .await;
    wait_for("every rate-limited id to be answered", WAIT, || {
        engine
            .deferred_names()
            .iter()
            .all(|id| engine.answer_for(id).is_some())
    })
    .await;
    wait_for("the foreign queue's name", WAIT, || {
        engine.answer_for(&foreign_queue).is_some()
    })
    .await;

    assert_eq!(
        sim_get("/sim/faults").await["force429"],
        0,
        "every forced 429 was answered to a request"
    );
    let restricted = directory["divisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Restricted")
        .map(|d| d["id"].clone())
        .unwrap();
    let mut checked = engine.deferred_names();
    checked.push(foreign_queue.clone());
    for id in checked {
        let answer = engine.answer_for(&id).unwrap();
        let entry = ["users", "queues", "wrapupCodes"]
            .iter()
            .find_map(|list| {
                directory[*list]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["id"] == id.as_str())
                    .then(|| directory_entry(&directory, list, &id))
            })
            .unwrap_or_else(|| panic!("{id} is not in gc-sim's directory"));
        // Agents cannot see Restricted codes: those are unresolvable, with the reason.
        if entry["divisionId"] == restricted {
            let reason = answer.expect_err("a Restricted code has no name for an agent");
            assert!(reason.contains("division"), "{reason}");
        } else {
            assert_eq!(
                answer.as_deref(),
                Ok(entry["name"].as_str().unwrap()),
                "{id}"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn a_backfill_that_fails_is_reported_and_the_link_comes_back() {
    let directory = sim_get("/sim/directory").await;
    let (agent, _) = agent_and_foreign_queue(&directory);
    let engine = RecordedEngine::start(api_without_retries(sim_token(Some(&agent)).await));
    engine.wait_live().await;

    // Traffic frozen, so no name look-up takes the one request the limit allows: the channel
    // check passes and the backfill after reconnecting is the request refused.
    sim_admin("/sim/pause", json!({})).await;
    sim_admin(
        "/sim/faults",
        json!({ "rateLimitPerMinute": 1, "dropSockets": true }),
    )
    .await;
    wait_for("the backfill failure to be reported", WAIT, || {
        engine.any(|e| matches!(e, LiveEvent::Setback(Setback::Backfill { .. })))
    })
    .await;
    wait_for("the link to be live again", WAIT, || {
        engine.count(|e| matches!(e, LiveEvent::Link(Link::Live))) >= 2
    })
    .await;
    sim_admin("/sim/faults", json!({ "reset": true })).await;
    sim_admin("/sim/resume", json!({})).await;

    let setback = engine
        .events
        .borrow()
        .iter()
        .find_map(|e| match e {
            LiveEvent::Setback(setback @ Setback::Backfill { .. }) => Some(setback.clone()),
            _ => None,
        })
        .unwrap();
    let Setback::Backfill { reason, retry_in } = &setback else {
        unreachable!()
    };
    assert_eq!(
        reason,
        &ApiError::RateLimited {
            retry_after: Some(*retry_in)
        }
        .to_string(),
        "the platform's Retry-After is the wait"
    );
    let message = setback.message();
    assert!(
        message.contains("may be missing") && message.contains("next try"),
        "{message}"
    );
}
