//! Reading requirements files: a 20,000-requirement hashed lock file as vendors ship them
//! (generated here: two `--hash` continuation lines per requirement, about 5 MB) and a small
//! everyday file (`benches/data/requirements-everyday.txt`).

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pypackaging::requirements_txt::RequirementsTxt;

const EVERYDAY: &str = include_str!("data/requirements-everyday.txt");

/// `--require-hashes` header, then `name==version \` with two sha256 lines, 20,000 times
/// (60,000 physical lines).
fn hashed_lock_file() -> String {
    let mut text = String::from(
        "--index-url https://mirror.example/simple\n--trusted-host mirror.example\n--require-hashes\n--only-binary :all:\n",
    );
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut hex = || {
        let mut out = String::with_capacity(64);
        for _ in 0..4 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let _ = write!(out, "{state:016x}");
        }
        out
    };
    for i in 0..20_000 {
        let _ = write!(
            text,
            "package-{i}==1.{}.{} \\\n    --hash=sha256:{} \\\n    --hash=sha256:{}\n",
            i % 17,
            i % 5,
            hex(),
            hex()
        );
    }
    text
}

fn bench(c: &mut Criterion) {
    let big = hashed_lock_file();
    let mut group = c.benchmark_group("requirements_txt");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("parse 20k hashed", |b| {
        b.iter(|| {
            black_box(RequirementsTxt::parse_str(
                "r.txt",
                black_box(&big),
                &|_| None,
            ))
        })
    });
    let parsed = RequirementsTxt::parse_str("r.txt", &big, &|_| None).file;
    group.bench_function("write back 20k hashed", |b| {
        b.iter(|| black_box(black_box(&parsed).to_string()))
    });
    group.finish();

    let mut group = c.benchmark_group("requirements_txt");
    group.throughput(Throughput::Bytes(EVERYDAY.len() as u64));
    group.bench_function("parse everyday", |b| {
        b.iter(|| {
            black_box(RequirementsTxt::parse_str(
                "r.txt",
                black_box(EVERYDAY),
                &|_| None,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
