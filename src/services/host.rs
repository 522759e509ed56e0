//! The Genesys Cloud UI framing this app (`gcHostOrigin`): actions posted to it with the client-app
//! protocol, and its lifecycle hooks. Messages go only to the host origin the launch validated, and
//! are taken only from that origin and the parent window (reference §3.3).

use gloo_events::EventListener;
use web_sys::{Window, window};
use yew::Callback;

use super::js_json::{from_js, messages_from, to_js};
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
        if let Ok(message) = to_js(&action.payload()) {
            let _ = self.parent.post_message(&message, &self.origin);
        }
    }

    /// Hand each lifecycle hook the host sends to `on_hook` until the listener is dropped. A message
    /// from another origin or window, or not shaped as a hook, is ignored.
    pub fn hooks(&self, on_hook: Callback<Hook>) -> Option<EventListener> {
        let own = window()?;
        Some(messages_from(
            &own,
            self.parent.clone(),
            self.origin.clone(),
            move |data| {
                let data = from_js::<serde_json::Value>(&data).ok();
                if let Some(hook) = data.as_ref().and_then(Hook::from_message) {
                    on_hook.emit(hook);
                }
            },
        ))
    }
}
