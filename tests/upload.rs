//! The legacy upload API's form and checks (`pypackaging::upload`), every error message
//! pinned.

use insta::assert_snapshot;
use pypackaging::DistFilename;
use pypackaging::metadata::{DistCheck, Field, Finding, Rule, Verdict};
use pypackaging::upload::{
    ComputedDigests, Existing, UploadError, UploadForm, check_dist, check_existing,
};
use pypackaging::{Digest, HashAlgorithm};

const SHA: &str = "65ec63e574e6699c5781ba3cb9c02cf6183335b8906e2185de467cc6d565bdac";
const MD5: &str = "0cc175b9c0f1b6a831c399e269772661";
const BLAKE: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

/// What twine sends for a wheel, with `extra` pairs appended and pairs named in `without`
/// left out.
fn pairs<'a>(without: &[&str], extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let base: Vec<(&str, &str)> = vec![
        (":action", "file_upload"),
        ("protocol_version", "1"),
        ("metadata_version", "2.1"),
        ("name", "Tiny_Utils"),
        ("version", "0.1.0"),
        ("summary", "Tiny utilities"),
        ("requires_python", ">=3.9"),
        ("requires_dist", "idna>=3"),
        ("requires_dist", "certifi"),
        ("classifiers", "Programming Language :: Python :: 3"),
        ("project_urls", "Home, https://example.invalid/"),
        ("description", ""),
        ("comment", "hello"),
        ("filetype", "bdist_wheel"),
        ("pyversion", "py3"),
        ("sha256_digest", SHA),
        ("md5_digest", MD5),
    ];
    base.into_iter()
        .filter(|(k, _)| !without.contains(k))
        .chain(extra.iter().copied())
        .collect()
}

fn form(without: &[&str], extra: &[(&'static str, &'static str)]) -> UploadForm {
    UploadForm::from_pairs(pairs(without, extra)).unwrap()
}

const WHEEL: &str = "tiny_utils-0.1.0-py3-none-any.whl";

fn file_err(form: &UploadForm, filename: &str) -> String {
    form.check_file(filename).unwrap_err().to_string()
}

fn computed() -> ComputedDigests {
    ComputedDigests {
        sha256: SHA.to_owned(),
        md5: Some(MD5.to_owned()),
        blake2_256: Some(BLAKE.to_owned()),
    }
}

#[test]
fn fields_map_to_core_metadata() {
    let f = form(&[], &[]);
    assert_eq!(f.action.as_deref(), Some("file_upload"));
    assert_eq!(f.ignored, ["comment"]);
    let raw = f.to_raw_metadata();
    assert_eq!(raw.get(Field::Name), Some("Tiny_Utils"));
    assert_eq!(raw.get_all(Field::RequiresDist), ["idna>=3", "certifi"]);
    assert_eq!(
        raw.get_all(Field::Classifier),
        ["Programming Language :: Python :: 3"]
    );
    assert_eq!(
        raw.get_all(Field::ProjectUrl),
        ["Home, https://example.invalid/"]
    );
    assert_eq!(
        raw.get(Field::Description),
        None,
        "empty values are dropped"
    );
    let core = f.core_metadata().unwrap();
    assert_eq!(core.normalized_name().as_str(), "tiny-utils");
    // The same value twice is one value.
    let again = UploadForm::from_pairs(pairs(&[], &[("name", "Tiny_Utils")])).unwrap();
    assert_eq!(again.get(Field::Name), Some("Tiny_Utils"));
}

#[test]
fn repeated_single_fields() {
    let e = UploadForm::from_pairs(pairs(&[], &[("name", "other")])).unwrap_err();
    assert_snapshot!(e, @"`name` is given twice with different values");
    let e = UploadForm::from_pairs(pairs(&[], &[("sha256_digest", "00")])).unwrap_err();
    assert_snapshot!(e, @"`sha256_digest` is given twice with different values");
}

#[test]
fn check_file_accepts_a_matching_wheel_and_sdist() {
    let f = form(&[], &[]);
    let dist = f.check_file(WHEEL).unwrap();
    assert!(matches!(dist, DistFilename::Wheel(_)));
    let sdist = form(
        &["filetype", "pyversion"],
        &[("filetype", "sdist"), ("pyversion", "source")],
    );
    assert!(matches!(
        sdist.check_file("tiny_utils-0.1.0.tar.gz").unwrap(),
        DistFilename::Sdist(_)
    ));
    // Versions compare as versions, names as normalized names.
    let v = form(&["version"], &[("version", "0.1")]);
    v.check_file("Tiny.Utils-0.1.0-py3-none-any.whl").unwrap();
    // An sdist without pyversion is taken.
    let bare = form(&["filetype", "pyversion"], &[("filetype", "sdist")]);
    bare.check_file("tiny_utils-0.1.0.tar.gz").unwrap();
}

