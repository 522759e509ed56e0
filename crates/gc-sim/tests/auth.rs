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
