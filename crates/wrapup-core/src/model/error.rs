//! The platform's standard error body (`ErrorBody`, reference §9), e.g. a 404 from analytics GET-by-id.
//! Recognised so a caller can say "the API answered an error" instead of "this is not a record".
#![warn(missing_docs)]

use serde::{Deserialize, Serialize};

/// `ErrorBody`: what the API returns instead of the requested entity (only the fields wrapup-live shows).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// HTTP status repeated in the body, e.g. `404`.
    #[serde(default, deserialize_with = "status_number_or_string")]
    pub status: Option<u16>,
    /// Machine-readable code, e.g. `not.found`.
    #[serde(default)]
    pub code: Option<String>,
    /// Human-readable message.
    #[serde(default)]
    pub message: Option<String>,
    /// Correlation id to quote to Genesys support.
    #[serde(default)]
    pub context_id: Option<String>,
}

impl ErrorBody {
    /// True when the body has the fields that identify an `ErrorBody` (a `status` or a `code` with a `message`).
    pub fn looks_like_error(&self) -> bool {
        self.status.is_some() || (self.code.is_some() && self.message.is_some())
    }
}

/// `status` is a number in every sample, but tolerate `"404"` too.
pub(crate) fn status_number_or_string<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u16>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Status {
        Number(u64),
        Text(String),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Option::<Status>::deserialize(deserializer)? {
        Some(Status::Number(n)) => u16::try_from(n).ok(),
        Some(Status::Text(t)) => t.trim().parse().ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_404_body() {
        let body: ErrorBody = serde_json::from_str(
            r#"{"status":404,"code":"not.found","message":"The requested operation failed with status 404","contextId":"c-1","details":[],"errors":[]}"#,
        )
        .unwrap();
        assert_eq!(body.status, Some(404));
        assert_eq!(body.code.as_deref(), Some("not.found"));
        assert_eq!(body.context_id.as_deref(), Some("c-1"));
        assert!(body.looks_like_error());
    }

    #[test]
    fn tolerates_a_string_status_and_rejects_nothing_else() {
        let body: ErrorBody = serde_json::from_str(r#"{"status":"429"}"#).unwrap();
        assert_eq!(body.status, Some(429));
        let empty: ErrorBody = serde_json::from_str("{}").unwrap();
        assert!(!empty.looks_like_error());
    }
}
