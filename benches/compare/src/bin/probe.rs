//! Instruction-count probe: `valgrind --tool=callgrind target/release/probe PHASE`.
fn main() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/pypi-slice.tsv"
    ))
    .unwrap();
    let versions: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(_, v)| v)
        .collect();
    let phase = std::env::args().nth(1).unwrap_or_default();
    match phase.as_str() {
        "parse-ours" => {
            let v: Vec<_> = versions
                .iter()
                .filter_map(|v| v.parse::<pypackaging::Version>().ok())
                .collect();
            std::hint::black_box(v);
        }
        "parse-pep440rs" => {
            let v: Vec<pypackaging::Version> =
                versions.iter().filter_map(|v| v.parse().ok()).collect();
            std::hint::black_box(v);
        }
        "parse-uv" => {
            let v: Vec<uv_pep440::Version> =
                versions.iter().filter_map(|v| v.parse().ok()).collect();
            std::hint::black_box(v);
        }
        "sort-ours" => {
            let mut v: Vec<_> = versions
                .iter()
                .filter_map(|v| v.parse::<pypackaging::Version>().ok())
                .collect();
            pypackaging::version::sort_by_version(&mut v, |v| v);
            std::hint::black_box(v);
        }
        "sortable" => {
            let mut v: Vec<pypackaging::version::SortableVersion> =
                versions.iter().filter_map(|v| v.parse().ok()).collect();
            v.sort_unstable();
            std::hint::black_box(v);
        }
        "sortable-parse" => {
            let v: Vec<pypackaging::version::SortableVersion> =
                versions.iter().filter_map(|v| v.parse().ok()).collect();
            std::hint::black_box(v);
        }
        "sort-ord" => {
            let mut v: Vec<_> = versions
                .iter()
                .filter_map(|v| v.parse::<pypackaging::Version>().ok())
                .collect();
            v.sort_unstable();
            std::hint::black_box(v);
        }
        "sort-uv" => {
            let mut v: Vec<uv_pep440::Version> =
                versions.iter().filter_map(|v| v.parse().ok()).collect();
            v.sort_unstable();
            std::hint::black_box(v);
        }
        "names-ours" => {
            for l in text.lines() {
                let _ = std::hint::black_box(pypackaging::PackageName::new(
                    l.split('\t').next().unwrap(),
                ));
            }
        }
        "names-uv" => {
            for l in text.lines() {
                let _ = std::hint::black_box(
                    <uv_normalize::PackageName as std::str::FromStr>::from_str(
                        l.split('\t').next().unwrap(),
                    ),
                );
            }
        }
        // Filename phases: the first 100,000 generated wheels; `wheels-setup` is the baseline
        // (generating them, and for `compat-*` parsing them) to subtract.
        "wheels-setup" => {
            std::hint::black_box(wheels());
        }
        "wheels-ours" => {
            for f in &wheels() {
                let _ = std::hint::black_box(pypackaging::WheelFilename::parse(f));
            }
        }
        "wheels-uv" => {
            for f in &wheels() {
                let _ = std::hint::black_box(
                    <uv_distribution_filename::WheelFilename as std::str::FromStr>::from_str(f),
                );
            }
        }
        "target-ours" => {
            for _ in 0..100 {
                std::hint::black_box(pypackaging_compare::our_target());
            }
        }
        "target-uv" => {
            for _ in 0..100 {
                std::hint::black_box(pypackaging_compare::uv_target());
            }
        }
        "compat-setup-ours" | "compat-ours" => {
            let target = pypackaging_compare::our_target();
            let parsed: Vec<_> = wheels()
                .iter()
                .filter_map(|f| pypackaging::WheelFilename::parse(f).ok())
                .collect();
            if phase == "compat-ours" {
                for w in &parsed {
                    let _ = std::hint::black_box(target.compatibility(w.tags()));
                }
            }
        }
        "compat-setup-uv" | "compat-uv" => {
            let tags = pypackaging_compare::uv_target();
            let parsed: Vec<uv_distribution_filename::WheelFilename> =
                wheels().iter().filter_map(|f| f.parse().ok()).collect();
            if phase == "compat-uv" {
                for w in &parsed {
                    std::hint::black_box(w.compatibility(&tags));
                }
            }
        }
        // METADATA phases: every head-to-head file parsed 10 times (`probe meta-ours valid`:
        // only the files this crate validates); `meta-setup` (reading and selecting the
        // files) is the baseline to subtract.
        "meta-setup" | "meta-ours" | "meta-cache-ours" | "meta-raw-ours" | "meta-uv" => {
            let files = pypackaging_compare::metadata_files(
                std::env::args().nth(2).as_deref() == Some("valid"),
            );
            for _ in 0..10 {
                // One marker cache per pass over the (different) files.
                let mut cache = pypackaging::version::MarkerCache::new();
                for file in &files {
                    let data = std::hint::black_box(&file.data);
                    match phase.as_str() {
                        "meta-cache-ours" => {
                            let _ = std::hint::black_box(
                                pypackaging::metadata::CoreMetadata::parse_with(data, &mut cache),
                            );
                        }
                        "meta-ours" => {
                            let _ = std::hint::black_box(
                                pypackaging::metadata::CoreMetadata::parse(data),
                            );
                        }
                        "meta-raw-ours" => {
                            std::hint::black_box(pypackaging::metadata::RawMetadata::parse(data));
                        }
                        "meta-uv" => {
                            let _ = std::hint::black_box(uv_pypi_types::Metadata23::parse(data));
                        }
                        _ => {}
                    }
                }
            }
        }
        // Requirements phases: `req-setup` (reading the generated file) is the baseline to
        // subtract; run `wall requirements` once first so that the file exists.
        "req-setup" => {
            std::hint::black_box(pypackaging_compare::requirements_file_cached());
        }
        "req-ours" => {
            let text = pypackaging_compare::requirements_file_cached();
            std::hint::black_box(pypackaging_compare::our_requirements(&text));
        }
        "req-uv" => {
            let text = pypackaging_compare::requirements_file_cached();
            std::hint::black_box(pypackaging_compare::uv_requirements(&text));
        }
        _ => {}
    }
}

fn wheels() -> Vec<String> {
    pypackaging_compare::wheel_filenames_n(100_000)
}
