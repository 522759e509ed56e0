//! The async details-job state machine: create, poll with backoff through the job states, page the
//! results by cursor. It says what to send next; the caller sends it.

use std::fmt;
use std::time::Duration;

use time::OffsetDateTime;

use crate::model::analytics::{JobCreated, JobResults, JobState, JobStatus};
use crate::retry::Backoff;

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
            .next_delay(attempt, retry_after, self.elapsed(now), rng)
        {
            Some(delay) => JobStep::SendAfter {
                delay,
                request: self.last.clone(),
            },
            None => JobStep::Failed(JobFailure::DeadlineExceeded),
        }
    }

    fn elapsed(&self, now: OffsetDateTime) -> Duration {
        (now - self.started).try_into().unwrap_or_default()
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
            .next_delay(attempt, None, self.elapsed(now), rng)
        {
            Some(delay) => JobStep::SendAfter { delay, request },
            None => JobStep::Failed(JobFailure::DeadlineExceeded),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn never() -> impl FnMut() -> f64 {
        || 0.0
    }

    const T0: OffsetDateTime = time::macros::datetime!(2024-05-01 10:00 UTC);

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
