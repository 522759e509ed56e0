//! Gap recovery planning: after the live link was down, how to find the conversations the gap hid.
//! Conversations that began inside the gap never reached the socket, so an analytics details query over
//! the gap window lists them; the engine then reads each by id from the Conversations API, which has final
//! wrap-ups at once, so the tracker's rules decide every outcome, live or recovered. Pure: no I/O, no clock.
#![warn(missing_docs)]

use std::collections::HashSet;
use std::time::Duration;

use time::OffsetDateTime;

use crate::model::analytics::Conversation;
use crate::model::parse_instant;
use crate::query::{DetailsQuery, Interval};
use crate::retry::Backoff;

/// Ids per details query: the platform's cap on predicates per filter is UNCONFIRMED (reference §6.3), so
/// larger sets are split into queries of this many ids.
pub const IDS_PER_QUERY: usize = 50;

/// How far the search window reaches past each end of the gap: clocks differ, and a conversation that
/// started a moment before the drop may not have reached the socket yet.
pub const WINDOW_MARGIN: Duration = Duration::from_secs(60);

/// How long after the gap analytics is searched again for conversations still being indexed (the mission's
/// observed worst case for the Analytics API is 15 minutes).
pub const SEARCH_FOR: Duration = Duration::from_secs(15 * 60);

/// Whose conversations the feed follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Watched {
    /// The signed-in user's own conversations: `GET /api/v2/conversations` lists them, no search is needed.
    Me,
    /// Every conversation of these queues.
    Queues(Vec<String>),
    /// Every conversation of these agents (user ids).
    Agents(Vec<String>),
}

/// A stretch of time in which the live link may have missed events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    /// When the last frame before the drop arrived.
    pub start: OffsetDateTime,
    /// When the link was live again.
    pub end: OffsetDateTime,
}

/// One gap's search: the queries to send, the ids found so far, and when to search again.
#[derive(Clone, Debug)]
pub struct GapSearch {
    gap: Gap,
    window: Interval,
    watched: Watched,
    backoff: Backoff,
    polls: u32,
    found: HashSet<String>,
}

impl GapSearch {
    /// A search for `gap` over the watched queues or agents; `None` in [`Watched::Me`] mode, where the
    /// user's own active conversations are re-read instead.
    pub fn new(gap: Gap, watched: Watched) -> Option<Self> {
        let ids = match &watched {
            Watched::Me => return None,
            Watched::Queues(ids) | Watched::Agents(ids) => ids,
        };
        if ids.is_empty() {
            return None;
        }
        let margin = time::Duration::try_from(WINDOW_MARGIN).unwrap_or(time::Duration::ZERO);
        let window = Interval::new(gap.start - margin, gap.end.max(gap.start) + margin)?;
        Some(Self {
            gap,
            window,
            watched,
            backoff: Backoff {
                base: Duration::from_secs(15),
                factor: 2.0,
                cap: Duration::from_secs(120),
                deadline: SEARCH_FOR,
                jitter: 0.2,
            },
            polls: 0,
            found: HashSet::new(),
        })
    }

    /// The gap searched.
    pub fn gap(&self) -> Gap {
        self.gap
    }

    /// The details queries (first page each) that list every conversation of the watched queues or
    /// agents started in the window; page through each with [`crate::query::Pager`].
    pub fn queries(&self) -> Vec<DetailsQuery> {
        let ids = match &self.watched {
            Watched::Me => return Vec::new(),
            Watched::Queues(ids) | Watched::Agents(ids) => ids,
        };
        ids.chunks(IDS_PER_QUERY)
            .map(|chunk| {
                chunk
                    .iter()
                    .fold(DetailsQuery::new(self.window), |query, id| {
                        match &self.watched {
                            Watched::Queues(_) => query.queue(id.clone()),
                            _ => query.user(id.clone()),
                        }
                    })
            })
            .collect()
    }

    /// Takes one page of records and returns the ids of conversations not seen before that started inside the
    /// window. The sync query returns every conversation started on a *day* the interval touches (reference
    /// §6.3), so the start is checked here; a record without a readable start is kept (better read once more
    /// than missed).
    pub fn accept(&mut self, records: &[Conversation]) -> Vec<String> {
        let mut fresh = Vec::new();
        for record in records {
            let Some(id) = record
                .conversation_id
                .as_deref()
                .filter(|id| !id.is_empty())
            else {
                continue;
            };
            let started = record.conversation_start.as_deref().and_then(parse_instant);
            let inside = started.is_none_or(|s| s >= self.window.start && s < self.window.end);
            if inside && self.found.insert(id.to_owned()) {
                fresh.push(id.to_owned());
            }
        }
        fresh
    }

    /// Take in a later `gap` of the same watch when its window meets this one's (a flapping link makes
    /// many short gaps a minute apart): one search then covers both, its budget counts from the later
    /// gap's end, and it starts over with short waits. Returns `false`, changing nothing, when the
    /// windows are apart or the watch differs.
    pub fn absorb(&mut self, gap: Gap, watched: &Watched) -> bool {
        let Some(other) = GapSearch::new(gap, watched.clone()) else {
            return false;
        };
        if other.watched != self.watched
            || other.window.start > self.window.end
            || other.window.end < self.window.start
        {
            return false;
        }
        self.gap = Gap {
            start: self.gap.start.min(gap.start),
            end: self.gap.end.max(gap.end),
        };
        self.window = Interval {
            start: self.window.start.min(other.window.start),
            end: self.window.end.max(other.window.end),
        };
        self.polls = 0;
        true
    }

