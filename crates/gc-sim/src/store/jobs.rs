//! Async conversation-detail jobs as stored (reference §6.4): QUEUED → PENDING → FULFILLED (or
//! FAILED, CANCELLED, EXPIRED), results paged by `cursor`, data only up to `dataAvailabilityDate`.

use serde_json::{Value, json};
use uuid::Uuid;

use super::Sim;
use crate::clock::{Ts, iso, now};
use crate::unconfirmed as uc;

/// A parsed `start/end` interval.
#[derive(Debug, Clone, Copy)]
pub struct Interval {
    /// Start (inclusive).
    pub start: Ts,
    /// End (exclusive).
    pub end: Ts,
}

impl Interval {
    /// Sync query: the conversation started on a (UTC) day the interval touches.
    pub fn touches_start_day(&self, conversation_start: Ts) -> bool {
        let day = conversation_start.date();
        let last = (self.end - time::Duration::nanoseconds(1)).date();
        day >= self.start.date() && day <= last
    }

    /// Async jobs: the conversation had activity during the interval.
    pub fn has_activity(&self, start: Ts, end_or_now: Ts) -> bool {
        start < self.end && end_or_now >= self.start
    }
}

/// A submitted job.
#[derive(Debug, Clone)]
pub struct Job {
    /// Job id.
    pub id: Uuid,
    /// Submitting user.
    pub owner: Uuid,
    /// Whether the owner sees every conversation (supervisor) or only their own.
    pub sees_all: bool,
    /// Submission time.
    pub submitted: Ts,
    /// The query body.
    pub query: Value,
    /// Parsed interval.
    pub interval: Interval,
    /// Terminal state forced by DELETE (CANCELLED) or the `failJobs` fault (FAILED).
    pub forced: Option<&'static str>,
    /// Results, fixed when the job is first seen FULFILLED.
    pub results: Option<Vec<Value>>,
    /// `dataAvailabilityDate` the results were computed against.
    pub availability: Option<Ts>,
}

impl Job {
    fn sim_elapsed(&self, sim: &Sim) -> f64 {
        (now() - self.submitted).as_seconds_f64() * sim.clock.speed()
    }

    /// Simulated seconds from submission to FULFILLED: queued, then pending for longer on a longer window.
    fn run_secs(&self) -> f64 {
        let days = (self.interval.end - self.interval.start).as_seconds_f64() / 86_400.0;
        uc::JOB_QUEUED_SECS + uc::JOB_PENDING_SECS + uc::JOB_PENDING_SECS_PER_DAY * days.max(0.0)
    }

    /// The job's state now.
    pub fn state(&self, sim: &Sim) -> &'static str {
        if let Some(s) = self.forced {
            return s;
        }
        let e = self.sim_elapsed(sim);
        if e < uc::JOB_QUEUED_SECS {
            "QUEUED"
        } else if e < self.run_secs() {
            "PENDING"
        } else if e >= uc::JOB_EXPIRY_SECS as f64 {
            "EXPIRED"
        } else {
            "FULFILLED"
        }
    }

    fn at_sim(&self, sim: &Sim, secs: f64) -> Ts {
        self.submitted + crate::clock::td(sim.clock.real_secs(secs))
    }

    /// `AsyncQueryStatus`.
    pub fn status(&self, sim: &Sim) -> Value {
        let state = self.state(sim);
        let mut v = json!({
            "state": state,
            "submissionDate": iso(self.submitted),
            "expirationDate": iso(self.at_sim(sim, uc::JOB_EXPIRY_SECS as f64)),
        });
        if matches!(state, "FULFILLED" | "EXPIRED") {
            v["completionDate"] = json!(iso(self.at_sim(sim, self.run_secs())));
        }
        if state == "FAILED" {
            v["errorMessage"] = json!("The job failed (injected by gc-sim's failJobs fault)");
        }
        v
    }
}

/// Encodes a results cursor (opaque to clients).
pub fn cursor(offset: usize) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("gcsim:{offset}"))
}

/// Decodes a cursor made by [`cursor`].
pub fn parse_cursor(c: &str) -> Option<usize> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(c)
        .ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("gcsim:")?
        .parse()
        .ok()
}
