//! What a gap still owes the feed: conversations to read by id and analytics searches to repeat.
//! Pure bookkeeping (times passed in); the engine sends the requests, the request budget paces them.

use std::collections::{HashSet, VecDeque};
use std::time::Duration;

use time::OffsetDateTime;
use wrapup_core::model::analytics::Conversation;
use wrapup_core::query::{DetailsQuery, SortOrder};
use wrapup_core::recovery::{Gap, GapSearch, WINDOW_MARGIN, Watched};

/// Reads by id in flight at once; the request budget decides when each may start.
pub const READS_IN_FLIGHT: usize = 4;

/// A search's number, to match its answer.
pub type SearchId = u32;

#[derive(Debug)]
struct PlannedSearch {
    id: SearchId,
    search: GapSearch,
    gap_end_ms: f64,
    due_ms: f64,
    running: bool,
}

/// Conversations waiting to be read and searches waiting to run, over every gap so far.
#[derive(Debug, Default)]
pub struct RecoveryQueue {
    to_read: VecDeque<String>,
    /// Waiting or being read: an id is asked for once per gap, again only after its read ended.
    queued: HashSet<String>,
    reading: usize,
    searches: Vec<PlannedSearch>,
    next_search_id: SearchId,
}

impl RecoveryQueue {
    /// Queue `ids` for a read by id; ids already waiting or in flight are not queued twice.
    pub fn read(&mut self, ids: impl IntoIterator<Item = String>) {
        for id in ids {
            if self.queued.insert(id.clone()) {
                self.to_read.push_back(id);
            }
        }
    }

    /// The next conversation to read, if fewer than [`READS_IN_FLIGHT`] are being read.
    pub fn next_read(&mut self) -> Option<String> {
        if self.reading >= READS_IN_FLIGHT {
            return None;
        }
        let id = self.to_read.pop_front()?;
        self.reading += 1;
        Some(id)
    }

    /// The read of `id` ended; `retry` puts it back at the end of the queue (a passing failure).
    pub fn read_done(&mut self, id: String, retry: bool) {
        self.reading = self.reading.saturating_sub(1);
        if retry {
            self.to_read.push_back(id);
        } else {
            self.queued.remove(&id);
        }
    }

    /// Plan the analytics search for `gap` (queue and agent modes), due at once. A waiting search whose
    /// window meets this gap's takes it in, so a flapping link runs one search instead of one per drop
    /// (each polls analytics for 15 minutes, and together they would spend the whole request budget).
    pub fn search(&mut self, gap: Gap, watched: Watched, gap_end_ms: f64) {
        for planned in self.searches.iter_mut().filter(|s| !s.running) {
            if planned.search.absorb(gap, &watched) {
                planned.gap_end_ms = planned.gap_end_ms.max(gap_end_ms);
                planned.due_ms = gap_end_ms;
                return;
            }
        }
        if let Some(search) = GapSearch::new(gap, watched) {
            let id = self.next_search_id;
            self.next_search_id = self.next_search_id.wrapping_add(1);
            self.searches.push(PlannedSearch {
                id,
                search,
                gap_end_ms,
                due_ms: gap_end_ms,
                running: false,
            });
        }
    }

    /// A search whose wait is over, with its queries (newest first) and the start of its window, before
    /// which paging can stop; it counts as running until [`Self::searched`].
    pub fn due_search(
        &mut self,
        now_ms: f64,
    ) -> Option<(SearchId, Vec<DetailsQuery>, OffsetDateTime)> {
        let planned = self
            .searches
            .iter_mut()
            .find(|s| !s.running && now_ms >= s.due_ms)?;
        planned.running = true;
        let margin = time::Duration::try_from(WINDOW_MARGIN).unwrap_or(time::Duration::ZERO);
        // The sync query lists every conversation of the day (reference §6.3): newest first, a gap late in
        // a busy day is on the first pages instead of past the page limit.
        let queries = planned
            .search
            .queries()
            .into_iter()
            .map(|q| q.order(SortOrder::Desc))
            .collect();
        Some((planned.id, queries, planned.search.gap().start - margin))
    }

    /// Search `id` answered with `records` (`None`: it failed): the ids it found for the first time, and
    /// the search is planned again within its indexing budget, or dropped past it.
    pub fn searched(
        &mut self,
        id: SearchId,
        records: Option<&[Conversation]>,
        now_ms: f64,
        rng: &mut impl FnMut() -> f64,
    ) -> Vec<String> {
        let Some(index) = self.searches.iter().position(|s| s.id == id) else {
            return Vec::new();
        };
        let planned = &mut self.searches[index];
        let found = records
            .map(|r| planned.search.accept(r))
            .unwrap_or_default();
        let since_gap_end =
            Duration::from_secs_f64(((now_ms - planned.gap_end_ms) / 1000.0).max(0.0));
        match planned.search.next_search(since_gap_end, rng) {
            Some(wait) => {
                planned.running = false;
                planned.due_ms = now_ms + wait.as_secs_f64() * 1000.0;
            }
            None => {
                self.searches.remove(index);
            }
        }
        found
    }

