//! The `requirements_txt` API: errors, warnings, includes, hash checking, lossless round trips.

mod util;

use std::collections::BTreeMap;

use pypackaging::requirements_txt::{
    self, ErrorKind, FileOption, HashViolation, Loader, Parsed, RequirementForm, RequirementsTxt,
    check_hashes,
};
use pypackaging::{Digest, Hasher, PackageName};

fn parse(text: &str) -> Parsed {
    RequirementsTxt::parse_str("requirements.txt", text, &|_| None)
}

#[track_caller]
fn error(text: &str) -> String {
    let parsed = parse(text);
    assert_eq!(parsed.errors.len(), 1, "{text:?}: {:?}", parsed.errors);
    parsed.errors[0].to_string()
}

#[test]
fn error_messages() {
    insta::assert_snapshot!(error("--foo\n"), @"requirements.txt:1:1: no such option: `--foo` (in `--foo`)");
    insta::assert_snapshot!(error("--re x.txt"), @"requirements.txt:1:1: ambiguous option: `--re` could be --require-hashes, --requirement (in `--re x.txt`)");
    insta::assert_snapshot!(error("foo --index-url"), @"requirements.txt:1:5: option `--index-url` requires a value (in `foo --index-url`)");
    insta::assert_snapshot!(error("--pre=1"), @"requirements.txt:1:1: option `--pre` does not take a value (in `--pre=1`)");
    insta::assert_snapshot!(error("foo==1 --hash=md5:abc"), @"requirements.txt:1:8: `--hash` algorithm `md5` is not allowed: use sha256, sha384 or sha512 (in `foo==1 --hash=md5:abc`)");
    insta::assert_snapshot!(error("foo==1 --hash sha256"), @"requirements.txt:1:8: `--hash` takes ALGORITHM:DIGEST, as in `--hash=sha256:…`; found `sha256` (in `foo==1 --hash sha256`)");
    insta::assert_snapshot!(error("foo==1 --hash=sha256:abc"), @"requirements.txt:1:8: invalid sha256 digest `abc`: expected 64 hex characters, found 3 (in `foo==1 --hash=sha256:abc`)");
    insta::assert_snapshot!(error("  foo=1.0  # pin"), @r#"requirements.txt:1:1: invalid requirement `foo=1.0`: no such comparison operator "=", must be one of ~= == != <= >= < > === (in `foo=1.0`)"#);
    insta::assert_snapshot!(error("--index-url 'https://x"), @"requirements.txt:1:13: no closing quotation in `'https://x` (in `--index-url 'https://x`)");
    insta::assert_snapshot!(error("--use-feature nope"), @"requirements.txt:1:1: invalid choice `nope` for `--use-feature` (choose from fast-deps, inprocess-build-deps, venv-isolation, truststore, no-binary-enable-wheel-cache, build-constraint) (in `--use-feature nope`)");
    insta::assert_snapshot!(error("--require-hashes\n\n--no-require-hashes"), @"requirements.txt:3:1: `--require-hashes` cannot be used with `--no-require-hashes` (in `--no-require-hashes`)");
    insta::assert_snapshot!(error("-e https://x/foo.tar.gz"), @"requirements.txt:1:1: `https://x/foo.tar.gz` is not a valid editable requirement: it should be a path to a local project or a VCS URL (in `-e https://x/foo.tar.gz`)");
    insta::assert_snapshot!(error("foo==1 -C x"), @"requirements.txt:1:8: arguments to `-C` must be of the form KEY=VALUE, found `x` (in `foo==1 -C x`)");
}

#[test]
fn every_error_in_the_file_is_reported() {
    let parsed = parse("ok==1\n--bogus\nfoo=1\\\n.0\n\n-x\nfine\n");
    let places: Vec<(usize, usize)> = parsed
        .errors
        .iter()
        .map(|e| (e.location.line, e.location.column))
        .collect();
    assert_eq!(places, [(2, 1), (3, 1), (6, 1)]);
    // The file is still whole, with the good lines read.
    assert_eq!(parsed.file.entries().count(), 2);
    assert_eq!(
        parsed.file.to_string(),
        "ok==1\n--bogus\nfoo=1\\\n.0\n\n-x\nfine\n"
    );
}

#[test]
fn decode_errors_name_the_byte_offset() {
    let e = RequirementsTxt::parse_bytes("r.txt", b"foo\nb\xffr\n", &|_| None).unwrap_err();
    insta::assert_snapshot!(e, @"r.txt: cannot decode byte offset 5 as utf-8");
    let e = RequirementsTxt::parse_bytes("r.txt", b"# coding: cp1252\n", &|_| None).unwrap_err();
    insta::assert_snapshot!(e, @"r.txt: unsupported encoding `cp1252` declared in line 1");
}

#[test]
fn warnings_where_pip_ignores() {
    let text = format!(
        "--hash=sha256:{}\nfoo==1 --index-url https://x\n--pre foo\n-e ./a -e ./b\n",
        "a".repeat(64)
    );
    let parsed = parse(&text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let warnings: Vec<String> = parsed.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "requirements.txt:1:1: warning: `--hash` without a requirement is ignored",
            "requirements.txt:2:8: warning: option `--index-url` is ignored on this line",
            "requirements.txt:3:7: warning: `foo` after the options is ignored",
            "requirements.txt:4:8: warning: option `--editable` is ignored on this line",
        ]
    );
}

