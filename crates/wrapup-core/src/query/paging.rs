//! Paging through a details query: the next request, de-duplication of shifted pages, and when to stop.

use std::collections::HashSet;

use super::details::DetailsQuery;
use crate::model::analytics::{self, QueryResponse};

/// The largest number of pages a [`Pager`] requests unless told otherwise (page depth limits are UNCONFIRMED).
pub const DEFAULT_MAX_PAGES: u32 = 100;

/// Pages through a details query: yields the next request, de-duplicates records by `conversationId` (pages shift
/// while the interval still receives traffic) and knows when to stop.
///
/// Stops after a short page, a page with nothing new, once the rows fetched reach the latest `totalHits`
/// (approximate, so never the only rule), or after `max_pages`.
#[derive(Clone, Debug)]
pub struct Pager {
    query: DetailsQuery,
    done: bool,
    pages_fetched: u32,
    max_pages: u32,
    seen: HashSet<String>,
    total_hits: Option<u64>,
}

impl Pager {
    /// Starts at the query's page number.
    pub fn new(query: DetailsQuery) -> Self {
        Self {
            query,
            done: false,
            pages_fetched: 0,
            max_pages: DEFAULT_MAX_PAGES,
            seen: HashSet::new(),
            total_hits: None,
        }
    }

    /// Caps the number of pages requested.
    pub fn with_max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = max_pages.max(1);
        self
    }

    /// The next page's body, or `None` when paging is over.
    pub fn next_request(&self) -> Option<&DetailsQuery> {
        (!self.done).then_some(&self.query)
    }

    /// Accepts the page answering [`Pager::next_request`]; returns the records not seen before.
    pub fn accept<T>(
        &mut self,
        page: Vec<T>,
        total_hits: Option<u64>,
        id: impl Fn(&T) -> Option<&str>,
    ) -> Vec<T> {
        if self.done {
            return Vec::new();
        }
        let rows = page.len();
        let fresh: Vec<T> = page
            .into_iter()
            .filter(|record| match id(record) {
                Some(id) => self.seen.insert(id.to_owned()),
                None => true,
            })
            .collect();
        self.pages_fetched += 1;
        self.total_hits = total_hits.or(self.total_hits);
        let rows_so_far = u64::from(self.query.page_number) * u64::from(self.query.page_size);
        self.done = rows < self.query.page_size as usize
            || fresh.is_empty()
            || self.total_hits.is_some_and(|total| rows_so_far >= total)
            || self.pages_fetched >= self.max_pages;
        if !self.done {
            self.query.page_number += 1;
        }
        fresh
    }

    /// [`Pager::accept`] for a parsed details-query response.
    pub fn accept_response(&mut self, response: QueryResponse) -> Vec<analytics::Conversation> {
        self.accept(response.conversations, response.total_hits, |c| {
            c.conversation_id.as_deref()
        })
    }

    /// Whether paging is over.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Distinct conversations seen so far.
    pub fn unique_count(&self) -> usize {
        self.seen.len()
    }

    /// The latest (approximate) `totalHits`.
    pub fn total_hits(&self) -> Option<u64> {
        self.total_hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Interval;

    fn ids(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| (*s).to_owned()).collect()
    }

    fn day() -> Interval {
        Interval::parse("2024-04-29T00:00:00.000Z/2024-04-30T00:00:00.000Z").unwrap()
    }

    #[test]
    fn the_pager_deduplicates_shifted_pages_and_stops_on_a_short_page() {
        let mut pager = Pager::new(DetailsQuery::new(day()).page_size(3));
        assert_eq!(pager.next_request().unwrap().page_number, 1);
        let fresh = pager.accept(ids(&["a", "b", "c"]), Some(7), |s| Some(s.as_str()));
        assert_eq!(fresh, ids(&["a", "b", "c"]));
        assert_eq!(pager.next_request().unwrap().page_number, 2);
        // New traffic shifted the pages: "c" comes again.
        let fresh = pager.accept(ids(&["c", "d", "e"]), Some(8), |s| Some(s.as_str()));
        assert_eq!(fresh, ids(&["d", "e"]));
        let fresh = pager.accept(ids(&["f"]), Some(8), |s| Some(s.as_str()));
        assert_eq!(fresh, ids(&["f"]));
        assert!(pager.is_done());
        assert!(pager.next_request().is_none());
        assert_eq!(pager.unique_count(), 6);
        assert_eq!(pager.total_hits(), Some(8));
    }

    #[test]
    fn the_pager_stops_on_total_hits_on_a_page_of_duplicates_and_at_the_page_cap() {
        let mut by_total = Pager::new(DetailsQuery::new(day()).page_size(2));
        by_total.accept(ids(&["a", "b"]), Some(2), |s| Some(s.as_str()));
        assert!(by_total.is_done());

        let mut by_duplicates = Pager::new(DetailsQuery::new(day()).page_size(2));
        by_duplicates.accept(ids(&["a", "b"]), None, |s| Some(s.as_str()));
        assert!(
            by_duplicates
                .accept(ids(&["a", "b"]), None, |s| Some(s.as_str()))
                .is_empty()
        );
        assert!(by_duplicates.is_done());

        let mut capped = Pager::new(DetailsQuery::new(day()).page_size(1)).with_max_pages(2);
        capped.accept(ids(&["a"]), None, |s| Some(s.as_str()));
        capped.accept(ids(&["b"]), None, |s| Some(s.as_str()));
        assert!(capped.is_done());
    }
}
