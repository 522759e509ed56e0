//! Explains, from an analytics conversation record, why each agent leg's wrap-up code is or is not there.
//! Every verdict carries the fields that prove it, quoted, so a supervisor can check it against the record.
//!
//! # Verdict per agent leg (first rule that holds)
//! 1. a segment has `wrapUpCode`: `ININ-WRAP-UP-TIMEOUT` → [`Verdict::TimedOut`], `ININ-WRAP-UP-SKIPPED` →
//!    [`Verdict::Skipped`], another `ININ-*` → [`Verdict::SystemCode`], else [`Verdict::Coded`];
//! 2. `acwSkipped: true` on a session → [`Verdict::Skipped`];
//! 3. no `conversationEnd`, or a segment of the leg without `segmentEnd` → [`Verdict::InProgress`];
//! 4. a `wrapup` segment without a code → [`Verdict::WrapupWithoutCode`];
//! 5. no `interact` segment and (`tNotResponding`, or only `alert` segments) → [`Verdict::NotAnswered`];
//! 6. a `tAcw` metric without any `wrapup` segment → [`Verdict::WrapupWithoutCode`];
//! 7. an answered leg (an `interact` segment) without a `tHandle` metric → [`Verdict::InProgress`]: handle time
//!    includes after-call work (reference §6.2), so it is emitted once the leg's wrap-up is over, and the wrap-up
//!    half of the record is still being indexed;
//! 8. otherwise → [`Verdict::NoWrapupPhase`].
//!
//! A record without any agent leg gets one [`Verdict::NoAgent`]. Segments are sorted by `segmentStart` (they may
//! overlap by a few ms, and wrap-up segments may have zero length); adjacency is never assumed.
#![warn(missing_docs)]

use std::cmp::Ordering;
use std::fmt;
use std::io;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::model::analytics::{Conversation, Participant, Segment, SegmentType, Session};
use crate::model::{ErrorBody, WrapUpCodeKind, parse_instant as instant};

/// Why one agent leg has (or lacks) a wrap-up code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A configured wrap-up code was recorded.
    Coded,
    /// After-call work timed out: `ININ-WRAP-UP-TIMEOUT`.
    TimedOut,
    /// Another system code (`ININ-OUTBOUND-*`, …): applied by the platform, not the agent.
    SystemCode,
    /// The agent skipped after-call work (`acwSkipped`).
    Skipped,
    /// A wrap-up phase happened but ended without a code.
    WrapupWithoutCode,
    /// The leg ended without any wrap-up phase: none was configured.
    NoWrapupPhase,
    /// The agent never answered (alert only, `tNotResponding`).
    NotAnswered,
    /// The record is not final yet (no `conversationEnd`, or open segments).
    InProgress,
    /// No agent leg at all (IVR only, abandoned in queue, …).
    NoAgent,
}

impl Verdict {
    /// Every verdict, from recorded to absent, in the order charts and legends list them.
    pub const ALL: [Verdict; 9] = [
        Verdict::Coded,
        Verdict::TimedOut,
        Verdict::SystemCode,
        Verdict::Skipped,
        Verdict::WrapupWithoutCode,
        Verdict::NoWrapupPhase,
        Verdict::NotAnswered,
        Verdict::InProgress,
        Verdict::NoAgent,
    ];