#[test]
fn forms_and_options() {
    let parsed = parse(
        "-i https://mirror/simple --trusted-host mirror\nfoo[x]>=1 ; python_version>'3'\n./dist/bar-1.0-py3-none-any.whl\n-e git+https://h/r#egg=baz\n${V}\n",
    );
    let entries: Vec<_> = parsed.file.entries().collect();
    assert!(matches!(entries[0].form(), RequirementForm::Pep508(r) if r.name.as_ref() == "foo"));
    assert_eq!(entries[1].form().name(), Some("bar"));
    assert!(entries[2].is_editable());
    assert_eq!(entries[2].form().name(), Some("baz"));
    assert_eq!(
        parsed.errors.len(),
        1,
        "`${{V}}` unset stays as written and is no requirement"
    );
    let options = parsed.file.options();
    assert_eq!(options.index_url.as_deref(), Some("https://mirror/simple"));
    assert_eq!(options.trusted_hosts, ["mirror"]);
    let expanded =
        RequirementsTxt::parse_str("r", "foo==${V}", &|n| (n == "V").then(|| "2".into()));
    assert_eq!(
        expanded.file.entries().next().unwrap().requirement(),
        "foo==2"
    );
}

struct Memory(BTreeMap<&'static str, &'static str>, Vec<String>);

impl Loader for Memory {
    type Error = String;

    fn load(&mut self, location: &str, constraint: bool) -> Result<Vec<u8>, String> {
        self.1.push(format!("{location} {constraint}"));
        // What the file system would make of `sub/../base.txt`.
        let location = location.replace("sub/../", "");
        self.0
            .get(location.as_str())
            .map(|t| t.as_bytes().to_vec())
            .ok_or_else(|| "not found".to_owned())
    }
}

#[test]
fn includes_follow_pip() {
    let mut files = Memory(
        BTreeMap::from([
            ("req.txt", "-r sub/a.txt\n-c c.txt\n-r base.txt\ntop==1\n"),
            ("sub/a.txt", "a==1\n-r ../base.txt\n"),
            ("base.txt", "base==1\n"),
            ("c.txt", "c==1\n-r base.txt\n"),
        ]),
        Vec::new(),
    );
    let resolved = requirements_txt::resolve("req.txt", &mut files, &|_| None);
    assert!(resolved.errors.is_empty(), "{:?}", resolved.errors);
    let got: Vec<String> = resolved
        .entries
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                resolved.files[r.file].file.name(),
                r.entry.requirement(),
                r.constraint
            )
        })
        .collect();
    // The same file from different places is read each time; `-r` inside `-c` gives
    // requirements, as in pip.
    assert_eq!(
        got,
        [
            "sub/a.txt a==1 false",
            "sub/../base.txt base==1 false",
            "c.txt c==1 true",
            "base.txt base==1 false",
            "base.txt base==1 false",
            "req.txt top==1 false",
        ]
    );
    assert_eq!(files.1[3], "c.txt true");
}

#[test]
fn include_cycles_show_the_chain() {
    let mut files = Memory(
        BTreeMap::from([
            ("req.txt", "-r sub/a.txt\n"),
            ("sub/a.txt", "-r ../req.txt\n"),
        ]),
        Vec::new(),
    );
    let resolved = requirements_txt::resolve("req.txt", &mut files, &|_| None);
    assert_eq!(resolved.errors.len(), 1);
    insta::assert_snapshot!(resolved.errors[0], @"sub/a.txt:1:1: `sub/../req.txt` recursively references itself: req.txt -> sub/a.txt -> sub/../req.txt (in `../req.txt`)");
    assert!(matches!(resolved.errors[0].kind, ErrorKind::Cycle { .. }));
}

