//! `version`: the packed order key agrees with pep440_rs's order.

use std::cmp::Ordering;

use proptest::prelude::*;
use pypackaging::version::{SortableVersion, Version, VersionKey, sort_by_version};

#[path = "laws/version.rs"]
mod law;

/// Writes a version from its parts (the epoch only when it is not 0).
fn render(
    epoch: u64,
    release: &[u64],
    pre: Option<(&str, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
    local: Option<impl std::fmt::Display>,
) -> String {
    let mut s = String::new();
    if epoch > 0 {
        s.push_str(&format!("{epoch}!"));
    }
    let release: Vec<String> = release.iter().map(u64::to_string).collect();
    s.push_str(&release.join("."));
    if let Some((kind, n)) = pre {
        s.push_str(&format!("{kind}{n}"));
    }
    if let Some(n) = post {
        s.push_str(&format!(".post{n}"));
    }
    if let Some(n) = dev {
        s.push_str(&format!(".dev{n}"));
    }
    if let Some(l) = local {
        s.push_str(&format!("+{l}"));
    }
    s
}

/// Version strings built from PEP 440's parts, with the spellings normalization accepts.
fn version_text() -> impl Strategy<Value = String> {
    let number = prop_oneof![0u64..5, 0u64..2000, 0u64..(1 << 21), Just(u64::MAX)];
    let release = proptest::collection::vec(number.clone(), 1..7);
    let pre = proptest::option::of((
        prop_oneof![Just("a"), Just("b"), Just("rc"), Just("c"), Just("alpha")],
        0u64..5000,
    ));
    let post = proptest::option::of(prop_oneof![0u64..3, 0u64..9000]);
    let dev = proptest::option::of(prop_oneof![0u64..3, 0u64..9000]);
    let epoch = prop_oneof![Just(0u64), 0u64..200];
    let local = proptest::option::of("[a-z0-9]{1,3}(\\.[a-z0-9]{1,3}){0,2}");
    (epoch, release, pre, post, dev, local)
        .prop_map(|(e, r, p, po, d, l)| render(e, &r, p, po, d, l))
}

/// Versions whose numbers sit at the edges of the packed key's fields (see `VersionKey`), so
/// that saturated and exact keys meet often.
fn edge_version_text() -> impl Strategy<Value = String> {
    let release = proptest::collection::vec(
        prop_oneof![
            Just(0u64),
            Just(1),
            Just((1 << 20) - 1),
            Just(1 << 20),
            Just(9_999_999)
        ],
        1..7,
    );
    let pre = proptest::option::of((
        prop_oneof![Just("a"), Just("rc")],
        prop_oneof![Just(0u64), Just(4095), Just(4096)],
    ));
    let post = proptest::option::of(prop_oneof![Just(0u64), Just(8190), Just(8191), Just(8192)]);
    let dev = proptest::option::of(prop_oneof![Just(0u64), Just(8189), Just(8190), Just(8191)]);
    let epoch = prop_oneof![Just(0u64), Just(30), Just(31), Just(32), Just(128)];
    let local = proptest::option::of(prop_oneof![Just("1"), Just("a")]);
    // An explicit `0!` goes to pep440_rs; without it, plain spellings meet the crate's scanner.
    (epoch, release, pre, post, dev, local, proptest::bool::ANY).prop_map(
        |(e, r, p, po, d, l, explicit)| match explicit {
            true => format!("{e}!{}", render(0, &r, p, po, d, l)),
            false => render(e, &r, p, po, d, l),
        },
    )
}

proptest! {
    #[test]
    fn key_order_is_version_order_at_field_edges(a in edge_version_text(), b in edge_version_text()) {
        let (a, b): (Version, Version) = (a.parse().unwrap(), b.parse().unwrap());
        prop_assert_eq!(VersionKey::new(&a).cmp(&VersionKey::new(&b)), a.cmp(&b), "{} vs {}", a, b);
    }

    #[test]
    fn key_order_catches_long_releases(n in 0u64..3, dev in 0u64..3) {
        let long: Version = format!("0.0.0.0.0.{n}").parse().unwrap();
        let short: Version = format!("0.0.0.dev{dev}").parse().unwrap();
        prop_assert_eq!(VersionKey::new(&long).cmp(&VersionKey::new(&short)), long.cmp(&short));
    }

    #[test]
    fn key_order_is_version_order(a in version_text(), b in version_text()) {
        let (Ok(a), Ok(b)) = (a.parse::<Version>(), b.parse::<Version>()) else { return Ok(()) };
        prop_assert_eq!(VersionKey::new(&a).cmp(&VersionKey::new(&b)), a.cmp(&b), "{} vs {}", a, b);
    }

    #[test]
    fn sort_is_stable_and_ordered(texts in proptest::collection::vec(version_text(), 0..40)) {
        let versions: Vec<Version> = texts.iter().filter_map(|t| t.parse().ok()).collect();
        let mut indexed: Vec<(usize, &Version)> = versions.iter().enumerate().collect();
        sort_by_version(&mut indexed, |(_, v)| v);
        for pair in indexed.windows(2) {
            let order = pair[0].1.cmp(pair[1].1);
            prop_assert!(order != Ordering::Greater);
            if order == Ordering::Equal {
                prop_assert!(pair[0].0 < pair[1].0, "stable");
            }
        }
    }
}

/// Strings near the plain spellings `SortableVersion` reads itself, with the near misses that
/// must go to pep440_rs (and be accepted or refused exactly as it does).
fn messy_version_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "(v|V| )?[0-9]{1,3}((\\.|-|_)?[0-9]{0,20}){0,6}((a|b|rc|c|A|RC|alpha|pre|-)?[0-9]{0,3})?((\\.|-|_)?(post|dev|r|rev)?[0-9]{0,3}){0,2}(\\+[a-z0-9.]{0,4})?\\.?",
    )
    .unwrap()
}

