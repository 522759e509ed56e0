//! `wrapup`: replay Notification API frames into wrap-up outcomes, or explain an analytics record's wrap-up.
//! A stable contract for scripts: NDJSON / JSON on stdout, diagnostics on stderr (see the crate README).

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::Serialize;
use wrapup_core::diagnosis;
use wrapup_core::tracker::{FrameKind, Tracker};

/// Genesys Cloud wrap-up tools: live outcomes from notification frames, and why an analytics record has no code.
#[derive(Parser)]
#[command(name = "wrapup", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Replay WebSocket frames (NDJSON, one raw text frame per line) and print one NDJSON line per agent-leg
    /// outcome, in the order they became known; legs still in after-call work at the end are printed as `pending`.
    Replay {
        /// Input file; `-` or nothing reads standard input.
        input: Option<PathBuf>,
    },
    /// Explain one analytics conversation record (GET …/analytics/conversations/{id}/details, or one element of a
    /// details query's `conversations[]`): one JSON object with a verdict per agent leg. Exit 2 if it is not a record.
    Explain {
        /// Input file; `-` or nothing reads standard input.
        input: Option<PathBuf>,
        /// Indent the JSON output.
        #[arg(long)]
        pretty: bool,
    },
}

/// Longest frame accepted; longer lines are skipped (and reported) without being held in memory.
const MAX_FRAME_BYTES: usize = 16 * 1024 * 1024;
/// Malformed lines reported one by one; the rest are only counted.
const MAX_REPORTED_MALFORMED: u64 = 1000;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Replay { input } => open(input.as_ref()).and_then(replay),
        Command::Explain { input, pretty } => open(input.as_ref()).and_then(|reader| explain(reader, pretty)),
    };
    match result {
        Ok(code) => code,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wrapup: {error}");
            ExitCode::FAILURE
        }
    }
}

fn open(input: Option<&PathBuf>) -> io::Result<Box<dyn BufRead>> {
    match input {
        None => Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin()))),
        Some(path) if path.as_os_str() == "-" => Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin()))),
        Some(path) => File::open(path)
            .map(|file| Box::new(BufReader::with_capacity(1 << 16, file)) as Box<dyn BufRead>)
            .map_err(|error| {
                io::Error::new(error.kind(), format!("cannot read {}: {error}; check the path", path.display()))
            }),
    }
}

#[derive(Default)]
struct ReplayCounts {
    frames: u64,
    heartbeats: u64,
    pongs: u64,
    socket_closing: u64,
    conversation: u64,
    other: u64,
    malformed: u64,
    outcomes: u64,
}

fn replay(mut input: Box<dyn BufRead>) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let mut tracker = Tracker::new();
    let mut counts = ReplayCounts::default();
    let mut line = Vec::with_capacity(1 << 16);
    let mut line_number = 0u64;

    while let Some(read) = read_line(&mut input, &mut line, MAX_FRAME_BYTES)? {
        line_number += 1;
        let malformed = |reason: &str, counts: &mut ReplayCounts, err: &mut io::StderrLock| {
            counts.malformed += 1;
            if counts.malformed <= MAX_REPORTED_MALFORMED {
                writeln!(err, "line {line_number}: skipped: {reason}")
            } else {
                Ok(())
            }
        };
        if read == LineRead::TooLong {
            counts.frames += 1;
            malformed(&format!("frame longer than {MAX_FRAME_BYTES} bytes"), &mut counts, &mut err)?;
            continue;
        }
        let Ok(text) = std::str::from_utf8(&line) else {
            counts.frames += 1;
            malformed("not UTF-8 text", &mut counts, &mut err)?;
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        counts.frames += 1;
        let report = tracker.ingest_frame(text);
        match &report.kind {
            FrameKind::Heartbeat => counts.heartbeats += 1,
            FrameKind::Pong => counts.pongs += 1,
            FrameKind::SocketClosing => counts.socket_closing += 1,
            FrameKind::Conversation { .. } => counts.conversation += 1,
            FrameKind::Other { .. } => counts.other += 1,
            FrameKind::Malformed { reason } => malformed(reason, &mut counts, &mut err)?,
        }
        for outcome in &report.outcomes {
            write_line(&mut out, outcome)?;
            counts.outcomes += 1;
        }
    }
    let active = tracker.active_leg_count();
    let pending = tracker.finish();
    for outcome in &pending {
        write_line(&mut out, outcome)?;
    }
    out.flush()?;

    if counts.malformed > MAX_REPORTED_MALFORMED {
        writeln!(err, "… {} more malformed lines not listed", counts.malformed - MAX_REPORTED_MALFORMED)?;
    }
    let evicted = tracker.stats().evicted_undecided_legs;
    writeln!(
        err,
        "wrapup replay: {} frames ({} conversation, {} heartbeat, {} pong, {} socket_closing, {} other, {} malformed); \
         {} outcomes, {} pending at end of input{}{}",
        counts.frames,
        counts.conversation,
        counts.heartbeats,
        counts.pongs,
        counts.socket_closing,
        counts.other,
        counts.malformed,
        counts.outcomes,
        pending.len(),
        if active > 0 { format!("; {active} legs still connected at end of input (no outcome yet, not printed)") } else { String::new() },
        if evicted > 0 { format!("; {evicted} undecided legs dropped by the memory bound") } else { String::new() },
    )?;
    Ok(ExitCode::SUCCESS)
}

fn write_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

#[derive(Debug, PartialEq, Eq)]
enum LineRead {
    Line,
    TooLong,
}

/// Reads one `\n`-terminated line into `line` (without the terminator). A line longer than `max` is consumed
/// without being stored and reported as `TooLong`, so memory stays bounded whatever the input.
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>, max: usize) -> io::Result<Option<LineRead>> {
    line.clear();
    let mut too_long = false;
    let mut read_any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            break;
        }
        read_any = true;
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(end) => (&available[..end], Some(end + 1)),
            None => (available, None),
        };
        if !too_long {
            if line.len() + chunk.len() > max {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        let consumed = done.unwrap_or(available.len());
        input.consume(consumed);
        if done.is_some() {
            break;
        }
    }
    if !read_any {
        return Ok(None);
    }
    Ok(Some(if too_long { LineRead::TooLong } else { LineRead::Line }))
}

fn explain(input: Box<dyn BufRead>, pretty: bool) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let (value, code) = match diagnosis::explain_reader(input) {
        Ok(explanation) => (serde_json::to_value(&explanation)?, ExitCode::SUCCESS),
        Err(error) => (serde_json::json!({ "error": error.to_string() }), ExitCode::from(2)),
    };
    if pretty {
        serde_json::to_writer_pretty(&mut out, &value)?;
    } else {
        serde_json::to_writer(&mut out, &value)?;
    }
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(code)
}
