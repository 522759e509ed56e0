//! One conversation seen from beside it (the interaction widget): what it is (media, times, the customer's
//! address), each agent leg's live state next to its analytics verdict, and the context an agent needs: the
//! customer's recent conversations and the agent's last wrap-ups, as details queries and as rows (newest first,
//! capped, without the open conversation). Pure: the widget's services send the queries.
//!
//! # How the customer is found
//! By the segment dimension `ani` (reference §6.3 lists it), matched against the caller address analytics
//! records on voice and callback sessions. The reference does not list `externalContactId` among the segment
//! dimensions (UNCONFIRMED), so it is read and shown but not queried; [`DetailsQuery::ani`] is the one place
//! the dimension is named. Chats, emails and messages carry no `ani`, so they get no customer history.

use time::{Duration, OffsetDateTime, Time, UtcOffset};

use crate::diagnosis::{Explanation, LegVerdict};
use crate::history::HistoryRow;
use crate::lookup::crosscheck::{RealtimeConversation, compare};
use crate::model::analytics::Conversation;
use crate::model::parse_instant;
use crate::query::{DetailsQuery, Interval, SortOrder};
use crate::tracker::{Outcome, WrapUpOutcome};

/// How far back the context looks, in UTC days including today (the sync query answers in whole days).
pub const CONTEXT_DAYS: i64 = 7;

/// Rows shown per context list.
pub const CONTEXT_ROWS: usize = 10;

/// The open conversation in a few facts, from analytics when indexed, else from the real-time conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationFacts {
    /// Media of the first agent (else any) session or communication.
    pub media_type: Option<String>,
    /// When it started.
    pub start: Option<String>,
    /// When it ended (absent while live).
    pub end: Option<String>,
    /// The customer's address (`tel:+…`), when the media has one.
    pub ani: Option<String>,
    /// The external contact the customer was matched to (real-time only).
    pub external_contact_id: Option<String>,
}

impl ConversationFacts {
    /// The facts of the open conversation: the real-time answer first (it is live), the record fills gaps.
    pub fn of(realtime: Option<&RealtimeConversation>, record: Option<&Conversation>) -> Self {
        let customer = realtime
            .into_iter()
            .flat_map(|r| &r.participants)
            .find(|p| p.purpose.as_deref() == Some("customer"));
        let record_sessions = || record.into_iter().flat_map(|r| &r.participants);
        Self {
            media_type: realtime
                .into_iter()
                .flat_map(|r| &r.participants)
                .find_map(|p| p.media_type())
                .map(str::to_owned)
                .or_else(|| {
                    record_sessions()
                        .flat_map(|p| &p.sessions)
                        .find_map(|s| s.media_type.clone())
                }),
            start: realtime
                .and_then(|r| r.start_time.clone())
                .or_else(|| record.and_then(|r| r.conversation_start.clone())),
            end: realtime
                .and_then(|r| r.end_time.clone())
                .or_else(|| record.and_then(|r| r.conversation_end.clone())),
            ani: customer_ani(realtime, record),
            external_contact_id: customer.and_then(|c| c.external_contact_id.clone()),
        }
    }
}

/// The customer's address to look the customer up by: the record's customer session `ani` (the very value the
/// `ani` filter matches), else the real-time customer participant's. Blank addresses count as none.
pub fn customer_ani(
    realtime: Option<&RealtimeConversation>,
    record: Option<&Conversation>,
) -> Option<String> {
    let from_record = record
        .into_iter()
        .flat_map(|r| &r.participants)
        .filter(|p| p.purpose.as_deref() == Some("customer"))
        .flat_map(|p| &p.sessions)
        .find_map(|s| s.ani.clone());
    let from_realtime = || {
        realtime
            .into_iter()
            .flat_map(|r| &r.participants)
            .filter(|p| p.purpose.as_deref() == Some("customer"))
            .find_map(|p| p.ani.clone())
    };
    from_record
        .filter(|a| !a.trim().is_empty())
        .or_else(|| from_realtime().filter(|a| !a.trim().is_empty()))
        .map(|a| a.trim().to_owned())
}

/// `[UTC midnight CONTEXT_DAYS - 1 days ago, now)`: the sync query returns conversations that started on a day
/// the interval touches, so whole days are asked for, up to now.
pub fn context_window(now: OffsetDateTime) -> Interval {
    let now = now.to_offset(UtcOffset::UTC);
    let start = now.replace_time(Time::MIDNIGHT) - Duration::days(CONTEXT_DAYS - 1);
    Interval::new(start, now).unwrap_or(Interval {
        start,
        end: start + Duration::seconds(1),
    })
}

