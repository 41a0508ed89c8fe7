//! Source distribution filenames: `{name}-{version}.tar.gz` (and legacy `.zip`).

use std::fmt;
use std::str::FromStr;

use crate::PackageName;
use crate::diagnostic::Quoted;
use crate::version::{Version, VersionParseError};

use super::wheel::check_version;
use super::{NonCanonical, ParseMode, underscored};

/// The archive format of a source distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SdistFormat {
    /// `.tar.gz`, the only format [PEP 625](https://peps.python.org/pep-0625/) allows.
    TarGz,
    /// `.zip`, legacy, still accepted by pip and packaging.
    Zip,
}

impl SdistFormat {
    /// The extension, without the leading dot: `tar.gz` or `zip`.
    pub fn as_str(self) -> &'static str {
        match self {
            SdistFormat::TarGz => "tar.gz",
            SdistFormat::Zip => "zip",
        }
    }
}

/// A parsed source distribution filename
/// ([source distribution format](https://packaging.python.org/en/latest/specifications/source-distribution-format/#source-distribution-file-name),
/// [PEP 625](https://peps.python.org/pep-0625/)).
///
/// # Syntax
///
/// ```text
/// {name}-{version}.tar.gz      {name}-{version}.zip (legacy)
/// ```
///
/// The version is what follows the last `-` (a PEP 440 version holds no `-`), so legacy names
/// with hyphens (`python-dateutil-2.8.2.tar.gz`) parse.
///
/// # Agreement with pypa/packaging
///
/// [`ParseMode::Lenient`] accepts what `packaging.utils.parse_sdist_filename` (26.3) accepts,
/// except names that are not valid project names (`foo bar-1.0.tar.gz`, `dir/foo-1.0.tar.gz`),
/// which packaging normalizes without validating: this crate refuses them rather than invent a
/// project. [`ParseMode::Strict`] also requires PEP 625's spelling: normalized name with `_`
/// (so a single `-`), normalized version, `.tar.gz`.
///
/// # Examples
///
/// ```
/// use pypackaging::filename::{SdistFilename, SdistFormat};
///
/// let sdist: SdistFilename = "python-dateutil-2.8.2.tar.gz".parse()?;
/// assert_eq!(sdist.name().as_str(), "python-dateutil");
/// assert_eq!(sdist.format(), SdistFormat::TarGz);
/// assert_eq!(sdist.to_string(), "python_dateutil-2.8.2.tar.gz");
/// # Ok::<(), pypackaging::filename::SdistFilenameError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SdistFilename {
    name: PackageName,
    version: Version,
    format: SdistFormat,
}

/// Why a string is not a source distribution filename.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SdistFilenameError {
    /// Neither `.tar.gz` nor `.zip`.
    #[error("invalid sdist filename `{}`: it must end with `.tar.gz` or `.zip`", Quoted(.filename))]
    Extension {
        /// The filename as given.
        filename: String,
    },
    /// No `-` between name and version.
    #[error("invalid sdist filename `{}`: expected `name-version`, found no `-`", Quoted(.filename))]
    MissingVersion {
        /// The filename as given.
        filename: String,
    },
    /// The name part is not a valid project name.
    #[error("invalid sdist filename `{}`: invalid name `{}`: {reason}", Quoted(.filename), Quoted(.name))]
    Name {
        /// The filename as given.
        filename: String,
        /// The name part.
        name: String,
        /// Why it is invalid.
        reason: String,
    },
    /// The version part is not a PEP 440 version.
    #[error("invalid sdist filename `{}`: invalid version `{}`: {source}", Quoted(.filename), Quoted(.version))]
    Version {
        /// The filename as given.
        filename: String,
        /// The version part.
        version: String,
        /// The version parser's error.
        source: VersionParseError,
    },
    /// Strict mode: valid, but not written canonically.
    #[error("sdist filename `{}` is not canonical: {reason}", Quoted(.filename))]
    NotCanonical {
        /// The filename as given.
        filename: String,
        /// The first reason.
        reason: NonCanonical,
    },
}

impl SdistFilename {
    /// An sdist filename from its parts; `Display` writes the canonical spelling.
    pub fn new(name: PackageName, version: Version, format: SdistFormat) -> SdistFilename {
        SdistFilename {
            name,
            version,
            format,
        }
    }

    /// Parses leniently; an alias of [`FromStr`].
    ///
    /// # Errors
    ///
    /// Another extension (`foo-1.0.tar.bz2`), no `-` (`foo.tar.gz`), an invalid name
    /// (`-1.0.tar.gz`) or version (`foo-bar.tar.gz`).
    pub fn parse(filename: &str) -> Result<SdistFilename, SdistFilenameError> {
        Self::parse_impl(filename, false).map(|(parsed, _)| parsed)
    }

