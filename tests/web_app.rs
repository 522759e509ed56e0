//! The whole App mounted in Chromium in each phase, with the launch handed in as props the way
//! main.rs does: signed out, signed in against gc-sim, and with a token gc-sim rejects or that lapsed.
#![cfg(target_arch = "wasm32")]

mod support;

use std::time::Duration;

use support::{
    mount, sim_admin, sim_get, sim_launch, sim_platform, sim_revoke, sim_url, text_of, tick,
    wait_for,
};
use wasm_bindgen_test::*;
use web_sys::Element;
use wrapup_live::app::{App, AppProps};
use wrapup_live::state::session::Phase;
use wrapup_live::types::sign_in::AccessToken;

wasm_bindgen_test_configure!(run_in_browser);

const WAIT: Duration = Duration::from_secs(20);

/// A fresh supervisor token from gc-sim and the phase main.rs would build from it.
async fn signed_in() -> (String, Phase) {
    let answer = sim_admin("/sim/tokens", serde_json::json!({})).await;
    let token = answer["access_token"].as_str().unwrap().to_owned();
    let lifetime_ms = answer["expires_in"].as_f64().unwrap() * 1000.0;
    let phase = Phase::SignedIn {
        launch: sim_launch(),
        token: AccessToken::new(token.as_str()),
        expires_at_ms: Some(js_sys::Date::now() + lifetime_ms),
    };
    (token, phase)
}

/// The supervisor's name as gc-sim's directory has it.
async fn supervisor_name() -> String {
    let directory = sim_get("/sim/directory").await;
    directory["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "supervisor")
        .and_then(|u| u["name"].as_str())
        .expect("gc-sim has a supervisor")
        .to_owned()
}

fn text(root: &Element, selector: &str) -> String {
    text_of(root, selector).unwrap_or_default()
}

fn feed_rows(root: &Element) -> u32 {
    root.query_selector_all("tbody tr").unwrap().length()
}

#[wasm_bindgen_test]
async fn signed_out_shows_the_sign_in_card_for_the_simulator() {
    let root = mount::<App>(AppProps {
        phase: Phase::SignedOut {
            launch: sim_launch(),
            problem: None,
        },
    });
    tick().await;
    let host = sim_url().trim_start_matches("http://");
    let button = text(&root, "#sign-in");
    assert_eq!(button, format!("Sign in to {}", sim_platform().label()));
    assert!(
        button.contains(host),
        "the label names gc-sim's address: {button}"
    );
    assert!(text(&root, ".top-bar .platform").contains(host));
    assert!(
        text(&root, ".sign-in .help").contains("local simulator"),
        "simulator help text"
    );
    assert!(root.query_selector(".feed").unwrap().is_none());
    assert!(
        root.query_selector("[data-testid=connection]")
            .unwrap()
            .is_none(),
        "no link to show before sign-in"
    );
}

#[wasm_bindgen_test]
async fn a_failed_sign_in_says_why_on_the_card() {
    let root = mount::<App>(AppProps {
        phase: Phase::SignedOut {
            launch: sim_launch(),
            problem: Some("The sign-in was denied.".into()),
        },
    });
    tick().await;
    assert_eq!(text(&root, ".sign-in .problem"), "The sign-in was denied.");
}

#[wasm_bindgen_test]
async fn signed_in_names_the_user_and_goes_live() {
    let (_, phase) = signed_in().await;
    let expected = supervisor_name().await;
    let root = mount::<App>(AppProps { phase });
    wait_for("the user's name in the top bar", WAIT, || {
        text(&root, ".top-bar .user") == expected
    })
    .await;
    wait_for("the connection pill to say Live", WAIT, || {
        text(&root, "[data-testid=connection]") == "Live"
    })
    .await;
    assert!(root.query_selector(".feed").unwrap().is_some());
    assert!(root.query_selector(".sign-in").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_token_revoked_while_in_use_asks_to_sign_in_again_and_keeps_the_rows() {
    let (token, phase) = signed_in().await;
    let root = mount::<App>(AppProps { phase });
    wait_for("the pill to say Live", WAIT, || {
        text(&root, "[data-testid=connection]") == "Live"
    })
    .await;
    // gc-sim's demo traffic reaches the supervisor within seconds at the test speed.
    wait_for("a first wrap-up row", WAIT, || feed_rows(&root) > 0).await;
    let rows_before = feed_rows(&root);

    sim_revoke(&token).await;
    wait_for("the sign-in-again notice", WAIT, || {
        root.query_selector(".notice-error").unwrap().is_some()
    })
    .await;
    let notice = text(&root, ".notice-error");
    assert!(notice.contains("expired or was revoked"), "{notice}");
    assert_eq!(text(&root, ".notice-error button"), "Sign in again");
    assert!(
        feed_rows(&root) >= rows_before,
        "rows already shown stay ({rows_before} before, {} after)",
        feed_rows(&root)
    );
    assert_eq!(text(&root, "[data-testid=connection]"), "Offline");
    assert!(root.query_selector(".sign-in").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_token_gc_sim_already_rejects_asks_to_sign_in_again() {
    let (token, phase) = signed_in().await;
    sim_revoke(&token).await;
    let root = mount::<App>(AppProps { phase });
    wait_for("the sign-in-again notice", WAIT, || {
        root.query_selector(".notice-error").unwrap().is_some()
    })
    .await;
    assert!(text(&root, ".notice-error").contains("expired or was revoked"));
    assert!(
        root.query_selector(".feed").unwrap().is_some(),
        "the feed stays"
    );
}

#[wasm_bindgen_test]
async fn a_lapsed_expiry_asks_to_sign_in_again() {
    let (_, phase) = signed_in().await;
    let Phase::SignedIn { launch, token, .. } = phase else {
        unreachable!()
    };
    let root = mount::<App>(AppProps {
        phase: Phase::SignedIn {
            launch,
            token,
            expires_at_ms: Some(js_sys::Date::now() - 1.0),
        },
    });
    wait_for("the end-of-lifetime notice", WAIT, || {
        text(&root, ".notice-error").contains("end of its lifetime")
    })
    .await;
    assert!(
        root.query_selector(".feed").unwrap().is_some(),
        "the feed stays"
    );
}