/// The customer's conversations in `window`, newest first: one page, one more than shown (the open
/// conversation may be among them).
pub fn customer_query(ani: &str, window: Interval) -> DetailsQuery {
    DetailsQuery::new(window)
        .ani(ani)
        .order(SortOrder::Desc)
        .page_size(CONTEXT_ROWS as u32 + 1)
}

/// The conversations in `window` where `user_id` had a wrap-up segment, newest first, one page.
pub fn agent_query(user_id: &str, window: Interval) -> DetailsQuery {
    DetailsQuery::new(window)
        .user(user_id)
        .segment_type("wrapup")
        .order(SortOrder::Desc)
        .page_size(CONTEXT_ROWS as u32 + 1)
}

/// The rows of a context list: one per conversation, without `open_conversation`, newest start first, at most
/// [`CONTEXT_ROWS`]. With `agent`, each row keeps only that agent's legs (their wrap-ups are what is asked for).
pub fn context_rows(
    records: &[Conversation],
    open_conversation: &str,
    agent: Option<&str>,
) -> Vec<HistoryRow> {
    let mut rows: Vec<HistoryRow> = Vec::new();
    for record in records {
        let mut row = HistoryRow::from_record(record);
        if row.conversation_id == open_conversation
            || rows
                .iter()
                .any(|r| r.conversation_id == row.conversation_id)
        {
            continue;
        }
        if let Some(agent) = agent {
            row.verdicts.retain(|v| v.user_id.as_deref() == Some(agent));
        }
        rows.push(row);
    }
    let started = |row: &HistoryRow| {
        row.conversation_start
            .as_deref()
            .and_then(parse_instant)
            .map(|t| t.unix_timestamp_nanos())
    };
    rows.sort_by_key(|row| std::cmp::Reverse(started(row)));
    rows.truncate(CONTEXT_ROWS);
    rows
}

/// What is happening on an agent leg right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveState {
    /// The leg is still talking (real-time: no end yet).
    Connected,
    /// In after-call work: the wrap-up is pending.
    Pending,
    /// A wrap-up was submitted.
    Submitted,
    /// After-call work timed out (`ININ-WRAP-UP-TIMEOUT`).
    TimedOut,
    /// The agent skipped after-call work.
    Skipped,
    /// No wrap-up was expected.
    NotRequired,
    /// The leg ended; no live source has said how its wrap-up went yet.
    Ended,
}

impl LiveState {
    /// A short machine name for styling and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connected => "connected",
            Self::Pending => "pending",
            Self::Submitted => "submitted",
            Self::TimedOut => "timed_out",
            Self::Skipped => "skipped",
            Self::NotRequired => "not_required",
            Self::Ended => "ended",
        }
    }

    fn of_outcome(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Submitted => Self::Submitted,
            Outcome::TimedOut => Self::TimedOut,
            Outcome::Skipped => Self::Skipped,
            Outcome::NotRequired => Self::NotRequired,
            Outcome::Pending => Self::Pending,
        }
    }
}

/// One agent leg of the open conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InteractionLeg {
    /// Participant id.
    pub participant_id: String,
    /// The agent's user id, from whichever source has it.
    pub user_id: Option<String>,
    /// The participant's name as the real-time conversation gives it.
    pub name: Option<String>,
    /// The live state.
    pub live: LiveState,
    /// The live code (id or `ININ-*`), when one was submitted or applied.
    pub code: Option<String>,
    /// Whether the state came from the live feed (else from the real-time conversation as read once).
    pub from_feed: bool,
    /// The analytics verdict, once the record has the leg.
    pub verdict: Option<LegVerdict>,
}

