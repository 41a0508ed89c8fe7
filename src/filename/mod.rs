//! Distribution filenames: wheels ([`WheelFilename`], PEP 427) and source distributions
//! ([`SdistFilename`], PEP 625), and [`DistFilename`] for any file an index lists, given as a
//! bare name, a path or a URL.
//!
//! # Two modes
//!
//! - [`ParseMode::Lenient`]: what installers accept today (upper case, dots and hyphens in
//!   names, non-normalized versions, unsorted tag sets, `.zip` sdists). The default.
//! - [`ParseMode::Strict`]: what the specifications say a tool must write. Each type's
//!   `parse_diagnosed` lists every [`NonCanonical`] reason, and `Display` writes the canonical
//!   spelling, so the types double as filename builders.
//!
//! # Other extensions
//!
//! An index may list eggs, Windows installers and old sdist archives. [`DistFilename`]
//! recognises them ([`OtherKind`]) rather than mistaking `foo-1.0.tar.bz2` for anything else;
//! installers ignore them, and so does [`crate::select`].
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::PackageName;
use crate::diagnostic::Quoted;

mod sdist;
mod wheel;

pub use sdist::{SdistFilename, SdistFilenameError, SdistFormat};
pub use wheel::{BuildTag, WheelFilename, WheelFilenameError};

/// How strictly to parse a filename.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ParseMode {
    /// Accept what pip and packaging accept.
    #[default]
    Lenient,
    /// Also require the canonical spelling a tool must write.
    Strict,
}

/// One way in which a valid filename is not written canonically.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum NonCanonical {
    /// The name is not normalized with `_` (`Foo.Bar` for `foo_bar`).
    #[error("the name is `{}`, its canonical spelling is `{canonical}`", Quoted(.given))]
    Name {
        /// As written.
        given: String,
        /// As it should be.
        canonical: String,
    },
    /// The version is not normalized (`1.0.0RC1` for `1.0.0rc1`).
    #[error("the version is `{}`, its canonical spelling is `{canonical}`", Quoted(.given))]
    Version {
        /// As written.
        given: String,
        /// As it should be.
        canonical: String,
    },
    /// The build number has leading zeros.
    #[error("the build tag is `{}`, its canonical spelling is `{canonical}`", Quoted(.given))]
    Build {
        /// As written.
        given: String,
        /// As it should be.
        canonical: String,
    },
    /// The tag set is not lower-case, sorted and duplicate-free.
    #[error("the tags are `{}`, their canonical spelling is `{canonical}`", Quoted(.given))]
    Tags {
        /// As written.
        given: String,
        /// As it should be.
        canonical: String,
    },
    /// A `.zip` source distribution (PEP 625 allows only `.tar.gz`).
    #[error("`.zip` source distributions are legacy; PEP 625 requires `.tar.gz`")]
    LegacyFormat,
}

/// The name as written in filenames: normalized, `-` replaced by `_`.
pub(crate) fn underscored(name: &PackageName) -> Cow<'_, str> {
    name.as_underscored()
}

/// A kind of file an index may list that is neither a wheel nor a PEP 625 sdist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum OtherKind {
    /// `.egg`: a setuptools egg.
    Egg,
    /// `.exe`: a Windows installer (bdist_wininst).
    Exe,
    /// `.msi`: a Windows installer (bdist_msi).
    Msi,
    /// `.rpm`: bdist_rpm.
    Rpm,
    /// `.dmg`: a macOS disk image.
    Dmg,
    /// `.tar.bz2`: an old sdist archive.
    TarBz2,
    /// `.tar.xz`: an old sdist archive.
    TarXz,
    /// `.tgz`: an old sdist archive.
    Tgz,
    /// `.tar`: an old sdist archive.
    Tar,
    /// `.tar.Z`: an old sdist archive.
    TarZ,
}

