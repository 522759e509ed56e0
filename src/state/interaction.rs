//! The interaction widget's context lists (the customer's recent conversations, the agent's last wrap-ups):
//! for whom each is loaded (the caller's address, the agent's user id), how far loading has got and the rows.
//! Facts only; `services::context` loads, and its events arrive as [`InteractionAction::Event`]. The open
//! conversation itself (real-time answer, analytics record, verdicts) is a `state::lookup::LookupState`.

use std::rc::Rc;

use wrapup_core::history::HistoryRow;
use yew::Reducible;

use crate::types::interaction::{ContextEvent, ContextList};

/// How far one context list has got.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum ContextStatus {
    /// Waiting for the conversation to say whom to look up.
    #[default]
    Idle,
    /// Nothing to look up; the text says why.
    NotAvailable(String),
    /// The query is under way.
    Loading,
    /// Waiting before the next try.
    Waiting {
        /// What the platform answered, in words.
        why: String,
        /// When the next try goes out (ms since epoch).
        retry_at_ms: f64,
    },
    /// The rows, newest first.
    Loaded(Rc<Vec<HistoryRow>>),
    /// Stopped; the text says what happened and what to do.
    Failed(String),
}

/// One context list: whom it is for and how far it has got.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ContextState {
    /// The caller's address (customer list) or the agent's user id (agent list).
    pub key: Option<String>,
    /// How far it has got.
    pub status: ContextStatus,
}

impl ContextState {
    /// The key to load for, while the list wants loading.
    pub fn wants_fetch(&self) -> Option<&str> {
        match self.status {
            ContextStatus::Loading | ContextStatus::Waiting { .. } => self.key.as_deref(),
            _ => None,
        }
    }
}

/// Both context lists.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct InteractionState {
    /// The customer's recent conversations.
    pub customer: ContextState,
    /// The agent's last wrap-ups.
    pub agent: ContextState,
}

/// What can happen to the context lists.
#[derive(Clone, Debug, PartialEq)]
pub enum InteractionAction {
    /// The conversation says whom `list` is for: `Some(key)` starts loading (unless already loading or loaded
    /// for that key), `None` says why there is nothing to load.
    Subject {
        /// Which list.
        list: ContextList,
        /// The caller's address or the agent's user id.
        key: Option<String>,
        /// Why there is nothing to load, when `key` is `None`.
        unavailable: String,
    },
    /// A step reported by the context service for `list` loaded for `key` (ignored when the key has changed).
    Event {
        /// Which list.
        list: ContextList,
        /// For whom it was loaded.
        key: String,
        /// What happened.
        event: ContextEvent,
    },
}

impl InteractionState {
    /// One list.
    pub fn list(&self, list: ContextList) -> &ContextState {
        match list {
            ContextList::Customer => &self.customer,
            ContextList::Agent => &self.agent,
        }
    }

    fn with(&self, list: ContextList, state: ContextState) -> Self {
        let mut next = self.clone();
        match list {
            ContextList::Customer => next.customer = state,
            ContextList::Agent => next.agent = state,
        }
        next
    }
}

impl Reducible for InteractionState {
    type Action = InteractionAction;

