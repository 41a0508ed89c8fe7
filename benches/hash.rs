//! Digest parsing in each of its forms, and hashing throughput.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pypackaging::{Digest, Hasher};

const HEX: &str = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
const FRAGMENT: &str = "sha256=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
const RECORD: &str = "sha256=LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564";

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("digest");
    group.bench_function("parse sha256:HEX", |b| {
        b.iter(|| black_box(black_box(HEX).parse::<Digest>()))
    });
    group.bench_function("parse fragment sha256=HEX", |b| {
        b.iter(|| black_box(Digest::from_url_fragment(black_box(FRAGMENT))))
    });
    group.bench_function("parse RECORD sha256=BASE64", |b| {
        b.iter(|| black_box(Digest::from_record(black_box(RECORD))))
    });
    let digest: Digest = HEX.parse().unwrap();
    group.bench_function("display sha256:HEX", |b| {
        b.iter(|| black_box(black_box(&digest).to_string()))
    });
    group.bench_function("display RECORD", |b| {
        b.iter(|| black_box(black_box(&digest).record().to_string()))
    });
    group.finish();

    let data = vec![0x5au8; 1 << 20];
    let mut group = c.benchmark_group("hasher");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.bench_function("sha256 1 MiB", |b| {
        b.iter(|| {
            let mut hasher = Hasher::sha256();
            hasher.update(black_box(&data));
            black_box(hasher.finish())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
