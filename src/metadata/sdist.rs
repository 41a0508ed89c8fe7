//! `PKG-INFO` of a source distribution, read from a reader the caller supplies.
//!
//! A [source distribution](https://packaging.python.org/en/latest/specifications/source-distribution-format/)
//! is `{name}-{version}.tar.gz` (or, before PEP 625, `.zip`) holding one top-level directory
//! `{name}-{version}/` with `PKG-INFO` in it. The `PKG-INFO` read is the one directly inside
//! the single top-level directory; nested copies (an `*.egg-info/PKG-INFO`) are not used.

use std::io::{Read, Seek};

use zip::ZipArchive;

use super::core::RawMetadata;
use super::field::Field;
use super::verdict::{DistCheck, Finding, Rule, Verdict};
use crate::diagnostic::Quoted;
use crate::filename::SdistFilename;
use crate::name::normalize;
use crate::version::Version;

/// Why `PKG-INFO` could not be read from an sdist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SdistError {
    /// The archive could not be read.
    #[error("cannot read the sdist archive: {message}")]
    Archive {
        /// The archive reader's message.
        message: String,
    },
    /// No `{top}/PKG-INFO` member.
    #[error("the sdist has no `PKG-INFO` in its top-level directory")]
    Missing,
    /// More than one top-level directory holds a `PKG-INFO`.
    #[error("the sdist has `PKG-INFO` in more than one top-level directory: `{}` and `{}`", Quoted(.first), Quoted(.second))]
    Ambiguous {
        /// The first path.
        first: String,
        /// The second path.
        second: String,
    },
    /// `PKG-INFO` is larger than the cap.
    #[error("`{}` is larger than the {limit}-byte limit", Quoted(.path))]
    TooLarge {
        /// The path.
        path: String,
        /// The cap.
        limit: u64,
    },
}

/// Whether `path` is `{top}/PKG-INFO` (one directory deep, optionally `./`-prefixed).
fn is_top_pkg_info(path: &str) -> bool {
    let path = path.strip_prefix("./").unwrap_or(path);
    path.split_once('/')
        .is_some_and(|(top, rest)| !top.is_empty() && rest == "PKG-INFO")
}

fn read_capped(reader: impl Read, path: &str, limit: u64) -> Result<Vec<u8>, SdistError> {
    let mut data = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| SdistError::Archive {
            message: e.to_string(),
        })?;
    if data.len() as u64 > limit {
        return Err(SdistError::TooLarge {
            path: path.to_owned(),
            limit,
        });
    }
    Ok(data)
}

/// Reads `PKG-INFO` from a `.zip` sdist, decompressing nothing else and at most `limit` bytes
/// of it.
///
/// # Errors
///
/// The reader is not a zip archive, has no or several top-level `PKG-INFO`, or it is larger
/// than `limit`.
pub fn sdist_pkg_info_zip<R: Read + Seek>(reader: R, limit: u64) -> Result<Vec<u8>, SdistError> {
    let archive_error = |e: zip::result::ZipError| SdistError::Archive {
        message: e.to_string(),
    };
    let mut zip = ZipArchive::new(reader).map_err(archive_error)?;
    let mut found: Option<(usize, String)> = None;
    for index in 0..zip.len() {
        let Some(Ok(name)) = zip.name_for_index(index) else {
            continue;
        };
        if is_top_pkg_info(&name) {
            if let Some((_, first)) = &found {
                return Err(SdistError::Ambiguous {
                    first: first.clone(),
                    second: name.into_owned(),
                });
            }
            found = Some((index, name.into_owned()));
        }
    }
    let (index, path) = found.ok_or(SdistError::Missing)?;
    let member = zip.by_index(index).map_err(archive_error)?;
    if member.size() > limit {
        return Err(SdistError::TooLarge { path, limit });
    }
    read_capped(member, &path, limit)
}

