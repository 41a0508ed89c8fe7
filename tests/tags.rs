//! `tags`: Tag, the typed parts, compressed tag sets and targets.

use proptest::prelude::*;
use pypackaging::tags::{
    AbiTag, Arch, CompressedTagSet, LanguageTag, LinuxRank, PlatformTag, Tag, TagError, Target,
    TargetSpec,
};

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Tag>();
    assert_send_sync::<CompressedTagSet>();
    assert_send_sync::<Target>();
    assert_send_sync::<TagError>();
}

#[test]
fn sizes() {
    assert_eq!(std::mem::size_of::<PlatformTag>(), 32);
    assert_eq!(std::mem::size_of::<AbiTag>(), 24);
    assert_eq!(std::mem::size_of::<LanguageTag>(), 24);
}

#[test]
fn serde_as_strings() {
    let tag: Tag = "cp311-abi3-manylinux_2_17_x86_64".parse().unwrap();
    let json = serde_json::to_string(&tag).unwrap();
    assert_eq!(json, "\"cp311-abi3-manylinux_2_17_x86_64\"");
    assert_eq!(serde_json::from_str::<Tag>(&json).unwrap(), tag);
}

#[test]
fn from_tags_keeps_the_callers_order() {
    let tags: Vec<Tag> = [
        "cp312-cp312-linux_x86_64",
        "py3-none-any",
        "cp312-cp312-linux_x86_64",
    ]
    .iter()
    .map(|t| t.parse().unwrap())
    .collect();
    let target = Target::from_tags(tags);
    assert_eq!(target.tags().len(), 2);
    let set: CompressedTagSet = "py2.py3-none-any".parse().unwrap();
    assert!(target.is_compatible(&set));
    let native: CompressedTagSet = "cp312-cp312-linux_x86_64".parse().unwrap();
    assert!(target.compatibility(&native).unwrap() > target.compatibility(&set).unwrap());
}

#[test]
fn musllinux_expands_by_minor() {
    let spec = TargetSpec::new("cp", "3.12", &["cp312"], &["musllinux_1_2_x86_64"]).unwrap();
    let target = Target::expanded(&spec, LinuxRank::First).unwrap();
    let platforms: Vec<String> = target.tags()[..4]
        .iter()
        .map(|t| t.platform.to_string())
        .collect();
    assert_eq!(
        platforms,
        [
            "linux_x86_64",
            "musllinux_1_2_x86_64",
            "musllinux_1_1_x86_64",
            "musllinux_1_0_x86_64"
        ]
    );
}

#[test]
fn spec_errors() {
    insta::assert_snapshot!(
        TargetSpec::new("cp", "3.x", &[], &[]).unwrap_err(),
        @"invalid python version `3.x`: expected `3`, `3.11` or `311`"
    );
    insta::assert_snapshot!(
        TargetSpec::new("c-p", "3.11", &[], &[]).unwrap_err(),
        @"invalid implementation `c-p`: expected a short name such as `cp` or `pp`"
    );
}

fn arch() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("x86_64".to_owned()),
        Just("aarch64".to_owned()),
        Just("universal2".to_owned()),
        Just("arm64_v8a".to_owned()),
        "[a-z][a-z0-9_]{0,8}",
    ]
}

fn platform() -> impl Strategy<Value = String> {
    (0u32..70_000, 0u32..70_000, arch(), 0usize..9).prop_map(|(x, y, arch, form)| match form {
        0 => format!("manylinux_{x}_{y}_{arch}"),
        1 => format!("musllinux_{x}_{y}_{arch}"),
        2 => format!("macosx_{x}_{y}_{arch}"),
        3 => format!("ios_{x}_{y}_{arch}_iphoneos"),
        4 => format!("android_{x}_{arch}"),
        5 => format!("pyodide_{x}_{y}_{arch}"),
        6 => format!("manylinux2014_{arch}"),
        7 => format!("linux_{arch}"),
        _ => format!("pyemscripten_{x}_{y}_{arch}"),
    })
}

proptest! {
    #[test]
    fn platforms_round_trip_and_type_when_numbers_fit(text in platform()) {
        let tag = PlatformTag::parse(&text);
        prop_assert_eq!(tag.to_string(), text.clone());
        let fits = text
            .split('_')
            .filter(|p| p.bytes().all(|b| b.is_ascii_digit()) && !p.is_empty())
            .all(|p| p.parse::<u16>().is_ok());
        prop_assert_eq!(matches!(tag, PlatformTag::Other(_)), !fits, "{:?}", tag);
    }

    #[test]
    fn any_text_is_a_platform(text in "\\PC*") {
        prop_assert_eq!(PlatformTag::parse(&text).to_string(), text.to_lowercase());
    }

    #[test]
    fn priorities_follow_the_list(minor in 6u8..16, platform in platform()) {
        let version = format!("3.{minor}");
        let abi = format!("cp3{minor}");
        let spec = TargetSpec::new("cp", &version, &[&abi], &[&platform]).unwrap();
        let (Ok(pip), Ok(expanded)) = (Target::pip(&spec), Target::expanded(&spec, LinuxRank::Last)) else {
            return Ok(());
        };
        for target in [pip, expanded] {
            let mut last = None;
            for tag in target.tags() {
                let priority = target.priority(tag).unwrap();
                let single = CompressedTagSet::single(tag.clone());
                prop_assert_eq!(target.compatibility(&single), Ok(priority));
                if let Some(last) = last {
                    prop_assert!(priority < last);
                }
                last = Some(priority);
            }
        }
    }
}