    /// The snake_case name used in the CLI output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Coded => "coded",
            Self::TimedOut => "timed_out",
            Self::SystemCode => "system_code",
            Self::Skipped => "skipped",
            Self::WrapupWithoutCode => "wrapup_without_code",
            Self::NoWrapupPhase => "no_wrapup_phase",
            Self::NotAnswered => "not_answered",
            Self::InProgress => "in_progress",
            Self::NoAgent => "no_agent",
        }
    }

    /// One actionable sentence for the person reading the verdict.
    pub fn advice(&self) -> &'static str {
        match self {
            Self::Coded => {
                "A wrap-up code was recorded; look up its name with GET /api/v2/routing/wrapupcodes/{codeId}."
            }
            Self::TimedOut => {
                "After-call work timed out before the agent chose a code; lengthen the queue's ACW timeout or remind agents to wrap up in time."
            }
            Self::SystemCode => {
                "The platform (for example the dialer) applied a system code, not the agent; check the campaign or flow that placed the interaction."
            }
            Self::Skipped => {
                "The agent skipped after-call work; make wrap-up mandatory on the queue if every interaction needs a code."
            }
            Self::WrapupWithoutCode => {
                "The agent had a wrap-up phase but left it without a code; make the queue's wrap-up prompt mandatory."
            }
            Self::NoWrapupPhase => {
                "No after-call work was configured for this leg; turn on wrap-up in the queue's ACW settings for this media type."
            }
            Self::NotAnswered => {
                "The agent never answered this leg, so no wrap-up was expected; look at the leg of the agent who did answer."
            }
            Self::InProgress => {
                "Analytics has not finished indexing this conversation; look again in a few minutes or watch the live feed."
            }
            Self::NoAgent => {
                "No agent handled this conversation (IVR only, abandoned, or flow only), so there is nothing to wrap up."
            }
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a callback conversation came to be, read from the segment timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallbackOrigin {
    /// Created through `POST /api/v2/conversations/callbacks`: a customer callback session holds the earliest
    /// `segmentStart` of the whole conversation.
    Api,
    /// A callback added to a conversation that already existed (e.g. requested in the IVR or the queue).
    Added,
}

/// The verdict for one agent leg.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegVerdict {
    /// The agent participant (absent for [`Verdict::NoAgent`]).
    pub participant_id: Option<String>,
    /// The agent's user id.
    pub user_id: Option<String>,
    /// Why the code is or is not there.
    pub verdict: Verdict,
    /// The wrap-up code, when one was recorded.
    pub code: Option<String>,
    /// The wrap-up note, when one was recorded.
    pub note: Option<String>,
    /// The record's fields that prove the verdict, quoted.
    pub evidence: Vec<String>,
}

/// The explanation of one analytics record; serializes to exactly the `wrapup explain` output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// Conversation id.
    pub conversation_id: String,
    /// `conversationEnd`, absent while the conversation is active or not fully indexed.
    pub conversation_end: Option<String>,
    /// How a callback conversation was created; `None` when there is no callback.
    pub callback_origin: Option<CallbackOrigin>,
    /// One verdict per agent leg, or a single [`Verdict::NoAgent`].
    pub verdicts: Vec<LegVerdict>,
}

/// Why a body could not be explained.
#[derive(Debug)]
pub enum ExplainError {
    /// The input is not JSON (or is cut short).
    NotJson(serde_json::Error),
    /// The API answered with an error body instead of a record (e.g. 404 `not.found`).
    Api(ErrorBody),
    /// JSON, but not an analytics conversation record.
    NotARecord(String),
    /// A whole query response with several records: pass one element of `conversations[]`.
    SeveralRecords(usize),
}

impl fmt::Display for ExplainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson(error) => write!(
                f,
                "the input is not valid JSON ({error}); pass the body of GET /api/v2/analytics/conversations/{{id}}/details as it was received"
            ),
            Self::Api(body) => {
                let status = body
                    .status
                    .map_or_else(|| "an error".to_owned(), |s| format!("status {s}"));
                let code = body
                    .code
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default();
                let message = body
                    .message
                    .as_deref()
                    .map(|m| format!(": \"{m}\""))
                    .unwrap_or_default();
                let context = body
                    .context_id
                    .as_deref()
                    .map(|c| format!(" Quote contextId {c} to Genesys support if it persists."))
                    .unwrap_or_default();
                let hint = match body.status {
                    Some(404) => {
                        "the conversation id is wrong, belongs to another organisation or region, or analytics has not indexed it yet; check the id and try again in a few minutes."
                    }
                    Some(401) => "the access token is missing or expired; sign in again.",
                    Some(403) => {
                        "the token lacks analytics:conversationDetail:view; ask an administrator for that permission."
                    }
                    Some(429) => {
                        "the rate limit was hit; wait for Retry-After seconds and try again."
                    }
                    _ => "the request failed; check the request and try again.",
                };
                write!(
                    f,
                    "the API answered {status}{code}{message} instead of a conversation record: {hint}{context}"
                )
            }
            Self::NotARecord(what) => write!(
                f,
                "this is not an analytics conversation record ({what}); pass the body of GET /api/v2/analytics/conversations/{{id}}/details or one element of a details query's conversations[]"
            ),
            Self::SeveralRecords(count) => write!(
                f,
                "this is a query response with {count} conversations; pass one element of its conversations[] to explain it"
            ),
        }
    }
}

