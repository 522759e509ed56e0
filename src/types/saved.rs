//! What the widget keeps in the browser between page loads: the feed's final rows, the names learnt
//! and when the last event arrived, filed per user and environment. Never the token.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use wrapup_core::directory::NamedEntity;
use wrapup_core::platform::Platform;
use wrapup_core::tracker::{Outcome, WrapUpOutcome};

use super::names::{NameKind, Names, Unresolvable};

/// Whose saved feed this is: one signed-in user on one environment. Two users sharing a browser, or
/// one user on two environments, never see each other's rows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StoreKey {
    /// The environment domain (`mypurecloud.ie`) or the simulator's origin (`http://127.0.0.1:8787`).
    pub environment: String,
    /// The signed-in user's id, from `users/me`.
    pub user_id: String,
}

impl StoreKey {
    /// The key of `user_id` signed in to `platform`.
    pub fn new(user_id: &str, platform: &Platform) -> Self {
        let environment = match platform {
            Platform::Genesys(env) => env.domain.to_owned(),
            Platform::Simulator { origin } => origin.origin().ascii_serialization(),
        };
        Self {
            environment,
            user_id: user_id.to_owned(),
        }
    }
}

/// How a row reached the feed: one type from the export to the saved feed.
pub use wrapup_core::export::RowSource;

/// One final outcome as kept between page loads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedRow {
    /// What the tracker reported.
    pub outcome: WrapUpOutcome,
    /// When the widget first received it (ms since epoch).
    pub received_at_ms: f64,
    /// Live or recovered.
    pub source: RowSource,
}

impl SavedRow {
    /// The rows `outcomes` make when received at `now_ms` by `source`: decided legs only (a leg in
    /// after-call work is no row yet).
    pub fn decided(
        outcomes: &[WrapUpOutcome],
        source: RowSource,
        now_ms: f64,
    ) -> impl Iterator<Item = SavedRow> + '_ {
        outcomes
            .iter()
            .filter(|outcome| outcome.outcome != Outcome::Pending)
            .map(move |outcome| SavedRow {
                outcome: outcome.clone(),
                received_at_ms: now_ms,
                source,
            })
    }

    /// When the wrap-up ended (ms since epoch), or when it was received if the platform gave no end:
    /// retention trims by this, oldest first.
    pub fn end_ms(&self) -> f64 {
        self.outcome
            .end_time
            .as_deref()
            .and_then(wrapup_core::model::parse_instant)
            .map(|at| (at.unix_timestamp_nanos() / 1_000_000) as f64)
            .unwrap_or(self.received_at_ms)
    }
}

/// Which directory an unnamed id belongs to, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum SavedKind {
    Code,
    User,
    Queue,
}

impl From<NameKind> for SavedKind {
    fn from(kind: NameKind) -> Self {
        match kind {
            NameKind::Code => Self::Code,
            NameKind::User => Self::User,
            NameKind::Queue => Self::Queue,
        }
    }
}

impl From<SavedKind> for NameKind {
    fn from(kind: SavedKind) -> Self {
        match kind {
            SavedKind::Code => Self::Code,
            SavedKind::User => Self::User,
            SavedKind::Queue => Self::Queue,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct SavedUnresolvable {
    kind: SavedKind,
    id: String,
    reason: String,
}

/// Every directory name learnt so far (id → name per kind), and the ids the platform will not name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedNames {
    codes: BTreeMap<String, String>,
    users: BTreeMap<String, String>,
    queues: BTreeMap<String, String>,
    unresolvable: Vec<SavedUnresolvable>,
}

impl SavedNames {
    /// Add what a look-up learnt; a later answer for the same id wins.
    pub fn learn(&mut self, names: &Names) {
        for kind in NameKind::ALL {
            let known = match kind {
                NameKind::Code => &mut self.codes,
                NameKind::User => &mut self.users,
                NameKind::Queue => &mut self.queues,
            };
            for entity in names.of_kind(kind) {
                if let Some(name) = &entity.name {
                    known.insert(entity.id.clone(), name.clone());
                }
            }
        }
        for unnamed in &names.unresolvable {
            let kind = SavedKind::from(unnamed.kind);
            self.unresolvable
                .retain(|u| !(u.kind == kind && u.id == unnamed.id));
            self.unresolvable.push(SavedUnresolvable {
                kind,
                id: unnamed.id.clone(),
                reason: unnamed.reason.clone(),
            });
        }
    }

    /// The names as the feed takes them.
    pub fn to_names(&self) -> Names {
        let entities = |known: &BTreeMap<String, String>| {
            known
                .iter()
                .map(|(id, name)| NamedEntity {
                    id: id.clone(),
                    name: Some(name.clone()),
                })
                .collect()
        };
        Names {
            codes: entities(&self.codes),
            users: entities(&self.users),
            queues: entities(&self.queues),
            unresolvable: self
                .unresolvable
                .iter()
                .map(|u| Unresolvable {
                    kind: u.kind.into(),
                    id: u.id.clone(),
                    reason: u.reason.clone(),
                })
                .collect(),
        }
    }

    /// Whether nothing was learnt.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
            && self.users.is_empty()
            && self.queues.is_empty()
            && self.unresolvable.is_empty()
    }
}

/// When the last event before the page closed arrived, and which conversations were still open then:
/// a resumed feed reads those by id and searches analytics for what happened since.
#[derive(Clone, Debug, PartialEq)]
pub struct ResumePoint {
    /// The last heartbeat or outcome seen (ms since epoch).
    pub last_event_ms: f64,
    /// Conversations the tracker had open (they may have ended while the page was away).
    pub open_conversations: Vec<String>,
}

/// Everything kept for one [`StoreKey`], as a load returns it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Saved {
    /// Final rows, oldest end time first.
    pub rows: Vec<SavedRow>,
    /// Directory names learnt.
    pub names: SavedNames,
    /// When the last event arrived, if one was ever saved.
    pub last_event_ms: Option<f64>,
    /// Conversations open at the last save.
    pub open_conversations: Vec<String>,
}

