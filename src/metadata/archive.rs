//! Reading and verifying a wheel archive from a reader the caller supplies.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{Read, Seek};

use zip::ZipArchive;

use super::core::RawMetadata;
use super::record::{Record, RecordError, is_record_file};
use super::wheel::{WheelInfo, WheelInfoError};
use crate::diagnostic::Quoted;
use crate::filename::WheelFilename;
use crate::hash::{Digest, Hasher};
use crate::name::{PackageName, normalize};
use crate::version::Version;

/// The default cap on `METADATA`, `WHEEL` and `RECORD`: 16 MiB, far above any real file
/// (the largest METADATA on PyPI are a few hundred kilobytes of description).
pub const DEFAULT_MAX_METADATA_SIZE: u64 = 16 * 1024 * 1024;

/// A wheel opened for reading: its central directory is read, its `.dist-info` directory
/// located; no member is decompressed until asked for.
///
/// The `.dist-info` directory is found as pip finds it: the one top-level directory whose name
/// ends in `.dist-info` (none, or more than one, is an error), which must be
/// `{name}-{version}.dist-info` for the project name and version the wheel's filename gives,
/// compared normalized (PEP 503 names, PEP 440 versions), so `Foo_Bar-1.0.dist-info` matches
/// `foo-bar` 1.0.
///
/// # Examples
///
/// ```no_run
/// use pypackaging::metadata::WheelArchive;
///
/// let file = std::fs::File::open("demo-1.0-py3-none-any.whl")?;
/// let mut wheel = WheelArchive::new(file, &"demo".parse()?, &"1.0".parse()?)?;
/// let metadata = wheel.metadata()?;
/// let report = wheel.verify(&["py3-none-any".to_owned()], None);
/// assert!(report.problems.is_empty(), "{report}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct WheelArchive<R> {
    zip: ZipArchive<R>,
    dist_info: String,
    name: PackageName,
    version: Version,
    max_metadata_size: u64,
}

impl<R: Read + Seek> fmt::Debug for WheelArchive<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WheelArchive")
            .field("dist_info", &self.dist_info)
            .field("members", &self.zip.len())
            .finish_non_exhaustive()
    }
}

/// Why a wheel could not be opened or one of its files read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WheelError {
    /// The archive is not a readable zip file.
    #[error("not a valid zip archive: {message}")]
    Zip {
        /// The zip reader's message.
        message: String,
    },
    /// No top-level `.dist-info` directory.
    #[error("the wheel has no `.dist-info` directory")]
    NoDistInfo,
    /// More than one top-level `.dist-info` directory.
    #[error("the wheel has more than one `.dist-info` directory: {}", .found.join(", "))]
    MultipleDistInfo {
        /// The directories.
        found: Vec<String>,
    },
    /// The `.dist-info` directory is not named for the expected project and version.
    #[error("`.dist-info` directory `{}` does not match `{name}` {version}", Quoted(.found))]
    DistInfoMismatch {
        /// The directory.
        found: String,
        /// The expected project.
        name: PackageName,
        /// The expected version.
        version: Version,
    },
    /// A `.dist-info` file is missing.
    #[error("`{}` is missing", Quoted(.path))]
    Missing {
        /// The path.
        path: String,
    },
    /// A `.dist-info` file is larger than the cap.
    #[error("`{}` is larger than the {limit}-byte limit (it claims {claimed} bytes)", Quoted(.path))]
    TooLarge {
        /// The path.
        path: String,
        /// The size the archive declares (or the bytes read before stopping).
        claimed: u64,
        /// The cap.
        limit: u64,
    },
    /// A member could not be decompressed.
    #[error("cannot read `{}`: {message}", Quoted(.path))]
    Read {
        /// The path.
        path: String,
        /// The zip reader's message.
        message: String,
    },
    /// `WHEEL` is not valid.
    #[error(transparent)]
    Wheel(#[from] WheelInfoError),
    /// `RECORD` is not valid.
    #[error(transparent)]
    Record(#[from] RecordError),
}

/// Whether the `.dist-info` directory name `dir` is `{name}-{version}.dist-info`.
fn dist_info_matches(dir: &str, name: &PackageName, version: &Version) -> bool {
    let Some(stem) = dir.strip_suffix(".dist-info") else {
        return false;
    };
    let Some((n, v)) = stem.rsplit_once('-') else {
        return false;
    };
    normalize(n) == name.as_str() && crate::version::parse_version(v).is_ok_and(|v| &v == version)
}

/// Why a member path is unsafe to extract, if it is.
pub(crate) fn unsafe_path(path: &str) -> Option<&'static str> {
    let bytes = path.as_bytes();
    if path.starts_with('/') || path.starts_with('\\') {
        Some("absolute path")
    } else if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        Some("drive letter")
    } else if path.split(['/', '\\']).any(|c| c == "..") {
        Some("`..` component")
    } else if path.contains('\0') {
        Some("NUL character")
    } else {
        None
    }
}

