//! Limits and faults: per-user rate limit with inin-ratelimit-* and 429/Retry-After, forced 429s,
//! 503s, slow responses, dropped sockets, stalled sockets, missed heartbeats, socket_closing, channel and token
//! expiry, a channel reported gone on its open socket, malformed frames, pause/resume, CORS for
//! loopback origins only.

mod common;

use std::time::Duration;

use common::{Frame, Sim, Socket, test_config};
use serde_json::{Value, json};

#[tokio::test]
async fn rate_limit_headers_then_429_with_retry_after() {
    let sim = Sim::start(gc_sim::Config {
        rate_limit_per_minute: 5,
        ..test_config()
    })
    .await;
    let token = sim.token(None).await;
    for i in 1..=5u32 {
        let res = sim.get(&token, "/api/v2/users/me").await;
        assert_eq!(res.status(), 200);
        let h = res.headers();
        assert_eq!(h["inin-ratelimit-count"].to_str().unwrap(), i.to_string());
        assert_eq!(h["inin-ratelimit-allowed"].to_str().unwrap(), "5");
        let reset: u64 = h["inin-ratelimit-reset"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&reset));
        assert!(h.contains_key("inin-correlation-id"));
    }
    let res = sim.get(&token, "/api/v2/users/me").await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .expect("integer seconds");
    assert!((1..=60).contains(&retry));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], 429);
    // The limit is per user: another user is unaffected.
    let agent = sim
        .token(sim.directory().await["users"][1]["id"].as_str())
        .await;
    assert_eq!(sim.get(&agent, "/api/v2/users/me").await.status(), 200);
    // The switch can lift it.
    sim.admin("/sim/faults", json!({ "rateLimitPerMinute": 1000 }))
        .await;
    assert_eq!(sim.get(&token, "/api/v2/users/me").await.status(), 200);
}

