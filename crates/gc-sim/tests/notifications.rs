//! Notification API against a live simulator: channels, subscriptions (PUT/POST/DELETE,
//! ignoreErrors), limits, the socket (heartbeat, pong, one socket per channel) and snapshots.

mod common;

use std::time::Duration;

use common::{Frame, Sim, Socket, participant, test_config};
use serde_json::{Value, json};

#[tokio::test]
async fn heartbeat_pong_and_scripted_snapshots_reach_a_subscribed_socket() {
    let sim = Sim::start(gc_sim::Config { heartbeat: Duration::from_millis(200), ..test_config() }).await;
    let dir = sim.directory().await;
    let queue = dir["queues"][0]["id"].as_str().unwrap().to_string();
    let agent = dir["queues"][0]["memberIds"][1].as_str().unwrap().to_string();
    let token = sim.token(None).await;
    let (_, uri) = sim.channel(&token, &[format!("v2.routing.queues.{queue}.conversations")]).await;
    let mut ws = Socket::connect(&uri).await;

    let hb = ws.wait_json(|v| v["topicName"] == "channel.metadata").await;
    assert_eq!(hb, json!({ "topicName": "channel.metadata", "eventBody": { "message": "WebSocket Heartbeat" } }));
    ws.send_text(r#"{"message":"ping"}"#).await;
    ws.wait_json(|v| v["eventBody"]["message"] == "pong").await;

    let started = sim.script(json!({ "queueId": queue, "userId": agent, "outcome": "submitted" })).await;
    let cid = started["conversationId"].as_str().unwrap().to_string();
    let leg = started["legs"][0]["participantId"].as_str().unwrap().to_string();
    let code = started["legs"][0]["code"].as_str().unwrap().to_string();
    let done = ws
        .wait_json(|v| v["eventBody"]["id"] == cid.as_str() && participant(&v["eventBody"], &leg).is_some_and(|p| p.get("wrapup").is_some()))
        .await;
    assert_eq!(done["topicName"], format!("v2.routing.queues.{queue}.conversations"));
    assert_eq!(done["version"], "2");
    assert!(done["metadata"]["CorrelationId"].is_string());
    let body = &done["eventBody"];
    for absent in ["state", "startTime", "endTime"] {
        assert!(body.get(absent).is_none(), "conversation-level {absent} must be absent");
    }
    let p = participant(body, &leg).unwrap();
    assert!(p.get("state").is_none(), "participants carry no state in this topic");
    assert_eq!(p["purpose"], "agent");
    assert_eq!(p["userId"], agent.as_str());
    assert_eq!(p["wrapup"]["code"], code.as_str());
    assert_eq!(p["calls"][0]["state"], "disconnected");
    assert_eq!(p["calls"][0]["afterCallWork"]["state"], "complete");
    assert_eq!(p["wrapupRequired"], true);
    assert!(p["startAcwTime"].is_string() && p["endAcwTime"].is_string());
}
