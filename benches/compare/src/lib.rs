//! Inputs shared by the comparative benchmarks: the real PyPI names and versions.

/// `(name, version)` rows of the PyPI project list: the full 886,301 rows from
/// `../shared/data/pypi-projects.tsv.gz` (decompressed by `run` into `target/`) when present,
/// else the committed slice `benches/data/pypi-slice.tsv`.
pub fn pypi_rows() -> (String, Vec<(String, String)>) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let full = format!("{root}/target/pypi-projects.tsv");
    let slice = format!("{root}/benches/data/pypi-slice.tsv");
    let (path, text) = match std::fs::read_to_string(&full) {
        Ok(text) => (full, text),
        Err(_) => {
            let text = std::fs::read_to_string(&slice).expect("benches/data/pypi-slice.tsv");
            (slice, text)
        }
    };
    let rows = text
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    (path, rows)
}

/// The tag sets of the generated wheel filenames, with their weights (out of 100): pure
/// wheels dominate the projects of PyPI, while the binary wheels are spread over a CPython
/// 3.9-3.14 matrix on the usual platforms, with a few legacy and exotic ones.
pub const TAG_MIX: [(&str, u32); 20] = [
    ("py3-none-any", 40),
    ("py2.py3-none-any", 10),
    ("cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64", 6),
    ("cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64", 6),
    ("cp311-cp311-manylinux_2_28_x86_64", 4),
    ("cp313-cp313-manylinux_2_28_aarch64", 3),
    ("cp311-cp311-musllinux_1_2_x86_64", 3),
    ("cp311-cp311-win_amd64", 4),
    ("cp312-cp312-win_amd64", 3),
    ("cp310-cp310-macosx_10_9_x86_64", 3),
    ("cp311-cp311-macosx_11_0_arm64", 3),
    ("cp312-cp312-macosx_10_13_universal2", 2),
    ("cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64", 3),
    ("cp38-abi3-win_amd64", 2),
    (
        "cp310-cp310-macosx_10_9_x86_64.macosx_11_0_arm64.macosx_10_9_universal2",
        1,
    ),
    (
        "pp310-pypy310_pp73-manylinux_2_17_x86_64.manylinux2014_x86_64",
        1,
    ),
    ("cp27-cp27mu-manylinux1_x86_64", 1),
    (
        "cp36.cp37.cp38-abi3-manylinux_2_5_x86_64.manylinux1_x86_64",
        1,
    ),
    ("cp314-cp314t-manylinux_2_34_aarch64", 2),
    ("py3-none-macosx_10_9_universal2", 2),
];

/// How many wheel filenames [`wheel_filenames`] makes.
pub const WHEELS: usize = 1_000_000;

/// One million wheel filenames built from the real names and versions of [`pypi_rows`]
/// (cycling through the rows), in the spellings found on indexes (the escaped original name,
/// half the time lower-cased as newer build tools write it), with a tag set drawn from
/// [`TAG_MIX`] and a build tag on one wheel in a hundred. Deterministic: the same list on
/// every run. Also written to `target/compare-wheels.txt` (one per line) for
/// `python_compare.py`, so both sides parse the same strings.
pub fn wheel_filenames() -> Vec<String> {
    let out = wheel_filenames_n(WHEELS);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target");
    let path = format!("{root}/compare-wheels.txt");
    let _ = std::fs::create_dir_all(root);
    let _ = std::fs::write(&path, out.join("\n") + "\n");
    out
}

/// The first `n` of [`wheel_filenames`], without writing them out (for the instruction-count
/// probe).
pub fn wheel_filenames_n(n: usize) -> Vec<String> {
    let (_, rows) = pypi_rows();
    let total: u32 = TAG_MIX.iter().map(|(_, w)| w).sum();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        // xorshift64*: deterministic, evenly spread choices.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let random = state.wrapping_mul(0x2545_f491_4f6c_dd1d);
        let (name, version) = &rows[i % rows.len()];
        let mut escaped = String::with_capacity(name.len());
        let mut previous = false;
        for c in name.chars() {
            if matches!(c, '-' | '_' | '.') {
                if !previous {
                    escaped.push('_');
                }
                previous = true;
            } else {
                escaped.push(c);
                previous = false;
            }
        }
        if random & 1 == 0 {
            escaped.make_ascii_lowercase();
        }
        let mut pick = ((random >> 8) % u64::from(total)) as u32;
        let tags = TAG_MIX
            .iter()
            .find(|(_, w)| {
                let hit = pick < *w;
                pick = pick.saturating_sub(*w);
                hit
            })
            .map_or("py3-none-any", |(t, _)| t);
        let build = if (random >> 40) % 100 == 0 { "-1" } else { "" };
        out.push(format!("{escaped}-{version}{build}-{tags}.whl"));
    }
    out
}

