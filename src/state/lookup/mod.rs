//! The conversation lookup: which conversation is open and how it was opened, how far the fetch has got
//! (waiting and why, until when), the analytics record with its explanation, and the real-time answer.
//! Facts only; `services::lookup` does the fetching and its events arrive as [`LookupAction::Event`].

#[cfg(test)]
mod tests;

use std::rc::Rc;

use wrapup_core::diagnosis::Explanation;
use wrapup_core::lookup::crosscheck::RealtimeConversation;
use wrapup_core::lookup::{parse_conversation_id, record_of_json};
use wrapup_core::model::analytics::Conversation;
use wrapup_core::model::parse_instant;
use yew::Reducible;

use crate::types::lookup::{LookupEvent, WaitReason};

/// How the open conversation was opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A feed row was clicked.
    Feed,
    /// Typed or pasted into the "Conversation id" field.
    Typed,
    /// The page's `?conversation=` (or `gcConversationId`) deep link, carried through sign-in.
    DeepLink,
    /// A pasted or dropped analytics JSON, explained offline (no request).
    Offline {
        /// The file's name, or "pasted JSON".
        name: String,
    },
}

/// How far the lookup has got.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Stage {
    /// Nothing looked up yet.
    #[default]
    Idle,
    /// A fetch is under way.
    Fetching,
    /// Waiting before the next try.
    Waiting {
        /// Why.
        why: WaitReason,
        /// When the next try starts (ms since epoch).
        retry_at_ms: f64,
        /// Tries so far.
        attempts: u32,
    },
    /// A final record is shown.
    Done,
    /// The deadline passed; the message says what to do.
    GaveUp(String),
    /// A failure retrying cannot fix.
    Failed(String),
}

/// Everything the panel knows about the open conversation.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LookupState {
    /// Bumped by every open; events of an older run are ignored, and a new run restarts the fetch.
    pub run: u32,
    /// The open conversation.
    pub conversation_id: Option<String>,
    /// How it was opened.
    pub source: Option<Source>,
    /// Why the last typed id or pasted JSON was refused (the open conversation stays as it was).
    pub input_error: Option<String>,
    /// How far the fetch has got (always [`Stage::Done`] offline).
    pub stage: Stage,
    /// The latest analytics record.
    pub record: Option<Rc<Conversation>>,
    /// Its explanation.
    pub explanation: Option<Rc<Explanation>>,
    /// The real-time answer: the conversation, `None` when the platform does not have it, or why it failed.
    pub realtime: Option<Result<Option<Rc<RealtimeConversation>>, String>>,
    /// When the conversation ended according to the feed, as known when it was opened.
    pub feed_end: Option<String>,
}

/// What can happen to the lookup.
#[derive(Clone, Debug, PartialEq)]
pub enum LookupAction {
    /// Open a conversation by a known-good id (a feed row or a deep link), with the feed's end time if any.
    Open {
        /// Conversation id.
        conversation_id: String,
        /// How.
        source: Source,
        /// `endTime` of the feed's row for it.
        feed_end: Option<String>,
    },
    /// The "Conversation id" field was submitted: opened when it is an id, refused with a reason otherwise.
    Typed(String),
    /// An analytics JSON to explain offline.
    Offline {
        /// The file name, or "pasted JSON".
        name: String,
        /// Its text.
        text: String,
    },
    /// A step reported by the lookup service for run `run`.
    Event {
        /// The run it belongs to.
        run: u32,
        /// What happened.
        event: LookupEvent,
    },
}

impl LookupState {
    /// Whether the service should be fetching for the current run (an online lookup not yet finished).
    pub fn wants_fetch(&self) -> bool {
        !matches!(self.source, None | Some(Source::Offline { .. }))
            && matches!(self.stage, Stage::Fetching | Stage::Waiting { .. })
    }

    /// When the conversation ended, ms since epoch: real-time `endTime`, else the record's
    /// `conversationEnd`, else the feed's end time.
    pub fn ended_at_ms(&self) -> Option<f64> {
        let realtime = match &self.realtime {
            Some(Ok(Some(c))) => c.end_time.clone(),
            _ => None,
        };
        [
            realtime,
            self.record
                .as_ref()
                .and_then(|r| r.conversation_end.clone()),
            self.feed_end.clone(),
        ]
        .into_iter()
        .flatten()
        .find_map(|text| parse_instant(&text))
        .map(|at| (at.unix_timestamp_nanos() / 1_000_000) as f64)
    }

    fn opened(&self, conversation_id: String, source: Source, feed_end: Option<String>) -> Self {
        Self {
            run: self.run.wrapping_add(1),
            conversation_id: Some(conversation_id),
            source: Some(source),
            input_error: None,
            stage: Stage::Fetching,
            record: None,
            explanation: None,
            realtime: None,
            feed_end,
        }
    }
}

impl Reducible for LookupState {
    type Action = LookupAction;

    fn reduce(self: Rc<Self>, action: LookupAction) -> Rc<Self> {
        match action {
            LookupAction::Open {
                conversation_id,
                source,
                feed_end,
            } => Rc::new(self.opened(conversation_id, source, feed_end)),
            LookupAction::Typed(text) => match parse_conversation_id(&text) {
                Ok(id) => Rc::new(self.opened(id, Source::Typed, None)),
                Err(problem) => Rc::new(Self {
                    input_error: Some(problem.to_string()),
                    ..(*self).clone()
                }),
            },
            LookupAction::Offline { name, text } => match record_of_json(&text) {
                Ok((record, explanation)) => Rc::new(Self {
                    run: self.run.wrapping_add(1),
                    conversation_id: Some(explanation.conversation_id.clone()),
                    source: Some(Source::Offline { name }),
                    input_error: None,
                    stage: Stage::Done,
                    record: Some(Rc::new(record)),
                    explanation: Some(Rc::new(explanation)),
                    realtime: None,
                    feed_end: None,
                }),
                Err(problem) => Rc::new(Self {
                    input_error: Some(format!(
                        "{name} cannot be explained: {problem}. Nothing else was changed."
                    )),
                    ..(*self).clone()
                }),
            },
            LookupAction::Event { run, event } if run == self.run && self.wants_fetch() => {
                let mut next = (*self).clone();
                match event {
                    LookupEvent::Realtime(answer) => next.realtime = Some(answer),
                    LookupEvent::Record {
                        record,
                        explanation,
                        pending,
                    } => {
                        next.record = Some(record);
                        next.explanation = Some(explanation);
                        next.stage = if pending {
                            Stage::Fetching
                        } else {
                            Stage::Done
                        };
                    }
                    LookupEvent::Waiting {
                        why,
                        retry_at_ms,
                        attempts,
                    } => {
                        next.stage = Stage::Waiting {
                            why,
                            retry_at_ms,
                            attempts,
                        }
                    }
                    LookupEvent::GaveUp(message) => next.stage = Stage::GaveUp(message),
                    LookupEvent::Failed(message) => next.stage = Stage::Failed(message),
                }
                Rc::new(next)
            }
            LookupAction::Event { .. } => self,
        }
    }
}
