//! Properties of the tracker: whatever the order or repetition of snapshots, each agent leg gets the same single
//! outcome; and no input, however broken, makes it (or the diagnosis) panic.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::{Value, json};
use wrapup_core::tracker::{FrameKind, Outcome, Tracker, WrapUpOutcome};

/// How an agent leg's story ends.
#[derive(Clone, Copy, Debug)]
enum Story {
    Submitted,
    TimedOut,
    SkippedByAcwState,
    SkippedByFlag,
    NoWrapUpConfigured,
    NeverAnswered,
    StillInAcwAtEnd,
}

fn story() -> impl Strategy<Value = Story> {
    prop_oneof![
        Just(Story::Submitted),
        Just(Story::TimedOut),
        Just(Story::SkippedByAcwState),
        Just(Story::SkippedByFlag),
        Just(Story::NoWrapUpConfigured),
        Just(Story::NeverAnswered),
        Just(Story::StillInAcwAtEnd),
    ]
}

const STAGES: usize = 4;

fn ts(second: usize) -> String {
    format!("2024-05-01T10:{:02}:{:02}.000Z", second / 60, second % 60)
}

/// The agent participant of `leg` at `stage` (0 alerting, 1 connected, 2 ended/ACW, 3 final).
fn agent(conversation: usize, leg: usize, story: Story, stage: usize) -> Value {
    let id = format!("c{conversation}-agent{leg}");
    let code = format!("code-{conversation}-{leg}");
    let mut participant = json!({
        "id": id, "purpose": if leg.is_multiple_of(2) { "agent" } else { "user" }, "userId": format!("u{leg}"), "queueId": "q1",
        "wrapupRequired": true, "attributes": {}, "chats": [], "emails": []
    });
    let p = participant.as_object_mut().unwrap();
    let mut call = json!({"id": format!("{id}-call"), "state": "alerting", "afterCallWorkRequired": true, "self": {"addressNormalized": "tel:+1"}});
    let c = call.as_object_mut().unwrap();
    let answered = !matches!(story, Story::NeverAnswered);
    if stage >= 1 && answered {
        p.insert("connectedTime".into(), json!(ts(10)));
        c.insert("connectedTime".into(), json!(ts(10)));
        c.insert("state".into(), json!("connected"));
    }
    if stage >= 2 {
        c.insert("state".into(), json!("disconnected"));
        p.insert("endTime".into(), json!(ts(60)));
        match story {
            Story::NoWrapUpConfigured => {
                p.insert("wrapupRequired".into(), json!(false));
            }
            Story::NeverAnswered => {}
            _ => {
                p.insert("startAcwTime".into(), json!(ts(60)));
                c.insert(
                    "afterCallWork".into(),
                    json!({"state": "pending", "startTime": ts(60)}),
                );
            }
        }
    }
    if stage >= 3 {
        let wrapup = |code: &str| json!({"code": code, "notes": "n", "durationSeconds": 20, "endTime": ts(80)});
        match story {
            Story::Submitted => {
                p.insert("wrapup".into(), wrapup(&code));
                p.insert("endAcwTime".into(), json!(ts(80)));
                c.insert(
                    "afterCallWork".into(),
                    json!({"state": "complete", "startTime": ts(60), "endTime": ts(80)}),
                );
            }
            Story::TimedOut => {
                c.insert("wrapup".into(), wrapup("ININ-WRAP-UP-TIMEOUT"));
                p.insert("endAcwTime".into(), json!(ts(80)));
            }
            Story::SkippedByAcwState => {
                p.insert("endAcwTime".into(), json!(ts(61)));
                c.insert(
                    "afterCallWork".into(),
                    json!({"state": "skipped", "startTime": ts(60), "endTime": ts(61)}),
                );
            }
            Story::SkippedByFlag => {
                p.insert("wrapupSkipped".into(), json!(true));
                p.insert("endAcwTime".into(), json!(ts(61)));
                c.remove("afterCallWork");
            }
            Story::NoWrapUpConfigured | Story::NeverAnswered | Story::StillInAcwAtEnd => {}
        }
    }
    p.insert("calls".into(), json!([call]));
    participant
}

fn frame(conversation: usize, stories: &[Story], stage: usize) -> String {
    let customer_state = if stage >= 3 {
        "disconnected"
    } else {
        "connected"
    };
    let mut participants = vec![json!({
        "id": format!("c{conversation}-customer"), "purpose": "customer",
        "calls": [{"state": customer_state, "connectedTime": ts(1)}], "attributes": {"k": "v"}
    })];
    participants.extend(
        stories
            .iter()
            .enumerate()
            .map(|(leg, &story)| agent(conversation, leg, story, stage)),
    );
    json!({
        "topicName": if conversation.is_multiple_of(2) { format!("v2.users.u{conversation}.conversations") } else { "v2.routing.queues.q1.conversations".to_owned() },
        "version": "2",
        "eventBody": {"id": format!("conv-{conversation}"), "participants": participants},
        "metadata": {"CorrelationId": format!("{conversation}-{stage}")}
    })
    .to_string()
}

