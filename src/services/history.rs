//! History searches against the Analytics API: an interval query read chunk by chunk and page by page, or
//! an async job created, polled and read by cursor. Every call is tried once by the client and retried
//! here, so each wait (429 `Retry-After`, 5xx backoff) is reported and shown; a results page is asked for
//! again with the same cursor. Each page is written to the export files as it arrives, so no more than one
//! page is ever held for the export.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use time::OffsetDateTime;
use wrapup_core::history::{HistoryRow, csv_chunk, csv_header, ndjson_chunk};
use wrapup_core::model::analytics::Conversation;
use wrapup_core::query::{
    JobPoller, JobRequest, JobStep, Pager, SYNC_CHUNK_DAYS, split_by_utc_days, started_within,
};
use wrapup_core::retry::Backoff;
use yew::Callback;

use super::api::Api;
use super::files::GrowingFile;
use crate::types::error::ApiError;
use crate::types::history::{ExportFormat, HistoryEvent, SearchKind, SearchRequest, WaitReason};

/// The export files of the current run, written page by page.
#[derive(Debug)]
pub struct Exports {
    csv: GrowingFile,
    ndjson: GrowingFile,
    /// Conversations written so far.
    pub conversations: usize,
}

impl Exports {
    fn new() -> Result<Self, String> {
        let mut csv = GrowingFile::new(ExportFormat::Csv.mime())?;
        csv.append(&csv_header().map_err(|e| e.to_string())?)?;
        Ok(Self {
            csv,
            ndjson: GrowingFile::new(ExportFormat::Ndjson.mime())?,
            conversations: 0,
        })
    }

    fn write(&mut self, rows: &[HistoryRow]) -> Result<(), String> {
        self.csv
            .append(&csv_chunk(rows).map_err(|e| e.to_string())?)?;
        self.ndjson.append(&ndjson_chunk(rows))?;
        self.conversations += rows.len();
        Ok(())
    }

    /// The file in one format.
    pub fn file(&self, format: ExportFormat) -> &GrowingFile {
        match format {
            ExportFormat::Csv => &self.csv,
            ExportFormat::Ndjson => &self.ndjson,
        }
    }
}

/// The export files, shared between the running search and the Export buttons.
pub type SharedExports = Rc<RefCell<Option<Exports>>>;

/// Set to stop a run at its next step (a job is then cancelled on the platform).
#[derive(Clone, Debug, Default)]
pub struct CancelFlag(Rc<Cell<bool>>);

impl CancelFlag {
    /// Asks the run to stop.
    pub fn cancel(&self) {
        self.0.set(true);
    }

    fn is_set(&self) -> bool {
        self.0.get()
    }
}

/// Why a run stopped early.
enum Stop {
    Cancelled,
    Failed(String),
    /// The end was reported already (a cancelled job, with the platform's state).
    Reported,
}

/// Runs one history search and reports on it.
pub struct HistoryRunner {
    api: Api,
    report: Callback<HistoryEvent>,
    exports: SharedExports,
    cancel: CancelFlag,
    seen: HashSet<String>,
}

/// How long one call is retried before the run gives up (the request budget still paces every try).
const CALL_DEADLINE: Duration = Duration::from_secs(300);

impl HistoryRunner {
    /// A runner on `api` (each call tried once there, retried here), reporting to `report`, writing the
    /// export into `exports` (replaced at the start), stopped by `cancel`.
    pub fn new(
        api: &Api,
        report: Callback<HistoryEvent>,
        exports: SharedExports,
        cancel: CancelFlag,
    ) -> Self {
        let once = Backoff {
            deadline: Duration::ZERO,
            ..Backoff::request()
        };
        Self {
            api: api.clone().with_retry(once),
            report,
            exports,
            cancel,
            seen: HashSet::new(),
        }
    }

    /// Runs the search to its end, reporting every step; never fails silently.
    pub async fn run(mut self, request: SearchRequest) {
        let ended = match Exports::new() {
            Err(problem) => Err(Stop::Failed(format!(
                "The export file could not be prepared ({problem}); nothing was fetched."
            ))),
            Ok(exports) => {
                *self.exports.borrow_mut() = Some(exports);
                match request.kind {
                    SearchKind::Query => self.query(&request).await,
                    SearchKind::Job => self.job(&request).await,
                }
            }
        };
        let last = match ended {
            Ok(()) => Some(HistoryEvent::Finished),
            Err(Stop::Failed(message)) => Some(HistoryEvent::Failed(message)),
            Err(Stop::Cancelled) => Some(HistoryEvent::Cancelled(None)),
            Err(Stop::Reported) => None,
        };
        if let Some(last) = last {
            self.report.emit(last);
        }
    }