    /// How many distinct conversations the search has found.
    pub fn found(&self) -> usize {
        self.found.len()
    }

    /// The wait before searching again, or `None` once [`SEARCH_FOR`] has passed since the gap ended:
    /// analytics indexes a conversation late, so one search is not enough. `since_gap_end` is the time
    /// elapsed since [`Gap::end`].
    pub fn next_search(
        &mut self,
        since_gap_end: Duration,
        rng: &mut impl FnMut() -> f64,
    ) -> Option<Duration> {
        let attempt = self.polls;
        self.polls += 1;
        self.backoff.next_delay(attempt, None, since_gap_end, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    fn gap() -> Gap {
        Gap {
            start: datetime!(2024-05-01 10:00 UTC),
            end: datetime!(2024-05-01 10:02 UTC),
        }
    }

    fn record(id: &str, start: Option<&str>) -> Conversation {
        serde_json::from_value(json!({"conversationId": id, "conversationStart": start})).unwrap()
    }

    #[test]
    fn me_mode_and_an_empty_watch_need_no_search() {
        assert!(GapSearch::new(gap(), Watched::Me).is_none());
        assert!(GapSearch::new(gap(), Watched::Queues(Vec::new())).is_none());
    }

    #[test]
    fn queries_cover_the_gap_with_a_margin_and_split_large_watch_lists() {
        let queues: Vec<String> = (0..IDS_PER_QUERY + 1).map(|i| format!("q{i}")).collect();
        let search = GapSearch::new(gap(), Watched::Queues(queues.clone())).unwrap();
        let queries = search.queries();
        assert_eq!(queries.len(), 2);
        assert_eq!(
            queries[0].interval.to_string(),
            "2024-05-01T09:59:00.000Z/2024-05-01T10:03:00.000Z"
        );
        assert_eq!(queries[0].queue_ids, queues[..IDS_PER_QUERY]);
        assert_eq!(queries[1].queue_ids, queues[IDS_PER_QUERY..]);
        assert!(queries.iter().all(|q| q.user_ids.is_empty()));

        let agents = GapSearch::new(gap(), Watched::Agents(vec!["u1".into()])).unwrap();
        assert_eq!(agents.queries()[0].user_ids, ["u1"]);
        assert!(agents.queries()[0].queue_ids.is_empty());
    }

    #[test]
    fn only_new_conversations_started_inside_the_window_are_read() {
        let mut search = GapSearch::new(gap(), Watched::Queues(vec!["q".into()])).unwrap();
        let page = [
            record("inside", Some("2024-05-01T10:01:00.000Z")),
            record("margin", Some("2024-05-01T09:59:30.000Z")),
            record("same-day-earlier", Some("2024-05-01T08:00:00.000Z")),
            record("after", Some("2024-05-01T10:03:00.000Z")),
            record("no-start", None),
        ];
        assert_eq!(search.accept(&page), ["inside", "margin", "no-start"]);
        assert_eq!(
            search.accept(&page),
            Vec::<String>::new(),
            "a shifted page yields nothing twice"
        );
        assert_eq!(search.found(), 3);
    }

    #[test]
    fn a_gap_whose_window_meets_the_search_is_absorbed_and_others_are_not() {
        let queues = Watched::Queues(vec!["q".into()]);
        let mut search = GapSearch::new(gap(), queues.clone()).unwrap();
        search.accept(&[record("seen", Some("2024-05-01T10:01:00.000Z"))]);
        let mut no_jitter = || 0.0;
        search.next_search(Duration::ZERO, &mut no_jitter);
        search.next_search(Duration::ZERO, &mut no_jitter);
        // 10:04-10:05: its window (10:03-10:06) meets the first one's (09:59-10:03).
        let later = Gap {
            start: datetime!(2024-05-01 10:04 UTC),
            end: datetime!(2024-05-01 10:05 UTC),
        };
        assert!(search.absorb(later, &queues));
        assert_eq!(
            search.queries()[0].interval.to_string(),
            "2024-05-01T09:59:00.000Z/2024-05-01T10:06:00.000Z"
        );
        assert_eq!(search.gap().end, later.end);
        assert_eq!(
            search.next_search(Duration::ZERO, &mut no_jitter),
            Some(Duration::from_secs(15)),
            "a fresh gap is searched again soon"
        );
        assert!(
            search
                .accept(&[record("seen", Some("2024-05-01T10:01:00.000Z"))])
                .is_empty(),
            "what was found stays found"
        );
        // An hour later, or another watch: a search of its own.
        let apart = Gap {
            start: datetime!(2024-05-01 11:00 UTC),
            end: datetime!(2024-05-01 11:01 UTC),
        };
        assert!(!search.absorb(apart, &queues));
        assert!(!search.absorb(later, &Watched::Agents(vec!["u".into()])));
        assert_eq!(search.gap().end, later.end);
    }

    #[test]
    fn the_search_repeats_with_growing_waits_and_stops_after_the_indexing_budget() {
        let mut search = GapSearch::new(gap(), Watched::Agents(vec!["u".into()])).unwrap();
        let mut no_jitter = || 0.0;
        let waits: Vec<u64> = (0..4)
            .map(|_| {
                search
                    .next_search(Duration::ZERO, &mut no_jitter)
                    .unwrap()
                    .as_secs()
            })
            .collect();
        assert_eq!(waits, [15, 30, 60, 120]);
        assert_eq!(search.next_search(SEARCH_FOR, &mut no_jitter), None);
    }
}
