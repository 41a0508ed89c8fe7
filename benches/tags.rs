//! Building target tag sets, and checking the wheels of `tests/vectors/wheels.jsonl` against a
//! full target set.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pypackaging::filename::WheelFilename;
use pypackaging::tags::{LinuxRank, Target, TargetSpec};

#[path = "filename.rs"]
#[allow(dead_code)]
mod filename;

fn bench(c: &mut Criterion) {
    let linux = TargetSpec::new("cp", "3.12", &["cp312"], &["manylinux_2_28_x86_64"]).unwrap();
    let mac = TargetSpec::new("cp", "3.12", &["cp312"], &["macosx_14_0_arm64"]).unwrap();
    let mut group = c.benchmark_group("tags");
    group.bench_function("Target::pip (cp312, manylinux_2_28_x86_64)", |b| {
        b.iter(|| black_box(Target::pip(black_box(&linux)).unwrap()))
    });
    group.bench_function("Target::expanded (cp312, manylinux_2_28_x86_64)", |b| {
        b.iter(|| black_box(Target::expanded(black_box(&linux), LinuxRank::First).unwrap()))
    });
    group.bench_function("Target::expanded (cp312, macosx_14_0_arm64)", |b| {
        b.iter(|| black_box(Target::expanded(black_box(&mac), LinuxRank::First).unwrap()))
    });
    let target = Target::expanded(&linux, LinuxRank::First).unwrap();
    let wheels: Vec<WheelFilename> = filename::inputs("wheels.jsonl")
        .iter()
        .filter_map(|w| w.parse().ok())
        .collect();
    group.throughput(Throughput::Elements(wheels.len() as u64));
    group.bench_function(
        format!(
            "Target::compatibility ({} tags, wheel mix)",
            target.tags().len()
        ),
        |b| {
            b.iter(|| {
                for wheel in &wheels {
                    let _ = black_box(target.compatibility(black_box(wheel.tags())));
                }
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
