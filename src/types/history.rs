//! What a history search asks for and what the history service reports while it runs: the values
//! `services::history` produces and `state::history` keeps.

use std::rc::Rc;

use wrapup_core::history::HistoryRow;
use wrapup_core::query::{HistoryFilters, Interval};

/// How a search reads the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchKind {
    /// `POST …/details/query`, one chunk of whole UTC days at a time, paged by number.
    Query,
    /// An async job (`POST …/details/jobs`), polled, results paged by cursor.
    Job,
}

/// A search the person started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchRequest {
    /// The window, `[start, end)` in UTC.
    pub window: Interval,
    /// Queue, agent, media and wrap-up filters.
    pub filters: HistoryFilters,
    /// Query or job.
    pub kind: SearchKind,
    /// Records asked for per page (query `paging.pageSize`, job results `pageSize`).
    pub page_size: u32,
}

/// Export file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// One record per agent leg, RFC 4180.
    Csv,
    /// One JSON object per conversation and line.
    Ndjson,
}

impl ExportFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Ndjson => "ndjson",
        }
    }

    /// The MIME type of the file.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Csv => "text/csv",
            Self::Ndjson => "application/x-ndjson",
        }
    }
}

/// Identifies one run, so reports of a replaced run are ignored.
pub type RunId = u32;

/// Why a run is waiting before it asks again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitReason {
    /// 429: the platform's `Retry-After` (or the backoff when it sent none).
    Throttled,
    /// 502/503/504 or a network failure: backing off.
    Unavailable(String),
}

/// What the history service reports about a run.
#[derive(Clone, Debug, PartialEq)]
pub enum HistoryEvent {
    /// A sync-query chunk (whole UTC days) is being read: `index` of `of`, from 0.
    Chunk {
        /// Its position.
        index: usize,
        /// Chunks in the window.
        of: usize,
        /// The chunk's interval as sent.
        interval: String,
    },
    /// A page arrived: the rows kept, and how many records the page held before the window and wrap-up
    /// filters (records outside the window are the sync query's day rule at work).
    Page {
        /// Rows kept, in the platform's order.
        rows: Rc<Vec<HistoryRow>>,
        /// Records in the page.
        records: usize,
        /// Records dropped because they started outside the window.
        outside_window: usize,
        /// The chunk's latest `totalHits` (sync query only; approximate).
        total_hits: Option<u64>,
    },
    /// The job was created.
    JobCreated {
        /// Its id.
        job_id: String,
    },
    /// The job's state as last polled (`QUEUED`, `PENDING`, `FULFILLED`, …, as sent).
    JobState(String),
    /// `dataAvailabilityDate`: rows after it are not final.
    Availability(String),
    /// Waiting until `until_ms` (epoch ms) before asking again.
    Waiting {
        /// Why.
        reason: WaitReason,
        /// When the next try goes out.
        until_ms: f64,
    },
    /// Asking again after a wait.
    Resumed,
    /// Every page was read.
    Finished,
    /// The run stopped on an error; the rows so far stay.
    Failed(String),
    /// The run was cancelled; for a job, the state the platform reported afterwards (`None` when it no
    /// longer knows the job).
    Cancelled(Option<String>),
}
