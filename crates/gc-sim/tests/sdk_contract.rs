//! The SDK contract gate: every gc-sim answer and every frame it publishes, held against Genesys'
//! own models in the Python SDK (`PureCloudPlatformClientV2==269.0.0`) by `sdk_contract/check.py`.
//!
//! Ignored by plain `cargo test` (it needs that SDK); `cargo xtask test` installs it and runs
//! `GC_SIM_SDK_PYTHON=<venv>/bin/python cargo test -p gc-sim --test sdk_contract -- --ignored`.
//!
//! Not sampled, on purpose: the `malformedFrames` fault (deliberately not Genesys-shaped), `/sim`
//! (gc-sim's own admin API), the sign-in HTML and redirects (no JSON), and answers without a body
//! (HEAD, DELETE 204).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use common::{Frame, Sim, Socket, test_config, wait_until};
use reqwest::RequestBuilder;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const PYTHON_ENV: &str = "GC_SIM_SDK_PYTHON";
const INSTALL_HINT: &str = "install the pinned SDK and point GC_SIM_SDK_PYTHON at it:\n  \
    python3 -m venv ~/.cache/wrapup-live/sdk-269.0.0\n  \
    ~/.cache/wrapup-live/sdk-269.0.0/bin/pip install PureCloudPlatformClientV2==269.0.0\n  \
    GC_SIM_SDK_PYTHON=~/.cache/wrapup-live/sdk-269.0.0/bin/python \
    cargo test -p gc-sim --test sdk_contract -- --ignored\n\
    (`cargo xtask test` does all of this)";
const MEDIA: [&str; 5] = ["voice", "callback", "chat", "email", "message"];
const COMM_KEYS: [&str; 5] = ["calls", "callbacks", "chats", "emails", "messages"];

/// Every route family and frame kind the gate must see at least once; coverage cannot shrink
/// without this list changing.
const REQUIRED: &[&str] = &[
    "POST /oauth/token",
    "POST /oauth/token (error)",
    "POST /oauth/token refresh_token",
    "POST /oauth/token refresh_token (error)",
    "GET /api/v2/tokens/me",
    "GET /api/v2/users/me",
    "GET /api/v2/users",
    "GET /api/v2/users/{id}",
    "GET /api/v2/users/{id}/queues",
    "GET /api/v2/routing/queues",
    "GET /api/v2/routing/queues/me",
    "GET /api/v2/routing/queues/{id}",
    "GET /api/v2/routing/queues/{id}/wrapupcodes",
    "GET /api/v2/routing/wrapupcodes",
    "GET /api/v2/routing/wrapupcodes/{id}",
    "GET /api/v2/conversations",
    "GET /api/v2/conversations/{id}",
    "GET /api/v2/conversations/{id}/participants/{id}/wrapup",
    "GET /api/v2/conversations/{id}/participants/{id}/wrapupcodes",
    "GET /api/v2/conversations/calls/{id}/participants/{id}/wrapup",
    "GET /api/v2/conversations/callbacks/{id}/participants/{id}/wrapup",
    "GET /api/v2/conversations/chats/{id}/participants/{id}/wrapup",
    "GET /api/v2/conversations/emails/{id}/participants/{id}/wrapup",
    "GET /api/v2/conversations/messages/{id}/participants/{id}/wrapup",
    "GET /api/v2/conversations/calls/{id}/participants/{id}/wrapupcodes",
    "GET /api/v2/conversations/callbacks/{id}/participants/{id}/wrapupcodes",
    "GET /api/v2/conversations/chats/{id}/participants/{id}/wrapupcodes",
    "GET /api/v2/conversations/emails/{id}/participants/{id}/wrapupcodes",
    "GET /api/v2/conversations/messages/{id}/participants/{id}/wrapupcodes",
    "POST /api/v2/conversations/callbacks",
    "POST /api/v2/notifications/channels",
    "GET /api/v2/notifications/channels",
    "GET /api/v2/notifications/channels/{id}/subscriptions",
    "PUT /api/v2/notifications/channels/{id}/subscriptions",
    "POST /api/v2/notifications/channels/{id}/subscriptions",
    "GET /api/v2/analytics/conversations/{id}/details",
    "GET /api/v2/analytics/conversations/details",
    "POST /api/v2/analytics/conversations/details/query",
    "POST /api/v2/analytics/conversations/details/jobs",
    "GET /api/v2/analytics/conversations/details/jobs/{id}",
    "GET /api/v2/analytics/conversations/details/jobs/{id}/results",
    "GET /api/v2/analytics/conversations/details/jobs/availability",
    "error 400",
    "error 401",
    "error 403",
    "error 404",
    "error 429",
    "error 503",
    "frame v2.users.{id}.conversations",
    "frame v2.users.{id}.conversations.calls",
    "frame v2.users.{id}.conversations.callbacks",
    "frame v2.users.{id}.conversations.chats",
    "frame v2.users.{id}.conversations.emails",
    "frame v2.users.{id}.conversations.messages",
    "frame v2.routing.queues.{id}.conversations",
    "frame v2.routing.queues.{id}.conversations.calls",
    "frame v2.routing.queues.{id}.conversations.callbacks",
    "frame v2.routing.queues.{id}.conversations.chats",
    "frame v2.routing.queues.{id}.conversations.emails",
    "frame v2.routing.queues.{id}.conversations.messages",
    "frame channel.metadata heartbeat",
    "frame channel.metadata pong",
    "frame v2.system.socket_closing",
    "frame channel gone (result 404)",
];