    async fn query(&mut self, request: &SearchRequest) -> Result<(), Stop> {
        let chunks = split_by_utc_days(request.window, SYNC_CHUNK_DAYS);
        for (index, chunk) in chunks.iter().enumerate() {
            self.report.emit(HistoryEvent::Chunk {
                index,
                of: chunks.len(),
                interval: chunk.to_string(),
            });
            let mut pager = Pager::new(request.filters.query(*chunk, request.page_size));
            while let Some(query) = pager.next_request().cloned() {
                let api = self.api.clone();
                let response = self
                    .call(|| {
                        let (api, query) = (api.clone(), query.clone());
                        async move { api.details_query(&query).await }
                    })
                    .await?;
                let (records, total_hits) = (response.conversations.len(), response.total_hits);
                let fresh = pager.accept_response(response);
                let outside = fresh
                    .iter()
                    .filter(|r| !started_within(r, &request.window))
                    .count();
                let kept = fresh
                    .iter()
                    .filter(|r| request.filters.keeps_sync(r, &request.window));
                self.page(kept, records, outside, total_hits)?;
            }
        }
        Ok(())
    }

    async fn job(&mut self, request: &SearchRequest) -> Result<(), Stop> {
        let body = request
            .filters
            .query(request.window, request.page_size)
            .to_job_json();
        let api = self.api.clone();
        if let Ok(available) = self
            .call(|| {
                let api = api.clone();
                async move { api.details_job_availability().await }
            })
            .await
            .map(|a| a.data_availability_date)
            && let Some(date) = available
        {
            self.report.emit(HistoryEvent::Availability(date));
        }
        let mut poller = JobPoller::new(Backoff::job_polling(), now());
        let mut step = poller.first_step();
        let mut retrying: Option<WaitReason> = None;
        let mut waited = false;
        loop {
            let request_now = match step {
                JobStep::Send(request) => request,
                JobStep::SendAfter { delay, request } => {
                    if let Some(reason) = retrying.take() {
                        waited = true;
                        self.report.emit(HistoryEvent::Waiting {
                            reason,
                            until_ms: js_sys::Date::now() + delay.as_secs_f64() * 1000.0,
                        });
                    }
                    self.sleep(delay).await;
                    request
                }
                JobStep::Done => return Ok(()),
                JobStep::Failed(failure) => return Err(Stop::Failed(failure.to_string())),
            };
            if self.cancel.is_set() {
                return self.cancel_job(poller.job_id()).await;
            }
            let answer = match &request_now {
                JobRequest::Create => self.api.create_details_job(&body).await.map(|created| {
                    if let Some(job_id) = &created.job_id {
                        self.report.emit(HistoryEvent::JobCreated {
                            job_id: job_id.clone(),
                        });
                    }
                    poller.on_created(&created, now(), &mut js_sys::Math::random)
                }),
                JobRequest::Status { job_id } => {
                    self.api.details_job_status(job_id).await.map(|status| {
                        if let Some(state) = &status.state {
                            self.report
                                .emit(HistoryEvent::JobState(state.as_str().to_owned()));
                        }
                        poller.on_status(&status, now(), &mut js_sys::Math::random)
                    })
                }
                JobRequest::Results { job_id, cursor } => {
                    match self
                        .api
                        .details_job_results(job_id, cursor.as_deref(), request.page_size)
                        .await
                    {
                        Ok(mut results) => {
                            if let Some(date) = results.data_availability_date.clone() {
                                self.report.emit(HistoryEvent::Availability(date));
                            }
                            let records = std::mem::take(&mut results.conversations);
                            let count = records.len();
                            let kept = records.iter().filter(|r| request.filters.keeps_job(r));
                            self.page(kept, count, 0, None)?;
                            Ok(poller.on_results(&results))
                        }
                        Err(err) => Err(err),
                    }
                }
            };
            step = match answer {
                Ok(next) => {
                    if std::mem::take(&mut waited) {
                        self.report.emit(HistoryEvent::Resumed);
                    }
                    next
                }
                Err(err) if err.is_transient() => {
                    retrying = Some(wait_reason(&err));
                    poller.on_retryable_error(err.retry_after(), now(), &mut js_sys::Math::random)
                }
                Err(err) => return Err(Stop::Failed(failure_text(&err))),
            };
        }
    }

