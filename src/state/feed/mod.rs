//! The wrap-up feed: decided legs ordered by end time (newest first, up to [`MAX_ROWS`]), the legs
//! still in after-call work, names, filters, pause, and the raw frames kept for support. Pure
//! reducer: no I/O.
//!
//! The retained rows live in one [`RowStore`] shared by every snapshot of the state and changed
//! in place, so a batch of outcomes costs what the batch costs, not a copy of 100k rows; each
//! snapshot carries a `version` so equality (and Yew's re-render) still sees the change.

mod directory;
mod export;
mod filter;
mod frames;
mod replay;
mod row;
mod store;
mod summary;
#[cfg(test)]
mod tests;

use std::cell::{Ref, RefCell};
use std::collections::HashSet;
use std::rc::Rc;

use wrapup_core::export::RowSource;
use wrapup_core::tracker::{LegKey, Outcome, WrapUpOutcome};
use yew::Reducible;

pub use directory::{CodeLabel, Directory, system_code_label};
pub use export::{export_row, rows_csv};
pub use filter::FeedFilter;
pub use frames::{FrameRing, MAX_FRAME_BYTES, MAX_FRAMES};
pub use replay::Replay;
pub use row::FeedRow;
pub use store::RowStore;
pub use summary::{OUTCOMES, Summary, outcome_slot};

use crate::types::names::Names;

/// Decided rows retained; older ones drop off the end.
pub const MAX_ROWS: usize = 100_000;

/// New rows held back while the feed is paused.
#[derive(Clone, Debug, Default)]
struct Held {
    rows: Vec<FeedRow>,
    keys: HashSet<LegKey>,
    pending: Option<Vec<WrapUpOutcome>>,
}

/// The feed's whole state.
#[derive(Clone, Debug)]
pub struct FeedState {
    store: Rc<RefCell<RowStore>>,
    version: u64,
    /// Legs in after-call work right now, shown above the decided rows until they complete.
    pub pending: Rc<Vec<Rc<FeedRow>>>,
    /// Names for ids.
    pub directory: Rc<Directory>,
    /// The filters applied.
    pub filter: Rc<FeedFilter>,
    /// Whether new rows are being held back.
    pub paused: bool,
    held: Rc<Held>,
    /// Final outcomes received this session, by kind (never decreases, unlike the rows).
    pub totals: Totals,
    /// Decided rows added since the feed started (for the live region).
    pub arrived: u64,
    frames: Rc<RefCell<FrameRing>>,
}

impl Default for FeedState {
    fn default() -> Self {
        Self::with_capacity(MAX_ROWS)
    }
}

impl PartialEq for FeedState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.store, &other.store)
            && self.version == other.version
            && Rc::ptr_eq(&self.pending, &other.pending)
            && Rc::ptr_eq(&self.directory, &other.directory)
            && Rc::ptr_eq(&self.filter, &other.filter)
            && self.paused == other.paused
            && Rc::ptr_eq(&self.held, &other.held)
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
    /// Outcomes became known (in order), received at `now_ms`, live or recovered.
    Outcomes {
        outcomes: Vec<WrapUpOutcome>,
        source: RowSource,
        now_ms: f64,
    },
    /// The current after-call-work list.
    Pending(Vec<WrapUpOutcome>),
    /// Directory names learnt.
    Names(Names),
    /// Rows saved earlier, put back in order (duplicates ignored).
    Restore(Vec<FeedRow>),
    /// Raw WebSocket frames, kept for "Download frames" (no re-render).
    Frames(Vec<String>),
    /// Show only rows passing this filter.
    Filter(FeedFilter),
    /// Hold new rows back.
    Pause,
    /// Show the held rows and carry on.
    Resume,
    /// Start over empty, knowing these names (an imported capture's offline feed).
    Reset { directory: Rc<Directory> },
}

