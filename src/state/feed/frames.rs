//! The last raw WebSocket frames, for "Download frames": one frame per NDJSON line, the format
//! `wrapup replay` reads. Bounded by count and by bytes so a long shift stays light.

use std::collections::VecDeque;

/// Frames kept at most.
pub const MAX_FRAMES: usize = 20_000;
/// Bytes of frame text kept at most.
pub const MAX_FRAME_BYTES: usize = 16 * 1024 * 1024;

/// A bounded ring of raw frames, oldest first.
#[derive(Debug, Default)]
pub struct FrameRing {
    frames: VecDeque<String>,
    bytes: usize,
}

impl FrameRing {
    /// Keeps `frame`, dropping the oldest past the bounds.
    pub fn push(&mut self, frame: String) {
        // A frame is one NDJSON line: a raw line break inside would split it.
        let frame = if frame.contains(['\n', '\r']) {
            frame.replace(['\n', '\r'], " ")
        } else {
            frame
        };
        self.bytes += frame.len();
        self.frames.push_back(frame);
        while self.frames.len() > MAX_FRAMES || self.bytes > MAX_FRAME_BYTES {
            match self.frames.pop_front() {
                Some(old) => self.bytes -= old.len(),
                None => break,
            }
        }
    }

    /// Frames kept.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// The NDJSON file: one frame per line.
    pub fn to_ndjson(&self) -> String {
        let mut out = String::with_capacity(self.bytes + self.frames.len());
        for frame in &self.frames {
            out.push_str(frame);
            out.push('\n');
        }
        out
    }
}
