//! What the Genesys Cloud host hears about the feed: a toast when a watched wrap-up is submitted or
//! times out, and the wrap-ups in progress as the app's attention count. An interaction widget only
//! speaks of its own conversation, at once; a client app watching whole queues sums its wrap-ups up in
//! one toast at most every half minute. A toast waits briefly for the names of a new agent or code.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wrapup_core::tracker::{Outcome, WrapUpOutcome};

use crate::i18n::t;
use crate::services::host::Host;
use crate::state::feed::Directory;
use crate::types::host::{HostAction, WrapUpNews, toast_delay_ms};
use crate::types::names::Names;
use crate::view::short_id;

/// How long a toast waits for names before it shows ids.
const NAMES_WAIT_MS: f64 = 2_000.0;

/// The host's news desk for one page; clones share it.
#[derive(Clone)]
pub struct HostNews(Rc<Desk>);

struct Desk {
    host: Host,
    /// An interaction widget's conversation: the only one it speaks of.
    conversation: Option<String>,
    directory: RefCell<Directory>,
    waiting: RefCell<Vec<WrapUpOutcome>>,
    timer: RefCell<Option<Timeout>>,
    last_count: Cell<Option<usize>>,
    last_toast_ms: Cell<Option<f64>>,
}

impl PartialEq for HostNews {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl HostNews {
    /// News for `host`, about `conversation` only if given.
    pub fn new(host: Host, conversation: Option<String>) -> Self {
        Self(Rc::new(Desk {
            host,
            conversation,
            directory: RefCell::default(),
            waiting: RefCell::default(),
            timer: RefCell::default(),
            last_count: Cell::new(None),
            last_toast_ms: Cell::new(None),
        }))
    }

    /// The host to post to.
    pub fn host(&self) -> &Host {
        &self.0.host
    }

    /// Outcomes seen live: submitted and timed-out wrap-ups become a toast.
    pub fn outcomes(&self, outcomes: &[WrapUpOutcome]) {
        let news = outcomes.iter().filter(|o| {
            matches!(o.outcome, Outcome::Submitted | Outcome::TimedOut) && self.concerns(o)
        });
        self.0.waiting.borrow_mut().extend(news.cloned());
        if self.0.waiting.borrow().is_empty() {
            return;
        }
        let (paced, named) = (self.pace_ms(), self.all_named());
        if paced == 0.0 && named {
            self.flush();
        } else if self.0.timer.borrow().is_none() {
            let wait = if named {
                paced
            } else {
                paced.max(NAMES_WAIT_MS)
            };
            let news = self.clone();
            *self.0.timer.borrow_mut() = Some(Timeout::new(wait as u32, move || news.flush()));
        }
    }

    /// Names learnt: a waiting toast goes out as soon as it can name everyone (and its pace allows).
    pub fn names(&self, names: &Names) {
        self.0.directory.borrow_mut().learn(names);
        if !self.0.waiting.borrow().is_empty() && self.pace_ms() == 0.0 && self.all_named() {
            self.flush();
        }
    }

    /// The legs in after-call work now: their number is the attention count, sent when it changes.
    pub fn pending(&self, pending: &[WrapUpOutcome]) {
        let count = pending.iter().filter(|o| self.concerns(o)).count();
        if self.0.last_count.replace(Some(count)) != Some(count) {
            self.0.host.post(&HostAction::AttentionCount(count));
        }
    }

    /// How long the next toast must wait for its pace.
    fn pace_ms(&self) -> f64 {
        toast_delay_ms(
            self.0.conversation.is_some(),
            self.0.last_toast_ms.get(),
            js_sys::Date::now(),
        )
    }

    fn concerns(&self, outcome: &WrapUpOutcome) -> bool {
        self.0
            .conversation
            .as_ref()
            .is_none_or(|id| *id == outcome.conversation_id)
    }

    fn all_named(&self) -> bool {
        let directory = self.0.directory.borrow();
        self.0.waiting.borrow().iter().all(|o| {
            let agent = o
                .user_id
                .as_deref()
                .is_none_or(|id| directory.user_name(id).is_some());
            let code = o.outcome != Outcome::Submitted
                || o.code
                    .as_deref()
                    .is_none_or(|c| directory.code_text(c).is_some());
            agent && code
        })
    }

    fn flush(&self) {
        // Dropped after this returns: the timer may be the caller.
        let timer = self.0.timer.borrow_mut().take();
        wasm_bindgen_futures::spawn_local(async move { drop(timer) });
        let waiting = std::mem::take(&mut *self.0.waiting.borrow_mut());
        let directory = self.0.directory.borrow();
        let news: Vec<WrapUpNews> = waiting
            .iter()
            .map(|o| WrapUpNews {
                leg: format!("{}/{}", o.conversation_id, o.participant_id),
                agent: o
                    .user_id
                    .as_deref()
                    .map(|id| {
                        directory
                            .user_name(id)
                            .map_or_else(|| short_id(id), str::to_owned)
                    })
                    .unwrap_or_else(|| t("host-toast-an-agent")),
                submitted: (o.outcome == Outcome::Submitted).then(|| match o.code.as_deref() {
                    Some(code) => directory.code_text(code).unwrap_or_else(|| short_id(code)),
                    None => t("host-toast-no-code"),
                }),
            })
            .collect();
        if let Some(toast) = HostAction::wrap_up_toast(&news) {
            self.0.host.post(&toast);
            self.0.last_toast_ms.set(Some(js_sys::Date::now()));
        }
    }
}
