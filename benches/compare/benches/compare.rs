//! pypackaging against uv's crates on the same inputs, in one run.
//!
//! Run with `benches/compare/run` (see benches/README.md).

use std::hint::black_box;
use std::str::FromStr;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pypackaging_compare::{
    our_requirements, our_target, pypi_rows, requirements_file, uv_requirements, uv_target,
    wheel_filenames,
};

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

fn wheels(c: &mut Criterion) {
    let filenames = wheel_filenames();
    let mut group = c.benchmark_group("wheel filename parse");
    group.throughput(Throughput::Elements(filenames.len() as u64));
    group.sample_size(10);
    group.bench_function("pypackaging WheelFilename::parse", |b| {
        b.iter(|| {
            for f in &filenames {
                let _ = black_box(pypackaging::WheelFilename::parse(black_box(f)));
            }
        })
    });
    group.bench_function("uv-distribution-filename WheelFilename::from_str", |b| {
        b.iter(|| {
            for f in &filenames {
                let _ = black_box(uv_distribution_filename::WheelFilename::from_str(
                    black_box(f),
                ));
            }
        })
    });
    group.finish();
}

fn tags(c: &mut Criterion) {
    eprintln!(
        "target tags: pypackaging {}, uv {}",
        our_target().tags().len(),
        uv_target().to_string().lines().count()
    );
    let mut group = c.benchmark_group("target tag set (cp311, manylinux_2_28_x86_64)");
    let spec =
        pypackaging::tags::TargetSpec::new("cp", "3.11", &["cp311"], &["manylinux_2_28_x86_64"])
            .expect("spec");
    group.bench_function("pypackaging Target::expanded (from a TargetSpec)", |b| {
        b.iter(|| {
            black_box(pypackaging::Target::expanded(
                black_box(&spec),
                pypackaging::tags::LinuxRank::Last,
            ))
        })
    });
    group.bench_function("pypackaging TargetSpec::new + Target::expanded", |b| {
        b.iter(|| {
            let spec = pypackaging::tags::TargetSpec::new(
                black_box("cp"),
                black_box("3.11"),
                &[black_box("cp311")],
                &[black_box("manylinux_2_28_x86_64")],
            )
            .expect("spec");
            black_box(pypackaging::Target::expanded(
                &spec,
                pypackaging::tags::LinuxRank::Last,
            ))
        })
    });
    group.bench_function("uv-platform-tags Tags::from_env", |b| {
        b.iter(|| black_box(uv_target()))
    });
    group.finish();

    // The wheels both libraries parse, so that both check the same tag sets.
    let filenames = wheel_filenames();
    let (ours, uvs): (Vec<_>, Vec<_>) = filenames
        .iter()
        .filter_map(|f| {
            let ours = pypackaging::WheelFilename::parse(f).ok()?;
            let uv = uv_distribution_filename::WheelFilename::from_str(f).ok()?;
            Some((ours, uv))
        })
        .unzip();
    let (target, uv_tags) = (our_target(), uv_target());
    let compatible = ours
        .iter()
        .filter(|w| target.is_compatible(w.tags()))
        .count();
    let uv_compatible = uvs.iter().filter(|w| w.is_compatible(&uv_tags)).count();
    eprintln!(
        "{} wheels, compatible: pypackaging {compatible}, uv {uv_compatible}",
        ours.len()
    );
    let mut group = c.benchmark_group("compatibility + priority of parsed wheels");
    group.throughput(Throughput::Elements(ours.len() as u64));
    group.sample_size(10);
    group.bench_function("pypackaging Target::compatibility", |b| {
        b.iter(|| {
            for wheel in &ours {
                let _ = black_box(target.compatibility(black_box(wheel).tags()));
            }
        })
    });
    group.bench_function(
        "uv-distribution-filename WheelFilename::compatibility",
        |b| {
            b.iter(|| {
                for wheel in &uvs {
                    black_box(black_box(wheel).compatibility(&uv_tags));
                }
            })
        },
    );
    group.finish();
}

fn metadata(c: &mut Criterion) {
    for only_valid in [false, true] {
        let files = pypackaging_compare::metadata_files(only_valid);
        let bytes: usize = files.iter().map(|f| f.data.len()).sum();
        let mut group = c.benchmark_group(format!(
            "METADATA parse ({} real files{})",
            files.len(),
            if only_valid { ", all valid" } else { "" }
        ));
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(
            "pypackaging CoreMetadata::parse (validates every field)",
            |b| {
                b.iter(|| {
                    for file in &files {
                        let _ = black_box(pypackaging::metadata::CoreMetadata::parse(black_box(
                            &file.data,
                        )));
                    }
                })
            },
        );
        group.bench_function("pypackaging RawMetadata::parse (raw, no validation)", |b| {
            b.iter(|| {
                for file in &files {
                    black_box(pypackaging::metadata::RawMetadata::parse(black_box(
                        &file.data,
                    )));
                }
            })
        });
        group.bench_function("uv-pypi-types Metadata23::parse (raw strings)", |b| {
            b.iter(|| {
                for file in &files {
                    let _ = black_box(uv_pypi_types::Metadata23::parse(black_box(&file.data)));
                }
            })
        });
        group.finish();
    }
}

/// The generated 20,000-line hashed requirements file (`requirements_file`).
fn requirements(c: &mut Criterion) {
    let text = requirements_file();
    let mut group = c.benchmark_group("hashed requirements file, 20,000 lines");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("pypackaging RequirementsTxt::parse_str (lossless)", |b| {
        b.iter(|| black_box(our_requirements(black_box(&text))))
    });
    group.bench_function("uv-requirements-txt RequirementsTxt::parse_str", |b| {
        b.iter(|| black_box(uv_requirements(black_box(&text))))
    });
    group.finish();
}

criterion_group!(
    benches,
    names,
    versions,
    wheels,
    tags,
    metadata,
    requirements
);
criterion_main!(benches);