impl OtherKind {
    /// Extensions, longest first so that `.tar.bz2` wins over `.tar`.
    const ALL: [(OtherKind, &'static str); 10] = [
        (OtherKind::TarBz2, ".tar.bz2"),
        (OtherKind::TarXz, ".tar.xz"),
        (OtherKind::TarZ, ".tar.Z"),
        (OtherKind::Egg, ".egg"),
        (OtherKind::Exe, ".exe"),
        (OtherKind::Msi, ".msi"),
        (OtherKind::Rpm, ".rpm"),
        (OtherKind::Dmg, ".dmg"),
        (OtherKind::Tgz, ".tgz"),
        (OtherKind::Tar, ".tar"),
    ];

    /// The extension, with its leading dot.
    pub fn extension(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(kind, _)| *kind == self)
            .map_or("", |(_, ext)| ext)
    }
}

/// A file of another kind, kept as its filename.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OtherFilename {
    kind: OtherKind,
    filename: Box<str>,
}

impl OtherFilename {
    /// The kind of file.
    pub fn kind(&self) -> OtherKind {
        self.kind
    }

    /// The filename as given.
    pub fn as_str(&self) -> &str {
        &self.filename
    }
}

/// Any distribution file an index may list.
///
/// # Examples
///
/// ```
/// use pypackaging::filename::{DistFilename, OtherKind};
///
/// let file = DistFilename::from_url(
///     "https://files.example/packages/ab/numpy-2.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl#sha256=00",
/// )?;
/// assert!(matches!(file, DistFilename::Wheel(_)));
/// let egg = DistFilename::parse("setuptools-0.6c11-py2.7.egg")?;
/// assert!(matches!(egg, DistFilename::Other(o) if o.kind() == OtherKind::Egg));
/// # Ok::<(), pypackaging::filename::DistFilenameError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DistFilename {
    /// A wheel.
    Wheel(WheelFilename),
    /// A `.tar.gz` or `.zip` source distribution.
    Sdist(SdistFilename),
    /// Another kind of file.
    Other(OtherFilename),
}

/// Why a filename, path or URL does not name a distribution file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DistFilenameError {
    /// A `.whl` that is not a valid wheel filename.
    #[error(transparent)]
    Wheel(#[from] WheelFilenameError),
    /// A `.tar.gz` or `.zip` that is not a valid sdist filename.
    #[error(transparent)]
    Sdist(#[from] SdistFilenameError),
    /// An extension no index serves.
    #[error("unknown distribution file `{}`: expected `.whl`, `.tar.gz`, `.zip` or a legacy format (`.egg`, `.exe`, `.tar.bz2`, ...)", Quoted(.filename))]
    UnknownExtension {
        /// The filename.
        filename: String,
    },
    /// Percent-decoding the URL's last segment did not give UTF-8.
    #[error("invalid URL `{}`: its filename is not UTF-8 once percent-decoded", Quoted(.url))]
    NotUtf8 {
        /// The URL.
        url: String,
    },
}

impl DistFilename {
    /// Parses a bare filename by its extension, leniently.
    ///
    /// # Errors
    ///
    /// A `.whl`, `.tar.gz` or `.zip` that does not parse, or an unknown extension.
    pub fn parse(filename: &str) -> Result<DistFilename, DistFilenameError> {
        Self::parse_with(filename, ParseMode::Lenient)
    }

    /// Parses a bare filename in the given mode.
    pub fn parse_with(filename: &str, mode: ParseMode) -> Result<DistFilename, DistFilenameError> {
        if filename.ends_with(".whl") {
            return Ok(DistFilename::Wheel(WheelFilename::parse_with(
                filename, mode,
            )?));
        }
        if filename.ends_with(".tar.gz") || filename.ends_with(".zip") {
            return Ok(DistFilename::Sdist(SdistFilename::parse_with(
                filename, mode,
            )?));
        }
        OtherKind::ALL
            .iter()
            .find(|(_, ext)| filename.len() > ext.len() && filename.ends_with(ext))
            .map(|(kind, _)| {
                DistFilename::Other(OtherFilename {
                    kind: *kind,
                    filename: filename.into(),
                })
            })
            .ok_or_else(|| DistFilenameError::UnknownExtension {
                filename: filename.to_owned(),
            })
    }

    /// Parses the last component of a path (`/` or `\` separated).
    pub fn from_path(path: &str) -> Result<DistFilename, DistFilenameError> {
        Self::parse(file_name(path))
    }

    /// Parses the last path segment of a URL: query and fragment removed, percent-decoded.
    pub fn from_url(url: &str) -> Result<DistFilename, DistFilenameError> {
        let filename = url_filename(url).ok_or_else(|| DistFilenameError::NotUtf8 {
            url: url.to_owned(),
        })?;
        Self::parse(&filename)
    }

    /// The project name, for wheels and sdists.
    pub fn name(&self) -> Option<&PackageName> {
        match self {
            DistFilename::Wheel(w) => Some(w.name()),
            DistFilename::Sdist(s) => Some(s.name()),
            DistFilename::Other(_) => None,
        }
    }

    /// The version, for wheels and sdists.
    pub fn version(&self) -> Option<&crate::Version> {
        match self {
            DistFilename::Wheel(w) => Some(w.version()),
            DistFilename::Sdist(s) => Some(s.version()),
            DistFilename::Other(_) => None,
        }
    }
}

impl FromStr for DistFilename {
    type Err = DistFilenameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DistFilename::parse(s)
    }
}

