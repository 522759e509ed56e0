//! Coalesces feed changes per animation frame: engine events queue here and reach the reducer
//! together once per `requestAnimationFrame`, so a burst of wrap-ups costs one render. A timer
//! flushes too, because background tabs get no animation frames and the rows must still land.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::Callback;

use crate::state::feed::FeedAction;

/// The latest a queued change waits when no animation frame comes (hidden tab).
const FLUSH_WITHOUT_FRAME_MS: u32 = 500;

#[derive(Default)]
struct Queue {
    actions: Vec<FeedAction>,
    timer: Option<Timeout>,
    frame_asked: bool,
}

/// Queues feed actions and hands them over once per frame.
#[derive(Clone)]
pub struct FeedBatch {
    queue: Rc<RefCell<Queue>>,
    deliver: Callback<FeedAction>,
}

impl PartialEq for FeedBatch {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.queue, &other.queue)
    }
}

impl FeedBatch {
    /// A batch delivering to `deliver` (usually the feed reducer's dispatch).
    pub fn new(deliver: Callback<FeedAction>) -> Self {
        Self {
            queue: Rc::default(),
            deliver,
        }
    }

    /// Queues `action`; consecutive outcomes of the same source merge into one.
    pub fn push(&self, action: FeedAction) {
        let mut queue = self.queue.borrow_mut();
        match (queue.actions.last_mut(), action) {
            (
                Some(FeedAction::Outcomes {
                    outcomes, source, ..
                }),
                FeedAction::Outcomes {
                    outcomes: more,
                    source: more_source,
                    ..
                },
            ) if *source == more_source => outcomes.extend(more),
            (Some(FeedAction::Pending(list)), FeedAction::Pending(newer)) => *list = newer,
            (_, action) => queue.actions.push(action),
        }
        if !queue.frame_asked {
            queue.frame_asked = true;
            let flush = self.clone();
            let on_frame = Closure::once_into_js(move || flush.flush());
            if let Some(window) = web_sys::window() {
                let _ = window.request_animation_frame(on_frame.unchecked_ref());
            }
            let flush = self.clone();
            queue.timer = Some(Timeout::new(FLUSH_WITHOUT_FRAME_MS, move || {
                // This timer's closure is running: drop it only after it returns.
                let running = flush.queue.borrow_mut().timer.take();
                wasm_bindgen_futures::spawn_local(async move { drop(running) });
                flush.flush()
            }));
        }
    }

    /// Delivers everything queued, in order.
    pub fn flush(&self) {
        let actions = {
            let mut queue = self.queue.borrow_mut();
            queue.frame_asked = false;
            queue.timer = None;
            std::mem::take(&mut queue.actions)
        };
        for action in actions {
            self.deliver.emit(action);
        }
    }
}
