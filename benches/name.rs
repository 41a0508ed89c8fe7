//! Name normalization and validation over real PyPI project names.
//!
//! Input: `benches/data/pypi-slice.tsv`, every 40th row of the 886,301 PyPI projects in
//! `../shared/data` (or the full set, when `PYPACKAGING_FULL_DATA` names that gzip-free TSV).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pypackaging::PackageName;
use pypackaging::name::normalize;

fn names() -> Vec<String> {
    let path = std::env::var("PYPACKAGING_FULL_DATA").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/pypi-slice.tsv").to_owned()
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    text.lines()
        .filter_map(|line| line.split('\t').next())
        .map(str::to_owned)
        .collect()
}

fn bench(c: &mut Criterion) {
    let names = names();
    let bytes: usize = names.iter().map(String::len).sum();
    let mut group = c.benchmark_group("name");
    group.throughput(Throughput::Elements(names.len() as u64));
    group.bench_function("PackageName::new (validate + normalize)", |b| {
        b.iter(|| {
            for name in &names {
                let _ = black_box(PackageName::new(black_box(name)));
            }
        })
    });
    group.bench_function("normalize (no validation)", |b| {
        b.iter(|| {
            for name in &names {
                black_box(normalize(black_box(name)));
            }
        })
    });
    group.finish();
    eprintln!("name bench input: {} names, {bytes} bytes", names.len());
}

criterion_group!(benches, bench);
criterion_main!(benches);
