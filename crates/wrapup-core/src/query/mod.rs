//! Pure planning of analytics look-ups, one room per concern: [`interval`] windows, [`details`] query
//! bodies, [`paging`], async [`jobs`] and the history
//! [`window`] (the sync query's day rule and filters). No I/O and no clock: the caller sends the requests and passes in
//! `now` and a random source. Retries use [`crate::retry::Backoff`].
#![warn(missing_docs)]

pub mod details;
pub mod interval;
pub mod jobs;
pub mod paging;
pub mod window;

pub use crate::model::analytics::JobState;
pub use details::{CodePresence, DEFAULT_PAGE_SIZE, DetailsQuery, SortOrder};
pub use interval::{Interval, IntervalError, format_instant, split_interval};
pub use jobs::{JobFailure, JobPoller, JobRequest, JobStep};
pub use paging::{DEFAULT_MAX_PAGES, Pager};
pub use window::{
    HistoryFilters, SYNC_CHUNK_DAYS, WrapUpFilter, split_by_utc_days, started_within,
    touched_utc_days,
};
