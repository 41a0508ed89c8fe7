//! The `metadata` module's API: METADATA round trips and validation messages, and wheel
//! archives, honest and adversarial, built here with the zip crate's writer.

mod util;

use std::io::{Cursor, Write};

use pypackaging::metadata::{
    CoreMetadata, Field, RawMetadata, UnparsedReason, WheelArchive, WheelError, WheelProblem,
    unescape_description,
};
use pypackaging::{Digest, Hasher};

fn data_files() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for dir in ["real", "edge"] {
        let dir = util::path(&format!("tests/data/metadata/{dir}"));
        for entry in std::fs::read_dir(&dir).expect("data directory") {
            let path = entry.expect("entry").path();
            files.push((
                path.display().to_string(),
                std::fs::read(&path).expect("file"),
            ));
        }
    }
    assert!(files.len() > 100);
    files
}

/// Every data file: writing what was read and reading it again gives the same fields when
/// nothing was unparsed; with unparsed fields (which may parse once written as UTF-8 headers),
/// writing and reading settles after two rounds.
#[test]
fn raw_metadata_round_trips() {
    for (name, data) in data_files() {
        let raw = RawMetadata::parse(&data);
        let written = raw.to_string();
        let again = RawMetadata::parse(written.as_bytes());
        if raw.unparsed().is_empty() {
            assert_eq!(again, raw, "{name}:\n{written}");
        }
        let settled = RawMetadata::parse(again.to_string().as_bytes()).to_string();
        let third = RawMetadata::parse(settled.as_bytes()).to_string();
        assert_eq!(third, settled, "{name}");
    }
}

/// Every valid data file: the typed metadata writes and reads back to itself.
#[test]
fn core_metadata_round_trips() {
    let mut valid = 0;
    for (name, data) in data_files() {
        let Ok(metadata) = CoreMetadata::parse(&data) else {
            continue;
        };
        valid += 1;
        let written = metadata.to_string();
        assert_eq!(
            CoreMetadata::parse(written.as_bytes()).as_ref(),
            Ok(&metadata),
            "{name}:\n{written}"
        );
    }
    assert!(valid > 50, "{valid} valid files");
}

#[test]
fn every_field_is_typed() {
    let data = std::fs::read(util::path("tests/data/metadata/edge/every-field-2.6")).unwrap();
    let m = CoreMetadata::parse(&data).unwrap();
    assert_eq!(m.normalized_name().as_str(), "every-field");
    assert_eq!(m.version.to_string(), "1.0.post1");
    assert_eq!(m.dynamic, [Field::Classifier]);
    assert_eq!(
        m.keywords.as_deref(),
        Some(&["a".to_owned(), "b".to_owned()][..])
    );
    assert_eq!(m.requires_dist[0].name.as_ref(), "requests");
    assert_eq!(m.requires_python.as_ref().unwrap().to_string(), ">=3.9");
    assert_eq!(
        m.project_urls,
        [("Source".to_owned(), "https://example.org/src".to_owned())]
    );
    assert_eq!(m.provides_extra[0].as_str(), "dev");
    assert_eq!(m.license_expression.as_ref().unwrap().as_str(), "MIT");
    assert_eq!(
        m.import_names.as_deref(),
        Some(&["every_field".to_owned()][..])
    );
    assert_eq!(m.description.as_deref(), Some("# Every field\n"));
    let json = m.to_json();
    assert_eq!(
        json["requires_dist"][0],
        "requests[security]>=2 ; python_full_version < '3.13'"
    );
    assert_eq!(json["project_url"][0], "Source, https://example.org/src");
}