impl std::error::Error for ExplainError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::NotJson(error) => Some(error),
            _ => None,
        }
    }
}

/// Explains a JSON body: a record, a response with one record in `conversations[]`, or an error body.
pub fn explain_json(json: &str) -> Result<Explanation, ExplainError> {
    classify(serde_json::from_str(json))
}

/// Like [`explain_json`], reading the body from a stream: memory grows with the fields kept (segments,
/// metrics), not with the size of the input (unknown fields are skipped as they stream by).
pub fn explain_reader(reader: impl io::Read) -> Result<Explanation, ExplainError> {
    classify(serde_json::from_reader(reader))
}

/// Any body `explain` may be given, read in one pass.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    #[serde(default)]
    conversation_id: Option<String>,
    #[serde(default)]
    conversation_start: Option<String>,
    #[serde(default)]
    conversation_end: Option<String>,
    #[serde(default)]
    originating_direction: Option<String>,
    #[serde(default)]
    participants: Option<Vec<Participant>>,
    #[serde(default)]
    conversations: Option<Vec<Conversation>>,
    #[serde(
        default,
        deserialize_with = "crate::model::error::status_number_or_string"
    )]
    status: Option<u16>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    context_id: Option<String>,
}

fn classify(parsed: Result<Body, serde_json::Error>) -> Result<Explanation, ExplainError> {
    let body = parsed.map_err(|error| match error.classify() {
        serde_json::error::Category::Data => ExplainError::NotARecord(error.to_string()),
        _ => ExplainError::NotJson(error),
    })?;
    if body
        .conversation_id
        .as_deref()
        .is_some_and(|id| !id.trim().is_empty())
    {
        let record = Conversation {
            conversation_id: body.conversation_id,
            conversation_start: body.conversation_start,
            conversation_end: body.conversation_end,
            originating_direction: body.originating_direction,
            participants: body.participants.unwrap_or_default(),
        };
        return Ok(explain(&record));
    }
    if let Some(mut conversations) = body.conversations {
        return match conversations.len() {
            1 => {
                let record = conversations.remove(0);
                if record.conversation_id.is_none() {
                    return Err(ExplainError::NotARecord(
                        "its only conversation has no conversationId".into(),
                    ));
                }
                Ok(explain(&record))
            }
            0 => Err(ExplainError::NotARecord(
                "a query response with no conversations".into(),
            )),
            count => Err(ExplainError::SeveralRecords(count)),
        };
    }
    let error = ErrorBody {
        status: body.status,
        code: body.code,
        message: body.message,
        context_id: body.context_id,
    };
    if error.looks_like_error() {
        return Err(ExplainError::Api(error));
    }
    Err(ExplainError::NotARecord("no conversationId".into()))
}

/// Explains a parsed record.
pub fn explain(record: &Conversation) -> Explanation {
    let mut verdicts: Vec<LegVerdict> = record
        .participants
        .iter()
        .filter(|p| p.is_agent())
        .map(|p| judge_leg(record, p))
        .collect();
    if verdicts.is_empty() {
        verdicts.push(no_agent(record));
    }
    Explanation {
        conversation_id: record.conversation_id.clone().unwrap_or_default(),
        conversation_end: record.conversation_end.clone(),
        callback_origin: callback_origin(record),
        verdicts,
    }
}

