//! Bounded fuzzing of every parser the widget feeds untrusted text: the notification frame parser and
//! tracker, and the analytics record parser behind `explain`. The seed corpus is the replay and explain
//! fixtures (real-shaped Genesys payloads, as gc-sim sends them); each case mutates one seed (flipped,
//! inserted, deleted and duplicated bytes, truncation) and the parsers must answer without panicking,
//! and the tracker must keep tracking the untouched frames around it. `PROPTEST_CASES=100000 cargo test
//! -p wrapup-core --test fuzz_mutations` is the long run.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use wrapup_core::diagnosis::explain_json;
use wrapup_core::tracker::{FrameKind, Tracker};

fn fixtures(dir: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| keep(&path.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| fs::read_to_string(path).unwrap())
        .collect()
}

/// Every frame of the replay fixtures (inputs only), one per line.
fn frame_corpus() -> Vec<String> {
    let frames: Vec<String> = fixtures("replay", |name| {
        name.ends_with(".ndjson") && !name.ends_with(".expected.ndjson")
    })
    .iter()
    .flat_map(|file| file.lines().map(str::to_owned).collect::<Vec<_>>())
    .filter(|line| !line.trim().is_empty())
    .collect();
    assert!(
        frames.len() >= 20,
        "a real seed corpus, not {} frames",
        frames.len()
    );
    frames
}

/// Every analytics record of the explain fixtures (inputs only).
fn record_corpus() -> Vec<String> {
    let records = fixtures("explain", |name| {
        name.ends_with(".json") && !name.ends_with(".expected.json")
    });
    assert!(records.len() >= 9, "one record per verdict at least");
    records
}

/// One byte-level change to a seed.
#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: usize, bits: u8 },
    Insert { at: usize, bytes: Vec<u8> },
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(at, bits)| Mutation::Flip { at, bits }),
        (
            any::<usize>(),
            prop::collection::vec(
                prop_oneof![
                    any::<u8>(),
                    prop::sample::select(b"{}[]\":,\\0-9enul".to_vec())
                ],
                1..8
            )
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

/// The seed with the mutations applied, as text (invalid UTF-8 is replaced, as a WebSocket text
/// frame or a file read as text would be).
fn mutate(seed: &str, mutations: &[Mutation]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Flip { at, bits } => {
                if !bytes.is_empty() {
                    bytes[at % len] ^= bits;
                }
            }
            Mutation::Insert { at, bytes: extra } => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, extra.iter().copied());
            }
            Mutation::Delete { at, len: n } => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            Mutation::Duplicate { at, len: n } => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                let copy = bytes[at.min(end)..end].to_vec();
                bytes.splice(end..end, copy);
            }
            Mutation::Truncate { at } => bytes.truncate(at % len),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The outcomes a stream of frames leaves, as sorted debug lines (order-free comparison).
fn outcomes_of<'a>(frames: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut tracker = Tracker::new();
    let mut out: Vec<String> = frames
        .into_iter()
        .flat_map(|frame| tracker.ingest_frame(frame).outcomes)
        .map(|o| format!("{o:?}"))
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn mutated_frames_never_panic_the_tracker(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let corpus = frame_corpus();
        let frame = mutate(&corpus[pick.index(corpus.len())], &mutations);
        let mut tracker = Tracker::new();
        let _ = tracker.ingest_frame(&frame);
        let _ = tracker.ingest_frame(&frame);
    }

    #[test]
    fn a_frame_that_no_longer_parses_changes_nothing_around_it(
        file in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let files = fixtures("replay", |name| name.ends_with(".ndjson") && !name.ends_with(".expected.ndjson"));
        let stream: Vec<&str> = files[file.index(files.len())].lines().filter(|l| !l.trim().is_empty()).collect();
        let broken = mutate(stream[at.index(stream.len())], &mutations);
        // Only garbage is judged here: a mutation that still parses as JSON may be a different real frame.
        prop_assume!(serde_json::from_str::<serde_json::Value>(&broken).is_err());
        let mut with_garbage = stream.clone();
        with_garbage.insert(at.index(stream.len()), &broken);
        prop_assert_eq!(outcomes_of(with_garbage), outcomes_of(stream));
    }

    #[test]
    fn mutated_analytics_records_get_an_answer_not_a_panic(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let corpus = record_corpus();
        let record = mutate(&corpus[pick.index(corpus.len())], &mutations);
        let _ = explain_json(&record);
    }
}

#[test]
fn deeply_nested_and_oversized_payloads_are_refused_cleanly() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(
        explain_json(&deep).is_err(),
        "nesting past serde_json's limit is an error"
    );
    let mut tracker = Tracker::new();
    let report = tracker.ingest_frame(&deep);
    assert!(
        matches!(report.kind, FrameKind::Malformed { .. }),
        "{:?}",
        report.kind
    );
    assert!(report.outcomes.is_empty());
    let nested_body = format!(
        r#"{{"topicName":"v2.users.u1.conversations","eventBody":{}1{}}}"#,
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let report = tracker.ingest_frame(&nested_body);
    assert!(
        matches!(report.kind, FrameKind::Malformed { .. }),
        "{:?}",
        report.kind
    );
    // A 20 MB string field is read and judged like any other record.
    let huge = format!(
        r#"{{"conversationId":"c1","participants":[],"note":"{}"}}"#,
        "x".repeat(20 << 20)
    );
    let _ = explain_json(&huge);
}