proptest! {
    #[test]
    fn sortable_parses_as_pep440_rs(text in prop_oneof![version_text(), edge_version_text(), messy_version_text()]) {
        law::version(text.as_bytes());
    }

    #[test]
    fn sortable_order_is_version_order(
        a in prop_oneof![version_text(), edge_version_text()],
        b in prop_oneof![version_text(), edge_version_text()],
    ) {
        let (Ok(x), Ok(y)) = (a.parse::<SortableVersion>(), b.parse::<SortableVersion>()) else {
            return Ok(());
        };
        let (xv, yv) = (x.to_version(), y.to_version());
        prop_assert_eq!(x.cmp(&y), xv.cmp(&yv), "{} vs {}", a, b);
        prop_assert_eq!(x < y, xv < yv, "{} < {}", a, b);
        prop_assert_eq!(x == y, xv == yv);
        if x == y {
            use std::hash::BuildHasher;
            let state = std::hash::RandomState::new();
            prop_assert_eq!(state.hash_one(&x), state.hash_one(&y));
        }
    }
}

/// Every version of the conformance vectors (hand-made edge cases and 22,000 real PyPI
/// versions) parses as pep440_rs parses it.
#[test]
fn sortable_parses_every_vector_as_pep440_rs() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/versions.jsonl"
    ))
    .unwrap();
    let mut count = 0;
    for line in text.lines().skip(1) {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        law::version(case["input"].as_str().unwrap().as_bytes());
        count += 1;
    }
    assert!(count > 20_000, "{count} vectors");
}

#[test]
fn sortable_serde_is_the_normalized_string() {
    let v: SortableVersion = serde_json::from_str("\"1.0RC1\"").unwrap();
    assert_eq!(serde_json::to_string(&v).unwrap(), "\"1.0rc1\"");
    let err = serde_json::from_str::<SortableVersion>("\"1.0+\"").unwrap_err();
    assert!(err.to_string().contains("1.0+"), "{err}");
}
