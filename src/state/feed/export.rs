//! Export CSV: the rows the filters show, one line per agent leg, through `wrapup_core::export`.

use wrapup_core::export::{ExportError, ExportRow, ResolvedNames, to_csv};

use super::directory::Directory;
use super::row::FeedRow;

/// The CSV of `rows` (newest first as shown), names resolved through `dir`.
pub fn rows_csv<'a>(
    rows: impl IntoIterator<Item = &'a FeedRow>,
    dir: &Directory,
) -> Result<String, ExportError> {
    let rows = rows
        .into_iter()
        .map(|row| export_row(row, dir))
        .collect::<Result<Vec<_>, _>>()?;
    to_csv(&rows)
}

/// One feed row as an export row.
pub fn export_row(row: &FeedRow, dir: &Directory) -> Result<ExportRow, ExportError> {
    let o = &row.outcome;
    let names = ResolvedNames {
        agent: o
            .user_id
            .as_deref()
            .and_then(|id| dir.user_name(id))
            .map(str::to_owned),
        queue: o
            .queue_id
            .as_deref()
            .and_then(|id| dir.queue_name(id))
            .map(str::to_owned),
        code: o.code.as_deref().and_then(|id| dir.code_text(id)),
    };
    ExportRow::new(o.clone(), names, row.received_at_ms as i64, row.source)
}
