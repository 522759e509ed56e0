//! Interval windows as Genesys writes them (`start/end`, UTC, milliseconds) and their splitting
//! into chunks a details query accepts.

use std::fmt;
use std::time::Duration;

use serde::{Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// A half-open time window `[start, end)`, written `start/end` in ISO-8601 as Genesys wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interval {
    /// Inclusive start.
    pub start: OffsetDateTime,
    /// Exclusive end.
    pub end: OffsetDateTime,
}

/// Why an interval could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntervalError {
    /// Not `start/end`.
    NoSlash,
    /// A side is not an ISO-8601 (RFC 3339) instant.
    BadInstant(String),
    /// The end is not after the start.
    Empty,
}

impl fmt::Display for IntervalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSlash => f.write_str("an interval is written start/end, e.g. 2024-04-29T00:00:00.000Z/2024-04-30T00:00:00.000Z"),
            Self::BadInstant(text) => write!(f, "\"{text}\" is not an ISO-8601 instant such as 2024-04-29T00:00:00.000Z"),
            Self::Empty => f.write_str("the interval's end must be after its start"),
        }
    }
}

impl std::error::Error for IntervalError {}

impl Interval {
    /// `[start, end)`, or `None` when `end <= start`.
    pub fn new(start: OffsetDateTime, end: OffsetDateTime) -> Option<Self> {
        (end > start).then_some(Self { start, end })
    }

    /// Reads `start/end` (RFC 3339 instants).
    pub fn parse(text: &str) -> Result<Self, IntervalError> {
        let (start, end) = text.trim().split_once('/').ok_or(IntervalError::NoSlash)?;
        let instant = |s: &str| {
            OffsetDateTime::parse(s.trim(), &Rfc3339)
                .map_err(|_| IntervalError::BadInstant(s.to_owned()))
        };
        Self::new(instant(start)?, instant(end)?).ok_or(IntervalError::Empty)
    }

    /// The window's length.
    pub fn length(&self) -> Duration {
        (self.end - self.start).try_into().unwrap_or_default()
    }
}

impl fmt::Display for Interval {
    /// `2024-04-29T00:00:00.000Z/2024-04-30T00:00:00.000Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}",
            format_instant(self.start),
            format_instant(self.end)
        )
    }
}

impl Serialize for Interval {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// An instant as Genesys writes it: UTC, milliseconds, `Z` (`2024-04-29T00:00:00.000Z`).
pub fn format_instant(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.millisecond()
    )
}

/// Splits `[start, end)` into consecutive half-open windows of at most `max_window` each; together they cover the
/// interval exactly, with no overlap. Empty when `end <= start`; one window when `max_window` is zero.
pub fn split_interval(
    start: OffsetDateTime,
    end: OffsetDateTime,
    max_window: Duration,
) -> Vec<Interval> {
    let Some(whole) = Interval::new(start, end) else {
        return Vec::new();
    };
    let Ok(step) = time::Duration::try_from(max_window) else {
        return vec![whole];
    };
    if step.is_zero() {
        return vec![whole];
    }
    let mut windows = Vec::new();
    let mut cursor = start;
    while cursor < end {
        let next = cursor.checked_add(step).map_or(end, |n| n.min(end));
        windows.push(Interval {
            start: cursor,
            end: next,
        });
        cursor = next;
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn splits_into_half_open_windows_as_genesys_writes_them() {
        let windows = split_interval(
            datetime!(2024-04-29 00:00 UTC),
            datetime!(2024-04-30 01:00 UTC),
            Duration::from_secs(12 * 3600),
        );
        let text: Vec<String> = windows.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "2024-04-29T00:00:00.000Z/2024-04-29T12:00:00.000Z",
                "2024-04-29T12:00:00.000Z/2024-04-30T00:00:00.000Z",
                "2024-04-30T00:00:00.000Z/2024-04-30T01:00:00.000Z",
            ]
        );
        assert!(
            split_interval(
                datetime!(2024-04-29 00:00 UTC),
                datetime!(2024-04-29 00:00 UTC),
                Duration::from_secs(60)
            )
            .is_empty()
        );
        assert_eq!(
            split_interval(
                datetime!(2024-04-29 00:00 UTC),
                datetime!(2024-04-29 01:00 UTC),
                Duration::ZERO
            )
            .len(),
            1
        );
    }

    #[test]
    fn instants_are_written_in_utc_with_milliseconds() {
        assert_eq!(
            format_instant(datetime!(2024-04-29 02:00:00.1234 +02:00)),
            "2024-04-29T00:00:00.123Z"
        );
    }

    #[test]
    fn intervals_parse_and_say_what_is_wrong() {
        let interval = Interval::parse("2024-04-29T00:00:00.000Z/2024-04-30T00:00:00Z").unwrap();
        assert_eq!(interval.length(), Duration::from_secs(86_400));
        assert_eq!(
            Interval::parse("2024-04-29T00:00:00Z"),
            Err(IntervalError::NoSlash)
        );
        assert_eq!(
            Interval::parse("yesterday/today"),
            Err(IntervalError::BadInstant("yesterday".into()))
        );
        assert_eq!(
            Interval::parse("2024-04-30T00:00:00Z/2024-04-29T00:00:00Z"),
            Err(IntervalError::Empty)
        );
    }
}