#[test]
fn url_includes_are_joined() {
    let mut files = Memory(
        BTreeMap::from([
            (
                "https://h/reqs/top.txt",
                "-r ../base.txt\n-r /abs.txt\n-r missing.txt\n",
            ),
            ("https://h/base.txt", "b==1\n"),
            ("https://h/abs.txt", "a==1\n"),
        ]),
        Vec::new(),
    );
    let resolved = requirements_txt::resolve("https://h/reqs/top.txt", &mut files, &|_| None);
    assert_eq!(resolved.entries.len(), 2);
    assert_eq!(resolved.errors.len(), 1);
    insta::assert_snapshot!(resolved.errors[0], @"https://h/reqs/top.txt:3:1: cannot read included file `https://h/reqs/missing.txt`: not found (in `missing.txt`)");
}

fn sha256(bytes: &[u8]) -> Digest {
    let mut h = Hasher::sha256();
    h.update(bytes);
    *h.finish().get(pypackaging::HashAlgorithm::Sha256).unwrap()
}

#[test]
fn hash_checking_lists_every_violation() {
    let good = sha256(b"good");
    let text = format!(
        "--require-hashes\n-c c.txt\nok==1 --hash={good}\nbad==1 --hash={good}\nloose>=1 --hash={good}\nnohash==1\n\
         git+https://h/r#egg=vcs\n./local-dir\n-e ./editable\nconstrained==1 --hash={good}\n"
    );
    let constraints = format!("constrained==1 --hash=sha256:{}\n", "0".repeat(64));
    let mut files = Memory(BTreeMap::new(), Vec::new());
    let text: &'static str = text.leak();
    files.0.insert("r.txt", text);
    files.0.insert("c.txt", constraints.leak());
    let resolved = requirements_txt::resolve("r.txt", &mut files, &|_| None);
    assert!(resolved.errors.is_empty(), "{:?}", resolved.errors);
    let check = check_hashes(&resolved, &mut |entry| {
        let mut h = Hasher::sha256();
        h.update(if entry.requirement().starts_with("bad") {
            b"evil"
        } else {
            b"good"
        });
        Some(h.finish())
    });
    assert!(check.enabled);
    let shown: Vec<String> = check.violations.iter().map(ToString::to_string).collect();
    let evil = sha256(b"evil");
    assert_eq!(
        shown,
        [
            format!("r.txt:4:1: hash mismatch for `bad==1`: expected {good}, got {evil}"),
            "r.txt:5:1: `loose>=1` is not pinned with == or ===".to_owned(),
            format!("r.txt:6:1: no hash for `nohash==1`; add:\n    nohash==1 --hash={good}"),
            "r.txt:7:1: cannot verify hashes of version-control requirement `git+https://h/r#egg=vcs`".to_owned(),
            "r.txt:8:1: cannot verify hashes of `./local-dir`: it points to a directory".to_owned(),
            "r.txt:9:1: editable requirement `./editable` cannot be installed when requiring hashes".to_owned(),
            "r.txt:10:1: the hashes of `constrained==1` and of its constraint at c.txt:1:1 have no digest in common".to_owned(),
        ]
    );
    assert!(matches!(
        check.violations[2],
        HashViolation::Missing {
            computed: Some(_),
            ..
        }
    ));
    // `ok` and `loose` matched (`loose` is also unpinned); nothing went unchecked.
    assert_eq!((check.verified, check.unchecked.len()), (2, 0));
    assert!(!check.is_verified());
}

/// An artifact the caller did not give digests for is "not checked": never a pass.
#[test]
fn an_artifact_without_digests_is_not_checked_not_passed() {
    let good = sha256(b"good");
    let text = format!(
        "--require-hashes
ok==1 --hash={good}
later==1 --hash={good}
"
    );
    let mut files = Memory(BTreeMap::from([("r.txt", &*text.leak())]), Vec::new());
    let resolved = requirements_txt::resolve("r.txt", &mut files, &|_| None);
    let check = check_hashes(&resolved, &mut |_| None);
    assert!(check.enabled && check.violations.is_empty());
    assert!(!check.is_verified(), "nothing was checked");
    let unchecked: Vec<String> = check.unchecked.iter().map(ToString::to_string).collect();
    assert_eq!(unchecked, ["r.txt:2:1", "r.txt:3:1"]);
    let check = check_hashes(&resolved, &mut |entry| {
        entry.requirement().starts_with("ok").then(|| {
            let mut h = Hasher::sha256();
            h.update(b"good");
            h.finish()
        })
    });
    assert_eq!((check.verified, check.unchecked.len()), (1, 1));
    assert!(!check.is_verified());
    let check = check_hashes(&resolved, &mut |_| {
        let mut h = Hasher::sha256();
        h.update(b"good");
        Some(h.finish())
    });
    assert!(check.is_verified());
}

