//! The install verdict (`check_wheel`, `check_sdist`): one test per rule on archives built
//! here, and the verdicts on real files from PyPI (their `.dist-info` files, or tiny
//! archives rebuilt from them, in `tests/data/real/`).

mod util;

use std::io::Cursor;

use pypackaging::filename::DistFilename;
use pypackaging::metadata::{DistCheck, check_sdist, check_wheel};

/// The verdict on the file `name` holding `bytes`.
fn check(name: &str, bytes: Vec<u8>) -> DistCheck {
    match name
        .parse::<DistFilename>()
        .expect("a distribution filename")
    {
        DistFilename::Wheel(wheel) => check_wheel(Cursor::new(bytes), &wheel),
        DistFilename::Sdist(sdist) => check_sdist(Cursor::new(bytes), &sdist),
        other => panic!("not a wheel or sdist: {other:?}"),
    }
}

/// Prints the verdict on every file in `$PYPACKAGING_VERDICT_DIR` (the sweep over real files
/// downloaded with `pip download`): `cargo test --test verdict -- --ignored --nocapture`.
#[test]
#[ignore = "reads the directory named by PYPACKAGING_VERDICT_DIR"]
fn verdicts_of_a_directory() {
    let dir = std::env::var("PYPACKAGING_VERDICT_DIR").expect("PYPACKAGING_VERDICT_DIR");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("directory")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !matches!(
            name.parse::<DistFilename>(),
            Ok(DistFilename::Wheel(_) | DistFilename::Sdist(_))
        ) {
            continue;
        }
        let started = std::time::Instant::now();
        let checked = check(&name, std::fs::read(&path).expect("file"));
        println!(
            "{name} ({} ms): {}",
            started.elapsed().as_millis(),
            checked.verdict
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Archives built here.

use std::io::Write;

use pypackaging::Hasher;
use pypackaging::metadata::{Rule, Severity, Verdict};

/// A zip archive of `files` (path, contents), in order, deflated.
fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (path, data) in files {
        zip.start_file(*path, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The `RECORD` of `files`, with `{dist_info}/RECORD` itself last.
fn record(files: &[(&str, &[u8])], dist_info: &str) -> String {
    let mut record = String::new();
    for (path, data) in files {
        let mut hasher = Hasher::sha256();
        hasher.update(data);
        let digest = hasher.finish().as_slice()[0];
        record.push_str(&format!("{path},{},{}\n", digest.record(), data.len()));
    }
    record.push_str(&format!("{dist_info}/RECORD,,\n"));
    record
}

/// A wheel of `files` and the `RECORD` that lists them.
fn wheel(files: &[(&str, &[u8])], dist_info: &str) -> Vec<u8> {
    let record = record(files, dist_info);
    let path = format!("{dist_info}/RECORD");
    let mut all = files.to_vec();
    all.push((&path, record.as_bytes()));
    zip(&all)
}

/// A member of a tar archive built here.
enum Tar<'a> {
    File(&'a str, &'a [u8]),
    Dir(&'a str),
    Symlink(&'a str, &'a str),
    HardLink(&'a str, &'a str),
    Fifo(&'a str),
}

/// The tar archive of `members`, uncompressed.
fn tar(members: &[Tar<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for member in members {
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o644);
        header.set_size(0);
        match member {
            Tar::File(path, data) => {
                header.set_size(data.len() as u64);
                header.set_entry_type(tar::EntryType::Regular);
                builder.append_data(&mut header, path, *data).unwrap();
            }
            Tar::Dir(path) => {
                header.set_entry_type(tar::EntryType::Directory);
                builder.append_data(&mut header, path, &[][..]).unwrap();
            }
            Tar::Symlink(path, target) | Tar::HardLink(path, target) => {
                header.set_entry_type(if matches!(member, Tar::Symlink(..)) {
                    tar::EntryType::Symlink
                } else {
                    tar::EntryType::Link
                });
                builder.append_link(&mut header, path, target).unwrap();
            }
            Tar::Fifo(path) => {
                header.set_entry_type(tar::EntryType::Fifo);
                builder.append_data(&mut header, path, &[][..]).unwrap();
            }
        }
    }
    builder.into_inner().unwrap()
}

/// `data` gzip-compressed.
fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// The archive for the real file `name` rebuilt from its members kept in
/// `tests/data/real/{name}/` (the `.dist-info` files of a wheel, with a `RECORD` computed for
/// them; the `PKG-INFO` of an sdist, in a `.tar.gz`).
fn real(name: &str) -> DistCheck {
    let root = util::path(&format!("tests/data/real/{name}"));
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixture directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let relative = path.strip_prefix(&root).unwrap();
                let relative = relative.to_string_lossy().replace('\\', "/");
                files.push((relative, std::fs::read(&path).expect("fixture")));
            }
        }
    }
    files.sort();
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, d)| (p.as_str(), d.as_slice()))
        .collect();
    let bytes = if name.ends_with(".whl") {
        let dist_info = files[0].0.split('/').next().unwrap().to_owned();
        wheel(&borrowed, &dist_info)
    } else {
        let members: Vec<Tar<'_>> = borrowed.iter().map(|(p, d)| Tar::File(p, d)).collect();
        gzip(&tar(&members))
    };
    check(name, bytes)
}