#[test]
fn check_file_errors() {
    assert_snapshot!(file_err(&form(&[":action"], &[]), WHEEL), @"the form has no `:action` field");
    assert_snapshot!(file_err(&form(&[":action"], &[(":action", "submit")]), WHEEL), @"unsupported `:action` `submit`: this index takes `file_upload` only");
    assert_snapshot!(file_err(&form(&["protocol_version"], &[("protocol_version", "2")]), WHEEL), @"unknown `protocol_version` `2`: expected `1`");
    assert_snapshot!(file_err(&form(&["metadata_version"], &[]), WHEEL), @"the form has no `metadata_version` field");
    assert_snapshot!(file_err(&form(&["metadata_version"], &[("metadata_version", "2.0")]), WHEEL), @"`metadata_version`: invalid metadata version `2.0`: expected one of 1.0, 1.1, 1.2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6");
    assert_snapshot!(file_err(&form(&["name"], &[]), WHEEL), @"the form has no `name` field");
    assert_snapshot!(file_err(&form(&["name"], &[("name", "-bad-")]), WHEEL), @"`name` `-bad-` is not a valid project name: invalid project name `-bad-`: it must start with an ASCII letter or digit, not '-'");
    assert_snapshot!(file_err(&form(&["version"], &[]), WHEEL), @"the form has no `version` field");
    assert_snapshot!(file_err(&form(&["version"], &[("version", "one")]), WHEEL), @"`version` `one` is not a valid version: expected version to start with a number, but no leading ASCII digits were found");
    assert_snapshot!(file_err(&form(&[], &[]), "tiny_utils-0.1.0.exe"), @"invalid distribution filename `tiny_utils-0.1.0.exe`: not a wheel (`.whl`) or an sdist (`.tar.gz`, `.zip`)");
    assert_snapshot!(file_err(&form(&[], &[]), "tiny_utils-0.1.0-py3.whl"), @"invalid distribution filename `tiny_utils-0.1.0-py3.whl`: invalid wheel filename `tiny_utils-0.1.0-py3.whl`: expected `name-version[-build]-python-abi-platform.whl`, found 3 parts separated by `-`");
    assert_snapshot!(file_err(&form(&[], &[]), "other-0.1.0-py3-none-any.whl"), @"`other-0.1.0-py3-none-any.whl` is not a file of `Tiny_Utils`: start the filename with `tiny_utils`");
    assert_snapshot!(file_err(&form(&[], &[]), "tiny_utils-0.2.0-py3-none-any.whl"), @"`tiny_utils-0.2.0-py3-none-any.whl` is version 0.2.0, the form says 0.1.0");
    assert_snapshot!(file_err(&form(&["filetype"], &[]), WHEEL), @"the form has no `filetype` field");
    assert_snapshot!(file_err(&form(&[], &[]), "tiny_utils-0.1.0.tar.gz"), @"`filetype` `bdist_wheel` does not match `tiny_utils-0.1.0.tar.gz`: expected `sdist`");
    assert_snapshot!(file_err(&form(&["filetype"], &[("filetype", "sdist")]), WHEEL), @"`filetype` `sdist` does not match `tiny_utils-0.1.0-py3-none-any.whl`: expected `bdist_wheel`");
    assert_snapshot!(file_err(&form(&["pyversion"], &[]), WHEEL), @"the form has no `pyversion` field");
    assert_snapshot!(file_err(&form(&["pyversion"], &[("pyversion", "source")]), WHEEL), @"`pyversion` `source` does not fit `bdist_wheel`: use `source` for an sdist and the Python tag for a wheel");
    assert_snapshot!(file_err(&form(&["filetype", "pyversion"], &[("filetype", "sdist"), ("pyversion", "py3")]), "tiny_utils-0.1.0.tar.gz"), @"`pyversion` `py3` does not fit `sdist`: use `source` for an sdist and the Python tag for a wheel");
    // Control characters are escaped in messages.
    assert_snapshot!(file_err(&form(&[":action"], &[(":action", "a\nb")]), WHEEL), @"unsupported `:action` `a\\nb`: this index takes `file_upload` only");
}

