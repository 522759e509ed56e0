//! Pure planning of analytics look-ups: interval windows, details-query bodies, paging, async jobs, backoff.
//! No I/O and no clock: the caller sends the requests and passes in `now` and a random source.
#![warn(missing_docs)]

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use serde::{Serialize, Serializer};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

pub use crate::model::analytics::JobState;
use crate::model::analytics::{self, JobCreated, JobResults, JobStatus, QueryResponse};

/// A half-open time window `[start, end)`, written `start/end` in ISO-8601 as Genesys wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interval {
    /// Inclusive start.
    pub start: OffsetDateTime,
    /// Exclusive end.
    pub end: OffsetDateTime,
}

/// Why an interval could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntervalError {
    /// Not `start/end`.
    NoSlash,
    /// A side is not an ISO-8601 (RFC 3339) instant.
    BadInstant(String),
    /// The end is not after the start.
    Empty,
}

impl fmt::Display for IntervalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSlash => f.write_str("an interval is written start/end, e.g. 2024-04-29T00:00:00.000Z/2024-04-30T00:00:00.000Z"),
            Self::BadInstant(text) => write!(f, "\"{text}\" is not an ISO-8601 instant such as 2024-04-29T00:00:00.000Z"),
            Self::Empty => f.write_str("the interval's end must be after its start"),
        }
    }
}

impl std::error::Error for IntervalError {}

impl Interval {
    /// `[start, end)`, or `None` when `end <= start`.
    pub fn new(start: OffsetDateTime, end: OffsetDateTime) -> Option<Self> {
        (end > start).then_some(Self { start, end })
    }

    /// Reads `start/end` (RFC 3339 instants).
    pub fn parse(text: &str) -> Result<Self, IntervalError> {
        let (start, end) = text.trim().split_once('/').ok_or(IntervalError::NoSlash)?;
        let instant = |s: &str| {
            OffsetDateTime::parse(s.trim(), &Rfc3339)
                .map_err(|_| IntervalError::BadInstant(s.to_owned()))
        };
        Self::new(instant(start)?, instant(end)?).ok_or(IntervalError::Empty)
    }

    /// The window's length.
    pub fn length(&self) -> Duration {
        (self.end - self.start).try_into().unwrap_or_default()
    }
}

impl fmt::Display for Interval {
    /// `2024-04-29T00:00:00.000Z/2024-04-30T00:00:00.000Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}",
            format_instant(self.start),
            format_instant(self.end)
        )
    }
}

impl Serialize for Interval {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// An instant as Genesys writes it: UTC, milliseconds, `Z` (`2024-04-29T00:00:00.000Z`).
pub fn format_instant(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.millisecond()
    )
}

/// Splits `[start, end)` into consecutive half-open windows of at most `max_window` each; together they cover the
/// interval exactly, with no overlap. Empty when `end <= start`; one window when `max_window` is zero.
pub fn split_interval(
    start: OffsetDateTime,
    end: OffsetDateTime,
    max_window: Duration,
) -> Vec<Interval> {
    let Some(whole) = Interval::new(start, end) else {
        return Vec::new();
    };
    let Ok(step) = time::Duration::try_from(max_window) else {
        return vec![whole];
    };
    if step.is_zero() {
        return vec![whole];
    }
    let mut windows = Vec::new();
    let mut cursor = start;
    while cursor < end {
        let next = cursor.checked_add(step).map_or(end, |n| n.min(end));
        windows.push(Interval {
            start: cursor,
            end: next,
        });
        cursor = next;
    }
    windows
}

/// `order` of a details query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Oldest first (the default).
    #[default]
    Asc,
    /// Newest first.
    Desc,
}

/// Whether a segment filter wants wrap-up codes present or missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodePresence {
    /// Conversations with a segment that has a `wrapUpCode`.
    Exists,
    /// Conversations with a `wrapup` segment that has no `wrapUpCode` (the predicate is paired with
    /// `segmentType = wrapup` in one clause; alone it would match every conversation's non-wrap-up segments).
    NotExists,
}