// ---------------------------------------------------------------------------------------------
// Real files: the verdicts the sweep relies on.

/// Wheels repaired by delocate 0.13 carry a second `Generator` in `WHEEL`: pip reads the first.
#[test]
fn delocated_macos_wheels_with_generator_twice_install() {
    let checked = real("argon2_cffi_bindings-26.2.0-cp310-abi3-macosx_11_0_arm64.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] argon2_cffi_bindings-26.2.0.dist-info/WHEEL line 5 (Generator): `Generator` given more than once
    ");
    let checked = real("charset_normalizer-3.5.3-cp312-cp312-macosx_10_13_universal2.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] charset_normalizer-3.5.3.dist-info/WHEEL line 4 (Generator): `Generator` given more than once
    ");
    let checked = real("multidict-7.2.1-cp312-cp312-macosx_11_0_arm64.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] multidict-7.2.1.dist-info/WHEEL line 5 (Generator): `Generator` given more than once
    ");
    let checked = real("numpy-2.5.5-cp312-cp312-macosx_14_0_arm64.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] numpy-2.5.5.dist-info/WHEEL line 5 (Generator): `Generator` given more than once
    ");
    let checked = real("pillow-13.0.0-cp312-cp312-macosx_11_0_arm64.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] pillow-13.0.0.dist-info/WHEEL line 5 (Generator): `Generator` given more than once
    ");
    let checked = real("pyyaml-6.0.4-cp312-cp312-macosx_11_0_arm64.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] pyyaml-6.0.4.dist-info/WHEEL line 5 (Generator): `Generator` given more than once
    ");
    let checked = real("websockets-17.4-cp312-cp312-macosx_11_0_arm64.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] websockets-17.4.dist-info/WHEEL line 5 (Generator): `Generator` given more than once
    ");
}

/// numpy 1.13.3 for Windows: build tag `2` in the filename, no `Build:` in `WHEEL`, metadata 2.0.
#[test]
fn old_numpy_build_tag_without_build_line_installs() {
    let checked = real("numpy-1.13.3-2-cp36-none-win32.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-build-mismatch] numpy-1.13.3.dist-info/WHEEL (Build): `WHEEL` build none is not the filename's build tag `2`
      warning [metadata-format] numpy-1.13.3.dist-info/METADATA line 1 (Metadata-Version): invalid metadata version `2.0`: expected one of 1.0, 1.1, 1.2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6
    ");
}

/// pydantic_core writes its compressed tag set on one `Tag` line; the expanded sets agree.
#[test]
fn pydantic_core_compressed_tag_line_installs() {
    let checked =
        real("pydantic_core-2.27.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] pydantic_core-2.27.2.dist-info/WHEEL line 4 (Tag): `Tag` `cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64` is a compressed tag set: the specification wants one `Tag` line per tag
    ");
}

/// `License-File` under metadata 2.1 (setuptools before 77 wrote it so).
#[test]
fn boto3_botocore_license_file_under_metadata_2_1_installs() {
    let checked = real("boto3-1.35.80-py3-none-any.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [metadata-format] boto3-1.35.80.dist-info/METADATA line 24 (License-File): `License-File` was introduced in metadata version 2.4, but the file declares 2.1
    ");
    let checked = real("botocore-1.35.80-py3-none-any.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [metadata-format] botocore-1.35.80.dist-info/METADATA line 23 (License-File): `License-File` was introduced in metadata version 2.4, but the file declares 2.1
    ");
}

/// Real sdists' `PKG-INFO` in a `.tar.gz` built here.
#[test]
fn real_sdists_install() {
    let checked = real("future-1.0.0.tar.gz");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [metadata-format] PKG-INFO line 31 (License-File): `License-File` was introduced in metadata version 2.4, but the file declares 2.1
    ");
    let checked = real("six-1.17.0.tar.gz");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [metadata-format] PKG-INFO line 17 (License-File): `License-File` was introduced in metadata version 2.4, but the file declares 2.1
    ");
}

// ---------------------------------------------------------------------------------------------
// One test per rule, on archives built here.

const DIST_INFO: &str = "demo-1.0.dist-info";
const WHEEL_NAME: &str = "demo-1.0-py3-none-any.whl";
const METADATA: &[u8] =
    b"Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nRequires-Dist: requests>=2\n";
const WHEEL: &[u8] =
    b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n";

/// The verdict on the demo wheel with `METADATA` and `WHEEL` as given, plus a module.
fn demo(metadata: &[u8], wheel_file: &[u8]) -> Verdict {
    let files: [(&str, &[u8]); 3] = [
        ("demo/__init__.py", b"print('hello')\n"),
        ("demo-1.0.dist-info/METADATA", metadata),
        ("demo-1.0.dist-info/WHEEL", wheel_file),
    ];
    check(WHEEL_NAME, wheel(&files, DIST_INFO)).verdict
}

/// Whether every finding is under `rule`, and there is at least one.
#[track_caller]
fn only(verdict: &Verdict, rule: Rule) {
    assert!(!verdict.findings.is_empty(), "no finding");
    for finding in &verdict.findings {
        assert_eq!(finding.rule, rule, "{verdict}");
        assert_eq!(finding.severity, rule.severity());
    }
}

#[test]
fn an_honest_wheel_has_no_findings() {
    let checked = check(
        WHEEL_NAME,
        wheel(
            &[
                ("demo/__init__.py", b"\n"),
                ("demo-1.0.dist-info/METADATA", METADATA),
                ("demo-1.0.dist-info/WHEEL", WHEEL),
            ],
            DIST_INFO,
        ),
    );
    assert_eq!(checked.verdict, Verdict::default());
    assert_eq!(checked.metadata.as_deref(), Some(METADATA));
    insta::assert_snapshot!(checked.verdict, @"installable");
}

#[test]
fn unreadable() {
    let verdict = check(WHEEL_NAME, b"not a zip".to_vec()).verdict;
    only(&verdict, Rule::Unreadable);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [unreadable]: not a valid zip archive: invalid Zip archive: Could not find EOCD
    ");
    // A junk file named like an sdist is refused the same way.
    let verdict = check("x-1.0.tar.gz", b"not a tarball".to_vec()).verdict;
    only(&verdict, Rule::Unreadable);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [unreadable]: cannot read the sdist archive: invalid gzip header
    ");
    // A truncated sdist: the last member and the gzip trailer are cut.
    let full = gzip(&tar(&[
        Tar::File(
            "x-1.0/PKG-INFO",
            b"Metadata-Version: 2.1\nName: x\nVersion: 1.0\n",
        ),
        Tar::File("x-1.0/big.txt", &vec![b'x'; 100_000]),
    ]));
    let truncated = full[..full.len() - 40].to_vec();
    let verdict = check("x-1.0.tar.gz", truncated).verdict;
    only(&verdict, Rule::Unreadable);
    // A corrupt member in a zip sdist (its CRC no longer matches).
    let mut bytes = zip(&[
        (
            "x-1.0/PKG-INFO",
            b"Metadata-Version: 2.1\nName: x\nVersion: 1.0\n",
        ),
        ("x-1.0/data.txt", &[b'a'; 1000]),
    ]);
    // The deflated data follows the local header's name (no extra field).
    let at = bytes
        .windows(14)
        .position(|w| w == b"x-1.0/data.txt")
        .unwrap()
        + 14
        + 3;
    bytes[at] ^= 0xff;
    let verdict = check("x-1.0.zip", bytes).verdict;
    assert!(!verdict.is_installable(), "{verdict}");
    assert!(
        verdict.refusals().all(|f| f.rule == Rule::Unreadable),
        "{verdict}"
    );
    // A `METADATA` that is not UTF-8: pip fails decoding it.
    let verdict = demo(
        b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nSummary: caf\xe9\n",
        WHEEL,
    );
    assert!(!verdict.is_installable());
    assert_eq!(verdict.findings[0].rule, Rule::Unreadable);
    insta::assert_snapshot!(verdict.findings[0], @"refusal [unreadable] demo-1.0.dist-info/METADATA: `METADATA` is not valid UTF-8 (at byte 58)");
}

#[test]
fn duplicate_member_and_unsafe_path() {
    // Two members named `demo/a.py`, with the same contents: installer refuses the second.
    let files: [(&str, &[u8]); 4] = [
        ("demo/a.py", b"same\n"),
        ("demo/b.py", b"same\n"),
        ("demo-1.0.dist-info/METADATA", METADATA),
        ("demo-1.0.dist-info/WHEEL", WHEEL),
    ];
    let mut bytes = wheel(&files, DIST_INFO);
    let mut i = 0;
    while let Some(at) = bytes[i..].windows(9).position(|w| w == b"demo/b.py") {
        bytes[i + at + 5] = b'a';
        i += at + 9;
    }
    let verdict = check(WHEEL_NAME, bytes).verdict;
    assert!(
        verdict.refusals().any(|f| f.rule == Rule::DuplicateMember),
        "{verdict}"
    );

    let files: [(&str, &[u8]); 3] = [
        ("../evil.py", b"\n"),
        ("demo-1.0.dist-info/METADATA", METADATA),
        ("demo-1.0.dist-info/WHEEL", WHEEL),
    ];
    let verdict = check(WHEEL_NAME, wheel(&files, DIST_INFO)).verdict;
    only(&verdict, Rule::UnsafePath);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [unsafe-path] demo-1.0.dist-info/RECORD: unsafe path `../evil.py` in RECORD: `..` component
      refusal [unsafe-path] ../evil.py: unsafe path `../evil.py` in the archive: `..` component
    ");
}

#[test]
fn dist_info_and_missing_files() {
    let files: [(&str, &[u8]); 1] = [("demo/__init__.py", b"\n")];
    let verdict = check(WHEEL_NAME, zip(&files)).verdict;
    only(&verdict, Rule::DistInfo);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [dist-info]: the wheel has no `.dist-info` directory
    ");
    // Named for another version: pip and installer compare the name only.
    let files: [(&str, &[u8]); 2] = [
        ("demo-0.9.dist-info/METADATA", METADATA),
        ("demo-0.9.dist-info/WHEEL", WHEEL),
    ];
    let verdict = check(WHEEL_NAME, wheel(&files, "demo-0.9.dist-info")).verdict;
    insta::assert_snapshot!(verdict, @r"
    installable
      warning [dist-info-version]: `.dist-info` directory `demo-0.9.dist-info` does not match `demo` 1.0
    ");
    let files: [(&str, &[u8]); 2] = [
        ("other-1.0.dist-info/METADATA", METADATA),
        ("other-1.0.dist-info/WHEEL", WHEEL),
    ];
    let verdict = check(WHEEL_NAME, wheel(&files, "other-1.0.dist-info")).verdict;
    only(&verdict, Rule::DistInfo);
    let files: [(&str, &[u8]); 1] = [("demo-1.0.dist-info/WHEEL", WHEEL)];
    let verdict = check(WHEEL_NAME, wheel(&files, DIST_INFO)).verdict;
    only(&verdict, Rule::MissingFile);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [missing-file] demo-1.0.dist-info/METADATA: `demo-1.0.dist-info/METADATA` is missing
    ");
}

#[test]
fn too_large() {
    let big = vec![b' '; 17 * 1024 * 1024];
    let verdict = demo(&big, WHEEL);
    only(&verdict, Rule::TooLarge);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [too-large] demo-1.0.dist-info/METADATA: `demo-1.0.dist-info/METADATA` is larger than the 16777216-byte limit (it claims 17825792 bytes)
    ");
}

#[test]
fn wheel_version_and_format() {
    let verdict = demo(
        METADATA,
        b"Wheel-Version: 2.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    );
    only(&verdict, Rule::WheelVersion);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [wheel-version] demo-1.0.dist-info/WHEEL line 1 (Wheel-Version): unsupported `Wheel-Version` `2.0`: only major version 1 is supported
    ");
    let verdict = demo(METADATA, b"Root-Is-Purelib: true\nTag: py3-none-any\n");
    only(&verdict, Rule::WheelVersion);
    // Everything else pip reads past.
    let verdict = demo(
        METADATA,
        b"Wheel-Version: 1.0.0\nGenerator: a\nGenerator: b\nRoot-Is-Purelib: yes\nTag: py3-none-any\nBuild: x\n",
    );
    assert!(verdict.is_installable());
    insta::assert_snapshot!(verdict, @r"
    installable
      warning [wheel-format] demo-1.0.dist-info/WHEEL line 1 (Wheel-Version): invalid `Wheel-Version` `1.0.0`: expected `MAJOR.MINOR`, as in `1.0`
      warning [wheel-format] demo-1.0.dist-info/WHEEL line 3 (Generator): `Generator` given more than once
      warning [wheel-format] demo-1.0.dist-info/WHEEL line 4 (Root-Is-Purelib): invalid `Root-Is-Purelib` `yes`: expected `true` or `false`
      warning [wheel-format] demo-1.0.dist-info/WHEEL line 6 (Build): invalid `Build` `x`: expected a number, optionally followed by letters, as in `1` or `2b`
      warning [wheel-build-mismatch] demo-1.0.dist-info/WHEEL (Build): `WHEEL` build `x` is not the filename's build tag none
    ");
    let verdict = demo(METADATA, b"Wheel-Version: 1.0\nTag: py3-none-any\n");
    insta::assert_snapshot!(verdict, @r"
    installable
      warning [wheel-format] demo-1.0.dist-info/WHEEL (Root-Is-Purelib): `WHEEL` has no `Root-Is-Purelib` field
    ");
}

#[test]
fn wheel_tags() {
    let verdict = demo(
        METADATA,
        b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py2.py3-none-any\n",
    );
    insta::assert_snapshot!(verdict, @r"
    installable
      warning [wheel-format] demo-1.0.dist-info/WHEEL line 3 (Tag): `Tag` `py2.py3-none-any` is a compressed tag set: the specification wants one `Tag` line per tag
      warning [wheel-tag-mismatch] demo-1.0.dist-info/WHEEL (Tag): `WHEEL` tags differ from the filename's: missing from `WHEEL`: none; not in the filename: `py2-none-any`
    ");
    let verdict = demo(METADATA, b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\n");
    only(&verdict, Rule::WheelTagMismatch);
    insta::assert_snapshot!(verdict, @r"
    installable
      warning [wheel-tag-mismatch] demo-1.0.dist-info/WHEEL (Tag): `WHEEL` tags differ from the filename's: missing from `WHEEL`: `py3-none-any`; not in the filename: none
    ");
}

#[test]
fn record_rules() {
    let files: [(&str, &[u8]); 3] = [
        ("demo/__init__.py", b"print('hello')\n"),
        ("demo-1.0.dist-info/METADATA", METADATA),
        ("demo-1.0.dist-info/WHEEL", WHEEL),
    ];
    let build = |record: &str, files: &[(&str, &[u8])]| {
        let mut all = files.to_vec();
        all.push(("demo-1.0.dist-info/RECORD", record.as_bytes()));
        check(WHEEL_NAME, zip(&all)).verdict
    };
    let honest = record(&files, DIST_INFO);

    let verdict = build(&format!("{honest}\"unterminated\n"), &files);
    only(&verdict, Rule::RecordFormat);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [record-format] demo-1.0.dist-info/RECORD line 5: unterminated quoted field
    ");

    let mut more = files.to_vec();
    more.push(("demo/extra.py", b"\n"));
    let verdict = build(&honest, &more);
    only(&verdict, Rule::NotInRecord);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [not-in-record] demo/extra.py: `demo/extra.py` is not listed in RECORD
    ");

    let verdict = build(
        &format!("{honest}demo/gone.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n"),
        &files,
    );
    only(&verdict, Rule::RecordEntryMissing);
    insta::assert_snapshot!(verdict, @r"
    installable
      warning [record-entry-missing] demo-1.0.dist-info/RECORD: `demo/gone.py` is listed in RECORD but not in the archive
    ");

    // Rows installer never reads: a directory without a hash, an md5 row and a bad size for
    // paths not in the archive, a path listed twice (the last row counts).
    let verdict = build(
        &format!(
            "demo/,,\ndemo/gone.py,md5=1B2M2Y8AsgTpgAmY7PhCfg,0\ndemo/gone2.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,x\ndemo/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n{honest}"
        ),
        &files,
    );
    assert!(verdict.is_installable(), "{verdict}");
    insta::assert_snapshot!(verdict, @r"
    installable
      warning [record-entry-missing] demo-1.0.dist-info/RECORD: `demo/` is listed in RECORD but not in the archive
      warning [record-row] demo-1.0.dist-info/RECORD line 1: `demo/` has no hash
      warning [record-row] demo-1.0.dist-info/RECORD line 2: md5 hash for `demo/gone.py` is not allowed: use sha256 or stronger
      warning [record-row] demo-1.0.dist-info/RECORD line 3: invalid size `x` for `demo/gone2.py`
      warning [record-row] demo-1.0.dist-info/RECORD line 5: `demo/__init__.py` is listed twice (first on line 4)
    ");
    // The same faults in a member's row refuse the file: installer refuses it, and the
    // member would go unchecked.
    let bad_member = honest.replacen(
        "demo/__init__.py,sha256=",
        "demo/__init__.py,md5=1B2M2Y8AsgTpgAmY7PhCfg,0\nx,sha256=",
        1,
    );
    let verdict = build(&bad_member, &files);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [record-format] demo-1.0.dist-info/RECORD line 1: md5 hash for `demo/__init__.py` is not allowed: use sha256 or stronger
      warning [record-entry-missing] demo-1.0.dist-info/RECORD: `x` is listed in RECORD but not in the archive
    ");

    let mut tampered = files.to_vec();
    tampered[0].1 = b"print('HELLO')\n";
    let verdict = build(&honest, &tampered);
    only(&verdict, Rule::RecordMismatch);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [record-mismatch] demo/__init__.py: `demo/__init__.py` has digest sha256=ClVM-xr11cxmvO4qnMQZB8VhT8dZCxo6nS3sq0f6cGs, RECORD says sha256=A-aT2fL2h-D0Djao33_LTRwil0ASt8KlXAAOsw8wWCQ
    ");
}

#[test]
fn metadata_rules() {
    let verdict = demo(b"Metadata-Version: 2.1\nName: demo\n", WHEEL);
    only(&verdict, Rule::MetadataRequired);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [metadata-required] demo-1.0.dist-info/METADATA (Version): `METADATA` has no `Version`
    ");
    let verdict = demo(b"Metadata-Version: 2.1\nName: demo\nVersion: one\n", WHEEL);
    only(&verdict, Rule::MetadataRequired);
    assert_eq!(verdict.findings[0].line, Some(3));

    let verdict = demo(
        b"Metadata-Version: 2.1\nName: other\nVersion: 1.0.0\n",
        WHEEL,
    );
    only(&verdict, Rule::NameVersionMismatch);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [name-version-mismatch] demo-1.0.dist-info/METADATA line 2 (Name): `METADATA` name `other` is not `demo`
    ");
    // The first `Version` counts, as pip reads it; the second is a warning.
    let verdict = demo(
        b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nVersion: 2.0\n",
        WHEEL,
    );
    only(&verdict, Rule::MetadataFormat);

    let verdict = demo(
        b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Dist: ok>=1\nRequires-Dist: bad >= \n",
        WHEEL,
    );
    only(&verdict, Rule::RequiresDist);
    assert_eq!(verdict.findings[0].line, Some(5));
    // Under metadata 1.1 validation does not parse `Requires-Dist`; pip does.
    let verdict = demo(
        b"Metadata-Version: 1.1\nName: demo\nVersion: 1.0\nRequires-Dist: bad >= \n",
        WHEEL,
    );
    assert!(verdict.refusals().all(|f| f.rule == Rule::RequiresDist));
    assert_eq!(verdict.refusals().count(), 1, "{verdict}");

    let verdict = demo(
        b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Python: >=3.8.*\n\
          X-Custom: 1\nLicense-File: LICENSE\nDescription-Content-Type: text/html\n",
        WHEEL,
    );
    only(&verdict, Rule::MetadataFormat);
    insta::assert_snapshot!(verdict, @r"
    installable
      warning [metadata-format] demo-1.0.dist-info/METADATA line 5 (X-Custom): `x-custom` could not be read: unknown field
      warning [metadata-format] demo-1.0.dist-info/METADATA line 6 (License-File): `License-File` was introduced in metadata version 2.4, but the file declares 2.1
      warning [metadata-format] demo-1.0.dist-info/METADATA line 7 (Description-Content-Type): invalid `Description-Content-Type` `text/html`: expected `text/plain`, `text/x-rst` or `text/markdown`
      warning [metadata-format] demo-1.0.dist-info/METADATA line 4 (Requires-Python): invalid `Requires-Python` `>=3.8.*`: Failed to parse version: Operator >= cannot be used with a wildcard version specifier:
    ");
}

/// A `.tar.gz` sdist of `members`.
fn sdist(members: &[Tar<'_>]) -> Verdict {
    check("demo-1.0.tar.gz", gzip(&tar(members))).verdict
}

const PKG_INFO: &[u8] = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n";

#[test]
fn sdist_rules() {
    let verdict = sdist(&[
        Tar::Dir("demo-1.0"),
        Tar::File("demo-1.0/PKG-INFO", PKG_INFO),
        Tar::File("demo-1.0/setup.py", b"\n"),
    ]);
    assert_eq!(verdict, Verdict::default());

    let verdict = sdist(&[Tar::File("demo-1.0/setup.py", b"\n")]);
    only(&verdict, Rule::SdistNoPkgInfo);
    insta::assert_snapshot!(verdict, @r"
    installable
      warning [sdist-no-pkg-info]: the sdist has no `PKG-INFO` in its top-level directory
    ");

    let verdict = sdist(&[Tar::File(
        "demo-1.0/PKG-INFO",
        b"Metadata-Version: 2.1\nName: demo\nVersion: 1.1\n",
    )]);
    only(&verdict, Rule::NameVersionMismatch);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [name-version-mismatch] PKG-INFO line 3 (Version): `PKG-INFO` version `1.1` is not 1.0
    ");

    let verdict = sdist(&[
        Tar::File("demo-1.0/PKG-INFO", PKG_INFO),
        Tar::Symlink("demo-1.0/ok", "../demo-1.0/setup.py"),
        Tar::Symlink("demo-1.0/a/escape", "../../../etc/passwd"),
        Tar::Symlink("demo-1.0/abs", "/etc/passwd"),
        Tar::HardLink("demo-1.0/hard", "../outside"),
        Tar::Fifo("demo-1.0/fifo"),
    ]);
    only(&verdict, Rule::SdistUnsafeMember);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [sdist-unsafe-member] demo-1.0/a/escape: symbolic link `demo-1.0/a/escape` points outside the archive's tree, to `../../../etc/passwd`
      refusal [sdist-unsafe-member] demo-1.0/abs: symbolic link `demo-1.0/abs` points outside the archive's tree, to `/etc/passwd`
      refusal [sdist-unsafe-member] demo-1.0/hard: hard link `demo-1.0/hard` points outside the archive's tree, to `../outside`
      refusal [sdist-unsafe-member] demo-1.0/fifo: `demo-1.0/fifo` is a FIFO, which pip refuses to extract
    ");

    let verdict = check(
        "demo-1.0.zip",
        zip(&[("demo-1.0/PKG-INFO", PKG_INFO), ("demo-1.0/../../x", b"\n")]),
    )
    .verdict;
    only(&verdict, Rule::UnsafePath);
    insta::assert_snapshot!(verdict, @r"
    refused
      refusal [unsafe-path] demo-1.0/../../x: unsafe path `demo-1.0/../../x` in the sdist: `..` component
    ");

    let verdict = check("demo-1.0.tar.gz", gzip(&tar(&[]))).verdict;
    only(&verdict, Rule::MissingFile);
}

#[test]
fn findings_serialize_as_the_report_says() {
    let verdict = demo(
        b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nLicense-File: L\n",
        WHEEL,
    );
    insta::assert_snapshot!(serde_json::to_string(&verdict.findings[0]).unwrap(), @r#"{"rule":"metadata-format","severity":"warning","file":"demo-1.0.dist-info/METADATA","line":4,"field":"License-File","message":"`License-File` was introduced in metadata version 2.4, but the file declares 2.1"}"#);
    assert_eq!(verdict.findings[0].severity, Severity::Warning);
}
