//! Gap recovery, the engine's side: when the link drops, remember when and which conversations were open;
//! once live again, read those by id, search analytics for ones the gap hid, and report what is left.

use futures::FutureExt;
use time::OffsetDateTime;
use wrapup_core::model::analytics::Conversation;
use wrapup_core::model::parse_instant;
use wrapup_core::query::{DetailsQuery, Pager};
use wrapup_core::recovery::Gap;

use super::recovery::SearchId;
use super::{LiveEngine, now_ms};
use crate::services::api::Api;
use crate::types::error::ApiError;
use crate::types::live::{LiveEvent, Recovery, Setback};
use crate::types::saved::ResumePoint;

/// Records per details-query page (reference §6.3: 100 is safe).
const SEARCH_PAGE_SIZE: u32 = 100;

/// A gap still open: since when the platform was silent, and what the tracker had open then.
#[derive(Debug)]
pub struct OpenGap {
    start_ms: f64,
    open_conversations: Vec<String>,
}

impl OpenGap {
    /// The gap a reload left: since the last event saved, with the conversations open then.
    pub fn resumed(point: ResumePoint) -> Self {
        Self {
            start_ms: point.last_event_ms,
            open_conversations: point.open_conversations,
        }
    }
}

/// One conversation read by id: its JSON, `None` when the platform no longer has it, or why not.
pub struct Read {
    id: String,
    answer: Result<Option<serde_json::Value>, ApiError>,
}

/// One analytics search's records, or why not.
pub struct Searched {
    id: SearchId,
    answer: Result<Vec<Conversation>, ApiError>,
}

impl LiveEngine {
    /// The link dropped: the gap starts at the last contact; a gap already open (failed reconnects) keeps
    /// its start.
    pub(super) fn open_gap(&mut self) {
        if self.gap.is_some() {
            return;
        }
        let Some(start_ms) = self.last_contact_ms else {
            return;
        };
        self.gap = Some(OpenGap {
            start_ms,
            open_conversations: self.tracker.open_conversation_ids(),
        });
    }

    /// Live again: (1) read every conversation open at the drop, (3) search analytics over the gap in
    /// queue and agent modes; (2), the user's own active conversations, is the backfill at connect.
    pub(super) fn close_gap(&mut self) {
        let Some(gap) = self.gap.take() else {
            return;
        };
        let end_ms = now_ms();
        self.recovery.read(gap.open_conversations);
        if let (Some(start), Some(end)) = (instant(gap.start_ms), instant(end_ms)) {
            self.recovery
                .search(Gap { start, end }, self.watched.clone(), end_ms);
        }
        self.pump_recovery();
    }

    /// Start due searches and as many reads as may be in flight; the request budget paces them.
    pub(super) fn pump_recovery(&mut self) {
        while let Some((id, queries, since)) = self.recovery.due_search(now_ms()) {
            let api = self.api.clone();
            self.searches.push(
                async move {
                    Searched {
                        id,
                        answer: search(&api, queries, since).await,
                    }
                }
                .boxed_local(),
            );
        }
        while let Some(id) = self.recovery.next_read() {
            let api = self.api.clone();
            self.reads.push(
                async move {
                    let answer = api.conversation(&id).await;
                    Read { id, answer }
                }
                .boxed_local(),
            );
        }
        self.report_gap();
    }

    pub(super) fn settle_read(&mut self, read: Read) -> Result<(), ApiError> {
        let Read { id, answer } = read;
        let result = match answer {
            Ok(Some(conversation)) => {
                let outcomes = self
                    .tracker
                    .ingest_conversation_json(&conversation.to_string())
                    .unwrap_or_default();
                self.recovery.read_done(id, false);
                self.deliver(outcomes, true);
                Ok(())
            }
            Ok(None) => {
                self.recovery.read_done(id, false);
                Ok(())
            }
            Err(err) if err.needs_sign_in() => Err(err),
            Err(err) => {
                // The client already retried for a minute; a passing failure waits its turn again,
                // anything else (e.g. no permission for this conversation) cannot be read.
                self.recovery.read_done(id, err.is_transient());
                Ok(())
            }
        };
        self.pump_recovery();
        result
    }

    pub(super) fn settle_search(&mut self, searched: Searched) {
        let records = searched.answer.ok();
        let found = self.recovery.searched(
            searched.id,
            records.as_deref(),
            now_ms(),
            &mut js_sys::Math::random,
        );
        // Conversations the socket already showed need no read: the tracker knows their legs.
        let unseen: Vec<String> = found
            .into_iter()
            .filter(|id| !self.tracker.has_seen(id))
            .collect();
        self.recovery.read(unseen);
        self.pump_recovery();
    }

    /// Tell the person how many conversations are still being recovered, when that changed.
    fn report_gap(&mut self) {
        let now = (self.recovery.remaining(), self.recovery.is_searching());
        if self.gap_reported == Some(now) || (self.gap_reported.is_none() && now == (0, false)) {
            return;
        }
        if now == (0, false) {
            self.gap_reported = None;
            self.report.emit(LiveEvent::Recovered(Recovery::Gap));
        } else {
            self.gap_reported = Some(now);
            self.report.emit(LiveEvent::Setback(Setback::Gap {
                conversations: now.0,
                searching: now.1,
            }));
        }
    }
}

/// The records of `queries` (newest first) back to `since`: paging stops at the first page that reaches
/// past it, so a busy day costs a few pages, not the whole day.
async fn search(
    api: &Api,
    queries: Vec<DetailsQuery>,
    since: OffsetDateTime,
) -> Result<Vec<Conversation>, ApiError> {
    let mut records = Vec::new();
    for query in queries {
        let mut pager = Pager::new(query.page_size(SEARCH_PAGE_SIZE));
        while let Some(request) = pager.next_request().cloned() {
            let page = pager.accept_response(api.details_query(&request).await?);
            let reached_since = page.iter().any(|record| {
                record
                    .conversation_start
                    .as_deref()
                    .and_then(parse_instant)
                    .is_some_and(|start| start < since)
            });
            records.extend(page);
            if reached_since {
                break;
            }
        }
    }
    Ok(records)
}

fn instant(ms: f64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos((ms as i128) * 1_000_000).ok()
}
