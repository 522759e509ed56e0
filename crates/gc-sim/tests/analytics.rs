//! Analytics details over lagged records: 404 until indexed, the wrapup segment arriving later,
//! record shape, multi-get, the sync query (interval, filters, paging, totalHits, 400s) and jobs
//! (QUEUED → PENDING → FULFILLED, cursor paging, dataAvailabilityDate, DELETE, availability, FAILED).

mod common;

use std::time::Duration;

use common::{Sim, test_config, wait_until};
use serde_json::{Value, json};

fn day_interval() -> String {
    let today = time::OffsetDateTime::now_utc().date();
    format!(
        "{today}T00:00:00.000Z/{}T00:00:00.000Z",
        today.next_day().unwrap()
    )
}

async fn query(sim: &Sim, token: &str, body: Value) -> reqwest::Response {
    sim.post_json(
        token,
        "/api/v2/analytics/conversations/details/query",
        &body,
    )
    .await
}

fn segments_of(record: &Value, purpose: &str) -> Vec<Value> {
    record["participants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["purpose"] == purpose)
        .flat_map(|p| p["sessions"][0]["segments"].as_array().unwrap().clone())
        .collect()
}

#[tokio::test]
async fn records_are_404_until_indexed_and_the_wrapup_segment_comes_later() {
    // 45 s lag and 20 s extra for the wrapup segment, at speed 30: 1.5 s then 0.67 s more.
    let sim = Sim::start(gc_sim::Config {
        speed: 30.0,
        analytics_lag: Duration::from_secs(45),
        wrapup_segment_lag: Duration::from_secs(20),
        ..test_config()
    })
    .await;
    let token = sim.token(None).await;
    let s = sim.script(json!({ "outcome": "submitted" })).await;
    let cid = s["conversationId"].as_str().unwrap().to_string();
    let path = format!("/api/v2/analytics/conversations/{cid}/details");
    let first = sim.get(&token, &path).await;
    assert_eq!(first.status(), 404, "not indexed yet");
    assert_eq!(first.json::<Value>().await.unwrap()["status"], 404);
    sim.truth_for(&cid, 1).await;

    // Indexed with the agent's talk but (at first) without the wrapup segment: "null, not yet indexed".
    let saw_without_wrapup = std::cell::Cell::new(false);
    let record = wait_until(|| async {
        let res = sim.get(&token, &path).await;
        if res.status() != 200 {
            return None;
        }
        let r: Value = res.json().await.unwrap();
        let agent = segments_of(&r, "agent");
        let has_interact_end = agent
            .iter()
            .any(|s| s["segmentType"] == "interact" && s["segmentEnd"].is_string());
        let wrapup = agent
            .iter()
            .find(|s| s["segmentType"] == "wrapup" && s["wrapUpCode"].is_string())
            .cloned();
        if has_interact_end && wrapup.is_none() {
            saw_without_wrapup.set(true);
        }
        wrapup.map(|_| r)
    })
    .await;
    assert!(
        saw_without_wrapup.get(),
        "the wrapup segment must appear after the rest of the record"
    );
    assert_eq!(record["conversationId"], cid.as_str());
    assert!(record["conversationStart"].as_str().unwrap().ends_with('Z'));
    let code = s["legs"][0]["code"].as_str().unwrap();
    let agent = record["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["purpose"] == "agent")
        .unwrap();
    let session = &agent["sessions"][0];
    assert_eq!(session["mediaType"], "voice");
    let wrap = session["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["segmentType"] == "wrapup")
        .unwrap();
    assert_eq!(wrap["wrapUpCode"], code, "wrapUpCode, capital U");
    let metrics: Vec<&str> = session["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    for m in ["tAlert", "tTalk", "tAcw", "tHandle"] {
        assert!(metrics.contains(&m), "{m} in {metrics:?}");
    }
    assert!(session["metrics"][0]["emitDate"].is_string());
    let types: Vec<&str> = session["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["segmentType"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["alert", "interact", "wrapup"]);
    assert!(
        segments_of(&record, "acd")
            .iter()
            .any(|s| s["queueId"].is_string() && s["disconnectType"] == "transfer")
    );
}

#[tokio::test]
async fn skipped_legs_have_acw_skipped_and_callbacks_start_with_the_callback_segment() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    let s = sim
        .script(json!({ "outcome": "skipped", "acwSecs": 0 }))
        .await;
    let cid = s["conversationId"].as_str().unwrap().to_string();
    sim.truth_for(&cid, 1).await;
    let r = sim
        .get_json(
            &token,
            &format!("/api/v2/analytics/conversations/{cid}/details"),
        )
        .await;
    let agent = r["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["purpose"] == "agent")
        .unwrap();
    assert_eq!(agent["sessions"][0]["acwSkipped"], true);
    let wrap = agent["sessions"][0]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["segmentType"] == "wrapup")
        .unwrap();
    assert_eq!(
        wrap["segmentStart"], wrap["segmentEnd"],
        "an instant skip leaves a zero-length wrapup segment"
    );
    assert!(wrap.get("wrapUpCode").is_none());

    let dir = sim.directory().await;
    let created: Value = sim
        .post_json(
            &token,
            "/api/v2/conversations/callbacks",
            &json!({ "queueId": dir["queues"][0]["id"], "callbackNumbers": ["+15550100999"] }),
        )
        .await
        .json()
        .await
        .unwrap();
    let cb = created["conversation"]["id"].as_str().unwrap().to_string();
    sim.truth_for(&cb, 1).await;
    let r = sim
        .get_json(
            &token,
            &format!("/api/v2/analytics/conversations/{cb}/details"),
        )
        .await;
    let mut all: Vec<(String, String)> = r["participants"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["sessions"][0]["segments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["segmentStart"].as_str().unwrap().to_string(),
                        s["segmentType"].as_str().unwrap().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    all.sort();
    assert_eq!(
        all[0].1, "callback",
        "the customer's callback segment is the earliest"
    );
    assert_eq!(r["participants"][0]["sessions"][0]["mediaType"], "callback");
}

#[tokio::test]
async fn the_query_finds_a_customer_by_ani_and_an_agent_by_wrapup_segments() {
    let sim = Sim::idle().await;
    let dir = sim.directory().await;
    let sup = sim.token(None).await;
    let agent = dir["queues"][0]["memberIds"][1]
        .as_str()
        .unwrap()
        .to_string();
    let mut ids = vec![];
    for (address, outcome) in [
        ("tel:+15559990001", "submitted"),
        ("tel:+15559990001", "not_required"),
        ("tel:+15559990002", "skipped"),
    ] {
        let s = sim
            .script(json!({ "userId": agent, "outcome": outcome, "customerAddress": address }))
            .await;
        ids.push(s["conversationId"].as_str().unwrap().to_string());
    }
    for id in &ids {
        sim.truth_for(id, 1).await;
    }
    let found = |answer: &Value| -> Vec<String> {
        answer["conversations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["conversationId"].as_str().unwrap().to_owned())
            .collect()
    };
    let predicate = |dimension: &str, value: &str| json!({ "type": "or", "predicates": [{ "type": "dimension", "dimension": dimension, "operator": "matches", "value": value }] });
    let by_ani: Value = query(
        &sim,
        &sup,
        json!({ "interval": day_interval(), "order": "desc",
        "segmentFilters": [{ "type": "and", "clauses": [predicate("ani", "tel:+15559990001")] }] }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        found(&by_ani),
        [ids[1].clone(), ids[0].clone()],
        "that customer's, newest first"
    );
    let wrapups: Value = query(&sim, &sup, json!({ "interval": day_interval(), "order": "desc",
        "segmentFilters": [{ "type": "and", "clauses": [predicate("userId", &agent), predicate("segmentType", "wrapup")] }] }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        found(&wrapups),
        [ids[2].clone(), ids[0].clone()],
        "a leg without after-call work has no wrapup segment"
    );
}

#[tokio::test]
async fn multi_get_and_the_details_query_with_filters_paging_and_errors() {
    let sim = Sim::idle().await;
    let dir = sim.directory().await;
    let sup = sim.token(None).await;
    let q0 = dir["queues"][0]["id"].as_str().unwrap().to_string();
    let agent = dir["queues"][0]["memberIds"][1]
        .as_str()
        .unwrap()
        .to_string();
    let mut ids = vec![];
    for outcome in ["submitted", "skipped", "not_required", "submitted"] {
        let s = sim
            .script(
                json!({ "queueId": q0, "userId": agent, "outcome": outcome, "mediaType": "chat" }),
            )
            .await;
        ids.push(s["conversationId"].as_str().unwrap().to_string());
    }
    for id in &ids {
        sim.truth_for(id, 1).await;
    }
    let multi = sim
        .get_json(
            &sup,
            &format!(
                "/api/v2/analytics/conversations/details?id={},{}",
                ids[0], ids[1]
            ),
        )
        .await;
    assert_eq!(multi["conversations"].as_array().unwrap().len(), 2);

    let interval = day_interval();
    let all: Value = query(&sim, &sup, json!({ "interval": interval }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["totalHits"], 4);
    let paged: Value = query(&sim, &sup, json!({ "interval": interval, "paging": { "pageSize": 3, "pageNumber": 2 }, "order": "desc" })).await.json().await.unwrap();
    assert_eq!(paged["conversations"].as_array().unwrap().len(), 1);
    assert_eq!(paged["totalHits"], 4);
    assert_eq!(
        paged["conversations"][0]["conversationId"],
        ids[0].as_str(),
        "desc order, last page holds the oldest"
    );

    let by_id = json!({ "interval": interval, "conversationFilters": [{ "type": "and", "predicates": [{ "dimension": "conversationId", "value": ids[2] }] }] });
    let one: Value = query(&sim, &sup, by_id).await.json().await.unwrap();
    assert_eq!(one["totalHits"], 1);
    let coded = json!({ "interval": interval, "segmentFilters": [{ "type": "and", "predicates": [{ "dimension": "wrapUpCode", "operator": "exists" }] }] });
    let coded: Value = query(&sim, &sup, coded).await.json().await.unwrap();
    assert_eq!(coded["totalHits"], 2, "two coded conversations");
    let user_media = json!({ "interval": interval, "segmentFilters": [{ "type": "and", "clauses": [
        { "type": "or", "predicates": [{ "type": "dimension", "dimension": "userId", "operator": "matches", "value": agent }] },
        { "type": "and", "predicates": [{ "dimension": "mediaType", "value": "chat" }, { "dimension": "queueId", "value": q0 }] },
    ] }] });
    let um: Value = query(&sim, &sup, user_media).await.json().await.unwrap();
    assert_eq!(um["totalHits"], 4);
    let voice = json!({ "interval": interval, "segmentFilters": [{ "type": "and", "predicates": [{ "dimension": "mediaType", "value": "voice" }] }] });
    let none: Value = query(&sim, &sup, voice).await.json().await.unwrap();
    assert_eq!(none["totalHits"], 0);

    // Sync semantics: conversations that *started on a day touched* by the interval.
    let yesterday = time::OffsetDateTime::now_utc()
        .date()
        .previous_day()
        .unwrap();
    let old: Value = query(
        &sim,
        &sup,
        json!({ "interval": format!("{yesterday}T00:00:00.000Z/{yesterday}T23:59:59.000Z") }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(old["totalHits"], 0);
    let touching: Value = query(&sim, &sup, json!({ "interval": format!("{yesterday}T23:00:00.000Z/{}T00:00:01.000Z", yesterday.next_day().unwrap()) })).await.json().await.unwrap();
    assert_eq!(
        touching["totalHits"], 4,
        "a one-second touch of today returns today's conversations"
    );

    for bad in [
        json!({}),
        json!({ "interval": "yesterday" }),
        json!({ "interval": "2024-01-02T00:00:00Z/2024-01-01T00:00:00Z" }),
        json!({ "interval": interval, "paging": { "pageSize": 0 } }),
        json!({ "interval": interval, "segmentFilters": [{ "type": "xor" }] }),
    ] {
        let res = query(&sim, &sup, bad.clone()).await;
        assert_eq!(res.status(), 400, "{bad}");
        assert_eq!(res.json::<Value>().await.unwrap()["status"], 400);
    }

    // Agents see only conversations they took part in.
    let other = dir["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "agent" && u["id"] != agent.as_str())
        .unwrap();
    let other_token = sim.token(other["id"].as_str()).await;
    let theirs: Value = query(&sim, &other_token, json!({ "interval": interval }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["totalHits"], 0);
    assert_eq!(
        sim.get(
            &other_token,
            &format!("/api/v2/analytics/conversations/{}/details", ids[0])
        )
        .await
        .status(),
        403
    );
    let mine: Value = query(
        &sim,
        &sim.token(Some(&agent)).await,
        json!({ "interval": interval }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(mine["totalHits"], 4);
}

#[tokio::test]
async fn jobs_move_through_the_real_states_and_page_by_cursor() {
    let sim = Sim::start(gc_sim::Config {
        speed: 10.0,
        datalake_lag: Duration::ZERO,
        ..test_config()
    })
    .await;
    let sup = sim.token(None).await;
    let mut ids = vec![];
    for _ in 0..5 {
        ids.push(
            sim.script(json!({ "outcome": "submitted", "attributes": { "crm": "1" } }))
                .await["conversationId"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    for id in &ids {
        sim.truth_for(id, 1).await;
    }
    let created: Value = sim
        .post_json(
            &sup,
            "/api/v2/analytics/conversations/details/jobs",
            &json!({ "interval": day_interval() }),
        )
        .await
        .json()
        .await
        .unwrap();
    let job = created["jobId"].as_str().unwrap().to_string();
    let status_path = format!("/api/v2/analytics/conversations/details/jobs/{job}");
    let seen = std::cell::RefCell::new(Vec::<String>::new());
    let done = wait_until(|| async {
        let s = sim.get_json(&sup, &status_path).await;
        let state = s["state"].as_str().unwrap().to_string();
        if seen.borrow().last() != Some(&state) {
            seen.borrow_mut().push(state.clone());
        }
        (state == "FULFILLED").then_some(s)
    })
    .await;
    let seen = seen.into_inner();
    assert_eq!(seen.first().map(String::as_str), Some("QUEUED"));
    assert!(
        seen.iter()
            .all(|s| ["QUEUED", "PENDING", "FULFILLED"].contains(&s.as_str()))
    );
    assert!(seen.contains(&"PENDING".to_string()) || seen.len() == 2);
    assert!(
        done["submissionDate"].is_string()
            && done["expirationDate"].is_string()
            && done["completionDate"].is_string()
    );

    let mut got = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => format!("{status_path}/results?pageSize=2"),
            Some(c) => format!("{status_path}/results?pageSize=2&cursor={c}"),
        };
        let page = sim.get_json(&sup, &path).await;
        assert!(page["dataAvailabilityDate"].is_string());
        for c in page["conversations"].as_array().unwrap() {
            got.push(c["conversationId"].as_str().unwrap().to_string());
            let customer = c["participants"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["purpose"] == "customer")
                .unwrap();
            assert_eq!(
                customer["attributes"]["crm"], "1",
                "job results carry participant attributes"
            );
        }
        match page.get("cursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    got.sort();
    ids.sort();
    assert_eq!(got, ids);
    assert_eq!(
        sim.get(&sup, &format!("{status_path}/results?cursor=garbage"))
            .await
            .status(),
        400
    );

    let avail = sim
        .get_json(
            &sup,
            "/api/v2/analytics/conversations/details/jobs/availability",
        )
        .await;
    assert!(avail["dataAvailabilityDate"].is_string());
    let agent = sim
        .token(sim.directory().await["users"][1]["id"].as_str())
        .await;
    assert_eq!(
        sim.get(
            &agent,
            "/api/v2/analytics/conversations/details/jobs/availability"
        )
        .await
        .status(),
        403
    );

    let del = sim
        .http
        .delete(sim.url(&status_path))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), 204);
    assert_eq!(sim.get(&sup, &status_path).await.status(), 404);
}

#[tokio::test]
async fn jobs_can_be_cancelled_fail_on_demand_and_respect_data_availability() {
    let sim = Sim::start(gc_sim::Config {
        speed: 1.0,
        datalake_lag: Duration::from_secs(3600),
        ..test_config()
    })
    .await;
    let sup = sim.token(None).await;
    let created: Value = sim
        .post_json(
            &sup,
            "/api/v2/analytics/conversations/details/jobs",
            &json!({ "interval": day_interval() }),
        )
        .await
        .json()
        .await
        .unwrap();
    let path = format!(
        "/api/v2/analytics/conversations/details/jobs/{}",
        created["jobId"].as_str().unwrap()
    );
    assert_eq!(sim.get_json(&sup, &path).await["state"], "QUEUED");
    assert_eq!(
        sim.get(&sup, &format!("{path}/results")).await.status(),
        400,
        "no results before FULFILLED"
    );
    assert_eq!(
        sim.http
            .delete(sim.url(&path))
            .bearer_auth(&sup)
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(sim.get_json(&sup, &path).await["state"], "CANCELLED");

    sim.admin("/sim/faults", json!({ "failJobs": 1 })).await;
    let failed: Value = sim
        .post_json(
            &sup,
            "/api/v2/analytics/conversations/details/jobs",
            &json!({ "interval": day_interval() }),
        )
        .await
        .json()
        .await
        .unwrap();
    let s = sim
        .get_json(
            &sup,
            &format!(
                "/api/v2/analytics/conversations/details/jobs/{}",
                failed["jobId"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(s["state"], "FAILED");
    assert!(s["errorMessage"].is_string());
    let bad = sim
        .post_json(
            &sup,
            "/api/v2/analytics/conversations/details/jobs",
            &json!({ "interval": "nope" }),
        )
        .await;
    assert_eq!(bad.status(), 400);

    // An hour of data-lake lag: today's fresh conversation is beyond dataAvailabilityDate.
    let s = sim.script(json!({ "outcome": "submitted", "queueSecs": 0, "alertSecs": 0, "talkSecs": 0, "acwSecs": 0 })).await;
    sim.truth_for(s["conversationId"].as_str().unwrap(), 1)
        .await;
    let avail = sim
        .get_json(
            &sup,
            "/api/v2/analytics/conversations/details/jobs/availability",
        )
        .await;
    let date = time::OffsetDateTime::parse(
        avail["dataAvailabilityDate"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert!(date < time::OffsetDateTime::now_utc() - time::Duration::minutes(59));
}

/// The §6.3-shaped segment filter `dimension == value` (an `and` filter around an `or` clause).
fn segment_filter(dimension: &str, value: &str) -> Value {
    json!([{ "type": "and", "clauses": [{ "type": "or", "predicates": [
        { "type": "dimension", "dimension": dimension, "operator": "matches", "value": value }
    ] }] }])
}

/// Conversation ids in a details-query answer (absent `conversations` = none).
fn ids_of(answer: &Value) -> Vec<String> {
    answer["conversations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["conversationId"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_gap_window_query_by_queue_or_agent_finds_ended_conversations_after_the_lag() {
    // Gap recovery (ref §4.5 step 4): conversations that began and ended while the socket was down
    // are found by a details query over the gap, filtered to the watched queue or agent, and only
    // once analytics has indexed them; their wrap-up segments come later still.
    // 20 s lag + 40 s for wrap-ups at speed 20: 1 s, then 2 s more (each ×0.8–1.2).
    let sim = Sim::start(gc_sim::Config {
        analytics_lag: Duration::from_secs(20),
        wrapup_segment_lag: Duration::from_secs(40),
        ..test_config()
    })
    .await;
    let token = sim.token(None).await;
    let dir = sim.directory().await;
    let queue = |i: usize| dir["queues"][i]["id"].as_str().unwrap().to_string();
    let member = |q: &str| {
        dir["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["role"] == "agent" && u["queueIds"][0] == q)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (q0, q1) = (queue(0), queue(1));
    let (a0, a1) = (member(&q0), member(&q1));
    let gap_start = time::OffsetDateTime::now_utc();
    let short = json!({ "alertSecs": 1, "talkSecs": 2, "acwSecs": 1, "outcome": "submitted" });
    let mut watched = short.clone();
    watched["queueId"] = json!(q0);
    watched["userId"] = json!(a0);
    let mut other = short;
    other["queueId"] = json!(q1);
    other["userId"] = json!(a1);
    let watched = sim.script(watched).await;
    let other = sim.script(other).await;
    let (cid, other_cid) = (
        watched["conversationId"].as_str().unwrap().to_string(),
        other["conversationId"].as_str().unwrap().to_string(),
    );
    let code = watched["legs"][0]["code"].as_str().unwrap().to_string();
    let iso = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let body = |filters: Value, end: time::OffsetDateTime| {
        json!({
            "interval": format!("{}/{}", iso(gap_start), iso(end)),
            "order": "asc",
            "orderBy": "conversationStart",
            "conversationFilters": [{ "type": "and", "predicates": [
                { "type": "dimension", "dimension": "conversationEnd", "operator": "exists" }
            ] }],
            "segmentFilters": filters,
        })
    };
    let ask = |filters: Value, end: time::OffsetDateTime| {
        let req = query(&sim, &token, body(filters, end));
        async move {
            let res = req.await;
            assert_eq!(res.status(), 200);
            res.json::<Value>().await.unwrap()
        }
    };
    let soon = time::OffsetDateTime::now_utc() + Duration::from_secs(60);
    let early = ask(segment_filter("queueId", &q0), soon).await;
    assert_eq!(early["totalHits"], 0, "not indexed yet: {early}");

    sim.truth_for(&cid, 1).await;
    sim.truth_for(&other_cid, 1).await;
    let gap_end = time::OffsetDateTime::now_utc();
    let saw_without_wrapup = std::cell::Cell::new(false);
    let record = wait_until(|| async {
        let answer = ask(segment_filter("queueId", &q0), gap_end).await;
        let r = answer["conversations"]
            .as_array()?
            .iter()
            .find(|r| r["conversationId"] == cid.as_str())?
            .clone();
        let wrapup = segments_of(&r, "agent")
            .into_iter()
            .find(|s| s["segmentType"] == "wrapup" && s["wrapUpCode"].is_string());
        if wrapup.is_none() {
            saw_without_wrapup.set(true);
        }
        wrapup.map(|_| r)
    })
    .await;
    assert!(
        saw_without_wrapup.get(),
        "the wrap-up segment is indexed after the rest of the record"
    );
    let start = time::OffsetDateTime::parse(
        record["conversationStart"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let end = time::OffsetDateTime::parse(
        record["conversationEnd"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let ms = time::Duration::milliseconds(1);
    assert!(gap_start - ms <= start && end <= gap_end, "inside the gap");
    let wrapup = segments_of(&record, "agent")
        .into_iter()
        .find(|s| s["segmentType"] == "wrapup")
        .unwrap();
    assert_eq!(
        wrapup["wrapUpCode"],
        code.as_str(),
        "the code /sim/truth holds"
    );

    // The queue filter keeps the other queue's conversation out; the agent filter picks by agent.
    let by_queue = ask(segment_filter("queueId", &q0), gap_end).await;
    assert_eq!(ids_of(&by_queue), [cid.as_str()]);
    let by_agent = ask(segment_filter("userId", &a1), gap_end).await;
    assert_eq!(ids_of(&by_agent), [other_cid.as_str()]);
    let both = ask(
        json!([{ "type": "or", "predicates": [
            { "type": "dimension", "dimension": "userId", "operator": "matches", "value": a0 },
            { "type": "dimension", "dimension": "userId", "operator": "matches", "value": a1 },
        ] }]),
        gap_end,
    )
    .await;
    assert_eq!(both["totalHits"], 2, "{both}");
}

#[tokio::test]
async fn a_job_over_a_longer_window_stays_pending_longer_and_can_be_cancelled_meanwhile() {
    let sim = Sim::start(gc_sim::Config {
        speed: 10.0,
        datalake_lag: Duration::ZERO,
        ..test_config()
    })
    .await;
    let sup = sim.token(None).await;
    let today = time::OffsetDateTime::now_utc().date();
    let week = format!(
        "{}T00:00:00.000Z/{}T00:00:00.000Z",
        today - time::Duration::days(6),
        today.next_day().unwrap()
    );
    let job = |interval: String| {
        let (sim, sup) = (&sim, &sup);
        async move {
            let created: Value = sim
                .post_json(
                    sup,
                    "/api/v2/analytics/conversations/details/jobs",
                    &json!({ "interval": interval, "order": "desc" }),
                )
                .await
                .json()
                .await
                .unwrap();
            format!(
                "/api/v2/analytics/conversations/details/jobs/{}",
                created["jobId"].as_str().unwrap()
            )
        }
    };
    let short = job(format!("{today}T00:00:00.000Z/{today}T00:10:00.000Z")).await;
    let long = job(week).await;
    // 2 s queued + 3 s + 20 s a day pending, simulated: the ten-minute job is done long before the week's.
    wait_until(|| async {
        (sim.get_json(&sup, &short).await["state"] == "FULFILLED").then_some(())
    })
    .await;
    let state = sim.get_json(&sup, &long).await["state"].clone();
    assert!(
        state == "QUEUED" || state == "PENDING",
        "the week's job still runs: {state}"
    );
    let del = sim
        .http
        .delete(sim.url(&long))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), 204);
    assert_eq!(sim.get_json(&sup, &long).await["state"], "CANCELLED");
}