/// The agent legs of the open conversation, in [`compare`]'s order (analytics order, then live-only legs). The
/// live state is the feed's (it follows the leg); without a feed row, the real-time conversation's.
pub fn interaction_legs(
    explanation: Option<&Explanation>,
    realtime: Option<&RealtimeConversation>,
    feed: &[WrapUpOutcome],
) -> Vec<InteractionLeg> {
    compare(explanation, realtime, feed)
        .into_iter()
        .map(|leg| {
            let id = leg.participant_id;
            let live = realtime
                .into_iter()
                .flat_map(|r| &r.participants)
                .find(|p| p.id.as_deref() == Some(id.as_str()));
            let fed = feed.iter().find(|o| o.participant_id == id);
            let verdict = explanation
                .into_iter()
                .flat_map(|e| &e.verdicts)
                .find(|v| v.participant_id.as_deref() == Some(id.as_str()))
                .cloned();
            let (state, code) = match (fed, live) {
                (Some(outcome), _) => {
                    (LiveState::of_outcome(outcome.outcome), outcome.code.clone())
                }
                (None, Some(p)) => match p.code() {
                    Some(code) if code.eq_ignore_ascii_case("ININ-WRAP-UP-TIMEOUT") => {
                        (LiveState::TimedOut, Some(code.to_owned()))
                    }
                    Some(code) => (LiveState::Submitted, Some(code.to_owned())),
                    None if p.wrapup_skipped == Some(true) => (LiveState::Skipped, None),
                    None if p.end_time.is_none() => (LiveState::Connected, None),
                    None => (LiveState::Ended, None),
                },
                (None, None) => (LiveState::Ended, None),
            };
            InteractionLeg {
                user_id: leg.user_id,
                name: live.and_then(|p| p.name.clone()),
                live: state,
                code,
                from_feed: fed.is_some(),
                verdict,
                participant_id: id,
            }
        })
        .collect()
}