/// The callback origin (seed rule, kept here only): a `customer` participant's `callback` session holding the
/// earliest `segmentStart` of the whole conversation (its `scheduled`, `interact` or `callback` segment) → `Api`;
/// a customer callback session that starts later → `Added` (by an agent or a flow); no customer callback
/// session → `None` (unknown: a callback session on another participant says nothing about how it began).
pub fn callback_origin(record: &Conversation) -> Option<CallbackOrigin> {
    let customer_callback_sessions = || {
        record
            .participants
            .iter()
            .filter(|p| {
                p.purpose
                    .as_deref()
                    .is_some_and(|purpose| purpose.eq_ignore_ascii_case("customer"))
            })
            .flat_map(|p| p.sessions.iter().map(move |s| (p, s)))
            .filter(|(_, s)| {
                s.media_type
                    .as_deref()
                    .is_some_and(|m| m.eq_ignore_ascii_case("callback"))
            })
    };
    customer_callback_sessions().next()?;
    let earliest = record
        .participants
        .iter()
        .flat_map(|p| &p.sessions)
        .flat_map(|s| &s.segments)
        .filter_map(|seg| instant(seg.segment_start.as_deref()?))
        .min();
    let customer_starts_first = earliest.is_some_and(|earliest| {
        customer_callback_sessions()
            .flat_map(|(_, s)| &s.segments)
            .filter_map(|seg| instant(seg.segment_start.as_deref()?))
            .any(|start| start <= earliest)
    });
    Some(if customer_starts_first {
        CallbackOrigin::Api
    } else {
        CallbackOrigin::Added
    })
}

