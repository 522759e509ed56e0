//! Conversations API and the traffic model's outcomes: each outcome expressed the way Genesys does
//! (codes, skip, timeout, no ACW, not answered, transfers, callbacks), and ground truth agreeing.

mod common;

use common::{Sim, participant};
use serde_json::{Value, json};

/// Runs a script to its final truth; returns (start response, truth entries, final REST conversation).
async fn run(sim: &Sim, token: &str, script: Value, legs: usize) -> (Value, Vec<Value>, Value) {
    let started = sim.script(script).await;
    let cid = started["conversationId"].as_str().unwrap().to_string();
    let truth = sim.truth_for(&cid, legs).await;
    let conv = sim
        .get_json(token, &format!("/api/v2/conversations/{cid}"))
        .await;
    (started, truth, conv)
}

#[tokio::test]
async fn each_outcome_is_expressed_like_genesys_and_recorded_in_truth() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    let dir = sim.directory().await;
    let queue = dir["queues"][0]["id"].as_str().unwrap();

    let (s, t, c) = run(
        &sim,
        &token,
        json!({ "queueId": queue, "outcome": "submitted", "mediaType": "chat" }),
        1,
    )
    .await;
    let leg = s["legs"][0]["participantId"].as_str().unwrap();
    let p = participant(&c, leg).unwrap();
    assert_eq!(t[0]["outcome"], "submitted");
    assert_eq!(t[0]["mediaType"], "chat");
    assert_eq!(t[0]["code"], s["legs"][0]["code"]);
    assert_eq!(p["wrapup"]["code"], s["legs"][0]["code"]);
    assert!(
        p["wrapup"]["name"].is_string(),
        "the Conversations API adds the code name"
    );
    assert_eq!(p["chats"][0]["afterCallWork"]["state"], "complete");
    assert!(c["endTime"].is_string() && c["startTime"].is_string());

    let (s, t, c) = run(
        &sim,
        &token,
        json!({ "queueId": queue, "outcome": "skipped" }),
        1,
    )
    .await;
    let p = participant(&c, s["legs"][0]["participantId"].as_str().unwrap()).unwrap();
    assert_eq!(t[0]["outcome"], "skipped");
    assert!(t[0]["code"].is_null());
    assert_eq!(p["wrapupSkipped"], true);
    assert_eq!(p["calls"][0]["afterCallWork"]["state"], "skipped");
    assert!(p.get("wrapup").is_none());

    let (s, t, c) = run(
        &sim,
        &token,
        json!({ "queueId": queue, "outcome": "timed_out", "mediaType": "email" }),
        1,
    )
    .await;
    let p = participant(&c, s["legs"][0]["participantId"].as_str().unwrap()).unwrap();
    assert_eq!(t[0]["outcome"], "timed_out");
    assert_eq!(t[0]["code"], "ININ-WRAP-UP-TIMEOUT");
    assert_eq!(p["wrapup"]["code"], "ININ-WRAP-UP-TIMEOUT");
    assert_eq!(p["wrapupPrompt"], "timeout");
    assert!(p["wrapupTimeoutMs"].is_number());

    let (s, t, c) = run(
        &sim,
        &token,
        json!({ "queueId": queue, "outcome": "not_required", "mediaType": "message" }),
        1,
    )
    .await;
    let p = participant(&c, s["legs"][0]["participantId"].as_str().unwrap()).unwrap();
    assert_eq!(t[0]["outcome"], "not_required");
    assert_eq!(p["wrapupRequired"], false);
    assert_eq!(p["messages"][0]["afterCallWork"]["state"], "notApplicable");

    // Not answered, then a transfer chain: three agent legs, three truths.
    let agents: Vec<String> = dir["queues"][0]["memberIds"].as_array().unwrap()[1..]
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let legs = json!([
        { "userId": agents[0], "outcome": "not_answered" },
        { "userId": agents[0], "outcome": "skipped" },
        { "userId": agents[1 % agents.len()], "outcome": "submitted" },
    ]);
    let (s, t, c) = run(&sim, &token, json!({ "queueId": queue, "legs": legs }), 3).await;
    let outcomes: Vec<&str> = s["legs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            t.iter()
                .find(|e| e["participantId"] == l["participantId"])
                .unwrap()["outcome"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(outcomes, ["not_required", "skipped", "submitted"]);
    let unanswered = participant(&c, s["legs"][0]["participantId"].as_str().unwrap()).unwrap();
    assert!(unanswered.get("connectedTime").is_none());
    assert_eq!(unanswered["calls"][0]["disconnectType"], "timeout");
    let transferred = participant(&c, s["legs"][1]["participantId"].as_str().unwrap()).unwrap();
    assert_eq!(transferred["calls"][0]["disconnectType"], "transfer");
    assert_eq!(
        c["participants"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["purpose"] == "agent")
            .count(),
        3
    );
    assert_eq!(
        sim.truth().await.len(),
        7,
        "exactly one entry per agent leg"
    );
}

#[tokio::test]
async fn abandoned_and_ivr_only_conversations_have_no_agent_and_no_truth() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    for abandon in ["ivr", "queue"] {
        let s = sim.script(json!({ "abandon": abandon })).await;
        let cid = s["conversationId"].as_str().unwrap().to_string();
        let c = common::wait_until(|| async {
            let c = sim
                .get_json(&token, &format!("/api/v2/conversations/{cid}"))
                .await;
            c.get("endTime").is_some().then_some(c)
        })
        .await;
        assert!(
            c["participants"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["purpose"] != "agent")
        );
    }
    assert!(sim.truth().await.is_empty());
}

