//! Sign-in in Chromium against gc-sim over real HTTP: a PKCE code obtained from gc-sim's sign-in form is
//! exchanged by the auth service and by the App (which then names the user from /sim/directory), a bad code
//! and an unknown refresh token are refused in words, and a token near its end offers "Renew sign-in".
#![cfg(target_arch = "wasm32")]

mod support;

use std::time::Duration;

use support::{mount, sim_get, sim_launch, sim_token, sim_url, text_of, wait_for};
use wasm_bindgen_test::*;
use web_sys::Element;
use wrapup_core::oauth::pkce::{CodeVerifier, TokenError};
use wrapup_core::oauth::state::WatchMode;
use wrapup_live::app::{App, AppProps};
use wrapup_live::services::auth;
use wrapup_live::state::session::Phase;
use wrapup_live::types::sign_in::{
    AccessToken, CodeExchange, Completion, RefreshToken, SignInError, SignInReturn,
};

wasm_bindgen_test_configure!(run_in_browser);

const WAIT: Duration = Duration::from_secs(20);

/// A loopback redirect URI gc-sim accepts and answers with CORS, so the test can read where it was sent.
fn redirect_uri() -> String {
    format!("{}/sim/directory", sim_url())
}

/// gc-sim's user with `role`: (id, name).
async fn user_with_role(role: &str) -> (String, String) {
    let directory = sim_get("/sim/directory").await;
    let user = directory["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == role)
        .unwrap_or_else(|| panic!("gc-sim has a user with role {role}"));
    (
        user["id"].as_str().unwrap().to_owned(),
        user["name"].as_str().unwrap().to_owned(),
    )
}

/// Submit gc-sim's sign-in form for `user_id` the way the page's button does, and read the code from
/// the redirect it answers with.
async fn code_for(user_id: &str, verifier: &CodeVerifier) -> CodeExchange {
    let launch = sim_launch();
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", &launch.client_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", &redirect_uri())
        .append_pair("state", "browser-test-state")
        .append_pair("code_challenge", &verifier.challenge())
        .append_pair("code_challenge_method", "S256")
        .append_pair("user_id", user_id)
        .finish();
    let response = gloo_net::http::Request::post(&format!("{}/oauth/authorize", sim_url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form)
        .unwrap()
        .send()
        .await
        .expect("gc-sim's sign-in form answers");
    let landed = url::Url::parse(&response.url()).unwrap();
    let pairs: Vec<(String, String)> = landed.query_pairs().into_owned().collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("state").as_deref(), Some("browser-test-state"));
    CodeExchange {
        code: get("code").expect("a code in the redirect"),
        verifier: verifier.clone(),
        redirect_uri: redirect_uri(),
    }
}

fn verifier() -> CodeVerifier {
    let mut bytes = [0u8; 32];
    web_sys::window()
        .unwrap()
        .crypto()
        .unwrap()
        .get_random_values_with_u8_array(&mut bytes)
        .unwrap();
    CodeVerifier::from_random_bytes(&bytes).unwrap()
}

fn text(root: &Element, selector: &str) -> String {
    text_of(root, selector).unwrap_or_default()
}