/// The target of the tag benchmarks: CPython 3.11 on a glibc 2.28 x86_64 machine, as
/// `packaging.tags.sys_tags()` would list it (every older manylinux, `linux_x86_64` last as uv
/// ranks it).
pub fn our_target() -> pypackaging::Target {
    let spec =
        pypackaging::tags::TargetSpec::new("cp", "3.11", &["cp311"], &["manylinux_2_28_x86_64"])
            .expect("spec");
    pypackaging::Target::expanded(&spec, pypackaging::tags::LinuxRank::Last).expect("target")
}

/// The same target built by uv: `Tags::from_env` for CPython 3.11 on manylinux 2.28 x86_64.
pub fn uv_target() -> uv_platform_tags::Tags {
    use uv_platform_tags::{Arch, Os, Platform, Tags, TagsOptions};
    Tags::from_env(
        Platform::new(
            Os::Manylinux {
                major: 2,
                minor: 28,
            },
            Arch::X86_64,
        ),
        (3, 11),
        "cpython",
        (3, 11),
        TagsOptions {
            manylinux_compatible: true,
            gil_disabled: false,
            debug_enabled: false,
            is_cross: false,
        },
    )
    .expect("tags")
}

/// A real METADATA or PKG-INFO file of the repository.
pub struct MetadataFile {
    /// The file name (under `tests/data/metadata/real/`).
    pub name: String,
    /// Its bytes.
    pub data: Vec<u8>,
    /// Whether this crate validates it (packaging 26.3 agrees on every file: the others
    /// use fields newer than the `Metadata-Version` they declare).
    pub valid: bool,
}

/// The real METADATA and PKG-INFO files of `tests/data/metadata/real/` that declare
/// Metadata-Version 2.1 or later (the versions uv's `Metadata23` is for) and that uv's
/// `Metadata23::parse` accepts: the inputs of the head-to-head METADATA comparison, sorted by
/// name. With `only_valid`, only those this crate also validates. Prints to stderr how many
/// there are and why this crate rejects the others, and writes the list (with a `valid`
/// column) to `target/compare-metadata.txt` for `python_compare.py`.
pub fn metadata_files(only_valid: bool) -> Vec<MetadataFile> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/metadata/real"
    );
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("tests/data/metadata/real")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let total = names.len();
    let mut out = Vec::new();
    for name in names {
        let data = std::fs::read(format!("{dir}/{name}")).expect("metadata file");
        let raw = pypackaging::metadata::RawMetadata::parse(&data);
        let declared = raw
            .get(pypackaging::metadata::Field::MetadataVersion)
            .and_then(|v| v.parse::<pypackaging::metadata::MetadataVersion>().ok());
        if !declared.is_some_and(|v| v >= pypackaging::metadata::MetadataVersion::V2_1) {
            continue;
        }
        if let Err(e) = uv_pypi_types::Metadata23::parse(&data) {
            eprintln!("metadata: {name} left out: uv rejects it: {e}");
            continue;
        }
        let valid = match pypackaging::metadata::CoreMetadata::parse(&data) {
            Ok(_) => true,
            Err(e) => {
                if !only_valid {
                    eprintln!("metadata: pypackaging rejects {name}: {e}");
                }
                false
            }
        };
        out.push(MetadataFile { name, data, valid });
    }
    let list: String = out
        .iter()
        .map(|f| format!("{}\t{}\n", f.name, f.valid))
        .collect();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target");
    let _ = std::fs::create_dir_all(root);
    let _ = std::fs::write(format!("{root}/compare-metadata.txt"), list);
    let accepted = out.len();
    let valid = out.iter().filter(|f| f.valid).count();
    if only_valid {
        out.retain(|f| f.valid);
    }
    let bytes: usize = out.iter().map(|f| f.data.len()).sum();
    eprintln!(
        "metadata: {accepted} of {total} real files declare 2.1+ and uv accepts them, \
         {valid} of those pypackaging validates; using {} files, {bytes} bytes",
        out.len()
    );
    out
}

/// How many physical lines [`requirements_file`] writes.
pub const REQUIREMENT_LINES: usize = 20_000;

