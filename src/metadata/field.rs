//! The fields of core metadata and the versions of the specification.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::diagnostic::Quoted;

/// A `Metadata-Version` this crate knows: 1.0, 1.1, 1.2, 2.1 to 2.6 (2.0 was never a
/// standard, and packaging rejects it too).
///
/// Ordered by age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum MetadataVersion {
    /// 1.0, [PEP 241](https://peps.python.org/pep-0241/).
    V1_0,
    /// 1.1, [PEP 314](https://peps.python.org/pep-0314/).
    V1_1,
    /// 1.2, [PEP 345](https://peps.python.org/pep-0345/).
    V1_2,
    /// 2.1, [PEP 566](https://peps.python.org/pep-0566/).
    V2_1,
    /// 2.2, [PEP 643](https://peps.python.org/pep-0643/).
    V2_2,
    /// 2.3, [PEP 685](https://peps.python.org/pep-0685/).
    V2_3,
    /// 2.4, [PEP 639](https://peps.python.org/pep-0639/).
    V2_4,
    /// 2.5, [PEP 794](https://peps.python.org/pep-0794/).
    V2_5,
    /// 2.6, [PEP 808](https://peps.python.org/pep-0808/).
    V2_6,
}

impl MetadataVersion {
    /// Every version, oldest first.
    pub const ALL: [MetadataVersion; 9] = [
        MetadataVersion::V1_0,
        MetadataVersion::V1_1,
        MetadataVersion::V1_2,
        MetadataVersion::V2_1,
        MetadataVersion::V2_2,
        MetadataVersion::V2_3,
        MetadataVersion::V2_4,
        MetadataVersion::V2_5,
        MetadataVersion::V2_6,
    ];

    /// The newest version.
    pub const LATEST: MetadataVersion = MetadataVersion::V2_6;

    /// The version as written in `Metadata-Version`.
    pub const fn as_str(self) -> &'static str {
        match self {
            MetadataVersion::V1_0 => "1.0",
            MetadataVersion::V1_1 => "1.1",
            MetadataVersion::V1_2 => "1.2",
            MetadataVersion::V2_1 => "2.1",
            MetadataVersion::V2_2 => "2.2",
            MetadataVersion::V2_3 => "2.3",
            MetadataVersion::V2_4 => "2.4",
            MetadataVersion::V2_5 => "2.5",
            MetadataVersion::V2_6 => "2.6",
        }
    }
}

impl fmt::Display for MetadataVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `Metadata-Version` that is not one of the known versions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid metadata version `{}`: expected one of 1.0, 1.1, 1.2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6",
    Quoted(.given)
)]
pub struct MetadataVersionError {
    /// The text as given.
    pub given: String,
}

impl FromStr for MetadataVersion {
    type Err = MetadataVersionError;

    /// Exactly one of the known spellings, as packaging compares it (`2.1.0` and ` 2.1` are
    /// not accepted).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MetadataVersion::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| MetadataVersionError {
                given: s.to_owned(),
            })
    }
}

impl Serialize for MetadataVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MetadataVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

macro_rules! fields {
    ($($variant:ident $name:literal $added:ident $multiple:literal $doc:literal;)*) => {
        /// A core metadata field.
        ///
        /// The variants are in the order [`RawMetadata`](super::RawMetadata) writes them (the
        /// order of packaging's `Metadata` attributes).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Field {
            $(#[doc = $doc] $variant,)*
        }

        impl Field {
            /// Every field, in writing order.
            pub const ALL: &'static [Field] = &[$(Field::$variant,)*];

            /// How many fields there are.
            pub(crate) const COUNT: usize = Field::ALL.len();

            /// The field name as the specification spells it (`Home-page`, `Requires-Dist`).
            pub const fn as_str(self) -> &'static str {
                match self { $(Field::$variant => $name,)* }
            }

            /// The metadata version that introduced the field.
            pub const fn added(self) -> MetadataVersion {
                match self { $(Field::$variant => MetadataVersion::$added,)* }
            }

            /// Whether the field may appear more than once.
            pub const fn is_multiple_use(self) -> bool {
                match self { $(Field::$variant => $multiple,)* }
            }
        }
    };
}

