//! Helpers shared by the browser tests: mounting a component into a fresh element, waiting for
//! the DOM, and where gc-sim is (baked in at compile time by `cargo xtask test`).

#![allow(dead_code)]

use std::time::Duration;

use web_sys::{Element, window};
use yew::BaseComponent;

/// gc-sim's origin for this run; `cargo xtask test` starts it and sets GC_SIM_URL.
pub fn sim_url() -> &'static str {
    option_env!("GC_SIM_URL").unwrap_or("http://127.0.0.1:8787")
}

/// Mount `C` with `props` into a new element appended to the body.
pub fn mount<C: BaseComponent>(props: C::Properties) -> Element {
    let document = window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    root
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
    root.query_selector(selector).ok().flatten().and_then(|e| e.text_content())
}