/// The agent whose last wrap-ups the context shows: the newest agent leg with a user (after a transfer, the
/// agent who has the customer now).
pub fn context_agent(legs: &[InteractionLeg]) -> Option<&str> {
    legs.iter().rev().find_map(|leg| leg.user_id.as_deref())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diagnosis::{Verdict, explain};

    fn record(value: serde_json::Value) -> Conversation {
        serde_json::from_value(value).unwrap()
    }

    fn realtime(value: serde_json::Value) -> RealtimeConversation {
        serde_json::from_value(value).unwrap()
    }

    fn agent_record(id: &str, start: &str, user: &str, code: &str) -> Conversation {
        record(json!({
            "conversationId": id, "conversationStart": start, "conversationEnd": start,
            "participants": [
                { "participantId": "c", "purpose": "customer", "sessions": [{ "mediaType": "voice", "ani": "tel:+1555", "segments": [] }] },
                { "participantId": format!("{id}-other"), "purpose": "agent", "userId": "someone-else", "sessions": [{ "mediaType": "voice", "segments": [
                    { "segmentType": "interact", "segmentStart": start, "segmentEnd": start }]}]},
                { "participantId": format!("{id}-a"), "purpose": "agent", "userId": user, "sessions": [{ "mediaType": "voice", "segments": [
                    { "segmentType": "interact", "segmentStart": start, "segmentEnd": start },
                    { "segmentType": "wrapup", "segmentStart": start, "segmentEnd": start, "wrapUpCode": code }]}]}
            ]
        }))
    }

    #[test]
    fn the_customer_is_the_record_ani_else_the_real_time_one() {
        let live = realtime(json!({ "participants": [
            { "purpose": "agent", "ani": "tel:+1999" },
            { "purpose": "customer", "ani": " tel:+1555 ", "externalContactId": "ext-1", "calls": [{}] }
        ]}));
        assert_eq!(
            customer_ani(Some(&live), None).as_deref(),
            Some("tel:+1555")
        );
        let indexed = record(json!({ "participants": [
            { "purpose": "customer", "sessions": [{ "ani": "tel:+1666" }] }
        ]}));
        assert_eq!(
            customer_ani(Some(&live), Some(&indexed)).as_deref(),
            Some("tel:+1666")
        );
        let blank = realtime(json!({ "participants": [{ "purpose": "customer", "ani": "  " }] }));
        assert_eq!(customer_ani(Some(&blank), None), None);
        let chat = realtime(json!({ "participants": [{ "purpose": "customer", "chats": [{}] }] }));
        assert_eq!(customer_ani(Some(&chat), None), None);
        let facts = ConversationFacts::of(Some(&live), Some(&indexed));
        assert_eq!(facts.media_type.as_deref(), Some("voice"));
        assert_eq!(facts.external_contact_id.as_deref(), Some("ext-1"));
    }

    #[test]
    fn the_window_is_whole_utc_days_up_to_now() {
        let now = OffsetDateTime::parse(
            "2026-11-30T11:05:00+02:00",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        assert_eq!(
            context_window(now).to_string(),
            "2026-11-24T00:00:00.000Z/2026-11-30T09:05:00.000Z"
        );
    }

    #[test]
    fn the_queries_filter_on_the_reference_dimensions_newest_first() {
        let window = Interval::parse("2026-11-24T00:00:00Z/2026-11-30T09:05:00Z").unwrap();
        let customer = customer_query("tel:+1555", window).to_json();
        assert_eq!(customer["order"], "desc");
        assert_eq!(customer["paging"]["pageSize"], CONTEXT_ROWS as u64 + 1);
        assert_eq!(
            customer["segmentFilters"],
            json!([{"type": "and", "clauses": [{"type": "or", "predicates": [
                {"type": "dimension", "dimension": "ani", "operator": "matches", "value": "tel:+1555"}]}]}])
        );
        let agent = agent_query("u-1", window).to_json();
        assert_eq!(
            agent["segmentFilters"],
            json!([{"type": "and", "clauses": [
                {"type": "or", "predicates": [{"type": "dimension", "dimension": "userId", "operator": "matches", "value": "u-1"}]},
                {"type": "or", "predicates": [{"type": "dimension", "dimension": "segmentType", "operator": "matches", "value": "wrapup"}]}]}])
        );
    }

    #[test]
    fn context_rows_drop_the_open_conversation_and_other_agents_newest_first_capped() {
        let mut records: Vec<Conversation> = (0..15)
            .map(|i| {
                agent_record(
                    &format!("c-{i:02}"),
                    &format!("2026-11-{:02}T10:00:00Z", 10 + i),
                    "u-1",
                    &format!("code-{i}"),
                )
            })
            .collect();
        records.push(records[3].clone());
        let rows = context_rows(&records, "c-14", Some("u-1"));
        let ids: Vec<&str> = rows.iter().map(|r| r.conversation_id.as_str()).collect();
        let wanted: Vec<String> = (4..14).rev().map(|i| format!("c-{i:02}")).collect();
        assert_eq!(ids, wanted);
        for row in &rows {
            assert_eq!(row.verdicts.len(), 1, "only the agent's leg");
            assert_eq!(row.verdicts[0].user_id.as_deref(), Some("u-1"));
            assert_eq!(row.verdicts[0].verdict, Verdict::Coded);
        }
        assert_eq!(rows[0].verdicts[0].code.as_deref(), Some("code-13"));
        let everyone = context_rows(&records[..2], "none", None);
        assert_eq!(
            everyone[0].verdicts.len(),
            2,
            "a customer row keeps every leg"
        );
    }

    #[test]
    fn legs_take_the_feed_state_else_the_real_time_one_with_the_verdict() {
        let indexed = agent_record("c-1", "2026-11-30T10:00:00Z", "u-1", "code-9");
        let explanation = explain(&indexed);
        let live = realtime(json!({ "participants": [
            { "id": "c-1-other", "purpose": "agent", "name": "Other", "userId": "someone-else", "endTime": "x" },
            { "id": "c-1-a", "purpose": "agent", "name": "Ada", "userId": "u-1", "wrapup": { "code": "code-9" } },
            { "id": "p-new", "purpose": "agent", "name": "New", "userId": "u-2" },
            { "id": "p-skip", "purpose": "agent", "userId": "u-3", "wrapupSkipped": true, "endTime": "x" }
        ]}));
        let feed = vec![WrapUpOutcome {
            conversation_id: "c-1".into(),
            participant_id: "c-1-other".into(),
            user_id: Some("someone-else".into()),
            queue_id: None,
            media_type: None,
            outcome: Outcome::Pending,
            code: None,
            notes: None,
            duration_seconds: None,
            end_time: None,
        }];
        let legs = interaction_legs(Some(&explanation), Some(&live), &feed);
        let states: Vec<(&str, LiveState, bool)> = legs
            .iter()
            .map(|l| (l.participant_id.as_str(), l.live, l.from_feed))
            .collect();
        assert_eq!(
            states,
            [
                ("c-1-other", LiveState::Pending, true),
                ("c-1-a", LiveState::Submitted, false),
                ("p-new", LiveState::Connected, false),
                ("p-skip", LiveState::Skipped, false),
            ]
        );
        assert_eq!(legs[1].code.as_deref(), Some("code-9"));
        assert_eq!(legs[1].name.as_deref(), Some("Ada"));
        assert_eq!(
            legs[1].verdict.as_ref().map(|v| v.verdict),
            Some(Verdict::Coded)
        );
        assert!(legs[2].verdict.is_none(), "not in the record yet");
        assert_eq!(context_agent(&legs), Some("u-3"));
        assert_eq!(context_agent(&legs[..1]), Some("someone-else"));
        assert_eq!(context_agent(&[]), None);
    }
}
