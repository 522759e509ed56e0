//! The widget's PKCE sign-in built only from wrapup-core's pure functions, against a live simulator: authorize
//! URL → sign-in page → redirect → state check → token exchange → `/api/v2/users/me`; a wrong verifier and a
//! tampered state are refused.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::Sim;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LOCATION};
use serde_json::Value;
use url::Url;
use wrapup_core::oauth::pkce::{self, CodeVerifier, RedirectError, TokenError, TokenResponse};
use wrapup_core::oauth::state::{GrantKind, SignInState, StateError, WatchMode};
use wrapup_core::platform::{Launch, PlatformError};

/// The widget's page address, registered bare: launch context travels in `state`.
const REDIRECT: &str = "http://127.0.0.1:8080/";

fn launch(sim: &Sim) -> Launch {
    Launch::from_query([
        ("sim", sim.sim.base_url()),
        ("gcConversationId", "c0ffee00-1111-2222-3333-444455556666"),
        ("gcLangTag", "en-us"),
    ])
    .expect("a loopback simulator is a valid launch")
}

fn verifier(fill: u8) -> CodeVerifier {
    CodeVerifier::from_random_bytes(&[fill; 32]).unwrap()
}

/// The encoded state a tab would store, from a fixed nonce.
fn state_for(launch: &Launch, nonce: u8) -> String {
    SignInState::new(
        &[nonce; 16],
        GrantKind::Pkce,
        WatchMode::Queues,
        launch.clone(),
    )
    .unwrap()
    .encode()
}

