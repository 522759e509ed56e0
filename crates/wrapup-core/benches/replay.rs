//! Replay throughput: realistic user-topic frames through `Tracker::ingest_frame`, in frames per second.
//! Run with `cargo bench -p wrapup-core --bench replay`; the end-to-end CLI figure is measured as in the README.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wrapup_core::tracker::Tracker;

#[path = "support/frames.rs"]
mod frames;

fn replay(c: &mut Criterion) {
    let traffic = frames::traffic(20_000, 7);
    let bytes: usize = traffic.iter().map(String::len).sum();
    eprintln!(
        "{} frames, {} bytes on average",
        traffic.len(),
        bytes / traffic.len()
    );
    let mut group = c.benchmark_group("replay");
    group.throughput(Throughput::Elements(traffic.len() as u64));
    group.sample_size(20);
    group.bench_function("ingest_frame", |b| {
        b.iter(|| {
            let mut tracker = Tracker::new();
            let mut outcomes = 0;
            for frame in &traffic {
                outcomes += tracker.ingest_frame(black_box(frame)).outcomes.len();
            }
            outcomes += tracker.finish().len();
            black_box(outcomes)
        })
    });
    group.finish();
}

criterion_group!(benches, replay);
criterion_main!(benches);