    fn reduce(self: Rc<Self>, action: InteractionAction) -> Rc<Self> {
        match action {
            InteractionAction::Subject {
                list,
                key: Some(key),
                ..
            } => {
                let current = self.list(list);
                if current.key.as_deref() == Some(key.as_str())
                    && !matches!(current.status, ContextStatus::NotAvailable(_))
                {
                    return self;
                }
                Rc::new(self.with(
                    list,
                    ContextState {
                        key: Some(key),
                        status: ContextStatus::Loading,
                    },
                ))
            }
            InteractionAction::Subject {
                list,
                key: None,
                unavailable,
            } => {
                let current = self.list(list);
                if current.key.is_some() {
                    // Once known, a later source without it does not take it back.
                    return self;
                }
                Rc::new(self.with(
                    list,
                    ContextState {
                        key: None,
                        status: ContextStatus::NotAvailable(unavailable),
                    },
                ))
            }
            InteractionAction::Event { list, key, event } => {
                let current = self.list(list);
                if current.key.as_deref() != Some(key.as_str()) || current.wants_fetch().is_none() {
                    return self;
                }
                let status = match event {
                    ContextEvent::Waiting { why, retry_at_ms } => {
                        ContextStatus::Waiting { why, retry_at_ms }
                    }
                    ContextEvent::Loaded(rows) => ContextStatus::Loaded(rows),
                    ContextEvent::Failed(message) => ContextStatus::Failed(message),
                };
                Rc::new(self.with(
                    list,
                    ContextState {
                        key: Some(key),
                        status,
                    },
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(state: InteractionState, action: InteractionAction) -> InteractionState {
        (*Rc::new(state).reduce(action)).clone()
    }

    fn subject(list: ContextList, key: Option<&str>) -> InteractionAction {
        InteractionAction::Subject {
            list,
            key: key.map(str::to_owned),
            unavailable: "no caller number".into(),
        }
    }

    fn event(list: ContextList, key: &str, event: ContextEvent) -> InteractionAction {
        InteractionAction::Event {
            list,
            key: key.into(),
            event,
        }
    }

    #[test]
    fn a_known_subject_loads_once_and_its_rows_arrive() {
        let state = reduce(
            InteractionState::default(),
            subject(ContextList::Customer, Some("tel:+1")),
        );
        assert_eq!(state.customer.wants_fetch(), Some("tel:+1"));
        assert_eq!(state.agent.status, ContextStatus::Idle);
        let same = reduce(
            state.clone(),
            subject(ContextList::Customer, Some("tel:+1")),
        );
        assert_eq!(same, state, "the same subject does not restart");
        let waiting = reduce(
            state,
            event(
                ContextList::Customer,
                "tel:+1",
                ContextEvent::Waiting {
                    why: "429".into(),
                    retry_at_ms: 5.0,
                },
            ),
        );
        assert_eq!(
            waiting.customer.wants_fetch(),
            Some("tel:+1"),
            "still loading while it waits"
        );
        let rows = Rc::new(Vec::new());
        let loaded = reduce(
            waiting,
            event(
                ContextList::Customer,
                "tel:+1",
                ContextEvent::Loaded(rows.clone()),
            ),
        );
        assert_eq!(loaded.customer.status, ContextStatus::Loaded(rows));
        assert_eq!(loaded.customer.wants_fetch(), None);
        let again = reduce(loaded.clone(), subject(ContextList::Customer, None));
        assert_eq!(
            again, loaded,
            "a source without the address does not take it back"
        );
    }

    #[test]
    fn a_new_subject_restarts_and_stale_events_are_ignored() {
        let state = reduce(
            InteractionState::default(),
            subject(ContextList::Agent, Some("u-1")),
        );
        let moved = reduce(state, subject(ContextList::Agent, Some("u-2")));
        assert_eq!(moved.agent.wants_fetch(), Some("u-2"));
        let stale = reduce(
            moved.clone(),
            event(
                ContextList::Agent,
                "u-1",
                ContextEvent::Failed("gone".into()),
            ),
        );
        assert_eq!(stale, moved);
        let failed = reduce(
            moved,
            event(
                ContextList::Agent,
                "u-2",
                ContextEvent::Failed("403".into()),
            ),
        );
        assert_eq!(failed.agent.status, ContextStatus::Failed("403".into()));
    }

    #[test]
    fn no_subject_says_why() {
        let state = reduce(
            InteractionState::default(),
            subject(ContextList::Customer, None),
        );
        assert_eq!(
            state.customer.status,
            ContextStatus::NotAvailable("no caller number".into())
        );
        let found = reduce(state, subject(ContextList::Customer, Some("tel:+1")));
        assert_eq!(found.customer.wants_fetch(), Some("tel:+1"));
    }
}
