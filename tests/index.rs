//! `index::build`: properties over generated wheelhouses, and the pages read back by the
//! crate's own parsers.

use proptest::prelude::*;
use pypackaging::index::{self, BuildOptions, DistFile};
use pypackaging::requirements_txt::{RequirementForm, RequirementsTxt};
use pypackaging::simple::{Yanked, html, json};
use pypackaging::{Digest, HashAlgorithm, PackageName};

/// One generated file: project spelling, version, kind, digest byte, yanked.
fn file_strategy() -> impl Strategy<Value = (String, String, u8, u8, bool)> {
    (
        prop::sample::select(vec!["demo", "Demo_Pkg", "demo.pkg", "other", "z"]),
        prop::sample::select(vec!["1.0", "1.0.post1", "2.0rc1", "2.0", "10.1"]),
        0u8..3,
        any::<u8>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(name, version, kind, byte, yanked)| {
            (name.to_owned(), version.to_owned(), kind, byte, yanked)
        })
}

fn dist((name, version, kind, byte, yanked): &(String, String, u8, u8, bool)) -> DistFile {
    let filename = match kind {
        0 => format!("{name}-{version}.tar.gz"),
        1 => format!("{name}-{version}-py3-none-any.whl"),
        _ => format!("{name}-{version}-cp312-cp312-manylinux_2_17_x86_64.whl"),
    };
    let sha = Digest::from_bytes(HashAlgorithm::Sha256, &[*byte; 32]).unwrap();
    let mut file = DistFile::new(&filename, vec![sha], u64::from(*byte)).unwrap();
    if *kind > 0 {
        file = file.with_metadata(
            format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nRequires-Python: >=3.{byte}\n").as_bytes(),
        );
    }
    if *yanked {
        file.yanked = Yanked::with_reason("");
    }
    file
}

/// Distinct filenames only (the same name twice is an error, tested in the unit tests).
fn wheelhouse() -> impl Strategy<Value = Vec<DistFile>> {
    prop::collection::vec(file_strategy(), 0..24).prop_map(|specs| {
        let mut seen = std::collections::BTreeSet::new();
        specs
            .iter()
            .map(dist)
            .filter(|f| seen.insert(f.filename.clone()))
            .collect()
    })
}

proptest! {
    /// The index does not depend on the order the files were found in, lists every file once
    /// under its normalized project, and its pages and requirements read back.
    #[test]
    fn order_independent_complete_and_readable(files in wheelhouse(), seed in any::<u64>()) {
        let options = BuildOptions::default();
        let built = index::build(files.clone(), &options).unwrap();
        let mut shuffled = files.clone();
        let n = shuffled.len();
        if n > 1 {
            for i in 0..n {
                shuffled.swap(i, (seed as usize).wrapping_mul(i + 7) % n);
            }
        }
        prop_assert_eq!(&index::build(shuffled, &options).unwrap(), &built);

        let listed: usize = built.pages.iter().map(|(_, p)| p.files.len()).sum();
        prop_assert_eq!(listed, files.len());
        for (name, page) in &built.pages {
            for f in &page.files {
                let dist = files.iter().find(|d| d.filename == f.filename).unwrap();
                prop_assert_eq!(dist.project(), name);
                prop_assert_eq!(f.size, Some(dist.size));
            }
        }
        let names: Vec<&PackageName> = built.pages.iter().map(|(n, _)| n).collect();
        prop_assert!(names.windows(2).all(|w| w[0] < w[1]));

        for (path, text) in built.render() {
            let url = format!("https://example.test/{}", path.trim_end_matches("index.html").trim_end_matches("index.json"));
            if path == "simple/index.json" {
                let back = json::parse_project_list(&text).unwrap();
                prop_assert_eq!(back.value.projects.len(), built.pages.len());
            } else if path == "simple/index.html" {
                let back = html::parse_project_list(&text, &url).unwrap();
                prop_assert_eq!(back.value.projects.len(), built.pages.len());
            } else {
                let back = if path.ends_with(".json") {
                    json::parse_project_page(&text, &url).unwrap()
                } else {
                    html::parse_project_page(&text, &url).unwrap()
                };
                prop_assert!(back.warnings.is_empty(), "{:?}", back.warnings);
                let page = &built.pages.iter().find(|(n, _)| path == format!("simple/{n}/{}", if path.ends_with(".json") { "index.json" } else { "index.html" })).unwrap().1;
                let got: Vec<(&str, &Yanked, Option<&str>)> = back.value.files.iter().map(|f| (f.filename.as_str(), &f.yanked, f.requires_python.as_deref())).collect();
                let want: Vec<(&str, &Yanked, Option<&str>)> = page.files.iter().map(|f| (f.filename.as_str(), &f.yanked, f.requires_python.as_deref())).collect();
                prop_assert_eq!(got, want);
            }
        }

        let parsed = RequirementsTxt::parse_str("requirements.txt", &built.requirements, &|_| None);
        prop_assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let pinned: std::collections::BTreeSet<PackageName> =
            parsed.file.entries().filter_map(|e| e.project()).collect();
        let unyanked_projects = built
            .pages
            .iter()
            .filter(|(_, p)| p.files.iter().any(|f| !f.yanked.is_yanked()))
            .count();
        prop_assert_eq!(pinned.len(), unyanked_projects);
        for entry in parsed.file.entries() {
            prop_assert!(!entry.hashes().is_empty());
        }
        check_pins(&built, &files)?;
    }
}