    /// Parses in the given mode.
    pub fn parse_with(
        filename: &str,
        mode: ParseMode,
    ) -> Result<SdistFilename, SdistFilenameError> {
        let (sdist, reasons) = Self::parse_impl(filename, mode == ParseMode::Strict)?;
        match (mode, reasons.into_iter().next()) {
            (ParseMode::Strict, Some(reason)) => Err(SdistFilenameError::NotCanonical {
                filename: filename.to_owned(),
                reason,
            }),
            _ => Ok(sdist),
        }
    }

    /// Parses leniently and lists how `filename` differs from the canonical spelling.
    pub fn parse_diagnosed(
        filename: &str,
    ) -> Result<(SdistFilename, Vec<NonCanonical>), SdistFilenameError> {
        Self::parse_impl(filename, true)
    }

    /// The parser; `diagnose` also collects the [`NonCanonical`] reasons (which costs a few
    /// allocations, so plain parsing skips it).
    fn parse_impl(
        filename: &str,
        diagnose: bool,
    ) -> Result<(SdistFilename, Vec<NonCanonical>), SdistFilenameError> {
        let owned = || filename.to_owned();
        let (stem, format) = if let Some(stem) = filename.strip_suffix(".tar.gz") {
            (stem, SdistFormat::TarGz)
        } else if let Some(stem) = filename.strip_suffix(".zip") {
            (stem, SdistFormat::Zip)
        } else {
            return Err(SdistFilenameError::Extension { filename: owned() });
        };
        let Some((name_part, version_part)) = stem.rsplit_once('-') else {
            return Err(SdistFilenameError::MissingVersion { filename: owned() });
        };
        let name = PackageName::new(name_part).map_err(|e| SdistFilenameError::Name {
            filename: owned(),
            name: name_part.to_owned(),
            reason: e.to_string(),
        })?;
        let version: Version =
            version_part
                .parse()
                .map_err(|source| SdistFilenameError::Version {
                    filename: owned(),
                    version: version_part.to_owned(),
                    source,
                })?;
        let mut reasons = Vec::new();
        if diagnose && name_part != underscored(&name) {
            reasons.push(NonCanonical::Name {
                given: name_part.to_owned(),
                canonical: underscored(&name).into_owned(),
            });
        }
        if diagnose {
            check_version(version_part, &version, &mut reasons);
        }
        if diagnose && format == SdistFormat::Zip {
            reasons.push(NonCanonical::LegacyFormat);
        }
        Ok((
            SdistFilename {
                name,
                version,
                format,
            },
            reasons,
        ))
    }

    /// The project name, normalized.
    pub fn name(&self) -> &PackageName {
        &self.name
    }

    /// The version.
    pub fn version(&self) -> &Version {
        &self.version
    }

    /// The archive format.
    pub fn format(&self) -> SdistFormat {
        self.format
    }
}

impl FromStr for SdistFilename {
    type Err = SdistFilenameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SdistFilename::parse(s)
    }
}

impl fmt::Display for SdistFilename {
    /// The canonical spelling (for the same format).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}.{}",
            underscored(&self.name),
            self.version,
            self.format.as_str()
        )
    }
}

impl serde::Serialize for SdistFilename {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for SdistFilename {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors() {
        let err = |t: &str| SdistFilename::parse(t).unwrap_err().to_string();
        insta::assert_snapshot!(err("foo-1.0.tar.bz2"), @"invalid sdist filename `foo-1.0.tar.bz2`: it must end with `.tar.gz` or `.zip`");
        insta::assert_snapshot!(err("foo.tar.gz"), @"invalid sdist filename `foo.tar.gz`: expected `name-version`, found no `-`");
        insta::assert_snapshot!(err("-1.0.tar.gz"), @"invalid sdist filename `-1.0.tar.gz`: invalid name ``: invalid project name ``: a name must not be empty");
        insta::assert_snapshot!(err("foo-bar.tar.gz"), @"invalid sdist filename `foo-bar.tar.gz`: invalid version `bar`: expected version to start with a number, but no leading ASCII digits were found");
    }

    #[test]
    fn strict() {
        insta::assert_snapshot!(
            SdistFilename::parse_with("Foo-Bar-1.0.zip", ParseMode::Strict).unwrap_err(),
            @"sdist filename `Foo-Bar-1.0.zip` is not canonical: the name is `Foo-Bar`, its canonical spelling is `foo_bar`"
        );
        let (_, reasons) = SdistFilename::parse_diagnosed("foo-1.0.zip").unwrap();
        assert_eq!(reasons, [NonCanonical::LegacyFormat]);
        assert!(SdistFilename::parse_with("foo_bar-1.0.tar.gz", ParseMode::Strict).is_ok());
    }
}
