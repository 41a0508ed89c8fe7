//! `PKG-INFO` of a source distribution, read from a reader the caller supplies.
//!
//! A [source distribution](https://packaging.python.org/en/latest/specifications/source-distribution-format/)
//! is `{name}-{version}.tar.gz` (or, before PEP 625, `.zip`) holding one top-level directory
//! `{name}-{version}/` with `PKG-INFO` in it. The `PKG-INFO` read is the one directly inside
//! the single top-level directory; nested copies (an `*.egg-info/PKG-INFO`) are not used.

use std::io::{Read, Seek};

use zip::ZipArchive;

use super::verdict::{DistCheck, Finding, Rule, Verdict, check_core_metadata};
use crate::diagnostic::Quoted;
use crate::filename::SdistFilename;

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

/// The least [`sdist_unpacked_limit`] allows: 1 GiB of decompressed bytes (tar headers and
/// padding included for `.tar.gz`, member contents for `.zip`). The largest sdists on PyPI
/// unpack to a few hundred megabytes.
pub const MIN_SDIST_UNPACKED_LIMIT: u64 = 1 << 30;

/// How many times its compressed size an sdist may inflate to, above
/// [`MIN_SDIST_UNPACKED_LIMIT`]: 100 (source code compresses 3 to 10 times; a gzip bomb
/// reaches 1000).
pub const SDIST_UNPACKED_RATIO: u64 = 100;

/// The cap on the bytes [`check_sdist`](super::check_sdist) decompresses from an sdist of
/// `compressed` bytes: `max(MIN_SDIST_UNPACKED_LIMIT, SDIST_UNPACKED_RATIO × compressed)`.
/// An sdist that inflates beyond it is refused (`too-large`), so a decompression bomb costs
/// at most that much reading.
///
/// ```
/// use pypackaging::metadata::{MIN_SDIST_UNPACKED_LIMIT, sdist_unpacked_limit};
///
/// assert_eq!(sdist_unpacked_limit(1000), MIN_SDIST_UNPACKED_LIMIT);
/// assert_eq!(sdist_unpacked_limit(20 << 20), 2000 << 20);
/// ```
pub fn sdist_unpacked_limit(compressed: u64) -> u64 {
    compressed
        .saturating_mul(SDIST_UNPACKED_RATIO)
        .max(MIN_SDIST_UNPACKED_LIMIT)
}

/// A reader that fails once more than `limit` bytes have come through it, and says so.
#[cfg(feature = "sdist")]
struct Capped<R> {
    inner: R,
    read: u64,
    limit: u64,
    exceeded: std::rc::Rc<std::cell::Cell<bool>>,
}

#[cfg(feature = "sdist")]
impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            self.exceeded.set(true);
            return Err(std::io::Error::other(
                "the decompressed size limit is exceeded",
            ));
        }
        Ok(n)
    }
}

/// What reading an sdist's members found.
struct Members {
    verdict: Verdict,
    count: usize,
    /// The first top-level `PKG-INFO`: path and bytes (`Err` when too large).
    pkg_info: Option<(String, Result<Vec<u8>, SdistError>)>,
    /// A second top-level directory with a `PKG-INFO`.
    ambiguous: Option<String>,
    limit: u64,
}

impl Members {
    fn new(limit: u64) -> Members {
        Members {
            verdict: Verdict::default(),
            count: 0,
            pkg_info: None,
            ambiguous: None,
            limit,
        }
    }

    /// Notes a member's path: unsafe paths are refused.
    fn path(&mut self, path: &str) {
        self.count += 1;
        if let Some(reason) = super::archive::unsafe_path(path) {
            self.verdict.push(
                Finding::new(
                    Rule::UnsafePath,
                    format!("unsafe path `{}` in the sdist: {reason}", Quoted(path)),
                )
                .in_file(path),
            );
        }
    }

    /// Reads a member's contents to their end, keeping them when it is the top-level
    /// `PKG-INFO`. Returns the bytes read.
    fn contents(&mut self, path: &str, mut reader: impl Read) -> std::io::Result<u64> {
        if is_top_pkg_info(path) {
            if self.pkg_info.is_none() {
                let limit = super::archive::DEFAULT_MAX_METADATA_SIZE;
                let mut data = Vec::new();
                let read = (&mut reader).take(limit + 1).read_to_end(&mut data)? as u64;
                let rest = std::io::copy(&mut reader, &mut std::io::sink())?;
                let kept = if read > limit {
                    Err(SdistError::TooLarge {
                        path: path.to_owned(),
                        limit,
                    })
                } else {
                    Ok(data)
                };
                self.pkg_info = Some((path.to_owned(), kept));
                return Ok(read + rest);
            }
            let top = |p: &str| {
                let p = p.strip_prefix("./").unwrap_or(p);
                p.split('/').next().unwrap_or_default().to_owned()
            };
            if let Some((first, _)) = &self.pkg_info
                && top(first) != top(path)
                && self.ambiguous.is_none()
            {
                self.ambiguous = Some(path.to_owned());
            }
        }
        std::io::copy(&mut reader, &mut std::io::sink())
    }