/// Reads `PKG-INFO` from a `.tar.gz` sdist, streaming the archive up to the first top-level
/// `PKG-INFO` (so no seeking is needed) and reading at most `limit` bytes of it.
///
/// # Errors
///
/// The stream is not a gzip-compressed tar archive, has no top-level `PKG-INFO`, or it is
/// larger than `limit`.
#[cfg(feature = "sdist")]
#[cfg_attr(docsrs, doc(cfg(feature = "sdist")))]
pub fn sdist_pkg_info_tar_gz<R: Read>(reader: R, limit: u64) -> Result<Vec<u8>, SdistError> {
    let archive_error = |e: std::io::Error| SdistError::Archive {
        message: e.to_string(),
    };
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(reader));
    for entry in archive.entries().map_err(archive_error)? {
        let entry = entry.map_err(archive_error)?;
        let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if is_top_pkg_info(&path) && entry.header().entry_type().is_file() {
            if entry.size() > limit {
                return Err(SdistError::TooLarge { path, limit });
            }
            return read_capped(entry, &path, limit);
        }
    }
    Err(SdistError::Missing)
}

/// The verdict on an sdist (see [`super::check_sdist`]): the archive must open, and
/// `PKG-INFO`, when present, must name the filename's project and version.
pub(crate) fn check<R: Read + Seek>(reader: R, filename: &SdistFilename) -> DistCheck {
    use crate::filename::SdistFormat;
    let limit = super::archive::DEFAULT_MAX_METADATA_SIZE;
    let read = match filename.format() {
        #[cfg(feature = "sdist")]
        SdistFormat::TarGz => sdist_pkg_info_tar_gz(reader, limit),
        #[cfg(not(feature = "sdist"))]
        SdistFormat::TarGz => Err(SdistError::Archive {
            message: "reading `.tar.gz` sdists needs the crate's `sdist` feature".to_owned(),
        }),
        _ => sdist_pkg_info_zip(reader, limit),
    };
    let mut verdict = Verdict::default();
    let metadata = match read {
        Ok(bytes) => Some(bytes),
        Err(SdistError::Missing) => {
            verdict.push(Finding::new(
                Rule::SdistNoPkgInfo,
                SdistError::Missing.to_string(),
            ));
            None
        }
        Err(e @ SdistError::TooLarge { .. }) => {
            verdict.push(Finding::new(Rule::TooLarge, e.to_string()));
            None
        }
        Err(e) => {
            verdict.push(Finding::new(Rule::Unreadable, e.to_string()));
            None
        }
    };
    if let Some(bytes) = &metadata {
        let raw = RawMetadata::parse(bytes);
        let name = raw.get(Field::Name).unwrap_or_default();
        if normalize(name) != filename.name().as_str() {
            verdict.push(
                Finding::new(
                    Rule::NameVersionMismatch,
                    format!(
                        "`PKG-INFO` name `{}` is not `{}`",
                        Quoted(name),
                        filename.name()
                    ),
                )
                .in_file("PKG-INFO")
                .for_field("Name"),
            );
        }
        let version = raw.get(Field::Version).unwrap_or_default();
        if version.parse::<Version>().ok().as_ref() != Some(filename.version()) {
            verdict.push(
                Finding::new(
                    Rule::NameVersionMismatch,
                    format!(
                        "`PKG-INFO` version `{}` is not {}",
                        Quoted(version),
                        filename.version()
                    ),
                )
                .in_file("PKG-INFO")
                .for_field("Version"),
            );
        }
    }
    DistCheck { verdict, metadata }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_pkg_info_only() {
        assert!(is_top_pkg_info("demo-1.0/PKG-INFO"));
        assert!(is_top_pkg_info("./demo-1.0/PKG-INFO"));
        assert!(!is_top_pkg_info("PKG-INFO"));
        assert!(!is_top_pkg_info("demo-1.0/demo.egg-info/PKG-INFO"));
        assert!(!is_top_pkg_info("/PKG-INFO"));
    }
}
