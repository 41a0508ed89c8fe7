//! Building an index of 10,000 synthetic small wheels (1,000 projects, 10 versions each):
//! the work `examples/build_index` does per file without the file system: sha256 of the whole
//! file, `WheelArchive::verify` (every member against RECORD), reading METADATA, then
//! `index::build` and rendering every page in both formats. Reported per file (files/s) and
//! per byte hashed (MB/s).

use std::hint::black_box;
use std::io::Cursor;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pypackaging::index::{self, BuildOptions, DistFile};
use pypackaging::{Hasher, WheelArchive, WheelFilename};

#[path = "common/wheel_zip.rs"]
mod wheel_zip;
use wheel_zip::wheel_zip;

const WHEELS: usize = 10_000;

/// A small valid wheel: a module of about 1 KiB, METADATA, WHEEL and RECORD.
fn wheel(project: &str, version: &str, seed: usize) -> Vec<u8> {
    let dist_info = format!("{project}-{version}.dist-info");
    let module: String = (0..40)
        .map(|i| format!("def f{i}(x):\n    return x * {}\n", seed * 31 + i))
        .collect();
    let metadata = format!(
        "Metadata-Version: 2.1\nName: {project}\nVersion: {version}\nRequires-Python: >=3.9\nSummary: synthetic\n"
    );
    wheel_zip(
        &dist_info,
        [
            (format!("{project}/__init__.py"), module.as_bytes()),
            (format!("{dist_info}/METADATA"), metadata.as_bytes()),
            (
                format!("{dist_info}/WHEEL"),
                b"Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
                    .as_slice(),
            ),
        ],
    )
}

fn wheelhouse() -> Vec<(String, Vec<u8>)> {
    (0..WHEELS)
        .map(|i| {
            let project = format!("synth{}", i % 1000);
            let version = format!("1.{}", i / 1000);
            let name = format!("{project}-{version}-py3-none-any.whl");
            (name, wheel(&project, &version, i))
        })
        .collect()
}

/// What `build_index` does with the bytes of every file.
fn build(files: &[(String, Vec<u8>)]) -> usize {
    let index = index::build(dists(files), &BuildOptions::default()).unwrap();
    index.render().iter().map(|(_, text)| text.len()).sum()
}

/// Hashing, verifying and reading METADATA of every file.
fn dists(files: &[(String, Vec<u8>)]) -> Vec<DistFile> {
    let mut dists = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let mut hasher = Hasher::sha256();
        hasher.update(bytes);
        let digests = hasher.finish().as_slice().to_vec();
        let filename = WheelFilename::parse(name).unwrap();
        let mut archive =
            WheelArchive::new(Cursor::new(bytes), filename.name(), filename.version()).unwrap();
        let tags: Vec<String> = filename.expanded_tags().map(|t| t.to_string()).collect();
        assert!(archive.verify(&tags, None).is_verified());
        let metadata = archive.read_dist_info_file("METADATA").unwrap();
        dists.push(
            DistFile::new(name, digests, bytes.len() as u64)
                .unwrap()
                .with_metadata(&metadata),
        );
    }
    dists
}

fn bench(c: &mut Criterion) {
    let files = wheelhouse();
    let bytes: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(WHEELS as u64));
    group.bench_function("10k small wheels (files)", |b| {
        b.iter(|| black_box(build(black_box(&files))))
    });
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("10k small wheels (bytes hashed)", |b| {
        b.iter(|| black_box(build(black_box(&files))))
    });
    let dists = dists(&files);
    group.throughput(Throughput::Elements(WHEELS as u64));
    group.bench_function("10k small wheels (index::build and render only)", |b| {
        b.iter(|| {
            let index = index::build(black_box(dists.clone()), &BuildOptions::default()).unwrap();
            black_box(index.render().len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