#[tokio::test]
async fn forced_429s_503s_and_slow_responses() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    sim.admin("/sim/faults", json!({ "force429": 2 })).await;
    for _ in 0..2 {
        let res = sim.get(&token, "/api/v2/users/me").await;
        assert_eq!(res.status(), 429);
        assert_eq!(res.headers()["retry-after"], "1");
    }
    assert_eq!(sim.get(&token, "/api/v2/users/me").await.status(), 200);

    sim.admin("/sim/faults", json!({ "error503Rate": 1.0 }))
        .await;
    let res = sim.get(&token, "/api/v2/users/me").await;
    assert_eq!(res.status(), 503);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], 503);
    let bad = sim
        .http
        .post(sim.url("/sim/faults"))
        .json(&json!({ "error503Rate": 2.0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let unknown = sim
        .http
        .post(sim.url("/sim/faults"))
        .json(&json!({ "bogus": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        unknown.status(),
        400,
        "unknown switches are refused, not ignored"
    );

    let f = sim
        .admin("/sim/faults", json!({ "reset": true, "delayMs": 50 }))
        .await;
    assert_eq!(f["delayMs"], 50);
    assert_eq!(f["error503Rate"], 0.0);
    assert_eq!(
        sim.get(&token, "/api/v2/users/me").await.status(),
        200,
        "slow but served"
    );
    let current: Value = sim.admin_get("/sim/faults").await;
    assert_eq!(current["delayMs"], 50);
}

#[tokio::test]
async fn forced_429s_and_503s_can_be_aimed_at_one_path_and_use_one_request_each() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    let f = sim
        .admin(
            "/sim/faults",
            json!({ "force429": 1, "force503": 1, "faultPath": "pageSize=7" }),
        )
        .await;
    assert_eq!(
        (f["force503"].clone(), f["faultPath"].clone()),
        (json!(1), json!("pageSize=7"))
    );
    // Requests elsewhere are not hit and do not use the faults up.
    assert_eq!(sim.get(&token, "/api/v2/users/me").await.status(), 200);
    let aimed = "/api/v2/users?pageSize=7";
    let first = sim.get(&token, aimed).await;
    assert_eq!(first.status(), 503, "the forced 503 comes first");
    let second = sim.get(&token, aimed).await;
    assert_eq!(
        second.status(),
        429,
        "the 503 did not use up the forced 429"
    );
    assert_eq!(second.headers()["retry-after"], "1");
    assert_eq!(sim.get(&token, aimed).await.status(), 200);
    let cleared = sim.admin("/sim/faults", json!({ "faultPath": "" })).await;
    assert_eq!(cleared["faultPath"], Value::Null);
}

async fn connected(sim: &Sim, token: &str) -> (String, Socket) {
    let dir = sim.directory().await;
    let q = dir["queues"][0]["id"].as_str().unwrap();
    let (id, uri) = sim
        .channel(token, &[format!("v2.routing.queues.{q}.conversations")])
        .await;
    let mut ws = Socket::connect(&uri).await;
    ws.send_text(r#"{"message":"ping"}"#).await;
    ws.wait_json(|v| v["eventBody"]["message"] == "pong").await;
    (id, ws)
}

#[tokio::test]
async fn dropped_sockets_end_without_a_close_frame_and_the_channel_survives() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    let (id, mut ws) = connected(&sim, &token).await;
    sim.admin("/sim/faults", json!({ "dropSockets": true }))
        .await;
    assert!(matches!(ws.wait_end().await, Frame::Dropped));
    let head = sim
        .head(&token, &format!("/api/v2/notifications/channels/{id}"))
        .await;
    assert_eq!(
        head, 200,
        "the channel is still valid: reconnect to the same connectUri"
    );
}

#[tokio::test]
async fn paused_heartbeats_stop_until_resumed() {
    let sim = Sim::start(gc_sim::Config {
        heartbeat: Duration::from_millis(100),
        ..test_config()
    })
    .await;
    let token = sim.token(None).await;
    let (_, mut ws) = connected(&sim, &token).await;
    ws.wait_json(|v| v["eventBody"]["message"] == "WebSocket Heartbeat")
        .await;
    sim.admin("/sim/faults", json!({ "pauseHeartbeats": true }))
        .await;
    // Drain anything already queued, then ten intervals must pass silently (a client watchdog's view).
    while ws.next_within(Duration::from_millis(150)).await.is_some() {}
    assert!(
        ws.next_within(Duration::from_millis(1000)).await.is_none(),
        "no heartbeat while paused"
    );
    sim.admin("/sim/faults", json!({ "pauseHeartbeats": false }))
        .await;
    ws.wait_json(|v| v["eventBody"]["message"] == "WebSocket Heartbeat")
        .await;
}

#[tokio::test]
async fn stalled_sockets_stay_open_and_silent_until_the_client_reconnects() {
    let sim = Sim::start(gc_sim::Config {
        heartbeat: Duration::from_millis(100),
        ..test_config()
    })
    .await;
    let token = sim.token(None).await;
    let (id, mut ws) = connected(&sim, &token).await;
    ws.wait_json(|v| v["eventBody"]["message"] == "WebSocket Heartbeat")
        .await;
    sim.admin("/sim/faults", json!({ "stallSockets": true }))
        .await;
    while ws.next_within(Duration::from_millis(150)).await.is_some() {}
    ws.send_text(r#"{"message":"ping"}"#).await;
    assert!(
        ws.next_within(Duration::from_millis(1000)).await.is_none(),
        "no heartbeat, pong or close on a stalled socket"
    );
    // Frames queued for a stalled socket are lost in transit, and counted.
    sim.admin("/sim/faults", json!({ "malformedFrames": 3 }))
        .await;
    assert!(ws.next_within(Duration::from_millis(300)).await.is_none());
    let lost = sim.admin_get("/sim/state").await["framesLostToStalls"].clone();
    assert_eq!(lost, 3);
    // A new connection to the same channel works, and replaces the stalled one.
    let mut fresh = Socket::connect(&format!("ws://{}/channels/{id}", sim.sim.addr())).await;
    fresh
        .wait_json(|v| v["eventBody"]["message"] == "WebSocket Heartbeat")
        .await;
    fresh.send_text(r#"{"message":"ping"}"#).await;
    fresh
        .wait_json(|v| v["eventBody"]["message"] == "pong")
        .await;
}

#[tokio::test]
async fn socket_closing_warns_then_closes_after_the_grace_period() {
    // 60 s grace at speed 200 = 0.3 s.
    let sim = Sim::start(gc_sim::Config {
        speed: 200.0,
        ..test_config()
    })
    .await;
    let token = sim.token(None).await;
    let (id, mut ws) = connected(&sim, &token).await;
    sim.admin("/sim/faults", json!({ "socketClosing": true }))
        .await;
    let warn = ws
        .wait_json(|v| v["topicName"] == "v2.system.socket_closing")
        .await;
    assert_eq!(warn["eventBody"]["channelId"], id.as_str());
    assert!(warn["metadata"]["CorrelationId"].is_string());
    assert!(matches!(ws.wait_end().await, Frame::Closed(Some(1001))));
}

#[tokio::test]
async fn expired_channels_close_their_socket_and_vanish() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    let (id, mut ws) = connected(&sim, &token).await;
    sim.admin("/sim/faults", json!({ "expireChannel": id }))
        .await;
    assert!(matches!(ws.wait_end().await, Frame::Closed(_)));
    let head = sim
        .head(&token, &format!("/api/v2/notifications/channels/{id}"))
        .await;
    assert_eq!(head, 404);
    assert!(
        tokio_tungstenite::connect_async(format!("ws://{}/channels/{id}", sim.sim.addr()))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn expired_tokens_answer_401_and_take_their_channels_down() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    let (_, mut ws) = connected(&sim, &token).await;
    sim.admin("/sim/faults", json!({ "expireTokens": true }))
        .await;
    let res = sim.get(&token, "/api/v2/users/me").await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], 401);
    assert!(
        matches!(ws.wait_end().await, Frame::Closed(_)),
        "the channel dies with its token"
    );
    let fresh = sim.token(None).await;
    assert_eq!(sim.get(&fresh, "/api/v2/users/me").await.status(), 200);
}

#[tokio::test]
async fn malformed_frames_are_injected_and_the_socket_keeps_working() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    let (_, mut ws) = connected(&sim, &token).await;
    sim.admin("/sim/faults", json!({ "malformedFrames": 7 }))
        .await;
    let mut bad = 0;
    while bad < 7 {
        match ws.next().await {
            Frame::Text(t) => {
                let v: Option<Value> = serde_json::from_str(&t).ok();
                let well_formed = v.as_ref().is_some_and(|v| {
                    v["topicName"].is_string()
                        && v["eventBody"].is_object()
                        && v["eventBody"]
                            .get("participants")
                            .is_none_or(Value::is_array)
                });
                if !well_formed {
                    bad += 1;
                }
            }
            Frame::Binary(_) => bad += 1,
            other => panic!("socket ended: {other:?}"),
        }
    }
    ws.send_text(r#"{"message":"ping"}"#).await;
    ws.wait_json(|v| v["eventBody"]["message"] == "pong").await;
}

#[tokio::test]
async fn pause_freezes_traffic_and_resume_lets_it_finish() {
    let sim = Sim::idle().await;
    sim.admin("/sim/pause", json!({})).await;
    let s = sim.script(json!({ "outcome": "submitted" })).await;
    let cid = s["conversationId"].as_str().unwrap().to_string();
    let state: Value = sim.admin_get("/sim/state").await;
    assert_eq!(state["paused"], true);
    assert_eq!(
        state["openAgentLegs"], 0,
        "frozen before any agent was alerted"
    );
    assert!(sim.truth().await.is_empty());
    sim.admin("/sim/resume", json!({})).await;
    sim.truth_for(&cid, 1).await;
}

#[tokio::test]
async fn cors_allows_loopback_origins_only_and_exposes_the_headers() {
    let sim = Sim::idle().await;
    for origin in ["http://localhost:8080", "http://127.0.0.1:3000"] {
        let res = sim
            .http
            .request(reqwest::Method::OPTIONS, sim.url("/api/v2/users/me"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization")
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
        assert_eq!(res.headers()["access-control-allow-origin"], origin);
        let methods = res.headers()["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .to_uppercase();
        for m in ["GET", "POST", "PUT", "DELETE", "HEAD"] {
            assert!(methods.contains(m), "{methods}");
        }
        assert!(
            res.headers()["access-control-allow-headers"]
                .to_str()
                .unwrap()
                .to_lowercase()
                .contains("authorization")
        );
    }
    let token = sim.token(None).await;
    let res = sim
        .http
        .get(sim.url("/api/v2/users/me"))
        .bearer_auth(&token)
        .header("Origin", "http://localhost:8080")
        .send()
        .await
        .unwrap();
    let exposed = res.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    for h in [
        "inin-ratelimit-count",
        "inin-ratelimit-allowed",
        "inin-ratelimit-reset",
        "inin-correlation-id",
        "retry-after",
    ] {
        assert!(exposed.contains(h), "{exposed}");
    }
    let evil = sim
        .http
        .get(sim.url("/api/v2/users/me"))
        .bearer_auth(&token)
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(evil.headers().get("access-control-allow-origin").is_none());
    let admin = sim
        .http
        .get(sim.url("/sim/truth"))
        .header("Origin", "http://localhost:5173")
        .send()
        .await
        .unwrap();
    assert_eq!(
        admin.headers()["access-control-allow-origin"],
        "http://localhost:5173",
        "CORS on /sim too"
    );
}

#[tokio::test]
async fn unknown_api_paths_and_ids_answer_the_standard_404() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    for path in [
        "/api/v2/nope",
        "/api/v2/routing/queues/00000000-0000-4000-8000-000000000000",
        "/api/v2/routing/wrapupcodes/not-a-uuid",
    ] {
        let res = sim.get(&token, path).await;
        assert_eq!(res.status(), 404, "{path}");
        let correlation = res.headers()["inin-correlation-id"]
            .to_str()
            .unwrap()
            .to_string();
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "not.found");
        assert_eq!(
            body["contextId"],
            correlation.as_str(),
            "contextId is the request's correlation id"
        );
    }
}

#[tokio::test]
async fn channel_gone_is_reported_on_the_open_socket_which_then_stays_open_and_silent() {
    let sim = Sim::start(gc_sim::Config {
        heartbeat: Duration::from_millis(100),
        ..test_config()
    })
    .await;
    let token = sim.token(None).await;
    let (gone, mut ws) = connected(&sim, &token).await;
    let (other, mut other_ws) = connected(&sim, &token).await;
    sim.admin("/sim/faults", json!({ "channelGoneMessage": gone }))
        .await;
    let frame = ws.wait_json(|v| v.get("result").is_some()).await;
    assert_eq!(frame["result"], "404", "a string, as the reference shows");
    assert!(frame["message"].is_string());
    assert!(frame.get("topicName").is_none(), "not an envelope: {frame}");
    let head = |id: String| {
        let (sim, token) = (&sim, &token);
        async move {
            sim.head(token, &format!("/api/v2/notifications/channels/{id}"))
                .await
        }
    };
    assert_eq!(head(gone.clone()).await, 404, "the channel is gone");
    assert!(
        tokio_tungstenite::connect_async(format!("ws://{}/channels/{gone}", sim.sim.addr()))
            .await
            .is_err(),
        "reconnecting to it is refused"
    );
    // Open, but nothing more: no heartbeats (ten intervals), no pong, no close.
    ws.send_text(r#"{"message":"ping"}"#).await;
    assert!(
        ws.next_within(Duration::from_millis(1000)).await.is_none(),
        "silent after the channel-gone frame"
    );
    // Only the named channel: the other one keeps its heartbeats.
    assert_eq!(head(other.clone()).await, 200);
    other_ws
        .wait_json(|v| v["eventBody"]["message"] == "WebSocket Heartbeat")
        .await;
    // The client closing it ends it (whatever the server's close handshake looks like).
    ws.ws.close(None).await.unwrap();
    ws.wait_end().await;

    sim.admin("/sim/faults", json!({ "channelGoneMessage": "all" }))
        .await;
    let frame = other_ws.wait_json(|v| v.get("result").is_some()).await;
    assert_eq!(frame["result"], "404");
    assert_eq!(head(other).await, 404);
    assert_eq!(sim.admin_get("/sim/state").await["channels"], 0);
}

#[tokio::test]
async fn a_channel_gone_socket_is_closed_by_the_server_after_the_grace() {
    let sim = Sim::start(gc_sim::Config {
        channel_gone_grace: Duration::from_millis(300),
        ..test_config()
    })
    .await;
    let token = sim.token(None).await;
    let (id, mut ws) = connected(&sim, &token).await;
    sim.admin("/sim/faults", json!({ "channelGoneMessage": id }))
        .await;
    ws.wait_json(|v| v["result"] == "404").await;
    assert!(
        matches!(ws.wait_end().await, Frame::Closed(Some(1000))),
        "closed with the channel-gone close code once the grace is over"
    );
}

#[tokio::test]
async fn the_state_counts_injected_faults_and_each_callers_busiest_minute() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    let (id, _ws) = connected(&sim, &token).await;
    let before = sim.admin_get("/sim/state").await;
    sim.admin("/sim/faults", json!({ "force429": 2 })).await;
    for _ in 0..2 {
        assert_eq!(sim.get(&token, "/api/v2/users/me").await.status(), 429);
    }
    sim.admin("/sim/faults", json!({ "dropSockets": true }))
        .await;
    sim.admin("/sim/faults", json!({ "expireChannel": id }))
        .await;
    sim.admin("/sim/faults", json!({ "expireTokens": true }))
        .await;
    let after = sim.admin_get("/sim/state").await;
    let grew = |key: &str| after[key].as_u64().unwrap() - before[key].as_u64().unwrap();
    assert_eq!(grew("throttledResponses"), 2);
    assert_eq!(grew("socketsDropped"), 1);
    assert_eq!(grew("channelsExpired"), 1);
    assert_eq!(grew("tokenExpiries"), 1);
    // This caller: channel create, subscribe (in `connected`), then two throttled calls.
    assert_eq!(after["maxRequestsPerMinute"], 4);
}
