//! `name`: PackageName, ExtraName, normalize.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};

use insta::assert_snapshot;
use proptest::prelude::*;
use pypackaging::name::{NameError, NameKind, is_valid, normalize};
use pypackaging::{ExtraName, PackageName};

#[track_caller]
fn name(s: &str) -> PackageName {
    s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

#[track_caller]
fn name_err(s: &str) -> NameError {
    match s.parse::<PackageName>() {
        Ok(n) => panic!("{s:?} parsed as {n:?}"),
        Err(e) => e,
    }
}

#[test]
fn normal_form_examples_from_the_spec() {
    for spelling in [
        "friendly-bard",
        "Friendly-Bard",
        "FRIENDLY-BARD",
        "friendly.bard",
        "friendly_bard",
        "friendly--bard",
        "FrIeNdLy-._.-bArD",
    ] {
        assert_eq!(name(spelling).as_str(), "friendly-bard", "{spelling}");
    }
}

#[test]
fn valid_names() {
    for s in [
        "a",
        "0",
        "A",
        "a.b",
        "a_b",
        "a-b",
        "a1",
        "1a",
        "Zope.Interface",
        "x1-_.y2",
    ] {
        assert!(is_valid(s), "{s}");
        name(s);
    }
}

#[test]
fn error_messages() {
    assert_snapshot!(name_err(""), @"invalid project name ``: a name must not be empty");
    assert_snapshot!(name_err("my package"), @"invalid project name `my package`: character ' ' at column 3 is not allowed (only ASCII letters, digits, `.`, `_` and `-`)");
    assert_snapshot!(name_err("café-bar"), @"invalid project name `café-bar`: character 'é' at column 4 is not allowed (only ASCII letters, digits, `.`, `_` and `-`)");
    assert_snapshot!(name_err("_private"), @"invalid project name `_private`: it must start with an ASCII letter or digit, not '_'");
    assert_snapshot!(name_err("trailing."), @"invalid project name `trailing.`: it must end with an ASCII letter or digit, not '.'");
    assert_snapshot!(name_err("-"), @"invalid project name `-`: it must start with an ASCII letter or digit, not '-'");
    assert_snapshot!(name_err("requests\n"), @r"invalid project name `requests\n`: character '\n' at column 9 is not allowed (only ASCII letters, digits, `.`, `_` and `-`)");
    let extra = "dev tools".parse::<ExtraName>().unwrap_err();
    assert_eq!(extra.kind(), NameKind::Extra);
    assert_snapshot!(extra, @"invalid extra name `dev tools`: character ' ' at column 4 is not allowed (only ASCII letters, digits, `.`, `_` and `-`)");
}

#[test]
fn error_names_the_first_bad_character() {
    // A bad character inside is reported before a bad start or end.
    assert!(matches!(
        name_err("-a b-"),
        NameError::InvalidCharacter {
            character: ' ',
            column: 3,
            ..
        }
    ));
    assert!(matches!(
        name_err("a-"),
        NameError::InvalidEnd { character: '-', .. }
    ));
}

#[test]
fn normalize_any_string_as_packaging_does() {
    assert_eq!(normalize("requests"), "requests");
    assert!(matches!(normalize("requests"), Cow::Borrowed(_)));
    assert!(matches!(normalize("-bad-"), Cow::Borrowed(_)));
    assert_eq!(normalize("_Private__Name_"), "-private-name-");
    assert_eq!(normalize("My Package"), "my package");
    assert_eq!(normalize("ÉCOLE..X"), "école-x");
    // Python lower-cases the Kelvin sign to an ASCII k.
    assert_eq!(normalize("a\u{212a}"), "ak");
    assert_eq!(normalize(""), "");
}

#[test]
fn spellings_compare_hash_and_sort_equal() {
    let set: HashSet<PackageName> = ["Django", "django", "DJANGO"]
        .iter()
        .map(|s| name(s))
        .collect();
    assert_eq!(set.len(), 1);
    assert!(
        set.contains("django"),
        "Borrow<str> lookups use the normal form"
    );
    let sorted: BTreeSet<PackageName> = ["b", "A", "a_c", "a-b"].iter().map(|s| name(s)).collect();
    let sorted: Vec<&str> = sorted.iter().map(PackageName::as_str).collect();
    assert_eq!(sorted, ["a", "a-b", "a-c", "b"]);
}

#[test]
fn owned_input_and_conversions() {
    let n = PackageName::from_owned("already-normal".to_owned()).unwrap();
    assert_eq!(n, "already-normal");
    let n = PackageName::try_from("Not_Normal".to_owned()).unwrap();
    assert_eq!(String::from(n), "not-normal");
    assert_eq!(name("zope.interface").as_underscored(), "zope_interface");
    assert_eq!(format!("{:?}", name("A_B")), "PackageName(\"a-b\")");
    let pep508: pypackaging::version::Requirement = "Foo_Bar[Some.Extra]>=1".parse().unwrap();
    assert_eq!(PackageName::from(&pep508.name), name("foo-bar"));
    assert_eq!(ExtraName::from(&pep508.extras[0]).as_str(), "some-extra");
}

#[test]
fn serde_is_the_normal_form_string() {
    assert_eq!(
        serde_json::to_string(&name("Foo.Bar")).unwrap(),
        "\"foo-bar\""
    );
    let n: PackageName = serde_json::from_str("\"Foo.Bar\"").unwrap();
    assert_eq!(n, "foo-bar");
    let e = serde_json::from_str::<PackageName>("\"foo bar\"").unwrap_err();
    assert!(
        e.to_string().contains("invalid project name `foo bar`"),
        "{e}"
    );
}

#[test]
fn types_are_send_sync_and_small() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PackageName>();
    assert_send_sync::<ExtraName>();
    assert_send_sync::<NameError>();
    // A `CompactString`: names of up to 24 bytes (92 % of PyPI's) are stored inline.
    assert_eq!(std::mem::size_of::<PackageName>(), 24);
    assert_eq!(std::mem::size_of::<Option<PackageName>>(), 24);
}

/// Valid names built from the grammar: an alphanumeric, then runs of alphanumerics and
/// separators, ending in an alphanumeric.
fn valid_name() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z0-9]", "[A-Za-z0-9][A-Za-z0-9._-]{0,30}[A-Za-z0-9]",]
}

proptest! {
    #[test]
    fn valid_names_round_trip(s in valid_name()) {
        let parsed = PackageName::new(&s).unwrap();
        prop_assert_eq!(parsed.to_string().parse::<PackageName>().unwrap(), parsed.clone());
        prop_assert_eq!(parsed.as_str(), normalize(&s));
        prop_assert!(!parsed.as_str().contains("--"));
        prop_assert!(!parsed.as_str().bytes().any(|b| b.is_ascii_uppercase() || b == b'_' || b == b'.'));
    }

    #[test]
    fn normalize_is_idempotent(s in "\\PC*") {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once.clone());
    }

    #[test]
    fn any_string_parses_or_errors_without_panic(s in "\\PC*") {
        match PackageName::new(&s) {
            Ok(n) => prop_assert_eq!(n.as_str(), normalize(&s)),
            Err(e) => prop_assert!(e.to_string().contains("invalid project name")),
        }
    }

    #[test]
    fn order_is_total_and_agrees_with_eq(a in valid_name(), b in valid_name()) {
        let (a, b) = (PackageName::new(&a).unwrap(), PackageName::new(&b).unwrap());
        prop_assert_eq!(a.cmp(&b) == std::cmp::Ordering::Equal, a == b);
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
    }
}
