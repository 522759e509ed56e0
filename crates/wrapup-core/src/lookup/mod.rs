//! One conversation, looked up: checking a typed conversation id, how long to wait for analytics to index
//! it, the record laid out as a timeline, and the record side by side with the real-time conversation.
//! Pure: the widget's services fetch, this module decides.

pub mod crosscheck;
pub mod timeline;

use std::fmt;
use std::time::Duration;

use crate::diagnosis::{ExplainError, Explanation, Verdict, explain_json};
use crate::model::analytics::{Conversation, QueryResponse};
use crate::retry::Backoff;

/// What the person is told about indexing lag. Genesys publishes no figure (reference §6.5, UNCONFIRMED);
/// gc-sim's own choice is 45 s for the record plus 20 s for the wrap-up segment.
pub const TYPICAL_INDEXING_LAG: &str = "analytics usually indexes a conversation within a minute or two of its end, and the wrap-up a little later";

/// Polling `GET …/analytics/conversations/{id}/details` until the record (and its wrap-up) is indexed:
/// 3 s growing by half to 20 s, 20 % jitter, given up after 5 minutes. A 429's `Retry-After` wins.
pub fn indexing_backoff() -> Backoff {
    Backoff {
        base: Duration::from_secs(3),
        factor: 1.5,
        cap: Duration::from_secs(20),
        deadline: Duration::from_secs(300),
        jitter: 0.2,
    }
}

/// Why a typed conversation id was refused before any request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConversationIdError {
    /// Nothing was typed.
    Empty,
    /// Not a UUID (Genesys conversation ids are UUIDs).
    NotAnId(String),
}

impl fmt::Display for ConversationIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str(
                "Type or paste a conversation id first (for example 3f9a1c2e-5b7d-4e8f-9a01-23456789abcd).",
            ),
            Self::NotAnId(what) => write!(
                f,
                "\"{what}\" is not a conversation id: Genesys Cloud conversation ids are UUIDs like 3f9a1c2e-5b7d-4e8f-9a01-23456789abcd. Nothing was requested; check the id and try again."
            ),
        }
    }
}

impl std::error::Error for ConversationIdError {}

/// A typed or pasted conversation id, checked and written the way the API writes it (lower-case, hyphenated).
/// Surrounding spaces and a `{…}`/`urn:uuid:` wrapping are forgiven; anything else that is not a UUID is refused.
pub fn parse_conversation_id(input: &str) -> Result<String, ConversationIdError> {
    let typed = input.trim();
    if typed.is_empty() {
        return Err(ConversationIdError::Empty);
    }
    let shown: String = typed.chars().take(60).collect();
    uuid::Uuid::try_parse(typed)
        .map(|id| id.hyphenated().to_string())
        .map_err(|_| ConversationIdError::NotAnId(shown))
}

/// A pasted or dropped analytics body, for offline explanation: the record (for its timeline) and exactly what
/// `wrapup explain` says of it. Accepts what `explain` accepts: a record, or a response with one record.
pub fn record_of_json(json: &str) -> Result<(Conversation, Explanation), ExplainError> {
    let explanation = explain_json(json)?;
    let record = match serde_json::from_str::<Conversation>(json) {
        Ok(record) if record.conversation_id.is_some() => record,
        _ => serde_json::from_str::<QueryResponse>(json)
            .ok()
            .and_then(|response| response.conversations.into_iter().next())
            .ok_or_else(|| ExplainError::NotARecord("no conversation record".into()))?,
    };
    Ok((record, explanation))
}

/// Whether a fetched record is worth fetching again: some leg's verdict is `in_progress` (not indexed yet, or
/// its wrap-up still open) while the conversation has ended, as the record or the real-time source says.
pub fn wrap_up_pending(explanation: &Explanation, ended_elsewhere: bool) -> bool {
    let ended = explanation.conversation_end.is_some() || ended_elsewhere;
    let in_progress = explanation
        .verdicts
        .iter()
        .any(|v| v.verdict == Verdict::InProgress);
    ended && in_progress
}

/// p50, p90 and max of measured lags (nearest-rank percentiles); `None` without samples.
pub fn lag_summary(samples_ms: &[f64]) -> Option<LagSummary> {
    let mut sorted: Vec<f64> = samples_ms
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let rank = |p: f64| {
        let index = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[index]
    };
    Some(LagSummary {
        samples: sorted.len(),
        p50_ms: rank(0.5),
        p90_ms: rank(0.9),
        max_ms: sorted[sorted.len() - 1],
    })
}