/// Whose token this is, as gc-sim's `/api/v2/users/me` says.
async fn whose(token: &AccessToken) -> String {
    let me: serde_json::Value =
        gloo_net::http::Request::get(&format!("{}/api/v2/users/me", sim_url()))
            .header("Authorization", &format!("Bearer {}", token.secret()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    me["id"].as_str().unwrap_or_default().to_owned()
}

#[wasm_bindgen_test]
async fn the_auth_service_exchanges_a_code_for_the_token_of_the_user_who_signed_in() {
    let (agent_id, _) = user_with_role("agent").await;
    let exchange = code_for(&agent_id, &verifier()).await;
    let before = js_sys::Date::now();
    let grant = auth::exchange(&sim_launch(), &exchange)
        .await
        .expect("a token");
    assert_eq!(whose(&grant.token).await, agent_id);
    let expires_at = grant
        .expires_at_ms
        .expect("gc-sim says how long the token lives");
    assert!(expires_at > before, "the expiry lies ahead");
    // The code is single-use: a second exchange is refused by gc-sim, in words.
    let again = auth::exchange(&sim_launch(), &exchange).await.unwrap_err();
    assert!(
        matches!(&again, SignInError::Token(TokenError::Refused { error, .. }) if error == "invalid_grant"),
        "{again:?}"
    );
    assert!(again.to_string().contains("already used"), "{again}");
}

#[wasm_bindgen_test]
async fn a_wrong_verifier_is_refused() {
    let (agent_id, _) = user_with_role("agent").await;
    let mut exchange = code_for(&agent_id, &verifier()).await;
    exchange.verifier = verifier();
    let refused = auth::exchange(&sim_launch(), &exchange).await.unwrap_err();
    assert!(
        refused.to_string().contains("code_verifier does not match"),
        "{refused}"
    );
}

#[wasm_bindgen_test]
async fn the_app_completes_a_returned_sign_in_and_names_the_user() {
    let (supervisor_id, supervisor_name) = user_with_role("supervisor").await;
    let exchange = code_for(&supervisor_id, &verifier()).await;
    let root = mount::<App>(AppProps {
        phase: Phase::CompletingSignIn {
            launch: sim_launch(),
            sign_in: SignInReturn {
                completion: Completion::Exchange(exchange),
                watch: WatchMode::Queues,
            },
        },
    });
    wait_for("the user's name in the top bar", WAIT, || {
        text(&root, ".top-bar .user") == supervisor_name
    })
    .await;
    wait_for("the pill to say Live", WAIT, || {
        text(&root, "[data-testid=connection]") == "Live"
    })
    .await;
    let countdown = text(&root, "[data-testid=session-countdown]");
    assert!(countdown.starts_with("Session ends in "), "{countdown}");
    assert!(root.query_selector(".sign-in").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_refused_code_goes_back_to_the_card_with_the_reason() {
    let root = mount::<App>(AppProps {
        phase: Phase::CompletingSignIn {
            launch: sim_launch(),
            sign_in: SignInReturn {
                completion: Completion::Exchange(CodeExchange {
                    code: "not-a-code-gc-sim-issued".into(),
                    verifier: verifier(),
                    redirect_uri: redirect_uri(),
                }),
                watch: WatchMode::Queues,
            },
        },
    });
    wait_for("the reason on the sign-in card", WAIT, || {
        text(&root, ".sign-in .problem").contains("invalid_grant")
    })
    .await;
    assert!(
        text(&root, ".sign-in .problem").ends_with("Press Sign in to try again."),
        "{}",
        text(&root, ".sign-in .problem")
    );
    assert!(root.query_selector(".completing").unwrap().is_none());
    assert!(root.query_selector(".feed").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_refresh_token_the_platform_does_not_know_is_refused_in_words() {
    let refused = auth::refresh(&sim_launch(), &RefreshToken::new("unknown-refresh-token"))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, SignInError::Token(TokenError::Refused { .. })),
        "{refused:?}"
    );
    assert!(
        refused.to_string().starts_with("Sign-in could not finish"),
        "{refused}"
    );
}

#[wasm_bindgen_test]
async fn a_token_near_its_end_without_refresh_offers_renew_sign_in() {
    let token = sim_token(None).await;
    let root = mount::<App>(AppProps {
        phase: Phase::SignedIn {
            launch: sim_launch(),
            token: AccessToken::new(token.as_str()),
            expires_at_ms: Some(js_sys::Date::now() + 150_000.0),
        },
    });
    wait_for("the renew notice", WAIT, || {
        text(&root, ".notice-warning button") == "Renew sign-in"
    })
    .await;
    assert!(
        text(&root, ".notice-warning").contains("cannot be renewed silently"),
        "{}",
        text(&root, ".notice-warning")
    );
    let countdown = root
        .query_selector("[data-testid=session-countdown]")
        .unwrap()
        .expect("the countdown");
    assert_eq!(countdown.text_content().unwrap(), "Session ends in 2 m");
    assert_eq!(
        countdown.get_attribute("aria-label").as_deref(),
        Some("Sign-in session ends in 2 minutes")
    );
    assert!(
        countdown
            .get_attribute("class")
            .unwrap_or_default()
            .contains("session-countdown-soon"),
        "under five minutes the countdown stands out"
    );
}
