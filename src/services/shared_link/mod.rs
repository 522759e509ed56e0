//! One platform connection for every widget instance of this browser (tabs, client-app frames, up to
//! ten interaction widgets), so they never exhaust the 20 channels a user and client may hold
//! (reference §4.2, §10.9). An election over a same-origin `BroadcastChannel` picks the leader (see
//! [`election`]): it runs the engine and forwards what it reports on a second channel; the others
//! follow. When the leader goes (frame closed, app stopped) the next instance takes over, recovering
//! the hand-over gap from the last event it saw.

mod election;

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};
use wrapup_core::platform::Platform;
use yew::Callback;

use self::election::{Candidate, Election, Vote};
use crate::types::live::{LiveEvent, Watch};
use crate::types::shared::{LeaderMemory, SharedEvent};

/// How often the election looks at the clock.
const ELECTION_TICK_MS: u32 = 50;

/// The shared link of one user, client and watch on one platform: the name its channels share.
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

    /// Wait until this instance leads the link. Without `BroadcastChannel` (very old browsers) every
    /// instance leads on its own connection, as before sharing existed.
    pub async fn lead(&self) -> Leadership {
        let Ok(channel) = BroadcastChannel::new(&format!("{}/election", self.name)) else {
            return Leadership::alone();
        };
        let me = Candidate {
            joined_ms: js_sys::Date::now(),
            id: format!("{:016x}", (js_sys::Math::random() * 2f64.powi(53)) as u64),
        };
        let election = Rc::new(RefCell::new(Election::new(me)));
        let (won_tx, won_rx) = oneshot::channel::<()>();
        let (lost_tx, lost_rx) = oneshot::channel::<()>();
        let signals = Rc::new(RefCell::new((Some(won_tx), Some(lost_tx))));
        // After every step: tell the waiting instance it won, or the leading one it lost.
        let settle = {
            let (election, signals) = (election.clone(), signals.clone());
            move || {
                let leads = election.borrow().leads();
                let mut signals = signals.borrow_mut();
                if leads {
                    if let Some(won) = signals.0.take() {
                        let _ = won.send(());
                    }
                } else if signals.0.is_none()
                    && let Some(lost) = signals.1.take()
                {
                    let _ = lost.send(());
                }
            }
        };
        let listener = {
            let (election, channel, settle) = (election.clone(), channel.clone(), settle.clone());
            EventListener::new(&channel.clone(), "message", move |event| {
                let Some(vote) = received::<Vote>(event) else {
                    return;
                };
                let answer = election.borrow_mut().heard(&vote, js_sys::Date::now());
                say(&channel, answer);
                settle();
            })
        };
        let ticker = {
            let (election, channel) = (election.clone(), channel.clone());
            Interval::new(ELECTION_TICK_MS, move || {
                let said = election.borrow_mut().tick(js_sys::Date::now());
                say(&channel, said);
                settle();
            })
        };
        // A removed frame or closed tab says goodbye, so the next leader need not wait out the silence.
        let goodbye = {
            let (election, channel) = (election.clone(), channel.clone());
            web_sys::window().map(|window| {
                EventListener::new(&window, "pagehide", move |_| {
                    say(&channel, election.borrow().leave())
                })
            })
        };
        say(&channel, Some(election.borrow().ask()));
        let taking_part = TakingPart {
            channel,
            election,
            _listener: listener,
            _ticker: ticker,
            _goodbye: goodbye,
        };
        let _ = won_rx.await;
        Leadership {
            lost: Some(lost_rx),
            _taking_part: Some(taking_part),
        }
    }

    /// Show what the leader forwards, by `report`, until dropped; the leader is asked for the story so far.
    pub fn follow(&self, report: Callback<LiveEvent>) -> Option<Following> {
        let channel = BroadcastChannel::new(&self.name).ok()?;
        let listener = EventListener::new(&channel, "message", move |event| {
            if let Some(event) = received::<SharedEvent>(event).and_then(SharedEvent::into_live) {
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
                if received::<SharedEvent>(event) == Some(SharedEvent::Hello) {
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

/// Leading the link until [`Leadership::lost`] resolves; dropping it hands the link over.
pub struct Leadership {
    lost: Option<oneshot::Receiver<()>>,
    _taking_part: Option<TakingPart>,
}

impl Leadership {
    fn alone() -> Self {
        Self {
            lost: None,
            _taking_part: None,
        }
    }

    /// Resolves if another instance turns out to lead (two claimed at once, the older wins); never
    /// for an instance leading alone.
    pub async fn lost(&mut self) {
        let lost = match self.lost.take() {
            Some(lost) => lost.await.is_ok(),
            None => false,
        };
        if !lost {
            futures::future::pending::<()>().await;
        }
    }
}

/// Taking part in the election: its channel, state, listener and clock.
struct TakingPart {
    channel: BroadcastChannel,
    election: Rc<RefCell<Election>>,
    _listener: EventListener,
    _ticker: Interval,
    _goodbye: Option<EventListener>,
}

impl Drop for TakingPart {
    fn drop(&mut self) {
        say(&self.channel, self.election.borrow().leave());
        self.channel.close();
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

/// Say what the election says, if anything.
fn say(channel: &BroadcastChannel, vote: Option<Vote>) {
    if let Some(vote) = vote {
        post(channel, &vote);
    }
}

/// Messages between instances travel as JSON text.
fn post(channel: &BroadcastChannel, message: &impl Serialize) {
    if let Ok(json) = serde_json::to_string(message) {
        let _ = channel.post_message(&JsValue::from_str(&json));
    }
}

/// A message from another instance, if it is one (anything else on the channel is ignored).
fn received<T: DeserializeOwned>(event: &web_sys::Event) -> Option<T> {
    let text = event.dyn_ref::<MessageEvent>()?.data().as_string()?;
    serde_json::from_str(&text).ok()
}

fn sorted(ids: &[String]) -> String {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.join(",")
}
