//! Directory endpoints: users/me (+expand), users bulk and paging, queues (all, me, a user's),
//! wrap-up codes (paging, id multi, divisions, deleted codes), queue codes.

mod common;

use common::Sim;
use serde_json::Value;

fn names(listing: &Value) -> Vec<String> {
    listing["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn users_me_with_expand_and_bulk_users_with_paging() {
    let sim = Sim::idle().await;
    let dir = sim.directory().await;
    let agent = dir["users"][3]["id"].as_str().unwrap().to_string();
    let token = sim.token(Some(&agent)).await;
    let me = sim
        .get_json(
            &token,
            "/api/v2/users/me?expand=organization,presence&expand=routingStatus",
        )
        .await;
    assert_eq!(me["id"], agent.as_str());
    assert_eq!(me["name"], "Agent 03");
    assert_eq!(me["email"], "agent03@example.com");
    assert_eq!(me["state"], "active");
    assert!(me["division"]["id"].is_string());
    assert!(
        me["organization"]["id"].is_string()
            && me["presence"].is_object()
            && me["routingStatus"]["status"].is_string()
    );
    assert!(
        me.get("authorization").is_none(),
        "only requested expansions"
    );

    let all = sim.get_json(&token, "/api/v2/users?pageSize=4").await;
    assert_eq!(all["total"], 9);
    assert_eq!(all["pageSize"], 4);
    assert_eq!(all["pageNumber"], 1);
    assert_eq!(all["pageCount"], 3);
    assert_eq!(all["entities"].as_array().unwrap().len(), 4);
    assert!(all["nextUri"].as_str().unwrap().contains("pageNumber=2"));
    assert!(all.get("previousUri").is_none());
    for k in ["firstUri", "lastUri", "selfUri"] {
        assert!(all[k].is_string(), "{k}");
    }
    let last = sim
        .get_json(&token, "/api/v2/users?pageSize=4&pageNumber=3")
        .await;
    assert_eq!(last["entities"].as_array().unwrap().len(), 1);
    assert!(last.get("nextUri").is_none() && last["previousUri"].is_string());

    let (a, b) = (
        dir["users"][1]["id"].as_str().unwrap(),
        dir["users"][2]["id"].as_str().unwrap(),
    );
    let bulk = sim
        .get_json(&token, &format!("/api/v2/users?id={a}&id={b}"))
        .await;
    assert_eq!(names(&bulk), ["Agent 01", "Agent 02"]);
    let csv = sim
        .get_json(&token, &format!("/api/v2/users?id={a},{b}"))
        .await;
    assert_eq!(csv["total"], 2);
    assert_eq!(
        sim.get(&token, "/api/v2/users/00000000-0000-4000-8000-000000000000")
            .await
            .status(),
        404
    );
    assert_eq!(
        sim.get_json(&token, &format!("/api/v2/users/{a}")).await["name"],
        "Agent 01"
    );
}

#[tokio::test]
async fn queues_all_mine_and_a_users() {
    let sim = Sim::idle().await;
    let dir = sim.directory().await;
    let sup = sim.token(None).await;
    let all = sim.get_json(&sup, "/api/v2/routing/queues").await;
    assert_eq!(names(&all), ["Billing", "Returns", "Sales", "Support"]);
    assert_eq!(
        all["entities"][0]["acwSettings"]["wrapupPrompt"],
        "MANDATORY"
    );
    let filtered = sim.get_json(&sup, "/api/v2/routing/queues?name=S*").await;
    assert_eq!(names(&filtered), ["Sales", "Support"]);
    let mine = sim.get_json(&sup, "/api/v2/routing/queues/me").await;
    assert_eq!(mine["total"], 4, "the supervisor is in every queue");
    assert_eq!(mine["entities"][0]["joined"], true);

    let agent = &dir["users"][1];
    let agent_token = sim.token(agent["id"].as_str()).await;
    let theirs = sim
        .get_json(&agent_token, "/api/v2/routing/queues/me")
        .await;
    let expected: Vec<&str> = agent["queueIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let got: Vec<&str> = theirs["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(got.len(), expected.len());
    assert!(got.iter().all(|q| expected.contains(q)));
    let via_user = sim
        .get_json(
            &sup,
            &format!("/api/v2/users/{}/queues", agent["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(via_user["total"], theirs["total"]);
    let not_joined = sim
        .get_json(
            &sup,
            &format!(
                "/api/v2/users/{}/queues?joined=false",
                agent["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(not_joined["total"], 0);
    let q = all["entities"][0]["id"].as_str().unwrap();
    assert_eq!(
        sim.get_json(&sup, &format!("/api/v2/routing/queues/{q}"))
            .await["name"],
        "Billing"
    );
}

#[tokio::test]
async fn wrapup_codes_paging_ids_divisions_and_deletion() {
    let sim = Sim::idle().await;
    let dir = sim.directory().await;
    let sup = sim.token(None).await;
    let agent = sim.token(dir["users"][1]["id"].as_str()).await;
    let restricted_div = dir["divisions"][1]["id"].as_str().unwrap();
    let restricted: Vec<String> = dir["wrapupCodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["divisionId"] == restricted_div)
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!restricted.is_empty());

    let sup_all = sim
        .get_json(&sup, "/api/v2/routing/wrapupcodes?pageSize=100")
        .await;
    let agent_all = sim
        .get_json(&agent, "/api/v2/routing/wrapupcodes?pageSize=100")
        .await;
    let total = dir["wrapupCodes"].as_array().unwrap().len();
    assert_eq!(sup_all["total"], total);
    assert_eq!(
        agent_all["total"].as_u64().unwrap() as usize,
        total - restricted.len(),
        "Restricted codes are hidden from agents"
    );
    let sorted = names(&sup_all);
    let mut check = sorted.clone();
    check.sort();
    assert_eq!(sorted, check, "sorted by name by default");

    let page2 = sim
        .get_json(&sup, "/api/v2/routing/wrapupcodes?pageSize=5&pageNumber=2")
        .await;
    assert_eq!(page2["entities"].as_array().unwrap().len(), 5);
    assert_eq!(names(&page2), sorted[5..10]);

    let r = &restricted[0];
    let by_ids = sim
        .get_json(
            &sup,
            &format!(
                "/api/v2/routing/wrapupcodes?id={r}&id={}",
                dir["wrapupCodes"][0]["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(by_ids["total"], 2);
    let one = sim
        .get_json(&sup, &format!("/api/v2/routing/wrapupcodes/{r}"))
        .await;
    assert_eq!(one["division"]["name"], "Restricted");
    let hidden = sim
        .get(&agent, &format!("/api/v2/routing/wrapupcodes/{r}"))
        .await;
    assert_eq!(hidden.status(), 403);
    assert_eq!(hidden.json::<Value>().await.unwrap()["status"], 403);

    let q = &dir["queues"][0];
    let qcodes = sim
        .get_json(
            &sup,
            &format!(
                "/api/v2/routing/queues/{}/wrapupcodes?pageSize=50",
                q["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(
        qcodes["total"].as_u64().unwrap() as usize,
        q["codeIds"].as_array().unwrap().len()
    );

    // Deleting a code removes it from listings and makes GET 404.
    let victim = dir["wrapupCodes"][0]["id"].as_str().unwrap();
    let del = sim
        .http
        .delete(sim.url(&format!("/sim/wrapupcodes/{victim}")))
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), 204);
    assert_eq!(
        sim.get(&sup, &format!("/api/v2/routing/wrapupcodes/{victim}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        sim.get_json(&sup, "/api/v2/routing/wrapupcodes?pageSize=100")
            .await["total"],
        total - 1
    );
}

#[tokio::test]
async fn the_doomed_code_is_deleted_after_three_uses() {
    let sim = Sim::idle().await;
    let dir = sim.directory().await;
    let doomed = dir["wrapupCodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["retiresAfterUses"] == 3)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let queue = dir["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| {
            q["codeIds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == doomed.as_str())
        })
        .unwrap();
    let sup = sim.token(None).await;
    assert_eq!(
        sim.get(&sup, &format!("/api/v2/routing/wrapupcodes/{doomed}"))
            .await
            .status(),
        200
    );
    for _ in 0..3 {
        let c = sim.script(serde_json::json!({ "queueId": queue["id"], "outcome": "submitted", "code": doomed })).await;
        sim.truth_for(c["conversationId"].as_str().unwrap(), 1)
            .await;
    }
    assert_eq!(
        sim.get(&sup, &format!("/api/v2/routing/wrapupcodes/{doomed}"))
            .await
            .status(),
        404,
        "codes later deleted"
    );
}