impl fmt::Display for DistFilename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DistFilename::Wheel(w) => w.fmt(f),
            DistFilename::Sdist(s) => s.fmt(f),
            DistFilename::Other(o) => f.write_str(&o.filename),
        }
    }
}

/// The last `/`- or `\`-separated component of a path.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The last path segment of a URL, without query and fragment, percent-decoded; `None` when the
/// decoded bytes are not UTF-8.
pub(crate) fn url_filename(url: &str) -> Option<Cow<'_, str>> {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let path = &url[..end];
    let segment = path.rsplit('/').next().unwrap_or(path);
    percent_decode(segment)
}

fn percent_decode(text: &str) -> Option<Cow<'_, str>> {
    if !text.contains('%') {
        return Some(Cow::Borrowed(text));
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths() {
        assert_eq!(
            url_filename("https://x/a/foo%2Bbar-1.0%2Blocal.tar.gz?x=1#sha256=ab").unwrap(),
            "foo+bar-1.0+local.tar.gz"
        );
        assert_eq!(url_filename("https://x/a/b%zz.whl").unwrap(), "b%zz.whl");
        assert!(url_filename("https://x/%ff.whl").is_none());
        assert_eq!(file_name(r"C:\dist\foo-1.0.tar.gz"), "foo-1.0.tar.gz");
        let sdist = DistFilename::from_url("https://x/p/foo-1.0%2Blocal.tar.gz#md5=0").unwrap();
        assert_eq!(sdist.to_string(), "foo-1.0+local.tar.gz");
    }

    #[test]
    fn other_kinds() {
        for (name, kind) in [
            ("foo-1.0.tar.bz2", OtherKind::TarBz2),
            ("foo-1.0.tgz", OtherKind::Tgz),
            ("foo-1.0.win32.exe", OtherKind::Exe),
            ("foo-1.0-py2.7.egg", OtherKind::Egg),
            ("foo-1.0.tar", OtherKind::Tar),
        ] {
            match DistFilename::parse(name).unwrap() {
                DistFilename::Other(o) => {
                    assert_eq!(o.kind(), kind);
                    assert!(name.ends_with(o.kind().extension()));
                    assert_eq!(o.as_str(), name);
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        insta::assert_snapshot!(
            DistFilename::parse("foo-1.0.txt").unwrap_err(),
            @"unknown distribution file `foo-1.0.txt`: expected `.whl`, `.tar.gz`, `.zip` or a legacy format (`.egg`, `.exe`, `.tar.bz2`, ...)"
        );
    }
}