#[tokio::test]
async fn active_conversations_participant_wrapup_and_codes() {
    let sim = Sim::idle().await;
    let dir = sim.directory().await;
    let queue = &dir["queues"][0];
    let agent = queue["memberIds"][1].as_str().unwrap();
    let agent_token = sim.token(Some(agent)).await;
    // Long ACW so the leg is active while we look.
    let s = sim.script(json!({ "queueId": queue["id"], "userId": agent, "outcome": "submitted", "acwSecs": 3000 })).await;
    let cid = s["conversationId"].as_str().unwrap();
    let pid = s["legs"][0]["participantId"].as_str().unwrap();
    let active = common::wait_until(|| async {
        let l = sim.get_json(&agent_token, "/api/v2/conversations").await;
        (l["total"] == 1).then_some(l)
    })
    .await;
    assert_eq!(active["entities"][0]["id"], cid);
    assert_eq!(
        sim.get_json(&agent_token, "/api/v2/conversations?communicationType=Chat")
            .await["total"],
        0
    );
    let none = sim
        .get(
            &agent_token,
            &format!("/api/v2/conversations/{cid}/participants/{pid}/wrapup"),
        )
        .await;
    assert_eq!(none.status(), 404, "nothing assigned yet");
    let codes = sim
        .get_json(
            &agent_token,
            &format!("/api/v2/conversations/{cid}/participants/{pid}/wrapupcodes"),
        )
        .await;
    assert!(!codes.as_array().unwrap().is_empty());
    let media_codes = sim
        .get_json(
            &agent_token,
            &format!("/api/v2/conversations/calls/{cid}/participants/{pid}/wrapupcodes"),
        )
        .await;
    assert_eq!(codes, media_codes);
    assert_eq!(
        sim.get(
            &agent_token,
            &format!("/api/v2/conversations/chats/{cid}/participants/{pid}/wrapup")
        )
        .await
        .status(),
        404
    );
    assert_eq!(
        sim.get(
            &agent_token,
            "/api/v2/conversations/00000000-0000-4000-8000-000000000000"
        )
        .await
        .status(),
        404
    );

    // A short one reaches its code; the assigned wrap-up is served.
    let s = sim.script(json!({ "queueId": queue["id"], "userId": agent, "outcome": "submitted", "code": queue["codeIds"][0] })).await;
    let (cid, pid) = (
        s["conversationId"].as_str().unwrap(),
        s["legs"][0]["participantId"].as_str().unwrap(),
    );
    sim.truth_for(cid, 1).await;
    let w = sim
        .get_json(
            &agent_token,
            &format!("/api/v2/conversations/{cid}/participants/{pid}/wrapup"),
        )
        .await;
    assert_eq!(w["code"], queue["codeIds"][0]);
    assert!(w["durationSeconds"].is_number() && w["endTime"].is_string());
    let wm = sim
        .get_json(
            &agent_token,
            &format!("/api/v2/conversations/calls/{cid}/participants/{pid}/wrapup"),
        )
        .await;
    assert_eq!(w, wm);
}

