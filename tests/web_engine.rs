//! The live engine under each connection fault, against gc-sim over real HTTP and WebSocket: scripted
//! conversations on the supervisor's queues end during the fault, and the engine's outcomes (live and
//! recovered) for them must equal gc-sim's ground truth (`/sim/truth`), none lost, none twice.
#![cfg(target_arch = "wasm32")]

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;
use support::engine::RecordedEngine;
use support::{sim_admin, sim_get, sim_platform, sim_token, wait_for};
use wasm_bindgen_test::*;
use wrapup_core::retry::Backoff;
use wrapup_core::tracker::WrapUpOutcome;
use wrapup_live::services::api::Api;
use wrapup_live::types::live::{Link, LiveEvent};

wasm_bindgen_test_configure!(run_in_browser);

const WAIT: Duration = Duration::from_secs(30);
/// Recovery reads are paced by the request budget (4 a second after a burst of 40), and the demo traffic
/// at test speed puts dozens of conversations in every gap.
const RECOVERY_WAIT: Duration = Duration::from_secs(90);

/// A leg as gc-sim's truth and the engine both describe it: (outcome, code).
type Legs = BTreeMap<(String, String), Vec<(String, Option<String>)>>;

impl RecordedEngine {
    async fn wait_live(&self, times: usize) {
        wait_for("the link to be live", WAIT, || {
            self.count(|e| matches!(e, LiveEvent::Link(Link::Live))) >= times
        })
        .await;
    }

    /// Every outcome the engine reported for `conversations`, live or recovered, with which it was.
    fn outcomes_for(&self, conversations: &[String]) -> Vec<(WrapUpOutcome, bool)> {
        self.events
            .borrow()
            .iter()
            .flat_map(|e| match e {
                LiveEvent::Outcomes(list) => list.iter().map(|o| (o.clone(), false)).collect(),
                LiveEvent::RecoveredOutcomes(list) => {
                    list.iter().map(|o| (o.clone(), true)).collect()
                }
                _ => Vec::new(),
            })
            .filter(|(o, _)| conversations.contains(&o.conversation_id))
            .collect()
    }

    fn legs(&self, conversations: &[String]) -> Legs {
        let mut legs = Legs::new();
        for (o, _) in self.outcomes_for(conversations) {
            legs.entry((o.conversation_id.clone(), o.participant_id.clone()))
                .or_default()
                .push((o.outcome.as_str().to_owned(), o.code.clone()));
        }
        legs
    }
}

async fn truth_legs(conversations: &[String]) -> Legs {
    let truth = sim_get("/sim/truth").await;
    let mut legs = Legs::new();
    for entry in truth["outcomes"].as_array().unwrap() {
        let id = entry["conversationId"].as_str().unwrap().to_owned();
        if conversations.contains(&id) {
            legs.entry((id, entry["participantId"].as_str().unwrap().to_owned()))
                .or_default()
                .push((
                    entry["outcome"].as_str().unwrap().to_owned(),
                    entry["code"].as_str().map(str::to_owned),
                ));
        }
    }
    legs
}

