//! "Import frames": a capture replayed through a fresh tracker, as the offline feed shows it.

use wrapup_core::tracker::{FrameKind, Tracker, WrapUpOutcome};

/// What a capture replayed to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Replay {
    /// Decided legs, in the order the frames decided them.
    pub outcomes: Vec<WrapUpOutcome>,
    /// Legs still in after-call work when the capture ends.
    pub pending: Vec<WrapUpOutcome>,
    /// Frames read (non-blank lines).
    pub frames: usize,
    /// Lines that are not frames: (1-based line number, why).
    pub malformed: Vec<(usize, String)>,
}

impl Replay {
    /// Replays NDJSON text, one frame per line; blank lines are skipped.
    pub fn of_ndjson(text: &str) -> Self {
        let mut tracker = Tracker::new();
        let mut replay = Self::default();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            replay.frames += 1;
            let report = tracker.ingest_frame(line);
            if let FrameKind::Malformed { reason } = report.kind {
                replay.malformed.push((index + 1, reason));
            }
            replay.outcomes.extend(report.outcomes);
        }
        replay.pending = tracker.pending();
        replay
    }

    /// What to tell the person about the lines that could not be read; `None` when all could.
    pub fn malformed_message(&self) -> Option<String> {
        let (first_line, first_reason) = self.malformed.first()?;
        let lines: Vec<String> = self
            .malformed
            .iter()
            .take(5)
            .map(|(line, _)| line.to_string())
            .collect();
        let more = if self.malformed.len() > 5 {
            ", …"
        } else {
            ""
        };
        Some(format!(
            "{} of {} line(s) are not notification frames and were skipped (line {}{more}). Line {first_line}: {first_reason}. The other frames were replayed; a capture from \"Download frames\" or `wrapup capture` has one JSON frame per line.",
            self.malformed.len(),
            self.frames,
            lines.join(", "),
        ))
    }
}