fields! {
    MetadataVersion "Metadata-Version" V1_0 false "`Metadata-Version` (required).";
    Name "Name" V1_0 false "`Name` (required).";
    Version "Version" V1_0 false "`Version` (required).";
    Dynamic "Dynamic" V2_2 true "`Dynamic` (multiple use).";
    Platform "Platform" V1_0 true "`Platform` (multiple use).";
    SupportedPlatform "Supported-Platform" V1_1 true "`Supported-Platform` (multiple use).";
    Summary "Summary" V1_0 false "`Summary`.";
    Description "Description" V1_0 false "`Description`, or the message body.";
    DescriptionContentType "Description-Content-Type" V2_1 false "`Description-Content-Type`.";
    Keywords "Keywords" V1_0 false "`Keywords` (comma-separated).";
    HomePage "Home-page" V1_0 false "`Home-page`.";
    DownloadUrl "Download-URL" V1_1 false "`Download-URL`.";
    Author "Author" V1_0 false "`Author`.";
    AuthorEmail "Author-email" V1_0 false "`Author-email`.";
    Maintainer "Maintainer" V1_2 false "`Maintainer`.";
    MaintainerEmail "Maintainer-email" V1_2 false "`Maintainer-email`.";
    License "License" V1_0 false "`License`.";
    LicenseExpression "License-Expression" V2_4 false "`License-Expression`.";
    LicenseFile "License-File" V2_4 true "`License-File` (multiple use).";
    Classifier "Classifier" V1_1 true "`Classifier` (multiple use).";
    RequiresDist "Requires-Dist" V1_2 true "`Requires-Dist` (multiple use).";
    RequiresPython "Requires-Python" V1_2 false "`Requires-Python`.";
    RequiresExternal "Requires-External" V1_2 true "`Requires-External` (multiple use).";
    ProjectUrl "Project-URL" V1_2 true "`Project-URL` (multiple use).";
    ProvidesExtra "Provides-Extra" V2_1 true "`Provides-Extra` (multiple use).";
    ProvidesDist "Provides-Dist" V1_2 true "`Provides-Dist` (multiple use).";
    ObsoletesDist "Obsoletes-Dist" V1_2 true "`Obsoletes-Dist` (multiple use).";
    ImportName "Import-Name" V2_5 true "`Import-Name` (multiple use).";
    ImportNamespace "Import-Namespace" V2_5 true "`Import-Namespace` (multiple use).";
    Requires "Requires" V1_1 true "`Requires` (deprecated, multiple use).";
    Provides "Provides" V1_1 true "`Provides` (deprecated, multiple use).";
    Obsoletes "Obsoletes" V1_1 true "`Obsoletes` (deprecated, multiple use).";
}

impl Field {
    /// The field a header name denotes, compared case-insensitively.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::from_name_bytes(name.as_bytes())
    }

    /// [`Field::from_name`] on bytes: the name lower-cased into a buffer, then one `match`.
    pub(crate) fn from_name_bytes(name: &[u8]) -> Option<Field> {
        let mut buffer = [0_u8; 24];
        let lower = buffer.get_mut(..name.len())?;
        for (out, b) in lower.iter_mut().zip(name) {
            *out = b.to_ascii_lowercase();
        }
        Some(match &*lower {
            b"metadata-version" => Field::MetadataVersion,
            b"name" => Field::Name,
            b"version" => Field::Version,
            b"dynamic" => Field::Dynamic,
            b"platform" => Field::Platform,
            b"supported-platform" => Field::SupportedPlatform,
            b"summary" => Field::Summary,
            b"description" => Field::Description,
            b"description-content-type" => Field::DescriptionContentType,
            b"keywords" => Field::Keywords,
            b"home-page" => Field::HomePage,
            b"download-url" => Field::DownloadUrl,
            b"author" => Field::Author,
            b"author-email" => Field::AuthorEmail,
            b"maintainer" => Field::Maintainer,
            b"maintainer-email" => Field::MaintainerEmail,
            b"license" => Field::License,
            b"license-expression" => Field::LicenseExpression,
            b"license-file" => Field::LicenseFile,
            b"classifier" => Field::Classifier,
            b"requires-dist" => Field::RequiresDist,
            b"requires-python" => Field::RequiresPython,
            b"requires-external" => Field::RequiresExternal,
            b"project-url" => Field::ProjectUrl,
            b"provides-extra" => Field::ProvidesExtra,
            b"provides-dist" => Field::ProvidesDist,
            b"obsoletes-dist" => Field::ObsoletesDist,
            b"import-name" => Field::ImportName,
            b"import-namespace" => Field::ImportNamespace,
            b"requires" => Field::Requires,
            b"provides" => Field::Provides,
            b"obsoletes" => Field::Obsoletes,
            _ => return None,
        })
    }

    /// The position of the field in [`Field::ALL`].
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    /// The key of the field in the [PEP 566 JSON form](https://peps.python.org/pep-0566/#json-compatible-metadata):
    /// lower case, `-` replaced by `_`.
    pub fn json_key(self) -> String {
        json_key(self.as_str())
    }
}

/// A header name as a PEP 566 JSON key.
pub(crate) fn json_key(name: &str) -> String {
    name.to_ascii_lowercase().replace('-', "_")
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_found_by_its_name_in_any_case() {
        for (i, field) in Field::ALL.iter().enumerate() {
            assert_eq!(field.index(), i);
            assert_eq!(Field::from_name(field.as_str()), Some(*field));
            assert_eq!(
                Field::from_name(&field.as_str().to_ascii_uppercase()),
                Some(*field)
            );
            assert_eq!(Field::from_name(&format!("{field}x")), None);
        }
        assert_eq!(Field::from_name("description-content-type-x"), None);
        assert_eq!(Field::from_name(""), None);
    }

    #[test]
    fn names_and_versions() {
        assert_eq!(Field::from_name("home-PAGE"), Some(Field::HomePage));
        assert_eq!(Field::from_name("Homepage"), None);
        assert_eq!(Field::ProjectUrl.json_key(), "project_url");
        assert_eq!("2.4".parse::<MetadataVersion>(), Ok(MetadataVersion::V2_4));
        insta::assert_snapshot!("2.0".parse::<MetadataVersion>().unwrap_err(), @"invalid metadata version `2.0`: expected one of 1.0, 1.1, 1.2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6");
        assert!(MetadataVersion::V1_2 < MetadataVersion::V2_1);
    }
}
