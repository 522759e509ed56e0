//! The retained rows, ordered by end time, with an index by leg and running counts.
//!
//! Rows sit in a `VecDeque` oldest first, so the usual arrival (the newest wrap-up) is a
//! `push_back` and retention drops from the front, both O(1). A late row is placed by binary
//! search and shifts only the rows newer than it. Duplicates are refused through a hash set of
//! leg keys (O(1)). The filtered view is kept beside it, updated the same way per row.

use std::collections::{HashSet, VecDeque};
use std::rc::Rc;

use wrapup_core::tracker::LegKey;

use super::directory::Directory;
use super::filter::FeedFilter;
use super::row::FeedRow;
use super::summary::Summary;

/// A row with its place in the order: end time, then arrival.
#[derive(Clone, Debug)]
struct Slot {
    order: (i64, u64),
    row: Rc<FeedRow>,
}

/// The rows the feed retains, at most `capacity`.
#[derive(Debug)]
pub struct RowStore {
    capacity: usize,
    next_seq: u64,
    /// Oldest first.
    slots: VecDeque<Slot>,
    keys: HashSet<LegKey>,
    summary: Summary,
    filter: FeedFilter,
    /// Rows passing `filter`, oldest first; `None` when no filter applies.
    filtered: Option<VecDeque<Slot>>,
    filtered_summary: Summary,
}

impl RowStore {
    /// An empty store keeping at most `capacity` rows.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            next_seq: 0,
            slots: VecDeque::new(),
            keys: HashSet::new(),
            summary: Summary::default(),
            filter: FeedFilter::default(),
            filtered: None,
            filtered_summary: Summary::default(),
        }
    }

    /// Rows retained at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Rows retained.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether no row is retained.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Whether this leg is retained.
    pub fn contains(&self, key: &LegKey) -> bool {
        self.keys.contains(key)
    }

    /// Adds a row in end-time order; `false` when its leg is already here. Drops the oldest row
    /// past the capacity.
    pub fn insert(&mut self, row: FeedRow, dir: &Directory) -> bool {
        if !self.keys.insert(row.key()) {
            return false;
        }
        let slot = Slot {
            order: (row.order_ms(), self.next_seq),
            row: Rc::new(row),
        };
        self.next_seq += 1;
        self.summary.add(&slot.row, slot.order.0);
        if let Some(filtered) = &mut self.filtered
            && self.filter.matches(&slot.row, dir)
        {
            self.filtered_summary.add(&slot.row, slot.order.0);
            place(filtered, slot.clone());
        }
        place(&mut self.slots, slot);
        while self.slots.len() > self.capacity {
            self.drop_oldest();
        }
        true
    }

    fn drop_oldest(&mut self) {
        let Some(oldest) = self.slots.pop_front() else {
            return;
        };
        self.keys.remove(&oldest.row.key());
        self.summary.remove(&oldest.row, oldest.order.0);
        if let Some(filtered) = &mut self.filtered
            && filtered.front().is_some_and(|f| f.order == oldest.order)
        {
            filtered.pop_front();
            self.filtered_summary.remove(&oldest.row, oldest.order.0);
        }
    }

    /// Applies `filter` to every retained row (O(n), only when the filter or names change).
    pub fn set_filter(&mut self, filter: FeedFilter, dir: &Directory) {
        self.filter = filter;
        self.filtered_summary = Summary::default();
        self.filtered = (!self.filter.is_empty()).then(|| {
            let kept: VecDeque<Slot> = self
                .slots
                .iter()
                .filter(|s| self.filter.matches(&s.row, dir))
                .cloned()
                .collect();
            for slot in &kept {
                self.filtered_summary.add(&slot.row, slot.order.0);
            }
            kept
        });
    }

    /// Re-applies the filter after names changed, when it depends on them.
    pub fn names_changed(&mut self, dir: &Directory) {
        if self.filter.uses_names() {
            self.set_filter(self.filter.clone(), dir);
        }
    }

    /// Rows the filter lets through (all rows when none applies).
    pub fn view_len(&self) -> usize {
        self.view().len()
    }

    /// The `index`-th row shown, newest first: O(1).
    pub fn view_row(&self, index: usize) -> Option<Rc<FeedRow>> {
        let view = self.view();
        let from_oldest = view.len().checked_sub(index + 1)?;
        view.get(from_oldest).map(|s| s.row.clone())
    }

    /// Rows shown, newest first.
    pub fn view_rows(&self) -> impl Iterator<Item = &FeedRow> + '_ {
        self.view().iter().rev().map(|s| &*s.row)
    }

    /// Counts over the rows shown.
    pub fn view_summary(&self) -> &Summary {
        match self.filtered {
            Some(_) => &self.filtered_summary,
            None => &self.summary,
        }
    }

    /// Counts over every retained row (for the filter lists).
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Every retained row, newest first (for saving).
    pub fn rows(&self) -> impl Iterator<Item = &FeedRow> + '_ {
        self.slots.iter().rev().map(|s| &*s.row)
    }

    fn view(&self) -> &VecDeque<Slot> {
        self.filtered.as_ref().unwrap_or(&self.slots)
    }
}

/// Inserts `slot` in order: at the back when newest (the usual case), else by binary search.
fn place(slots: &mut VecDeque<Slot>, slot: Slot) {
    if slots.back().is_none_or(|last| last.order <= slot.order) {
        slots.push_back(slot);
    } else {
        let at = slots.partition_point(|s| s.order <= slot.order);
        slots.insert(at, slot);
    }
}
