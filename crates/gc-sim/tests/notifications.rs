//! Notification API against a live simulator: channels, subscriptions (PUT/POST/DELETE,
//! ignoreErrors), limits, the socket (heartbeat, pong, one socket per channel) and snapshots.

mod common;

use std::time::Duration;

use common::{Frame, Sim, Socket, participant, test_config};
use serde_json::{Value, json};

#[tokio::test]
async fn heartbeat_pong_and_scripted_snapshots_reach_a_subscribed_socket() {
    let sim = Sim::start(gc_sim::Config {
        heartbeat: Duration::from_millis(200),
        ..test_config()
    })
    .await;
    let dir = sim.directory().await;
    let queue = dir["queues"][0]["id"].as_str().unwrap().to_string();
    let agent = dir["queues"][0]["memberIds"][1]
        .as_str()
        .unwrap()
        .to_string();
    let token = sim.token(None).await;
    let (_, uri) = sim
        .channel(
            &token,
            &[format!("v2.routing.queues.{queue}.conversations")],
        )
        .await;
    let mut ws = Socket::connect(&uri).await;

    let hb = ws.wait_json(|v| v["topicName"] == "channel.metadata").await;
    assert_eq!(
        hb,
        json!({ "topicName": "channel.metadata", "eventBody": { "message": "WebSocket Heartbeat" } })
    );
    ws.send_text(r#"{"message":"ping"}"#).await;
    ws.wait_json(|v| v["eventBody"]["message"] == "pong").await;

    let started = sim
        .script(json!({ "queueId": queue, "userId": agent, "outcome": "submitted" }))
        .await;
    let cid = started["conversationId"].as_str().unwrap().to_string();
    let leg = started["legs"][0]["participantId"]
        .as_str()
        .unwrap()
        .to_string();
    let code = started["legs"][0]["code"].as_str().unwrap().to_string();
    let done = ws
        .wait_json(|v| {
            v["eventBody"]["id"] == cid.as_str()
                && participant(&v["eventBody"], &leg).is_some_and(|p| p.get("wrapup").is_some())
        })
        .await;
    assert_eq!(
        done["topicName"],
        format!("v2.routing.queues.{queue}.conversations")
    );
    assert_eq!(done["version"], "2");
    assert!(done["metadata"]["CorrelationId"].is_string());
    let body = &done["eventBody"];
    for absent in ["state", "startTime", "endTime"] {
        assert!(
            body.get(absent).is_none(),
            "conversation-level {absent} must be absent"
        );
    }
    let p = participant(body, &leg).unwrap();
    assert!(
        p.get("state").is_none(),
        "participants carry no state in this topic"
    );
    assert_eq!(p["purpose"], "agent");
    assert_eq!(p["userId"], agent.as_str());
    assert_eq!(p["wrapup"]["code"], code.as_str());
    assert_eq!(p["calls"][0]["state"], "disconnected");
    assert_eq!(p["calls"][0]["afterCallWork"]["state"], "complete");
    assert_eq!(p["wrapupRequired"], true);
    assert!(p["startAcwTime"].is_string() && p["endAcwTime"].is_string());
}

#[tokio::test]
async fn channels_create_list_head_and_the_twenty_channel_eviction() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    let first: Value = sim
        .post_json(&token, "/api/v2/notifications/channels", &json!(null))
        .await
        .json()
        .await
        .unwrap();
    let id = first["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("streaming-0-") && id.len() == "streaming-0-".len() + 26);
    assert!(
        id["streaming-0-".len()..]
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    );
    assert_eq!(
        first["connectUri"],
        format!("ws://{}/channels/{id}", sim.sim.addr())
    );
    assert!(first["expires"].as_str().unwrap().ends_with('Z'));
    let head = sim
        .head(&token, &format!("/api/v2/notifications/channels/{id}"))
        .await;
    assert_eq!(head, 200);
    let missing = sim
        .head(&token, "/api/v2/notifications/channels/streaming-0-nope")
        .await;
    assert_eq!(missing, 404);

    // The first channel holds a socket; the next idle one is evicted first.
    let mut ws = Socket::connect(first["connectUri"].as_str().unwrap()).await;
    let mut ids = vec![id.clone()];
    for _ in 1..20 {
        let c: Value = sim
            .post_json(&token, "/api/v2/notifications/channels", &json!(null))
            .await
            .json()
            .await
            .unwrap();
        ids.push(c["id"].as_str().unwrap().to_string());
    }
    let listed = sim.get_json(&token, "/api/v2/notifications/channels").await;
    assert_eq!(listed["entities"].as_array().unwrap().len(), 20);
    let by_client = sim
        .get_json(
            &token,
            "/api/v2/notifications/channels?includechannels=oauthclient",
        )
        .await;
    assert_eq!(by_client["entities"].as_array().unwrap().len(), 20);
    let _21st: Value = sim
        .post_json(&token, "/api/v2/notifications/channels", &json!(null))
        .await
        .json()
        .await
        .unwrap();
    let listed = sim.get_json(&token, "/api/v2/notifications/channels").await;
    let now: Vec<&str> = listed["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(now.len(), 20);
    assert!(now.contains(&id.as_str()), "the connected channel survives");
    assert!(
        !now.contains(&ids[1].as_str()),
        "the oldest idle channel was evicted"
    );
    ws.send_text(r#"{"message":"ping"}"#).await;
    ws.wait_json(|v| v["eventBody"]["message"] == "pong").await;
}

#[tokio::test]
async fn subscriptions_put_replaces_post_adds_delete_clears_and_ignore_errors_reports() {
    let sim = Sim::idle().await;
    let dir = sim.directory().await;
    let agent = &dir["users"][1];
    let aid = agent["id"].as_str().unwrap();
    let token = sim.token(Some(aid)).await;
    let own_queue = agent["queueIds"][0].as_str().unwrap();
    let other_queue = dir["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .find(|q| !agent["queueIds"].as_array().unwrap().iter().any(|x| x == q))
        .unwrap();
    let other_user = dir["users"][2]["id"].as_str().unwrap();
    let (ch, _) = sim
        .channel(&token, &[format!("v2.users.{aid}.conversations")])
        .await;
    let subs = format!("/api/v2/notifications/channels/{ch}/subscriptions");
    let list = |v: &Value| -> Vec<String> {
        v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        list(&sim.get_json(&token, &subs).await),
        [format!("v2.users.{aid}.conversations")]
    );

    let add = sim
        .http
        .post(sim.url(&subs))
        .bearer_auth(&token)
        .json(&json!([{ "id": format!("v2.routing.queues.{own_queue}.conversations") }]))
        .send()
        .await
        .unwrap();
    assert_eq!(add.status(), 200);
    assert_eq!(
        sim.get_json(&token, &subs).await["entities"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "POST adds"
    );

    // A forbidden topic fails the whole call without ignoreErrors and changes nothing.
    let forbidden = json!([{ "id": format!("v2.routing.queues.{other_queue}.conversations") }, { "id": format!("v2.users.{aid}.conversations.calls") }]);
    let res = sim
        .http
        .put(sim.url(&subs))
        .bearer_auth(&token)
        .json(&forbidden)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], 400);
    assert_eq!(
        sim.get_json(&token, &subs).await["entities"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let long = format!("v2.users.{aid}.conversations{}", ".x".repeat(90));
    let body = json!([
        { "id": format!("v2.routing.queues.{other_queue}.conversations") },
        { "id": format!("v2.users.{other_user}.conversations") },
        { "id": format!("v2.users.{aid}?conversations&presence") },
        { "id": "v2.nonsense.topic" },
        { "id": long },
    ]);
    let res = sim
        .http
        .put(sim.url(&format!("{subs}?ignoreErrors=true")))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    let state = |id: &str| {
        v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .map(|e| e["state"].as_str().unwrap().to_string())
    };
    assert_eq!(
        state(&format!("v2.routing.queues.{other_queue}.conversations")).as_deref(),
        Some("Rejected")
    );
    assert_eq!(
        state(&format!("v2.users.{other_user}.conversations")).as_deref(),
        Some("Rejected"),
        "agents may not watch other agents"
    );
    assert_eq!(
        state(&format!("v2.users.{aid}.conversations")).as_deref(),
        Some("Permitted"),
        "combined syntax expands"
    );
    assert_eq!(
        state(&format!("v2.users.{aid}.presence")).as_deref(),
        Some("Permitted")
    );
    assert_eq!(state("v2.nonsense.topic").as_deref(), Some("Rejected"));
    assert_eq!(
        state(&long).as_deref(),
        Some("Rejected"),
        "topic ids must be < 200 chars"
    );
    assert_eq!(
        list(&sim.get_json(&token, &subs).await),
        [
            format!("v2.users.{aid}.conversations"),
            format!("v2.users.{aid}.presence")
        ],
        "PUT replaced"
    );

    let too_many: Vec<Value> = (0..1001).map(|i| json!({ "id": format!("v2.users.{aid}.conversations{}", if i == 0 { String::new() } else { format!("?calls&x{i}") }) })).collect();
    let res = sim
        .http
        .put(sim.url(&format!("{subs}?ignoreErrors=true")))
        .bearer_auth(&token)
        .json(&too_many)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "rejected topics do not count");
    let queues: Vec<Value> = dir["queues"].as_array().unwrap().iter().map(|q| json!({ "id": format!("v2.routing.queues.{}.conversations", q["id"].as_str().unwrap()) })).collect();
    let sup = sim.token(None).await;
    let (sup_ch, _) = sim.channel(&sup, &[]).await;
    let mut many: Vec<Value> = Vec::new();
    for u in dir["users"].as_array().unwrap() {
        for m in ["", ".calls", ".callbacks", ".chats", ".emails", ".messages"] {
            many.push(
                json!({ "id": format!("v2.users.{}.conversations{m}", u["id"].as_str().unwrap()) }),
            );
        }
    }
    many.extend(queues);
    let res = sim
        .http
        .put(sim.url(&format!(
            "/api/v2/notifications/channels/{sup_ch}/subscriptions"
        )))
        .bearer_auth(&sup)
        .json(&many)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        200,
        "the supervisor may watch every user and queue"
    );
    let over: Vec<Value> = (0..1001).map(|i| json!({ "id": format!("v2.users.{}.conversations", dir["users"][i % 9]["id"].as_str().unwrap()) })).collect();
    let res = sim
        .http
        .post(sim.url(&format!(
            "/api/v2/notifications/channels/{sup_ch}/subscriptions"
        )))
        .bearer_auth(&sup)
        .json(&over)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "duplicates collapse");

    let del = sim
        .http
        .delete(sim.url(&subs))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), 204);
    assert!(
        sim.get_json(&token, &subs).await["entities"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn topic_limit_of_one_thousand_is_enforced() {
    let sim = Sim::start(gc_sim::Config {
        queues: 8,
        agents: 200,
        ..test_config()
    })
    .await;
    let dir = sim.directory().await;
    let sup = sim.token(None).await;
    let (ch, _) = sim.channel(&sup, &[]).await;
    let mut topics: Vec<Value> = Vec::new();
    for u in dir["users"].as_array().unwrap() {
        for m in ["", ".calls", ".callbacks", ".chats", ".emails", ".messages"] {
            topics.push(
                json!({ "id": format!("v2.users.{}.conversations{m}", u["id"].as_str().unwrap()) }),
            );
        }
    }
    assert!(topics.len() > 1000);
    let res = sim
        .http
        .put(sim.url(&format!(
            "/api/v2/notifications/channels/{ch}/subscriptions"
        )))
        .bearer_auth(&sup)
        .json(&topics)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = sim
        .http
        .put(sim.url(&format!(
            "/api/v2/notifications/channels/{ch}/subscriptions"
        )))
        .bearer_auth(&sup)
        .json(&topics[..1000])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn unknown_channels_are_refused_and_a_second_socket_replaces_the_first() {
    let sim = Sim::idle().await;
    let bad = tokio_tungstenite::connect_async(format!(
        "ws://{}/channels/streaming-0-doesnotexist0000000000000",
        sim.sim.addr()
    ))
    .await;
    assert!(bad.is_err(), "unknown channel rejected at the handshake");
    let token = sim.token(None).await;
    let (_, uri) = sim.channel(&token, &[]).await;
    let mut one = Socket::connect(&uri).await;
    let mut two = Socket::connect(&uri).await;
    assert!(
        matches!(one.wait_end().await, Frame::Closed(Some(4000))),
        "one socket per channel"
    );
    two.send_text(r#"{"message":"ping"}"#).await;
    two.wait_json(|v| v["eventBody"]["message"] == "pong").await;
}

#[tokio::test]
async fn user_and_queue_topics_and_per_media_topics_all_receive_their_shapes() {
    let sim = Sim::idle().await;
    let dir = sim.directory().await;
    let queue = dir["queues"][0]["id"].as_str().unwrap().to_string();
    let agent = dir["queues"][0]["memberIds"][1]
        .as_str()
        .unwrap()
        .to_string();
    let token = sim.token(Some(&agent)).await;
    let topics = [
        format!("v2.users.{agent}.conversations"),
        format!("v2.routing.queues.{queue}.conversations"),
        format!("v2.users.{agent}.conversations.calls"),
        format!("v2.users.{agent}.conversations.chats"),
    ];
    let (_, uri) = sim.channel(&token, &topics).await;
    let mut ws = Socket::connect(&uri).await;
    let s = sim.script(json!({ "queueId": queue, "userId": agent, "outcome": "submitted", "attributes": { "k": "v" } })).await;
    let cid = s["conversationId"].as_str().unwrap().to_string();
    sim.truth_for(&cid, 1).await;
    // Read until the final snapshot arrived on every topic that matches a voice conversation.
    let mut seen = std::collections::HashSet::new();
    while seen.len() < 3 {
        let v = ws.wait_json(|v| v["eventBody"]["id"] == cid.as_str()).await;
        let topic = v["topicName"].as_str().unwrap().to_string();
        assert_ne!(
            topic, topics[3],
            "a voice conversation is not sent on the chats topic"
        );
        let leg = participant(
            &v["eventBody"],
            s["legs"][0]["participantId"].as_str().unwrap(),
        )
        .cloned();
        if leg.as_ref().is_some_and(|p| p.get("wrapup").is_some()) {
            if topic == topics[2] {
                let p = leg.unwrap();
                assert_eq!(
                    p["state"], "disconnected",
                    "per-media participants do carry state"
                );
                assert_eq!(p["user"]["id"], agent.as_str());
            }
            seen.insert(topic);
        }
    }
    let customer = ws
        .log
        .iter()
        .filter_map(|t| serde_json::from_str::<Value>(t).ok())
        .find(|v| v["topicName"] == topics[0].as_str())
        .unwrap();
    let c = customer["eventBody"]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["purpose"] == "customer")
        .unwrap()
        .clone();
    assert_eq!(c["attributes"]["k"], "v");
}

/// A channel's `expires` as listed by `GET /api/v2/notifications/channels`.
async fn listed_expiry(sim: &Sim, token: &str, id: &str) -> time::OffsetDateTime {
    let list = sim.get_json(token, "/api/v2/notifications/channels").await;
    let c = list["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .expect("listed");
    parse_time(&c["expires"])
}

fn parse_time(v: &Value) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(
        v.as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
}

#[tokio::test]
async fn channel_lifetime_is_configurable_extended_by_resubscribing_and_ends_the_socket() {
    let lifetime = Duration::from_secs(3);
    let sim = Sim::start(gc_sim::Config {
        channel_lifetime: lifetime,
        ..test_config()
    })
    .await;
    let token = sim.token(None).await;
    let sup = sim.supervisor_id().await;
    let topic = json!([{ "id": format!("v2.users.{sup}.conversations") }]);
    let before = time::OffsetDateTime::now_utc();
    let created: Value = sim
        .post_json(&token, "/api/v2/notifications/channels", &json!(null))
        .await
        .json()
        .await
        .unwrap();
    let after = time::OffsetDateTime::now_utc();
    let id = created["id"].as_str().unwrap().to_string();
    let expires = parse_time(&created["expires"]);
    let ms = time::Duration::milliseconds(1);
    assert!(
        expires >= before + lifetime - ms && expires <= after + lifetime,
        "expires = creation + --channel-lifetime: {expires} vs {before}..{after}"
    );
    let subs = sim.url(&format!(
        "/api/v2/notifications/channels/{id}/subscriptions"
    ));
    // PUT and POST both extend the life (ref §4.2); the listing shows the new expiry.
    let mut last = expires;
    for put in [true, false, true] {
        // Let the clock move past the millisecond the previous expiry was stamped in.
        common::wait_until(|| async {
            (time::OffsetDateTime::now_utc() >= last - lifetime + 2 * ms).then_some(())
        })
        .await;
        let req = if put {
            sim.http.put(&subs)
        } else {
            sim.http.post(&subs)
        };
        let res = req.bearer_auth(&token).json(&topic).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let now = listed_expiry(&sim, &token, &id).await;
        assert!(
            now > last,
            "re-subscribing moves expires forward: {now} > {last}"
        );
        last = now;
    }

    let mut ws = Socket::connect(&format!("ws://{}/channels/{id}", sim.sim.addr())).await;
    assert!(
        matches!(ws.wait_end().await, Frame::Closed(Some(1000))),
        "an expired channel closes its socket"
    );
    assert!(
        time::OffsetDateTime::now_utc() >= last,
        "not before it expired"
    );
    let head = sim
        .head(&token, &format!("/api/v2/notifications/channels/{id}"))
        .await;
    assert_eq!(head, 404, "and answers HEAD 404");
}
