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
      warning [wheel-format] argon2_cffi_bindings-26.2.0.dist-info/WHEEL line 5 (Generator): `WHEEL` line 5: `Generator` given more than once
    ");
    let checked = real("charset_normalizer-3.5.3-cp312-cp312-macosx_10_13_universal2.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] charset_normalizer-3.5.3.dist-info/WHEEL line 4 (Generator): `WHEEL` line 4: `Generator` given more than once
    ");
    let checked = real("multidict-7.2.1-cp312-cp312-macosx_11_0_arm64.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] multidict-7.2.1.dist-info/WHEEL line 5 (Generator): `WHEEL` line 5: `Generator` given more than once
    ");
    let checked = real("numpy-2.5.5-cp312-cp312-macosx_14_0_arm64.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] numpy-2.5.5.dist-info/WHEEL line 5 (Generator): `WHEEL` line 5: `Generator` given more than once
    ");
    let checked = real("pillow-13.0.0-cp312-cp312-macosx_11_0_arm64.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] pillow-13.0.0.dist-info/WHEEL line 5 (Generator): `WHEEL` line 5: `Generator` given more than once
    ");
    let checked = real("pyyaml-6.0.4-cp312-cp312-macosx_11_0_arm64.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] pyyaml-6.0.4.dist-info/WHEEL line 5 (Generator): `WHEEL` line 5: `Generator` given more than once
    ");
    let checked = real("websockets-17.4-cp312-cp312-macosx_11_0_arm64.whl");
    assert!(checked.verdict.is_installable());
    assert!(checked.metadata.is_some());
    insta::assert_snapshot!(checked.verdict, @r"
    installable
      warning [wheel-format] websockets-17.4.dist-info/WHEEL line 5 (Generator): `WHEEL` line 5: `Generator` given more than once
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
      warning [wheel-format] pydantic_core-2.27.2.dist-info/WHEEL line 4 (Tag): `WHEEL` line 4: `Tag` `cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64` is a compressed tag set: the specification wants one `Tag` line per tag
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