impl FeedState {
    /// An empty feed retaining at most `capacity` decided rows.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            store: Rc::new(RefCell::new(RowStore::new(capacity))),
            version: 0,
            pending: Rc::default(),
            directory: Rc::default(),
            filter: Rc::default(),
            paused: false,
            held: Rc::default(),
            totals: Totals::default(),
            arrived: 0,
            frames: Rc::default(),
        }
    }

    /// The retained rows (read-only while borrowed; do not hold across a dispatch).
    pub fn rows(&self) -> Ref<'_, RowStore> {
        self.store.borrow()
    }

    /// Rows shown (pending first, then decided rows passing the filter).
    pub fn shown_len(&self) -> usize {
        self.shown_pending().count() + self.store.borrow().view_len()
    }

    /// The `index`-th row shown: pending legs first, then decided rows newest first.
    pub fn shown_row(&self, index: usize) -> Option<Rc<FeedRow>> {
        let pending: Vec<&Rc<FeedRow>> = self.shown_pending().collect();
        match pending.get(index) {
            Some(row) => Some((*row).clone()),
            None => self.store.borrow().view_row(index - pending.len()),
        }
    }

    /// Pending legs passing the filter.
    pub fn shown_pending(&self) -> impl Iterator<Item = &Rc<FeedRow>> + '_ {
        self.pending.iter().filter(|row| {
            self.filter.outcome.is_none() && self.filter.matches(row, &self.directory)
        })
    }

    /// New decided legs held back while paused.
    pub fn held_count(&self) -> usize {
        self.held.rows.len()
    }

    /// The CSV of the decided rows shown (all retained rows when no filter applies).
    pub fn export_csv(&self) -> Result<String, wrapup_core::export::ExportError> {
        rows_csv(self.store.borrow().view_rows(), &self.directory)
    }

    /// Frames kept for "Download frames", as NDJSON.
    pub fn frames_ndjson(&self) -> String {
        self.frames.borrow().to_ndjson()
    }

    /// Frames kept.
    pub fn frame_count(&self) -> usize {
        self.frames.borrow().len()
    }

    fn add_rows(&mut self, rows: impl IntoIterator<Item = FeedRow>) {
        let mut added: Vec<LegKey> = Vec::new();
        {
            let mut store = self.store.borrow_mut();
            for row in rows {
                if row.outcome.outcome == Outcome::Pending {
                    continue;
                }
                let key = row.key();
                let kind = row.outcome.outcome;
                if store.insert(row, &self.directory) {
                    self.totals.count(kind);
                    self.arrived += 1;
                    added.push(key);
                }
            }
        }
        if !added.is_empty() {
            self.version += 1;
            let done: HashSet<LegKey> = added.into_iter().collect();
            if self.pending.iter().any(|p| done.contains(&p.key())) {
                self.pending = Rc::new(
                    self.pending
                        .iter()
                        .filter(|p| !done.contains(&p.key()))
                        .cloned()
                        .collect(),
                );
            }
        }
    }

    fn set_pending(&mut self, pending: Vec<WrapUpOutcome>, now_ms: f64) {
        let store = self.store.borrow();
        let earlier: Vec<Rc<FeedRow>> = self.pending.iter().cloned().collect();
        let mut pending = pending;
        // Newest first, like the final rows (ISO-8601 UTC times sort as text; unknown ends last).
        pending.sort_by(|a, b| b.end_time.cmp(&a.end_time));
        self.pending = Rc::new(
            pending
                .into_iter()
                .filter(|o| !store.contains(&o.leg_key()))
                .map(|o| {
                    // A leg already listed keeps its first-seen time, so it does not jump.
                    let seen = earlier
                        .iter()
                        .find(|e| e.outcome.leg_key() == o.leg_key())
                        .map_or(now_ms, |e| e.received_at_ms);
                    Rc::new(FeedRow::live(o, seen))
                })
                .collect(),
        );
    }
}

impl Reducible for FeedState {
    type Action = FeedAction;

    fn reduce(self: Rc<Self>, action: FeedAction) -> Rc<Self> {
        if let FeedAction::Frames(frames) = action {
            let mut ring = self.frames.borrow_mut();
            frames.into_iter().for_each(|f| ring.push(f));
            drop(ring);
            return self;
        }
        if let FeedAction::Reset { directory } = action {
            let capacity = self.store.borrow().capacity();
            return Rc::new(Self {
                directory,
                ..Self::with_capacity(capacity)
            });
        }
        let mut next = (*self).clone();
        match action {
            FeedAction::Outcomes {
                outcomes,
                source,
                now_ms,
            } => {
                let rows = outcomes.into_iter().map(|outcome| FeedRow {
                    outcome,
                    received_at_ms: now_ms,
                    source,
                });
                if next.paused {
                    let store = next.store.borrow();
                    let held = Rc::make_mut(&mut next.held);
                    for row in rows {
                        if row.outcome.outcome != Outcome::Pending
                            && !store.contains(&row.key())
                            && held.keys.insert(row.key())
                        {
                            held.rows.push(row);
                        }
                    }
                } else {
                    next.add_rows(rows);
                }
            }
            FeedAction::Restore(rows) => next.add_rows(rows),
            FeedAction::Pending(pending) if next.paused => {
                Rc::make_mut(&mut next.held).pending = Some(pending)
            }
            FeedAction::Pending(pending) => next.set_pending(pending, js_now()),
            FeedAction::Names(names) => {
                Rc::make_mut(&mut next.directory).learn(&names);
                next.store.borrow_mut().names_changed(&next.directory);
                next.version += 1;
            }
            FeedAction::Filter(filter) => {
                next.store
                    .borrow_mut()
                    .set_filter(filter.clone(), &next.directory);
                next.filter = Rc::new(filter);
                next.version += 1;
            }
            FeedAction::Pause => next.paused = true,
            FeedAction::Resume => {
                next.paused = false;
                let held = std::mem::take(&mut next.held);
                let held = Rc::try_unwrap(held).unwrap_or_else(|rc| (*rc).clone());
                next.add_rows(held.rows);
                if let Some(pending) = held.pending {
                    next.set_pending(pending, js_now());
                }
            }
            FeedAction::Frames(_) | FeedAction::Reset { .. } => {}
        }
        Rc::new(next)
    }
}

/// Wall-clock ms for pending rows' first-seen time; 0 natively (tests do not read it).
fn js_now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
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
