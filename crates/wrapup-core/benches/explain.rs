//! Explain throughput: the analytics records of `tests/fixtures/explain` (every verdict kind) through
//! `diagnosis::explain_json`, parse included, in records per second.
//! Run with `cargo bench -p wrapup-core --bench explain`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wrapup_core::diagnosis::explain_json;

fn explain(c: &mut Criterion) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/explain");
    let mut records: Vec<String> = std::fs::read_dir(dir)
        .expect("the explain fixtures")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            name.ends_with(".json") && !name.ends_with(".expected.json")
        })
        .map(|path| std::fs::read_to_string(path).expect("a fixture"))
        .filter(|text| explain_json(text).is_ok())
        .collect();
    records.sort();
    assert!(records.len() >= 10, "only {} records", records.len());
    eprintln!("{} analytics records", records.len());
    let mut group = c.benchmark_group("explain");
    group.throughput(Throughput::Elements(records.len() as u64));
    group.bench_function("explain_json", |b| {
        b.iter(|| {
            let mut verdicts = 0;
            for record in &records {
                verdicts += explain_json(black_box(record))
                    .map(|e| e.verdicts.len())
                    .unwrap_or(0);
            }
            black_box(verdicts)
        })
    });
    group.finish();
}

criterion_group!(benches, explain);
criterion_main!(benches);
