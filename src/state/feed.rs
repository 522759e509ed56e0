//! The wrap-up feed: final outcomes newest first (bounded), the legs still in after-call work,
//! and the directory names used to show them. Pure reducer: no I/O.

use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use wrapup_core::tracker::{Outcome, WrapUpOutcome};
use yew::Reducible;

use crate::types::names::{NameKind, Names};
use crate::types::saved::SavedRow;

/// Rows kept on screen; older ones drop off the end (the export issue keeps full history).
pub const MAX_ROWS: usize = 500;

/// One final outcome as shown in the feed.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedRow {
    /// `conversationId/participantId`: unique per agent leg.
    pub key: Rc<str>,
    /// What the tracker reported.
    pub outcome: Rc<WrapUpOutcome>,
    /// When the widget received it (ms since epoch), for "arrived Ns ago".
    pub received_at_ms: f64,
}

/// Id → display name for codes, users and queues, and why an id has none when the platform said.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directory {
    codes: HashMap<String, String>,
    users: HashMap<String, String>,
    queues: HashMap<String, String>,
    unresolvable: HashMap<(NameKind, String), String>,
}

impl Directory {
    /// The wrap-up code's name, if known.
    pub fn code_name(&self, id: &str) -> Option<&str> {
        self.codes.get(id).map(String::as_str)
    }
    /// The user's name, if known.
    pub fn user_name(&self, id: &str) -> Option<&str> {
        self.users.get(id).map(String::as_str)
    }
    /// The queue's name, if known.
    pub fn queue_name(&self, id: &str) -> Option<&str> {
        self.queues.get(id).map(String::as_str)
    }

    /// Why the platform gives no name for this id, once it has answered.
    pub fn why_unnamed(&self, kind: NameKind, id: &str) -> Option<&str> {
        self.unresolvable
            .get(&(kind, id.to_owned()))
            .map(String::as_str)
    }

    fn learn(&mut self, names: &Names) {
        let pairs = |list: &[wrapup_core::directory::NamedEntity]| {
            list.iter()
                .filter_map(|e| e.name.clone().map(|n| (e.id.clone(), n)))
                .collect::<Vec<_>>()
        };
        self.codes.extend(pairs(&names.codes));
        self.users.extend(pairs(&names.users));
        self.queues.extend(pairs(&names.queues));
        self.unresolvable.extend(
            names
                .unresolvable
                .iter()
                .map(|u| ((u.kind, u.id.clone()), u.reason.clone())),
        );
    }
}

/// The feed's whole state. Parts are shared through `Rc` and replaced on change, so cloning is
/// cheap and equality is a pointer comparison per part.
#[derive(Clone, Debug, Default)]
pub struct FeedState {
    /// Final outcomes, newest first, at most [`MAX_ROWS`].
    pub rows: Rc<VecDeque<FeedRow>>,
    /// Legs in after-call work right now.
    pub pending: Rc<Vec<Rc<WrapUpOutcome>>>,
    /// Names for ids.
    pub directory: Rc<Directory>,
    /// Final outcomes received this session, by kind (never decreases, unlike `rows`).
    pub totals: Totals,
}

impl PartialEq for FeedState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rows, &other.rows)
            && Rc::ptr_eq(&self.pending, &other.pending)
            && Rc::ptr_eq(&self.directory, &other.directory)
            && self.totals == other.totals
    }
}

/// Counts of final outcomes since sign-in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// With a wrap-up code.
    pub submitted: u32,
    /// ACW timed out (system code).
    pub timed_out: u32,
    /// ACW skipped.
    pub skipped: u32,
    /// No wrap-up expected.
    pub not_required: u32,
}

/// Changes to the feed.
pub enum FeedAction {
    /// Outcomes became known (in order), received at `now_ms`.
    Outcomes {
        outcomes: Vec<WrapUpOutcome>,
        now_ms: f64,
    },
    /// The current after-call-work list.
    Pending(Vec<WrapUpOutcome>),
    /// Directory names learnt.
    Names(Names),
    /// Rows kept from before the page loaded; legs already shown are skipped, the rest go after them.
    Restore(Vec<SavedRow>),
}

impl Reducible for FeedState {
    type Action = FeedAction;

    fn reduce(self: Rc<Self>, action: FeedAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            FeedAction::Outcomes { outcomes, now_ms } => {
                let rows = Rc::make_mut(&mut next.rows);
                let pending = Rc::make_mut(&mut next.pending);
                for outcome in outcomes {
                    let key: Rc<str> = outcome.leg_key().as_str().into();
                    // The tracker emits once; this guards the UI against a replayed batch too.
                    if outcome.outcome == Outcome::Pending || rows.iter().any(|row| row.key == key)
                    {
                        continue;
                    }
                    next.totals.count(outcome.outcome);
                    pending.retain(|p| {
                        !(p.conversation_id == outcome.conversation_id
                            && p.participant_id == outcome.participant_id)
                    });
                    rows.push_front(FeedRow {
                        key,
                        outcome: Rc::new(outcome),
                        received_at_ms: now_ms,
                    });
                }
                rows.truncate(MAX_ROWS);
            }
            FeedAction::Pending(pending) => {
                next.pending = Rc::new(pending.into_iter().map(Rc::new).collect())
            }
            FeedAction::Names(names) => Rc::make_mut(&mut next.directory).learn(&names),
            FeedAction::Restore(saved) => {
                let rows = Rc::make_mut(&mut next.rows);
                let mut shown: HashSet<Rc<str>> = rows.iter().map(|row| row.key.clone()).collect();
                let mut restored: Vec<FeedRow> = saved
                    .into_iter()
                    .filter(|saved| saved.outcome.outcome != Outcome::Pending)
                    .map(|saved| FeedRow {
                        key: saved.outcome.leg_key().as_str().into(),
                        outcome: Rc::new(saved.outcome),
                        received_at_ms: saved.received_at_ms,
                    })
                    .filter(|row| shown.insert(row.key.clone()))
                    .collect();
                restored.sort_by(|a, b| b.received_at_ms.total_cmp(&a.received_at_ms));
                for row in &restored {
                    next.totals.count(row.outcome.outcome);
                }
                rows.extend(restored);
                rows.truncate(MAX_ROWS);
            }
        }
        Rc::new(next)
    }
}

