//! One conversation, looked up: checking a typed conversation id, how long to wait for analytics to index
//! it, the record laid out as a timeline, and the record side by side with the real-time conversation.
//! Pure: the widget's services fetch, this module decides.

pub mod context;
pub mod crosscheck;
pub mod lag;
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

/// Whether a fetched record is worth fetching again: some leg's verdict is `in_progress` (a segment is open,
/// or the wrap-up half is not indexed yet), or the conversation has no `conversationEnd` yet: one still
/// waiting in queue has no agent leg at all, and its `no_agent` verdict is not the last word.
pub fn not_final(explanation: &Explanation) -> bool {
    explanation.conversation_end.is_none()
        || explanation
            .verdicts
            .iter()
            .any(|v| v.verdict == Verdict::InProgress)
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
    fn a_record_with_an_in_progress_leg_is_polled_again() {
        let fixture = |name: &str| {
            let path = format!(
                "{}/tests/fixtures/explain/{name}.json",
                env!("CARGO_MANIFEST_DIR")
            );
            explain_json(&std::fs::read_to_string(path).unwrap()).unwrap()
        };
        assert!(not_final(&fixture("in_progress")));
        assert!(!not_final(&fixture("coded")));
        assert!(!not_final(&fixture("no_wrapup_phase")));
        assert!(!not_final(&fixture("ivr_only")));
        // Still in queue: no agent leg yet and no end, so `no_agent` is not the last word.
        let mut waiting = fixture("ivr_only");
        waiting.conversation_end = None;
        assert!(not_final(&waiting));
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
