//! One platform connection for every widget instance of this browser (tabs, client-app frames, up to
//! ten interaction widgets), so they never exhaust the 20 channels a user and client may hold
//! (reference §4.2, §10.9). A Web Lock elects the leader: the holder runs the engine and forwards what
//! it reports over a same-origin `BroadcastChannel`; the others follow. When the leader goes (frame
//! closed, app stopped) the browser releases its lock and the next instance in line takes over,
//! recovering the hand-over gap from the last event it saw.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, BroadcastChannel, MessageEvent};
use wrapup_core::platform::Platform;
use yew::Callback;

use crate::types::live::{LiveEvent, Watch};
use crate::types::shared::{LeaderMemory, SharedEvent};

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks` (web-sys has it only behind its unstable-API flag).
    type LockManager;

    #[wasm_bindgen(method, js_name = request)]
    fn request(
        this: &LockManager,
        name: &str,
        options: &JsValue,
        callback: &js_sys::Function,
    ) -> js_sys::Promise;
}

/// The shared link of one user, client and watch on one platform: its lock and channel name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedLink {
    name: String,
}

impl SharedLink {
    /// Instances share a link only when it carries exactly what each would subscribe to.
    pub fn new(platform: &Platform, client_id: &str, user_id: &str, watch: &Watch) -> Self {
        let watch = match watch {
            Watch::Me => "me".to_owned(),
            Watch::MyQueues => "my-queues".to_owned(),
            Watch::Queues(ids) => format!("queues:{}", sorted(ids)),
            Watch::Agents(ids) => format!("agents:{}", sorted(ids)),
        };
        Self {
            name: format!(
                "wrapup-live/link/{}/{client_id}/{user_id}/{watch}",
                platform.api_base()
            ),
        }
    }

    /// Wait until this instance holds the link. Without Web Locks (an old browser) every instance
    /// leads on its own connection, as before sharing existed.
    pub async fn lead(&self) -> Leadership {
        let Some(locks) = lock_manager() else {
            return Leadership::default();
        };
        let (granted_tx, granted_rx) = oneshot::channel::<()>();
        let (release_tx, release_rx) = oneshot::channel::<()>();
        let on_granted = Closure::once(move |_lock: JsValue| -> js_sys::Promise {
            let _ = granted_tx.send(());
            // Held until the Leadership is dropped (its sender goes, this resolves).
            wasm_bindgen_futures::future_to_promise(async move {
                let _ = release_rx.await;
                Ok(JsValue::UNDEFINED)
            })
        });
        let abort = AbortController::new().ok();
        let options = js_sys::Object::new();
        if let Some(abort) = &abort {
            let _ = js_sys::Reflect::set(&options, &"signal".into(), &abort.signal());
        }
        // A refused request (aborted, or the page going away) simply never grants.
        let _ = locks.request(&self.name, &options, on_granted.as_ref().unchecked_ref());
        let waiting = WaitingForLock {
            abort,
            _on_granted: Some(on_granted),
        };
        let _ = granted_rx.await;
        Leadership {
            _release: Some(release_tx),
            _waiting: Some(waiting),
        }
    }

    /// Show what the leader forwards, by `report`, until dropped; the leader is asked for the story so far.
    pub fn follow(&self, report: Callback<LiveEvent>) -> Option<Following> {
        let channel = BroadcastChannel::new(&self.name).ok()?;
        let listener = EventListener::new(&channel, "message", move |event| {
            if let Some(event) = shared_event(event).and_then(SharedEvent::into_live) {
                report.emit(event);
            }
        });
        post(&channel, &SharedEvent::Hello);
        Some(Following {
            channel,
            _listener: listener,
        })
    }

    /// Forward engine events to followers while leading (and answer newcomers) until dropped.
    pub fn forward(&self) -> Option<Forwarding> {
        let channel = BroadcastChannel::new(&self.name).ok()?;
        let memory = Rc::new(RefCell::new(LeaderMemory::default()));
        let listener = {
            let (channel, memory) = (channel.clone(), memory.clone());
            EventListener::new(&channel.clone(), "message", move |event| {
                if shared_event(event) == Some(SharedEvent::Hello) {
                    for answer in memory.borrow().catch_up() {
                        post(&channel, &answer);
                    }
                }
            })
        };
        Some(Forwarding {
            channel,
            memory,
            _listener: listener,
        })
    }
}

/// Holding the link's lock; dropping it lets the next instance lead.
#[derive(Default)]
pub struct Leadership {
    _release: Option<oneshot::Sender<()>>,
    _waiting: Option<WaitingForLock>,
}

/// A lock request still queued: dropping it withdraws the request.
struct WaitingForLock {
    abort: Option<AbortController>,
    _on_granted: Option<Closure<dyn FnMut(JsValue) -> js_sys::Promise>>,
}

impl Drop for WaitingForLock {
    fn drop(&mut self) {
        if let Some(abort) = &self.abort {
            abort.abort();
        }
    }
}

/// Following the leader; dropping it stops listening.
pub struct Following {
    channel: BroadcastChannel,
    _listener: EventListener,
}

impl Drop for Following {
    fn drop(&mut self) {
        self.channel.close();
    }
}

/// Forwarding as the leader; dropping it stops.
pub struct Forwarding {
    channel: BroadcastChannel,
    memory: Rc<RefCell<LeaderMemory>>,
    _listener: EventListener,
}

impl Forwarding {
    /// Forward `event` to every follower, if followers show it.
    pub fn send(&self, event: &LiveEvent) {
        if let Some(shared) = SharedEvent::forwarding(event) {
            self.memory.borrow_mut().note(&shared, js_sys::Date::now());
            post(&self.channel, &shared);
        }
    }
}

impl Drop for Forwarding {
    fn drop(&mut self) {
        self.channel.close();
    }
}

fn lock_manager() -> Option<LockManager> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
}

fn post(channel: &BroadcastChannel, event: &SharedEvent) {
    if let Ok(json) = serde_json::to_string(event) {
        let _ = channel.post_message(&JsValue::from_str(&json));
    }
}

/// A message from another instance, if it is one (anything else on the channel is ignored).
fn shared_event(event: &web_sys::Event) -> Option<SharedEvent> {
    let text = event.dyn_ref::<MessageEvent>()?.data().as_string()?;
    serde_json::from_str(&text).ok()
}

fn sorted(ids: &[String]) -> String {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.join(",")
}
