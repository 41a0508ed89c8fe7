//! METADATA parsing and validation on real files, and verifying a multi-megabyte wheel.

use std::hint::black_box;
use std::io::Cursor;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pypackaging::metadata::{CoreMetadata, RawMetadata, WheelArchive};
use pypackaging::{PackageName, Version};

#[path = "common/wheel_zip.rs"]
mod wheel_zip;
use wheel_zip::wheel_zip;

/// Real files of different sizes and eras (see `scripts/vectors/metadata.py`).
const FILES: [(&str, &[u8]); 4] = [
    (
        "markdown-it-py-3.0.0 (2.1, 7 KiB, 25 Requires-Dist)",
        include_bytes!("../tests/data/metadata/real/markdown_it_py-3.0.0-py3-none-any.METADATA"),
    ),
    (
        "rich-13.7.0 (2.1, 18 KiB)",
        include_bytes!("../tests/data/metadata/real/rich-13.7.0-py3-none-any.METADATA"),
    ),
    (
        "packaging-25.0 (2.4)",
        include_bytes!("../tests/data/metadata/real/packaging-25.0-py3-none-any.METADATA"),
    ),
    (
        "Django-1.4 PKG-INFO (1.0)",
        include_bytes!("../tests/data/metadata/real/Django-1.4.PKG-INFO"),
    ),
];

/// A wheel of 4 MiB of incompressible-ish content in 128 members, with its RECORD.
fn build_wheel() -> Vec<u8> {
    let mut state = 0x1234_5678_u64;
    let modules: Vec<(String, Vec<u8>)> = (0..128)
        .map(|i| {
            let data: Vec<u8> = (0..32 * 1024)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    (state >> 56) as u8
                })
                .collect();
            (format!("bench/module_{i}.bin"), data)
        })
        .collect();
    let members = modules
        .iter()
        .map(|(path, data)| (path.clone(), data.as_slice()))
        .chain([
            (
                "bench-1.0.dist-info/METADATA".to_owned(),
                b"Metadata-Version: 2.1\nName: bench\nVersion: 1.0\n".as_slice(),
            ),
            (
                "bench-1.0.dist-info/WHEEL".to_owned(),
                b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n".as_slice(),
            ),
        ]);
    wheel_zip("bench-1.0.dist-info", members)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("metadata");
    for (name, data) in FILES {
        // The success path is the one measured.
        if let Err(e) = CoreMetadata::parse(data) {
            panic!("{name} does not validate: {e}");
        }
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_function(format!("parse {name}"), |b| {
            b.iter(|| black_box(RawMetadata::parse(black_box(data))))
        });
        group.bench_function(format!("parse and validate {name}"), |b| {
            b.iter(|| black_box(CoreMetadata::parse(black_box(data))))
        });
    }
    let minimal: &[u8] = b"Metadata-Version: 2.1\nName: a\nVersion: 1\n";
    group.throughput(Throughput::Bytes(minimal.len() as u64));
    group.bench_function("parse minimal (3 headers)", |b| {
        b.iter(|| black_box(RawMetadata::parse(black_box(minimal))))
    });
    // Hostile input: a million distinct unknown headers and 100,000 `Project-URL`s (22 MB,
    // inside the 16 MiB-per-member cap only when compressed well, but any size must stay
    // linear: a scan of earlier names per header once made this run for hours).
    let mut hostile = String::from("Metadata-Version: 2.1\nName: x\nVersion: 1\n");
    for i in 0..1_000_000 {
        hostile.push_str(&format!("X-Header-{i}: v\n"));
    }
    for i in 0..100_000 {
        hostile.push_str(&format!("Project-URL: L{i}, https://x.example/{i}\n"));
    }
    group.throughput(Throughput::Bytes(hostile.len() as u64));
    group.sample_size(10);
    group.bench_function("parse and validate 1M unknown headers", |b| {
        b.iter(|| black_box(RawMetadata::parse(black_box(hostile.as_bytes())).validate()))
    });
    group.sample_size(100);
    let raw = RawMetadata::parse(FILES[1].1);
    group.throughput(Throughput::Bytes(FILES[1].1.len() as u64));
    group.bench_function("write rich-13.7.0", |b| {
        b.iter(|| black_box(black_box(&raw).to_string()))
    });
    group.finish();

    let wheel = build_wheel();
    let name: PackageName = "bench".parse().unwrap();
    let version: Version = "1.0".parse().unwrap();
    let tags = ["py3-none-any".to_owned()];
    let mut group = c.benchmark_group("wheel");
    group.throughput(Throughput::Bytes(4 * 1024 * 1024));
    group.sample_size(20);
    group.bench_function("verify 4 MiB wheel", |b| {
        b.iter(|| {
            let mut archive =
                WheelArchive::new(Cursor::new(black_box(&wheel[..])), &name, &version).unwrap();
            let report = archive.verify(&tags, None);
            assert!(report.is_verified(), "{report}");
            black_box(report)
        })
    });
    group.bench_function("open and read METADATA", |b| {
        b.iter(|| {
            let mut archive =
                WheelArchive::new(Cursor::new(black_box(&wheel[..])), &name, &version).unwrap();
            black_box(archive.metadata().unwrap())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