impl Totals {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Submitted => self.submitted += 1,
            Outcome::TimedOut => self.timed_out += 1,
            Outcome::Skipped => self.skipped += 1,
            Outcome::NotRequired => self.not_required += 1,
            Outcome::Pending => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(conv: &str, leg: &str, kind: Outcome) -> WrapUpOutcome {
        WrapUpOutcome {
            conversation_id: conv.into(),
            participant_id: leg.into(),
            user_id: Some("u1".into()),
            queue_id: None,
            media_type: Some("voice".into()),
            outcome: kind,
            code: Some("c1".into()),
            notes: None,
            duration_seconds: None,
            end_time: None,
        }
    }

    #[test]
    fn newest_first_no_duplicates_and_pending_cleared() {
        let state = Rc::new(FeedState::default());
        let state = state.reduce(FeedAction::Pending(vec![outcome(
            "a",
            "1",
            Outcome::Pending,
        )]));
        assert_eq!(state.pending.len(), 1);
        let state = state.reduce(FeedAction::Outcomes {
            outcomes: vec![
                outcome("a", "1", Outcome::Submitted),
                outcome("b", "1", Outcome::Skipped),
            ],
            now_ms: 1.0,
        });
        let state = state.reduce(FeedAction::Outcomes {
            outcomes: vec![outcome("a", "1", Outcome::Submitted)],
            now_ms: 2.0,
        });
        let keys: Vec<&str> = state.rows.iter().map(|r| &*r.key).collect();
        assert_eq!(keys, ["b/1", "a/1"]);
        assert!(
            state.pending.is_empty(),
            "a submitted leg leaves the ACW list"
        );
        assert_eq!(
            state.totals,
            Totals {
                submitted: 1,
                skipped: 1,
                ..Totals::default()
            }
        );
    }

    #[test]
    fn rows_are_bounded() {
        let mut state = Rc::new(FeedState::default());
        let batch = (0..MAX_ROWS + 20)
            .map(|i| outcome(&i.to_string(), "p", Outcome::Submitted))
            .collect();
        state = state.reduce(FeedAction::Outcomes {
            outcomes: batch,
            now_ms: 0.0,
        });
        assert_eq!(state.rows.len(), MAX_ROWS);
        assert_eq!(state.totals.submitted as usize, MAX_ROWS + 20);
        assert_eq!(&*state.rows[0].key, format!("{}/p", MAX_ROWS + 19));
    }

    #[test]
    fn restored_rows_follow_live_ones_without_duplicates() {
        let saved = |conv: &str, received_at_ms: f64| SavedRow {
            outcome: outcome(conv, "1", Outcome::Submitted),
            received_at_ms,
            source: crate::types::saved::RowSource::Live,
        };
        let state = Rc::new(FeedState::default())
            .reduce(FeedAction::Outcomes {
                outcomes: vec![outcome("live", "1", Outcome::Skipped)],
                now_ms: 50.0,
            })
            .reduce(FeedAction::Restore(vec![
                saved("old", 10.0),
                saved("live", 5.0),
                saved("newer", 20.0),
            ]));
        let keys: Vec<&str> = state.rows.iter().map(|r| &*r.key).collect();
        assert_eq!(keys, ["live/1", "newer/1", "old/1"]);
        assert_eq!(
            state.rows[0].outcome.outcome,
            Outcome::Skipped,
            "the live row stays"
        );
        assert_eq!(state.rows[1].received_at_ms, 20.0);
        assert_eq!(state.totals.submitted, 2);
    }

    #[test]
    fn names_are_learnt() {
        let names = Names {
            codes: vec![wrapup_core::directory::NamedEntity {
                id: "c1".into(),
                name: Some("Resolved".into()),
            }],
            ..Names::default()
        };
        let state = Rc::new(FeedState::default()).reduce(FeedAction::Names(names));
        assert_eq!(state.directory.code_name("c1"), Some("Resolved"));
        assert_eq!(state.directory.user_name("u1"), None);
    }

    #[test]
    fn reasons_for_missing_names_are_kept_per_kind() {
        let names = Names {
            unresolvable: vec![crate::types::names::Unresolvable {
                kind: NameKind::Code,
                id: "c9".into(),
                reason: "not visible to you".into(),
            }],
            ..Names::default()
        };
        let state = Rc::new(FeedState::default()).reduce(FeedAction::Names(names));
        assert_eq!(
            state.directory.why_unnamed(NameKind::Code, "c9"),
            Some("not visible to you")
        );
        assert_eq!(state.directory.why_unnamed(NameKind::User, "c9"), None);
        assert_eq!(state.directory.code_name("c9"), None);
    }
}