/// A `POST /api/v2/analytics/conversations/details/query` body (`ConversationQuery`, reference §6.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailsQuery {
    /// The interval (sync query: conversations that *started* on a day the interval touches).
    pub interval: Interval,
    /// Sort order on `conversationStart`.
    pub order: SortOrder,
    /// `paging.pageSize` (100 by default: a safe size, the maximum is UNCONFIRMED).
    pub page_size: u32,
    /// `paging.pageNumber`, from 1.
    pub page_number: u32,
    /// Conversation ids (OR).
    pub conversation_ids: Vec<String>,
    /// Agent user ids (OR).
    pub user_ids: Vec<String>,
    /// Queue ids (OR).
    pub queue_ids: Vec<String>,
    /// Media types, analytics spelling (`voice`, `callback`, `chat`, …) (OR).
    pub media_types: Vec<String>,
    /// Wrap-up code present or missing.
    pub wrap_up_code: Option<CodePresence>,
    /// Only finished conversations (`conversationEnd` exists), as Genesys recommends for paging.
    pub ended_only: bool,
}

/// The default page size.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

impl DetailsQuery {
    /// A query over an interval, first page, no filters.
    pub fn new(interval: Interval) -> Self {
        Self {
            interval,
            order: SortOrder::Asc,
            page_size: DEFAULT_PAGE_SIZE,
            page_number: 1,
            conversation_ids: Vec::new(),
            user_ids: Vec::new(),
            queue_ids: Vec::new(),
            media_types: Vec::new(),
            wrap_up_code: None,
            ended_only: false,
        }
    }

    /// Adds a conversation id.
    pub fn conversation_id(mut self, id: impl Into<String>) -> Self {
        self.conversation_ids.push(id.into());
        self
    }

    /// Adds an agent user id.
    pub fn user(mut self, id: impl Into<String>) -> Self {
        self.user_ids.push(id.into());
        self
    }

    /// Adds a queue id.
    pub fn queue(mut self, id: impl Into<String>) -> Self {
        self.queue_ids.push(id.into());
        self
    }

    /// Adds a media type.
    pub fn media_type(mut self, media: impl Into<String>) -> Self {
        self.media_types.push(media.into());
        self
    }

    /// Filters on the presence of a wrap-up code.
    pub fn wrap_up_code(mut self, presence: CodePresence) -> Self {
        self.wrap_up_code = Some(presence);
        self
    }

    /// Keeps only conversations that have ended.
    pub fn ended_only(mut self) -> Self {
        self.ended_only = true;
        self
    }

    /// Sets the sort order.
    pub fn order(mut self, order: SortOrder) -> Self {
        self.order = order;
        self
    }

    /// Sets the page size (at least 1).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// Sets the page number (from 1).
    pub fn page(mut self, number: u32) -> Self {
        self.page_number = number.max(1);
        self
    }

    /// The JSON body, exactly the shape of reference §6.3.
    pub fn to_json(&self) -> Value {
        let mut conversation_predicates: Vec<Value> = self
            .conversation_ids
            .iter()
            .map(|id| json!({"dimension": "conversationId", "value": id}))
            .collect();
        let mut conversation_filters = Vec::new();
        if !conversation_predicates.is_empty() {
            conversation_filters
                .push(json!({"type": "or", "predicates": conversation_predicates.split_off(0)}));
        }
        if self.ended_only {
            conversation_filters
                .push(json!({"type": "and", "predicates": [{"dimension": "conversationEnd", "operator": "exists"}]}));
        }

        let matches = |dimension: &str, values: &[String]| -> Option<Value> {
            (!values.is_empty()).then(|| {
                json!({"type": "or", "predicates": values.iter().map(|value| json!({
                    "type": "dimension", "dimension": dimension, "operator": "matches", "value": value
                })).collect::<Vec<_>>()})
            })
        };
        let mut clauses: Vec<Value> = [
            matches("userId", &self.user_ids),
            matches("queueId", &self.queue_ids),
            matches("mediaType", &self.media_types),
        ]
        .into_iter()
        .flatten()
        .collect();
        match self.wrap_up_code {
            Some(CodePresence::Exists) => clauses.push(json!({"type": "and", "predicates": [
                {"type": "dimension", "dimension": "wrapUpCode", "operator": "exists"}
            ]})),
            Some(CodePresence::NotExists) => clauses.push(json!({"type": "and", "predicates": [
                {"type": "dimension", "dimension": "segmentType", "operator": "matches", "value": "wrapup"},
                {"type": "dimension", "dimension": "wrapUpCode", "operator": "notExists"}
            ]})),
            None => {}
        }
        let segment_filters = if clauses.is_empty() {
            Vec::new()
        } else {
            vec![json!({"type": "and", "clauses": clauses})]
        };

        json!({
            "interval": self.interval.to_string(),
            "order": match self.order { SortOrder::Asc => "asc", SortOrder::Desc => "desc" },
            "orderBy": "conversationStart",
            "paging": {"pageSize": self.page_size, "pageNumber": self.page_number},
            "conversationFilters": conversation_filters,
            "segmentFilters": segment_filters,
            "evaluationFilters": [],
            "surveyFilters": [],
            "resolutionFilters": [],
            "aggregations": []
        })
    }
}