#[test]
fn hash_checking_is_off_without_hashes_or_with_no_require_hashes() {
    let mut files = Memory(BTreeMap::from([("r.txt", "foo>=1\n")]), Vec::new());
    let resolved = requirements_txt::resolve("r.txt", &mut files, &|_| None);
    assert!(!check_hashes(&resolved, &mut |_| None).enabled);
    let text = format!(
        "--no-require-hashes\nfoo>=1 --hash=sha256:{}\n",
        "a".repeat(64)
    );
    let mut files = Memory(BTreeMap::from([("r.txt", &*text.leak())]), Vec::new());
    let resolved = requirements_txt::resolve("r.txt", &mut files, &|_| None);
    assert!(!check_hashes(&resolved, &mut |_| None).enabled);
}

/// Every data file prints back byte for byte, and so does its copy with line breaks swapped.
#[test]
fn data_files_round_trip() {
    let mut count = 0;
    let mut stack = vec![util::path("tests/data/requirements")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let Ok(parsed) = RequirementsTxt::parse_bytes("f", &bytes, &|_| None) else {
                continue;
            };
            assert_eq!(parsed.file.to_bytes(), bytes, "{}", path.display());
            let swapped = parsed
                .file
                .to_string()
                .replace("\r\n", "\n")
                .replace('\n', "\r\n");
            assert_eq!(parse(&swapped).file.to_string(), swapped);
            count += 1;
        }
    }
    assert!(count > 90);
}

#[test]
fn edits_keep_the_rest() {
    let text = "# pinned by hand\r\n-i https://x/simple\r\nfoo>=1 \\\r\n    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\r\nbar==2  # why\r\n";
    let mut file: RequirementsTxt = text.parse().unwrap();
    assert_eq!(file.to_string(), text);
    let foo: PackageName = "foo".parse().unwrap();
    file.set_version(&foo, &"1.5".parse().unwrap()).unwrap();
    let d = sha256(b"x");
    file.set_hashes(&foo, &[d, sha256(b"y")]).unwrap();
    file.add_option(&FileOption::RequireHashes);
    assert_eq!(
        file.to_string(),
        format!(
            "# pinned by hand\r\n-i https://x/simple\r\n--require-hashes\r\nfoo==1.5 \\\r\n    --hash={d} \\\r\n    --hash={}\r\nbar==2  # why\r\n",
            sha256(b"y")
        )
    );
}

#[test]
fn types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<RequirementsTxt>();
    check::<Parsed>();
    check::<requirements_txt::Resolved>();
    check::<requirements_txt::RequirementsTxtError>();
}

mod properties {
    use proptest::prelude::*;
    use pypackaging::requirements_txt::RequirementsTxt;

    fn name() -> impl Strategy<Value = String> {
        "[A-Za-z][A-Za-z0-9]{0,6}([._-][A-Za-z0-9]{1,4})?"
    }

    fn version() -> impl Strategy<Value = String> {
        "[0-9]{1,3}(\\.[0-9]{1,3}){0,2}((a|b|rc)[0-9])?"
    }

