//! One row per conversation of a history search (details query or job result): what the results table
//! shows and what the export writes. The verdicts are [`crate::diagnosis::explain`]'s, never re-derived.
//!
//! Exports are written a page at a time: [`csv_header`] once, then [`csv_chunk`] or [`ndjson_chunk`] per
//! page, so a caller never holds more than one page of the export. CSV cells are guarded against
//! spreadsheet formulas as in [`crate::export`]; NDJSON is plain JSON (one conversation per line).
#![warn(missing_docs)]

use serde::{Deserialize, Serialize};

use crate::diagnosis::{CallbackOrigin, LegVerdict, Verdict, explain};
use crate::export::{ExportError, guard};
use crate::model::analytics::Conversation;

/// One conversation as a history search reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryRow {
    /// Conversation id.
    pub conversation_id: String,
    /// `conversationStart` as sent.
    pub conversation_start: Option<String>,
    /// `conversationEnd` as sent (absent while ongoing).
    pub conversation_end: Option<String>,
    /// Media type of the first agent session (else of the first session with one).
    pub media_type: Option<String>,
    /// The first queue a segment names.
    pub queue_id: Option<String>,
    /// How a callback conversation was created.
    pub callback_origin: Option<CallbackOrigin>,
    /// One verdict per agent leg, or one `no_agent`, exactly as `wrapup explain` gives them.
    pub verdicts: Vec<LegVerdict>,
}

impl HistoryRow {
    /// The row for an analytics record.
    pub fn from_record(record: &Conversation) -> Self {
        let explanation = explain(record);
        let sessions = || record.participants.iter().flat_map(|p| &p.sessions);
        let media_type = record
            .participants
            .iter()
            .filter(|p| p.is_agent())
            .flat_map(|p| &p.sessions)
            .chain(sessions())
            .find_map(|s| s.media_type.clone());
        let queue_id = sessions()
            .flat_map(|s| &s.segments)
            .find_map(|segment| segment.queue_id.clone());
        Self {
            conversation_id: explanation.conversation_id,
            conversation_start: record.conversation_start.clone(),
            conversation_end: explanation.conversation_end,
            media_type,
            queue_id,
            callback_origin: explanation.callback_origin,
            verdicts: explanation.verdicts,
        }
    }

    /// The verdicts of the row, in leg order.
    pub fn verdict_kinds(&self) -> impl Iterator<Item = Verdict> + '_ {
        self.verdicts.iter().map(|v| v.verdict)
    }
}

/// The CSV columns, one record per agent leg (a conversation without one gives a single `no_agent` record).
pub const CSV_HEADER: [&str; 11] = [
    "conversationId",
    "conversationStart",
    "conversationEnd",
    "mediaType",
    "queueId",
    "participantId",
    "userId",
    "verdict",
    "code",
    "note",
    "evidence",
];

/// The header line (CRLF-terminated).
pub fn csv_header() -> Result<String, ExportError> {
    write_csv(std::iter::once(CSV_HEADER.map(str::to_owned)))
}

/// The CSV records of one page of rows (no header), CRLF-terminated, text cells guarded.
pub fn csv_chunk<'a>(
    rows: impl IntoIterator<Item = &'a HistoryRow>,
) -> Result<String, ExportError> {
    let text = |value: &Option<String>| guard(value.as_deref().unwrap_or_default());
    write_csv(rows.into_iter().flat_map(|row| {
        row.verdicts.iter().map(move |leg| {
            [
                guard(&row.conversation_id),
                text(&row.conversation_start),
                text(&row.conversation_end),
                text(&row.media_type),
                text(&row.queue_id),
                text(&leg.participant_id),
                text(&leg.user_id),
                leg.verdict.as_str().to_owned(),
                text(&leg.code),
                text(&leg.note),
                guard(&leg.evidence.join(" | ")),
            ]
        })
    }))
}

