//! `wrapup`: replay Notification API frames into wrap-up outcomes, or explain an analytics record's wrap-up.
//! A stable contract for scripts: NDJSON / JSON on stdout, diagnostics on stderr (see the crate README).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Mutex, mpsc};
use std::thread;

use clap::{Parser, Subcommand};
use serde::Serialize;
use wrapup_core::diagnosis;
use wrapup_core::tracker::{FrameDigest, FrameKind, Tracker};

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
        Command::Explain { input, pretty } => {
            open(input.as_ref()).and_then(|reader| explain(reader, pretty))
        }
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

fn open(input: Option<&PathBuf>) -> io::Result<Box<dyn BufRead + Send>> {
    match input {
        None => Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin()))),
        Some(path) if path.as_os_str() == "-" => {
            Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())))
        }
        Some(path) => File::open(path)
            .map(|file| {
                Box::new(BufReader::with_capacity(1 << 16, file)) as Box<dyn BufRead + Send>
            })
            .map_err(|error| {
                io::Error::new(
                    error.kind(),
                    format!("cannot read {}: {error}; check the path", path.display()),
                )
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

/// Bytes per batch handed to a parsing thread (whole lines; a batch holding one long line can be larger).
const BATCH_BYTES: usize = 1024 * 1024;
/// At most this many threads parse frames (one per core); the main thread applies them to the tracker in order.
const MAX_PARSERS: usize = 8;

/// A run of whole input lines, read by the reader thread in one piece: the lines are split and parsed by a parsing
/// thread, so the reader only copies each byte once (from the kernel).
struct Batch {
    sequence: u64,
    text: Vec<u8>,
    /// One line longer than [`MAX_FRAME_BYTES`] followed the lines in `text`; it was skipped, not kept.
    then_too_long: bool,
}

/// What a parsing thread made of one line.
enum Parsed {
    Blank,
    TooLong,
    NotUtf8,
    Frame(FrameDigest),
}

/// Replays frames with the work split across threads: one reads, one per core split and parse (the expensive part:
/// frames are whole conversations of several KB), the main thread applies the digests in input order and writes.
/// Memory is bounded by the few batches in flight.
fn replay(input: Box<dyn BufRead + Send>) -> io::Result<ExitCode> {
    let parsers =
        thread::available_parallelism().map_or(2, |cores| cores.get().clamp(1, MAX_PARSERS));
    let (batch_tx, batch_rx) = mpsc::sync_channel::<Batch>(parsers);
    let batch_rx = Mutex::new(batch_rx);
    // Parsed batches' buffers go back to the reader: fresh megabyte buffers would cost page faults.
    let (spent_tx, spent_rx) = mpsc::channel::<Vec<u8>>();
    thread::scope(|scope| {
        let (parsed_tx, parsed_rx) = mpsc::sync_channel::<(u64, Vec<Parsed>)>(parsers * 2);
        let reader = scope.spawn(move || read_batches(input, &batch_tx, &spent_rx));
        let parsers: Vec<_> = (0..parsers)
            .map(|_| {
                let parsed_tx = parsed_tx.clone();
                let batch_rx = &batch_rx;
                let spent_tx = spent_tx.clone();
                scope.spawn(move || {
                    loop {
                        let batch = match batch_rx.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        let Ok(batch) = batch else { return };
                        if parsed_tx
                            .send((batch.sequence, parse_batch(&batch)))
                            .is_err()
                        {
                            return;
                        }
                        let _ = spent_tx.send(batch.text); // the reader may be done: then the buffer is just freed
                    }
                })
            })
            .collect();
        drop(parsed_tx);
        let written = apply_in_order(parsed_rx);
        // A parser that died would leave a gap: never report a partial replay as complete.
        if parsers.into_iter().any(|parser| parser.join().is_err()) {
            return Err(io::Error::other(
                "a parsing thread failed; the output above is incomplete",
            ));
        }
        // The reader's error (an unreadable input) matters more than a write error it may have caused.
        match reader.join() {
            Ok(Err(error)) => Err(error),
            Ok(Ok(())) => written,
            Err(_) => Err(io::Error::other("the reader thread panicked")),
        }
    })
}

/// Reads the input in blocks of about [`BATCH_BYTES`], cut after the last newline; the partial line that follows
/// starts the next batch. A line that grows past [`MAX_FRAME_BYTES`] is skipped to its end without being held.
fn read_batches(
    mut input: Box<dyn BufRead + Send>,
    batches: &mpsc::SyncSender<Batch>,
    spent: &mpsc::Receiver<Vec<u8>>,
) -> io::Result<()> {
    let mut sequence = 0;
    let mut send = |text: Vec<u8>, then_too_long: bool| {
        let batch = Batch {
            sequence,
            text,
            then_too_long,
        };
        sequence += 1;
        batches.send(batch).is_ok() // false: the consumer stopped (e.g. stdout closed)
    };
    let mut text = Vec::new();
    loop {
        let at_end = read_block(&mut input, &mut text)?;
        if at_end {
            if !text.is_empty() {
                send(text, false);
            }
            return Ok(());
        }
        if let Some(last_newline) = memchr::memrchr(b'\n', &text) {
            let mut next = spent
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(2 * BATCH_BYTES));
            next.clear();
            next.extend_from_slice(&text[last_newline + 1..]);
            text.truncate(last_newline + 1);
            if !send(std::mem::replace(&mut text, next), false) {
                return Ok(());
            }
        } else if text.len() > MAX_FRAME_BYTES {
            text.clear();
            let after_line = input.skip_until(b'\n')?;
            if !send(Vec::new(), true) || after_line == 0 {
                return Ok(());
            }
        }
    }
}

/// Appends up to [`BATCH_BYTES`] to `text`, read straight into it (large reads bypass the `BufReader`'s own
/// buffer); `true` at end of input.
fn read_block(input: &mut impl Read, text: &mut Vec<u8>) -> io::Result<bool> {
    let read = input.take(BATCH_BYTES as u64).read_to_end(text)?;
    Ok(read < BATCH_BYTES)
}

fn parse_batch(batch: &Batch) -> Vec<Parsed> {
    let text = &batch.text[..];
    let mut parsed = Vec::with_capacity(text.len() / 2048 + 2);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text) {
        parsed.push(parse_line(&text[start..end]));
        start = end + 1;
    }
    if start < text.len() {
        parsed.push(parse_line(&text[start..])); // the input's last line, without a newline
    }
    if batch.then_too_long {
        parsed.push(Parsed::TooLong);
    }
    parsed
}

