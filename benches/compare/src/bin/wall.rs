//! Wall-clock A/B runs: each pair alternates this crate and uv on the same input, best of
//! several rounds, so that both sides see the same machine load.
//!
//! `wall` runs everything; `wall names wheels compat target versions metadata requirements`
//! picks groups.
use std::hint::black_box;
use std::str::FromStr;
use std::time::Instant;

/// Alternates `a` and `b` `rounds` times; the best time of each, in ms.
fn ab(rounds: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64) {
    let (mut ta, mut tb) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let t = Instant::now();
        a();
        ta = ta.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        b();
        tb = tb.min(t.elapsed().as_secs_f64());
    }
    (ta * 1e3, tb * 1e3)
}

fn line(what: &str, count: usize, (ours, uv): (f64, f64)) {
    println!(
        "{what} ({count}): pypackaging {ours:.1} ms, uv {uv:.1} ms, ratio {:.2}x",
        uv / ours
    );
}

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    let run = |group: &str| wanted.is_empty() || wanted.iter().any(|w| w == group);
    if run("names") {
        let (_, rows) = pypackaging_compare::pypi_rows();
        let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
        let times = ab(
            7,
            || {
                for n in &names {
                    let _ = black_box(pypackaging::PackageName::new(black_box(n)));
                }
            },
            || {
                for n in &names {
                    let _ = black_box(uv_normalize::PackageName::from_str(black_box(n)));
                }
            },
        );
        line("name normalize + validate", names.len(), times);
    }
    if run("wheels") || run("compat") {
        let filenames = pypackaging_compare::wheel_filenames();
        if run("wheels") {
            let times = ab(
                5,
                || {
                    for f in &filenames {
                        let _ = black_box(pypackaging::WheelFilename::parse(black_box(f)));
                    }
                },
                || {
                    for f in &filenames {
                        let _ = black_box(uv_distribution_filename::WheelFilename::from_str(
                            black_box(f),
                        ));
                    }
                },
            );
            line("wheel filename parse", filenames.len(), times);
        }
        if run("compat") {
            let (ours, uvs): (Vec<_>, Vec<_>) = filenames
                .iter()
                .filter_map(|f| {
                    let ours = pypackaging::WheelFilename::parse(f).ok()?;
                    let uv = uv_distribution_filename::WheelFilename::from_str(f).ok()?;
                    Some((ours, uv))
                })
                .unzip();
            let (target, tags) = (
                pypackaging_compare::our_target(),
                pypackaging_compare::uv_target(),
            );
            let times = ab(
                7,
                || {
                    for w in &ours {
                        let _ = black_box(target.compatibility(black_box(w).tags()));
                    }
                },
                || {
                    for w in &uvs {
                        black_box(black_box(w).compatibility(&tags));
                    }
                },
            );
            line("compatibility + priority", ours.len(), times);
        }
    }
    if run("target") {
        let times = ab(
            7,
            || {
                for _ in 0..1000 {
                    black_box(pypackaging_compare::our_target());
                }
            },
            || {
                for _ in 0..1000 {
                    black_box(pypackaging_compare::uv_target());
                }
            },
        );
        line("target tag set x1000", 1000, times);
    }
    if run("versions") {
        versions();
    }
    if run("metadata") {
        for only_valid in [false, true] {
            metadata(only_valid);
        }
    }
    if run("requirements") {
        requirements();
    }
}

/// METADATA: every file parsed 100 times per round.
fn metadata(only_valid: bool) {
    let files = pypackaging_compare::metadata_files(only_valid);
    let bytes: usize = files.iter().map(|f| f.data.len()).sum();
    let ours = || {
        for _ in 0..100 {
            for file in &files {
                let _ = black_box(pypackaging::metadata::CoreMetadata::parse(black_box(
                    &file.data,
                )));
            }
        }
    };
    let cached = || {
        for _ in 0..100 {
            // One marker cache per pass over the (different) files.
            let mut cache = pypackaging::version::MarkerCache::new();
            for file in &files {
                let _ = black_box(pypackaging::metadata::CoreMetadata::parse_with(
                    black_box(&file.data),
                    &mut cache,
                ));
            }
        }
    };
    let raw = || {
        for _ in 0..100 {
            for file in &files {
                black_box(pypackaging::metadata::RawMetadata::parse(black_box(
                    &file.data,
                )));
            }
        }
    };
    let uv = || {
        for _ in 0..100 {
            for file in &files {
                let _ = black_box(uv_pypi_types::Metadata23::parse(black_box(&file.data)));
            }
        }
    };
    let label = if only_valid { ", all valid" } else { "" };
    let times = ab(15, ours, uv);
    line(
        &format!("METADATA x100{label}, parse + validate vs Metadata23::parse"),
        files.len(),
        times,
    );
    let mb = |ms: f64| bytes as f64 * 100.0 / (ms / 1e3) / 1e6;
    println!(
        "  {bytes} bytes: pypackaging {:.0} MB/s, uv {:.0} MB/s",
        mb(times.0),
        mb(times.1)
    );
    let times = ab(15, cached, uv);
    line(
        &format!(
            "METADATA x100{label}, parse + validate, one MarkerCache per pass, vs Metadata23::parse"
        ),
        files.len(),
        times,
    );
    let times = ab(15, raw, uv);
    line(
        &format!("METADATA x100{label}, raw parse vs Metadata23::parse"),
        files.len(),
        times,
    );
}