// The requirements file across Python versions: one line per project at most on each Python,
// naming a release whose hashes are that release's files.

/// A marker environment for CPython `version` (`3.11.0`).
fn python_env(version: &str) -> pep508_rs::MarkerEnvironment {
    let minor: String = version.split('.').take(2).collect::<Vec<_>>().join(".");
    pep508_rs::MarkerEnvironment::try_from(pep508_rs::MarkerEnvironmentBuilder {
        implementation_name: "cpython",
        implementation_version: version,
        os_name: "posix",
        platform_machine: "x86_64",
        platform_python_implementation: "CPython",
        platform_release: "",
        platform_system: "Linux",
        platform_version: "",
        python_full_version: version,
        python_version: &minor,
        sys_platform: "linux",
    })
    .unwrap()
}

/// Python versions around the boundaries the generated files name (`>=3.N` for N a byte).
const PYTHONS: &[&str] = &[
    "2.7.18", "3.0.0", "3.0.1", "3.1.0", "3.7.9", "3.8.0", "3.11.0", "3.12.0", "3.12.5", "3.13.0",
    "3.100.0", "3.255.0", "4.0.0",
];

/// For each Python in [`PYTHONS`], at most one line per project applies, and every line's
/// hashes are among its release's unyanked files.
fn check_pins(built: &index::Index, files: &[DistFile]) -> Result<(), TestCaseError> {
    let parsed = RequirementsTxt::parse_str("requirements.txt", &built.requirements, &|_| None);
    for python in PYTHONS {
        let env = python_env(python);
        let mut seen = std::collections::BTreeSet::new();
        for entry in parsed.file.entries() {
            let RequirementForm::Pep508(requirement) = entry.form() else {
                return Err(TestCaseError::fail(format!("not PEP 508: {entry:?}")));
            };
            if requirement.marker.evaluate(&env, &[]) {
                prop_assert!(
                    seen.insert(requirement.name.to_string()),
                    "two lines for {} on {python}:\n{}",
                    requirement.name,
                    built.requirements
                );
            }
        }
    }
    for entry in parsed.file.entries() {
        let RequirementForm::Pep508(requirement) = entry.form() else {
            unreachable!()
        };
        let Some(pep508_rs::VersionOrUrl::VersionSpecifier(spec)) = &requirement.version_or_url
        else {
            return Err(TestCaseError::fail("not a pin"));
        };
        for digest in entry.hashes() {
            let known = files.iter().any(|f| {
                !f.yanked.is_yanked()
                    && f.project().as_ref() == requirement.name.as_ref()
                    && spec.contains(f.version())
                    && f.sha256() == Some(digest)
            });
            prop_assert!(known, "{digest} is no file of {requirement}");
        }
    }
    Ok(())
}

fn sha(byte: u8) -> Digest {
    Digest::from_bytes(HashAlgorithm::Sha256, &[byte; 32]).unwrap()
}

fn wheel(name: &str, byte: u8, requires_python: &str) -> DistFile {
    let mut f = DistFile::new(name, vec![sha(byte)], 1).unwrap();
    f.requires_python = Some(requires_python.to_owned());
    f
}