/// The hidden inputs of the sign-in page's form, HTML-unescaped, in order.
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split(r#"<input type="hidden" name=""#)
        .skip(1)
        .map(|rest| {
            let (name, rest) = rest.split_once('"').unwrap();
            let value = rest
                .strip_prefix(r#" value=""#)
                .and_then(|v| v.split_once('"'))
                .unwrap()
                .0;
            (
                name.to_owned(),
                html_escape::decode_html_entities(value).into_owned(),
            )
        })
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Opens the authorize URL, checks the page carries the request, signs in as `user_id` and returns the redirect.
async fn sign_in(sim: &Sim, verifier: &CodeVerifier, state: &str, user_id: &str) -> Url {
    let launch = launch(sim);
    let url = pkce::authorize_url(
        &launch.platform,
        &launch.client_id,
        REDIRECT,
        state,
        verifier,
    );
    let page = sim.http.get(url.as_str()).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the sign-in page");
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<form method="post" action="/oauth/authorize">"#));
    let mut form = hidden_fields(&html);
    assert_eq!(field(&form, "response_type"), Some("code"));
    assert_eq!(field(&form, "code_challenge"), Some(&*verifier.challenge()));
    assert_eq!(field(&form, "code_challenge_method"), Some("S256"));
    assert_eq!(field(&form, "state"), Some(state));
    form.push(("user_id".into(), user_id.into()));
    let res = sim
        .http
        .post(url.join("/oauth/authorize").unwrap())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = Url::parse(res.headers()[LOCATION].to_str().unwrap()).unwrap();
    assert!(
        location.as_str().starts_with(REDIRECT) && location.fragment().is_none(),
        "the code comes back in the query of the bare redirect URI: {location}"
    );
    location
}

/// Exchanges `code` at the token endpoint with the core's form body; returns the parsed answer.
async fn exchange(
    sim: &Sim,
    code: &str,
    verifier: &CodeVerifier,
) -> Result<TokenResponse, TokenError> {
    let launch = launch(sim);
    let res = sim
        .http
        .post(pkce::token_url(&launch.platform).as_str())
        .header(CONTENT_TYPE, pkce::FORM_CONTENT_TYPE)
        .body(pkce::token_request_body(
            code,
            REDIRECT,
            &launch.client_id,
            verifier,
        ))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    pkce::parse_token_response(status, &res.text().await.unwrap())
}

/// An agent from the simulator's directory: (id, name).
async fn an_agent(sim: &Sim) -> (String, String) {
    let dir = sim.directory().await;
    let agent = dir["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "agent")
        .expect("the directory has agents");
    (
        agent["id"].as_str().unwrap().to_owned(),
        agent["name"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn pkce_sign_in_round_trip_gives_a_token_for_the_user_who_signed_in() {
    let sim = Sim::idle().await;
    let (agent_id, agent_name) = an_agent(&sim).await;
    let launch = launch(&sim);
    let verifier = verifier(7);
    let stored = state_for(&launch, 1);

    let redirect = sign_in(&sim, &verifier, &stored, &agent_id).await;
    let code = pkce::parse_redirect_query(redirect.query().unwrap(), Some(&stored)).unwrap();
    let state = SignInState::verify(Some(&code.state), Some(&stored)).unwrap();
    assert_eq!(state.launch, launch, "the launch came back through state");
    assert_eq!(
        (state.grant, state.watch),
        (GrantKind::Pkce, WatchMode::Queues)
    );

    let token = exchange(&sim, &code.code, &verifier).await.unwrap();
    assert_eq!(token.token_type.as_deref(), Some("bearer"));
    assert_eq!(
        token.expires_in,
        Some(86_400),
        "gc-sim's default token lifetime"
    );
    let me: Value = sim.get_json(&token.access_token, "/api/v2/users/me").await;
    assert_eq!(me["id"], agent_id.as_str());
    assert_eq!(me["name"], agent_name.as_str());
}

#[tokio::test]
async fn a_wrong_verifier_is_refused_by_the_platform_and_explained() {
    let sim = Sim::idle().await;
    let (agent_id, _) = an_agent(&sim).await;
    let stored = state_for(&launch(&sim), 2);
    let right = verifier(7);

    let redirect = sign_in(&sim, &right, &stored, &agent_id).await;
    let code = pkce::parse_redirect_query(redirect.query().unwrap(), Some(&stored)).unwrap();
    let refused = exchange(&sim, &code.code, &verifier(8)).await.unwrap_err();
    assert_eq!(
        refused,
        TokenError::Refused {
            status: 400,
            error: "invalid_grant".into(),
            description: Some("code_verifier does not match code_challenge".into()),
        }
    );
    assert!(
        refused.to_string().contains("Press Sign in to try again"),
        "{refused}"
    );
    // The failed attempt burnt the code: the right verifier cannot use it afterwards.
    assert!(matches!(
        exchange(&sim, &code.code, &right).await,
        Err(TokenError::Refused { status: 400, ref error, .. }) if error == "invalid_grant"
    ));
}

#[tokio::test]
async fn a_tampered_or_missing_state_is_refused_before_anything_is_trusted() {
    let sim = Sim::idle().await;
    let (agent_id, _) = an_agent(&sim).await;
    let launch = launch(&sim);
    let stored = state_for(&launch, 3);

    // Someone rewrites the state to steer the widget to a foreign host, and gets the platform to echo it.
    let mut json: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&stored).unwrap()).unwrap();
    json["sim"] = "http://evil.example:8787".into();
    let tampered = URL_SAFE_NO_PAD.encode(json.to_string());
    let redirect = sign_in(&sim, &verifier(7), &tampered, &agent_id).await;
    let query = redirect.query().unwrap();
    assert_eq!(
        pkce::parse_redirect_query(query, Some(&stored)),
        Err(RedirectError::StateMismatch)
    );
    assert_eq!(
        SignInState::verify(Some(&tampered), Some(&stored)),
        Err(StateError::Mismatch)
    );
    // Even decoded on its own, the foreign host is refused.
    assert!(matches!(
        SignInState::decode(&tampered),
        Err(StateError::Platform(PlatformError::NotLoopback(_)))
    ));

    // The same redirect with its state stripped gives no code either.
    let pairs: Vec<(String, String)> = redirect
        .query_pairs()
        .into_owned()
        .filter(|(k, _)| k != "state")
        .collect();
    let stripped = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    assert_eq!(
        pkce::parse_redirect_query(&stripped, Some(&stored)),
        Err(RedirectError::StateMissing)
    );
}