    fn digest() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9a-f]{64}".prop_map(|h| format!("sha256:{h}")),
            "[0-9a-f]{96}".prop_map(|h| format!("sha384:{h}")),
        ]
    }

    /// A requirement line: text, how many hashes, and the line as written.
    fn requirement_line() -> impl Strategy<Value = (String, Vec<String>, String)> {
        (
            name(),
            proptest::option::of(prop_oneof![Just("security"), Just("socks")]),
            proptest::option::of((
                prop_oneof![Just("=="), Just(">="), Just("~="), Just("<")],
                version(),
            )),
            proptest::option::of(Just("; python_version >= '3.8'")),
            proptest::collection::vec(digest(), 0..3),
            any::<bool>(),
            proptest::option::of(Just("  # pinned")),
        )
            .prop_map(|(name, extra, spec, marker, hashes, continued, comment)| {
                let mut text = name;
                if let Some(extra) = extra {
                    text.push_str(&format!("[{extra}]"));
                }
                if let Some((op, v)) = spec {
                    let v = if op == "~=" && !v.contains('.') {
                        let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
                        format!("{digits}.0")
                    } else {
                        v
                    };
                    text.push_str(&format!("{op}{v}"));
                }
                if let Some(marker) = marker {
                    text.push_str(&format!(" {marker}"));
                }
                let mut line = text.clone();
                for h in &hashes {
                    if continued {
                        line.push_str(&format!(" \\\n    --hash={h}"));
                    } else {
                        line.push_str(&format!(" --hash={h}"));
                    }
                }
                if let Some(c) = comment {
                    line.push_str(c);
                }
                (text, hashes, line)
            })
    }

    fn other_line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("# a comment".to_owned()),
            Just("--index-url https://mirror.example/simple".to_owned()),
            Just("-i https://m.example/simple --trusted-host m.example".to_owned()),
            Just("--no-index".to_owned()),
            Just("--only-binary=:all:".to_owned()),
            name().prop_map(|n| format!("--no-binary {n}")),
            Just("--prefer-binary".to_owned()),
            Just("-f ./wheels".to_owned()),
            Just("--require-hashes".to_owned()),
        ]
    }

    proptest! {
        /// Files built from grammar parts read without errors, keep every byte whatever the line
        /// breaks, and give back each requirement with its hashes.
        #[test]
        fn generated_files_round_trip(
            lines in proptest::collection::vec(prop_oneof![
                requirement_line().prop_map(Some),
                other_line().prop_map(|l| Some((String::new(), Vec::new(), l))),
            ], 0..12),
            eol in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
            last_break in any::<bool>(),
        ) {
            let lines: Vec<(String, Vec<String>, String)> = lines.into_iter().flatten().collect();
            let mut text = lines.iter().map(|(_, _, l)| l.replace('\n', eol)).collect::<Vec<_>>().join(eol);
            if last_break && !text.is_empty() {
                text.push_str(eol);
            }
            let parsed = RequirementsTxt::parse_str("r.txt", &text, &|_| None);
            prop_assert!(parsed.errors.is_empty(), "{text:?}: {:?}", parsed.errors);
            prop_assert_eq!(parsed.file.to_string(), text.clone());
            let expected: Vec<(String, Vec<String>)> = lines
                .iter()
                .filter(|(t, _, _)| !t.is_empty())
                .map(|(t, h, _)| (t.clone(), h.clone()))
                .collect();
            let got: Vec<(String, Vec<String>)> = parsed
                .file
                .entries()
                .map(|e| (e.requirement().trim_end().to_owned(), e.hashes().iter().map(ToString::to_string).collect()))
                .collect();
            prop_assert_eq!(got, expected, "{:?}", text);
            let canonical = parsed.file.to_canonical_string();
            let again = RequirementsTxt::parse_str("r.txt", &canonical, &|_| None);
            prop_assert!(again.errors.is_empty(), "{canonical:?}");
            prop_assert_eq!(again.file.entries().count(), parsed.file.entries().count());
        }

        /// Any text reads without panicking and prints back unchanged.
        #[test]
        fn any_text_round_trips(text in "(\\PC|[\\\\#\\n\\r \t'\"-]|--hash=|-e |-r )*") {
            let parsed = RequirementsTxt::parse_str("r.txt", &text, &|_| None);
            prop_assert_eq!(parsed.file.to_string(), text);
        }
    }
}

#[test]
fn file_options_round_trip_through_display() {
    for spelled in [
        "-i https://m/simple",
        "--pypi-url=https://m/simple",
        "--extra-index-url https://e/simple",
        "--no-i",
        "-f './my wheels'",
        "--trusted-host h:8080",
        "--require-hashes",
        "--no-require-hashes",
        "--only-binary=:all:",
        "--no-binary a,b",
        "--prefer-binary",
        "--pre",
        "--all-releases foo",
        "--only-final :all:",
        "--use-feature fast-deps",
        "-rbase.txt",
        "--constraint c.txt",
    ] {
        let option: FileOption = spelled.parse().unwrap_or_else(|e| panic!("{spelled}: {e}"));
        let again: FileOption = option.to_string().parse().unwrap();
        assert_eq!(again, option, "{spelled} -> {option}");
    }
    assert!("foo==1".parse::<FileOption>().is_err());
    assert!("--pre --no-index".parse::<FileOption>().is_err());
}