impl<R: Read + Seek> WheelArchive<R> {
    /// Opens a wheel for its parsed filename: [`new`](Self::new) with the filename's name and
    /// version.
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new).
    pub fn for_filename(reader: R, filename: &WheelFilename) -> Result<Self, WheelError> {
        Self::new(reader, filename.name(), filename.version())
    }

    /// [`verify`](Self::verify) against what the filename says: every tag its compressed tag
    /// set expands to, and its build tag.
    pub fn verify_filename(&mut self, filename: &WheelFilename) -> Verification {
        let tags: Vec<String> = filename.expanded_tags().map(|t| t.to_string()).collect();
        let build = filename.build().map(ToString::to_string);
        self.verify(&tags, build.as_deref())
    }

    /// Opens a wheel: reads the zip central directory and locates the `.dist-info` directory
    /// for the project `name` at `version` (from the wheel's filename).
    ///
    /// # Errors
    ///
    /// The reader is not a zip archive, or has no, several, or a mismatched `.dist-info`
    /// directory.
    pub fn new(reader: R, name: &PackageName, version: &Version) -> Result<Self, WheelError> {
        Self::open(reader, name, version, None)
    }

    /// [`new`](Self::new) as installer opens a wheel: a `.dist-info` directory named for the
    /// project but another version is accepted, and the mismatch returned beside the archive
    /// (pip only checks that the directory's name starts with the project's; installer
    /// compares the name only).
    pub(crate) fn new_by_name(
        reader: R,
        filename: &WheelFilename,
    ) -> Result<(Self, Option<WheelError>), WheelError> {
        let mut mismatch = None;
        let archive = Self::open(
            reader,
            filename.name(),
            filename.version(),
            Some(&mut mismatch),
        )?;
        Ok((archive, mismatch))
    }

    /// Opens the archive; with `version_mismatch`, a directory of the right name and another
    /// version is accepted and the mismatch stored there.
    fn open(
        reader: R,
        name: &PackageName,
        version: &Version,
        version_mismatch: Option<&mut Option<WheelError>>,
    ) -> Result<Self, WheelError> {
        let zip = ZipArchive::new(reader).map_err(|e| WheelError::Zip {
            message: e.to_string(),
        })?;
        let mut found: Vec<String> = Vec::new();
        for raw in zip.file_names_raw() {
            let name = String::from_utf8_lossy(raw);
            if let Some((top, _)) = name.split_once('/')
                && top.ends_with(".dist-info")
                && !found.iter().any(|f| f == top)
            {
                found.push(top.to_owned());
            }
        }
        found.sort();
        let dist_info = match found.len() {
            0 => return Err(WheelError::NoDistInfo),
            1 => found.remove(0),
            _ => return Err(WheelError::MultipleDistInfo { found }),
        };
        if !dist_info_matches(&dist_info, name, version) {
            let mismatch = WheelError::DistInfoMismatch {
                found: dist_info.clone(),
                name: name.clone(),
                version: version.clone(),
            };
            let name_matches = dist_info
                .strip_suffix(".dist-info")
                .and_then(|stem| stem.rsplit_once('-'))
                .is_some_and(|(n, _)| normalize(n) == name.as_str());
            if !(version_mismatch.is_some() && name_matches) {
                return Err(mismatch);
            }
            if let Some(slot) = version_mismatch {
                *slot = Some(mismatch);
            }
        }
        Ok(WheelArchive {
            zip,
            dist_info,
            name: name.clone(),
            version: version.clone(),
            max_metadata_size: DEFAULT_MAX_METADATA_SIZE,
        })
    }

    /// Sets the cap on the size of `METADATA`, `WHEEL` and `RECORD` (default
    /// [`DEFAULT_MAX_METADATA_SIZE`]).
    #[must_use]
    pub fn with_max_metadata_size(mut self, limit: u64) -> Self {
        self.max_metadata_size = limit;
        self
    }

    /// The `.dist-info` directory, as named in the archive (`Demo_Pkg-1.0.dist-info`).
    pub fn dist_info(&self) -> &str {
        &self.dist_info
    }

    /// The number of members in the archive (duplicates counted once).
    pub fn len(&self) -> usize {
        self.zip.len()
    }

    /// Whether the archive has no members.
    pub fn is_empty(&self) -> bool {
        self.zip.is_empty()
    }

    /// Reads one `.dist-info` file (`"METADATA"`, `"WHEEL"`, `"RECORD"`, ...) without
    /// decompressing more than the cap allows, however large the archive says it is.
    ///
    /// # Errors
    ///
    /// The file is missing, larger than the cap, or cannot be decompressed.
    pub fn read_dist_info_file(&mut self, file: &str) -> Result<Vec<u8>, WheelError> {
        let path = format!("{}/{file}", self.dist_info);
        let limit = self.max_metadata_size;
        let index = self
            .zip
            .index_for_name(&path)
            .ok_or_else(|| WheelError::Missing { path: path.clone() })?;
        let member = self.zip.by_index(index).map_err(|e| WheelError::Read {
            path: path.clone(),
            message: e.to_string(),
        })?;
        if member.size() > limit {
            return Err(WheelError::TooLarge {
                claimed: member.size(),
                path,
                limit,
            });
        }
        let mut data = Vec::new();
        member
            .take(limit + 1)
            .read_to_end(&mut data)
            .map_err(|e| WheelError::Read {
                path: path.clone(),
                message: e.to_string(),
            })?;
        if data.len() as u64 > limit {
            return Err(WheelError::TooLarge {
                claimed: data.len() as u64,
                path,
                limit,
            });
        }
        Ok(data)
    }

    /// Reads `METADATA` (lenient: see [`RawMetadata::parse`]).
    ///
    /// # Errors
    ///
    /// As [`read_dist_info_file`](Self::read_dist_info_file).
    pub fn metadata(&mut self) -> Result<RawMetadata, WheelError> {
        Ok(RawMetadata::parse(&self.read_dist_info_file("METADATA")?))
    }

    /// Reads and parses `WHEEL`.
    ///
    /// # Errors
    ///
    /// As [`read_dist_info_file`](Self::read_dist_info_file), and [`WheelError::Wheel`].
    pub fn wheel_info(&mut self) -> Result<WheelInfo, WheelError> {
        Ok(WheelInfo::parse(&self.read_dist_info_file("WHEEL")?)?)
    }

    /// Reads and parses `RECORD`.
    ///
    /// # Errors
    ///
    /// As [`read_dist_info_file`](Self::read_dist_info_file), and [`WheelError::Record`].
    pub fn record(&mut self) -> Result<Record, WheelError> {
        Ok(Record::parse(&self.read_dist_info_file("RECORD")?)?)
    }

    /// Checks the whole wheel, decompressing every member listed in `RECORD` once, and
    /// reports every problem found:
    ///
    /// - duplicate member names, local headers that disagree with the central directory;
    /// - absolute paths, drive letters and `..` components, in the archive and in `RECORD`;
    /// - `WHEEL` and `RECORD` missing or invalid; `WHEEL`'s tags not exactly `tags` (the
    ///   tags the filename expands to) and its `Build` not `build`;
    /// - `METADATA` missing, or its `Name` and `Version` not those of the filename;
    /// - a member not listed in `RECORD` (other than `RECORD.jws`/`RECORD.p7s`), a `RECORD`
    ///   row with no member, a member whose digest or size differs from its row.
    ///
    /// A member is decompressed only up to one byte more than its `RECORD` size, so a member
    /// that inflates beyond what `RECORD` declares costs no more than that.
    pub fn verify(&mut self, tags: &[String], build: Option<&str>) -> Verification {
        self.verify_keeping(tags, build, false).0
    }

    /// [`verify`](Self::verify), also returning the bytes of `WHEEL` and `METADATA` as read
    /// (each decompressed once: the RECORD check hashes these bytes instead of reading the
    /// members again), for the install verdict.
    ///
    /// With `lenient_record`, `RECORD` is read with [`Record::parse_lenient`]: a bad row for
    /// a member of the archive is a [`WheelProblem::File`] holding its [`RecordError`] (as
    /// installer refuses it), a bad row for anything else is returned in
    /// [`DistInfoFiles::record_warnings`].
    pub(crate) fn verify_keeping(
        &mut self,
        tags: &[String],
        build: Option<&str>,
        lenient_record: bool,
    ) -> (Verification, DistInfoFiles) {
        let mut problems = Vec::new();
        if self.zip.has_duplicate_names() {
            problems.push(WheelProblem::DuplicateMembers);
        }
        if let Err(e) = self.zip.validate_header_consistency()
            && !self.zip.has_duplicate_names()
        {
            problems.push(WheelProblem::InconsistentHeaders {
                message: e.to_string(),
            });
        }

        let wheel_path = format!("{}/WHEEL", self.dist_info);
        let metadata_path = format!("{}/METADATA", self.dist_info);
        let record_path = format!("{}/RECORD", self.dist_info);
        let wheel_bytes = self.read_dist_info_file("WHEEL");
        let metadata_bytes = self.read_dist_info_file("METADATA");
        let record_bytes = self.read_dist_info_file("RECORD");
        let wheel_info = wheel_bytes
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|data| Ok(WheelInfo::parse(data)?));
        match wheel_info {
            Ok(info) => {
                let mut found: Vec<&String> = info.tags.iter().collect();
                let mut expected: Vec<&String> = tags.iter().collect();
                found.sort();
                found.dedup();
                expected.sort();
                expected.dedup();
                if found != expected {
                    problems.push(WheelProblem::TagMismatch {
                        found: info.tags.clone(),
                        expected: tags.to_vec(),
                    });
                }
                if info.build.as_deref() != build {
                    problems.push(WheelProblem::BuildMismatch {
                        found: info.build.clone(),
                        expected: build.map(str::to_owned),
                    });
                }
            }
            Err(e) => problems.push(WheelProblem::File(e)),
        }

        match metadata_bytes.as_ref().map(|data| RawMetadata::parse(data)) {
            Ok(raw) => {
                use super::field::Field;
                let name = raw.get(Field::Name).unwrap_or_default();
                if normalize(name) != self.name.as_str() {
                    problems.push(WheelProblem::MetadataName {
                        found: name.to_owned(),
                        expected: self.name.clone(),
                    });
                }
                let version = raw.get(Field::Version).unwrap_or_default();
                if crate::version::parse_version(version).ok().as_ref() != Some(&self.version) {
                    problems.push(WheelProblem::MetadataVersion {
                        found: version.to_owned(),
                        expected: self.version.clone(),
                    });
                }
            }
            Err(e) => problems.push(WheelProblem::File(e.clone())),
        }

        // Bad rows, by path, while their member is not found (lenient reading only).
        let mut row_errors: HashMap<String, RecordError> = HashMap::new();
        let mut record_warnings: Vec<RecordError> = Vec::new();
        let parsed = record_bytes
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|data| {
                if !lenient_record {
                    return Ok(Record::parse(data)?);
                }
                let (record, bad) = Record::parse_lenient(data)?;
                for error in bad {
                    match Record::problem_path(&error) {
                        Some(path) if !matches!(error, RecordError::Duplicate { .. }) => {
                            if let Some(earlier) = row_errors.insert(path.to_owned(), error) {
                                record_warnings.push(earlier);
                            }
                        }
                        _ => record_warnings.push(error),
                    }
                }
                Ok(record)
            });
        let record = match parsed {
            Ok(record) => Some(record),
            Err(e) => {
                problems.push(WheelProblem::File(e));
                None
            }
        };
        let rows: HashMap<&str, (Option<Digest>, Option<u64>)> = record
            .iter()
            .flat_map(Record::entries)
            .map(|e| (e.path.as_str(), (e.digest, e.size)))
            .collect();
        if let Some(record) = &record {
            for entry in record.entries() {
                if let Some(reason) = unsafe_path(&entry.path) {
                    problems.push(WheelProblem::UnsafePath {
                        path: entry.path.clone(),
                        reason,
                        in_record: true,
                    });
                }
            }
        }

        let mut seen: HashSet<String> = HashSet::new();
        for index in 0..self.zip.len() {
            let mut member = match self.zip.by_index(index) {
                Ok(member) => member,
                Err(e) => {
                    problems.push(WheelProblem::Read {
                        path: format!("member #{index}"),
                        message: e.to_string(),
                    });
                    continue;
                }
            };
            let path = String::from_utf8_lossy(member.name_raw()).into_owned();
            if let Some(reason) = unsafe_path(&path) {
                problems.push(WheelProblem::UnsafePath {
                    path: path.clone(),
                    reason,
                    in_record: false,
                });
            }
            if member.is_dir() {
                continue;
            }
            seen.insert(path.clone());
            if record.is_none() {
                continue;
            }
            if let Some(error) = row_errors.remove(&path) {
                // installer finds this member's row invalid (or without a hash).
                problems.push(WheelProblem::File(WheelError::Record(error)));
                continue;
            }
            let Some(&(digest, size)) = rows.get(path.as_str()) else {
                let signature = is_record_file(&path) && !path.ends_with("/RECORD");
                if !signature {
                    problems.push(WheelProblem::NotInRecord { path });
                }
                continue;
            };
            let Some(digest) = digest else {
                continue;
            };
            let mut hasher = match Hasher::new(&[digest.algorithm()]) {
                Ok(h) => h,
                Err(_) => continue,
            };
            let limit = size.unwrap_or(u64::MAX).saturating_add(1);
            let read = [
                (&wheel_path, &wheel_bytes),
                (&metadata_path, &metadata_bytes),
                (&record_path, &record_bytes),
            ]
            .into_iter()
            .find_map(|(p, bytes)| (*p == path).then_some(bytes.as_ref().ok()).flatten());
            let outcome = if let Some(bytes) = read {
                // Read whole (up to the cap) above: hash those bytes, up to `limit`.
                let end = usize::try_from(limit)
                    .unwrap_or(usize::MAX)
                    .min(bytes.len());
                hasher.update(&bytes[..end]);
                Ok(())
            } else {
                let mut buffer = vec![0; 64 * 1024];
                let mut reader = (&mut member).take(limit);
                loop {
                    match reader.read(&mut buffer) {
                        Ok(0) => break Ok(()),
                        Ok(n) => hasher.update(&buffer[..n]),
                        Err(e) => break Err(e),
                    }
                }
            };
            if let Err(e) = outcome {
                problems.push(WheelProblem::Read {
                    path,
                    message: e.to_string(),
                });
                continue;
            }
            let computed = hasher.finish();
            if let Some(expected) = size
                && computed.size() != expected
            {
                problems.push(WheelProblem::SizeMismatch {
                    path: path.clone(),
                    expected,
                    actual: computed.size(),
                });
                continue;
            }
            if let Some(actual) = computed.get(digest.algorithm())
                && *actual != digest
            {
                problems.push(WheelProblem::DigestMismatch {
                    path,
                    expected: digest,
                    actual: *actual,
                });
            }
        }
        if let Some(record) = &record {
            for entry in record.entries() {
                if !seen.contains(&entry.path) {
                    problems.push(WheelProblem::NotInArchive {
                        path: entry.path.clone(),
                    });
                }
            }
        }
        let verification = Verification {
            record_entries: record.as_ref().map_or(0, |r| r.entries().len()),
            problems,
        };
        (
            verification,
            DistInfoFiles {
                wheel: wheel_bytes.ok(),
                metadata: metadata_bytes.ok(),
                record_warnings: {
                    let mut rest: Vec<RecordError> = row_errors.into_values().collect();
                    rest.extend(record_warnings);
                    rest.sort_by_key(RecordError::line);
                    rest
                },
            },
        )
    }
}