/// Collected (model, JSON) samples, counted per route family / frame kind.
#[derive(Default)]
struct Samples {
    lines: Vec<Value>,
    kinds: BTreeMap<String, usize>,
}

impl Samples {
    fn add(&mut self, kind: &str, sample: Value) {
        *self.kinds.entry(kind.to_string()).or_default() += 1;
        self.lines.push(sample);
    }

    fn response(&mut self, kind: &str, model: &str, body: Value) {
        self.add(kind, json!({ "where": kind, "model": model, "body": body }));
    }

    fn frame(&mut self, text: &str) {
        let frame: Value = serde_json::from_str(text).expect("gc-sim frames are JSON");
        let topic = frame["topicName"].as_str().unwrap_or("?");
        let kind = match frame["eventBody"]["message"].as_str() {
            _ if frame.get("result").is_some() => {
                format!(
                    "frame channel gone (result {})",
                    frame["result"].as_str().unwrap_or("?")
                )
            }
            Some("WebSocket Heartbeat") if topic == "channel.metadata" => {
                "frame channel.metadata heartbeat".to_string()
            }
            Some("pong") if topic == "channel.metadata" => "frame channel.metadata pong".into(),
            _ => format!("frame {}", generic(topic)),
        };
        self.add(&kind, json!({ "where": kind, "frame": frame }));
    }

    /// Sends `req`, requires `status`, records the JSON body under `kind` as `model`.
    async fn take(&mut self, req: RequestBuilder, status: u16, kind: &str, model: &str) -> Value {
        let res = req.send().await.expect("request reaches gc-sim");
        assert_eq!(res.status().as_u16(), status, "{kind}");
        let body: Value = res.json().await.expect("a JSON body");
        let kind = if model == "ErrorBody" {
            format!("error {status}")
        } else {
            kind.to_string()
        };
        self.response(&kind, model, body.clone());
        body
    }
}

/// A topic or path with every UUID replaced by `{id}`.
fn generic(s: &str) -> String {
    s.split(['.', '/'])
        .map(|part| {
            if uuid::Uuid::parse_str(part).is_ok() || part.starts_with("streaming-") {
                "{id}"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(if s.contains('/') { "/" } else { "." })
}

/// Reads every text frame of `ws` into `log` until the task is aborted.
fn collect_frames(mut ws: Socket, log: Arc<Mutex<Vec<String>>>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match ws.next_within(Duration::from_secs(3600)).await {
                Some(Frame::Text(t)) => log.lock().unwrap().push(t),
                Some(Frame::Binary(_)) => {}
                _ => return,
            }
        }
    })
}