impl Serialize for DetailsQuery {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

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

/// Exponential backoff with jitter, a cap and an overall deadline; a server's `Retry-After` wins.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// Delay before the first retry (attempt 0).
    pub base: Duration,
    /// Growth per attempt (2.0 doubles).
    pub factor: f64,
    /// Largest computed delay (`Retry-After` may exceed it).
    pub cap: Duration,
    /// Give up once this much time has passed since the start.
    pub deadline: Duration,
    /// Fraction of each delay that is random, 0 (none) to 1 (full jitter): delay × (1 − jitter × r), r ∈ [0, 1).
    pub jitter: f64,
}

impl Default for Backoff {
    /// Polling an analytics job: 2 s doubling to 30 s, 20 % jitter, give up after 10 minutes.
    fn default() -> Self {
        Self {
            base: Duration::from_secs(2),
            factor: 2.0,
            cap: Duration::from_secs(30),
            deadline: Duration::from_secs(600),
            jitter: 0.2,
        }
    }
}

impl Backoff {
    /// Reconnecting the notification socket, as Genesys' streaming client does: 2 s doubling to 90 s, no deadline.
    pub fn reconnect() -> Self {
        Self {
            base: Duration::from_secs(2),
            factor: 2.0,
            cap: Duration::from_secs(90),
            deadline: Duration::MAX,
            jitter: 0.2,
        }
    }

    /// The delay before retry number `attempt` (from 0), or `None` when it would end past the deadline.
    /// `retry_after` (the server's `Retry-After`) is used as is, without jitter or cap. `rng` returns values in
    /// [0, 1); out-of-range values are clamped.
    pub fn next_delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        rng: &mut impl FnMut() -> f64,
        now: OffsetDateTime,
        started: OffsetDateTime,
    ) -> Option<Duration> {
        let delay = match retry_after {
            Some(server) => server,
            None => {
                let cap = self.cap.as_secs_f64();
                let exponent = i32::try_from(attempt).unwrap_or(i32::MAX);
                let raw = (self.base.as_secs_f64() * self.factor.max(1.0).powi(exponent)).min(cap);
                let raw = if raw.is_finite() { raw } else { cap };
                let jitter = if self.jitter.is_finite() {
                    self.jitter.clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let r = rng();
                let r = if r.is_finite() {
                    r.clamp(0.0, 1.0)
                } else {
                    0.0
                };
                Duration::try_from_secs_f64(raw * (1.0 - jitter * r)).unwrap_or(self.cap)
            }
        };
        let elapsed: Duration = (now - started).try_into().unwrap_or_default();
        (elapsed.saturating_add(delay) <= self.deadline).then_some(delay)
    }
}

/// Reads a `Retry-After` header: integer (or decimal) seconds, as the Genesys SDKs do. HTTP-dates are not used by
/// Genesys (reference §9) and give `None`.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

