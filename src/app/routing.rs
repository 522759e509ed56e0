//! Where each engine event goes: session facts to the session reducer, feed changes through the
//! per-frame batch, and final rows and signs of life to the saver.

use wrapup_core::export::RowSource;
use wrapup_core::tracker::{Outcome, WrapUpOutcome};
use yew::prelude::*;

use super::saving::Saving;
use crate::components::feed_batch::FeedBatch;
use crate::state::feed::{FeedAction, FeedState};
use crate::state::session::{SessionAction, SessionState};
use crate::types::live::LiveEvent;
use crate::types::saved::SavedRow;

/// Route an engine event to the reducer that owns it, and feed changes to the saver.
pub fn route(
    event: LiveEvent,
    session: &UseReducerHandle<SessionState>,
    feed: &UseReducerHandle<FeedState>,
    batch: &FeedBatch,
    saving: &Saving,
) {
    let now_ms = js_sys::Date::now();
    match event {
        LiveEvent::Identity { me, queues } => {
            saving.resume(&me.id, feed);
            session.dispatch(SessionAction::Identity { me, queues })
        }
        LiveEvent::Link(link) => session.dispatch(SessionAction::Link(link)),
        LiveEvent::Heartbeat => {
            saving.saver.event_seen(now_ms);
            session.dispatch(SessionAction::Heartbeat)
        }
        LiveEvent::Frame(frame) => feed.dispatch(FeedAction::Frames(vec![frame])),
        LiveEvent::Outcomes(outcomes) => add_rows(outcomes, RowSource::Live, now_ms, saving, batch),
        LiveEvent::RecoveredOutcomes(outcomes) => {
            add_rows(outcomes, RowSource::Recovered, now_ms, saving, batch)
        }
        LiveEvent::Pending(pending) => {
            saving.saver.event_seen(now_ms);
            batch.push(FeedAction::Pending(pending))
        }
        LiveEvent::OpenConversations(ids) => saving.saver.open_conversations(ids),
        LiveEvent::Names(names) => {
            saving.saver.names(&names);
            batch.push(FeedAction::Names(names))
        }
        LiveEvent::Rejected(topics) => session.dispatch(SessionAction::Rejected(topics)),
        LiveEvent::Malformed(reason) => session.dispatch(SessionAction::Malformed(reason)),
        LiveEvent::Setback(setback) => session.dispatch(SessionAction::Setback(setback)),
        LiveEvent::Recovered(recovery) => session.dispatch(SessionAction::Recovered(recovery)),
        LiveEvent::SignInLapsed(err) => session.dispatch(SessionAction::Expired(err.to_string())),
        LiveEvent::Stopped(err) if err.needs_sign_in() => {
            session.dispatch(SessionAction::Expired(err.to_string()))
        }
        LiveEvent::Stopped(err) => session.dispatch(SessionAction::Failed(err.to_string())),
    }
}

/// Final outcomes join the feed and the saver, marked live or recovered.
fn add_rows(
    outcomes: Vec<WrapUpOutcome>,
    source: RowSource,
    now_ms: f64,
    saving: &Saving,
    batch: &FeedBatch,
) {
    saving.saver.rows(
        outcomes
            .iter()
            .filter(|outcome| outcome.outcome != Outcome::Pending)
            .map(|outcome| SavedRow {
                outcome: outcome.clone(),
                received_at_ms: now_ms,
                source,
            }),
    );
    saving.saver.event_seen(now_ms);
    batch.push(FeedAction::Outcomes {
        outcomes,
        source,
        now_ms,
    })
}
