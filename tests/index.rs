//! `index::build`: properties over generated wheelhouses, and the pages read back by the
//! crate's own parsers.

use proptest::prelude::*;
use pypackaging::index::{self, BuildOptions, DistFile};
use pypackaging::requirements_txt::RequirementsTxt;
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
        let pinned = parsed.file.entries().count();
        let unyanked_projects = built
            .pages
            .iter()
            .filter(|(_, p)| p.files.iter().any(|f| !f.yanked.is_yanked()))
            .count();
        prop_assert_eq!(pinned, unyanked_projects);
        for entry in parsed.file.entries() {
            prop_assert!(!entry.hashes().is_empty());
        }
    }
}
