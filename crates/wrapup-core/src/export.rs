//! CSV export of the live feed's rows (RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or
//! line break), with the names the widget resolved and when each row arrived.
//!
//! # Spreadsheet formula injection
//! Notes, names and ids come from other people. A text cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return would run as a formula when the file is opened in a spreadsheet, so it is written with a
//! leading `'` (the OWASP "CSV injection" advice), which spreadsheets show as text. A cell that already starts
//! with `'` gets one more, so [`unguard`] restores every original value exactly. Only `acwSeconds` is left
//! unguarded: it is a number, and a negative one is a number too.

use std::fmt;

use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

use crate::tracker::{LegKey, Outcome, WrapUpOutcome};

/// The header row, in column order.
pub const HEADER: [&str; 15] = [
    "conversationId",
    "participantId",
    "userId",
    "agent",
    "queueId",
    "queue",
    "mediaType",
    "outcome",
    "codeId",
    "code",
    "notes",
    "acwSeconds",
    "endTime",
    "receivedAt",
    "source",
];

/// How a row reached the feed; saved as `live` or `recovered`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RowSource {
    /// From the notification socket as it happened.
    #[default]
    Live,
    /// Fetched afterwards to fill a gap (reconnect backfill, analytics).
    Recovered,
}

impl RowSource {
    /// `live` or `recovered`, as written in the `source` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Recovered => "recovered",
        }
    }
}

/// Names the widget resolved for a row's ids; `None` where it does not know one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolvedNames {
    /// The agent's name, for `userId`.
    pub agent: Option<String>,
    /// The queue's name, for `queueId`.
    pub queue: Option<String>,
    /// The wrap-up code's name, for `codeId`.
    pub code: Option<String>,
}

/// One exported feed row: a decided wrap-up outcome plus what the widget knows about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRow {
    /// The leg's outcome as the tracker reported it.
    pub outcome: WrapUpOutcome,
    /// Names resolved for its ids.
    pub names: ResolvedNames,
    /// When the widget received the row, milliseconds since the Unix epoch (the caller's clock).
    pub received_at_ms: i64,
    /// Whether it came live or was recovered.
    pub source: RowSource,
}

/// Why rows could not be exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    /// The leg is still in after-call work: it has no outcome to export yet.
    Undecided(LegKey),
    /// `received_at_ms` is outside the years 0000–9999 that ISO-8601 without extensions can write.
    ReceivedAt(i64),
    /// The CSV writer failed (it writes to memory, so only on an internal error).
    Csv(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Undecided(leg) => write!(
                f,
                "leg {leg} is still in after-call work, so it has no outcome to export yet; export again once it is decided"
            ),
            Self::ReceivedAt(ms) => write!(
                f,
                "the receive time {ms} ms is not a date this export can write; the row was not exported"
            ),
            Self::Csv(e) => write!(f, "the CSV file could not be written: {e}"),
        }
    }
}

impl std::error::Error for ExportError {}

impl ExportRow {
    /// A row for a decided outcome; a leg still pending is refused.
    pub fn new(
        outcome: WrapUpOutcome,
        names: ResolvedNames,
        received_at_ms: i64,
        source: RowSource,
    ) -> Result<Self, ExportError> {
        if outcome.outcome == Outcome::Pending {
            return Err(ExportError::Undecided(outcome.leg_key()));
        }
        Ok(Self {
            outcome,
            names,
            received_at_ms,
            source,
        })
    }

    /// The row's fields in [`HEADER`] order, before the formula guard.
    fn fields(&self) -> Result<[String; 15], ExportError> {
        let o = &self.outcome;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Ok([
            o.conversation_id.clone(),
            o.participant_id.clone(),
            text(&o.user_id),
            text(&self.names.agent),
            text(&o.queue_id),
            text(&self.names.queue),
            text(&o.media_type),
            o.outcome.as_str().to_owned(),
            text(&o.code),
            text(&self.names.code),
            text(&o.notes),
            o.duration_seconds
                .map(|s| s.to_string())
                .unwrap_or_default(),
            o.end_time.as_deref().map(utc_iso).unwrap_or_default(),
            epoch_ms_iso(self.received_at_ms)
                .ok_or(ExportError::ReceivedAt(self.received_at_ms))?,
            self.source.as_str().to_owned(),
        ])
    }
}

/// The column index of `acwSeconds`, the one numeric column.
const ACW_SECONDS: usize = 11;

