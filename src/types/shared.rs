//! What widget instances of one browser say to each other over the shared link: the leader (the one
//! instance holding the platform connection) forwards what its engine reports, and a follower that
//! joins asks it for the story so far. Plain JSON over a same-origin `BroadcastChannel`; never a token.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

use wrapup_core::directory::{NamedEntity, UserMe};
use wrapup_core::export::RowSource;
use wrapup_core::tracker::WrapUpOutcome;

use super::live::{Link, LiveEvent};
use super::saved::{SavedNames, SavedRow};

/// Which part this instance plays in the connection its same-origin tabs and frames share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkRole {
    /// Holds the one notification channel and socket, and forwards what arrives.
    Leading,
    /// Shows what the leading instance forwards; takes over if it goes.
    Following,
}

/// One message on the shared link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SharedEvent {
    /// A follower joined: the leader answers with identity, link, pending legs, names and recent rows.
    Hello,
    /// Who is signed in and which queues are watched.
    Identity {
        me: UserMe,
        queues: Vec<NamedEntity>,
    },
    /// The leader's link changed state.
    Link { link: Link },
    /// The leader's link is healthy.
    Heartbeat,
    /// Legs whose outcome became known live.
    Outcomes { outcomes: Vec<WrapUpOutcome> },
    /// Legs recovered after a gap.
    RecoveredOutcomes { outcomes: Vec<WrapUpOutcome> },
    /// Legs in after-call work now.
    Pending { legs: Vec<WrapUpOutcome> },
    /// The conversations the leader's tracker has open (a new leader reads them after a hand-over).
    OpenConversations { ids: Vec<String> },
    /// Names learnt.
    Names { names: SavedNames },
    /// Topics the platform refused.
    Rejected { topics: Vec<String> },
    /// Rows the leader already showed, as it received them (a new follower's catch-up).
    Rows { rows: Vec<SavedRow> },
}

impl SharedEvent {
    /// The message forwarding an engine event, for the events followers show; the rest (frames for
    /// download, setbacks, sign-in trouble of the leader's own token) stay with the leader.
    pub fn forwarding(event: &LiveEvent) -> Option<Self> {
        Some(match event {
            LiveEvent::Identity { me, queues } => Self::Identity {
                me: me.clone(),
                queues: queues.clone(),
            },
            LiveEvent::Link(link) => Self::Link { link: link.clone() },
            LiveEvent::Heartbeat => Self::Heartbeat,
            LiveEvent::Outcomes(outcomes) => Self::Outcomes {
                outcomes: outcomes.clone(),
            },
            LiveEvent::RecoveredOutcomes(outcomes) => Self::RecoveredOutcomes {
                outcomes: outcomes.clone(),
            },
            LiveEvent::Pending(legs) => Self::Pending { legs: legs.clone() },
            LiveEvent::OpenConversations(ids) => Self::OpenConversations { ids: ids.clone() },
            LiveEvent::Names(names) => {
                let mut saved = SavedNames::default();
                saved.learn(names);
                Self::Names { names: saved }
            }
            LiveEvent::Rejected(topics) => Self::Rejected {
                topics: topics.clone(),
            },
            LiveEvent::Malformed(_)
            | LiveEvent::Setback(_)
            | LiveEvent::Recovered(_)
            | LiveEvent::SignInLapsed(_)
            | LiveEvent::Frame(_)
            | LiveEvent::Shown(_)
            | LiveEvent::Stopped(_) => return None,
        })
    }

    /// The engine event a follower routes for this message (`Hello` is for the leader).
    pub fn into_live(self) -> Option<LiveEvent> {
        Some(match self {
            Self::Hello => return None,
            Self::Identity { me, queues } => LiveEvent::Identity { me, queues },
            Self::Link { link } => LiveEvent::Link(link),
            Self::Heartbeat => LiveEvent::Heartbeat,
            Self::Outcomes { outcomes } => LiveEvent::Outcomes(outcomes),
            Self::RecoveredOutcomes { outcomes } => LiveEvent::RecoveredOutcomes(outcomes),
            Self::Pending { legs } => LiveEvent::Pending(legs),
            Self::OpenConversations { ids } => LiveEvent::OpenConversations(ids),
            Self::Names { names } => LiveEvent::Names(names.to_names()),
            Self::Rejected { topics } => LiveEvent::Rejected(topics),
            Self::Rows { rows } => LiveEvent::Shown(rows),
        })
    }
}

/// What a leader remembers to bring a new follower up to date: the latest identity, link state,
/// pending legs and open conversations, every name, and the newest final rows (a follower reads
/// older ones from the saved feed; these cover the last second the saver has not written yet).
#[derive(Clone, Debug, Default)]
pub struct LeaderMemory {
    identity: Option<SharedEvent>,
    link: Option<SharedEvent>,
    pending: Option<SharedEvent>,
    open: Option<SharedEvent>,
    names: SavedNames,
    recent: VecDeque<SavedRow>,
}

impl LeaderMemory {
    /// Final rows kept for new followers.
    pub const RECENT_ROWS: usize = 500;

