//! The `Dynamic` rules between an sdist's metadata and a wheel built from it
//! ([PEP 643](https://peps.python.org/pep-0643/), [PEP 808](https://peps.python.org/pep-0808/)).

use super::core::RawMetadata;
use super::field::{Field, MetadataVersion};
use crate::diagnostic::Quoted;
use crate::name::normalize;
use crate::version::Version;

/// A wheel field that breaks the promise its sdist's metadata made, found by
/// [`check_wheel_against_sdist`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DynamicViolation {
    /// A field the sdist does not mark `Dynamic` has other values in the wheel.
    #[error(
        "`{field}` is not dynamic in the sdist, but the wheel has {wheel:?} where the sdist has {sdist:?}"
    )]
    Changed {
        /// The field.
        field: Field,
        /// The sdist's values.
        sdist: Vec<String>,
        /// The wheel's values.
        wheel: Vec<String>,
    },
    /// A multiple-use field marked `Dynamic` in a 2.6 sdist lost one of its static values in
    /// the wheel (PEP 808: the wheel may add values, not remove them).
    #[error("`{field}` value `{}` is static in the sdist but missing from the wheel", Quoted(.value))]
    StaticValueDropped {
        /// The field.
        field: Field,
        /// The value the wheel lacks.
        value: String,
    },
}

fn same(field: Field, sdist: &[String], wheel: &[String]) -> bool {
    match field {
        Field::Name => {
            sdist.len() == wheel.len()
                && sdist
                    .iter()
                    .zip(wheel)
                    .all(|(a, b)| normalize(a) == normalize(b))
        }
        Field::Version => {
            sdist.len() == wheel.len()
                && sdist.iter().zip(wheel).all(|(a, b)| {
                    match (a.parse::<Version>(), b.parse::<Version>()) {
                        (Ok(a), Ok(b)) => a == b,
                        _ => a == b,
                    }
                })
        }
        _ => sdist == wheel,
    }
}

/// Checks a wheel's metadata against the metadata of the sdist it was built from.
///
/// With an sdist of metadata 2.2 or later, every field the sdist does not list in `Dynamic`
/// must have the same values in the wheel, or be absent from both (`Name` compared
/// normalized, `Version` as PEP 440 versions, other fields as text). From metadata 2.6, a
/// multiple-use field listed in `Dynamic` may hold static values in the sdist, which the wheel
/// must keep (it may add more). Older sdists promise nothing: every field is treated as
/// dynamic. `Metadata-Version` and `Dynamic` themselves are not compared.
///
/// ```
/// use pypackaging::metadata::{RawMetadata, check_wheel_against_sdist};
///
/// let sdist = RawMetadata::parse(b"Metadata-Version: 2.6\nName: a\nVersion: 1\nDynamic: Requires-Dist\nRequires-Dist: b\nSummary: s\n");
/// let wheel = RawMetadata::parse(b"Metadata-Version: 2.6\nName: a\nVersion: 1.0\nRequires-Dist: b\nRequires-Dist: c\nSummary: s\n");
/// assert!(check_wheel_against_sdist(&sdist, &wheel).is_empty());
/// ```
pub fn check_wheel_against_sdist(
    sdist: &RawMetadata,
    wheel: &RawMetadata,
) -> Vec<DynamicViolation> {
    let Some(declared) = sdist
        .get(Field::MetadataVersion)
        .and_then(|v| v.parse::<MetadataVersion>().ok())
    else {
        return Vec::new();
    };
    if declared < MetadataVersion::V2_2 {
        return Vec::new();
    }
    let dynamic: Vec<Field> = sdist
        .get_all(Field::Dynamic)
        .iter()
        .filter_map(|f| Field::from_name(f))
        .collect();
    let mut violations = Vec::new();
    for &field in Field::ALL {
        if matches!(field, Field::MetadataVersion | Field::Dynamic) {
            continue;
        }
        let (s, w) = (sdist.get_all(field), wheel.get_all(field));
        if !dynamic.contains(&field) {
            if sdist.contains(field) != wheel.contains(field) || !same(field, s, w) {
                violations.push(DynamicViolation::Changed {
                    field,
                    sdist: s.to_vec(),
                    wheel: w.to_vec(),
                });
            }
        } else if declared >= MetadataVersion::V2_6 && field.is_multiple_use() {
            for value in s {
                if !w.contains(value) {
                    violations.push(DynamicViolation::StaticValueDropped {
                        field,
                        value: value.clone(),
                    });
                }
            }
        }
    }
    violations
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sdist: &str, wheel: &str) -> Vec<String> {
        check_wheel_against_sdist(
            &RawMetadata::parse(sdist.as_bytes()),
            &RawMetadata::parse(wheel.as_bytes()),
        )
        .iter()
        .map(ToString::to_string)
        .collect()
    }

    #[test]
    fn static_fields_must_not_change() {
        let sdist = "Metadata-Version: 2.2\nName: A_B\nVersion: 1.0\nDynamic: Requires-Dist\nRequires-Dist: x\n";
        assert!(
            check(
                sdist,
                "Metadata-Version: 2.2\nName: a-b\nVersion: 1\nRequires-Dist: y\n"
            )
            .is_empty()
        );
        insta::assert_snapshot!(
            check(sdist, "Metadata-Version: 2.2\nName: a-b\nVersion: 1\nSummary: new\n").join("\n"),
            @r#"`Summary` is not dynamic in the sdist, but the wheel has ["new"] where the sdist has []"#
        );
        // Before 2.2 nothing is promised.
        assert!(
            check(
                "Metadata-Version: 2.1\nName: a\nVersion: 1\n",
                "Metadata-Version: 2.1\nName: a\nVersion: 1\nSummary: s\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn static_values_of_dynamic_fields_are_kept_from_2_6() {
        let sdist = "Metadata-Version: 2.6\nName: a\nVersion: 1\nDynamic: Requires-Dist\nRequires-Dist: x\n";
        assert!(
            check(
                sdist,
                "Metadata-Version: 2.6\nName: a\nVersion: 1\nRequires-Dist: x\nRequires-Dist: y\n"
            )
            .is_empty()
        );
        insta::assert_snapshot!(
            check(sdist, "Metadata-Version: 2.6\nName: a\nVersion: 1\nRequires-Dist: y\n").join("\n"),
            @"`Requires-Dist` value `x` is static in the sdist but missing from the wheel"
        );
        // In 2.2 to 2.5 a dynamic field may change freely.
        let sdist = sdist.replace("2.6", "2.5");
        assert!(
            check(
                &sdist,
                "Metadata-Version: 2.5\nName: a\nVersion: 1\nRequires-Dist: y\n"
            )
            .is_empty()
        );
    }
}