/// The whole CSV file: the header, then one CRLF-terminated record per row. Text cells are guarded against
/// formula injection (see the module docs).
pub fn to_csv<'a>(rows: impl IntoIterator<Item = &'a ExportRow>) -> Result<String, ExportError> {
    let csv_err = |e: csv::Error| ExportError::Csv(e.to_string());
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(HEADER).map_err(csv_err)?;
    for row in rows {
        let fields = row.fields()?;
        let cells = fields.iter().enumerate().map(|(i, f)| {
            if i == ACW_SECONDS {
                f.clone()
            } else {
                guard(f)
            }
        });
        writer.write_record(cells).map_err(csv_err)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError::Csv(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Csv(e.to_string()))
}

/// A text cell as written: `'` in front when a spreadsheet would read it as a formula, or when it starts with
/// `'` already (so that [`unguard`] is exact).
pub fn guard(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// The original value of a guarded text cell, for a program reading the export back.
pub fn unguard(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// A platform time written as UTC ISO-8601 with milliseconds; a value it cannot read is passed through as sent.
fn utc_iso(value: &str) -> String {
    let well_known = time::format_description::well_known::Rfc3339;
    let iso = time::format_description::well_known::Iso8601::DEFAULT;
    OffsetDateTime::parse(value, &well_known)
        .or_else(|_| OffsetDateTime::parse(value, &iso))
        .ok()
        .and_then(format_utc)
        .unwrap_or_else(|| value.to_owned())
}

/// Epoch milliseconds as UTC ISO-8601 with milliseconds.
fn epoch_ms_iso(ms: i64) -> Option<String> {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
    format_utc(t)
}

fn format_utc(t: OffsetDateTime) -> Option<String> {
    let t = t.to_offset(UtcOffset::UTC);
    if !(0..=9999).contains(&t.year()) {
        return None;
    }
    t.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    ))
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(notes: Option<&str>) -> WrapUpOutcome {
        WrapUpOutcome {
            conversation_id: "c-1".into(),
            participant_id: "p-1".into(),
            user_id: Some("u-1".into()),
            queue_id: Some("q-1".into()),
            media_type: Some("voice".into()),
            outcome: Outcome::Submitted,
            code: Some("code-1".into()),
            notes: notes.map(str::to_owned),
            duration_seconds: Some(42),
            end_time: Some("2024-05-01T10:00:07.5+02:00".into()),
        }
    }

    fn names() -> ResolvedNames {
        ResolvedNames {
            agent: Some("Agent 01".into()),
            queue: Some("Sales, EMEA".into()),
            code: Some("Resolved \"first time\"".into()),
        }
    }

    fn read_back(csv: &str) -> Vec<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes());
        reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn header_and_a_row_read_back_field_by_field() {
        let row = ExportRow::new(
            outcome(Some("called back")),
            names(),
            1_714_557_607_123,
            RowSource::Live,
        )
        .unwrap();
        let csv = to_csv([&row]).unwrap();
        assert!(csv.starts_with(
            "conversationId,participantId,userId,agent,queueId,queue,mediaType,outcome,codeId,code,notes,acwSeconds,\
             endTime,receivedAt,source\r\n"
        ));
        let records = read_back(&csv);
        assert_eq!(records[0], HEADER);
        assert_eq!(
            records[1],
            [
                "c-1",
                "p-1",
                "u-1",
                "Agent 01",
                "q-1",
                "Sales, EMEA",
                "voice",
                "submitted",
                "code-1",
                "Resolved \"first time\"",
                "called back",
                "42",
                "2024-05-01T08:00:07.500Z",
                "2024-05-01T10:00:07.123Z",
                "live",
            ]
        );
        assert_eq!(records.len(), 2);
    }

    #[test]
    fn awkward_notes_round_trip_and_formulas_are_defused() {
        let notes = [
            "plain",
            "comma, inside",
            "a \"quoted\" word",
            "line one\nline two\r\nline three",
            "=HYPERLINK(\"http://evil.example\",\"click\")",
            "+1 555 0100",
            "-2+3",
            "@SUM(A1:A2)",
            "\tTab first",
            "'already quoted",
            "",
            "naïve — 😀",
        ];
        let rows: Vec<ExportRow> = notes
            .iter()
            .map(|n| ExportRow::new(outcome(Some(n)), names(), 0, RowSource::Recovered).unwrap())
            .collect();
        let records = read_back(&to_csv(&rows).unwrap());
        assert_eq!(records.len(), notes.len() + 1);
        for (record, note) in records[1..].iter().zip(notes) {
            let cell = &record[10];
            assert_eq!(unguard(cell), note, "notes round-trip");
            let risky = note.starts_with(['=', '+', '-', '@', '\t', '\'']);
            assert_eq!(
                cell.starts_with('\''),
                risky,
                "{note:?} written as {cell:?}"
            );
            assert_eq!(record[13], "1970-01-01T00:00:00.000Z");
            assert_eq!(record[14], "recovered");
        }
    }

    #[test]
    fn every_outcome_and_missing_values() {
        let cases = [
            (Outcome::Submitted, "submitted"),
            (Outcome::TimedOut, "timed_out"),
            (Outcome::Skipped, "skipped"),
            (Outcome::NotRequired, "not_required"),
        ];
        for (kind, written) in cases {
            let bare = WrapUpOutcome {
                user_id: None,
                queue_id: None,
                media_type: None,
                code: None,
                notes: None,
                duration_seconds: None,
                end_time: None,
                outcome: kind,
                ..outcome(None)
            };
            let row = ExportRow::new(bare, ResolvedNames::default(), -1, RowSource::Live).unwrap();
            let records = read_back(&to_csv([&row]).unwrap());
            assert_eq!(
                records[1],
                [
                    "c-1",
                    "p-1",
                    "",
                    "",
                    "",
                    "",
                    "",
                    written,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "1969-12-31T23:59:59.999Z",
                    "live"
                ]
            );
        }
    }

    #[test]
    fn pending_legs_bad_times_and_negative_numbers() {
        let pending = WrapUpOutcome {
            outcome: Outcome::Pending,
            ..outcome(None)
        };
        assert_eq!(
            ExportRow::new(pending, names(), 0, RowSource::Live),
            Err(ExportError::Undecided(LegKey::new("c-1", "p-1")))
        );
        let far = ExportRow::new(outcome(None), names(), i64::MAX, RowSource::Live).unwrap();
        assert_eq!(to_csv([&far]), Err(ExportError::ReceivedAt(i64::MAX)));

        let odd = WrapUpOutcome {
            end_time: Some("=not a time".into()),
            duration_seconds: Some(-3),
            ..outcome(None)
        };
        let row = ExportRow::new(odd, names(), 0, RowSource::Live).unwrap();
        let records = read_back(&to_csv([&row]).unwrap());
        assert_eq!(records[1][11], "-3", "numbers are not guarded");
        assert_eq!(
            records[1][12], "'=not a time",
            "an unreadable time is passed through, guarded"
        );
    }
}
