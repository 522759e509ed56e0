//! What the interaction widget's context service reports while it loads one context list (the customer's
//! recent conversations, or the agent's last wrap-ups): the values `services::context` produces and
//! `state::interaction` keeps.

use std::rc::Rc;

use wrapup_core::history::HistoryRow;

/// Which context list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContextList {
    /// The customer's recent conversations (by ANI).
    Customer,
    /// The agent's last wrap-ups.
    Agent,
}

impl ContextList {
    /// A short machine name for tests and styling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Agent => "agent",
        }
    }
}

/// One step of loading a context list.
#[derive(Clone, Debug, PartialEq)]
pub enum ContextEvent {
    /// The platform refused or failed for now (429, 502/503/504, network); trying again at `retry_at_ms`.
    Waiting {
        /// What the platform answered, in words.
        why: String,
        /// When the next try goes out (ms since epoch).
        retry_at_ms: f64,
    },
    /// The rows, newest first, capped, without the open conversation.
    Loaded(Rc<Vec<HistoryRow>>),
    /// Stopped; the message says what happened and what to do.
    Failed(String),
}