#[tokio::test]
async fn api_created_callbacks_carry_data_as_attributes_and_reach_an_agent() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    let dir = sim.directory().await;
    let queue = dir["queues"][1]["id"].as_str().unwrap();
    let body = json!({
        "queueId": queue,
        "callbackUserName": "Customer 123",
        "callbackNumbers": ["+15550100123"],
        "data": { "crmTicket": "T-42", "reason": "billing" },
    });
    let res = sim
        .post_json(&token, "/api/v2/conversations/callbacks", &body)
        .await;
    assert_eq!(res.status(), 200);
    let created: Value = res.json().await.unwrap();
    let cid = created["conversation"]["id"].as_str().unwrap().to_string();
    assert!(created["callbackIdentifiers"].is_array());
    let c = sim
        .get_json(&token, &format!("/api/v2/conversations/{cid}"))
        .await;
    let customer = c["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["purpose"] == "customer")
        .unwrap();
    assert_eq!(customer["attributes"]["crmTicket"], "T-42");
    assert_eq!(
        customer["callbacks"][0]["callbackNumbers"][0],
        "+15550100123"
    );
    let truth = sim.truth_for(&cid, 1).await;
    assert_eq!(truth[0]["mediaType"], "callback");
    assert_eq!(truth[0]["queueId"], queue);

    for bad in [
        json!({ "callbackNumbers": ["1"] }),
        json!({ "queueId": queue }),
        json!({ "queueId": "nope", "callbackNumbers": ["1"] }),
    ] {
        let res = sim
            .post_json(&token, "/api/v2/conversations/callbacks", &bad)
            .await;
        assert_eq!(res.status(), 400, "{bad}");
        assert_eq!(res.json::<Value>().await.unwrap()["status"], 400);
    }
}

#[tokio::test]
async fn a_supervisor_fetches_any_conversation_by_id_with_wrapups_as_soon_as_submitted() {
    // Gap recovery (ref §4.5 step 4): a supervisor watching queues fetches every conversation that
    // was open when the link dropped; `GET /api/v2/conversations` would list only their own.
    let sim = Sim::idle().await;
    let sup_token = sim.token(None).await;
    let sup = sim.supervisor_id().await;
    let started = sim
        .script(json!({
            "talkSecs": 60,
            "legs": [{ "outcome": "submitted", "notes": "first" }, { "outcome": "submitted" }],
        }))
        .await;
    let cid = started["conversationId"].as_str().unwrap().to_string();
    let (first, second) = (&started["legs"][0], &started["legs"][1]);
    let truth = sim.truth_for(&cid, 1).await;
    sim.admin("/sim/pause", json!({})).await;
    let truth_now: Vec<Value> = sim
        .truth()
        .await
        .into_iter()
        .filter(|e| e["conversationId"] == cid.as_str())
        .collect();
    assert_eq!(truth_now.len(), 1, "the second leg is still talking");
    assert_eq!(truth[0]["participantId"], first["participantId"]);

    let conv = sim
        .get_json(&sup_token, &format!("/api/v2/conversations/{cid}"))
        .await;
    assert!(
        conv["participants"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["userId"] != sup.as_str()),
        "the supervisor is not a participant"
    );
    assert!(
        sim.get_json(&sup_token, "/api/v2/conversations").await["entities"]
            .as_array()
            .unwrap()
            .is_empty(),
        "and their own active list does not show it"
    );
    let p1 = participant(&conv, first["participantId"].as_str().unwrap()).unwrap();
    assert_eq!(p1["wrapup"]["code"], truth[0]["code"], "final code at once");
    assert_eq!(p1["wrapup"]["notes"], "first");
    let p2 = participant(&conv, second["participantId"].as_str().unwrap()).unwrap();
    assert!(p2.get("wrapup").is_none(), "not submitted yet: {p2}");

    sim.admin("/sim/resume", json!({})).await;
    let truth = sim.truth_for(&cid, 2).await;
    let conv = sim
        .get_json(&sup_token, &format!("/api/v2/conversations/{cid}"))
        .await;
    for entry in &truth {
        let p = participant(&conv, entry["participantId"].as_str().unwrap()).unwrap();
        assert_eq!(p["wrapup"]["code"], entry["code"], "{p}");
    }
    assert!(conv["endTime"].is_string(), "ended");
}