fn errors(text: &str) -> String {
    match CoreMetadata::parse(text.as_bytes()) {
        Ok(_) => "valid".into(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn validation_reports_every_problem() {
    insta::assert_snapshot!(errors("Summary: x\n"), @"invalid metadata (3 problems): required field `Metadata-Version` is missing; required field `Name` is missing or empty; required field `Version` is missing or empty");
    insta::assert_snapshot!(
        errors("Metadata-Version: 1.0\nName: a\nVersion: 1\nRequires-Dist: b\nDynamic: x\n"),
        @"invalid metadata (2 problems): `Dynamic` was introduced in metadata version 2.2, but the file declares 1.0; `Requires-Dist` was introduced in metadata version 1.2, but the file declares 1.0"
    );
    insta::assert_snapshot!(
        errors("Metadata-Version: 2.3\nName: -a\nVersion: x\nSummary: a\n b\nProvides-Extra: Dev\nX-Y: 1\nName: b\n"),
        @"invalid metadata (5 problems): `name` could not be read: a single-use field given more than once; `x-y` could not be read: unknown field; invalid `Version` `x`: expected version to start with a number, but no leading ASCII digits were found; `Summary` must be a single line: `a\\n b`; `Provides-Extra` `Dev` must be written in normalized form `dev` in metadata 2.3"
    );
    insta::assert_snapshot!(
        errors("Metadata-Version: 2.5\nName: a\nVersion: 1\nDynamic: Name\nDescription-Content-Type: text/markdown; variant=x\nLicense-Expression: MIT OR\nLicense-File: ../L\nImport-Name: a.class\n"),
        @"invalid metadata (5 problems): invalid `Description-Content-Type` `text/markdown; variant=x`: the Markdown variant must be `GFM` or `CommonMark`, not `x`; invalid `Dynamic` value `Name`: `Name`, `Version` and `Metadata-Version` cannot be dynamic; invalid `License-Expression`: invalid license expression `MIT OR`; invalid `License-File` `../L`: parent directory indicators are not allowed; invalid `Import-Name` `a.class`: `class` is a keyword"
    );
    insta::assert_snapshot!(
        errors("Metadata-Version: 2.1\nName: a\nVersion: 1\nAuthor: \u{ff}\n"),
        @"valid"
    );
}

#[test]
fn non_utf8_is_kept_and_reported() {
    let raw = RawMetadata::parse(
        b"Metadata-Version: 2.1\nName: a\nVersion: 1\nAuthor: Ren\xe9\n\nd\xe9j\xe0\n",
    );
    let unparsed: Vec<(&str, &[String])> = raw
        .unparsed()
        .iter()
        .map(|u| (u.name.as_str(), u.values.as_slice()))
        .collect();
    assert_eq!(
        unparsed,
        [
            ("author", &["René".to_owned()][..]),
            ("description", &["déjà\n".to_owned()][..])
        ]
    );
    insta::assert_snapshot!(raw.validate().unwrap_err(), @"invalid metadata (2 problems): `author` could not be read: not valid UTF-8; `description` could not be read: not valid UTF-8");
}

#[test]
fn old_description_header() {
    let raw = RawMetadata::parse(b"Metadata-Version: 1.0\nName: a\nVersion: 1\nDescription: Title\n        =====\n       |\n        text\n");
    let description = raw.get(Field::Description).unwrap();
    assert_eq!(description, "Title\n        =====\n       |\n        text");
    assert_eq!(unescape_description(description), "Title\n=====\n\ntext");
}

// ---------------------------------------------------------------------------------------------
// Wheel archives.

const METADATA: &str = "Metadata-Version: 2.1\nName: Demo-Pkg\nVersion: 1.0\n\nA demo.\n";
const WHEEL: &str =
    "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n";

/// Builds a wheel from `files` (path, contents). Unless `record` is given, `RECORD` is
/// computed from the files (every one hashed, `RECORD` itself unhashed).
fn build(files: &[(&str, &[u8])], record: Option<&str>) -> Vec<u8> {
    let mut computed = String::new();
    for (path, data) in files {
        let mut hasher = Hasher::sha256();
        hasher.update(data);
        let digests = hasher.finish();
        let digest = digests.as_slice()[0];
        computed.push_str(&format!("{path},{},{}\n", digest.record(), data.len()));
    }
    computed.push_str("demo_pkg-1.0.dist-info/RECORD,,\n");
    let record = record.map_or(computed, str::to_owned);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (path, data) in files {
        zip.start_file(*path, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.start_file("demo_pkg-1.0.dist-info/RECORD", options)
        .unwrap();
    zip.write_all(record.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

fn honest_files() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("demo_pkg/__init__.py", b"print('hello')\n"),
        ("demo_pkg/data.txt", b"some data\n"),
        ("demo_pkg-1.0.dist-info/METADATA", METADATA.as_bytes()),
        ("demo_pkg-1.0.dist-info/WHEEL", WHEEL.as_bytes()),
    ]
}

fn open(bytes: Vec<u8>) -> Result<WheelArchive<Cursor<Vec<u8>>>, WheelError> {
    WheelArchive::new(
        Cursor::new(bytes),
        &"demo-pkg".parse().unwrap(),
        &"1.0".parse().unwrap(),
    )
}

fn problems(bytes: Vec<u8>) -> Vec<String> {
    let mut wheel = open(bytes).unwrap();
    wheel
        .verify(&["py3-none-any".to_owned()], None)
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Replaces every occurrence of `from` by `to` (same length) in the archive bytes: in the
/// local header and the central directory alike.
fn patch(mut bytes: Vec<u8>, from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut i = 0;
    let mut count = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            count += 1;
        }
        i += 1;
    }
    assert!(count > 0, "nothing patched");
    bytes
}

#[test]
fn honest_wheel_verifies() {
    let mut wheel = open(build(&honest_files(), None)).unwrap();
    assert_eq!(wheel.dist_info(), "demo_pkg-1.0.dist-info");
    assert_eq!(wheel.metadata().unwrap().get(Field::Name), Some("Demo-Pkg"));
    assert_eq!(wheel.wheel_info().unwrap().tags, ["py3-none-any"]);
    let report = wheel.verify(&["py3-none-any".to_owned()], None);
    assert!(report.is_verified(), "{report}");
    assert_eq!(report.record_entries, 5);
}

#[test]
fn tampered_member() {
    let bytes = build(&honest_files(), None);
    // Rebuild with different contents of the same length but the honest RECORD.
    let record = {
        let wheel = &mut open(bytes).unwrap();
        wheel.record().unwrap().to_string()
    };
    let mut files = honest_files();
    files[1].1 = b"SOME DATA\n";
    insta::assert_snapshot!(problems(build(&files, Some(&record))).join("\n"), @"`demo_pkg/data.txt` has digest sha256=jJC_bwv0mLsw9UC_g8hEO22zCHbcKQRBHJQlqB_YbJ8, RECORD says sha256=WqA_lsd1NleRZvuhR5KWJsw6l5YOmUBXqdgCcac20Q8");
    files[1].1 = b"more data than before\n";
    insta::assert_snapshot!(problems(build(&files, Some(&record))).join("\n"), @"`demo_pkg/data.txt` is at least 11 bytes, RECORD says 10");
}

#[test]
fn missing_and_extra_rows() {
    let record = "demo_pkg-1.0.dist-info/RECORD,,\n";
    let mut files = honest_files();
    files.truncate(2);
    let mut extra = build(&honest_files(), None);
    let mut wheel = open(extra.clone()).unwrap();
    let mut text = wheel.record().unwrap().to_string();
    text.push_str("demo_pkg/gone.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n");
    extra = build(&honest_files(), Some(&text));
    insta::assert_snapshot!(problems(extra).join("\n"), @"`demo_pkg/gone.py` is listed in RECORD but not in the archive");
    let all = honest_files();
    insta::assert_snapshot!(problems(build(&all, Some(record))).join("\n"), @r"
    `demo_pkg/__init__.py` is not listed in RECORD
    `demo_pkg/data.txt` is not listed in RECORD
    `demo_pkg-1.0.dist-info/METADATA` is not listed in RECORD
    `demo_pkg-1.0.dist-info/WHEEL` is not listed in RECORD
    ");
}

#[test]
fn duplicate_member() {
    let mut files = honest_files();
    files.push(("demo_pkg/evil.txt", b"other data"));
    let bytes = build(&files, None);
    // Rename `demo_pkg/evil.txt` to `demo_pkg/data.txt` everywhere: two members, one name.
    let bytes = patch(bytes, b"demo_pkg/evil.txt", b"demo_pkg/data.txt");
    let found = problems(bytes);
    assert!(
        found.contains(&"the archive lists a member name more than once".to_owned()),
        "{found:?}"
    );
}

#[test]
fn escaping_paths() {
    let mut files = honest_files();
    files.push(("../evil.py", b"import os\n"));
    files.push(("/abs.py", b"\n"));
    let found = problems(build(&files, None));
    for expected in [
        "unsafe path `../evil.py` in RECORD: `..` component",
        "unsafe path `/abs.py` in RECORD: absolute path",
    ] {
        assert!(
            found.iter().any(|p| p == expected),
            "{expected} not in {found:?}"
        );
    }
}

#[test]
fn metadata_claiming_gigabytes() {
    // A METADATA of 17 MiB of spaces compresses to a few kilobytes but exceeds the cap.
    let big = vec![b' '; 17 * 1024 * 1024];
    let mut files = honest_files();
    files[2].1 = &big;
    let bytes = build(&files, None);
    assert!(bytes.len() < 100_000, "{} bytes", bytes.len());
    let mut wheel = open(bytes.clone()).unwrap();
    insta::assert_snapshot!(wheel.metadata().unwrap_err(), @"`demo_pkg-1.0.dist-info/METADATA` is larger than the 16777216-byte limit (it claims 17825792 bytes)");
    // A smaller cap applies to the bytes actually inflated too.
    let mut wheel = open(build(&honest_files(), None))
        .unwrap()
        .with_max_metadata_size(10);
    insta::assert_snapshot!(wheel.metadata().unwrap_err(), @"`demo_pkg-1.0.dist-info/METADATA` is larger than the 10-byte limit (it claims 59 bytes)");
}

#[test]
fn dist_info_location() {
    let mut files = honest_files();
    files.push(("other-1.0.dist-info/METADATA", METADATA.as_bytes()));
    insta::assert_snapshot!(open(build(&files, None)).unwrap_err(), @"the wheel has more than one `.dist-info` directory: demo_pkg-1.0.dist-info, other-1.0.dist-info");
    let wrong = WheelArchive::new(
        Cursor::new(build(&honest_files(), None)),
        &"demo-pkg".parse().unwrap(),
        &"2.0".parse().unwrap(),
    )
    .unwrap_err();
    insta::assert_snapshot!(wrong, @"`.dist-info` directory `demo_pkg-1.0.dist-info` does not match `demo-pkg` 2.0");
    // Case and separators do not matter, versions compare as PEP 440 versions.
    let renamed = patch(
        build(&honest_files(), None),
        b"demo_pkg-1.0.dist-info",
        b"Demo.Pkg-1.0.dist-info",
    );
    assert!(
        WheelArchive::new(
            Cursor::new(renamed),
            &"demo-pkg".parse().unwrap(),
            &"1.0.0".parse().unwrap()
        )
        .is_ok()
    );
}

#[test]
fn wheel_and_metadata_must_agree_with_the_filename() {
    let mut wheel = open(build(&honest_files(), None)).unwrap();
    let report = wheel.verify(
        &["py2-none-any".to_owned(), "py3-none-any".to_owned()],
        Some("1"),
    );
    let found: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(found.join("\n"), @r#"
    `WHEEL` tags ["py3-none-any"] differ from the filename's tags ["py2-none-any", "py3-none-any"]
    `WHEEL` build None differs from the filename's build tag Some("1")
    "#);
    let mut files = honest_files();
    files[2].1 = b"Metadata-Version: 2.1\nName: other\nVersion: 1.1\n";
    let found = problems(build(&files, None));
    assert_eq!(
        found,
        [
            "`METADATA` name `other` is not `demo-pkg`",
            "`METADATA` version `1.1` is not 1.0"
        ]
    );
    assert!(matches!(
        open(build(&files, None))
            .unwrap()
            .verify(&[], None)
            .problems[0],
        WheelProblem::TagMismatch { .. }
    ));
}

#[test]
fn digests_in_record_are_parsed_by_hash() {
    let digest = Digest::from_record("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU").unwrap();
    assert_eq!(
        digest.record().to_string(),
        "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
    );
}

// ---------------------------------------------------------------------------------------------
// Properties, from grammar parts.

mod properties {
    use proptest::prelude::*;
    use pypackaging::Digest;
    use pypackaging::hash::HashAlgorithm;
    use pypackaging::metadata::{Field, RawMetadata, Record, RecordEntry, WheelInfo};

    /// Header text: printable characters and spaces, possibly folded onto several lines (a
    /// line break followed by spaces or a tab, as a file holds it), never starting with
    /// whitespace and never ending in a line break.
    fn value() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            (
                "[!-~][ -~é日]{0,12}",
                proptest::option::of("(\n|\r\n)[ \t]{1,8}"),
            ),
            0..4,
        )
        .prop_map(|parts| {
            let mut out = String::new();
            for (text, fold) in parts {
                out.push_str(&text);
                if let Some(fold) = fold {
                    out.push_str(&fold);
                    out.push('x');
                }
            }
            out
        })
    }

    fn raw_metadata() -> impl Strategy<Value = RawMetadata> {
        let field = proptest::sample::select(Field::ALL.to_vec());
        (
            proptest::collection::vec((field, proptest::collection::vec(value(), 1..3)), 0..12),
            proptest::option::of("[ -~\n]{1,40}"),
        )
            .prop_map(|(fields, body)| {
                let mut raw = RawMetadata::new();
                for (field, mut values) in fields {
                    if field == Field::Description {
                        continue;
                    }
                    if !field.is_multiple_use() {
                        values.truncate(1);
                    }
                    if field == Field::ImportName && values == [""] {
                        values.clear();
                    }
                    if field == Field::ProjectUrl {
                        // distinct labels, as a readable file has them
                        values = values
                            .iter()
                            .enumerate()
                            .map(|(i, v)| format!("label{i}, {v}"))
                            .collect();
                    }
                    raw.set(field, values);
                }
                if let Some(body) = body {
                    raw.set(Field::Description, vec![body]);
                }
                raw
            })
    }

    fn digest() -> impl Strategy<Value = Digest> {
        (
            proptest::sample::select(vec![
                HashAlgorithm::Sha256,
                HashAlgorithm::Sha384,
                HashAlgorithm::Sha512,
            ]),
            proptest::collection::vec(any::<u8>(), 64),
        )
            .prop_map(|(algorithm, bytes)| {
                Digest::from_bytes(algorithm, &bytes[..algorithm.digest_len()]).unwrap()
            })
    }

    proptest! {
        #[test]
        fn metadata_writes_and_reads_back(raw in raw_metadata()) {
            let text = raw.to_string();
            prop_assert_eq!(RawMetadata::parse(text.as_bytes()), raw, "{:?}", text);
        }

        #[test]
        fn metadata_reading_never_panics(text in "\\PC*") {
            let raw = RawMetadata::parse(text.as_bytes());
            let _ = raw.validate();
        }

        #[test]
        fn record_writes_and_reads_back(
            rows in proptest::collection::btree_map("[^\r]{1,20}", (digest(), any::<u32>()), 0..8)
        ) {
            let mut entries: Vec<RecordEntry> = rows
                .into_iter()
                .map(|(path, (digest, size))| RecordEntry { path, digest: Some(digest), size: Some(u64::from(size)) })
                .collect();
            entries.push(RecordEntry { path: "x-1.dist-info/RECORD".into(), digest: None, size: None });
            let record = Record::new(entries);
            let text = record.to_string();
            prop_assert_eq!(Record::parse(text.as_bytes()), Ok(record), "{:?}", text);
        }

        #[test]
        fn wheel_info_writes_and_reads_back(
            minor in 0u32..20,
            generator in proptest::option::of("[!-~][ -~]{0,20}"),
            purelib in any::<bool>(),
            tags in proptest::collection::vec("[a-z0-9_]{1,6}-[a-z0-9_]{1,6}-[a-z0-9_.]{1,12}", 0..4),
            build in proptest::option::of("[0-9]{1,3}[a-z]{0,2}"),
        ) {
            let text = format!(
                "Wheel-Version: 1.{minor}\n{}Root-Is-Purelib: {purelib}\n{}{}",
                generator.as_ref().map(|g| format!("Generator: {g}\n")).unwrap_or_default(),
                tags.iter().map(|t| format!("Tag: {t}\n")).collect::<String>(),
                build.as_ref().map(|b| format!("Build: {b}\n")).unwrap_or_default(),
            );
            let info = WheelInfo::parse(text.as_bytes()).unwrap();
            prop_assert_eq!(info.wheel_version, (1, minor));
            prop_assert_eq!(&info.tags, &tags);
            prop_assert_eq!(info.to_string(), text);
        }
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<RawMetadata>();
    check::<CoreMetadata>();
    check::<pypackaging::metadata::MetadataErrors>();
    check::<pypackaging::metadata::WheelInfo>();
    check::<pypackaging::metadata::Record>();
    check::<WheelArchive<std::fs::File>>();
    check::<WheelError>();
    check::<WheelProblem>();
}

// ---------------------------------------------------------------------------------------------
// Sdists.

#[test]
fn pkg_info_from_zip_sdist() {
    use pypackaging::metadata::sdist_pkg_info_zip;

    let build = |files: &[(&str, &[u8])]| {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (path, data) in files {
            zip.start_file(*path, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(data).unwrap();
        }
        Cursor::new(zip.finish().unwrap().into_inner())
    };
    let pkg_info: &[u8] = b"Metadata-Version: 1.0\nName: demo\nVersion: 1.0\n";
    let sdist = build(&[
        ("demo-1.0/setup.py", b""),
        ("demo-1.0/demo.egg-info/PKG-INFO", b"nested"),
        ("demo-1.0/PKG-INFO", pkg_info),
    ]);
    assert_eq!(sdist_pkg_info_zip(sdist, 1 << 20).unwrap(), pkg_info);
    insta::assert_snapshot!(sdist_pkg_info_zip(build(&[("demo-1.0/setup.py", b"")]), 100).unwrap_err(), @"the sdist has no `PKG-INFO` in its top-level directory");
    insta::assert_snapshot!(sdist_pkg_info_zip(build(&[("demo-1.0/PKG-INFO", pkg_info)]), 10).unwrap_err(), @"`demo-1.0/PKG-INFO` is larger than the 10-byte limit");
    insta::assert_snapshot!(sdist_pkg_info_zip(build(&[("a/PKG-INFO", pkg_info), ("b/PKG-INFO", pkg_info)]), 100).unwrap_err(), @"the sdist has `PKG-INFO` in more than one top-level directory: `a/PKG-INFO` and `b/PKG-INFO`");
}

#[cfg(feature = "sdist")]
#[test]
fn pkg_info_from_tar_gz_sdist() {
    use pypackaging::metadata::sdist_pkg_info_tar_gz;

    let build = |files: &[(&str, &[u8])]| {
        let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let mut tar = tar::Builder::new(encoder);
        for (path, data) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, path, *data).unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap()
    };
    let pkg_info: &[u8] = b"Metadata-Version: 2.2\nName: demo\nVersion: 1.0\n";
    let sdist = build(&[
        ("demo-1.0/demo.egg-info/PKG-INFO", b"nested"),
        ("demo-1.0/PKG-INFO", pkg_info),
    ]);
    assert_eq!(
        sdist_pkg_info_tar_gz(&sdist[..], 1 << 20).unwrap(),
        pkg_info
    );
    insta::assert_snapshot!(sdist_pkg_info_tar_gz(&sdist[..], 10).unwrap_err(), @"`demo-1.0/PKG-INFO` is larger than the 10-byte limit");
    assert!(sdist_pkg_info_tar_gz(&b"not gzip"[..], 10).is_err());
}

#[test]
fn unparsed_fields_keep_the_order_of_their_first_header() {
    let raw = RawMetadata::parse(
        b"Metadata-Version: 2.1\nX-B: 1\nName: a\nSummary: s\nproject-url: A, u\nx-b: 2\n\
          Author: Ren\xe9\nVersion: 1\nSUMMARY: t\nX-A: 3\nProject-URL: A , v\nHome-page: h\n\
          Import-Name:\n",
    );
    let unparsed: Vec<(&str, &[String], UnparsedReason)> = raw
        .unparsed()
        .iter()
        .map(|u| (u.name.as_str(), u.values.as_slice(), u.reason))
        .collect();
    let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        unparsed,
        [
            ("x-b", &strings(&["1", "2"])[..], UnparsedReason::Unknown),
            (
                "summary",
                &strings(&["s", "t"])[..],
                UnparsedReason::Repeated
            ),
            (
                "project-url",
                &strings(&["A, u", "A , v"])[..],
                UnparsedReason::DuplicateLabel
            ),
            (
                "author",
                &strings(&["René"])[..],
                UnparsedReason::InvalidUtf8
            ),
            ("x-a", &strings(&["3"])[..], UnparsedReason::Unknown),
        ]
    );
    assert_eq!(raw.get(Field::HomePage), Some("h"));
    assert!(raw.contains(Field::ImportName));
    assert_eq!(raw.get_all(Field::ImportName), &[] as &[String]);
    assert_eq!(
        raw.fields().map(|(f, _)| f).collect::<Vec<_>>(),
        [
            Field::MetadataVersion,
            Field::Name,
            Field::Version,
            Field::HomePage,
            Field::ImportName
        ]
    );
}

/// Every data file, read with one marker cache shared by all of them (twice over, so that the
/// second round meets every marker in the cache), gives what reading it alone gives.
#[test]
fn a_shared_marker_cache_changes_no_result() {
    let mut cache = pypackaging::version::MarkerCache::new();
    for round in 0..2 {
        for (name, data) in data_files() {
            let alone = CoreMetadata::parse(&data);
            let shared = CoreMetadata::parse_with(&data, &mut cache);
            assert_eq!(
                format!("{shared:?}"),
                format!("{alone:?}"),
                "{name}, round {round}"
            );
        }
    }
    assert!(cache.len() > 20, "{} markers", cache.len());
}

/// Past the first few unknown names the reader looks names up in a table: the groups are
/// the same as a scan would make (names compared without ASCII case, first appearance order),
/// and many `Project-URL` labels are still checked for duplicates.
#[test]
fn many_unknown_names_and_labels_group_as_few_do() {
    let mut text = String::from("Metadata-Version: 2.1\nName: x\nVersion: 1\n");
    for i in 0..40 {
        text.push_str(&format!("X-Field-{i}: a\n"));
    }
    for i in (0..40).rev() {
        text.push_str(&format!("x-FIELD-{i}: b\n"));
    }
    for i in 0..30 {
        text.push_str(&format!("Project-URL: L{i}, https://x.example/{i}\n"));
    }
    let raw = RawMetadata::parse(text.as_bytes());
    let unknown: Vec<(&str, &[String])> = raw
        .unparsed()
        .iter()
        .map(|u| (u.name.as_str(), u.values.as_slice()))
        .collect();
    assert_eq!(unknown.len(), 40);
    for (i, (name, values)) in unknown.iter().enumerate() {
        assert_eq!(*name, format!("x-field-{i}"));
        assert_eq!(*values, ["a", "b"]);
    }
    assert_eq!(raw.project_urls().len(), 30, "distinct labels are kept");
    text.push_str("Project-URL: L7, https://x.example/again\n");
    let raw = RawMetadata::parse(text.as_bytes());
    assert!(
        raw.unparsed()
            .iter()
            .any(|u| u.name == "project-url" && u.reason == UnparsedReason::DuplicateLabel),
        "a repeated label among many is found"
    );
}

#[path = "laws/mod.rs"]
mod laws;

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Near-valid RECORD and WHEEL text: lenient and strict reading agree (the fuzz laws).
    #[test]
    fn lenient_and_strict_readers_agree(
        record in "(([a-z/.]{0,6}|\"[a-z,]{0,3}\"),(sha256=[A-Za-z0-9_-]{0,4}|md5=x|)?,([0-9]{0,2}|x)?\r?\n){0,4}",
        wheel in "((Wheel-Version: [0-9.]{0,4}|Root-Is-Purelib: (true|TRUE|no)|Tag: [a-z0-9_.]{1,4}-[a-z0-9_.]{1,4}-[a-z0-9_.]{1,5}|Build: [0-9a-z-]{0,3}|Generator: x|X: y)\n){0,5}",
    ) {
        laws::metadata::record(record.as_bytes());
        laws::metadata::wheel_info(wheel.as_bytes());
    }
}
