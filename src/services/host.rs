//! The Genesys Cloud UI framing this app (`gcHostOrigin`): actions posted to it with the client-app
//! protocol, and its lifecycle hooks. Messages go only to the host origin the launch validated, and
//! are taken only from that origin and the parent window (reference §3.3).

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Window, window};
use yew::Callback;

use crate::types::host::{Hook, HostAction};

/// The framing host; cloning shares the same parent.
#[derive(Clone)]
pub struct Host {
    origin: String,
    parent: Window,
}

impl PartialEq for Host {
    fn eq(&self, other: &Self) -> bool {
        self.origin == other.origin
    }
}

impl Host {
    /// The host at `origin`, if this page is framed (the protocol only works inside a frame).
    pub fn framed_by(origin: &str) -> Option<Self> {
        let own = window()?;
        let parent = own.parent().ok()??;
        if js_sys::Object::is(&own, &parent) {
            return None;
        }
        Some(Self {
            origin: origin.to_owned(),
            parent,
        })
    }

    /// Post `action` to the host, addressed to its origin only.
    pub fn post(&self, action: &HostAction) {
        let Ok(message) = js_sys::JSON::parse(&action.payload().to_string()) else {
            return;
        };
        let _ = self.parent.post_message(&message, &self.origin);
    }

    /// Hand each lifecycle hook the host sends to `on_hook` until the listener is dropped. A message
    /// from another origin or window, or not shaped as a hook, is ignored.
    pub fn hooks(&self, on_hook: Callback<Hook>) -> Option<EventListener> {
        let own = window()?;
        let (origin, parent) = (self.origin.clone(), self.parent.clone());
        Some(EventListener::new(&own, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else {
                return;
            };
            let from_parent = event
                .source()
                .is_some_and(|source| js_sys::Object::is(&source, &parent));
            if event.origin() != origin || !from_parent {
                return;
            }
            let data = js_sys::JSON::stringify(&event.data())
                .ok()
                .and_then(|text| text.as_string())
                .and_then(|text| serde_json::from_str(&text).ok());
            if let Some(hook) = data.as_ref().and_then(Hook::from_message) {
                on_hook.emit(hook);
            }
        }))
    }
}