/// A request the job poller wants sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobRequest {
    /// `POST /api/v2/analytics/conversations/details/jobs` with the query body.
    Create,
    /// `GET …/details/jobs/{jobId}`.
    Status {
        /// The job.
        job_id: String,
    },
    /// `GET …/details/jobs/{jobId}/results[?cursor=…]`.
    Results {
        /// The job.
        job_id: String,
        /// The cursor of the page wanted; `None` for the first page.
        cursor: Option<String>,
    },
}

/// What to do next with an async details job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobStep {
    /// Send this request now.
    Send(JobRequest),
    /// Wait, then send this request.
    SendAfter {
        /// How long to wait.
        delay: Duration,
        /// What to send then.
        request: JobRequest,
    },
    /// All result pages were fetched.
    Done,
    /// The job cannot give results.
    Failed(JobFailure),
}

/// Why a job gave no (more) results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobFailure {
    /// State `FAILED`, with `errorMessage`.
    Failed(Option<String>),
    /// State `CANCELLED`.
    Cancelled,
    /// State `EXPIRED`: results are gone; create the job again.
    Expired,
    /// The backoff deadline passed while waiting.
    DeadlineExceeded,
    /// The create response had no `jobId`.
    NoJobId,
}

impl fmt::Display for JobFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Failed(Some(message)) => write!(f, "the analytics job failed: {message}; narrow the interval or filters and try again"),
            Self::Failed(None) => f.write_str("the analytics job failed without a reason; try again with a shorter interval"),
            Self::Cancelled => f.write_str("the analytics job was cancelled; start it again if you still need the results"),
            Self::Expired => f.write_str("the analytics job's results expired; run the job again"),
            Self::DeadlineExceeded => f.write_str(
                "the analytics job did not finish in time; the data lake may be busy: try a shorter interval or come back later",
            ),
            Self::NoJobId => f.write_str("the job was not created (no jobId in the answer); try again"),
        }
    }
}

/// The async-job state machine: create → poll status with backoff until `FULFILLED` → fetch result pages by
/// cursor. Feed it each answer; it says what to send next. States other than `QUEUED`/`PENDING`/`FULFILLED` end it.
#[derive(Clone, Debug)]
pub struct JobPoller {
    backoff: Backoff,
    started: OffsetDateTime,
    job_id: Option<String>,
    polls: u32,
    retries: u32,
    last: JobRequest,
}

impl JobPoller {
    /// Starts a job at `now`; the first step is [`JobPoller::first_step`].
    pub fn new(backoff: Backoff, now: OffsetDateTime) -> Self {
        Self {
            backoff,
            started: now,
            job_id: None,
            polls: 0,
            retries: 0,
            last: JobRequest::Create,
        }
    }

    /// `Send(Create)`.
    pub fn first_step(&self) -> JobStep {
        JobStep::Send(JobRequest::Create)
    }

    /// The job id once created.
    pub fn job_id(&self) -> Option<&str> {
        self.job_id.as_deref()
    }

    /// The create call answered.
    pub fn on_created(
        &mut self,
        created: &JobCreated,
        now: OffsetDateTime,
        rng: &mut impl FnMut() -> f64,
    ) -> JobStep {
        self.retries = 0;
        let Some(job_id) = created.job_id.clone().filter(|id| !id.trim().is_empty()) else {
            return JobStep::Failed(JobFailure::NoJobId);
        };
        self.job_id = Some(job_id.clone());
        self.poll_later(JobRequest::Status { job_id }, now, rng)
    }

    /// A status poll answered.
    pub fn on_status(
        &mut self,
        status: &JobStatus,
        now: OffsetDateTime,
        rng: &mut impl FnMut() -> f64,
    ) -> JobStep {
        self.retries = 0;
        let Some(job_id) = self.job_id.clone() else {
            return JobStep::Failed(JobFailure::NoJobId);
        };
        match status.state.as_ref() {
            Some(JobState::Fulfilled) => self.send(JobRequest::Results {
                job_id,
                cursor: None,
            }),
            Some(JobState::Failed) => {
                JobStep::Failed(JobFailure::Failed(status.error_message.clone()))
            }
            Some(JobState::Cancelled) => JobStep::Failed(JobFailure::Cancelled),
            Some(JobState::Expired) => JobStep::Failed(JobFailure::Expired),
            // QUEUED, PENDING, an unknown state or none: keep polling until the deadline.
            _ => self.poll_later(JobRequest::Status { job_id }, now, rng),
        }
    }

