//! Which directory names the engine still needs, which are being asked, and what each answer
//! means: named, unresolvable (with why) or retried later. Pure: the engine does the asking.

use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use wrapup_core::directory::NamedEntity;
use wrapup_core::model::WrapUpCodeKind;
use wrapup_core::retry::Backoff;
use wrapup_core::tracker::WrapUpOutcome;

use super::schedule::RetrySchedule;
use crate::types::error::ApiError;
use crate::types::names::{NameKind, Names, Unresolvable};

/// What one look-up's answer changed.
#[derive(Debug, Default, PartialEq)]
pub struct Settlement {
    /// Names learnt and ids found unresolvable.
    pub learnt: Names,
    /// Ids that failed for a passing reason, asked again after `retry_in`.
    pub deferred: Option<(Vec<String>, String, Duration)>,
    /// The sign-in no longer works; the engine must stop.
    pub fatal: Option<ApiError>,
}

/// The ids of one directory.
#[derive(Debug, Default)]
struct Shelf {
    /// Seen and not yet asked, or asked and due to be asked again.
    wanted: BTreeSet<String>,
    /// Being asked right now.
    asking: HashSet<String>,
    /// Named or unresolvable: never asked again.
    settled: HashSet<String>,
    retry: RetrySchedule,
}

/// The engine's memory of names: an id counts as done only once the platform has answered for it.
#[derive(Debug, Default)]
pub struct NameBook {
    shelves: [Shelf; 3],
}

impl NameBook {
    /// Note the ids an outcome mentions.
    pub fn want_outcome(&mut self, outcome: &WrapUpOutcome) {
        if let Some(code) = &outcome.code {
            self.want(NameKind::Code, code);
        }
        if let Some(user) = &outcome.user_id {
            self.want(NameKind::User, user);
        }
        if let Some(queue) = &outcome.queue_id {
            self.want(NameKind::Queue, queue);
        }
    }

    /// Note one id. System codes (`ININ-…`) have no directory entry, so are never asked.
    pub fn want(&mut self, kind: NameKind, id: &str) {
        if kind == NameKind::Code && WrapUpCodeKind::of(id) != WrapUpCodeKind::Configured {
            return;
        }
        let shelf = self.shelf(kind);
        if !shelf.settled.contains(id) && !shelf.asking.contains(id) {
            shelf.wanted.insert(id.to_owned());
        }
    }

    /// The ids to ask now, per directory: one look-up at a time per directory, and none before
    /// the wait after a failure is over.
    pub fn take_due(&mut self, now_ms: f64) -> Vec<(NameKind, Vec<String>)> {
        let mut due = Vec::new();
        for kind in NameKind::ALL {
            let shelf = self.shelf(kind);
            if shelf.asking.is_empty() && !shelf.wanted.is_empty() && shelf.retry.is_due(now_ms) {
                let ids: Vec<String> = std::mem::take(&mut shelf.wanted).into_iter().collect();
                shelf.asking.extend(ids.iter().cloned());
                due.push((kind, ids));
            }
        }
        due
    }

    /// Whether some look-up failed for a passing reason and waits to be retried.
    pub fn is_retrying(&self) -> bool {
        self.shelves.iter().any(|s| s.retry.failures() > 0)
    }

    /// Take the platform's answer for `asked` ids of `kind`. A transient failure puts them back
    /// with a wait from `policy`; only a real answer settles an id.
    pub fn settle(
        &mut self,
        kind: NameKind,
        asked: Vec<String>,
        answer: Result<Vec<NamedEntity>, ApiError>,
        now_ms: f64,
        policy: &Backoff,
        rng: &mut impl FnMut() -> f64,
    ) -> Settlement {
        let mut settlement = Settlement::default();
        let shelf = self.shelf(kind);
        for id in &asked {
            shelf.asking.remove(id);
        }
        match answer {
            Ok(entities) => {
                shelf.retry.succeeded();
                let mut named = HashSet::new();
                for entity in entities {
                    if entity.name.is_some() && shelf.settled.insert(entity.id.clone()) {
                        named.insert(entity.id.clone());
                        settlement.learnt.of_kind_mut(kind).push(entity);
                    }
                }
                for id in asked.into_iter().filter(|id| !named.contains(id)) {
                    if shelf.settled.insert(id.clone()) {
                        settlement.learnt.unresolvable.push(Unresolvable {
                            kind,
                            id,
                            reason: format!(
                                "Genesys Cloud has no {} with this id that you may see: it was deleted, or it is in a division your role cannot see.",
                                kind.noun()
                            ),
                        });
                    }
                }
            }
            Err(err) if err.needs_sign_in() => {
                shelf.wanted.extend(asked);
                settlement.fatal = Some(err);
            }
            Err(err) if err.is_transient() => {
                let retry_in = shelf.retry.failed(policy, err.retry_after(), now_ms, rng);
                shelf.wanted.extend(asked.iter().cloned());
                settlement.deferred = Some((asked, err.to_string(), retry_in));
            }
            Err(err) => {
                shelf.retry.succeeded();
                for id in asked {
                    shelf.settled.insert(id.clone());
                    settlement.learnt.unresolvable.push(Unresolvable {
                        kind,
                        id,
                        reason: err.to_string(),
                    });
                }
            }
        }
        settlement
    }

