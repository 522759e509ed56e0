//! The history search's window and filters: how a window becomes details-query chunks, and the sync
//! query's day rule applied back so the result is exactly the conversations that started in the window.
//!
//! # The sync query's day rule (reference §6.3, §11.8)
//! `POST …/details/query` returns conversations that **started on a (UTC) day touched by the interval**,
//! not those inside it: `10:00–11:00` returns the whole day's conversations. So a window is split at UTC
//! midnights into chunks of whole days (no day is asked for twice, so chunks never return the same
//! conversation), and each record is kept only when its `conversationStart` lies in the window.
//! Async jobs differ: they return conversations with *activity* in the interval, up to
//! `dataAvailabilityDate` (§6.4); their results are kept as the job gives them.

use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};

use super::details::{CodePresence, DetailsQuery};
use super::interval::Interval;
use crate::model::analytics::Conversation;
use crate::model::parse_instant;

/// UTC days per sync-query chunk: the longest interval the API accepts is UNCONFIRMED (§6.3 says to keep
/// intervals short), and a day is the unit the API answers in anyway.
pub const SYNC_CHUNK_DAYS: u32 = 1;

/// Splits `window` at UTC midnights into chunks of at most `days` whole days (the first and last clipped to
/// the window). Consecutive, no overlap, and no UTC day in two chunks. `days` 0 is read as 1.
pub fn split_by_utc_days(window: Interval, days: u32) -> Vec<Interval> {
    let step = Duration::days(i64::from(days.max(1)));
    let mut chunks = Vec::new();
    let mut cursor = window.start;
    while cursor < window.end {
        let day_start = utc_midnight(cursor);
        let next = day_start
            .checked_add(step)
            .map_or(window.end, |n| n.min(window.end));
        chunks.push(Interval {
            start: cursor,
            end: next,
        });
        cursor = next;
    }
    chunks
}

/// The UTC days a sync query over `window` answers for: first and last (inclusive).
pub fn touched_utc_days(window: &Interval) -> (Date, Date) {
    let last = window.end - Duration::nanoseconds(1);
    (
        window.start.to_offset(UtcOffset::UTC).date(),
        last.to_offset(UtcOffset::UTC).date(),
    )
}

/// Whether the record's `conversationStart` lies in `[window.start, window.end)`; a record without a readable
/// start is not kept (the sync query cannot have matched it on its day).
pub fn started_within(record: &Conversation, window: &Interval) -> bool {
    record
        .conversation_start
        .as_deref()
        .and_then(parse_instant)
        .is_some_and(|start| start >= window.start && start < window.end)
}

fn utc_midnight(instant: OffsetDateTime) -> OffsetDateTime {
    instant
        .to_offset(UtcOffset::UTC)
        .replace_time(Time::MIDNIGHT)
}

/// Which wrap-up codes a history search wants.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum WrapUpFilter {
    /// Every conversation.
    #[default]
    Any,
    /// Conversations where some segment carries a wrap-up code.
    Present,
    /// Conversations where no segment carries a wrap-up code (a null wrap-up, whatever the reason).
    Absent,
    /// Conversations where some segment carries this code id (or system code).
    Code(String),
}

impl WrapUpFilter {
    /// Narrows the query on the server where the filter language can say it: `Present` → `wrapUpCode exists`,
    /// `Code` → `wrapUpCode matches`. `Absent` is not sent: a segment filter matches *some* segment, and every
    /// conversation has segments without a code, so "no segment has a code" is decided by [`Self::matches`].
    pub fn narrow(&self, query: DetailsQuery) -> DetailsQuery {
        match self {
            Self::Present => query.wrap_up_code(CodePresence::Exists),
            Self::Code(code) => query.wrap_up_code_id(code.clone()),
            Self::Any | Self::Absent => query,
        }
    }

    /// Whether a record passes the filter.
    pub fn matches(&self, record: &Conversation) -> bool {
        let mut codes = record
            .participants
            .iter()
            .flat_map(|p| &p.sessions)
            .flat_map(|s| &s.segments)
            .filter_map(|segment| segment.code());
        match self {
            Self::Any => true,
            Self::Present => codes.next().is_some(),
            Self::Absent => codes.next().is_none(),
            Self::Code(code) => codes.any(|c| c.eq_ignore_ascii_case(code.trim())),
        }
    }
}

/// What a history search asks for besides the window.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryFilters {
    /// Queue ids (any of them).
    pub queue_ids: Vec<String>,
    /// Agent user ids (any of them).
    pub user_ids: Vec<String>,
    /// Media types, analytics spelling (any of them).
    pub media_types: Vec<String>,
    /// Wrap-up codes wanted.
    pub wrap_up: WrapUpFilter,
    /// Only conversations that have ended (Genesys' advice for stable paging).
    pub ended_only: bool,
}

impl HistoryFilters {
    /// The details query (page 1) for one chunk, or the job body's query for a whole window.
    pub fn query(&self, interval: Interval, page_size: u32) -> DetailsQuery {
        let mut query = DetailsQuery::new(interval).page_size(page_size);
        query.queue_ids.clone_from(&self.queue_ids);
        query.user_ids.clone_from(&self.user_ids);
        query.media_types.clone_from(&self.media_types);
        query.ended_only = self.ended_only;
        self.wrap_up.narrow(query)
    }