    /// A results page answered: next page by cursor, or done.
    pub fn on_results(&mut self, results: &JobResults) -> JobStep {
        self.retries = 0;
        let Some(job_id) = self.job_id.clone() else {
            return JobStep::Failed(JobFailure::NoJobId);
        };
        match results.cursor.clone().filter(|c| !c.is_empty()) {
            Some(cursor) => self.send(JobRequest::Results {
                job_id,
                cursor: Some(cursor),
            }),
            None => JobStep::Done,
        }
    }

    /// The last request failed in a retryable way (429, 502, 503, 504, network): send it again after a delay.
    pub fn on_retryable_error(
        &mut self,
        retry_after: Option<Duration>,
        now: OffsetDateTime,
        rng: &mut impl FnMut() -> f64,
    ) -> JobStep {
        let attempt = self.retries;
        self.retries += 1;
        match self
            .backoff
            .next_delay(attempt, retry_after, rng, now, self.started)
        {
            Some(delay) => JobStep::SendAfter {
                delay,
                request: self.last.clone(),
            },
            None => JobStep::Failed(JobFailure::DeadlineExceeded),
        }
    }

    fn send(&mut self, request: JobRequest) -> JobStep {
        self.last = request.clone();
        JobStep::Send(request)
    }

    fn poll_later(
        &mut self,
        request: JobRequest,
        now: OffsetDateTime,
        rng: &mut impl FnMut() -> f64,
    ) -> JobStep {
        let attempt = self.polls;
        self.polls += 1;
        self.last = request.clone();
        match self
            .backoff
            .next_delay(attempt, None, rng, now, self.started)
        {
            Some(delay) => JobStep::SendAfter { delay, request },
            None => JobStep::Failed(JobFailure::DeadlineExceeded),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn never() -> impl FnMut() -> f64 {
        || 0.0
    }

    #[test]
    fn splits_into_half_open_windows_as_genesys_writes_them() {
        let windows = split_interval(
            datetime!(2024-04-29 00:00 UTC),
            datetime!(2024-04-30 01:00 UTC),
            Duration::from_secs(12 * 3600),
        );
        let text: Vec<String> = windows.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "2024-04-29T00:00:00.000Z/2024-04-29T12:00:00.000Z",
                "2024-04-29T12:00:00.000Z/2024-04-30T00:00:00.000Z",
                "2024-04-30T00:00:00.000Z/2024-04-30T01:00:00.000Z",
            ]
        );
        assert!(
            split_interval(
                datetime!(2024-04-29 00:00 UTC),
                datetime!(2024-04-29 00:00 UTC),
                Duration::from_secs(60)
            )
            .is_empty()
        );
        assert_eq!(
            split_interval(
                datetime!(2024-04-29 00:00 UTC),
                datetime!(2024-04-29 01:00 UTC),
                Duration::ZERO
            )
            .len(),
            1
        );
    }

    #[test]
    fn instants_are_written_in_utc_with_milliseconds() {
        assert_eq!(
            format_instant(datetime!(2024-04-29 02:00:00.1234 +02:00)),
            "2024-04-29T00:00:00.123Z"
        );
    }

    #[test]
    fn intervals_parse_and_say_what_is_wrong() {
        let interval = Interval::parse("2024-04-29T00:00:00.000Z/2024-04-30T00:00:00Z").unwrap();
        assert_eq!(interval.length(), Duration::from_secs(86_400));
        assert_eq!(
            Interval::parse("2024-04-29T00:00:00Z"),
            Err(IntervalError::NoSlash)
        );
        assert_eq!(
            Interval::parse("yesterday/today"),
            Err(IntervalError::BadInstant("yesterday".into()))
        );
        assert_eq!(
            Interval::parse("2024-04-30T00:00:00Z/2024-04-29T00:00:00Z"),
            Err(IntervalError::Empty)
        );
    }

