//! The hub: drains the publication channel into the sockets' frame queues, building envelopes;
//! plus the `channel.metadata` heartbeat/pong, `v2.system.socket_closing` and malformed frames.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde::Serialize;
use serde_json::json;
use serde_json::value::RawValue;
use uuid::Uuid;

use tokio::sync::mpsc;

use crate::store::Sim;
use crate::store::channels::{Delivery, Outbound};
use crate::store::conversation::Conversation;
use crate::store::publish::Publication;

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

/// Runs until shutdown, handing each publication to its sockets in the order it was published.
pub async fn run(sim: Arc<Sim>, mut publications: mpsc::UnboundedReceiver<Publication>) {
    loop {
        let publication = tokio::select! {
            _ = sim.clock.cancelled() => return,
            next = publications.recv() => match next {
                Some(p) => p,
                None => return,
            },
        };
        match publication {
            Publication::Snapshot {
                conversation,
                deliveries,
            } => {
                let sent = deliver_snapshot(&conversation, &deliveries);
                sim.stats.events_sent.fetch_add(sent, Ordering::Relaxed);
            }
            Publication::Frames { socket, frames } => {
                for frame in frames {
                    // A closed queue means the socket is gone; later frames would be lost too.
                    if socket.send(frame).is_err() {
                        break;
                    }
                }
            }
            Publication::Flush(done) => {
                let _ = done.send(());
            }
        }
    }
}

/// Sends one snapshot to each delivery; returns how many frames were queued.
fn deliver_snapshot(conv: &Conversation, deliveries: &[Delivery]) -> u64 {
    let mut full: Option<Box<RawValue>> = None;
    let mut media: Option<Box<RawValue>> = None;
    let mut sent = 0;
    for d in deliveries {
        let body = if d.per_media {
            media.get_or_insert_with(|| raw(conv.media_event_body()))
        } else {
            full.get_or_insert_with(|| raw(conv.event_body()))
        };
        if d.socket
            .send(Outbound::Text(envelope(&d.topic_name, body)))
            .is_ok()
        {
            sent += 1;
        }
    }
    sent
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