    fn shelf(&mut self, kind: NameKind) -> &mut Shelf {
        &mut self.shelves[kind as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 10_000.0;

    fn named(id: &str, name: &str) -> NamedEntity {
        NamedEntity {
            id: id.into(),
            name: Some(name.into()),
        }
    }

    fn settle(
        book: &mut NameBook,
        kind: NameKind,
        asked: &[String],
        answer: Result<Vec<NamedEntity>, ApiError>,
        now_ms: f64,
    ) -> Settlement {
        book.settle(
            kind,
            asked.to_vec(),
            answer,
            now_ms,
            &Backoff::reconnect(),
            &mut || 0.0,
        )
    }

    fn outcome() -> WrapUpOutcome {
        WrapUpOutcome {
            conversation_id: "c".into(),
            participant_id: "p".into(),
            user_id: Some("u1".into()),
            queue_id: Some("q1".into()),
            media_type: None,
            outcome: wrapup_core::tracker::Outcome::Submitted,
            code: Some("code-1".into()),
            notes: None,
            duration_seconds: None,
            end_time: None,
        }
    }

    #[test]
    fn each_id_is_asked_once_per_directory_and_system_codes_never() {
        let mut book = NameBook::default();
        book.want_outcome(&outcome());
        book.want_outcome(&outcome());
        book.want(NameKind::Code, "ININ-WRAP-UP-TIMEOUT");
        let due = book.take_due(NOW);
        assert_eq!(
            due,
            [
                (NameKind::Code, vec!["code-1".to_owned()]),
                (NameKind::User, vec!["u1".to_owned()]),
                (NameKind::Queue, vec!["q1".to_owned()]),
            ]
        );
        book.want_outcome(&outcome());
        assert!(
            book.take_due(NOW).is_empty(),
            "ids being asked are not asked twice"
        );
    }

    #[test]
    fn a_429_keeps_the_id_and_asks_again_after_retry_after() {
        let mut book = NameBook::default();
        book.want(NameKind::Code, "code-1");
        let (_, asked) = book.take_due(NOW).remove(0);
        let limited = ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(1)),
        };
        let settlement = settle(&mut book, NameKind::Code, &asked, Err(limited.clone()), NOW);
        assert_eq!(
            settlement.deferred,
            Some((
                vec!["code-1".to_owned()],
                limited.to_string(),
                Duration::from_secs(1)
            ))
        );
        assert!(settlement.learnt.is_empty());
        assert!(book.is_retrying());
        assert!(
            book.take_due(NOW + 999.0).is_empty(),
            "not before Retry-After"
        );
        let (_, again) = book.take_due(NOW + 1_000.0).remove(0);
        assert_eq!(again, ["code-1"]);
        let settlement = settle(
            &mut book,
            NameKind::Code,
            &again,
            Ok(vec![named("code-1", "Resolved")]),
            NOW + 1_100.0,
        );
        assert_eq!(settlement.learnt.codes, [named("code-1", "Resolved")]);
        assert!(!book.is_retrying());
        book.want(NameKind::Code, "code-1");
        assert!(
            book.take_due(NOW + 2_000.0).is_empty(),
            "named ids are done"
        );
    }

    #[test]
    fn ids_the_platform_does_not_return_are_unresolvable_with_a_reason() {
        let mut book = NameBook::default();
        book.want(NameKind::Code, "seen");
        book.want(NameKind::Code, "hidden");
        let (_, asked) = book.take_due(NOW).remove(0);
        let settlement = settle(
            &mut book,
            NameKind::Code,
            &asked,
            Ok(vec![named("seen", "Sale")]),
            NOW,
        );
        assert_eq!(settlement.learnt.codes, [named("seen", "Sale")]);
        assert_eq!(settlement.learnt.unresolvable.len(), 1);
        let missing = &settlement.learnt.unresolvable[0];
        assert_eq!(
            (missing.kind, missing.id.as_str()),
            (NameKind::Code, "hidden")
        );
        assert!(missing.reason.contains("division"), "{}", missing.reason);
        book.want(NameKind::Code, "hidden");
        assert!(book.take_due(NOW + 100_000.0).is_empty(), "not asked again");
    }

    #[test]
    fn a_403_is_remembered_as_the_reason_and_a_401_stops_the_engine() {
        let mut book = NameBook::default();
        book.want(NameKind::Queue, "q1");
        book.want(NameKind::User, "u1");
        let due = book.take_due(NOW);
        let forbidden = ApiError::Forbidden {
            message: "missing routing:queue:view".into(),
        };
        let settlement = settle(
            &mut book,
            NameKind::User,
            &due[0].1,
            Err(ApiError::Unauthorized),
            NOW,
        );
        assert_eq!(settlement.fatal, Some(ApiError::Unauthorized));
        let settlement = settle(
            &mut book,
            NameKind::Queue,
            &due[1].1,
            Err(forbidden.clone()),
            NOW,
        );
        assert_eq!(
            settlement.learnt.unresolvable[0].reason,
            forbidden.to_string()
        );
        assert!(!book.is_retrying());
    }
}