    fn day() -> Interval {
        Interval::parse("2024-04-29T00:00:00.000Z/2024-04-30T00:00:00.000Z").unwrap()
    }

    #[test]
    fn a_conversation_lookup_body_is_exactly_the_reference_shape() {
        let body = DetailsQuery::new(day())
            .conversation_id("c-1")
            .page_size(25)
            .to_json();
        assert_eq!(
            body,
            json!({
                "interval": "2024-04-29T00:00:00.000Z/2024-04-30T00:00:00.000Z",
                "order": "asc",
                "orderBy": "conversationStart",
                "paging": {"pageSize": 25, "pageNumber": 1},
                "conversationFilters": [{"type": "or", "predicates": [{"dimension": "conversationId", "value": "c-1"}]}],
                "segmentFilters": [],
                "evaluationFilters": [], "surveyFilters": [], "resolutionFilters": [], "aggregations": []
            })
        );
    }

    #[test]
    fn segment_filters_and_within_or_across() {
        let body = DetailsQuery::new(day())
            .user("u-1")
            .user("u-2")
            .queue("q-1")
            .media_type("voice")
            .wrap_up_code(CodePresence::NotExists)
            .ended_only()
            .order(SortOrder::Desc)
            .page(3)
            .to_json();
        assert_eq!(body["order"], "desc");
        assert_eq!(body["paging"], json!({"pageSize": 100, "pageNumber": 3}));
        assert_eq!(
            body["conversationFilters"],
            json!([{"type": "and", "predicates": [{"dimension": "conversationEnd", "operator": "exists"}]}])
        );
        assert_eq!(
            body["segmentFilters"],
            json!([{"type": "and", "clauses": [
                {"type": "or", "predicates": [
                    {"type": "dimension", "dimension": "userId", "operator": "matches", "value": "u-1"},
                    {"type": "dimension", "dimension": "userId", "operator": "matches", "value": "u-2"}]},
                {"type": "or", "predicates": [{"type": "dimension", "dimension": "queueId", "operator": "matches", "value": "q-1"}]},
                {"type": "or", "predicates": [{"type": "dimension", "dimension": "mediaType", "operator": "matches", "value": "voice"}]},
                {"type": "and", "predicates": [
                    {"type": "dimension", "dimension": "segmentType", "operator": "matches", "value": "wrapup"},
                    {"type": "dimension", "dimension": "wrapUpCode", "operator": "notExists"}]}
            ]}])
        );
        assert_eq!(
            serde_json::to_value(DetailsQuery::new(day())).unwrap(),
            DetailsQuery::new(day()).to_json()
        );
    }

    fn ids(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| (*s).to_owned()).collect()
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

    const T0: OffsetDateTime = time::macros::datetime!(2024-05-01 10:00 UTC);

    #[test]
    fn backoff_grows_exponentially_up_to_the_cap() {
        let backoff = Backoff {
            base: Duration::from_secs(1),
            factor: 2.0,
            cap: Duration::from_secs(10),
            deadline: Duration::from_secs(3600),
            jitter: 0.0,
        };
        let delays: Vec<u64> = (0..6)
            .map(|attempt| {
                backoff
                    .next_delay(attempt, None, &mut never(), T0, T0)
                    .unwrap()
                    .as_secs()
            })
            .collect();
        assert_eq!(delays, [1, 2, 4, 8, 10, 10]);
        assert_eq!(
            backoff.next_delay(u32::MAX, None, &mut never(), T0, T0),
            Some(Duration::from_secs(10))
        );
    }