/// The supervisor's queues (every queue in gc-sim).
async fn queues() -> Vec<String> {
    sim_get("/sim/directory").await["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Short scripted conversations over every queue and outcome kind (about a second of wall time each at
/// the test speed), one of them with a transfer (two agent legs).
async fn script_burst(queues: &[String]) -> Vec<String> {
    let kinds = [
        "submitted",
        "skipped",
        "not_required",
        "timed_out",
        "submitted",
    ];
    let mut ids = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        let mut body = json!({
            "queueId": queues[i % queues.len()], "outcome": kind,
            "queueSecs": 0.5, "alertSecs": 0.5, "talkSecs": 4.0, "acwSecs": 3.0,
        });
        if i == 0 {
            body["legs"] = json!([{ "outcome": "submitted" }, { "outcome": "submitted" }]);
            body.as_object_mut().unwrap().remove("outcome");
        }
        let answer = sim_admin("/sim/conversations", body).await;
        ids.push(answer["conversationId"].as_str().unwrap().to_owned());
    }
    ids
}

async fn wait_truth_final(conversations: &[String]) {
    let started = js_sys::Date::now();
    loop {
        let truth = truth_legs(conversations).await;
        let ended: std::collections::HashSet<&String> = truth.keys().map(|(c, _)| c).collect();
        if ended.len() == conversations.len() {
            return;
        }
        assert!(
            js_sys::Date::now() - started < WAIT.as_millis() as f64,
            "gc-sim did not finish the scripted conversations"
        );
        gloo_timers::future::sleep(Duration::from_millis(200)).await;
    }
}

/// Wait until the engine has an outcome for every leg gc-sim finalised (a transferring leg may end after
/// the last one, so the truth is read again each round), then compare: asserts the outcomes equal the
/// truth and returns (lost, duplicated, recovered).
async fn compare_with_truth(
    engine: &RecordedEngine,
    conversations: &[String],
    fault: &str,
) -> (usize, usize, usize) {
    let started = js_sys::Date::now();
    let mut truth = truth_legs(conversations).await;
    while js_sys::Date::now() - started < RECOVERY_WAIT.as_millis() as f64 {
        let legs = engine.legs(conversations);
        if legs.len() == truth.len() && truth.keys().all(|leg| legs.contains_key(leg)) {
            break;
        }
        // Progress on the console also tells the test runner this test is alive.
        web_sys::console::log_1(
            &format!("{fault}: {} of {} legs so far", legs.len(), truth.len()).into(),
        );
        gloo_timers::future::sleep(Duration::from_secs(1)).await;
        truth = truth_legs(conversations).await;
    }
    // A moment more, so a duplicate still on its way would be counted.
    gloo_timers::future::sleep(Duration::from_secs(2)).await;
    let truth = truth_legs(conversations).await;
    let legs = engine.legs(conversations);
    let lost = truth.keys().filter(|leg| !legs.contains_key(*leg)).count();
    let duplicated: usize = legs.values().map(|v| v.len().saturating_sub(1)).sum();
    let recovered = engine
        .outcomes_for(conversations)
        .iter()
        .filter(|(_, recovered)| *recovered)
        .count();
    web_sys::console::log_1(
        &format!(
            "{fault}: {} legs in truth, {lost} lost, {duplicated} duplicated, {recovered} recovered after the gap",
            truth.len()
        )
        .into(),
    );
    let engine_legs: Legs = legs
        .into_iter()
        .map(|(leg, mut v)| {
            v.truncate(1);
            (leg, v)
        })
        .collect();
    assert_eq!((lost, duplicated), (0, 0), "{fault}: lost, duplicated");
    assert_eq!(
        engine_legs, truth,
        "{fault}: outcomes and codes equal gc-sim's truth"
    );
    (lost, duplicated, recovered)
}

async fn reset_faults() {
    sim_admin("/sim/faults", json!({ "reset": true })).await;
}

#[wasm_bindgen_test]
async fn a_dropped_socket_loses_nothing_and_duplicates_nothing() {
    reset_faults().await;
    let queues = queues().await;
    let engine = RecordedEngine::start(Api::new(sim_platform(), sim_token(None).await));
    engine.wait_live(1).await;
    // Conversations already under way when the socket drops: the tracker has them open.
    let mut conversations = script_burst(&queues).await;
    // Slow answers keep the engine reconnecting while the next burst starts and ends.
    sim_admin(
        "/sim/faults",
        json!({ "dropSockets": true, "delayMs": 2500 }),
    )
    .await;
    conversations.extend(script_burst(&queues).await);
    wait_truth_final(&conversations).await;
    sim_admin("/sim/faults", json!({ "delayMs": 0 })).await;
    engine.wait_live(2).await;
    let (_, _, recovered) = compare_with_truth(&engine, &conversations, "dropSockets").await;
    assert!(
        recovered > 0,
        "the wrap-ups that ended in the gap came from recovery"
    );
}

#[wasm_bindgen_test]
async fn socket_closing_hands_over_without_a_gap() {
    reset_faults().await;
    let queues = queues().await;
    let engine = RecordedEngine::start(Api::new(sim_platform(), sim_token(None).await));
    engine.wait_live(1).await;
    let mut conversations = script_burst(&queues).await;
    sim_admin("/sim/faults", json!({ "socketClosing": true })).await;
    conversations.extend(script_burst(&queues).await);
    wait_truth_final(&conversations).await;
    compare_with_truth(&engine, &conversations, "socketClosing").await;
    // Past the platform's grace (60 s ÷ speed): the old socket is gone, the new one carries on.
    gloo_timers::future::sleep(Duration::from_secs(7)).await;
    let after = script_burst(&queues).await;
    wait_truth_final(&after).await;
    compare_with_truth(&engine, &after, "after socketClosing").await;
    assert_eq!(
        engine.count(|e| matches!(
            e,
            LiveEvent::Link(Link::Waiting { .. } | Link::Reconnecting { .. })
        )),
        0,
        "the new socket opened before the old one closed: no reconnect, no gap"
    );
}

#[wasm_bindgen_test]
async fn an_expired_channel_is_re_created_and_its_gap_recovered() {
    reset_faults().await;
    let queues = queues().await;
    let engine = RecordedEngine::start(Api::new(sim_platform(), sim_token(None).await));
    engine.wait_live(1).await;
    let mut conversations = script_burst(&queues).await;
    sim_admin(
        "/sim/faults",
        json!({ "expireChannel": "all", "delayMs": 2500 }),
    )
    .await;
    conversations.extend(script_burst(&queues).await);
    wait_truth_final(&conversations).await;
    sim_admin("/sim/faults", json!({ "delayMs": 0 })).await;
    engine.wait_live(2).await;
    compare_with_truth(&engine, &conversations, "expireChannel").await;
}

#[wasm_bindgen_test]
async fn missed_heartbeats_lose_nothing() {
    reset_faults().await;
    let queues = queues().await;
    let engine = RecordedEngine::start(Api::new(sim_platform(), sim_token(None).await));
    engine.wait_live(1).await;
    sim_admin("/sim/faults", json!({ "pauseHeartbeats": true })).await;
    let conversations = script_burst(&queues).await;
    wait_truth_final(&conversations).await;
    compare_with_truth(&engine, &conversations, "pauseHeartbeats").await;
    reset_faults().await;
}

#[wasm_bindgen_test]
async fn a_429_on_subscribe_waits_as_told_and_subscribes() {
    reset_faults().await;
    let api = Api::new(sim_platform(), sim_token(None).await);
    let me = api.me().await.unwrap();
    let channel = api.create_channel().await.unwrap();
    sim_admin("/sim/faults", json!({ "force429": 2 })).await;
    let started = js_sys::Date::now();
    let topics = vec![format!("v2.users.{}.conversations", me.id)];
    let answer = api
        .subscribe(&channel.id, &topics)
        .await
        .expect("subscribed after the 429s");
    assert_eq!(answer.len(), 1);
    assert!(!answer[0].is_rejected());
    assert!(
        js_sys::Date::now() - started >= 2_000.0,
        "each 429's Retry-After (1 s) was waited out"
    );
    assert_eq!(sim_get("/sim/faults").await["force429"], 0);
}

#[wasm_bindgen_test]
async fn an_engine_refused_with_429s_while_re_subscribing_comes_back_and_loses_nothing() {
    reset_faults().await;
    let queues = queues().await;
    // No client retries: each 429 reaches the engine, which must wait and try again.
    let api = Api::new(sim_platform(), sim_token(None).await).with_retry(Backoff {
        deadline: Duration::ZERO,
        ..Backoff::request()
    });
    let engine = RecordedEngine::start(api);
    engine.wait_live(1).await;
    sim_admin(
        "/sim/faults",
        json!({ "expireChannel": "all", "force429": 4 }),
    )
    .await;
    let conversations = script_burst(&queues).await;
    wait_truth_final(&conversations).await;
    engine.wait_live(2).await;
    compare_with_truth(&engine, &conversations, "429 while re-subscribing").await;
    assert_eq!(sim_get("/sim/faults").await["force429"], 0);
}

#[wasm_bindgen_test]
async fn the_engine_tells_how_many_conversations_are_still_being_recovered() {
    use wrapup_live::types::live::Setback;
    reset_faults().await;
    let queues = queues().await;
    let engine = RecordedEngine::start(Api::new(sim_platform(), sim_token(None).await));
    engine.wait_live(1).await;
    script_burst(&queues).await;
    sim_admin("/sim/faults", json!({ "dropSockets": true })).await;
    wait_for("the gap's recovery to be reported", WAIT, || {
        engine.count(|e| matches!(e, LiveEvent::Setback(Setback::Gap { conversations, .. }) if *conversations > 0)) > 0
    })
    .await;
    let message = engine
        .events
        .borrow()
        .iter()
        .find_map(|e| match e {
            LiveEvent::Setback(s @ Setback::Gap { .. }) => Some(s.message()),
            _ => None,
        })
        .unwrap();
    assert!(message.contains("Recovering"), "{message}");
}
