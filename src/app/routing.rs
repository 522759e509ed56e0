//! Where each engine event goes: session facts to the session reducer, feed changes through the
//! per-frame batch, and final rows and signs of life to the saver.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wrapup_core::export::RowSource;
use wrapup_core::tracker::{Outcome, WrapUpOutcome};

use yew::prelude::*;

use super::host_news::HostNews;
use super::saving::Saving;
use crate::components::feed_batch::FeedBatch;
use crate::state::feed::{FeedAction, FeedRow, FeedState};
use crate::state::session::{SessionAction, SessionState};
use crate::types::lag::ProbeTarget;
use crate::types::live::LiveEvent;
use crate::types::saved::SavedRow;

/// Where engine events go besides the reducers.
pub struct Listeners {
    /// This sign-in's saver.
    pub saving: Rc<Saving>,
    /// Live wrap-ups offered to the lag probe.
    pub probe: LagTargets,
    /// The Genesys Cloud host, when framed by one.
    pub host: Option<HostNews>,
}

/// Route an engine event to the reducer that owns it, and feed changes to the saver and the host.
pub fn route(
    event: LiveEvent,
    session: &UseReducerHandle<SessionState>,
    feed: &UseReducerHandle<FeedState>,
    batch: &FeedBatch,
    listeners: &Listeners,
) {
    let (saving, probe) = (&*listeners.saving, &listeners.probe);
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
        LiveEvent::Outcomes(outcomes) => {
            probe.offer(&outcomes, now_ms);
            if let Some(host) = &listeners.host {
                host.outcomes(&outcomes);
            }
            add_rows(outcomes, RowSource::Live, now_ms, saving, batch)
        }
        LiveEvent::RecoveredOutcomes(outcomes) => {
            add_rows(outcomes, RowSource::Recovered, now_ms, saving, batch)
        }
        LiveEvent::Shown(rows) => {
            saving.saver.rows(rows.iter().cloned());
            batch.push(FeedAction::Restore(
                rows.into_iter().map(FeedRow::from).collect(),
            ))
        }
        LiveEvent::Pending(pending) => {
            saving.saver.event_seen(now_ms);
            if let Some(host) = &listeners.host {
                host.pending(&pending);
            }
            batch.push(FeedAction::Pending(pending))
        }
        LiveEvent::OpenConversations(ids) => saving.saver.open_conversations(ids),
        LiveEvent::Names(names) => {
            saving.saver.names(&names);
            if let Some(host) = &listeners.host {
                host.names(&names);
            }
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

/// The newest submitted wrap-ups seen live, for the lag probe to take (recovered ones are not live,
/// so their lag would say nothing about analytics).
#[derive(Clone, Default)]
pub struct LagTargets(Rc<RefCell<VecDeque<ProbeTarget>>>);

impl PartialEq for LagTargets {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl LagTargets {
    /// Wrap-ups kept waiting; the probe always takes the newest.
    const KEPT: usize = 20;

    fn offer(&self, outcomes: &[WrapUpOutcome], now_ms: f64) {
        let mut waiting = self.0.borrow_mut();
        for outcome in outcomes.iter().filter(|o| o.outcome == Outcome::Submitted) {
            if let Some(code) = &outcome.code {
                waiting.push_back(ProbeTarget {
                    conversation_id: outcome.conversation_id.clone(),
                    participant_id: outcome.participant_id.clone(),
                    code: code.clone(),
                    seen_live_ms: now_ms as u64,
                });
            }
        }
        while waiting.len() > Self::KEPT {
            waiting.pop_front();
        }
    }

    /// The newest wrap-up offered since the last call; older ones are dropped (they are stale now).
    pub fn take_newest(&self) -> Option<ProbeTarget> {
        let mut waiting = self.0.borrow_mut();
        let newest = waiting.pop_back();
        waiting.clear();
        newest
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
    saving
        .saver
        .rows(SavedRow::decided(&outcomes, source, now_ms));
    saving.saver.event_seen(now_ms);
    batch.push(FeedAction::Outcomes {
        outcomes,
        source,
        now_ms,
    })
}
