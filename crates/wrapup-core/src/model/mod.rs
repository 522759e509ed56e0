//! Serde shapes of the Genesys Cloud payloads wrapup-live reads: notifications, conversations, analytics.
//! Tolerant by design: every field optional, unknown fields ignored, unknown enum values kept as `Other`.
#![warn(missing_docs)]

pub mod analytics;
pub mod conversation;
pub mod error;
pub mod notification;
pub mod text;

pub use error::ErrorBody;
pub use text::Text;

/// Defines a string enum that parses case-insensitively and keeps unknown values in `Other(String)`.
///
/// Genesys adds enum values continually (reference §10.11); an unknown value must never fail a parse.
/// Known values deserialize without allocating; only `Other` owns its text.
macro_rules! lenient_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// Parses a wire value, ignoring ASCII case; unknown values become `Other`.
            pub fn parse(value: &str) -> Self {
                $(
                    if value.eq_ignore_ascii_case($text) $(|| value.eq_ignore_ascii_case($alias))* {
                        return Self::$variant;
                    }
                )+
                Self::Other(value.to_owned())
            }

            /// The canonical wire spelling (for `Other`, the value as received).
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Other(value) => value,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visit;
                impl serde::de::Visitor<'_> for Visit {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " string"))
                    }
                    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<$name, E> {
                        Ok($name::parse(value))
                    }
                }
                deserializer.deserialize_str(Visit)
            }
        }
    };
}
pub(crate) use lenient_enum;

/// What a wrap-up code value means, decided in one place for the tracker and the diagnosis.
///
/// Notification `wrapup.code` and analytics `wrapUpCode` both hold either the id (UUID) of a code configured
/// under `/api/v2/routing/wrapupcodes` or a system string such as `ININ-WRAP-UP-TIMEOUT` (reference §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WrapUpCodeKind {
    /// A code the organisation configured; the agent (or an API call) chose it.
    Configured,
    /// `ININ-WRAP-UP-TIMEOUT`: after-call work timed out and the platform applied this code.
    Timeout,
    /// `ININ-WRAP-UP-SKIPPED`: the agent skipped after-call work.
    Skipped,
    /// Any other `ININ-*` value (dialer `ININ-OUTBOUND-*`, `ININ-WRAP-UP-DELETED`, …): set by the platform.
    System,
}

/// The platform's after-call-work timeout code.
pub const WRAP_UP_TIMEOUT_CODE: &str = "ININ-WRAP-UP-TIMEOUT";
/// The platform's code for skipped after-call work (seen in third-party lists, reference §5).
pub const WRAP_UP_SKIPPED_CODE: &str = "ININ-WRAP-UP-SKIPPED";

impl WrapUpCodeKind {
    /// Classifies a wrap-up code value (case-insensitive for the `ININ-` prefix and the known system codes).
    pub fn of(code: &str) -> Self {
        let code = code.trim();
        if code.eq_ignore_ascii_case(WRAP_UP_TIMEOUT_CODE) {
            Self::Timeout
        } else if code.eq_ignore_ascii_case(WRAP_UP_SKIPPED_CODE) {
            Self::Skipped
        } else if code
            .get(..5)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("ININ-"))
        {
            Self::System
        } else {
            Self::Configured
        }
    }
}

/// Reads a Genesys timestamp (ISO-8601 / RFC 3339, e.g. `2024-05-01T10:02:03.000Z`); `None` when it is not one.
pub fn parse_instant(text: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339).ok()
}

/// Whether a participant `purpose` denotes an agent leg (`agent` or `user`, any case): the only legs that wrap up.
pub fn is_agent_purpose(purpose: &str) -> bool {
    purpose.eq_ignore_ascii_case("agent") || purpose.eq_ignore_ascii_case("user")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_codes_are_classified_in_one_place() {
        assert_eq!(
            WrapUpCodeKind::of("ININ-WRAP-UP-TIMEOUT"),
            WrapUpCodeKind::Timeout
        );
        assert_eq!(
            WrapUpCodeKind::of("inin-wrap-up-skipped"),
            WrapUpCodeKind::Skipped
        );
        assert_eq!(
            WrapUpCodeKind::of("ININ-OUTBOUND-PREVIEW-SKIPPED"),
            WrapUpCodeKind::System
        );
        assert_eq!(
            WrapUpCodeKind::of("7f3c2a10-0d5e-4b8e-9a61-3c1f7d2b9e40"),
            WrapUpCodeKind::Configured
        );
        assert_eq!(WrapUpCodeKind::of("ININ"), WrapUpCodeKind::Configured);
        assert_eq!(WrapUpCodeKind::of("ÉÉÉ-x"), WrapUpCodeKind::Configured);
    }

    #[test]
    fn agent_purposes_ignore_case() {
        assert!(is_agent_purpose("agent"));
        assert!(is_agent_purpose("User"));
        assert!(!is_agent_purpose("customer"));
        assert!(!is_agent_purpose("acd"));
    }
}