/// The bytes of `WHEEL` and `METADATA` that [`WheelArchive::verify_keeping`] read (`None`
/// where missing or unreadable; the problem is in the verification).
pub(crate) struct DistInfoFiles {
    pub(crate) wheel: Option<Vec<u8>>,
    pub(crate) metadata: Option<Vec<u8>>,
    /// Bad `RECORD` rows installer never checks: for paths that are not members, paths
    /// listed twice, empty paths (lenient reading only).
    pub(crate) record_warnings: Vec<RecordError>,
}

/// The outcome of [`WheelArchive::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The number of rows in `RECORD` (0 when it could not be read).
    pub record_entries: usize,
    /// Every problem found; empty when the wheel is what it claims to be.
    pub problems: Vec<WheelProblem>,
}

impl Verification {
    /// Whether no problem was found.
    pub fn is_verified(&self) -> bool {
        self.problems.is_empty()
    }
}

impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.problems.is_empty() {
            return write!(f, "verified ({} RECORD entries)", self.record_entries);
        }
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// One problem [`WheelArchive::verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WheelProblem {
    /// The central directory lists a name more than once.
    #[error("the archive lists a member name more than once")]
    DuplicateMembers,
    /// A local file header disagrees with the central directory.
    #[error("local file headers disagree with the central directory: {message}")]
    InconsistentHeaders {
        /// The zip reader's message.
        message: String,
    },
    /// A path that would escape the installation directory.
    #[error("unsafe path `{}` {}: {reason}", Quoted(.path), if *.in_record { "in RECORD" } else { "in the archive" })]
    UnsafePath {
        /// The path.
        path: String,
        /// Why.
        reason: &'static str,
        /// Whether the path is a RECORD row (else an archive member).
        in_record: bool,
    },
    /// `WHEEL`, `METADATA` or `RECORD` is missing, too large, or invalid.
    #[error(transparent)]
    File(WheelError),
    /// `WHEEL`'s tags are not those of the filename.
    #[error("`WHEEL` tags {found:?} differ from the filename's tags {expected:?}")]
    TagMismatch {
        /// The tags in `WHEEL`.
        found: Vec<String>,
        /// The tags of the filename.
        expected: Vec<String>,
    },
    /// `WHEEL`'s `Build` is not the filename's build tag.
    #[error("`WHEEL` build {found:?} differs from the filename's build tag {expected:?}")]
    BuildMismatch {
        /// The `Build` in `WHEEL`.
        found: Option<String>,
        /// The filename's build tag.
        expected: Option<String>,
    },
    /// `METADATA`'s `Name` is not the filename's project.
    #[error("`METADATA` name `{}` is not `{expected}`", Quoted(.found))]
    MetadataName {
        /// The `Name`.
        found: String,
        /// The filename's project.
        expected: PackageName,
    },
    /// `METADATA`'s `Version` is not the filename's version.
    #[error("`METADATA` version `{}` is not {expected}", Quoted(.found))]
    MetadataVersion {
        /// The `Version`.
        found: String,
        /// The filename's version.
        expected: Version,
    },
    /// A member that `RECORD` does not list.
    #[error("`{}` is not listed in RECORD", Quoted(.path))]
    NotInRecord {
        /// The path.
        path: String,
    },
    /// A `RECORD` row with no member.
    #[error("`{}` is listed in RECORD but not in the archive", Quoted(.path))]
    NotInArchive {
        /// The path.
        path: String,
    },
    /// A member whose digest differs from its `RECORD` row.
    #[error("`{}` has digest {}, RECORD says {}", Quoted(.path), .actual.record(), .expected.record())]
    DigestMismatch {
        /// The path.
        path: String,
        /// The digest in `RECORD`.
        expected: Digest,
        /// The digest of the member.
        actual: Digest,
    },
    /// A member whose size differs from its `RECORD` row (`actual` stops at one byte over).
    #[error("`{}` is {}{actual} bytes, RECORD says {expected}", Quoted(.path), if .actual > .expected { "at least " } else { "" })]
    SizeMismatch {
        /// The path.
        path: String,
        /// The size in `RECORD`.
        expected: u64,
        /// The bytes read (at most `expected + 1`).
        actual: u64,
    },
    /// A member that cannot be decompressed (bad data, CRC mismatch).
    #[error("cannot read `{}`: {message}", Quoted(.path))]
    Read {
        /// The path.
        path: String,
        /// The zip reader's message.
        message: String,
    },
}