    /// Refuses a link whose target leaves the tree: `base` is the directory the target is
    /// relative to (the link's own for a symbolic link, the root for a hard link).
    fn link(&mut self, path: &str, target: &str, hard: bool) {
        let escapes = super::archive::unsafe_path(target)
            .filter(|reason| *reason != "`..` component")
            .is_some()
            || {
                let base: Vec<&str> = if hard {
                    Vec::new()
                } else {
                    let path = path.strip_prefix("./").unwrap_or(path);
                    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
                    parts.pop();
                    parts
                };
                let mut depth = base.iter().filter(|p| **p != ".").count();
                let mut out = false;
                for part in target.split(['/', '\\']) {
                    match part {
                        "" | "." => {}
                        ".." if depth == 0 => {
                            out = true;
                            break;
                        }
                        ".." => depth -= 1,
                        _ => depth += 1,
                    }
                }
                out
            };
        if escapes {
            let kind = if hard { "hard link" } else { "symbolic link" };
            self.verdict.push(
                Finding::new(
                    Rule::SdistUnsafeMember,
                    format!(
                        "{kind} `{}` points outside the archive's tree, to `{}`",
                        Quoted(path),
                        Quoted(target)
                    ),
                )
                .in_file(path),
            );
        }
    }

    /// Refuses a device or FIFO.
    #[cfg(feature = "sdist")]
    fn special(&mut self, path: &str, kind: &str) {
        self.verdict.push(
            Finding::new(
                Rule::SdistUnsafeMember,
                format!(
                    "`{}` is a {kind}, which pip refuses to extract",
                    Quoted(path)
                ),
            )
            .in_file(path),
        );
    }
}

/// Why reading the archive stopped.
enum Stop {
    Unreadable(String),
    TooLarge,
}

/// Reads every member of a `.tar.gz` sdist (all gzip members, as Python's `gzip` reads them)
/// and the stream to its end.
#[cfg(feature = "sdist")]
fn read_tar_gz(reader: impl Read, members: &mut Members) -> Result<(), Stop> {
    let exceeded = std::rc::Rc::new(std::cell::Cell::new(false));
    let capped = Capped {
        inner: flate2::read::MultiGzDecoder::new(reader),
        read: 0,
        limit: members.limit,
        exceeded: exceeded.clone(),
    };
    let stop = |e: std::io::Error| {
        if exceeded.get() {
            Stop::TooLarge
        } else {
            Stop::Unreadable(e.to_string())
        }
    };
    let mut archive = tar::Archive::new(capped);
    {
        let entries = archive.entries().map_err(stop)?;
        for entry in entries {
            let mut entry = entry.map_err(stop)?;
            let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            members.path(&path);
            let kind = entry.header().entry_type();
            if kind.is_symlink() || kind.is_hard_link() {
                let target = entry
                    .link_name_bytes()
                    .map(|t| String::from_utf8_lossy(&t).into_owned())
                    .unwrap_or_default();
                members.link(&path, &target, kind.is_hard_link());
            } else if kind.is_character_special() {
                members.special(&path, "character device");
            } else if kind.is_block_special() {
                members.special(&path, "block device");
            } else if kind.is_fifo() {
                members.special(&path, "FIFO");
            }
            let size = entry.size();
            let read = members.contents(&path, &mut entry).map_err(stop)?;
            if read != size {
                return Err(Stop::Unreadable(format!(
                    "`{}` is truncated: {read} of {size} bytes",
                    Quoted(&path)
                )));
            }
        }
    }
    // The end-of-archive blocks, the gzip trailer (its CRC and size are checked at the end
    // of each gzip member) and any further gzip member.
    std::io::copy(&mut archive.into_inner(), &mut std::io::sink()).map_err(stop)?;
    Ok(())
}

/// Reads every member of a `.zip` sdist to its end (the zip reader checks each CRC there).
fn read_zip(reader: impl Read + Seek, members: &mut Members) -> Result<(), Stop> {
    let mut zip = ZipArchive::new(reader).map_err(|e| Stop::Unreadable(e.to_string()))?;
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let member = zip
            .by_index(index)
            .map_err(|e| Stop::Unreadable(e.to_string()))?;
        let path = String::from_utf8_lossy(member.name_raw()).into_owned();
        members.path(&path);
        let symlink = member
            .unix_mode()
            .is_some_and(|mode| mode & 0o170_000 == 0o120_000);
        let left = members.limit.saturating_sub(total);
        let mut capped = member.take(left + 1);
        if symlink {
            let mut target = Vec::new();
            (&mut capped)
                .take(4096)
                .read_to_end(&mut target)
                .map_err(|e| Stop::Unreadable(e.to_string()))?;
            members.link(&path, &String::from_utf8_lossy(&target), false);
            total += target.len() as u64;
        }
        let read = members
            .contents(&path, &mut capped)
            .map_err(|e| Stop::Unreadable(format!("cannot read `{}`: {e}", Quoted(&path))))?;
        total += read;
        if total > members.limit {
            return Err(Stop::TooLarge);
        }
    }
    Ok(())
}