fn judge_leg(record: &Conversation, participant: &Participant) -> LegVerdict {
    let segments = sorted_segments(participant);
    let mut verdict = LegVerdict {
        participant_id: participant.participant_id.clone(),
        user_id: participant.user_id.clone(),
        verdict: Verdict::NoWrapupPhase,
        code: None,
        note: None,
        evidence: Vec::new(),
    };
    let wrapups: Vec<&Segment> = segments
        .iter()
        .map(|(_, s)| *s)
        .filter(|s| is_type(s, &SegmentType::Wrapup))
        .collect();
    let t_acw = metric(participant, "tAcw");

    // 1. A recorded code: prefer the latest wrap-up segment with one, then any segment with one.
    let coded = wrapups
        .iter()
        .rev()
        .find(|s| s.code().is_some())
        .copied()
        .or_else(|| {
            segments
                .iter()
                .rev()
                .map(|(_, s)| *s)
                .find(|s| s.code().is_some())
        });
    if let Some(segment) = coded {
        let code = segment.code().unwrap_or_default();
        verdict.verdict = match WrapUpCodeKind::of(code) {
            WrapUpCodeKind::Configured => Verdict::Coded,
            WrapUpCodeKind::Timeout => Verdict::TimedOut,
            WrapUpCodeKind::Skipped => Verdict::Skipped,
            WrapUpCodeKind::System => Verdict::SystemCode,
        };
        verdict.code = Some(code.to_owned());
        verdict.note = segment
            .wrap_up_note
            .clone()
            .filter(|n| !n.trim().is_empty());
        verdict
            .evidence
            .push(format!("{} has wrapUpCode {code}", describe(segment)));
        if let Some(note) = &verdict.note {
            verdict.evidence.push(format!("wrapUpNote = \"{note}\""));
        }
        if !segment.wrap_up_tags.is_empty() {
            verdict.evidence.push(format!(
                "wrapUpTags = [{}]",
                segment.wrap_up_tags.join(", ")
            ));
        }
        push_metric(&mut verdict.evidence, t_acw);
        return verdict;
    }
    verdict.note = wrapups
        .iter()
        .find_map(|s| s.wrap_up_note.clone())
        .filter(|n| !n.trim().is_empty());

    // 2. Skipped.
    if let Some(session) = participant
        .sessions
        .iter()
        .find(|s| s.acw_skipped == Some(true))
    {
        verdict.verdict = Verdict::Skipped;
        verdict.evidence.push(format!(
            "acwSkipped = true on session {}",
            session_name(session)
        ));
        verdict.evidence.extend(
            wrapups
                .iter()
                .map(|s| format!("{} has no wrapUpCode", describe(s))),
        );
        push_metric(&mut verdict.evidence, t_acw);
        return verdict;
    }

    // 3. Data not final.
    let open: Vec<&Segment> = segments
        .iter()
        .map(|(_, s)| *s)
        .filter(|s| s.segment_end.is_none())
        .collect();
    if record.conversation_end.is_none() || !open.is_empty() {
        verdict.verdict = Verdict::InProgress;
        if record.conversation_end.is_none() {
            verdict.evidence.push(
                "no conversationEnd: conversation still active or not fully indexed".to_owned(),
            );
        }
        verdict.evidence.extend(
            open.iter()
                .map(|s| format!("{} has no segmentEnd (still open)", describe(s))),
        );
        return verdict;
    }

    // 4. A wrap-up phase without a code.
    if !wrapups.is_empty() {
        verdict.verdict = Verdict::WrapupWithoutCode;
        verdict.evidence.extend(
            wrapups
                .iter()
                .map(|s| format!("{} has no wrapUpCode", describe(s))),
        );
        push_metric(&mut verdict.evidence, t_acw);
        return verdict;
    }

    // 5. Never answered.
    let answered = segments
        .iter()
        .any(|(_, s)| is_type(s, &SegmentType::Interact));
    let only_alerts = !segments.is_empty()
        && segments
            .iter()
            .all(|(_, s)| is_type(s, &SegmentType::Alert));
    let not_responding = metric(participant, "tNotResponding");
    if !answered && (not_responding.is_some() || only_alerts) {
        verdict.verdict = Verdict::NotAnswered;
        push_metric(&mut verdict.evidence, not_responding);
        if only_alerts {
            let alerts: Vec<String> = segments
                .iter()
                .map(|(_, s)| describe_with_disconnect(s))
                .collect();
            verdict
                .evidence
                .push(format!("only alert segments: {}", alerts.join("; ")));
        } else {
            verdict
                .evidence
                .push("no interact segment on the leg".to_owned());
        }
        return verdict;
    }

    // 6. ACW time without a wrap-up segment.
    if t_acw.is_some() {
        verdict.verdict = Verdict::WrapupWithoutCode;
        push_metric(&mut verdict.evidence, t_acw);
        verdict
            .evidence
            .push("no wrapup segment carries a wrapUpCode".to_owned());
        return verdict;
    }

    // 7. Answered, but the handle time (which includes after-call work) is not in the record yet.
    if answered && metric(participant, "tHandle").is_none() {
        verdict.verdict = Verdict::InProgress;
        verdict.evidence.push(
            "no tHandle metric on the answered leg: handle time includes after-call work and is emitted when it ends, so the wrap-up part of the record is not indexed yet".to_owned(),
        );
        if let Some((_, last)) = segments.last() {
            verdict
                .evidence
                .push(format!("last segment: {}", describe_with_disconnect(last)));
        }
        return verdict;
    }

    // 8. No wrap-up phase at all.
    verdict.verdict = Verdict::NoWrapupPhase;
    match segments.last() {
        Some((_, last)) => verdict.evidence.push(format!(
            "no wrapup segment among the leg's {} segments (last: {})",
            segments.len(),
            describe_with_disconnect(last)
        )),
        None => verdict.evidence.push("the leg has no segments".to_owned()),
    }
    let sessions: Vec<&str> = participant.sessions.iter().map(session_name).collect();
    verdict
        .evidence
        .push(format!("no tAcw metric on session {}", sessions.join(", ")));
    verdict
}