/// The measured indexing lag of wrap-ups seen live.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LagSummary {
    /// How many lags were measured.
    pub samples: usize,
    /// Median, ms.
    pub p50_ms: f64,
    /// 90th percentile, ms.
    pub p90_ms: f64,
    /// Largest, ms.
    pub max_ms: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::explain_json;

    #[test]
    fn conversation_ids_are_uuids_written_as_the_api_writes_them() {
        assert_eq!(
            parse_conversation_id("  3F9A1C2E-5B7D-4E8F-9A01-23456789ABCD \n").unwrap(),
            "3f9a1c2e-5b7d-4e8f-9a01-23456789abcd"
        );
        assert_eq!(
            parse_conversation_id("{3f9a1c2e-5b7d-4e8f-9a01-23456789abcd}").unwrap(),
            "3f9a1c2e-5b7d-4e8f-9a01-23456789abcd"
        );
        assert_eq!(
            parse_conversation_id("   "),
            Err(ConversationIdError::Empty)
        );
        for bad in [
            "3f9a1c2e-5b7d-4e8f-9a01",
            "../../users/me",
            "3f9a1c2e-5b7d-4e8f-9a01-23456789abcg",
            "<b>hi</b>",
        ] {
            let error = parse_conversation_id(bad).unwrap_err();
            assert_eq!(error, ConversationIdError::NotAnId(bad.to_owned()));
            assert!(
                error.to_string().contains("Nothing was requested"),
                "{error}"
            );
        }
    }

    #[test]
    fn a_pending_wrap_up_on_an_ended_conversation_is_polled_again() {
        let fixture = |name: &str| {
            let path = format!(
                "{}/tests/fixtures/explain/{name}.json",
                env!("CARGO_MANIFEST_DIR")
            );
            explain_json(&std::fs::read_to_string(path).unwrap()).unwrap()
        };
        let in_progress = fixture("in_progress");
        assert!(in_progress.conversation_end.is_none());
        assert!(
            !wrap_up_pending(&in_progress, false),
            "still active: nothing to wait for"
        );
        assert!(
            wrap_up_pending(&in_progress, true),
            "ended per the real-time source"
        );
        assert!(!wrap_up_pending(&fixture("coded"), true));
        assert!(!wrap_up_pending(&fixture("no_wrapup_phase"), true));
    }

    #[test]
    fn a_pasted_body_gives_its_record_and_the_cli_explanation() {
        let dir = format!("{}/tests/fixtures/explain", env!("CARGO_MANIFEST_DIR"));
        for name in ["coded", "query_response_one"] {
            let text = std::fs::read_to_string(format!("{dir}/{name}.json")).unwrap();
            let expected: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(format!("{dir}/{name}.expected.json")).unwrap(),
            )
            .unwrap();
            let (record, explanation) = record_of_json(&text).unwrap();
            assert_eq!(
                serde_json::to_value(&explanation).unwrap(),
                expected,
                "{name}"
            );
            assert_eq!(record.conversation_id, Some(explanation.conversation_id));
        }
        assert!(matches!(record_of_json("{"), Err(ExplainError::NotJson(_))));
        assert!(matches!(
            record_of_json(r#"{"status":404,"code":"not.found"}"#),
            Err(ExplainError::Api(_))
        ));
    }

    #[test]
    fn lag_percentiles_are_nearest_rank() {
        assert_eq!(lag_summary(&[]), None);
        let lags: Vec<f64> = (1..=10).map(|s| f64::from(s) * 1000.0).collect();
        assert_eq!(
            lag_summary(&lags),
            Some(LagSummary {
                samples: 10,
                p50_ms: 5000.0,
                p90_ms: 9000.0,
                max_ms: 10000.0
            })
        );
        assert_eq!(lag_summary(&[7.0]).unwrap().p90_ms, 7.0);
    }

    #[test]
    fn the_indexing_policy_gives_up_after_five_minutes() {
        let policy = indexing_backoff();
        let mut no_jitter = || 0.0;
        assert_eq!(
            policy.next_delay(0, None, Duration::ZERO, &mut no_jitter),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            policy.next_delay(20, None, Duration::from_secs(10), &mut no_jitter),
            Some(Duration::from_secs(20))
        );
        assert_eq!(
            policy.next_delay(3, None, Duration::from_secs(295), &mut no_jitter),
            None
        );
    }
}