#[tokio::test]
#[ignore = "needs the pinned Genesys Python SDK; run by `cargo xtask test`"]
async fn every_gc_sim_answer_and_frame_fits_the_genesys_sdk_models() {
    let python = std::env::var(PYTHON_ENV)
        .unwrap_or_else(|_| panic!("{PYTHON_ENV} is not set: {INSTALL_HINT}"));
    let checker = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sdk_contract/check.py");
    let self_test = Command::new(&python)
        .arg(&checker)
        .arg("--self-test")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}; {INSTALL_HINT}"));
    assert!(
        self_test.status.success(),
        "the checker does not catch broken samples:\n{}{}",
        String::from_utf8_lossy(&self_test.stdout),
        String::from_utf8_lossy(&self_test.stderr)
    );

    let sim = Sim::start(gc_sim::Config {
        heartbeat: Duration::from_millis(300),
        datalake_lag: Duration::ZERO,
        // Hundreds of requests in a few seconds; the 429 body is sampled via `force429`.
        rate_limit_per_minute: 100_000,
        ..test_config()
    })
    .await;
    let mut s = Samples::default();
    let dir = sim.directory().await;
    let sup_id = sim.supervisor_id().await;
    let sup = sim.token(None).await;
    let queues: Vec<String> = ids(&dir["queues"]);
    let q0 = queues[0].clone();
    let agent = dir["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "agent" && u["queueIds"][0] == q0.as_str())
        .expect("an agent on the first queue")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let agent_token = sim.token(Some(&agent)).await;

    // The supervisor watches every user and queue topic, whole and per media.
    let mut topics = Vec::new();
    for user in ids(&dir["users"]) {
        topics.push(format!("v2.users.{user}.conversations"));
        topics.extend(COMM_KEYS.map(|k| format!("v2.users.{user}.conversations.{k}")));
    }
    for q in &queues {
        topics.push(format!("v2.routing.queues.{q}.conversations"));
        topics.extend(COMM_KEYS.map(|k| format!("v2.routing.queues.{q}.conversations.{k}")));
    }
    let (channel, uri) = sim.channel(&sup, &topics).await;
    let mut ws = Socket::connect(&uri).await;
    ws.send_text(r#"{"message":"ping"}"#).await;
    ws.wait_json(|v| v["eventBody"]["message"] == "pong").await;
    let early = std::mem::take(&mut ws.log);
    let frames = Arc::new(Mutex::new(early));
    let reader = collect_frames(ws, frames.clone());

    // Traffic: every media with every outcome, transfers, abandons, an API callback.
    let mut conversations = Vec::new();
    for (i, media) in MEDIA.iter().enumerate() {
        let queue = &queues[i % queues.len()];
        let scripts = [
            json!({ "outcome": "submitted", "attributes": { "crm": "42" } }),
            json!({ "outcome": "skipped" }),
            json!({ "outcome": "skipped", "acwSecs": 0 }),
            json!({ "outcome": "timed_out" }),
            json!({ "outcome": "not_required" }),
            json!({ "legs": [{ "outcome": "not_answered" }, { "outcome": "submitted", "notes": "n" }] }),
            json!({ "legs": [{ "outcome": "submitted" }, { "outcome": "skipped" }, { "outcome": "timed_out" }] }),
            json!({ "abandon": "queue" }),
        ];
        for mut script in scripts {
            script["mediaType"] = json!(media);
            script["queueId"] = json!(queue);
            conversations.push(sim.script(script).await);
        }
    }
    conversations.push(
        sim.script(json!({ "abandon": "ivr", "mediaType": "voice", "ivrSecs": 0.2 }))
            .await,
    );
    // One long call for the agent, so their active-conversations listing is not empty.
    let long = sim
        .script(json!({ "queueId": q0, "userId": agent, "talkSecs": 60, "outcome": "submitted" }))
        .await;
    let active = wait_until(|| async {
        let v = sim.get_json(&agent_token, "/api/v2/conversations").await;
        (!v["entities"].as_array().unwrap().is_empty()).then_some(v)
    })
    .await;
    s.response(
        "GET /api/v2/conversations",
        "ConversationEntityListing",
        active,
    );
    let callback = s
        .take(
            sim.http
                .post(sim.url("/api/v2/conversations/callbacks"))
                .bearer_auth(&sup)
                .json(&json!({ "queueId": q0, "callbackNumbers": ["+15550100999"], "callbackUserName": "Ada", "data": { "crm": "7" } })),
            200,
            "POST /api/v2/conversations/callbacks",
            "CreateCallbackResponse",
        )
        .await;
    let callback_id = callback["conversation"]["id"].as_str().unwrap().to_string();
    for c in &conversations {
        let legs = c["legs"].as_array().unwrap().len();
        sim.truth_for(c["conversationId"].as_str().unwrap(), legs)
            .await;
    }
    sim.truth_for(&callback_id, 1).await;
    sim.truth_for(long["conversationId"].as_str().unwrap(), 1)
        .await;

    // Conversations API, per conversation and leg, generic and per-media paths.
    let mut conv_ids: Vec<String> = conversations
        .iter()
        .map(|c| c["conversationId"].as_str().unwrap().to_string())
        .collect();
    conv_ids.push(callback_id.clone());
    for c in &conversations {
        let cid = c["conversationId"].as_str().unwrap();
        let key = COMM_KEYS[MEDIA.iter().position(|m| *m == c["mediaType"]).unwrap()];
        let conv = s
            .take(
                get(&sim, &sup, &format!("/api/v2/conversations/{cid}")),
                200,
                "GET /api/v2/conversations/{id}",
                "Conversation",
            )
            .await;
        for leg in c["legs"].as_array().unwrap() {
            let pid = leg["participantId"].as_str().unwrap();
            let has_wrapup = conv["participants"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["id"] == pid && p.get("wrapup").is_some());
            let (status, model) = if has_wrapup {
                (200, "AssignedWrapupCode")
            } else {
                (404, "ErrorBody")
            };
            for prefix in [String::new(), format!("{key}/")] {
                let path = format!("/api/v2/conversations/{prefix}{cid}/participants/{pid}");
                s.take(
                    get(&sim, &sup, &format!("{path}/wrapup")),
                    status,
                    &generic(&format!("GET {path}/wrapup")),
                    model,
                )
                .await;
                s.take(
                    get(&sim, &sup, &format!("{path}/wrapupcodes")),
                    200,
                    &generic(&format!("GET {path}/wrapupcodes")),
                    "list[WrapupCode]",
                )
                .await;
            }
        }
    }

    // Directory.
    for (path, kind, model, token) in [
        (
            "/api/v2/users/me?expand=organization,presence,routingStatus,authorization,conversationSummary,dateLastLogin,token",
            "GET /api/v2/users/me",
            "UserMe",
            &sup,
        ),
        (
            "/api/v2/users/me",
            "GET /api/v2/users/me",
            "UserMe",
            &agent_token,
        ),
        (
            "/api/v2/users",
            "GET /api/v2/users",
            "UserEntityListing",
            &sup,
        ),
        (
            "/api/v2/users?pageSize=2&pageNumber=2",
            "GET /api/v2/users",
            "UserEntityListing",
            &sup,
        ),
        (
            &format!("/api/v2/users/{agent}"),
            "GET /api/v2/users/{id}",
            "User",
            &sup,
        ),
        (
            &format!("/api/v2/users/{agent}/queues"),
            "GET /api/v2/users/{id}/queues",
            "UserQueueEntityListing",
            &sup,
        ),
        (
            "/api/v2/routing/queues",
            "GET /api/v2/routing/queues",
            "QueueEntityListing",
            &sup,
        ),
        (
            "/api/v2/routing/queues/me",
            "GET /api/v2/routing/queues/me",
            "UserQueueEntityListing",
            &agent_token,
        ),
        (
            "/api/v2/routing/wrapupcodes",
            "GET /api/v2/routing/wrapupcodes",
            "WrapupCodeEntityListing",
            &sup,
        ),
        (
            "/api/v2/routing/wrapupcodes?pageSize=3&pageNumber=2",
            "GET /api/v2/routing/wrapupcodes",
            "WrapupCodeEntityListing",
            &agent_token,
        ),
        (
            "/api/v2/tokens/me",
            "GET /api/v2/tokens/me",
            "TokenInfo",
            &sup,
        ),
    ] {
        s.take(get(&sim, token, path), 200, kind, model).await;
    }
    for q in &queues {
        s.take(
            get(&sim, &sup, &format!("/api/v2/routing/queues/{q}")),
            200,
            "GET /api/v2/routing/queues/{id}",
            "Queue",
        )
        .await;
        s.take(
            get(
                &sim,
                &sup,
                &format!("/api/v2/routing/queues/{q}/wrapupcodes"),
            ),
            200,
            "GET /api/v2/routing/queues/{id}/wrapupcodes",
            "WrapupCodeEntityListing",
        )
        .await;
    }
    for code in dir["wrapupCodes"].as_array().unwrap() {
        if code["deleted"] != true {
            let id = code["id"].as_str().unwrap();
            s.take(
                get(&sim, &sup, &format!("/api/v2/routing/wrapupcodes/{id}")),
                200,
                "GET /api/v2/routing/wrapupcodes/{id}",
                "WrapupCode",
            )
            .await;
        }
    }
    let restricted = dir["wrapupCodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["divisionId"] == dir["divisions"][1]["id"])
        .expect("a Restricted code");
    let restricted = restricted["id"].as_str().unwrap();
    s.take(
        get(
            &sim,
            &agent_token,
            &format!("/api/v2/routing/wrapupcodes/{restricted}"),
        ),
        403,
        "",
        "ErrorBody",
    )
    .await;

    // Notifications API.
    let subs = format!("/api/v2/notifications/channels/{channel}/subscriptions");
    s.take(
        sim.http
            .post(sim.url("/api/v2/notifications/channels"))
            .bearer_auth(&agent_token),
        200,
        "POST /api/v2/notifications/channels",
        "Channel",
    )
    .await;
    for path in [
        "/api/v2/notifications/channels",
        "/api/v2/notifications/channels?includechannels=oauthclient",
    ] {
        s.take(
            get(&sim, &sup, path),
            200,
            "GET /api/v2/notifications/channels",
            "ChannelEntityListing",
        )
        .await;
    }
    s.take(
        get(&sim, &sup, &subs),
        200,
        "GET /api/v2/notifications/channels/{id}/subscriptions",
        "ChannelTopicEntityListing",
    )
    .await;
    let agent_channel: Value = sim
        .post_json(&agent_token, "/api/v2/notifications/channels", &json!(null))
        .await
        .json()
        .await
        .unwrap();
    let agent_subs = format!(
        "/api/v2/notifications/channels/{}/subscriptions",
        agent_channel["id"].as_str().unwrap()
    );
    let other_queue = queues
        .iter()
        .find(|q| {
            !dir["queues"].as_array().unwrap().iter().any(|d| {
                d["id"] == q.as_str()
                    && d["memberIds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|m| m == agent.as_str())
            })
        })
        .cloned();
    let mut mixed = vec![
        json!({ "id": format!("v2.users.{agent}.conversations") }),
        json!({ "id": format!("v2.users.{sup_id}.conversations") }),
        json!({ "id": "v2.nonsense.topic" }),
    ];
    if let Some(q) = &other_queue {
        mixed.push(json!({ "id": format!("v2.routing.queues.{q}.conversations") }));
    }
    s.take(
        sim.http
            .put(sim.url(&format!("{agent_subs}?ignoreErrors=true")))
            .bearer_auth(&agent_token)
            .json(&mixed),
        200,
        "PUT /api/v2/notifications/channels/{id}/subscriptions",
        "ChannelTopicEntityListing",
    )
    .await;
    s.take(
        sim.http
            .put(sim.url(&agent_subs))
            .bearer_auth(&agent_token)
            .json(&mixed),
        400,
        "",
        "ErrorBody",
    )
    .await;
    s.take(
        sim.http
            .post(sim.url(&agent_subs))
            .bearer_auth(&agent_token)
            .json(&json!([{ "id": format!("v2.users.{agent}.conversations.calls") }])),
        200,
        "POST /api/v2/notifications/channels/{id}/subscriptions",
        "ChannelTopicEntityListing",
    )
    .await;
    s.take(
        sim.http
            .put(sim.url(&agent_subs))
            .bearer_auth(&agent_token)
            .json(&json!([{ "id": format!("v2.users.{agent}.conversations") }])),
        200,
        "PUT /api/v2/notifications/channels/{id}/subscriptions",
        "ChannelTopicEntityListing",
    )
    .await;

    // Analytics: by id, multi-get, query, jobs.
    let interval = {
        let now = time::OffsetDateTime::now_utc();
        let day = |d: time::Date| format!("{d}T00:00:00.000Z");
        format!(
            "{}/{}",
            day(now.date().previous_day().unwrap()),
            day(now.date().next_day().unwrap().next_day().unwrap())
        )
    };
    for cid in &conv_ids {
        s.take(
            get(
                &sim,
                &sup,
                &format!("/api/v2/analytics/conversations/{cid}/details"),
            ),
            200,
            "GET /api/v2/analytics/conversations/{id}/details",
            "AnalyticsConversationWithoutAttributes",
        )
        .await;
    }
    let multi = conv_ids
        .iter()
        .take(12)
        .map(|c| format!("id={c}"))
        .collect::<Vec<_>>()
        .join("&");
    s.take(
        get(
            &sim,
            &sup,
            &format!("/api/v2/analytics/conversations/details?{multi}"),
        ),
        200,
        "GET /api/v2/analytics/conversations/details",
        "AnalyticsConversationWithoutAttributesMultiGetResponse",
    )
    .await;
    let query = "/api/v2/analytics/conversations/details/query";
    for body in [
        json!({ "interval": interval }),
        json!({ "interval": interval, "paging": { "pageSize": 5, "pageNumber": 2 }, "order": "desc" }),
        json!({ "interval": interval, "segmentFilters": [{ "type": "and", "predicates": [{ "dimension": "wrapUpCode", "operator": "exists" }] }] }),
    ] {
        s.take(
            sim.http.post(sim.url(query)).bearer_auth(&sup).json(&body),
            200,
            "POST /api/v2/analytics/conversations/details/query",
            "AnalyticsConversationQueryResponse",
        )
        .await;
    }
    s.take(
        sim.http
            .post(sim.url(query))
            .bearer_auth(&agent_token)
            .json(&json!({ "interval": interval })),
        200,
        "POST /api/v2/analytics/conversations/details/query",
        "AnalyticsConversationQueryResponse",
    )
    .await;
    s.take(
        sim.http
            .post(sim.url(query))
            .bearer_auth(&sup)
            .json(&json!({ "interval": "yesterday" })),
        400,
        "",
        "ErrorBody",
    )
    .await;
    let jobs = "/api/v2/analytics/conversations/details/jobs";
    s.take(
        get(&sim, &sup, &format!("{jobs}/availability")),
        200,
        "GET /api/v2/analytics/conversations/details/jobs/availability",
        "DataAvailabilityResponse",
    )
    .await;
    let job = s
        .take(
            sim.http
                .post(sim.url(jobs))
                .bearer_auth(&sup)
                .json(&json!({ "interval": interval })),
            200,
            "POST /api/v2/analytics/conversations/details/jobs",
            "AsyncQueryResponse",
        )
        .await;
    let status = format!("{jobs}/{}", job["jobId"].as_str().unwrap());
    s.take(
        get(&sim, &sup, &status),
        200,
        "GET /api/v2/analytics/conversations/details/jobs/{id}",
        "AsyncQueryStatus",
    )
    .await;
    wait_until(|| async {
        (sim.get_json(&sup, &status).await["state"] == "FULFILLED").then_some(())
    })
    .await;
    s.take(
        get(&sim, &sup, &status),
        200,
        "GET /api/v2/analytics/conversations/details/jobs/{id}",
        "AsyncQueryStatus",
    )
    .await;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => format!("{status}/results?pageSize=10"),
            Some(c) => format!("{status}/results?pageSize=10&cursor={c}"),
        };
        let page = s
            .take(
                get(&sim, &sup, &path),
                200,
                "GET /api/v2/analytics/conversations/details/jobs/{id}/results",
                "AnalyticsConversationAsyncQueryResponse",
            )
            .await;
        match page.get("cursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    sim.admin("/sim/faults", json!({ "failJobs": 1 })).await;
    let failed = s
        .take(
            sim.http
                .post(sim.url(jobs))
                .bearer_auth(&sup)
                .json(&json!({ "interval": interval })),
            200,
            "POST /api/v2/analytics/conversations/details/jobs",
            "AsyncQueryResponse",
        )
        .await;
    let failed = format!("{jobs}/{}", failed["jobId"].as_str().unwrap());
    wait_until(|| async { (sim.get_json(&sup, &failed).await["state"] == "FAILED").then_some(()) })
        .await;
    s.take(
        get(&sim, &sup, &failed),
        200,
        "GET /api/v2/analytics/conversations/details/jobs/{id}",
        "AsyncQueryStatus",
    )
    .await;

    // OAuth token answers (PKCE), then the error bodies.
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-contract";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    let redirect = "http://localhost:8080/app/";
    let res = sim
        .http
        .post(sim.url("/oauth/authorize"))
        .form(&[
            ("client_id", "wrapup-live-demo"),
            ("response_type", "code"),
            ("redirect_uri", redirect),
            ("state", "s"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("user_id", &sup_id),
        ])
        .send()
        .await
        .unwrap();
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let code = url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .to_string();
    let token_form = |code: &str| {
        sim.http.post(sim.url("/oauth/token")).form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("client_id", "wrapup-live-demo"),
            ("code_verifier", verifier),
        ])
    };
    let signed_in = s
        .take(
            token_form(&code),
            200,
            "POST /oauth/token",
            "OAuthTokenResponse",
        )
        .await;
    let refresh_form = |refresh_token: &str| {
        sim.http.post(sim.url("/oauth/token")).form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", "wrapup-live-demo"),
        ])
    };
    let refresh_token = signed_in["refresh_token"]
        .as_str()
        .expect("refresh tokens are on by default");
    s.take(
        refresh_form(refresh_token),
        200,
        "POST /oauth/token refresh_token",
        "OAuthTokenResponse",
    )
    .await;
    s.take(
        refresh_form(refresh_token),
        400,
        "POST /oauth/token refresh_token (error)",
        "OAuthErrorResponse",
    )
    .await;
    s.take(
        token_form(&code),
        400,
        "POST /oauth/token (error)",
        "OAuthErrorResponse",
    )
    .await;
    s.take(
        sim.http.get(sim.url("/api/v2/users/me")),
        401,
        "",
        "ErrorBody",
    )
    .await;
    s.take(
        get(&sim, &sup, "/api/v2/no/such/thing"),
        404,
        "",
        "ErrorBody",
    )
    .await;
    s.take(
        get(
            &sim,
            &sup,
            &format!("/api/v2/conversations/{}", uuid::Uuid::new_v4()),
        ),
        404,
        "",
        "ErrorBody",
    )
    .await;
    s.take(
        get(
            &sim,
            &sup,
            &format!(
                "/api/v2/analytics/conversations/{}/details",
                uuid::Uuid::new_v4()
            ),
        ),
        404,
        "",
        "ErrorBody",
    )
    .await;
    sim.admin("/sim/faults", json!({ "force429": 1 })).await;
    s.take(get(&sim, &sup, "/api/v2/users/me"), 429, "", "ErrorBody")
        .await;
    sim.admin("/sim/faults", json!({ "error503Rate": 1.0 }))
        .await;
    s.take(get(&sim, &sup, "/api/v2/users/me"), 503, "", "ErrorBody")
        .await;
    sim.admin("/sim/faults", json!({ "reset": true })).await;

    // A channel reported gone on its open socket (its own socket: the collected one must live on).
    let (gone, gone_uri) = sim.channel(&sup, &topics[..1]).await;
    let mut gone_ws = Socket::connect(&gone_uri).await;
    sim.admin("/sim/faults", json!({ "channelGoneMessage": gone }))
        .await;
    gone_ws.wait_json(|v| v.get("result").is_some()).await;
    for text in &gone_ws.log {
        s.frame(text);
    }

    // socket_closing last: it ends the collected socket.
    sim.admin("/sim/faults", json!({ "socketClosing": true }))
        .await;
    wait_until(|| async {
        let f = frames.lock().unwrap();
        let closing = f.iter().any(|t| t.contains("v2.system.socket_closing"));
        let heartbeats = f
            .iter()
            .filter(|t| t.contains("WebSocket Heartbeat"))
            .count();
        (closing && heartbeats >= 2).then_some(())
    })
    .await;
    reader.abort();
    for text in frames.lock().unwrap().iter() {
        s.frame(text);
    }

    let table: String = s
        .kinds
        .iter()
        .map(|(k, n)| format!("{n:6}  {k}\n"))
        .collect();
    eprintln!("samples per route family / frame kind:\n{table}");
    let missing: Vec<&&str> = REQUIRED
        .iter()
        .filter(|k| !s.kinds.contains_key(**k))
        .collect();
    assert!(
        missing.is_empty(),
        "coverage shrank, no samples for {missing:?}"
    );
    let unexpected: Vec<&String> = s
        .kinds
        .keys()
        .filter(|k| !REQUIRED.contains(&k.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "sampled kinds missing from REQUIRED: {unexpected:?}"
    );

    let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sdk_contract_samples.jsonl");
    let text: String = s.lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, text).expect("write samples");
    let out = Command::new(&python)
        .arg(&checker)
        .arg(&file)
        .output()
        .expect("run the checker");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{report}");
    assert!(
        out.status.success(),
        "gc-sim disagrees with the Genesys SDK models ({}):\n{report}",
        file.display()
    );
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

fn get(sim: &Sim, token: &str, path: &str) -> RequestBuilder {
    sim.http.get(sim.url(path)).bearer_auth(token)
}