fn no_agent(record: &Conversation) -> LegVerdict {
    let mut purposes: Vec<&str> = Vec::new();
    for purpose in record
        .participants
        .iter()
        .filter_map(|p| p.purpose.as_deref())
    {
        if !purposes.contains(&purpose) {
            purposes.push(purpose);
        }
    }
    let mut evidence = vec![if purposes.is_empty() {
        "no participants in the record".to_owned()
    } else {
        format!(
            "no participant with purpose agent or user (purposes: {})",
            purposes.join(", ")
        )
    }];
    for participant in &record.participants {
        for session in &participant.sessions {
            if let Some(value) = session.metric("tAbandon") {
                evidence.push(format!(
                    "session metric tAbandon = {value} ms on the {} participant: the customer hung up while waiting",
                    participant.purpose.as_deref().unwrap_or("unknown")
                ));
            }
        }
    }
    LegVerdict {
        participant_id: None,
        user_id: None,
        verdict: Verdict::NoAgent,
        code: None,
        note: None,
        evidence,
    }
}

/// The leg's segments (with their session) sorted by `segmentStart`; unparseable starts go last, in input order.
fn sorted_segments(participant: &Participant) -> Vec<(&Session, &Segment)> {
    let mut segments: Vec<(Option<OffsetDateTime>, (&Session, &Segment))> = participant
        .sessions
        .iter()
        .flat_map(|session| {
            session
                .segments
                .iter()
                .map(move |segment| (session, segment))
        })
        .map(|pair| (pair.1.segment_start.as_deref().and_then(instant), pair))
        .collect();
    segments.sort_by(|(a, _), (b, _)| match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    segments.into_iter().map(|(_, pair)| pair).collect()
}

fn is_type(segment: &Segment, kind: &SegmentType) -> bool {
    segment.segment_type.as_ref() == Some(kind)
}

/// The first value of a metric on any of the participant's sessions, with the session it came from.
fn metric<'p>(
    participant: &'p Participant,
    name: &'static str,
) -> Option<(&'static str, i64, &'p Session)> {
    participant
        .sessions
        .iter()
        .find_map(|s| Some((name, s.metric(name)?, s)))
}

fn push_metric(evidence: &mut Vec<String>, metric: Option<(&str, i64, &Session)>) {
    if let Some((name, value, _)) = metric {
        evidence.push(format!("session metric {name} = {value} ms"));
    }
}

fn session_name(session: &Session) -> &str {
    session.session_id.as_deref().unwrap_or("(no sessionId)")
}

/// `segment wrapup 2024-05-01T10:02:03.000Z–10:02:40.000Z` (the end's date is left out when it is the start's).
fn describe(segment: &Segment) -> String {
    let kind = segment
        .segment_type
        .as_ref()
        .map_or("(no segmentType)", |t| t.as_str());
    let start = segment.segment_start.as_deref().unwrap_or("?");
    let Some(end) = segment.segment_end.as_deref() else {
        return format!("segment {kind} {start}");
    };
    let same_day = start
        .get(..11)
        .is_some_and(|day| end.get(..11) == Some(day));
    let end_shown = if same_day { &end[11..] } else { end };
    let zero = match (instant(start), instant(end)) {
        (Some(a), Some(b)) if a == b => " (zero length)",
        _ => "",
    };
    format!("segment {kind} {start}–{end_shown}{zero}")
}