/// The numpy case through the public API: on 3.11 the older release, on 3.12 the newest,
/// and a range given in the options is named on the first line.
#[test]
fn pins_follow_requires_python_per_python_version() {
    let files = vec![
        wheel(
            "numpy-2.3.1-cp312-cp312-manylinux_2_28_x86_64.whl",
            0x21,
            ">=3.12",
        ),
        wheel(
            "numpy-2.3.1-cp313-cp313-manylinux_2_28_x86_64.whl",
            0x22,
            ">=3.12",
        ),
        wheel(
            "numpy-1.26.4-cp310-cp310-manylinux_2_17_x86_64.whl",
            0x10,
            ">=3.10",
        ),
        wheel(
            "numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.whl",
            0x11,
            ">=3.10",
        ),
        wheel("tiny-1.0-py3-none-any.whl", 0x01, ">=3.8"),
    ];
    let built = index::build(files.clone(), &BuildOptions::default()).unwrap();
    assert!(
        built
            .requirements
            .starts_with("# Python: every version the files support\n")
    );
    check_pins(&built, &files).unwrap();
    let parsed = RequirementsTxt::parse_str("r.txt", &built.requirements, &|_| None);
    let picked = |python: &str| -> Vec<String> {
        let env = python_env(python);
        parsed
            .file
            .entries()
            .filter_map(|e| match e.form() {
                RequirementForm::Pep508(r) if r.marker.evaluate(&env, &[]) => {
                    let pin = e.requirement().split(';').next().unwrap().trim();
                    Some(format!("{pin} ({})", e.hashes().len()))
                }
                _ => None,
            })
            .collect()
    };
    assert_eq!(picked("3.9.0"), ["tiny==1.0 (1)"]);
    assert_eq!(picked("3.11.0"), ["numpy==1.26.4 (2)", "tiny==1.0 (1)"]);
    assert_eq!(picked("3.12.0"), ["numpy==2.3.1 (2)", "tiny==1.0 (1)"]);
    assert_eq!(picked("3.13.2"), ["numpy==2.3.1 (2)", "tiny==1.0 (1)"]);
    assert_eq!(picked("3.14.0"), ["tiny==1.0 (1)"]);

    let options = BuildOptions {
        python: Some(">=3.12".parse().unwrap()),
        ..BuildOptions::default()
    };
    let built = index::build(files, &options).unwrap();
    let first = built.requirements.lines().next().unwrap();
    insta::assert_snapshot!(first, @"# Python >=3.12");
    assert!(
        built.requirements.contains("\nnumpy==2.3.1 \\\n"),
        "{}",
        built.requirements
    );
}

/// A real wheel and sdist from their bytes: the verdict, the sidecar of the wheel, the
/// `Requires-Python` of both, and the page entry `build` would write.
#[test]
fn dist_files_from_real_bytes() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/wheelhouse/");
    let wheel = std::fs::read(format!("{dir}hello_pypackaging-1.1.0-py3-none-any.whl")).unwrap();
    let (file, check) =
        DistFile::from_bytes("hello_pypackaging-1.1.0-py3-none-any.whl", &wheel).unwrap();
    assert!(check.verdict.is_installable(), "{:?}", check.verdict);
    let metadata = check.metadata.unwrap();
    assert!(metadata.starts_with(b"Metadata-Version: 2.5\n"));
    assert_eq!(file.requires_python.as_deref(), Some(">=3.8"));
    assert_eq!(file.size, wheel.len() as u64);
    assert_eq!(
        file.metadata_digests.as_deref(),
        Some(&[pypackaging::hash::sha256(&metadata)][..])
    );
    let entry = file.to_listed(None);
    let built = index::build(vec![file.clone()], &BuildOptions::default()).unwrap();
    assert_eq!(built.pages[0].1.files[0], entry);

    let sdist = std::fs::read(format!("{dir}hello_pypackaging-1.1.0.tar.gz")).unwrap();
    let (file, check) = DistFile::from_bytes("hello_pypackaging-1.1.0.tar.gz", &sdist).unwrap();
    assert!(check.verdict.is_installable(), "{:?}", check.verdict);
    assert_eq!(file.requires_python.as_deref(), Some(">=3.8"));
    assert_eq!(file.metadata_digests, None, "an sdist gets no sidecar");

    // Cut short: refused, and nothing served beside it.
    let (file, check) = DistFile::from_bytes(
        "hello_pypackaging-1.1.0-py3-none-any.whl",
        &wheel[..wheel.len() / 2],
    )
    .unwrap();
    assert!(!check.verdict.is_installable());
    assert_eq!(file.metadata_digests, None);
    assert!(DistFile::from_bytes("notes.txt", b"x").is_err());
}
