//! The live engine run in the background of a browser test, recording every event it reports; it
//! stops when dropped.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::{AbortHandle, Abortable};
use wrapup_live::services::api::Api;
use wrapup_live::services::live::LiveEngine;
use wrapup_live::types::live::LiveEvent;
use yew::Callback;

/// A running engine and what it has said so far.
pub struct RecordedEngine {
    pub events: Rc<RefCell<Vec<LiveEvent>>>,
    stop: AbortHandle,
}

impl RecordedEngine {
    /// Start an engine on `api`.
    pub fn start(api: Api) -> Self {
        let events = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&events);
        let report = Callback::from(move |event| sink.borrow_mut().push(event));
        let (stop, registration) = AbortHandle::new_pair();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = Abortable::new(LiveEngine::new(api, report).run(), registration).await;
        });
        Self { events, stop }
    }

    /// Whether any event so far matches.
    pub fn any(&self, predicate: impl Fn(&LiveEvent) -> bool) -> bool {
        self.events.borrow().iter().any(predicate)
    }

    /// How many events so far match.
    pub fn count(&self, predicate: impl Fn(&LiveEvent) -> bool) -> usize {
        self.events.borrow().iter().filter(|e| predicate(e)).count()
    }
}

impl Drop for RecordedEngine {
    fn drop(&mut self) {
        self.stop.abort();
    }
}
