//! Helpers shared by the browser tests: mounting a component into a fresh element, waiting for
//! the DOM, and where gc-sim is (baked in at compile time by `cargo xtask test`).

#![allow(dead_code)]

pub mod engine;

use std::time::Duration;

use web_sys::{Element, window};
use yew::BaseComponent;

/// gc-sim's origin for this run; `cargo xtask test` starts it and sets GC_SIM_URL.
pub fn sim_url() -> &'static str {
    option_env!("GC_SIM_URL").unwrap_or("http://127.0.0.1:8787")
}

/// A mounted component: its root element, and the component itself until the test ends. Dropping it
/// destroys the component, so nothing one test started (an App's live link) outlives it: instances in
/// one page share a link, and a leftover App would otherwise lead the next test's App.
pub struct Mounted {
    root: Element,
    destroy: Option<Box<dyn FnOnce()>>,
}

impl std::ops::Deref for Mounted {
    type Target = Element;

    fn deref(&self) -> &Element {
        &self.root
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(destroy) = self.destroy.take() {
            destroy();
        }
        self.root.remove();
    }
}

/// Mount `C` with `props` into a new element appended to the body.
pub fn mount<C: BaseComponent>(props: C::Properties) -> Mounted {
    let document = window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let app = yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    Mounted {
        root,
        destroy: Some(Box::new(move || app.destroy())),
    }
}

/// Let Yew's scheduler and pending futures run.
pub async fn tick() {
    gloo_timers::future::sleep(Duration::from_millis(10)).await;
}

/// Wait until `check` holds, polling every 50 ms, or panic after `timeout` with `what`.
pub async fn wait_for(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) {
    let started = js_sys::Date::now();
    while !check() {
        if js_sys::Date::now() - started > timeout.as_millis() as f64 {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        gloo_timers::future::sleep(Duration::from_millis(50)).await;
    }
}

/// Text of the first element matching `selector` under `root`.
pub fn text_of(root: &Element, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
}

/// POST JSON to gc-sim's admin API (`/sim/...`) and return the JSON answer.
pub async fn sim_admin(path: &str, body: serde_json::Value) -> serde_json::Value {
    let response = gloo_net::http::Request::post(&format!("{}{path}", sim_url()))
        .json(&body)
        .unwrap()
        .send()
        .await
        .unwrap_or_else(|e| panic!("gc-sim at {} is not reachable: {e}", sim_url()));
    assert!(response.ok(), "POST {path} answered {}", response.status());
    if response.status() == 204 {
        serde_json::Value::Null
    } else {
        response.json().await.unwrap()
    }
}

/// A fresh token for the simulator's supervisor (or `user_id`), minted through `/sim/tokens`.
pub async fn sim_token(user_id: Option<&str>) -> String {
    let body = match user_id {
        Some(id) => serde_json::json!({ "userId": id }),
        None => serde_json::json!({}),
    };
    let answer = sim_admin("/sim/tokens", body).await;
    answer["access_token"].as_str().expect("a token").to_owned()
}

/// The simulator as a platform.
pub fn sim_platform() -> wrapup_core::platform::Platform {
    wrapup_core::platform::Platform::simulator(sim_url()).unwrap()
}

/// GET JSON from gc-sim's admin API (`/sim/directory`, `/sim/faults`, …).
pub async fn sim_get(path: &str) -> serde_json::Value {
    let response = gloo_net::http::Request::get(&format!("{}{path}", sim_url()))
        .send()
        .await
        .unwrap_or_else(|e| panic!("gc-sim at {} is not reachable: {e}", sim_url()));
    assert!(response.ok(), "GET {path} answered {}", response.status());
    response.json().await.unwrap()
}

/// Revoke `token` the way a person signing out elsewhere would (`DELETE /api/v2/tokens/me`):
/// gc-sim answers 401 to it from then on and closes its channels.
pub async fn sim_revoke(token: &str) {
    let response = gloo_net::http::Request::delete(&format!("{}/api/v2/tokens/me", sim_url()))
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204, "revoking the token");
}

/// The launch a page opened with `?sim=<gc-sim>` resolves to.
pub fn sim_launch() -> wrapup_core::platform::Launch {
    wrapup_core::platform::Launch::from_query([("sim", sim_url())]).unwrap()
}

/// gc-sim's directory entry for the user, queue or wrap-up code `id` (`/sim/directory`).
pub fn directory_entry<'a>(
    directory: &'a serde_json::Value,
    list: &str,
    id: &str,
) -> &'a serde_json::Value {
    directory[list]
        .as_array()
        .and_then(|entries| entries.iter().find(|e| e["id"] == id))
        .unwrap_or_else(|| panic!("{id} is not in gc-sim's {list}"))
}

/// The first user of gc-sim's directory (`/sim/directory`) with `role` (`supervisor`, `agent`).
pub fn first_user_with_role<'a>(
    directory: &'a serde_json::Value,
    role: &str,
) -> &'a serde_json::Value {
    directory["users"]
        .as_array()
        .and_then(|users| users.iter().find(|u| u["role"] == role))
        .unwrap_or_else(|| panic!("gc-sim has no user with role {role}"))
}
