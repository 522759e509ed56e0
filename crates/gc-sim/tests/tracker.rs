//! The independent check: every frame the simulator sends parses with wrapup-core, and the
//! tracker's outcomes computed from those snapshots equal `/sim/truth` exactly (no loss, no
//! duplicates) — for the seeded demo traffic and for the firehose.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{Frame, Sim, Socket, test_config};
use gc_sim::Scenario;
use serde_json::{Value, json};
use wrapup_core::tracker::{FrameKind, Tracker, WrapUpOutcome};

type Key = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

fn from_tracker(o: &WrapUpOutcome) -> Key {
    (
        o.conversation_id.clone(),
        o.participant_id.clone(),
        o.user_id.clone().unwrap_or_default(),
        o.queue_id.clone().unwrap_or_default(),
        o.media_type.clone().unwrap_or_default(),
        o.outcome.as_str().to_string(),
        o.code.clone(),
    )
}

fn from_truth(t: &Value) -> Key {
    let s = |k: &str| t[k].as_str().unwrap().to_string();
    (
        s("conversationId"),
        s("participantId"),
        s("userId"),
        s("queueId"),
        s("mediaType"),
        s("outcome"),
        t["code"].as_str().map(str::to_string),
    )
}

fn count(keys: impl IntoIterator<Item = Key>) -> BTreeMap<Key, usize> {
    let mut m = BTreeMap::new();
    for k in keys {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

async fn state(sim: &Sim) -> Value {
    sim.admin_get("/sim/state").await
}

/// Subscribes the supervisor to every queue and every user topic, lets traffic run until `target`
/// outcomes exist, freezes it, drains exactly the frames sent, and compares tracker with truth.
async fn tracker_matches_truth(scenario: Scenario, speed: f64, target: u64) {
    let sim = Sim::start(gc_sim::Config {
        scenario,
        speed,
        start_paused: true,
        firehose_rate: 400,
        ..test_config()
    })
    .await;
    let dir = sim.directory().await;
    let token = sim.token(None).await;
    let mut topics: Vec<String> = dir["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            format!(
                "v2.routing.queues.{}.conversations",
                q["id"].as_str().unwrap()
            )
        })
        .collect();
    topics.extend(
        dir["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| format!("v2.users.{}.conversations", u["id"].as_str().unwrap())),
    );
    let (_, uri) = sim.channel(&token, &topics).await;
    let mut ws = Socket::connect(&uri).await;
    // The socket is registered once the handshake completes; a pong proves it.
    ws.send_text(r#"{"message":"ping"}"#).await;
    ws.wait_json(|v| v["eventBody"]["message"] == "pong").await;
    sim.admin("/sim/resume", json!({})).await;

    let mut tracker = Tracker::new();
    let mut got: Vec<Key> = Vec::new();
    let mut conversation_frames: u64 = 0;
    let feed = |text: &str, tracker: &mut Tracker, got: &mut Vec<Key>, n: &mut u64| {
        let report = tracker.ingest_frame(text);
        match &report.kind {
            FrameKind::Conversation { .. } => *n += 1,
            FrameKind::Heartbeat | FrameKind::Pong => {}
            other => {
                panic!("simulator frame did not parse as a conversation event: {other:?}\n{text}")
            }
        }
        got.extend(report.outcomes.iter().map(from_tracker));
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut last_poll = tokio::time::Instant::now();
    loop {
        if let Some(frame) = ws.next_within(Duration::from_millis(50)).await {
            match frame {
                Frame::Text(t) => feed(&t, &mut tracker, &mut got, &mut conversation_frames),
                other => panic!("socket ended: {other:?}"),
            }
        }
        if last_poll.elapsed() > Duration::from_millis(200) {
            last_poll = tokio::time::Instant::now();
            if state(&sim).await["truth"].as_u64().unwrap() >= target {
                break;
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "traffic too slow to reach {target} outcomes"
        );
    }
    // Freeze: after this returns nothing changes and nothing is published.
    sim.admin("/sim/pause", json!({})).await;
    let truth = sim.truth().await;
    let sent = state(&sim).await["eventsSent"].as_u64().unwrap();
    // Drain exactly the conversation frames the simulator queued for this (only) socket.
    while conversation_frames < sent {
        match ws.next().await {
            Frame::Text(t) => feed(&t, &mut tracker, &mut got, &mut conversation_frames),
            other => panic!("socket ended: {other:?}"),
        }
    }
    assert_eq!(conversation_frames, sent);
    let tracked = count(got);
    let expected = count(truth.iter().map(from_truth));
    assert!(
        tracked.values().all(|n| *n == 1),
        "the tracker emitted a leg twice"
    );
    assert!(
        expected.values().all(|n| *n == 1),
        "truth lists a leg twice"
    );
    let missing: Vec<_> = expected
        .keys()
        .filter(|k| !tracked.contains_key(*k))
        .collect();
    let extra: Vec<_> = tracked
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing from tracker: {missing:#?}\nnot in truth: {extra:#?}"
    );
    assert!(expected.len() as u64 >= target);
    // Every kind of outcome took part (demo traffic is seeded to produce all of them).
    if scenario == Scenario::Demo {
        let kinds: std::collections::BTreeSet<&str> = truth
            .iter()
            .map(|t| t["outcome"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds.into_iter().collect::<Vec<_>>(),
            ["not_required", "skipped", "submitted", "timed_out"]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_traffic_outcomes_tracked_by_wrapup_core_equal_the_ground_truth() {
    tracker_matches_truth(Scenario::Demo, 40.0, 120).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn firehose_outcomes_tracked_by_wrapup_core_equal_the_ground_truth() {
    tracker_matches_truth(Scenario::Firehose, 1.0, 300).await;
}

#[tokio::test]
async fn firehose_pushes_the_configured_rate() {
    let sim = Sim::start(gc_sim::Config {
        scenario: Scenario::Firehose,
        firehose_rate: 500,
        ..test_config()
    })
    .await;
    let token = sim.token(None).await;
    let dir = sim.directory().await;
    let topics: Vec<String> = dir["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            format!(
                "v2.routing.queues.{}.conversations",
                q["id"].as_str().unwrap()
            )
        })
        .collect();
    let (_, uri) = sim.channel(&token, &topics).await;
    let mut ws = Socket::connect(&uri).await;
    // Behaviour, not timing: a thousand snapshots arrive, all of them conversation events the size of
    // a routed interaction: 4–6 participants, the agent last.
    let mut n = 0;
    while n < 1000 {
        if let Frame::Text(t) = ws.next().await {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["topicName"]
                .as_str()
                .unwrap()
                .starts_with("v2.routing.queues.")
            {
                let participants = v["eventBody"]["participants"].as_array().unwrap();
                assert!(
                    (4..=6).contains(&participants.len()),
                    "{} participants",
                    participants.len()
                );
                assert_eq!(participants.last().unwrap()["purpose"], "agent");
                n += 1;
            }
        }
    }

    // Rate 0 stops the stream: it drains and goes quiet; a new rate starts it again.
    let stopped = sim.admin("/sim/firehose", json!({ "rate": 0 })).await;
    assert_eq!(stopped["rate"], 0);
    let mut drained = 0;
    while let Some(frame) = ws.next_within(Duration::from_secs(2)).await {
        drained += 1;
        assert!(drained < 100_000, "the stream did not stop: {frame:?}");
    }
    let quiet = sim.admin_get("/sim/firehose").await["eventsSent"].clone();
    assert!(ws.next_within(Duration::from_secs(1)).await.is_none());
    assert_eq!(sim.admin_get("/sim/firehose").await["eventsSent"], quiet);
    assert_eq!(
        sim.admin("/sim/firehose", json!({ "rate": 300 })).await["rate"],
        300
    );
    let resumed = ws.next_within(Duration::from_secs(30)).await;
    assert!(matches!(resumed, Some(Frame::Text(_))), "{resumed:?}");

    // finalOnly: every new conversation arrives already decided (its first frame gives its outcome; a
    // conversation that went through several queues comes once per queue topic).
    sim.admin("/sim/firehose", json!({ "rate": 300, "finalOnly": true }))
        .await;
    let mut tracker = Tracker::new();
    let mut seen = std::collections::HashSet::new();
    let (mut new_conversations, mut decided_at_once) = (0, 0);
    while new_conversations < 300 {
        if let Frame::Text(t) = ws.next().await {
            let v: Value = serde_json::from_str(&t).unwrap();
            let Some(id) = v["eventBody"]["id"].as_str() else {
                continue;
            };
            if seen.insert(id.to_owned()) {
                new_conversations += 1;
                if tracker.ingest_frame(&t).outcomes.len() == 1 {
                    decided_at_once += 1;
                }
            }
        }
    }
    // Conversations started before the switch arrive step by step; there are at most a socket's backlog.
    assert!(decided_at_once >= 250, "{decided_at_once} of 300");
}
