//! serde values across the JavaScript boundary, as JSON: IndexedDB records and `postMessage` data;
//! and `message` events taken from one sender only.

use gloo_events::EventListener;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Window};

/// Why a value did not cross.
#[derive(Debug)]
pub enum Crossing {
    /// serde refused it (its detail says why).
    Json(serde_json::Error),
    /// The browser's `JSON` refused it.
    Js,
}

/// A JavaScript value holding `value`.
pub fn to_js(value: &impl Serialize) -> Result<JsValue, Crossing> {
    let text = serde_json::to_string(value).map_err(Crossing::Json)?;
    js_sys::JSON::parse(&text).map_err(|_| Crossing::Js)
}

/// The `T` a JavaScript value holds.
pub fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, Crossing> {
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or(Crossing::Js)?;
    serde_json::from_str(&text).map_err(Crossing::Json)
}

/// Hand `on_data` the data of each message `own` receives from the window `sender` at `origin`;
/// a message from any other window or origin is ignored. Stops when the listener is dropped.
pub fn messages_from(
    own: &Window,
    sender: Window,
    origin: String,
    on_data: impl Fn(JsValue) + 'static,
) -> EventListener {
    EventListener::new(own, "message", move |event| {
        let Some(event) = event.dyn_ref::<MessageEvent>() else {
            return;
        };
        let from_sender = event
            .source()
            .is_some_and(|source| js_sys::Object::is(&source, &sender));
        if from_sender && event.origin() == origin {
            on_data(event.data());
        }
    })
}
