//! Parsing a realistic mix of distribution filenames: the inputs of
//! `tests/vectors/wheels.jsonl` and `sdists.jsonl` (real PyPI names and versions with the tag
//! mix of real wheels, plus tricky names).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pypackaging::filename::{DistFilename, WheelFilename};

pub fn inputs(file: &str) -> Vec<String> {
    let path = format!("{}/tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    text.lines()
        .skip(1)
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
            value["input"].as_str().expect("input").to_owned()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let wheels = inputs("wheels.jsonl");
    let mut mix = wheels.clone();
    mix.extend(inputs("sdists.jsonl"));
    let mut group = c.benchmark_group("filename");
    group.throughput(Throughput::Elements(wheels.len() as u64));
    group.bench_function("WheelFilename::parse (wheel mix)", |b| {
        b.iter(|| {
            for name in &wheels {
                let _ = black_box(WheelFilename::parse(black_box(name)));
            }
        })
    });
    group.throughput(Throughput::Elements(mix.len() as u64));
    group.bench_function("DistFilename::parse (wheels + sdists)", |b| {
        b.iter(|| {
            for name in &mix {
                let _ = black_box(DistFilename::parse(black_box(name)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
