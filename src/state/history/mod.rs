//! The history search as facts: which run is current, where it is (chunks, job state, pages), the rows it
//! kept (de-duplicated by conversation id), verdict counts, the data-availability date and any wait.
//! Reports of a replaced run are ignored.

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;

use wrapup_core::diagnosis::Verdict;
use wrapup_core::history::HistoryRow;
use wrapup_core::model::parse_instant;
use yew::Reducible;

use crate::types::history::{HistoryEvent, RunId, SearchKind, WaitReason};

/// Where a run is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunStatus {
    /// Reading.
    Running,
    /// The person asked to cancel; waiting for the platform.
    Cancelling,
    /// Every page was read.
    Finished,
    /// Stopped on an error (worded for the person).
    Failed(String),
    /// Cancelled; a job's state as the platform reported it afterwards.
    Cancelled(Option<String>),
}

impl RunStatus {
    /// Whether the run still reads (or is being cancelled).
    pub fn is_active(&self) -> bool {
        matches!(self, Self::Running | Self::Cancelling)
    }
}

/// A wait the run is in, as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wait {
    /// Why.
    pub reason: WaitReason,
    /// When the next try goes out (epoch ms).
    pub until_ms: i64,
}

/// One search and what it found.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// Its id.
    pub id: RunId,
    /// Query or job.
    pub kind: SearchKind,
    /// The window as sent (`start/end`, UTC).
    pub window: String,
    /// Where it is.
    pub status: RunStatus,
    /// Rows kept, in arrival order, one per conversation.
    pub rows: Vec<Rc<HistoryRow>>,
    seen: HashSet<String>,
    /// Agent legs per verdict over the kept rows.
    pub verdict_counts: BTreeMap<VerdictKey, usize>,
    /// Records read (before the window and wrap-up filters, duplicates included).
    pub records_read: usize,
    /// Records dropped because they started outside the window (the sync query's day rule).
    pub outside_window: usize,
    /// Records that came twice (shifted pages) and were kept once.
    pub duplicates: usize,
    /// Pages read.
    pub pages: usize,
    /// Sync query: the chunk being read (from 0) and how many there are.
    pub chunk: Option<(usize, usize)>,
    /// Sync query: the current chunk's approximate `totalHits`.
    pub total_hits: Option<u64>,
    /// Job: its id once created.
    pub job_id: Option<String>,
    /// Job: the last state polled.
    pub job_state: Option<String>,
    /// Job: `dataAvailabilityDate`.
    pub availability: Option<String>,
    /// A wait in progress.
    pub wait: Option<Wait>,
}

/// A [`Verdict`] as a map key, in the order verdicts are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VerdictKey(pub u8);

/// Every verdict, in the order the chart and legend list them.
pub const VERDICTS: [Verdict; 9] = Verdict::ALL;

impl VerdictKey {
    /// The key of a verdict.
    pub fn of(verdict: Verdict) -> Self {
        Self(VERDICTS.iter().position(|v| *v == verdict).unwrap_or(0) as u8)
    }

    /// The verdict of a key.
    pub fn verdict(self) -> Verdict {
        VERDICTS[usize::from(self.0).min(VERDICTS.len() - 1)]
    }
}

impl Run {
    fn new(id: RunId, kind: SearchKind, window: String) -> Self {
        Self {
            id,
            kind,
            window,
            status: RunStatus::Running,
            rows: Vec::new(),
            seen: HashSet::new(),
            verdict_counts: BTreeMap::new(),
            records_read: 0,
            outside_window: 0,
            duplicates: 0,
            pages: 0,
            chunk: None,
            total_hits: None,
            job_id: None,
            job_state: None,
            availability: None,
            wait: None,
        }
    }

    /// Whether a row's data is final: a job row whose conversation started or ended after
    /// `dataAvailabilityDate` may still change. Query rows and rows without a date are final.
    pub fn is_final(&self, row: &HistoryRow) -> bool {
        let Some(available) = self.availability.as_deref().and_then(parse_instant) else {
            return true;
        };
        let latest = row
            .conversation_end
            .as_deref()
            .or(row.conversation_start.as_deref())
            .and_then(parse_instant);
        row.conversation_end.is_some() && latest.is_none_or(|t| t <= available)
    }