/// A 20,000-line hashed requirements file as `pip-compile --generate-hashes` writes it, built
/// from the real names and versions of [`pypi_rows`] (rows whose name and version are valid,
/// picked at random): the pip-compile header comment, `--index-url`, `--require-hashes` and
/// `--only-binary :all:`, then per requirement `name==version \` (a marker on one in twenty),
/// one to three `--hash=sha256:...` continuation lines, and the `# via` comment lines pip-compile
/// adds. Deterministic: the same text on every run. Also written to
/// `target/compare-requirements.txt` for `python_compare.py`.
pub fn requirements_file() -> String {
    let text = requirements_file_text();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target");
    let _ = std::fs::create_dir_all(root);
    let _ = std::fs::write(format!("{root}/compare-requirements.txt"), &text);
    text
}

/// [`requirements_file`] without writing it out (for the instruction-count probe).
pub fn requirements_file_text() -> String {
    use std::fmt::Write as _;

    const MARKERS: [&str; 4] = [
        "python_version < \"3.11\"",
        "sys_platform == \"win32\"",
        "platform_machine == \"x86_64\" and sys_platform == \"linux\"",
        "implementation_name == \"cpython\"",
    ];
    let (_, rows) = pypi_rows();
    let rows: Vec<&(String, String)> = rows
        .iter()
        .filter(|(name, version)| {
            pypackaging::PackageName::new(name).is_ok()
                && version.parse::<pypackaging::Version>().is_ok()
        })
        .collect();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        // xorshift64*: deterministic, evenly spread choices.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let mut text = String::from(
        "#\n# This file is autogenerated by pip-compile with Python 3.12\n\
         # by the following command:\n#\n\
         #    pip-compile --generate-hashes --output-file=requirements.txt requirements.in\n#\n\
         --index-url https://pypi.org/simple\n--require-hashes\n--only-binary :all:\n\n",
    );
    let mut lines = text.lines().count();
    while lines < REQUIREMENT_LINES {
        let random = next();
        let (name, version) = rows[(random % rows.len() as u64) as usize];
        let hashes = 1 + (random >> 32) % 3;
        let marker = if (random >> 40) % 20 == 0 {
            format!(" ; {}", MARKERS[((random >> 48) % 4) as usize])
        } else {
            String::new()
        };
        let _ = write!(text, "{name}=={version}{marker} \\\n");
        for h in 0..hashes {
            let mut digest = String::with_capacity(64);
            for _ in 0..4 {
                let _ = write!(digest, "{:016x}", next());
            }
            let end = if h + 1 < hashes { " \\" } else { "" };
            let _ = writeln!(text, "    --hash=sha256:{digest}{end}");
        }
        lines += 1 + hashes as usize;
        // pip-compile's provenance comments: one `# via` line, or a list of parents.
        let parents = (random >> 56) % 4;
        if parents < 2 {
            text.push_str("    # via -r requirements.in\n");
            lines += 1;
        } else {
            text.push_str("    # via\n");
            for p in 0..parents {
                let (parent, _) = rows[((random >> (8 * p)) % rows.len() as u64) as usize];
                let _ = writeln!(text, "    #   {parent}");
            }
            lines += 1 + parents as usize;
        }
    }
    text
}

/// The generated requirements file as `probe` reads it: `target/compare-requirements.txt`,
/// written first if missing (so that the instruction counts of a phase do not include
/// generating it).
pub fn requirements_file_cached() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/compare-requirements.txt"
    );
    std::fs::read_to_string(path).unwrap_or_else(|_| requirements_file())
}

/// This crate's side of the requirements comparison: the whole file read losslessly, every
/// requirement classified and parsed, every digest decoded and checked.
pub fn our_requirements(text: &str) -> pypackaging::requirements_txt::Parsed {
    pypackaging::requirements_txt::RequirementsTxt::parse_str("requirements.txt", text, &|_| None)
}

/// uv's side: `RequirementsTxt::parse_str` with a default client builder and an empty source
/// cache, as `uv pip install -r` reads a file it has in memory. The file includes nothing, so
/// the future never waits on I/O: it is polled on this thread by [`block_on`].
pub fn uv_requirements(text: &str) -> uv_requirements_txt::RequirementsTxt {
    block_on(uv_requirements_txt::RequirementsTxt::parse_str(
        text,
        std::path::Path::new("requirements.txt"),
        std::path::Path::new("."),
        &uv_client::BaseClientBuilder::default(),
        &mut uv_requirements_txt::SourceCache::default(),
    ))
    .expect("uv reads the generated requirements file")
}

/// Polls a future that completes without waiting (no I/O, no timers) on the current thread.
///
/// # Panics
///
/// If the future is not ready at once: it would wait for something this executor cannot drive.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Wake, Waker};
    struct Nothing;
    impl Wake for Nothing {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    let waker = Waker::from(std::sync::Arc::new(Nothing));
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut context) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future waits for I/O: not a parse of text in memory"),
    }
}