    /// Remember what `event`, forwarded at `now_ms`, changes.
    pub fn note(&mut self, event: &SharedEvent, now_ms: f64) {
        match event {
            SharedEvent::Identity { .. } => self.identity = Some(event.clone()),
            SharedEvent::Link { .. } => self.link = Some(event.clone()),
            SharedEvent::Pending { .. } => self.pending = Some(event.clone()),
            SharedEvent::OpenConversations { .. } => self.open = Some(event.clone()),
            SharedEvent::Names { names } => self.names.learn(&names.to_names()),
            SharedEvent::Outcomes { outcomes } => self.keep(RowSource::Live, outcomes, now_ms),
            SharedEvent::RecoveredOutcomes { outcomes } => {
                self.keep(RowSource::Recovered, outcomes, now_ms)
            }
            SharedEvent::Hello
            | SharedEvent::Heartbeat
            | SharedEvent::Rejected { .. }
            | SharedEvent::Rows { .. } => {}
        }
    }

    fn keep(&mut self, source: RowSource, outcomes: &[WrapUpOutcome], now_ms: f64) {
        self.recent
            .extend(SavedRow::decided(outcomes, source, now_ms));
        while self.recent.len() > Self::RECENT_ROWS {
            self.recent.pop_front();
        }
    }

    /// The answer to a `Hello`, in the order a follower needs it: identity first (it reads the
    /// saved feed then), names before rows, then rows, open conversations, pending legs and the link.
    pub fn catch_up(&self) -> Vec<SharedEvent> {
        let mut answer: Vec<SharedEvent> = self.identity.iter().cloned().collect();
        answer.push(SharedEvent::Names {
            names: self.names.clone(),
        });
        answer.push(SharedEvent::Rows {
            rows: self.recent.iter().cloned().collect(),
        });
        answer.extend(self.open.iter().cloned());
        answer.extend(self.pending.iter().cloned());
        answer.extend(self.link.iter().cloned());
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wrapup_core::tracker::Outcome;

    fn leg(participant: &str, outcome: Outcome) -> WrapUpOutcome {
        WrapUpOutcome {
            conversation_id: "c1".into(),
            participant_id: participant.into(),
            user_id: Some("u1".into()),
            queue_id: None,
            media_type: Some("voice".into()),
            outcome,
            code: Some("code-1".into()),
            notes: None,
            duration_seconds: Some(4),
            end_time: None,
        }
    }

    #[test]
    fn every_forwarded_event_survives_json_and_comes_back_the_same() {
        let events = [
            LiveEvent::Identity {
                me: UserMe {
                    id: "u1".into(),
                    name: Some("Ada".into()),
                    email: None,
                },
                queues: vec![NamedEntity {
                    id: "q1".into(),
                    name: Some("Billing".into()),
                }],
            },
            LiveEvent::Link(Link::Waiting {
                attempt: 2,
                reason: "socket closed".into(),
                retry_at_ms: 99,
            }),
            LiveEvent::Heartbeat,
            LiveEvent::Outcomes(vec![leg("p1", Outcome::Submitted)]),
            LiveEvent::RecoveredOutcomes(vec![leg("p2", Outcome::TimedOut)]),
            LiveEvent::Pending(vec![leg("p3", Outcome::Pending)]),
            LiveEvent::OpenConversations(vec!["c9".into()]),
            LiveEvent::Rejected(vec!["v2.routing.queues.q9.conversations (denied)".into()]),
        ];
        for event in events {
            let shared = SharedEvent::forwarding(&event).expect("followers show it");
            let json = serde_json::to_string(&shared).unwrap();
            let back: SharedEvent = serde_json::from_str(&json).unwrap();
            assert_eq!(back.into_live(), Some(event), "{json}");
        }
        assert_eq!(
            SharedEvent::forwarding(&LiveEvent::Frame("{}".into())),
            None
        );
        assert_eq!(SharedEvent::Hello.into_live(), None);
    }

    #[test]
    fn a_new_follower_catches_up_with_identity_first_and_the_newest_rows_only() {
        let mut memory = LeaderMemory::default();
        let identity = SharedEvent::Identity {
            me: UserMe {
                id: "u1".into(),
                name: None,
                email: None,
            },
            queues: Vec::new(),
        };
        memory.note(&identity, 1.0);
        memory.note(
            &SharedEvent::Link {
                link: Link::Connecting,
            },
            1.0,
        );
        memory.note(&SharedEvent::Link { link: Link::Live }, 2.0);
        for n in 0..(LeaderMemory::RECENT_ROWS + 3) {
            let outcome = leg(&format!("p{n}"), Outcome::Submitted);
            memory.note(
                &SharedEvent::Outcomes {
                    outcomes: vec![outcome, leg("acw", Outcome::Pending)],
                },
                n as f64,
            );
        }
        memory.note(
            &SharedEvent::RecoveredOutcomes {
                outcomes: vec![leg("late", Outcome::Skipped)],
            },
            7.0,
        );
        let answer = memory.catch_up();
        assert_eq!(answer.first(), Some(&identity));
        assert_eq!(answer.last(), Some(&SharedEvent::Link { link: Link::Live }));
        let Some(SharedEvent::Rows { rows }) = answer
            .iter()
            .find(|e| matches!(e, SharedEvent::Rows { .. }))
        else {
            panic!("rows in the catch-up");
        };
        assert_eq!(rows.len(), LeaderMemory::RECENT_ROWS, "bounded");
        assert!(rows.iter().all(|r| r.outcome.outcome != Outcome::Pending));
        let last = rows.last().unwrap();
        assert_eq!(
            (
                last.outcome.participant_id.as_str(),
                last.source,
                last.received_at_ms
            ),
            ("late", RowSource::Recovered, 7.0)
        );
        assert_eq!(rows[0].outcome.participant_id, "p4", "the oldest fell out");
    }
}
