//! OAuth against a live simulator: sign-in page, implicit grant (state, deny, session cookie,
//! prompt=login), invalid client/redirect page, PKCE code flow, tokens/me, 401s and token lifetime.

mod common;

use std::time::Duration;

use base64::Engine;
use common::{Sim, test_config};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::Value;
use sha2::{Digest, Sha256};

const REDIRECT: &str = "http://localhost:8080/app/";

fn authorize_url(sim: &Sim, extra: &str) -> String {
    sim.url(&format!(
        "/oauth/authorize?client_id=wrapup-live-demo&response_type=token&redirect_uri={}{extra}",
        urlencode(REDIRECT)
    ))
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Parses `…#a=b&c=d` (or `?a=b`) into pairs.
fn params_of(location: &str, sep: char) -> Vec<(String, String)> {
    let tail = location.split_once(sep).map(|(_, t)| t).unwrap_or("");
    url::form_urlencoded::parse(tail.as_bytes())
        .into_owned()
        .collect()
}

fn get<'a>(pairs: &'a [(String, String)], k: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == k)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn sign_in_page_lists_every_user_supervisor_first_and_carries_the_request() {
    let sim = Sim::idle().await;
    let res = sim
        .http
        .get(authorize_url(&sim, "&state=x%22%3Cy"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<form method="post" action="/oauth/authorize">"#));
    assert!(html.contains(r#"<select id="user" name="user_id">"#));
    assert!(html.contains(r#"<button id="sign-in" type="submit">Sign in</button>"#));
    assert!(
        html.contains(r#"<button id="deny" type="submit" name="deny" value="1">Cancel</button>"#)
    );
    let first = html.find("<option").unwrap();
    assert!(
        html[first..].starts_with(r#"<option value=""#)
            && html[first..].contains("selected>Supervisor — all queues</option>")
    );
    assert!(
        html.contains(">Agent 01 — "),
        "agents are listed by role name with their queues"
    );
    assert_eq!(html.matches("<option").count(), 9, "supervisor + 8 agents");
    // The state is carried in a hidden field, HTML-escaped.
    assert!(html.contains(r#"name="state" value="x&quot;&lt;y""#));
}

#[tokio::test]
async fn implicit_grant_redirects_with_token_state_and_sets_a_session() {
    let sim = Sim::idle().await;
    let sup = sim.supervisor_id().await;
    let state = "gcHostOrigin=https://apps.mypurecloud.com&x=1 2";
    let form = [
        ("client_id", "wrapup-live-demo"),
        ("response_type", "token"),
        ("redirect_uri", REDIRECT),
        ("state", state),
        ("user_id", sup.as_str()),
    ];
    let res = sim
        .http
        .post(sim.url("/oauth/authorize"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let loc = res.headers()[LOCATION].to_str().unwrap().to_string();
    assert!(loc.starts_with(&format!("{REDIRECT}#")), "{loc}");
    let p = params_of(&loc, '#');
    assert_eq!(get(&p, "state"), Some(state), "state echoed verbatim");
    assert_eq!(get(&p, "token_type"), Some("bearer"));
    assert_eq!(get(&p, "expires_in"), Some("86400"));
    let token = get(&p, "access_token").unwrap().to_string();
    let me = sim.get_json(&token, "/api/v2/users/me").await;
    assert_eq!(me["id"], sup.as_str());
    let cookie = res.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();

    // A signed-in browser is redirected at once, without the page and without a state if none was sent.
    let again = sim
        .http
        .get(authorize_url(&sim, ""))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::FOUND);
    let p2 = params_of(again.headers()[LOCATION].to_str().unwrap(), '#');
    assert!(get(&p2, "access_token").is_some_and(|t| t != token));
    assert_eq!(get(&p2, "state"), None);
    // prompt=login forces the page.
    let forced = sim
        .http
        .get(authorize_url(&sim, "&prompt=login"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(forced.status(), 200);
    // /logout ends the session.
    let out = sim
        .http
        .get(sim.url("/logout"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 200);
    let after = sim
        .http
        .get(authorize_url(&sim, ""))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 200, "session gone: the page again");
}

#[tokio::test]
async fn deny_redirects_with_access_denied_and_the_state() {
    let sim = Sim::idle().await;
    let form = [
        ("client_id", "wrapup-live-demo"),
        ("response_type", "token"),
        ("redirect_uri", REDIRECT),
        ("state", "s1"),
        ("deny", "1"),
    ];
    let res = sim
        .http
        .post(sim.url("/oauth/authorize"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let p = params_of(res.headers()[LOCATION].to_str().unwrap(), '#');
    assert_eq!(get(&p, "error"), Some("access_denied"));
    assert!(get(&p, "error_description").is_some_and(|d| !d.is_empty()));
    assert_eq!(get(&p, "state"), Some("s1"));
    assert_eq!(get(&p, "access_token"), None);
}

#[tokio::test]
async fn unknown_client_or_foreign_redirect_shows_an_error_page() {
    let sim = Sim::idle().await;
    for url in [
        sim.url(&format!("/oauth/authorize?client_id=nope&response_type=token&redirect_uri={}", urlencode(REDIRECT))),
        sim.url("/oauth/authorize?client_id=wrapup-live-demo&response_type=token&redirect_uri=https%3A%2F%2Fevil.example%2Fcb"),
        sim.url("/oauth/authorize?client_id=wrapup-live-demo&response_type=token&redirect_uri=javascript%3Aalert(1)"),
    ] {
        let res = sim.http.get(&url).send().await.unwrap();
        assert_eq!(res.status(), 400, "{url}");
        assert!(res.headers().get(LOCATION).is_none());
        assert!(res.text().await.unwrap().contains("OAuth client ID or redirect URI is invalid"));
    }
    // Loopback variants are all accepted.
    for r in [
        "http://127.0.0.1:9/x",
        "https://[::1]/",
        "http://localhost/",
    ] {
        let res = sim
            .http
            .get(sim.url(&format!(
                "/oauth/authorize?client_id=wrapup-live-demo&response_type=token&redirect_uri={}",
                urlencode(r)
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{r}");
    }
}

#[tokio::test]
async fn pkce_code_flow_issues_a_token_once_for_the_right_verifier() {
    let sim = Sim::idle().await;
    let sup = sim.supervisor_id().await;
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-abc.def~";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    // Missing challenge → error redirect in the query.
    let res = sim.http.get(sim.url(&format!("/oauth/authorize?client_id=wrapup-live-demo&response_type=code&redirect_uri={}&state=z", urlencode(REDIRECT)))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let p = params_of(res.headers()[LOCATION].to_str().unwrap(), '?');
    assert_eq!(get(&p, "error"), Some("invalid_request"));

    let form = [
        ("client_id", "wrapup-live-demo"),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("state", "st"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("user_id", sup.as_str()),
    ];
    let mut codes = vec![];
    for _ in 0..2 {
        let res = sim
            .http
            .post(sim.url("/oauth/authorize"))
            .form(&form)
            .send()
            .await
            .unwrap();
        let loc = res.headers()[LOCATION].to_str().unwrap().to_string();
        assert!(loc.starts_with(REDIRECT) && !loc.contains('#'));
        let p = params_of(&loc, '?');
        assert_eq!(get(&p, "state"), Some("st"));
        codes.push(get(&p, "code").unwrap().to_string());
    }
    let token_req = |code: &str, verifier: &str| {
        vec![
            ("grant_type".to_string(), "authorization_code".to_string()),
            ("code".into(), code.into()),
            ("redirect_uri".into(), REDIRECT.into()),
            ("client_id".into(), "wrapup-live-demo".into()),
            ("code_verifier".into(), verifier.into()),
        ]
    };
    let bad = sim
        .http
        .post(sim.url("/oauth/token"))
        .form(&token_req(&codes[1], &format!("{verifier}x")))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(bad.json::<Value>().await.unwrap()["error"], "invalid_grant");

    let ok = sim
        .http
        .post(sim.url("/oauth/token"))
        .form(&token_req(&codes[0], verifier))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 86400);
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(
        sim.get_json(token, "/api/v2/users/me").await["id"],
        sup.as_str()
    );

    let reused = sim
        .http
        .post(sim.url("/oauth/token"))
        .form(&token_req(&codes[0], verifier))
        .send()
        .await
        .unwrap();
    assert_eq!(reused.status(), 400, "codes are single-use");
}

#[tokio::test]
async fn tokens_me_head_and_delete_and_standard_401_bodies() {
    let sim = Sim::idle().await;
    let token = sim.token(None).await;
    let info = sim.get_json(&token, "/api/v2/tokens/me").await;
    assert_eq!(info["OAuthClient"]["id"], "wrapup-live-demo");
    assert!(info["organization"]["id"].is_string() && info["homeOrganization"]["id"].is_string());
    assert!(info["authorizedScope"].is_array());
    let head = sim.head(&token, "/api/v2/tokens/me").await;
    assert_eq!(head, 200);

    let missing = sim
        .http
        .get(sim.url("/api/v2/users/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 401);
    let body: Value = missing.json().await.unwrap();
    for k in [
        "message",
        "code",
        "status",
        "contextId",
        "details",
        "errors",
    ] {
        assert!(body.get(k).is_some(), "ErrorBody has {k}: {body}");
    }
    assert_eq!(body["status"], 401);
    let unknown = sim.get(&"x".repeat(40), "/api/v2/users/me").await;
    assert_eq!(unknown.status(), 401);

    let del = sim
        .http
        .delete(sim.url("/api/v2/tokens/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), 204);
    assert_eq!(
        sim.get(&token, "/api/v2/tokens/me").await.status(),
        401,
        "revoked"
    );
}

#[tokio::test]
async fn configured_token_lifetime_is_reported_and_enforced() {
    let sim = Sim::start(gc_sim::Config {
        token_lifetime: Duration::from_secs(1),
        ..test_config()
    })
    .await;
    let sup = sim.supervisor_id().await;
    let form = [
        ("client_id", "wrapup-live-demo"),
        ("response_type", "token"),
        ("redirect_uri", REDIRECT),
        ("user_id", sup.as_str()),
    ];
    let res = sim
        .http
        .post(sim.url("/oauth/authorize"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let p = params_of(res.headers()[LOCATION].to_str().unwrap(), '#');
    assert_eq!(get(&p, "expires_in"), Some("1"));
    let token = get(&p, "access_token").unwrap().to_string();
    // Wait for the explicit condition (expiry), not a fixed sleep.
    common::wait_until(|| async {
        (sim.get(&token, "/api/v2/users/me").await.status() == 401).then_some(())
    })
    .await;
}

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-refresh";

/// Signs `user` in through the PKCE code flow (page form + `/oauth/token`); the token answer.
async fn pkce_sign_in(sim: &Sim, user: &str) -> Value {
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(VERIFIER.as_bytes()));
    let form = [
        ("client_id", "wrapup-live-demo"),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("user_id", user),
    ];
    let res = sim
        .http
        .post(sim.url("/oauth/authorize"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let p = params_of(res.headers()[LOCATION].to_str().unwrap(), '?');
    let code = get(&p, "code").unwrap().to_string();
    let res = sim
        .http
        .post(sim.url("/oauth/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", "wrapup-live-demo"),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// `POST /oauth/token` with the refresh grant, form-encoded, no secret.
async fn refresh(sim: &Sim, refresh_token: &str, client_id: &str) -> (StatusCode, Value) {
    let res = sim
        .http
        .post(sim.url("/oauth/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", client_id),
        ])
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

async fn an_agent(sim: &Sim) -> String {
    sim.directory().await["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "agent")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn assert_invalid_grant(status: StatusCode, body: &Value, why: &str) {
    assert_eq!(status, 400, "{why}: {body}");
    assert_eq!(body["error"], "invalid_grant", "{why}: {body}");
    assert!(body["error_description"].is_string(), "{why}: {body}");
    assert!(body.get("access_token").is_none(), "{why}: {body}");
}

#[tokio::test]
async fn pkce_refresh_grant_issues_a_new_token_and_rotates_the_refresh_token() {
    let sim = Sim::start(gc_sim::Config {
        client_ids: vec!["wrapup-live-demo".into(), "another-client".into()],
        ..test_config()
    })
    .await;
    let agent = an_agent(&sim).await;
    let first = pkce_sign_in(&sim, &agent).await;
    let access1 = first["access_token"].as_str().unwrap();
    let refresh1 = first["refresh_token"]
        .as_str()
        .expect("PKCE answers carry a refresh_token by default");

    let (status, second) = refresh(&sim, refresh1, "wrapup-live-demo").await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["token_type"], "bearer");
    assert_eq!(second["expires_in"], 86400);
    let access2 = second["access_token"].as_str().unwrap();
    let refresh2 = second["refresh_token"].as_str().expect("rotated");
    assert_ne!(access2, access1, "a new access token");
    assert_ne!(refresh2, refresh1, "a new refresh token");
    // The refreshed token acts as the same user; the old one keeps working until its own expiry.
    for token in [access1, access2] {
        assert_eq!(
            sim.get_json(token, "/api/v2/users/me").await["id"],
            agent.as_str()
        );
    }

    let (status, body) = refresh(&sim, refresh1, "wrapup-live-demo").await;
    assert_invalid_grant(status, &body, "a used refresh token");
    let (status, body) = refresh(&sim, "not-a-refresh-token", "wrapup-live-demo").await;
    assert_invalid_grant(status, &body, "an unknown refresh token");
    let (status, body) = refresh(&sim, refresh2, "").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_client")),
        "client_id is required: {body}"
    );
    let (status, body) = refresh(&sim, refresh2, "another-client").await;
    assert_invalid_grant(status, &body, "another client's refresh token");
    let (status, body) = refresh(&sim, refresh2, "wrapup-live-demo").await;
    assert_invalid_grant(status, &body, "burnt by the refused attempt");

    let third = pkce_sign_in(&sim, &agent).await;
    sim.admin(
        "/sim/faults",
        serde_json::json!({ "expireRefreshTokens": true }),
    )
    .await;
    let (status, body) = refresh(
        &sim,
        third["refresh_token"].as_str().unwrap(),
        "wrapup-live-demo",
    )
    .await;
    assert_invalid_grant(status, &body, "an expired refresh token");
    assert_eq!(
        sim.get(third["access_token"].as_str().unwrap(), "/api/v2/users/me")
            .await
            .status(),
        200,
        "expiring refresh tokens leaves access tokens alone"
    );
}

#[tokio::test]
async fn refresh_tokens_switch_off_omits_them_and_the_implicit_grant_never_has_one() {
    let sim = Sim::start(gc_sim::Config {
        pkce_refresh_tokens: false,
        ..test_config()
    })
    .await;
    let sup = sim.supervisor_id().await;
    assert_eq!(
        sim.admin_get("/sim/faults").await["pkceRefreshTokens"],
        false
    );
    let off = pkce_sign_in(&sim, &sup).await;
    assert!(off["access_token"].is_string());
    assert!(off.get("refresh_token").is_none(), "{off}");

    sim.admin(
        "/sim/faults",
        serde_json::json!({ "pkceRefreshTokens": true }),
    )
    .await;
    let on = pkce_sign_in(&sim, &sup).await;
    let issued = on["refresh_token"].as_str().unwrap().to_string();
    let implicit = sim
        .http
        .post(sim.url("/oauth/authorize"))
        .form(&[
            ("client_id", "wrapup-live-demo"),
            ("response_type", "token"),
            ("redirect_uri", REDIRECT),
            ("user_id", sup.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let p = params_of(implicit.headers()[LOCATION].to_str().unwrap(), '#');
    assert!(get(&p, "access_token").is_some());
    assert_eq!(get(&p, "refresh_token"), None, "implicit grant: never");

    // Switching off again discards what was issued: Genesys would never have handed it out.
    sim.admin(
        "/sim/faults",
        serde_json::json!({ "pkceRefreshTokens": false }),
    )
    .await;
    let (status, body) = refresh(&sim, &issued, "wrapup-live-demo").await;
    assert_invalid_grant(status, &body, "refresh tokens switched off");
    // `reset` restores the configured default (off here).
    sim.admin(
        "/sim/faults",
        serde_json::json!({ "pkceRefreshTokens": true, "reset": true }),
    )
    .await;
    assert_eq!(
        sim.admin_get("/sim/faults").await["pkceRefreshTokens"],
        true
    );
}

#[tokio::test]
async fn short_token_lifetimes_expire_and_the_refresh_grant_recovers() {
    let sim = Sim::start(gc_sim::Config {
        token_lifetime: Duration::from_secs(3),
        ..test_config()
    })
    .await;
    let agent = an_agent(&sim).await;
    let signed_in = pkce_sign_in(&sim, &agent).await;
    assert_eq!(
        signed_in["expires_in"], 3,
        "--token-lifetime on the PKCE grant"
    );
    let expired = signed_in["access_token"].as_str().unwrap().to_string();
    common::wait_until(|| async {
        (sim.get(&expired, "/api/v2/users/me").await.status() == 401).then_some(())
    })
    .await;
    let (status, refreshed) = refresh(
        &sim,
        signed_in["refresh_token"].as_str().unwrap(),
        "wrapup-live-demo",
    )
    .await;
    assert_eq!(status, 200, "{refreshed}");
    assert_eq!(refreshed["expires_in"], 3, "--token-lifetime on refreshes");
    let me = sim
        .get_json(
            refreshed["access_token"].as_str().unwrap(),
            "/api/v2/users/me",
        )
        .await;
    assert_eq!(
        me["id"],
        agent.as_str(),
        "re-authenticated as the same user"
    );
}

#[tokio::test]
async fn sim_tokens_take_an_expires_in() {
    let sim = Sim::idle().await;
    let res = |body: Value| {
        let req = sim.http.post(sim.url("/sim/tokens")).json(&body).send();
        async move { req.await.unwrap() }
    };
    let short: Value = res(serde_json::json!({ "expiresIn": 1 }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(short["expires_in"], 1);
    let default: Value = res(serde_json::json!({})).await.json().await.unwrap();
    assert_eq!(default["expires_in"], 86400);
    assert_eq!(
        res(serde_json::json!({ "expiresIn": 0 })).await.status(),
        400
    );
    let token = short["access_token"].as_str().unwrap().to_string();
    common::wait_until(|| async {
        (sim.get(&token, "/api/v2/users/me").await.status() == 401).then_some(())
    })
    .await;
    let long = default["access_token"].as_str().unwrap();
    assert_eq!(sim.get(long, "/api/v2/users/me").await.status(), 200);
}