/// The verdict on an sdist (see [`super::check_sdist`]).
pub(crate) fn check<R: Read + Seek>(mut reader: R, filename: &SdistFilename) -> DistCheck {
    use crate::filename::SdistFormat;
    let mut verdict = Verdict::default();
    let size = reader
        .seek(std::io::SeekFrom::End(0))
        .and_then(|size| reader.seek(std::io::SeekFrom::Start(0)).map(|_| size));
    let size = match size {
        Ok(size) => size,
        Err(e) => {
            verdict.push(Finding::new(
                Rule::Unreadable,
                format!("cannot read the sdist archive: {e}"),
            ));
            return DistCheck {
                verdict,
                metadata: None,
            };
        }
    };
    let limit = sdist_unpacked_limit(size);
    let mut members = Members::new(limit);
    let read = match filename.format() {
        #[cfg(feature = "sdist")]
        SdistFormat::TarGz => read_tar_gz(reader, &mut members),
        #[cfg(not(feature = "sdist"))]
        SdistFormat::TarGz => Err(Stop::Unreadable(
            "reading `.tar.gz` sdists needs the crate's `sdist` feature".to_owned(),
        )),
        SdistFormat::Zip => read_zip(reader, &mut members),
    };
    verdict.findings.append(&mut members.verdict.findings);
    match read {
        Ok(()) if members.count == 0 => verdict.push(Finding::new(
            Rule::MissingFile,
            "the sdist archive has no members",
        )),
        Ok(()) => {}
        Err(Stop::Unreadable(message)) => verdict.push(Finding::new(
            Rule::Unreadable,
            SdistError::Archive { message }.to_string(),
        )),
        Err(Stop::TooLarge) => verdict.push(Finding::new(
            Rule::TooLarge,
            format!(
                "the sdist inflates beyond {limit} bytes ({} times its {size} bytes, at \
                 least {MIN_SDIST_UNPACKED_LIMIT})",
                SDIST_UNPACKED_RATIO
            ),
        )),
    }
    let metadata = match (members.pkg_info, members.ambiguous) {
        (Some((first, _)), Some(second)) => {
            verdict.push(
                Finding::new(
                    Rule::SdistNoPkgInfo,
                    SdistError::Ambiguous { first, second }.to_string(),
                )
                .in_file("PKG-INFO"),
            );
            None
        }
        (Some((_, Ok(bytes))), None) => Some(bytes),
        (Some((_, Err(e))), None) => {
            verdict.push(Finding::new(Rule::TooLarge, e.to_string()).in_file("PKG-INFO"));
            None
        }
        (None, _) => {
            if verdict.is_installable() {
                verdict.push(Finding::new(
                    Rule::SdistNoPkgInfo,
                    SdistError::Missing.to_string(),
                ));
            }
            None
        }
    };
    if let Some(bytes) = &metadata {
        check_core_metadata(
            bytes,
            "PKG-INFO",
            filename.name(),
            filename.version(),
            false,
            &mut verdict,
        );
    }
    DistCheck { verdict, metadata }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "sdist")]
    #[test]
    fn a_decompression_bomb_stops_at_the_cap() {
        use std::io::Write;
        // 10 MiB of zeros in one member compress to about 10 kB.
        let mut builder = tar::Builder::new(Vec::new());
        let data = vec![0u8; 10 << 20];
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, "bomb-1.0/zeros", &data[..])
            .unwrap();
        let tar = builder.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&tar).unwrap();
        let gz = gz.finish().unwrap();
        assert!(gz.len() < 100_000, "{}", gz.len());
        let mut members = Members::new(1 << 20);
        assert!(matches!(
            read_tar_gz(&gz[..], &mut members),
            Err(Stop::TooLarge)
        ));
        let mut members = Members::new(sdist_unpacked_limit(gz.len() as u64));
        assert!(read_tar_gz(&gz[..], &mut members).is_ok());
        assert_eq!(members.count, 1);
        assert_eq!(sdist_unpacked_limit(u64::MAX), u64::MAX);
    }

    #[test]
    fn top_level_pkg_info_only() {
        assert!(is_top_pkg_info("demo-1.0/PKG-INFO"));
        assert!(is_top_pkg_info("./demo-1.0/PKG-INFO"));
        assert!(!is_top_pkg_info("PKG-INFO"));
        assert!(!is_top_pkg_info("demo-1.0/demo.egg-info/PKG-INFO"));
        assert!(!is_top_pkg_info("/PKG-INFO"));
    }
}