fn describe_with_disconnect(segment: &Segment) -> String {
    match segment.disconnect_type.as_deref() {
        Some(disconnect) => format!("{}, disconnectType {disconnect}", describe(segment)),
        None => describe(segment),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_has_advice_and_a_snake_case_name() {
        for verdict in Verdict::ALL {
            assert!(verdict.advice().ends_with('.'), "{verdict}");
            assert_eq!(serde_json::to_value(verdict).unwrap(), verdict.as_str());
        }
    }

    #[test]
    fn errors_say_what_the_body_was() {
        assert!(matches!(explain_json("{"), Err(ExplainError::NotJson(_))));
        assert!(matches!(
            explain_json("[1]"),
            Err(ExplainError::NotARecord(_))
        ));
        assert!(matches!(
            explain_json(r#"{"totalHits":0}"#),
            Err(ExplainError::NotARecord(_))
        ));
        assert!(matches!(
            explain_json(r#"{"conversations":[]}"#),
            Err(ExplainError::NotARecord(_))
        ));
        match explain_json(
            r#"{"status":401,"code":"bad.credentials","message":"Invalid login credentials."}"#,
        ) {
            Err(error @ ExplainError::Api(_)) => {
                assert!(error.to_string().contains("sign in again"))
            }
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    #[test]
    fn segments_sort_by_start_whatever_the_input_order() {
        let record: Conversation = serde_json::from_str(
            r#"{"conversationId":"c","conversationEnd":"2024-05-01T10:05:00Z","participants":[{"purpose":"agent","participantId":"a",
            "sessions":[{"sessionId":"s","metrics":[{"name":"tHandle","value":60004}],"segments":[
              {"segmentType":"interact","segmentStart":"2024-05-01T10:01:00.000Z","segmentEnd":"2024-05-01T10:02:00.004Z","disconnectType":"peer"},
              {"segmentType":"alert","segmentStart":"2024-05-01T10:00:58.000Z","segmentEnd":"2024-05-01T10:01:00.000Z"}]}]}]}"#,
        )
        .unwrap();
        let verdict = &explain(&record).verdicts[0];
        assert_eq!(verdict.verdict, Verdict::NoWrapupPhase);
        assert_eq!(
            verdict.evidence[0],
            "no wrapup segment among the leg's 2 segments (last: segment interact 2024-05-01T10:01:00.000Z–10:02:00.004Z, disconnectType peer)"
        );
    }

    #[test]
    fn a_wrap_up_segment_without_code_wins_over_a_missing_answer() {
        let record: Conversation = serde_json::from_str(
            r#"{"conversationId":"c","conversationEnd":"2024-05-01T10:05:00Z","participants":[{"purpose":"user","participantId":"a",
            "sessions":[{"sessionId":"s","metrics":[{"name":"tAcw","value":1000}],"segments":[
              {"segmentType":"wrapup","segmentStart":"2024-05-01T10:01:00Z","segmentEnd":"2024-05-01T10:01:01Z"}]}]}]}"#,
        )
        .unwrap();
        assert_eq!(
            explain(&record).verdicts[0].verdict,
            Verdict::WrapupWithoutCode
        );
    }

    #[test]
    fn acw_time_without_a_wrap_up_segment_is_a_phase_without_code() {
        let record: Conversation = serde_json::from_str(
            r#"{"conversationId":"c","conversationEnd":"2024-05-01T10:05:00Z","participants":[{"purpose":"agent","participantId":"a",
            "sessions":[{"sessionId":"s","metrics":[{"name":"tAcw","value":5000}],"segments":[
              {"segmentType":"interact","segmentStart":"2024-05-01T10:00:00Z","segmentEnd":"2024-05-01T10:01:00Z"}]}]}]}"#,
        )
        .unwrap();
        let verdict = &explain(&record).verdicts[0];
        assert_eq!(verdict.verdict, Verdict::WrapupWithoutCode);
        assert_eq!(
            verdict.evidence,
            [
                "session metric tAcw = 5000 ms",
                "no wrapup segment carries a wrapUpCode"
            ]
        );
    }

    fn record(json: &str) -> Conversation {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn an_answered_leg_without_handle_time_is_still_being_indexed() {
        // gc-sim and the platform index the wrap-up half later: the interact segment has ended, but neither a
        // wrapup segment nor tAcw/tHandle is there yet. Judging it "no wrap-up phase" would be wrong.
        let pending = record(
            r#"{"conversationId":"c","conversationEnd":"2024-05-01T10:05:00Z","participants":[{"purpose":"agent","participantId":"a",
            "sessions":[{"sessionId":"s","metrics":[{"name":"tTalk","value":60000}],"segments":[
              {"segmentType":"alert","segmentStart":"2024-05-01T10:00:58Z","segmentEnd":"2024-05-01T10:01:00Z"},
              {"segmentType":"interact","segmentStart":"2024-05-01T10:01:00Z","segmentEnd":"2024-05-01T10:02:00Z","disconnectType":"peer"}]}]}]}"#,
        );
        let verdict = &explain(&pending).verdicts[0];
        assert_eq!(verdict.verdict, Verdict::InProgress);
        assert!(verdict.evidence[0].starts_with("no tHandle metric"));
        assert_eq!(
            verdict.evidence[1],
            "last segment: segment interact 2024-05-01T10:01:00Z–10:02:00Z, disconnectType peer"
        );
        // The same leg once tHandle arrives, still without a wrapup segment or tAcw: no wrap-up phase.
        let settled = record(
            r#"{"conversationId":"c","conversationEnd":"2024-05-01T10:05:00Z","participants":[{"purpose":"agent","participantId":"a",
            "sessions":[{"sessionId":"s","metrics":[{"name":"tTalk","value":60000},{"name":"tHandle","value":60000}],"segments":[
              {"segmentType":"interact","segmentStart":"2024-05-01T10:01:00Z","segmentEnd":"2024-05-01T10:02:00Z"}]}]}]}"#,
        );
        assert_eq!(
            explain(&settled).verdicts[0].verdict,
            Verdict::NoWrapupPhase
        );
        // A leg that was never answered needs no handle time to be judged.
        let unanswered = record(
            r#"{"conversationId":"c","conversationEnd":"2024-05-01T10:05:00Z","participants":[{"purpose":"agent","participantId":"a",
            "sessions":[{"sessionId":"s","metrics":[{"name":"tNotResponding","value":8000}],"segments":[
              {"segmentType":"alert","segmentStart":"2024-05-01T10:01:00Z","segmentEnd":"2024-05-01T10:01:08Z"}]}]}]}"#,
        );
        assert_eq!(
            explain(&unanswered).verdicts[0].verdict,
            Verdict::NotAnswered
        );
    }

    #[test]
    fn the_callback_origin_needs_a_customer_callback_session() {
        let session = |purpose: &str, media: &str, kind: &str, start: &str| {
            format!(
                r#"{{"purpose":"{purpose}","participantId":"{purpose}-{media}","sessions":[{{"mediaType":"{media}","segments":[{{"segmentType":"{kind}","segmentStart":"{start}","segmentEnd":"2024-05-01T10:09:00Z"}}]}}]}}"#
            )
        };
        let of = |participants: &[String]| {
            callback_origin(&record(&format!(
                r#"{{"conversationId":"c","participants":[{}]}}"#,
                participants.join(",")
            )))
        };
        // Created through the API: the customer's callback session starts the conversation (scheduled,
        // interact or callback segment alike).
        for kind in ["scheduled", "interact", "callback"] {
            assert_eq!(
                of(&[
                    session("customer", "callback", kind, "2024-05-01T10:00:00Z"),
                    session("acd", "callback", "interact", "2024-05-01T10:00:00.010Z"),
                ]),
                Some(CallbackOrigin::Api),
                "{kind}"
            );
        }
        // Added later to a voice call (by an agent or a flow).
        assert_eq!(
            of(&[
                session("customer", "voice", "interact", "2024-05-01T10:00:00Z"),
                session("customer", "callback", "callback", "2024-05-01T10:00:30Z"),
            ]),
            Some(CallbackOrigin::Added)
        );
        // A callback session only on the agent says nothing about how the callback began: unknown.
        assert_eq!(
            of(&[
                session("customer", "voice", "interact", "2024-05-01T10:00:00Z"),
                session("agent", "callback", "interact", "2024-05-01T10:00:05Z"),
            ]),
            None
        );
        assert_eq!(
            of(&[session(
                "customer",
                "voice",
                "interact",
                "2024-05-01T10:00:00Z"
            )]),
            None
        );
    }
}