fn parse_line(line: &[u8]) -> Parsed {
    if line.len() > MAX_FRAME_BYTES {
        return Parsed::TooLong;
    }
    match std::str::from_utf8(line) {
        Err(_) => Parsed::NotUtf8,
        Ok(text) if text.trim().is_empty() => Parsed::Blank,
        Ok(text) => Parsed::Frame(FrameDigest::of(text.trim())),
    }
}

fn apply_in_order(parsed: mpsc::Receiver<(u64, Vec<Parsed>)>) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let mut tracker = Tracker::new();
    let mut counts = ReplayCounts::default();
    let mut waiting: BTreeMap<u64, Vec<Parsed>> = BTreeMap::new();
    let mut next_sequence = 0;
    let mut line_number = 0u64;

    for (sequence, lines) in parsed {
        waiting.insert(sequence, lines);
        while let Some(lines) = waiting.remove(&next_sequence) {
            next_sequence += 1;
            for line in lines {
                line_number += 1;
                let mut malformed = |reason: &str| -> io::Result<()> {
                    counts.malformed += 1;
                    if counts.malformed <= MAX_REPORTED_MALFORMED {
                        writeln!(err, "line {line_number}: skipped: {reason}")?;
                    }
                    Ok(())
                };
                let digest = match line {
                    Parsed::Blank => continue,
                    Parsed::TooLong => {
                        counts.frames += 1;
                        malformed(&format!("frame longer than {MAX_FRAME_BYTES} bytes"))?;
                        continue;
                    }
                    Parsed::NotUtf8 => {
                        counts.frames += 1;
                        malformed("not UTF-8 text")?;
                        continue;
                    }
                    Parsed::Frame(digest) => digest,
                };
                counts.frames += 1;
                let report = tracker.ingest_digest(digest);
                match &report.kind {
                    FrameKind::Heartbeat => counts.heartbeats += 1,
                    FrameKind::Pong => counts.pongs += 1,
                    FrameKind::SocketClosing => counts.socket_closing += 1,
                    FrameKind::Conversation { .. } => counts.conversation += 1,
                    FrameKind::Other { .. } => counts.other += 1,
                    FrameKind::Malformed { reason } => malformed(reason)?,
                }
                for outcome in &report.outcomes {
                    write_line(&mut out, outcome)?;
                    counts.outcomes += 1;
                }
            }
        }
    }
    if !waiting.is_empty() {
        return Err(io::Error::other(
            "a batch of lines was lost between threads; the output above is incomplete",
        ));
    }
    let active = tracker.active_leg_count();
    let pending = tracker.finish();
    for outcome in &pending {
        write_line(&mut out, outcome)?;
    }
    out.flush()?;

    if counts.malformed > MAX_REPORTED_MALFORMED {
        writeln!(
            err,
            "… {} more malformed lines not listed",
            counts.malformed - MAX_REPORTED_MALFORMED
        )?;
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
        if active > 0 {
            format!("; {active} legs still connected at end of input (no outcome yet, not printed)")
        } else {
            String::new()
        },
        if evicted > 0 {
            format!("; {evicted} undecided legs dropped by the memory bound")
        } else {
            String::new()
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

fn write_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    write_json(out, value, false)
}

fn explain(input: Box<dyn BufRead + Send>, pretty: bool) -> io::Result<ExitCode> {
    #[derive(Serialize)]
    struct Failure {
        error: String,
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let code = match diagnosis::explain_reader(input) {
        Ok(explanation) => {
            write_json(&mut out, &explanation, pretty)?;
            ExitCode::SUCCESS
        }
        Err(error) => {
            write_json(
                &mut out,
                &Failure {
                    error: error.to_string(),
                },
                pretty,
            )?;
            ExitCode::from(2)
        }
    };
    out.flush()?;
    Ok(code)
}

/// Writes one JSON document and a newline, keys in declaration order.
fn write_json(out: &mut impl Write, value: &impl Serialize, pretty: bool) -> io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, value)?;
    } else {
        serde_json::to_writer(&mut *out, value)?;
    }
    out.write_all(b"\n")
}