fn expected_outcome(story: Story) -> Outcome {
    match story {
        Story::Submitted => Outcome::Submitted,
        Story::TimedOut => Outcome::TimedOut,
        Story::SkippedByAcwState | Story::SkippedByFlag => Outcome::Skipped,
        Story::NoWrapUpConfigured | Story::NeverAnswered => Outcome::NotRequired,
        Story::StillInAcwAtEnd => Outcome::Pending,
    }
}

fn run(frames: &[String]) -> Vec<WrapUpOutcome> {
    let mut tracker = Tracker::new();
    let mut outcomes: Vec<WrapUpOutcome> = frames
        .iter()
        .flat_map(|f| tracker.ingest_frame(f).outcomes)
        .collect();
    outcomes.extend(tracker.finish());
    outcomes
}

fn as_set(outcomes: &[WrapUpOutcome]) -> BTreeSet<String> {
    outcomes
        .iter()
        .map(|o| serde_json::to_string(o).unwrap())
        .collect()
}

fn scenario() -> impl Strategy<Value = Vec<Vec<Story>>> {
    prop::collection::vec(prop::collection::vec(story(), 1..4), 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Shuffled, duplicated snapshots (with heartbeats and junk mixed in) give the same set of outcomes as the
    /// in-order stream, and every leg appears exactly once with the outcome its story ends in.
    #[test]
    fn order_and_repetition_never_change_the_outcomes(
        conversations in scenario(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
        shuffle_seed in any::<u64>(),
    ) {
        let in_order: Vec<String> = (0..STAGES)
            .flat_map(|stage| conversations.iter().enumerate().map(move |(c, stories)| (c, stories, stage)))
            .map(|(c, stories, stage)| frame(c, stories, stage))
            .collect();
        let reference = run(&in_order);

        let mut noisy = in_order.clone();
        noisy.extend(picks.iter().map(|i| in_order[i.index(in_order.len())].clone()));
        noisy.push(r#"{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}"#.to_owned());
        noisy.push("{not json".to_owned());
        // Deterministic Fisher-Yates from the seed (proptest shrinks the seed, not the permutation).
        let mut state = shuffle_seed | 1;
        for i in (1..noisy.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            noisy.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let shuffled = run(&noisy);

        prop_assert_eq!(as_set(&reference), as_set(&shuffled));
        prop_assert_eq!(shuffled.len(), as_set(&shuffled).len(), "an outcome was emitted twice");

        let mut per_leg: BTreeMap<String, Vec<Outcome>> = BTreeMap::new();
        for outcome in &shuffled {
            per_leg.entry(outcome.participant_id.clone()).or_default().push(outcome.outcome);
        }
        for (c, stories) in conversations.iter().enumerate() {
            for (leg, &story) in stories.iter().enumerate() {
                let id = format!("c{c}-agent{leg}");
                prop_assert_eq!(per_leg.get(&id).cloned(), Some(vec![expected_outcome(story)]), "leg {} ({:?})", id, story);
            }
        }
    }

    /// Any text at all: never a panic, and never an outcome from something that is not a conversation frame.
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let mut tracker = Tracker::new();
        let report = tracker.ingest_frame(&text);
        prop_assert!(report.outcomes.is_empty());
        let _ = wrapup_core::diagnosis::explain_json(&text);
        let _ = tracker.ingest_conversation_json(&text);
    }

    /// Random JSON in the envelope of a conversation topic: never a panic, malformed or not.
    #[test]
    fn arbitrary_json_bodies_never_panic(body in json_value(), topic in prop::sample::select(vec![
        "v2.users.u1.conversations", "v2.routing.queues.q1.conversations.calls", "channel.metadata", "v2.system.socket_closing", "x",
    ])) {
        let mut tracker = Tracker::new();
        let frame = json!({"topicName": topic, "eventBody": body}).to_string();
        let report = tracker.ingest_frame(&frame);
        if !matches!(report.kind, FrameKind::Conversation { .. }) {
            prop_assert!(report.outcomes.is_empty());
        }
        let _ = tracker.finish();
        let _ = wrapup_core::diagnosis::explain_json(&body.to_string());
    }
}

/// JSON values biased towards the shapes the parsers look for (participants, calls, segments, known keys).
fn json_value() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "id",
        "purpose",
        "participants",
        "calls",
        "state",
        "wrapup",
        "code",
        "afterCallWork",
        "endTime",
        "startAcwTime",
        "conversationId",
        "sessions",
        "segments",
        "segmentType",
        "segmentStart",
        "wrapUpCode",
        "metrics",
        "name",
        "value",
        "acwSkipped",
        "conversations",
        "status",
        "message",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop::sample::select(vec![
            "agent",
            "user",
            "disconnected",
            "pending",
            "wrapup",
            "ININ-WRAP-UP-TIMEOUT",
            "2024-05-01T10:00:00.000Z",
            ""
        ])
        .prop_map(Value::from),
        ".*".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone(), inner, 0..6).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}