    /// Cancels the job on the platform and reports the state it gives afterwards.
    async fn cancel_job(&mut self, job_id: Option<&str>) -> Result<(), Stop> {
        let Some(job_id) = job_id.map(str::to_owned) else {
            return Err(Stop::Cancelled);
        };
        // Cancelling must not be stopped by the flag that asked for it.
        let cancel = std::mem::take(&mut self.cancel);
        let api = self.api.clone();
        let deleted = self
            .call(|| {
                let (api, job_id) = (api.clone(), job_id.clone());
                async move { api.cancel_details_job(&job_id).await }
            })
            .await;
        self.cancel = cancel;
        if let Err(Stop::Failed(problem)) = deleted {
            return Err(Stop::Failed(format!(
                "The job could not be cancelled: {problem} It may still run on the platform."
            )));
        }
        let state = match self.api.details_job_status(&job_id).await {
            Ok(status) => status.state.map(|s| s.as_str().to_owned()),
            Err(_) => None,
        };
        self.report.emit(HistoryEvent::Cancelled(state));
        Err(Stop::Reported)
    }

    /// Writes the page's kept rows to the export and reports them.
    fn page<'a>(
        &mut self,
        kept: impl Iterator<Item = &'a Conversation>,
        records: usize,
        outside_window: usize,
        total_hits: Option<u64>,
    ) -> Result<(), Stop> {
        let rows: Vec<HistoryRow> = kept
            .map(HistoryRow::from_record)
            .filter(|row| self.seen.insert(row.conversation_id.clone()))
            .collect();
        if let Some(exports) = self.exports.borrow_mut().as_mut() {
            exports.write(&rows).map_err(|problem| {
                Stop::Failed(format!(
                    "The export file could not take a page ({problem}); the search stopped."
                ))
            })?;
        }
        self.report.emit(HistoryEvent::Page {
            rows: Rc::new(rows),
            records,
            outside_window,
            total_hits,
        });
        Ok(())
    }

    /// One call, retried on 429/5xx/network with [`Backoff::request`]'s growth (the server's
    /// `Retry-After` wins) until [`CALL_DEADLINE`]; each wait is reported.
    async fn call<T, F, Fut>(&self, mut op: F) -> Result<T, Stop>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let backoff = Backoff {
            deadline: CALL_DEADLINE,
            ..Backoff::request()
        };
        let started = js_sys::Date::now();
        let mut attempt = 0;
        loop {
            if self.cancel.is_set() {
                return Err(Stop::Cancelled);
            }
            match op().await {
                Ok(value) => {
                    if attempt > 0 {
                        self.report.emit(HistoryEvent::Resumed);
                    }
                    return Ok(value);
                }
                Err(err) if err.is_transient() => {
                    let elapsed = Duration::from_secs_f64(
                        ((js_sys::Date::now() - started) / 1000.0).max(0.0),
                    );
                    let Some(delay) = backoff.next_delay(
                        attempt,
                        err.retry_after(),
                        elapsed,
                        &mut js_sys::Math::random,
                    ) else {
                        return Err(Stop::Failed(failure_text(&err)));
                    };
                    self.report.emit(HistoryEvent::Waiting {
                        reason: wait_reason(&err),
                        until_ms: js_sys::Date::now() + delay.as_secs_f64() * 1000.0,
                    });
                    self.sleep(delay).await;
                    attempt += 1;
                }
                Err(err) => return Err(Stop::Failed(failure_text(&err))),
            }
        }
    }

    /// Sleeps `delay` in short steps so a cancel is seen at once (the caller then checks the flag).
    async fn sleep(&self, delay: Duration) {
        let until = js_sys::Date::now() + delay.as_secs_f64() * 1000.0;
        loop {
            let left = until - js_sys::Date::now();
            if self.cancel.is_set() || left <= 0.0 {
                return;
            }
            gloo_timers::future::sleep(Duration::from_millis(left.min(200.0) as u64)).await;
        }
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos((js_sys::Date::now() * 1_000_000.0) as i128)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn wait_reason(err: &ApiError) -> WaitReason {
    match err {
        ApiError::RateLimited { .. } => WaitReason::Throttled,
        ApiError::Unavailable { status } => {
            WaitReason::Unavailable(format!("Genesys Cloud answered {status}"))
        }
        other => WaitReason::Unavailable(other.to_string()),
    }
}

fn failure_text(err: &ApiError) -> String {
    format!("{err} The rows found so far stay, and the export holds them.")
}
