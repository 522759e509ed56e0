//! Writes realistic synthetic Notification API frames as NDJSON, for timing `wrapup replay` end to end:
//! `cargo run --release -p wrapup-core --example gen_frames -- 1000000 > /tmp/frames.ndjson`.

use std::io::{self, BufWriter, Write};

#[path = "../benches/support/frames.rs"]
mod frames;

fn main() -> io::Result<()> {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(200_000);
    let mut out = BufWriter::new(io::stdout().lock());
    for frame in frames::traffic(count, 7) {
        out.write_all(frame.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