/// One JSON line per row (`\n`-terminated): the row's fields, verdicts as `wrapup explain` writes them.
pub fn ndjson_chunk<'a>(rows: impl IntoIterator<Item = &'a HistoryRow>) -> String {
    let mut out = String::new();
    for row in rows {
        // A HistoryRow is strings, options and enums: serialising it cannot fail.
        if let Ok(line) = serde_json::to_string(row) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

fn write_csv(records: impl Iterator<Item = [String; 11]>) -> Result<String, ExportError> {
    let csv_err = |e: csv::Error| ExportError::Csv(e.to_string());
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .has_headers(false)
        .from_writer(Vec::new());
    for record in records {
        writer.write_record(&record).map_err(csv_err)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError::Csv(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Csv(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::unguard;
    use serde_json::json;

    fn record() -> Conversation {
        serde_json::from_value(json!({
            "conversationId": "c-1", "conversationStart": "2024-05-01T10:00:00.000Z",
            "conversationEnd": "2024-05-01T10:05:00.000Z",
            "participants": [
                {"purpose": "acd", "sessions": [{"mediaType": "voice", "segments": [
                    {"segmentType": "interact", "queueId": "q-1", "segmentStart": "2024-05-01T10:00:00.000Z", "segmentEnd": "2024-05-01T10:00:05.000Z"}]}]},
                {"purpose": "agent", "participantId": "p-1", "userId": "u-1", "sessions": [{"mediaType": "chat", "segments": [
                    {"segmentType": "interact", "segmentStart": "2024-05-01T10:00:05.000Z", "segmentEnd": "2024-05-01T10:04:00.000Z"},
                    {"segmentType": "wrapup", "wrapUpCode": "code-1", "wrapUpNote": "=SUM(A1)",
                     "segmentStart": "2024-05-01T10:04:00.000Z", "segmentEnd": "2024-05-01T10:05:00.000Z"}]}]},
                {"purpose": "agent", "participantId": "p-2", "userId": "u-2", "sessions": [{"mediaType": "chat", "acwSkipped": true, "segments": [
                    {"segmentType": "interact", "segmentStart": "2024-05-01T10:00:05.000Z", "segmentEnd": "2024-05-01T10:01:00.000Z"}]}]}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn a_row_carries_explains_verdicts_and_the_record_summary() {
        let row = HistoryRow::from_record(&record());
        assert_eq!(row.verdicts, explain(&record()).verdicts);
        assert_eq!(
            row.media_type.as_deref(),
            Some("chat"),
            "the agent's session"
        );
        assert_eq!(row.queue_id.as_deref(), Some("q-1"));
        assert_eq!(
            row.verdict_kinds().collect::<Vec<_>>(),
            [Verdict::Coded, Verdict::Skipped]
        );
    }

    #[test]
    fn csv_pages_append_to_one_file_with_one_record_per_leg() {
        let row = HistoryRow::from_record(&record());
        let file =
            csv_header().unwrap() + &csv_chunk([&row]).unwrap() + &csv_chunk([&row]).unwrap();
        let mut reader = csv::ReaderBuilder::new().from_reader(file.as_bytes());
        assert_eq!(reader.headers().unwrap(), CSV_HEADER.as_slice());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 4);
        assert_eq!(&records[0][5], "p-1");
        assert_eq!(&records[0][7], "coded");
        assert_eq!(&records[0][9], "'=SUM(A1)", "a formula is written as text");
        assert_eq!(unguard(&records[0][9]), "=SUM(A1)");
        assert_eq!(&records[1][7], "skipped");
        assert!(records[1][10].contains("acwSkipped = true"));
        assert!(file.ends_with("\r\n"));
    }

    #[test]
    fn ndjson_lines_read_back_as_the_rows() {
        let row = HistoryRow::from_record(&record());
        let text = ndjson_chunk([&row, &row]);
        let lines: Vec<HistoryRow> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines, [row.clone(), row]);
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["verdicts"][0]["verdict"], "coded");
        assert_eq!(first["conversationId"], "c-1");
    }
}