    /// Conversations still to be read (waiting or in flight).
    pub fn remaining(&self) -> usize {
        self.to_read.len() + self.reading
    }

    /// Whether an analytics search will run again (conversations of a gap may still be indexed).
    pub fn is_searching(&self) -> bool {
        !self.searches.is_empty()
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
            end: datetime!(2024-05-01 10:01 UTC),
        }
    }

    #[test]
    fn reads_are_queued_once_and_limited_in_flight() {
        let mut queue = RecoveryQueue::default();
        queue.read((0..6).map(|i| format!("c{i}")));
        queue.read(["c0".to_owned(), "c5".to_owned()]);
        assert_eq!(queue.remaining(), 6);
        let started: Vec<String> = std::iter::from_fn(|| queue.next_read()).collect();
        assert_eq!(started, ["c0", "c1", "c2", "c3"]);
        queue.read(["c1".to_owned()]);
        assert_eq!(queue.remaining(), 6, "c1 is in flight: not queued again");
        queue.read_done("c0".into(), false);
        queue.read_done("c1".into(), true);
        assert_eq!(queue.remaining(), 5);
        let rest: Vec<String> = std::iter::from_fn(|| queue.next_read()).collect();
        assert_eq!(
            rest,
            ["c4", "c5"],
            "two reads ended: two more start, c1 waits its turn"
        );
        queue.read(["c0".to_owned()]);
        assert_eq!(
            queue.remaining(),
            6,
            "c0 was read: a later gap may read it again"
        );
    }

    #[test]
    fn gaps_a_minute_apart_share_one_search() {
        let queues = Watched::Queues(vec!["q".into()]);
        let mut queue = RecoveryQueue::default();
        queue.search(gap(), queues.clone(), 1_000.0);
        let (id, _, _) = queue.due_search(1_000.0).unwrap();
        queue.searched(id, Some(&[]), 2_000.0, &mut || 0.0);
        // Ten more short gaps, seconds apart: the waiting search takes each in and is due at once.
        for i in 1..=10 {
            let start = gap().end + time::Duration::seconds(5 * i);
            let end = start + time::Duration::seconds(2);
            queue.search(
                Gap { start, end },
                queues.clone(),
                3_000.0 + f64::from(i as u32),
            );
        }
        assert_eq!(queue.searches.len(), 1);
        let (again, queries, _) = queue.due_search(3_010.0).unwrap();
        assert_eq!(again, id);
        assert_eq!(
            queries[0].interval.to_string(),
            "2024-05-01T09:59:00.000Z/2024-05-01T10:02:52.000Z"
        );
        // While it runs, a new gap gets a search of its own (the running one's queries are fixed).
        queue.search(
            Gap {
                start: datetime!(2024-05-01 10:03 UTC),
                end: datetime!(2024-05-01 10:03:10 UTC),
            },
            queues,
            4_000.0,
        );
        assert_eq!(queue.searches.len(), 2);
    }

    #[test]
    fn a_search_runs_at_once_repeats_and_yields_each_conversation_once() {
        let mut queue = RecoveryQueue::default();
        queue.search(gap(), Watched::Me, 0.0);
        assert!(
            !queue.is_searching(),
            "me mode re-reads instead of searching"
        );
        queue.search(gap(), Watched::Queues(vec!["q".into()]), 1_000.0);
        assert!(queue.due_search(999.0).is_none());
        let (id, queries, since) = queue.due_search(1_000.0).unwrap();
        assert_eq!(queries.len(), 1);
        assert_eq!(queries[0].order, SortOrder::Desc);
        assert_eq!(since, datetime!(2024-05-01 09:59 UTC));
        assert!(queue.due_search(1_000.0).is_none(), "already running");
        let records: Vec<Conversation> = serde_json::from_value(json!([
            {"conversationId": "a", "conversationStart": "2024-05-01T10:00:30.000Z"},
            {"conversationId": "b", "conversationStart": "2024-05-01T10:00:40.000Z"}
        ]))
        .unwrap();
        assert_eq!(
            queue.searched(id, Some(&records), 2_000.0, &mut || 0.0),
            ["a", "b"]
        );
        assert!(queue.due_search(16_999.0).is_none());
        let (again, _, _) = queue.due_search(17_000.0).unwrap();
        assert_eq!(again, id);
        assert!(
            queue
                .searched(id, Some(&records), 17_000.0, &mut || 0.0)
                .is_empty()
        );
        assert!(queue.is_searching());
        let (again, _, _) = queue.due_search(f64::MAX).unwrap();
        queue.searched(again, None, 1_000.0 + 16.0 * 60_000.0, &mut || 0.0);
        assert!(!queue.is_searching(), "past the indexing budget");
    }
}
