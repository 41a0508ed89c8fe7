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
