//! Delivery of frames to sockets: conversation snapshots to every matching subscription, plus the
//! `channel.metadata` heartbeat/pong, `v2.system.socket_closing` and the malformed-frame fault.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use serde::Serialize;
use serde_json::json;
use serde_json::value::RawValue;
use uuid::Uuid;

use super::{Channel, Outbound, Topic};
use crate::conversation::Conversation;
use crate::world::Stats;

#[derive(Serialize)]
struct Metadata {
    #[serde(rename = "CorrelationId")]
    correlation_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    topic_name: &'a str,
    version: &'static str,
    event_body: &'a RawValue,
    metadata: Metadata,
}

/// A notification frame `{topicName, version:"2", eventBody, metadata:{CorrelationId}}` (§4.4).
pub fn envelope(topic: &str, body: &RawValue) -> String {
    serde_json::to_string(&Envelope {
        topic_name: topic,
        version: "2",
        event_body: body,
        metadata: Metadata {
            correlation_id: Uuid::new_v4().to_string(),
        },
    })
    .expect("envelope serialises")
}

/// The heartbeat frame (§4.4).
pub fn heartbeat() -> String {
    json!({ "topicName": "channel.metadata", "eventBody": { "message": "WebSocket Heartbeat" } })
        .to_string()
}

/// The answer to `{"message":"ping"}` (§4.4).
pub fn pong() -> String {
    json!({ "topicName": "channel.metadata", "eventBody": { "message": "pong" } }).to_string()
}

fn raw(v: serde_json::Value) -> Box<RawValue> {
    RawValue::from_string(v.to_string()).expect("serialised JSON is valid JSON")
}

/// Sends the conversation's snapshot to every socket with a matching subscription, once per
/// matching topic (a channel on both the queue and the agent topic gets both, as in Genesys).
pub fn publish(channels: &HashMap<String, Channel>, conv: &Conversation, stats: &Stats) {
    let users = conv.user_ids();
    let queues = conv.queue_ids();
    let mut full: Option<Box<RawValue>> = None;
    let mut media: Option<Box<RawValue>> = None;
    for ch in channels.values() {
        let Some(sock) = &ch.socket else { continue };
        for sub in &ch.topics {
            let (hit, per_media) = match sub.topic {
                Topic::UserConversations(u, m) => (
                    users.contains(&u) && m.is_none_or(|m| m == conv.media),
                    m.is_some(),
                ),
                Topic::QueueConversations(q, m) => (
                    queues.contains(&q) && m.is_none_or(|m| m == conv.media),
                    m.is_some(),
                ),
                Topic::Quiet => (false, false),
            };
            if !hit {
                continue;
            }
            let body = if per_media {
                media.get_or_insert_with(|| raw(conv.media_event_body()))
            } else {
                full.get_or_insert_with(|| raw(conv.event_body()))
            };
            if sock
                .tx
                .send(Outbound::Text(envelope(&sub.id, body)))
                .is_ok()
            {
                stats.events_sent.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// The `v2.system.socket_closing` frame for a channel.
pub fn socket_closing(channel_id: &str, user_id: Uuid) -> String {
    envelope(
        "v2.system.socket_closing",
        &raw(crate::unconfirmed::socket_closing_body(
            channel_id,
            &user_id.to_string(),
        )),
    )
}

/// Frames a careless server (or a broken proxy) might emit; the client must survive each.
pub fn malformed_frames(queue_topic: Option<&str>) -> Vec<Outbound> {
    let topic = queue_topic
        .unwrap_or("v2.routing.queues.00000000-0000-0000-0000-000000000000.conversations");
    vec![
        Outbound::Text("{\"topicName\":\"v2.users.".into()),
        Outbound::Text("this is not JSON".into()),
        Outbound::Text(
            json!({ "topicName": topic, "version": "2", "eventBody": "not an object" }).to_string(),
        ),
        Outbound::Text(
            json!({ "topicName": topic, "version": "2", "eventBody": { "participants": "nope" } })
                .to_string(),
        ),
        Outbound::Text("[1,2,3]".into()),
        Outbound::Text(json!({ "eventBody": { "message": "no topicName" } }).to_string()),
        Outbound::Binary(vec![0xff, 0x00, 0x13, 0x37]),
    ]
}
