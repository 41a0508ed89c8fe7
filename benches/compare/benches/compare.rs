//! pypackaging against uv's crates on the same inputs, in one run.
//!
//! Run with `benches/compare/run` (see benches/README.md).

use std::hint::black_box;
use std::str::FromStr;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pypackaging_compare::pypi_rows;

fn names(c: &mut Criterion) {
    let (path, rows) = pypi_rows();
    eprintln!("input: {path}: {} rows", rows.len());
    let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
    let mut group = c.benchmark_group("name normalize + validate");
    group.throughput(Throughput::Elements(names.len() as u64));
    group.bench_function("pypackaging PackageName::new", |b| {
        b.iter(|| {
            for name in &names {
                let _ = black_box(pypackaging::PackageName::new(black_box(name)));
            }
        })
    });
    group.bench_function("uv-normalize PackageName::from_str", |b| {
        b.iter(|| {
            for name in &names {
                let _ = black_box(uv_normalize::PackageName::from_str(black_box(name)));
            }
        })
    });
    group.finish();
}

fn versions(c: &mut Criterion) {
    let (_, rows) = pypi_rows();
    let versions: Vec<&str> = rows.iter().map(|(_, v)| v.as_str()).collect();
    let mut group = c.benchmark_group("version parse + sort");
    group.throughput(Throughput::Elements(versions.len() as u64));
    group.sample_size(10);
    group.bench_function("pypackaging parse + sort_by_version", |b| {
        b.iter(|| {
            let mut parsed: Vec<pypackaging::Version> = versions
                .iter()
                .filter_map(|v| black_box(v).parse().ok())
                .collect();
            pypackaging::version::sort_by_version(&mut parsed, |v| v);
            black_box(parsed)
        })
    });
    group.bench_function(
        "pypackaging (pep440_rs parse and Ord, for reference)",
        |b| {
            b.iter(|| {
                let mut parsed: Vec<pypackaging::Version> = versions
                    .iter()
                    .filter_map(|v| black_box(v).parse().ok())
                    .collect();
                parsed.sort_unstable();
                black_box(parsed)
            })
        },
    );
    group.bench_function("uv-pep440", |b| {
        b.iter(|| {
            let mut parsed: Vec<uv_pep440::Version> = versions
                .iter()
                .filter_map(|v| black_box(v).parse().ok())
                .collect();
            parsed.sort_unstable();
            black_box(parsed)
        })
    });
    group.finish();

    let mut group = c.benchmark_group("version parse only");
    group.throughput(Throughput::Elements(versions.len() as u64));
    group.sample_size(10);
    group.bench_function("pypackaging (pep440_rs)", |b| {
        b.iter(|| {
            for v in &versions {
                let _ = black_box(black_box(v).parse::<pypackaging::Version>());
            }
        })
    });
    group.bench_function("uv-pep440", |b| {
        b.iter(|| {
            for v in &versions {
                let _ = black_box(black_box(v).parse::<uv_pep440::Version>());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, names, versions);
criterion_main!(benches);