/// The generated 20,000-line hashed requirements file, read by both; first a check that both
/// read the same requirements and hashes.
fn requirements() {
    let text = pypackaging_compare::requirements_file();
    let ours = pypackaging_compare::our_requirements(&text);
    let uv = pypackaging_compare::uv_requirements(&text);
    assert!(ours.errors.is_empty(), "{:?}", ours.errors.first());
    let our_hashes: usize = ours.file.entries().map(|e| e.hashes().len()).sum();
    let uv_hashes: usize = uv.requirements.iter().map(|e| e.hashes.len()).sum();
    assert_eq!(ours.file.entries().count(), uv.requirements.len());
    assert_eq!(our_hashes, uv_hashes);
    assert_eq!(ours.file.to_string(), text);
    println!(
        "requirements file: {} lines, {} bytes, {} requirements, {} hashes",
        text.lines().count(),
        text.len(),
        uv.requirements.len(),
        uv_hashes
    );
    let times = ab(
        15,
        || {
            black_box(pypackaging_compare::our_requirements(black_box(&text)));
        },
        || {
            black_box(pypackaging_compare::uv_requirements(black_box(&text)));
        },
    );
    line("requirements file parse", text.lines().count(), times);
}

fn versions() {
    let (_, rows) = pypackaging_compare::pypi_rows();
    let texts: Vec<&str> = rows.iter().map(|(_, v)| v.as_str()).collect();
    let times = ab(
        5,
        || {
            let mut v: Vec<pypackaging::version::SortableVersion> =
                texts.iter().filter_map(|v| v.parse().ok()).collect();
            v.sort_unstable();
            black_box(v);
        },
        || {
            let mut v: Vec<uv_pep440::Version> =
                texts.iter().filter_map(|v| v.parse().ok()).collect();
            v.sort_unstable();
            black_box(v);
        },
    );
    line("version parse + sort (SortableVersion)", texts.len(), times);
    for _ in 0..3 {
        let t = Instant::now();
        let mut v: Vec<pypackaging::version::SortableVersion> =
            texts.iter().filter_map(|v| v.parse().ok()).collect();
        let parse = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        v.sort_unstable();
        let sort = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        drop(black_box(v));
        let dropped = t.elapsed().as_secs_f64() * 1e3;
        println!(
            "  SortableVersion phases: parse {parse:.1} ms, sort {sort:.1} ms, drop {dropped:.1} ms"
        );
    }
    let parsed: Vec<pypackaging::Version> =
        rows.iter().filter_map(|(_, v)| v.parse().ok()).collect();
    let uv: Vec<uv_pep440::Version> = rows.iter().filter_map(|(_, v)| v.parse().ok()).collect();
    let (mut ord, mut key, mut uvs) = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..5 {
        let mut a = parsed.clone();
        let t = Instant::now();
        a.sort();
        ord = ord.min(t.elapsed().as_secs_f64());
        let mut b = parsed.clone();
        let t = Instant::now();
        pypackaging::version::sort_by_version(&mut b, |v| v);
        key = key.min(t.elapsed().as_secs_f64());
        assert!(a == b);
        let mut c = uv.clone();
        let t = Instant::now();
        c.sort();
        uvs = uvs.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{} versions: Ord sort {:.1} ms, sort_by_version {:.1} ms, uv Ord sort {:.1} ms",
        parsed.len(),
        ord * 1e3,
        key * 1e3,
        uvs * 1e3
    );
    let (mut p1, mut p2) = (f64::MAX, f64::MAX);
    for _ in 0..3 {
        let t = Instant::now();
        let v: Vec<pypackaging::Version> =
            rows.iter().filter_map(|(_, v)| v.parse().ok()).collect();
        p1 = p1.min(t.elapsed().as_secs_f64());
        drop(v);
        let t = Instant::now();
        let v: Vec<uv_pep440::Version> = rows.iter().filter_map(|(_, v)| v.parse().ok()).collect();
        p2 = p2.min(t.elapsed().as_secs_f64());
        drop(v);
    }
    println!(
        "parse: pep440_rs {:.1} ms, uv-pep440 {:.1} ms",
        p1 * 1e3,
        p2 * 1e3
    );
}