    /// Progress from 0 to 1 for the bar: chunks for a query; create, queued, pending, results for a job.
    pub fn progress(&self) -> f64 {
        if matches!(self.status, RunStatus::Finished) {
            return 1.0;
        }
        match self.kind {
            SearchKind::Query => match self.chunk {
                Some((index, of)) if of > 0 => index as f64 / of as f64,
                _ => 0.0,
            },
            SearchKind::Job => match self.job_state.as_deref() {
                None if self.job_id.is_none() => 0.05,
                None => 0.15,
                Some("QUEUED") => 0.25,
                Some("PENDING") => 0.5,
                Some("FULFILLED") => 0.75,
                Some(_) => 0.5,
            },
        }
    }
}

/// The history panel's facts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryState {
    /// The current (or last) run.
    pub run: Option<Run>,
    next_id: RunId,
}

/// Changes to the history state.
#[derive(Clone, Debug, PartialEq)]
pub enum HistoryAction {
    /// A new run replaces the last one (its rows go).
    Begin {
        /// Its id (from [`HistoryState::next_run_id`]).
        id: RunId,
        /// Query or job.
        kind: SearchKind,
        /// The window as sent.
        window: String,
    },
    /// The person asked to cancel the current run.
    CancelRequested(RunId),
    /// The service reported on a run.
    Report(RunId, HistoryEvent),
}

impl HistoryState {
    /// The id the next run gets.
    pub fn next_run_id(&self) -> RunId {
        self.next_id
    }

    /// The current run's id, while it reads.
    pub fn active_run(&self) -> Option<RunId> {
        self.run
            .as_ref()
            .filter(|run| run.status.is_active())
            .map(|run| run.id)
    }

    /// Applies an action in place.
    pub fn apply(&mut self, action: HistoryAction) {
        match action {
            HistoryAction::Begin { id, kind, window } => {
                self.next_id = self.next_id.max(id.wrapping_add(1));
                self.run = Some(Run::new(id, kind, window));
            }
            HistoryAction::CancelRequested(id) => {
                if let Some(run) = self.current(id)
                    && run.status == RunStatus::Running
                {
                    run.status = RunStatus::Cancelling;
                }
            }
            HistoryAction::Report(id, event) => {
                if let Some(run) = self.current(id) {
                    report(run, event);
                }
            }
        }
    }

    fn current(&mut self, id: RunId) -> Option<&mut Run> {
        self.run.as_mut().filter(|run| run.id == id)
    }
}

fn report(run: &mut Run, event: HistoryEvent) {
    // A run that has ended takes no more news (a late page after a cancel is not shown).
    if !run.status.is_active() {
        return;
    }
    match event {
        HistoryEvent::Chunk { index, of, .. } => {
            run.chunk = Some((index, of));
            run.total_hits = None;
        }
        HistoryEvent::Page {
            rows,
            records,
            outside_window,
            total_hits,
        } => {
            run.pages += 1;
            run.records_read += records;
            run.outside_window += outside_window;
            run.total_hits = total_hits.or(run.total_hits);
            run.wait = None;
            for row in rows.iter() {
                if !run.seen.insert(row.conversation_id.clone()) {
                    run.duplicates += 1;
                    continue;
                }
                for verdict in row.verdict_kinds() {
                    *run.verdict_counts
                        .entry(VerdictKey::of(verdict))
                        .or_default() += 1;
                }
                run.rows.push(Rc::new(row.clone()));
            }
        }
        HistoryEvent::JobCreated { job_id } => run.job_id = Some(job_id),
        HistoryEvent::JobState(state) => {
            run.job_state = Some(state);
            run.wait = None;
        }
        HistoryEvent::Availability(date) => run.availability = Some(date),
        HistoryEvent::Waiting { reason, until_ms } => {
            run.wait = Some(Wait {
                reason,
                until_ms: until_ms as i64,
            });
        }
        HistoryEvent::Resumed => run.wait = None,
        HistoryEvent::Finished => {
            run.wait = None;
            if let Some((_, of)) = run.chunk {
                run.chunk = Some((of, of));
            }
            run.status = RunStatus::Finished;
        }
        HistoryEvent::Failed(message) => {
            run.wait = None;
            run.status = RunStatus::Failed(message);
        }
        HistoryEvent::Cancelled(state) => {
            run.wait = None;
            if let Some(state) = &state {
                run.job_state = Some(state.clone());
            }
            run.status = RunStatus::Cancelled(state);
        }
    }
}

impl Reducible for HistoryState {
    type Action = HistoryAction;

    fn reduce(self: Rc<Self>, action: HistoryAction) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}
