//! `filename`: WheelFilename, SdistFilename, DistFilename.

use proptest::prelude::*;
use pypackaging::filename::{
    BuildTag, DistFilename, ParseMode, SdistFilename, SdistFormat, WheelFilename,
};
use pypackaging::tags::CompressedTagSet;
use pypackaging::{PackageName, Version};

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<WheelFilename>();
    assert_send_sync::<SdistFilename>();
    assert_send_sync::<DistFilename>();
}

#[test]
fn builder_writes_the_canonical_filename() {
    let name: PackageName = "Zope.Interface".parse().unwrap();
    let version: Version = "6.0".parse().unwrap();
    let tags: CompressedTagSet = "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64"
        .parse()
        .unwrap();
    let wheel =
        WheelFilename::new(name.clone(), version.clone(), tags).with_build(BuildTag::new(1, "b"));
    assert_eq!(
        wheel.to_string(),
        "zope_interface-6.0-1b-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
    );
    let sdist = SdistFilename::new(name, version, SdistFormat::TarGz);
    assert_eq!(sdist.to_string(), "zope_interface-6.0.tar.gz");
}

#[test]
fn real_wheels_round_trip() {
    // auditwheel writes the PEP 600 tag first, which is not the sorted order PEP 425 asks for
    // (`packaging.utils.parse_wheel_filename(..., validate_order=True)` refuses it too).
    let numpy = "numpy-2.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";
    let wheel: WheelFilename = numpy.parse().unwrap();
    assert_eq!(
        wheel.to_string(),
        "numpy-2.1.0-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
    );
    insta::assert_snapshot!(
        WheelFilename::parse_with(numpy, ParseMode::Strict).unwrap_err(),
        @"wheel filename `numpy-2.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl` is not canonical: the tags are `cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64`, their canonical spelling is `cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64`"
    );
    for text in [
        "cryptography-43.0.1-cp39-abi3-macosx_10_9_universal2.whl",
        "pydantic_core-2.23.4-pp310-pypy310_pp73-win_amd64.whl",
        "black-24.8.0-py3-none-any.whl",
    ] {
        let wheel: WheelFilename = text.parse().unwrap();
        assert_eq!(wheel.to_string(), text);
        assert!(WheelFilename::parse_with(text, ParseMode::Strict).is_ok());
    }
}

fn name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]([A-Za-z0-9._]{0,12}[A-Za-z0-9])?".prop_filter("no __", |s| !s.contains("__"))
}

fn version() -> impl Strategy<Value = String> {
    (0u64..3000, 0u64..100, prop::option::of(0u64..20), 0usize..5).prop_map(|(a, b, c, kind)| {
        let mut v = format!("{a}.{b}");
        if let Some(c) = c {
            v += &format!(".{c}");
        }
        match kind {
            0 => v + "rc1",
            1 => v + ".post2",
            2 => v + ".dev0",
            3 => v + "+local.7",
            _ => v,
        }
    })
}

fn tags() -> impl Strategy<Value = String> {
    let python = prop::sample::subsequence(vec!["cp311", "py2", "py3", "pp310", "cp39"], 1..3);
    let abi = prop::sample::subsequence(vec!["abi3", "cp311", "none", "cp313t"], 1..3);
    let platform = prop::sample::subsequence(
        vec![
            "any",
            "manylinux_2_17_x86_64",
            "manylinux2014_x86_64",
            "macosx_11_0_arm64",
            "win_amd64",
        ],
        1..3,
    );
    (python, abi, platform)
        .prop_map(|(p, a, l)| format!("{}-{}-{}", p.join("."), a.join("."), l.join(".")))
}

proptest! {
    #[test]
    fn wheels_built_from_parts_parse_to_those_parts(
        n in name(), v in version(), build in prop::option::of((0u64..1000, "[a-z]{0,3}")), t in tags()
    ) {
        let build_text = build.as_ref().map(|(n, s)| format!("-{n}{s}")).unwrap_or_default();
        let text = format!("{n}-{v}{build_text}-{t}.whl");
        let wheel: WheelFilename = text.parse().unwrap();
        prop_assert_eq!(wheel.name(), &PackageName::new(&n).unwrap());
        prop_assert_eq!(wheel.version(), &v.parse::<Version>().unwrap());
        prop_assert_eq!(wheel.build().map(|b| (b.number(), b.suffix().to_owned())), build);
        let shown = wheel.to_string();
        prop_assert_eq!(WheelFilename::parse_with(&shown, ParseMode::Strict).unwrap(), wheel);
    }

    #[test]
    fn sdists_built_from_parts_round_trip(n in name(), v in version(), zip in any::<bool>()) {
        let text = format!("{n}-{v}.{}", if zip { "zip" } else { "tar.gz" });
        let sdist: SdistFilename = text.parse().unwrap();
        prop_assert_eq!(sdist.to_string().parse::<SdistFilename>().unwrap(), sdist);
    }

    #[test]
    fn any_string_is_refused_or_round_trips(text in "\\PC*") {
        if let Ok(wheel) = WheelFilename::parse(&text) {
            prop_assert_eq!(wheel.to_string().parse::<WheelFilename>().unwrap(), wheel);
        }
        if let Ok(file) = DistFilename::parse(&text) {
            prop_assert!(!file.to_string().is_empty());
        }
    }

    #[test]
    fn build_order_is_total(a in (0u64..20, "[a-c]{0,2}"), b in (0u64..20, "[a-c]{0,2}")) {
        let (x, y) = (BuildTag::new(a.0, &a.1).unwrap(), BuildTag::new(b.0, &b.1).unwrap());
        prop_assert_eq!(x.cmp(&y), (a.0, a.1).cmp(&(b.0, b.1)));
        prop_assert_eq!(x.cmp(&y) == std::cmp::Ordering::Equal, x == y);
    }
}
