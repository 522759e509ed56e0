//! A polite live region telling screen-reader users how many wrap-ups arrived, at most once every
//! few seconds, so a busy feed does not talk over everything else.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::i18n::t_args;

/// Shortest time between two announcements.
pub const ANNOUNCE_EVERY_MS: u32 = 10_000;

/// Props for [`FeedAnnouncer`].
#[derive(Properties, PartialEq)]
pub struct FeedAnnouncerProps {
    /// Decided rows added since the feed started.
    pub arrived: u64,
}

#[derive(Default)]
struct Throttle {
    announced: u64,
    latest: u64,
    last_ms: f64,
    timer: Option<Timeout>,
}

/// The visually hidden `role="status"` region.
#[function_component(FeedAnnouncer)]
pub fn feed_announcer(props: &FeedAnnouncerProps) -> Html {
    let start = props.arrived;
    let throttle = use_mut_ref(move || Throttle {
        announced: start,
        latest: start,
        ..Throttle::default()
    });
    let text = use_state(String::new);
    {
        let (throttle, text) = (throttle.clone(), text.clone());
        use_effect_with(props.arrived, move |&arrived| {
            let mut t = throttle.borrow_mut();
            t.latest = arrived;
            if arrived > t.announced && t.timer.is_none() {
                let wait =
                    (t.last_ms + f64::from(ANNOUNCE_EVERY_MS) - js_sys::Date::now()).max(0.0);
                let shared: Rc<RefCell<Throttle>> = throttle.clone();
                t.timer = Some(Timeout::new(wait as u32, move || {
                    let mut t = shared.borrow_mut();
                    let new = t.latest - t.announced;
                    t.announced = t.latest;
                    t.last_ms = js_sys::Date::now();
                    // This closure is the timer's: drop it only after it returns.
                    let running = t.timer.take();
                    wasm_bindgen_futures::spawn_local(async move { drop(running) });
                    text.set(t_args("feed-announce-new", &[("count", new.into())]));
                }));
            }
        });
    }
    html! {
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="feed-announcer">
            { (*text).clone() }
        </div>
    }
}