#[test]
fn allowed_digests_intersect_with_constraints() {
    let (a, b, c) = (sha256(b"a"), sha256(b"b"), sha256(b"c"));
    let text = format!(
        "-c c.txt\nown==1 --hash={a}\ntakes==1\nboth==1 --hash={a} --hash={b}\nnone==1 --hash={c}\n\
         frag @ https://h/frag-1.0.tar.gz#{}\n",
        a.url_fragment()
    );
    let constraints =
        format!("takes==1 --hash={b}\nboth==1 --hash={b} --hash={c}\nnone==1 --hash={a}\n");
    let mut files = Memory(
        BTreeMap::from([("r.txt", &*text.leak()), ("c.txt", &*constraints.leak())]),
        Vec::new(),
    );
    let resolved = requirements_txt::resolve("r.txt", &mut files, &|_| None);
    assert!(resolved.errors.is_empty(), "{:?}", resolved.errors);
    let allowed: Vec<(String, Vec<Digest>)> = resolved
        .entries
        .iter()
        .filter(|r| !r.constraint)
        .map(|r| &r.entry)
        .map(|e| {
            (
                e.form().name().unwrap().to_owned(),
                requirements_txt::allowed_digests(&resolved, e),
            )
        })
        .collect();
    assert_eq!(
        allowed,
        [
            ("own".to_owned(), vec![a]),
            ("takes".to_owned(), vec![b]),
            ("both".to_owned(), vec![b]),
            ("none".to_owned(), vec![]),
            ("frag".to_owned(), vec![a]),
        ]
    );
}

/// A top file already in hand: only its includes go through the loader, joined to its name.
#[test]
fn resolve_bytes_reads_only_includes_through_the_loader() {
    let mut asked = Vec::new();
    let mut loader = |location: &str, constraint: bool| {
        asked.push((location.to_owned(), constraint));
        match location {
            "sub/base.txt" => Ok(b"idna==3.11\n".to_vec()),
            other => Err(format!("no file `{other}`")),
        }
    };
    let resolved = requirements_txt::resolve_bytes(
        "sub/requirements.txt",
        b"-c base.txt\nattrs==25.4.0\n",
        &mut loader,
        &|_| None,
    );
    assert!(resolved.errors.is_empty(), "{:?}", resolved.errors);
    assert_eq!(asked, [("sub/base.txt".to_owned(), true)]);
    assert_eq!(resolved.entries.len(), 2);
}

/// A megabyte `--hash` value is quoted as a bounded excerpt with its size, and the column.
#[test]
fn an_oversized_hash_is_not_echoed_whole() {
    let value = "z".repeat(1 << 20);
    let text = format!("foo==1.0 --hash=sha256:{value}\n");
    let parsed = RequirementsTxt::parse_str("r.txt", &text, &|_| None);
    let message = parsed.errors[0].to_string();
    assert!(message.len() < 1_000, "{} bytes", message.len());
    assert!(
        message.starts_with("r.txt:1:10: invalid sha256 digest `zzz"),
        "{message}"
    );
    assert!(message.contains("[1048576 bytes in all]"), "{message}");
}

/// A hash-check report's serde form: violations tagged by kind, locations as objects; it
/// reads back to the same report.
#[test]
fn hash_check_reports_serialize_and_read_back() {
    let good = sha256(b"good");
    let text = format!("--require-hashes\nok==1 --hash={good}\nloose>=1 --hash={good}\n");
    let mut files = Memory(BTreeMap::from([("r.txt", &*text.leak())]), Vec::new());
    let resolved = requirements_txt::resolve("r.txt", &mut files, &|_| None);
    let check = check_hashes(&resolved, &mut |_| None);
    let json = serde_json::to_string(&check).unwrap();
    insta::assert_snapshot!(json, @r#"{"enabled":true,"violations":[{"kind":"unpinned","location":{"file":"r.txt","line":3,"column":1},"requirement":"loose>=1"}],"unchecked":[{"file":"r.txt","line":2,"column":1},{"file":"r.txt","line":3,"column":1}],"verified":0}"#);
    let back: requirements_txt::HashCheck = serde_json::from_str(&json).unwrap();
    assert_eq!(back, check);
}