#[test]
fn arch_of_known_forms() {
    let tag = PlatformTag::parse("musllinux_1_2_armv7l");
    assert_eq!(tag.arch(), Some(&Arch::Armv7l));
    assert_eq!(tag.glibc(), None);
}

#[test]
fn huge_ladders_are_an_error() {
    let spec = TargetSpec::new("cp", "3.12", &["cp312"], &["manylinux_60000_50_x86_64"]).unwrap();
    insta::assert_snapshot!(
        Target::expanded(&spec, LinuxRank::First).unwrap_err(),
        @"the target's platforms expand to more than 4096 platforms"
    );
    let spec = TargetSpec::new("cp", "3.12", &["cp312"], &["macosx_5000_0_arm64"]).unwrap();
    assert!(Target::pip(&spec).is_err());
}

/// Tag parts for [`compatibility_agrees_with_a_search_of_the_list`]: typed ones, ones that
/// hold text (`Other`, `GraalPy`, an arch of no known kind) and ones no target holds.
const PYTHONS: [&str; 5] = ["py3", "cp311", "cp310", "graalpy311", "xx1"];
const ABIS: [&str; 6] = ["none", "abi3", "cp311", "cp310", "graalpy311_native", "zz"];
const PLATFORMS: [&str; 6] = [
    "any",
    "manylinux_2_17_x86_64",
    "linux_x86_64",
    "win_amd64",
    "weird",
    "manylinux_2_17_odd",
];

/// What `Target::compatibility` must say, found by searching the target's list: the best
/// priority of a triple of the set, else the first triple with the greatest reason.
fn searched(
    target: &Target,
    set: &CompressedTagSet,
) -> Result<pypackaging::tags::Priority, (pypackaging::tags::IncompatibleReason, Tag)> {
    use pypackaging::tags::IncompatibleReason;
    let tags = target.tags();
    if let Some(index) = set
        .iter()
        .filter_map(|t| tags.iter().position(|x| *x == t))
        .min()
    {
        return Ok(pypackaging::tags::Priority((tags.len() - index) as u32));
    }
    let mut closest: Option<(IncompatibleReason, Tag)> = None;
    for python in set.pythons() {
        for abi in set.abis() {
            for platform in set.platforms() {
                let reason = if !tags.iter().any(|t| t.python == *python) {
                    IncompatibleReason::Python
                } else if !tags.iter().any(|t| t.python == *python && t.abi == *abi) {
                    IncompatibleReason::Abi
                } else {
                    IncompatibleReason::Platform
                };
                if closest.as_ref().is_none_or(|(r, _)| reason > *r) {
                    let tag = Tag::new(python.clone(), abi.clone(), platform.clone());
                    closest = Some((reason, tag));
                }
            }
        }
    }
    Err(closest.expect("a set has a triple"))
}

proptest! {
    #[test]
    fn compatibility_agrees_with_a_search_of_the_list(
        list in proptest::collection::vec((0..5usize, 0..6usize, 0..6usize), 0..40),
        pythons in proptest::sample::subsequence(&PYTHONS[..], 1..4),
        abis in proptest::sample::subsequence(&ABIS[..], 1..4),
        platforms in proptest::sample::subsequence(&PLATFORMS[..], 1..4),
    ) {
        let target = Target::from_tags(list.iter().map(|&(p, a, k)| {
            Tag::new(
                LanguageTag::parse(PYTHONS[p]),
                AbiTag::parse(ABIS[a]),
                PlatformTag::parse(PLATFORMS[k]),
            )
        }));
        let mut first_seen: Vec<(usize, usize, usize)> = Vec::new();
        for triple in &list {
            if !first_seen.contains(triple) {
                first_seen.push(*triple);
            }
        }
        let shown: Vec<String> = target.tags().iter().map(ToString::to_string).collect();
        let expected: Vec<String> = first_seen
            .iter()
            .map(|&(p, a, k)| format!("{}-{}-{}", PYTHONS[p], ABIS[a], PLATFORMS[k]))
            .collect();
        prop_assert_eq!(shown, expected);
        let text = format!("{}-{}-{}", pythons.join("."), abis.join("."), platforms.join("."));
        let set: CompressedTagSet = text.parse().unwrap();
        let expected = searched(&target, &set);
        let got = target
            .compatibility(&set)
            .map_err(|e| (e.reason, e.closest));
        prop_assert_eq!(&got, &expected);
        // The priority-only path agrees, and builds no diagnostic.
        prop_assert_eq!(target.best_priority(&set), got.ok());
        prop_assert_eq!(target.is_compatible(&set), expected.is_ok());
        for tag in set.iter() {
            let single = CompressedTagSet::single(tag.clone());
            prop_assert_eq!(target.priority(&tag), target.compatibility(&single).ok());
            prop_assert_eq!(target.priority(&tag), target.best_priority(&single));
        }
    }
}

/// A target's serde form is its tag list, most preferred first, and reads back to the same
/// target.
#[test]
fn targets_serialize_as_their_tags() {
    let spec = TargetSpec::new("cp", "3.11", &["cp311"], &["manylinux_2_28_x86_64"]).unwrap();
    let target = Target::pip(&spec).unwrap();
    let json = serde_json::to_value(&target).unwrap();
    assert_eq!(json[0], "cp311-cp311-manylinux_2_28_x86_64");
    assert_eq!(json.as_array().unwrap().len(), target.tags().len());
    let back: Target = serde_json::from_value(json).unwrap();
    assert_eq!(back.tags(), target.tags());
}