    #[test]
    fn jitter_takes_a_random_fraction_off() {
        let backoff = Backoff {
            jitter: 0.5,
            ..Backoff::default()
        };
        let mut half = || 0.5;
        // 2 s × (1 − 0.5 × 0.5) = 1.5 s
        assert_eq!(
            backoff.next_delay(0, None, &mut half, T0, T0),
            Some(Duration::from_millis(1500))
        );
        let mut broken = || f64::NAN;
        assert_eq!(
            backoff.next_delay(0, None, &mut broken, T0, T0),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn retry_after_wins_and_the_deadline_ends_the_wait() {
        let backoff = Backoff::default();
        assert_eq!(
            backoff.next_delay(0, Some(Duration::from_secs(45)), &mut never(), T0, T0),
            Some(Duration::from_secs(45))
        );
        let late = T0 + time::Duration::seconds(599);
        assert_eq!(backoff.next_delay(0, None, &mut never(), late, T0), None);
        assert_eq!(
            backoff.next_delay(0, Some(Duration::from_secs(1)), &mut never(), late, T0),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn retry_after_is_read_as_seconds() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }

    fn status(state: &str) -> JobStatus {
        serde_json::from_value(json!({"state": state, "errorMessage": "too big"})).unwrap()
    }

    #[test]
    fn the_job_poller_creates_polls_with_backoff_and_pages_by_cursor() {
        let backoff = Backoff {
            jitter: 0.0,
            ..Backoff::default()
        };
        let mut poller = JobPoller::new(backoff, T0);
        assert_eq!(poller.first_step(), JobStep::Send(JobRequest::Create));
        let status_request = JobRequest::Status {
            job_id: "j-1".into(),
        };
        let step = poller.on_created(
            &JobCreated {
                job_id: Some("j-1".into()),
            },
            T0,
            &mut never(),
        );
        assert_eq!(
            step,
            JobStep::SendAfter {
                delay: Duration::from_secs(2),
                request: status_request.clone()
            }
        );
        assert_eq!(poller.job_id(), Some("j-1"));
        assert_eq!(
            poller.on_status(&status("QUEUED"), T0, &mut never()),
            JobStep::SendAfter {
                delay: Duration::from_secs(4),
                request: status_request.clone()
            }
        );
        // A 429 on the status call: repeat it after Retry-After.
        assert_eq!(
            poller.on_retryable_error(Some(Duration::from_secs(7)), T0, &mut never()),
            JobStep::SendAfter {
                delay: Duration::from_secs(7),
                request: status_request.clone()
            }
        );
        assert_eq!(
            poller.on_status(&status("PENDING"), T0, &mut never()),
            JobStep::SendAfter {
                delay: Duration::from_secs(8),
                request: status_request
            }
        );
        assert_eq!(
            poller.on_status(&status("FULFILLED"), T0, &mut never()),
            JobStep::Send(JobRequest::Results {
                job_id: "j-1".into(),
                cursor: None
            })
        );
        let page: JobResults =
            serde_json::from_value(json!({"conversations": [], "cursor": "next-1"})).unwrap();
        assert_eq!(
            poller.on_results(&page),
            JobStep::Send(JobRequest::Results {
                job_id: "j-1".into(),
                cursor: Some("next-1".into())
            })
        );
        assert_eq!(poller.on_results(&JobResults::default()), JobStep::Done);
    }

    #[test]
    fn the_job_poller_ends_on_terminal_states_and_at_the_deadline() {
        let created = JobCreated {
            job_id: Some("j".into()),
        };
        let mut poller = JobPoller::new(Backoff::default(), T0);
        poller.on_created(&created, T0, &mut never());
        assert_eq!(
            poller.on_status(&status("FAILED"), T0, &mut never()),
            JobStep::Failed(JobFailure::Failed(Some("too big".into())))
        );
        assert_eq!(
            poller.on_status(&status("EXPIRED"), T0, &mut never()),
            JobStep::Failed(JobFailure::Expired)
        );
        assert_eq!(
            poller.on_status(&status("CANCELLED"), T0, &mut never()),
            JobStep::Failed(JobFailure::Cancelled)
        );
        let late = T0 + time::Duration::minutes(11);
        assert_eq!(
            poller.on_status(&status("RUNNING"), late, &mut never()),
            JobStep::Failed(JobFailure::DeadlineExceeded)
        );
        let mut nameless = JobPoller::new(Backoff::default(), T0);
        assert_eq!(
            nameless.on_created(&JobCreated::default(), T0, &mut never()),
            JobStep::Failed(JobFailure::NoJobId)
        );
        assert!(
            JobFailure::Expired
                .to_string()
                .contains("run the job again")
        );
    }
}