    /// Whether a sync-query record belongs in the result for `window`: started inside it (the day rule) and
    /// passing the wrap-up filter.
    pub fn keeps_sync(&self, record: &Conversation, window: &Interval) -> bool {
        started_within(record, window) && self.wrap_up.matches(record)
    }

    /// Whether a job record belongs in the result (the job already applied the window).
    pub fn keeps_job(&self, record: &Conversation) -> bool {
        self.wrap_up.matches(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    fn window(text: &str) -> Interval {
        Interval::parse(text).unwrap()
    }

    fn record(start: &str, codes: &[Option<&str>]) -> Conversation {
        let segments: Vec<_> = codes
            .iter()
            .map(|code| json!({"segmentType": "wrapup", "wrapUpCode": code}))
            .collect();
        serde_json::from_value(json!({
            "conversationId": "c", "conversationStart": start,
            "participants": [{"purpose": "agent", "sessions": [{"segments": segments}]}]
        }))
        .unwrap()
    }

    #[test]
    fn a_window_splits_at_utc_midnights_so_no_day_is_asked_twice() {
        let text: Vec<String> =
            split_by_utc_days(window("2024-04-29T22:00:00Z/2024-05-01T03:30:00Z"), 1)
                .iter()
                .map(ToString::to_string)
                .collect();
        assert_eq!(
            text,
            [
                "2024-04-29T22:00:00.000Z/2024-04-30T00:00:00.000Z",
                "2024-04-30T00:00:00.000Z/2024-05-01T00:00:00.000Z",
                "2024-05-01T00:00:00.000Z/2024-05-01T03:30:00.000Z",
            ]
        );
        // Two days per chunk, a window given in another offset: still cut at UTC midnight.
        let two = split_by_utc_days(
            Interval::new(
                datetime!(2024-04-29 01:00 +02:00),
                datetime!(2024-05-03 00:00 UTC),
            )
            .unwrap(),
            2,
        );
        let text: Vec<String> = two.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "2024-04-28T23:00:00.000Z/2024-04-30T00:00:00.000Z",
                "2024-04-30T00:00:00.000Z/2024-05-02T00:00:00.000Z",
                "2024-05-02T00:00:00.000Z/2024-05-03T00:00:00.000Z",
            ]
        );
        assert_eq!(
            split_by_utc_days(window("2024-04-29T10:00:00Z/2024-04-29T11:00:00Z"), 0).len(),
            1
        );
    }

    #[test]
    fn the_day_rule_is_applied_back_by_conversation_start() {
        let hour = window("2024-04-29T10:00:00Z/2024-04-29T11:00:00Z");
        assert_eq!(
            touched_utc_days(&hour),
            (
                datetime!(2024-04-29 00:00 UTC).date(),
                datetime!(2024-04-29 00:00 UTC).date()
            )
        );
        // An end at midnight does not touch the next day.
        assert_eq!(
            touched_utc_days(&window("2024-04-29T10:00:00Z/2024-04-30T00:00:00Z")).1,
            datetime!(2024-04-29 00:00 UTC).date()
        );
        let filters = HistoryFilters::default();
        assert!(filters.keeps_sync(&record("2024-04-29T10:00:00.000Z", &[]), &hour));
        assert!(filters.keeps_sync(&record("2024-04-29T10:59:59.999Z", &[]), &hour));
        assert!(!filters.keeps_sync(&record("2024-04-29T11:00:00.000Z", &[]), &hour));
        assert!(!filters.keeps_sync(&record("2024-04-29T09:59:59Z", &[]), &hour));
        assert!(!filters.keeps_sync(&record("not a time", &[]), &hour));
    }

    #[test]
    fn wrap_up_filters_narrow_the_query_and_decide_each_record() {
        let coded = record("2024-04-29T10:00:00Z", &[Some("code-1"), None]);
        let timed_out = record("2024-04-29T10:00:00Z", &[Some("ININ-WRAP-UP-TIMEOUT")]);
        let null = record("2024-04-29T10:00:00Z", &[None, Some("  ")]);
        let code = WrapUpFilter::Code("code-1".into());
        assert!(WrapUpFilter::Present.matches(&coded) && WrapUpFilter::Present.matches(&timed_out));
        assert!(!WrapUpFilter::Present.matches(&null));
        assert!(WrapUpFilter::Absent.matches(&null) && !WrapUpFilter::Absent.matches(&coded));
        assert!(code.matches(&coded) && !code.matches(&timed_out) && !code.matches(&null));
        assert!(WrapUpFilter::Any.matches(&null));

        let hour = window("2024-04-29T10:00:00Z/2024-04-29T11:00:00Z");
        let filters = HistoryFilters {
            queue_ids: vec!["q".into()],
            user_ids: vec!["u".into()],
            media_types: vec!["voice".into()],
            wrap_up: code,
            ended_only: true,
        };
        let query = filters.query(hour, 50);
        assert_eq!(query.page_size, 50);
        assert_eq!(query.wrap_up_codes, ["code-1"]);
        assert_eq!(
            (query.queue_ids, query.user_ids, query.media_types),
            (vec!["q".into()], vec!["u".into()], vec!["voice".into()])
        );
        assert!(query.ended_only);
        let absent = HistoryFilters {
            wrap_up: WrapUpFilter::Absent,
            ..HistoryFilters::default()
        };
        let body = absent.query(hour, 50).to_json();
        assert_eq!(
            body["segmentFilters"],
            json!([]),
            "absent is decided locally"
        );
        assert!(absent.keeps_job(&null) && !absent.keeps_job(&coded));
    }
}