#[test]
fn digests() {
    let f = form(&[], &[]);
    f.check_digests(&computed()).unwrap();
    // A digest the server did not compute does not count.
    let only_blake = form(
        &["sha256_digest", "md5_digest"],
        &[("blake2_256_digest", BLAKE)],
    );
    only_blake.check_digests(&computed()).unwrap();
    let mut no_blake = computed();
    no_blake.blake2_256 = None;
    let e = only_blake.check_digests(&no_blake).unwrap_err();
    assert_snapshot!(e, @"include at least one digest of the file: `sha256_digest`, `md5_digest` or `blake2_256_digest`");
    let e = form(&["sha256_digest", "md5_digest"], &[])
        .check_digests(&computed())
        .unwrap_err();
    assert_snapshot!(e, @"include at least one digest of the file: `sha256_digest`, `md5_digest` or `blake2_256_digest`");
    let e = form(&["md5_digest"], &[("md5_digest", "xyz")])
        .check_digests(&computed())
        .unwrap_err();
    assert_snapshot!(e, @"`md5_digest` `xyz` is not 32 hex digits");
    let other = "00".repeat(32);
    let e = UploadForm::from_pairs(pairs(
        &["sha256_digest"],
        &[("sha256_digest", other.as_str())],
    ))
    .unwrap()
    .check_digests(&computed())
    .unwrap_err();
    assert_snapshot!(e, @"`sha256_digest` `0000000000000000000000000000000000000000000000000000000000000000` does not match the file received (`65ec63e574e6699c5781ba3cb9c02cf6183335b8906e2185de467cc6d565bdac`)");
    // Upper-case hex is the same digest.
    let upper = SHA.to_ascii_uppercase();
    UploadForm::from_pairs(pairs(
        &["sha256_digest"],
        &[("sha256_digest", upper.as_str())],
    ))
    .unwrap()
    .check_digests(&computed())
    .unwrap();
}

fn check(metadata: Option<&str>, refusal: Option<&str>) -> DistCheck {
    let mut verdict = Verdict::default();
    if let Some(m) = refusal {
        verdict.push(Finding::new(Rule::Unreadable, m));
    }
    DistCheck {
        verdict,
        metadata: metadata.map(|m| m.as_bytes().to_vec()),
    }
}

#[test]
fn dist_against_form() {
    let f = form(&[], &[]);
    let dist = f.check_file(WHEEL).unwrap();
    let good = "Metadata-Version: 2.1\nName: tiny-utils\nVersion: 0.1.0\n";
    check_dist(&f, &dist, &check(Some(good), None)).unwrap();
    let e = check_dist(&f, &dist, &check(Some(good), Some("not a zip file"))).unwrap_err();
    assert_snapshot!(e, @"`tiny_utils-0.1.0-py3-none-any.whl` is refused: refusal [unreadable]: not a zip file");
    let e = check_dist(&f, &dist, &check(None, None)).unwrap_err();
    assert_snapshot!(e, @"`tiny_utils-0.1.0-py3-none-any.whl` has no readable METADATA");
    let other = "Metadata-Version: 2.1\nName: other\nVersion: 0.1.0\n";
    let e = check_dist(&f, &dist, &check(Some(other), None)).unwrap_err();
    assert_snapshot!(e, @"the METADATA of `tiny_utils-0.1.0-py3-none-any.whl` names `other`, the form `Tiny_Utils`");
    let newer = "Metadata-Version: 2.1\nName: Tiny_Utils\nVersion: 0.2\n";
    let e = check_dist(&f, &dist, &check(Some(newer), None)).unwrap_err();
    assert_snapshot!(e, @"the METADATA of `tiny_utils-0.1.0-py3-none-any.whl` is version `0.2`, the form `0.1.0`");
    let sdist = form(&["filetype", "pyversion"], &[("filetype", "sdist")]);
    let sd = sdist.check_file("tiny_utils-0.1.0.tar.gz").unwrap();
    let e = check_dist(&sdist, &sd, &check(None, None)).unwrap_err();
    assert_snapshot!(e, @"`tiny_utils-0.1.0.tar.gz` has no readable PKG-INFO");
}

#[test]
fn existing_files() {
    let a = Digest::from_hex(HashAlgorithm::Sha256, SHA).unwrap();
    let b = Digest::from_hex(HashAlgorithm::Sha256, &"00".repeat(32)).unwrap();
    assert_eq!(check_existing(WHEEL, None, &a).unwrap(), Existing::New);
    assert_eq!(check_existing(WHEEL, Some(&a), &a).unwrap(), Existing::Same);
    let e = check_existing(WHEEL, Some(&b), &a).unwrap_err();
    assert!(matches!(e, UploadError::FileExists { .. }));
    assert_snapshot!(e, @"File already exists: `tiny_utils-0.1.0-py3-none-any.whl` is stored with sha256 0000000000000000000000000000000000000000000000000000000000000000; a published file is never replaced, upload it under a new version");
}

#[test]
fn forms_serialize() {
    let f = form(&[], &[]);
    let json = serde_json::to_string(&f).unwrap();
    let back: UploadForm = serde_json::from_str(&json).unwrap();
    assert_eq!(back, f);
}
