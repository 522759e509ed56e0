//! `wrapup replay` end to end, as a user runs it: the release binary reads a file of 200,000 realistic frames
//! (4.2 KB whole-conversation snapshots, 835 MB) and writes its outcomes to /dev/null; criterion reports frames/s.
//! Run with `cargo bench -p wrapup-core --bench cli_replay`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/frames.rs"]
mod frames;

const FRAMES: usize = 200_000;

fn replay_file(path: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wrapup"))
        .arg("replay")
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run the wrapup binary")
}

fn cli_replay(c: &mut Criterion) {
    let path = std::env::temp_dir().join(format!("wrapup-cli-bench-{}.ndjson", std::process::id()));
    let mut out = BufWriter::new(File::create(&path).expect("create the frames file"));
    for frame in frames::traffic(FRAMES, 7) {
        out.write_all(frame.as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .expect("write the frames file");
    }
    out.into_inner().expect("flush the frames file");

    // The timed runs discard output; this one proves they do the whole job.
    let summary = String::from_utf8_lossy(&replay_file(&path).stderr).into_owned();
    assert!(
        summary.contains(&format!("{FRAMES} frames")),
        "unexpected replay summary: {summary}"
    );
    assert!(
        summary.contains(" 0 malformed"),
        "unexpected replay summary: {summary}"
    );

    let mut group = c.benchmark_group("cli");
    group.throughput(Throughput::Elements(FRAMES as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("replay_200k_frames", |b| {
        b.iter_custom(|runs| {
            let mut elapsed = Duration::ZERO;
            for _ in 0..runs {
                let start = Instant::now();
                let output = replay_file(&path);
                elapsed += start.elapsed();
                assert!(
                    output.status.success(),
                    "replay failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            elapsed
        })
    });
    group.finish();
    let _ = std::fs::remove_file(&path);
}

criterion_group!(benches, cli_replay);
criterion_main!(benches);