impl Saved {
    /// Where a resumed feed picks up, if anything was seen before.
    pub fn resume_point(&self) -> Option<ResumePoint> {
        self.last_event_ms.map(|last_event_ms| ResumePoint {
            last_event_ms,
            open_conversations: self.open_conversations.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wrapup_core::tracker::Outcome;

    fn row(end_time: Option<&str>, received_at_ms: f64) -> SavedRow {
        SavedRow {
            outcome: WrapUpOutcome {
                conversation_id: "c".into(),
                participant_id: "p".into(),
                user_id: None,
                queue_id: None,
                media_type: None,
                outcome: Outcome::Submitted,
                code: None,
                notes: None,
                duration_seconds: None,
                end_time: end_time.map(Into::into),
            },
            received_at_ms,
            source: RowSource::Recovered,
        }
    }

    #[test]
    fn end_time_orders_rows_and_falls_back_to_arrival() {
        assert_eq!(row(Some("1970-01-01T00:00:01.500Z"), 9.0).end_ms(), 1500.0);
        assert_eq!(row(None, 9.0).end_ms(), 9.0);
        assert_eq!(row(Some("not a time"), 9.0).end_ms(), 9.0);
    }

    #[test]
    fn rows_round_trip_through_json() {
        let saved = row(Some("2026-11-21T10:15:30.000Z"), 12.5);
        let text = serde_json::to_string(&saved).unwrap();
        assert!(text.contains("\"source\":\"recovered\""), "{text}");
        assert_eq!(serde_json::from_str::<SavedRow>(&text).unwrap(), saved);
    }

    #[test]
    fn names_merge_and_come_back_as_learnt() {
        let mut saved = SavedNames::default();
        saved.learn(&Names {
            codes: vec![NamedEntity {
                id: "c1".into(),
                name: Some("Old".into()),
            }],
            unresolvable: vec![Unresolvable {
                kind: NameKind::User,
                id: "u9".into(),
                reason: "deleted".into(),
            }],
            ..Names::default()
        });
        saved.learn(&Names {
            codes: vec![NamedEntity {
                id: "c1".into(),
                name: Some("Resolved".into()),
            }],
            unresolvable: vec![Unresolvable {
                kind: NameKind::User,
                id: "u9".into(),
                reason: "in another division".into(),
            }],
            ..Names::default()
        });
        let names = saved.to_names();
        assert_eq!(names.codes[0].name.as_deref(), Some("Resolved"));
        assert_eq!(names.unresolvable.len(), 1);
        assert_eq!(names.unresolvable[0].reason, "in another division");
    }

    #[test]
    fn keys_separate_users_and_environments() {
        let ie = Platform::from_domain("mypurecloud.ie").unwrap();
        let de = Platform::from_domain("mypurecloud.de").unwrap();
        let sim = Platform::simulator("http://127.0.0.1:8787/").unwrap();
        assert_ne!(StoreKey::new("u1", &ie), StoreKey::new("u1", &de));
        assert_ne!(StoreKey::new("u1", &ie), StoreKey::new("u2", &ie));
        assert_eq!(
            StoreKey::new("u1", &sim).environment,
            "http://127.0.0.1:8787"
        );
    }
}
