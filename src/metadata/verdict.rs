//! Whether pip and pypa/installer would install a distribution file, apart from whether it is
//! spec-perfect.
//!
//! [`WheelArchive::verify`](super::WheelArchive::verify),
//! [`CoreMetadata::parse`](super::CoreMetadata::parse) and
//! [`WheelInfo::parse`](super::WheelInfo::parse) are strict: they report everything a file
//! gets wrong. Real files from PyPI get many small things wrong that no installer cares about
//! (`Generator` twice in `WHEEL` from delocate, a build tag in the filename without a `Build:`
//! line, a compressed tag set on one `Tag:` line, `License-File` under metadata 2.1). A tool
//! that publishes files must not refuse them, and must not let through what an installer
//! would refuse or what would let a bad file through. A [`Verdict`] keeps both answers: every
//! [`Finding`] has a [`Severity`], and [`Verdict::is_installable`] is true when no finding is a
//! [`Severity::Refusal`].
//!
//! [`check_wheel`] and [`check_sdist`] give the verdict for one file, read from a reader the
//! caller supplies, with the exact core metadata bytes when they could be read. Both read the
//! whole archive once: `check_wheel` decompresses every member once (the RECORD check hashes
//! the `WHEEL`, `METADATA` and `RECORD` bytes it already read); `check_sdist` reads every tar
//! or zip member to its end, up to [`sdist_unpacked_limit`](super::sdist_unpacked_limit)
//! bytes in all.
//!
//! # Rules
//!
//! The references are pip 26.3 (`pip/_internal/utils/wheel.py`,
//! `operations/install/wheel.py`, `metadata/importlib/_dists.py`,
//! `resolution/resolvelib/candidates.py`, `utils/unpacking.py`) and installer 1.0
//! (`installer/sources.py` `WheelFile.validate_record`, `installer/records.py`). Each
//! [`Rule`]'s documentation says more.
//!
//! | rule | severity | what pip does | what installer does |
//! |---|---|---|---|
//! | `unreadable` | refusal | `zipfile`/`tarfile` fail to open or read it (`InvalidWheel`); `WHEEL`, `METADATA` that are not UTF-8 raise `UnsupportedWheel` | `zipfile` fails; `read_dist_info` decodes UTF-8 |
//! | `inconsistent-headers` | refusal | `zipfile` raises `BadZipFile` reading the member | the same |
//! | `duplicate-member` | refusal | installs the last copy under the name (`getinfo`) | `validate_record` finds the second copy "not mentioned in RECORD" |
//! | `unsafe-path` | refusal | "trying to install outside target directory" (`InstallationError`); the tar `data` filter refuses sdist members outside the tree | "Attempting to write ... outside of the target directory" (`destinations.py`) |
//! | `dist-info` | refusal | `wheel_dist_info_dir` raises `UnsupportedWheel` | "doesn't contain exactly one .dist-info directory" / "doesn't match wheel filename" |
//! | `dist-info-version` | warning | checks that the directory's name starts with the project's | compares the name part only |
//! | `missing-file` | refusal | `WHEEL`, `METADATA` are required (`UnsupportedWheel`); `RECORD` is read to write the installed one | `RECORD` is required |
//! | `too-large` | refusal | no cap | no cap; this crate's bound against decompression bombs |
//! | `wheel-version` | refusal | `wheel_version` / `check_compatibility` raise `UnsupportedWheel` (missing, not integers, major above 1) | not read |
//! | `wheel-format` | warning | reads `WHEEL` with `email.parser`, uses the first `Wheel-Version` and `Root-Is-Purelib` only | not read |
//! | `wheel-tag-mismatch` | warning | takes the tags from the filename | takes the tags from the filename |
//! | `wheel-build-mismatch` | warning | takes the build tag from the filename | not read |
//! | `record-format` | refusal | reads `RECORD` with `csv` | `parse_record_file` / `RecordEntry.from_elements` raise |
//! | `record-row` | warning | does not check | reads only the rows of members it finds; keeps the last of two rows for a path |
//! | `not-in-record` | refusal | does not check | "is not mentioned in RECORD" |
//! | `record-entry-missing` | warning | does not check | does not check |
//! | `record-mismatch` | refusal | does not check | "hash / size ... didn't match RECORD" |
//! | `metadata-required` | refusal | `Name`/`Version` missing or an invalid `Version` fail `canonical_name` / `parse_version` | not read |
//! | `name-version-mismatch` | refusal | `MetadataInconsistent` (`_check_metadata_consistency`) | not read |
//! | `requires-dist` | refusal | `MetadataInvalid` from `iter_dependencies` (pip 24.1 and later) | not read |
//! | `metadata-format` | warning | ignores the field (an invalid `Requires-Python` with a warning) | not read |
//! | `sdist-no-pkg-info` | warning | builds the sdist and takes the metadata from the build | does not install sdists |
//! | `sdist-unsafe-member` | refusal | the tar `data` filter refuses links out of the tree, devices and FIFOs | does not install sdists |

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::io::{Read, Seek};

use serde::{Deserialize, Serialize};

use super::archive::{WheelArchive, WheelError, WheelProblem};
use super::core::{MetadataError, RawMetadata};
use super::field::Field;
use super::rfc822;
use super::wheel::{WheelInfo, WheelInfoError, expand_tag};
use crate::diagnostic::Quoted;
use crate::filename::{SdistFilename, WheelFilename};
use crate::name::{PackageName, normalize};
use crate::version::Version;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Not spec-perfect, but pip and installer install the file: it is published, and the
    /// finding reported.
    Warning,
    /// pip or installer would refuse the file, or accepting it would let a bad file through.
    Refusal,
}

impl Severity {
    /// `warning` or `refusal`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Refusal => "refusal",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! rules {
    ($($(#[doc = $doc:literal])* $variant:ident = $id:literal, $severity:ident;)*) => {
        /// The rule a [`Finding`] breaks, with a stable kebab-case identifier.
        ///
        /// Each rule's documentation says what pip 26.3 and pypa/installer do with a file that
        /// breaks it, which is why it is a refusal or a warning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum Rule {
            $($(#[doc = $doc])* #[serde(rename = $id)] $variant,)*
        }

        impl Rule {
            /// Every rule, in declaration order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable identifier (`wheel-tag-mismatch`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)*
                }
            }

            /// The severity of a finding under this rule.
            pub fn severity(self) -> Severity {
                match self {
                    $(Rule::$variant => Severity::$severity,)*
                }
            }
        }

        impl std::str::FromStr for Rule {
            type Err = UnknownRule;

            fn from_str(s: &str) -> Result<Rule, UnknownRule> {
                match s {
                    $($id => Ok(Rule::$variant),)*
                    _ => Err(UnknownRule { rule: s.to_owned() }),
                }
            }
        }
    };
}

rules! {
    /// The file is not a readable archive (zip for wheels and `.zip` sdists, gzip'd tar for
    /// `.tar.gz`), it is truncated, or a member cannot be decompressed; or a wheel's `WHEEL`
    /// or `METADATA` is not UTF-8. pip fails to open it (`InvalidWheel`) or raises
    /// `UnsupportedWheel` decoding `WHEEL` / `METADATA` (`read_text` decodes UTF-8);
    /// installer's `zipfile` fails, and `read_dist_info` decodes UTF-8.
    Unreadable = "unreadable", Refusal;
    /// A local zip header disagrees with the central directory. Python's `zipfile` raises
    /// `BadZipFile` when it reads such a member, so pip and installer fail mid-install.
    InconsistentHeaders = "inconsistent-headers", Refusal;
    /// The archive lists the same member name twice. pip installs the last copy for each
    /// listed name (`ZipFile.getinfo`); installer's `validate_record` pops the `RECORD` row
    /// for the first copy and reports the second as "not mentioned in RECORD", so it refuses
    /// every duplicate, whatever the copies hold.
    DuplicateMember = "duplicate-member", Refusal;
    /// A member or RECORD path is absolute, has a drive letter, a `..` component or a NUL:
    /// pip refuses wheel members outside the target directory ("trying to install outside
    /// target directory"), and its tar extraction (the `data` filter) refuses sdist members
    /// outside the tree; installer refuses paths outside the target.
    UnsafePath = "unsafe-path", Refusal;
    /// No `.dist-info` directory, several, or one not named for the filename's project (its
    /// version is `dist-info-version`):
    /// pip's `wheel_dist_info_dir` raises `UnsupportedWheel`; installer's `dist_info_dir`
    /// wants exactly one, named for the filename's project.
    DistInfo = "dist-info", Refusal;
    /// The `.dist-info` directory is named for the filename's project but another version.
    /// pip's `wheel_dist_info_dir` only checks that the directory's canonicalized name starts
    /// with the project's; installer's `dist_info_dir` compares the name part only. The
    /// versions that matter, `METADATA`'s, are checked under `name-version-mismatch`.
    DistInfoVersion = "dist-info-version", Warning;
    /// `WHEEL`, `METADATA` or `RECORD` is missing or cannot be read (or a sdist has no
    /// archive member at all): pip needs `WHEEL` and `METADATA` (`UnsupportedWheel`) and reads
    /// `RECORD` to write the installed one; installer needs `RECORD`.
    MissingFile = "missing-file", Refusal;
    /// A metadata member is larger than the reader's cap (16 MiB by default), or an sdist
    /// inflates beyond [`sdist_unpacked_limit`](super::sdist_unpacked_limit). Neither pip nor installer has a cap; this is
    /// the crate's bound against decompression bombs.
    TooLarge = "too-large", Refusal;
    /// `WHEEL` has no `Wheel-Version`, one that is not dot-separated integers, or a major
    /// version above 1: pip's `wheel_version` / `check_compatibility` raise
    /// `UnsupportedWheel`. Installer does not read `WHEEL`.
    WheelVersion = "wheel-version", Refusal;
    /// `WHEEL` is not spec-perfect (a field twice, such as delocate's second `Generator`; a
    /// missing or unknown `Root-Is-Purelib`; a `Wheel-Version` that is not `1.x`; a malformed
    /// `Tag` or `Build`; a compressed tag set on one `Tag` line). pip reads `WHEEL` with
    /// `email.parser` and uses only the first `Wheel-Version` and `Root-Is-Purelib` (`false`
    /// unless `true` in any case); installer does not read it.
    WheelFormat = "wheel-format", Warning;
    /// The tags `WHEEL`'s `Tag` lines expand to are not those the filename expands to. pip
    /// and installer take the tags from the filename and never compare.
    WheelTagMismatch = "wheel-tag-mismatch", Warning;
    /// `WHEEL`'s `Build` is not the filename's build tag (old numpy wheels have a build tag in
    /// the filename and no `Build:` line). pip takes the build tag from the filename;
    /// installer does not read it.
    WheelBuildMismatch = "wheel-build-mismatch", Warning;
    /// `RECORD` cannot be read (not UTF-8, broken quoting, a row without three fields:
    /// installer's `parse_record_file` raises), or the row of a member has a bad hash, a weak
    /// one (md5, sha1: installer checks them with `hashlib`, this crate cannot, so the member
    /// would go unchecked), no hash, or a bad size (`RecordEntry.from_elements` raises;
    /// `validate_record` wants a hash and size on every member's row but `RECORD`'s own).
    RecordFormat = "record-format", Refusal;
    /// A `RECORD` row installer never checks is malformed (a bad, weak or missing hash, a
    /// bad size, an empty path, for a path that is not in the archive), or a path is listed
    /// twice (installer keeps the last row, as this check does). installer's
    /// `validate_record` only reads the rows of the members it finds; pip does not check.
    /// The same fault in the row of a member is a `record-format` refusal.
    RecordRow = "record-row", Warning;
    /// A member is not listed in `RECORD` (other than `RECORD.jws` / `RECORD.p7s`):
    /// installer's `validate_record` refuses it ("not mentioned in RECORD"), and its bytes
    /// would go unchecked. pip does not check.
    NotInRecord = "not-in-record", Refusal;
    /// A `RECORD` row names no member. Neither pip nor installer checks; nothing is installed
    /// unchecked.
    RecordEntryMissing = "record-entry-missing", Warning;
    /// A member's digest or size differs from its `RECORD` row: installer refuses it ("didn't
    /// match RECORD"), and it is a file other than the one its author built. pip does not
    /// check.
    RecordMismatch = "record-mismatch", Refusal;
    /// `METADATA` (or `PKG-INFO`) has no `Name` or `Version`, or a `Version` that is not
    /// PEP 440: pip cannot name the distribution (`canonical_name`) or parse its version
    /// (`parse_version` raises `InvalidVersion`). The first header counts, as
    /// `email.message.Message.get` takes it.
    MetadataRequired = "metadata-required", Refusal;
    /// `METADATA`'s (or `PKG-INFO`'s) `Name` or `Version` is not the filename's: pip's
    /// resolver raises `MetadataInconsistent` (`_check_metadata_consistency`).
    NameVersionMismatch = "name-version-mismatch", Refusal;
    /// A `Requires-Dist` that is not PEP 508 (under any `Metadata-Version`): pip 24.1 and
    /// later raise `MetadataInvalid` when `_check_metadata_consistency` reads the
    /// dependencies.
    RequiresDist = "requires-dist", Refusal;
    /// A field strict validation finds fault with (`License-File` under metadata 2.1, an
    /// unknown field, a field given twice, an invalid `Requires-Python`, `Metadata-Version`,
    /// content type or license expression, ...) that pip ignores (an invalid
    /// `Requires-Python` with a warning). Installer does not read `METADATA`.
    MetadataFormat = "metadata-format", Warning;
    /// An sdist with no `PKG-INFO` in its top-level directory (or several top-level
    /// directories with one): pip builds it from source and takes the metadata from the
    /// build, so it installs; the index has no metadata for it.
    SdistNoPkgInfo = "sdist-no-pkg-info", Warning;
    /// An sdist tar member that is a link pointing outside the archive's tree, or a device or
    /// FIFO: pip's tar extraction (the `data` filter of `tarfile`) refuses it.
    SdistUnsafeMember = "sdist-unsafe-member", Refusal;
}

/// A rule identifier that is not one of [`Rule::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule `{rule}`")]
pub struct UnknownRule {
    /// The text.
    pub rule: String,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing a check found about a file: which rule, where, and how much it matters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    /// The rule broken.
    pub rule: Rule,
    /// [`Rule::severity`] of `rule`, kept in the value so a report reads alone.
    pub severity: Severity,
    /// The archive member the finding is about, as named in the archive
    /// (`demo-1.0.dist-info/WHEEL`); `None` for the archive as a whole.
    pub file: Option<String>,
    /// The 1-based line in `file`, where the finding is about one line.
    pub line: Option<usize>,
    /// The field (header name as the specification spells it: `Generator`, `License-File`).
    pub field: Option<String>,
    /// What is wrong, quoting the value at fault.
    pub message: String,
}

impl Finding {
    /// A finding under `rule`, with its severity.
    pub fn new(rule: Rule, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.severity(),
            file: None,
            line: None,
            field: None,
            message: message.into(),
        }
    }

    /// The same finding about archive member `file`.
    #[must_use]
    pub fn in_file(mut self, file: impl Into<String>) -> Finding {
        self.file = Some(file.into());
        self
    }

    /// The same finding at `line` of its file.
    #[must_use]
    pub fn at_line(mut self, line: usize) -> Finding {
        self.line = Some(line);
        self
    }

    /// The same finding about `field`.
    #[must_use]
    pub fn for_field(mut self, field: impl Into<String>) -> Finding {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for Finding {
    /// `refusal [record-mismatch] demo-1.0.dist-info/RECORD line 3 (Field): message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.severity, self.rule)?;
        if let Some(file) = &self.file {
            write!(f, " {file}")?;
        }
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, " ({field})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything checking one file found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Verdict {
    /// The findings, in the order they were found.
    pub findings: Vec<Finding>,
}

impl Verdict {
    /// Whether pip and installer would install the file: no finding is a refusal.
    pub fn is_installable(&self) -> bool {
        self.findings
            .iter()
            .all(|f| f.severity != Severity::Refusal)
    }

    /// The findings that refuse the file.
    pub fn refusals(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Refusal)
    }

    /// The findings that only warn.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }

    /// Adds a finding.
    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }
}

impl fmt::Display for Verdict {
    /// `installable` or `refused`, then each finding on a line of its own.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_installable() {
            "installable"
        } else {
            "refused"
        })?;
        for finding in &self.findings {
            write!(f, "\n  {finding}")?;
        }
        Ok(())
    }
}

/// The verdict on one distribution file, with its core metadata when it could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistCheck {
    /// What the check found.
    pub verdict: Verdict,
    /// The exact bytes of the wheel's `METADATA` or the sdist's `PKG-INFO`, when present and
    /// readable (also for a refused file, so a report can show them).
    pub metadata: Option<Vec<u8>>,
}

/// Checks a wheel as pip and installer would take it: opens the archive, checks every member
/// against `RECORD`, reads `WHEEL` as pip reads it ([`WheelInfo::parse_lenient`]) and
/// compares its tags and build with `filename`'s, and checks `METADATA` (name and version
/// against `filename`, every `Requires-Dist`, then strict validation), classing each finding
/// by its [`Rule`]. Every member is decompressed once.
pub fn check_wheel<R: Read + Seek>(reader: R, filename: &WheelFilename) -> DistCheck {
    let mut verdict = Verdict::default();
    let mut archive = match WheelArchive::new_by_name(reader, filename) {
        Ok((archive, mismatch)) => {
            if let Some(mismatch) = mismatch {
                verdict.push(Finding::new(Rule::DistInfoVersion, mismatch.to_string()));
            }
            archive
        }
        Err(e) => {
            verdict.push(open_finding(&e));
            return DistCheck {
                verdict,
                metadata: None,
            };
        }
    };
    let tags: Vec<String> = filename.expanded_tags().map(|t| t.to_string()).collect();
    let build = filename.build().map(ToString::to_string);
    let (verification, files) = archive.verify_keeping(&tags, build.as_deref(), true);
    let dist_info = archive.dist_info().to_owned();
    if let Some(wheel) = &files.wheel {
        check_wheel_file(
            wheel,
            &format!("{dist_info}/WHEEL"),
            &tags,
            build.as_deref(),
            &mut verdict,
        );
    }
    if let Some(metadata) = &files.metadata {
        check_core_metadata(
            metadata,
            &format!("{dist_info}/METADATA"),
            filename.name(),
            filename.version(),
            true,
            &mut verdict,
        );
    }
    for problem in &verification.problems {
        match problem {
            // Judged above, as pip reads `WHEEL` and `METADATA`.
            WheelProblem::TagMismatch { .. }
            | WheelProblem::BuildMismatch { .. }
            | WheelProblem::MetadataName { .. }
            | WheelProblem::MetadataVersion { .. }
            | WheelProblem::File(WheelError::Wheel(_)) => {}
            _ => verdict.push(problem_finding(problem, &dist_info)),
        }
    }
    for error in &files.record_warnings {
        let mut finding = Finding::new(Rule::RecordRow, without_line_prefix(error.to_string()))
            .in_file(format!("{dist_info}/RECORD"));
        finding.line = error.line();
        verdict.push(finding);
    }
    DistCheck {
        verdict,
        metadata: files.metadata,
    }
}

/// Checks an sdist: reads the whole archive (`.tar.gz` with the `sdist` feature, `.zip`),
/// so that a truncated or corrupt file is refused, up to [`sdist_unpacked_limit`](super::sdist_unpacked_limit) bytes;
/// checks every member's path and type; reads `PKG-INFO` from its top-level directory and
/// checks it as [`check_wheel`] checks `METADATA`, classing each finding by its [`Rule`].
pub fn check_sdist<R: Read + Seek>(reader: R, filename: &SdistFilename) -> DistCheck {
    super::sdist::check(reader, filename)
}

/// `message` without the "`WHEEL` line 3: " its error puts first, since a finding gives its
/// file and line apart.
fn without_line_prefix(message: String) -> String {
    for file in ["`WHEEL` line ", "`RECORD` line "] {
        if let Some(rest) = message.strip_prefix(file)
            && let Some((number, rest)) = rest.split_once(": ")
            && number.bytes().all(|b| b.is_ascii_digit())
        {
            return rest.to_owned();
        }
    }
    message
}

/// The findings on a wheel's `WHEEL` (`file` in the archive), read as pip reads it, against
/// the filename's expanded `tags` and `build`.
fn check_wheel_file(
    data: &[u8],
    file: &str,
    tags: &[String],
    build: Option<&str>,
    verdict: &mut Verdict,
) {
    let finding = |rule: Rule, error: &WheelInfoError| {
        let mut finding = Finding::new(rule, without_line_prefix(error.to_string())).in_file(file);
        finding.line = error.line();
        finding.field = error.field().map(str::to_owned);
        finding
    };
    let (info, warnings) = match WheelInfo::parse_lenient(data) {
        Ok(read) => read,
        Err(e) => {
            let rule = match e {
                WheelInfoError::InvalidUtf8 { .. } => Rule::Unreadable,
                _ => Rule::WheelVersion,
            };
            verdict.push(finding(rule, &e));
            return;
        }
    };
    for warning in &warnings {
        verdict.push(finding(Rule::WheelFormat, warning));
    }
    // The lines of the `Tag` headers, in the order of `info.tags`.
    let lines = rfc822::parse(data)
        .headers
        .into_iter()
        .filter(|h| h.name.eq_ignore_ascii_case(b"tag"))
        .map(|h| h.line);
    let mut found = BTreeSet::new();
    for (tag, line) in info.tags.iter().zip(lines) {
        let Some(expanded) = expand_tag(tag) else {
            continue;
        };
        if expanded.len() > 1 {
            verdict.push(
                Finding::new(
                    Rule::WheelFormat,
                    format!(
                        "`Tag` `{}` is a compressed tag set: the \
                         specification wants one `Tag` line per tag",
                        Quoted(tag)
                    ),
                )
                .in_file(file)
                .at_line(line)
                .for_field("Tag"),
            );
        }
        found.extend(expanded);
    }
    let expected: BTreeSet<String> = tags.iter().cloned().collect();
    if found != expected {
        let list = |tags: Vec<&String>| {
            if tags.is_empty() {
                "none".to_owned()
            } else {
                tags.iter()
                    .map(|t| format!("`{}`", Quoted(t)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let missing = list(expected.difference(&found).collect());
        let extra = list(found.difference(&expected).collect());
        verdict.push(
            Finding::new(
                Rule::WheelTagMismatch,
                format!(
                    "`WHEEL` tags differ from the filename's: missing from `WHEEL`: {missing}; \
                     not in the filename: {extra}"
                ),
            )
            .in_file(file)
            .for_field("Tag"),
        );
    }
    if info.build.as_deref() != build {
        let quote = |build: Option<&str>| match build {
            Some(b) => format!("`{}`", Quoted(b)),
            None => "none".to_owned(),
        };
        let message = format!(
            "`WHEEL` build {} is not the filename's build tag {}",
            quote(info.build.as_deref()),
            quote(build)
        );
        verdict.push(
            Finding::new(Rule::WheelBuildMismatch, message)
                .in_file(file)
                .for_field("Build"),
        );
    }
}

/// Where each header of a METADATA file starts: the line of the first header of each name
/// (lower-cased, with the name as written), and of each (name, value). One pass, linear.
struct HeaderLines {
    first: HashMap<String, (usize, String)>,
    by_value: HashMap<(String, String), usize>,
    /// The first value of `Name` and `Version`, as `email.message.Message.get` takes them.
    name: Option<String>,
    version: Option<String>,
}

impl HeaderLines {
    fn read(data: &[u8]) -> HeaderLines {
        let mut lines = HeaderLines {
            first: HashMap::new(),
            by_value: HashMap::new(),
            name: None,
            version: None,
        };
        rfc822::parse_each(data, |header| {
            let name = String::from_utf8_lossy(header.name);
            let lower = name.to_ascii_lowercase();
            let value = String::from_utf8_lossy(header.value).into_owned();
            match lower.as_str() {
                "name" if lines.name.is_none() => lines.name = Some(value.clone()),
                "version" if lines.version.is_none() => lines.version = Some(value.clone()),
                _ => {}
            }
            lines
                .by_value
                .entry((lower.clone(), value))
                .or_insert(header.line);
            lines
                .first
                .entry(lower)
                .or_insert_with(|| (header.line, name.into_owned()));
        });
        lines
    }

    /// The field as written in the file (or as the specification spells it) and the line of
    /// its header holding `value` (else its first header).
    fn locate(&self, lower: &str, value: Option<&str>) -> (String, Option<usize>) {
        let spelled = Field::from_name(lower).map(|f| f.as_str().to_owned());
        let first = self.first.get(lower);
        let field = spelled
            .or_else(|| first.map(|(_, name)| name.clone()))
            .unwrap_or_else(|| lower.to_owned());
        let line = value
            .and_then(|v| {
                self.by_value
                    .get(&(lower.to_owned(), v.to_owned()))
                    .copied()
            })
            .or_else(|| first.map(|(line, _)| *line));
        (field, line)
    }
}

/// The value a validation error quotes, to find its header's line.
fn error_value(error: &MetadataError) -> Option<&str> {
    match error {
        MetadataError::InvalidVersion { value, .. }
        | MetadataError::MultilineSummary { value }
        | MetadataError::InvalidContentType { value, .. }
        | MetadataError::InvalidDynamic { value, .. }
        | MetadataError::UnnormalizedExtra { value, .. }
        | MetadataError::InvalidRequiresPython { value, .. }
        | MetadataError::InvalidRequirement { value, .. }
        | MetadataError::InvalidLicenseFile { value, .. }
        | MetadataError::InvalidImportName { value, .. } => Some(value),
        _ => None,
    }
}

/// The findings on core metadata (`file`: a wheel's `METADATA`, `wheel` true, or an sdist's
/// `PKG-INFO`) for the project `name` at `version` from the filename.
///
/// Refusals: a `METADATA` that is not UTF-8 (pip decodes it; an sdist's `PKG-INFO` is not
/// read by pip, so there it is a warning), `Name`/`Version` missing or `Version` not PEP 440,
/// either not the filename's, a `Requires-Dist` that is not PEP 508. Every other problem
/// [`RawMetadata::validate`] reports is a `metadata-format` warning, with its field and the
/// line of its header.
pub(crate) fn check_core_metadata(
    data: &[u8],
    file: &str,
    name: &PackageName,
    version: &Version,
    wheel: bool,
    verdict: &mut Verdict,
) {
    let base = file.rsplit('/').next().unwrap_or(file);
    if let Err(e) = std::str::from_utf8(data) {
        let rule = if wheel {
            Rule::Unreadable
        } else {
            Rule::MetadataFormat
        };
        verdict.push(
            Finding::new(
                rule,
                format!("`{base}` is not valid UTF-8 (at byte {})", e.valid_up_to()),
            )
            .in_file(file),
        );
    }
    let lines = HeaderLines::read(data);
    let at = |rule: Rule, message: String, lower: &str, value: Option<&str>| {
        let (field, line) = lines.locate(lower, value);
        let mut finding = Finding::new(rule, message).in_file(file).for_field(field);
        finding.line = line;
        finding
    };

    match lines.name.as_deref() {
        None | Some("") => verdict.push(at(
            Rule::MetadataRequired,
            format!("`{base}` has no `Name`"),
            "name",
            None,
        )),
        Some(found) if normalize(found) != name.as_str() => verdict.push(at(
            Rule::NameVersionMismatch,
            format!("`{base}` name `{}` is not `{name}`", Quoted(found)),
            "name",
            None,
        )),
        Some(_) => {}
    }
    match lines.version.as_deref() {
        None | Some("") => verdict.push(at(
            Rule::MetadataRequired,
            format!("`{base}` has no `Version`"),
            "version",
            None,
        )),
        Some(found) => match crate::version::parse_version(found) {
            Err(e) => verdict.push(at(
                Rule::MetadataRequired,
                format!(
                    "`{base}` version `{}` is not a PEP 440 version: {e}",
                    Quoted(found)
                ),
                "version",
                None,
            )),
            Ok(v) if &v != version => verdict.push(at(
                Rule::NameVersionMismatch,
                format!("`{base}` version `{}` is not {version}", Quoted(found)),
                "version",
                None,
            )),
            Ok(_) => {}
        },
    }

    let raw = RawMetadata::parse(data);
    let Err(errors) = raw.validate() else {
        return;
    };
    for error in errors.errors() {
        let rule = match error {
            // Judged above from the first header, as pip reads them.
            MetadataError::Missing {
                field: Field::Name | Field::Version,
            }
            | MetadataError::InvalidVersion { .. } => continue,
            MetadataError::InvalidRequirement { .. } => Rule::RequiresDist,
            MetadataError::TooNew {
                field: Field::RequiresDist,
                ..
            } => {
                // Validation does not parse a field newer than the declared version; pip
                // parses `Requires-Dist` whatever the version.
                for value in raw.get_all(Field::RequiresDist) {
                    if let Err(e) = crate::version::parse_requirement(value) {
                        let error = MetadataError::InvalidRequirement {
                            value: value.clone(),
                            reason: e.message,
                        };
                        verdict.push(at(
                            Rule::RequiresDist,
                            error.to_string(),
                            "requires-dist",
                            Some(value),
                        ));
                    }
                }
                Rule::MetadataFormat
            }
            _ => Rule::MetadataFormat,
        };
        verdict.push(at(
            rule,
            error.to_string(),
            &error.field(),
            error_value(error),
        ));
    }
}

/// The finding for a wheel that could not be opened, or a `.dist-info` file that could not
/// be read.
fn open_finding(error: &WheelError) -> Finding {
    let rule = match error {
        WheelError::Zip { .. } | WheelError::Read { .. } => Rule::Unreadable,
        WheelError::NoDistInfo
        | WheelError::MultipleDistInfo { .. }
        | WheelError::DistInfoMismatch { .. } => Rule::DistInfo,
        WheelError::Missing { .. } => Rule::MissingFile,
        WheelError::TooLarge { .. } => Rule::TooLarge,
        WheelError::Wheel(_) => Rule::WheelVersion,
        WheelError::Record(_) => Rule::RecordFormat,
    };
    let finding = Finding::new(rule, error.to_string());
    match error {
        WheelError::Missing { path }
        | WheelError::TooLarge { path, .. }
        | WheelError::Read { path, .. } => finding.in_file(path.clone()),
        _ => finding,
    }
}

/// The finding for one problem [`WheelArchive::verify`] reported.
fn problem_finding(problem: &WheelProblem, dist_info: &str) -> Finding {
    let member = |name: &str| format!("{dist_info}/{name}");
    let message = problem.to_string();
    match problem {
        WheelProblem::DuplicateMembers => Finding::new(Rule::DuplicateMember, message),
        WheelProblem::InconsistentHeaders { .. } => {
            Finding::new(Rule::InconsistentHeaders, message)
        }
        WheelProblem::UnsafePath {
            path, in_record, ..
        } => {
            let finding = Finding::new(Rule::UnsafePath, message);
            if *in_record {
                finding.in_file(member("RECORD"))
            } else {
                finding.in_file(path.clone())
            }
        }
        WheelProblem::File(WheelError::Record(e)) => {
            let finding = Finding::new(Rule::RecordFormat, without_line_prefix(message))
                .in_file(member("RECORD"));
            match e.line() {
                Some(line) => finding.at_line(line),
                None => finding,
            }
        }
        WheelProblem::File(e) => open_finding(e),
        WheelProblem::TagMismatch { .. } => Finding::new(Rule::WheelTagMismatch, message)
            .in_file(member("WHEEL"))
            .for_field("Tag"),
        WheelProblem::BuildMismatch { .. } => Finding::new(Rule::WheelBuildMismatch, message)
            .in_file(member("WHEEL"))
            .for_field("Build"),
        WheelProblem::MetadataName { .. } => Finding::new(Rule::NameVersionMismatch, message)
            .in_file(member("METADATA"))
            .for_field("Name"),
        WheelProblem::MetadataVersion { .. } => Finding::new(Rule::NameVersionMismatch, message)
            .in_file(member("METADATA"))
            .for_field("Version"),
        WheelProblem::NotInRecord { path } => {
            Finding::new(Rule::NotInRecord, message).in_file(path.clone())
        }
        WheelProblem::NotInArchive { .. } => {
            Finding::new(Rule::RecordEntryMissing, message).in_file(member("RECORD"))
        }
        WheelProblem::DigestMismatch { path, .. } | WheelProblem::SizeMismatch { path, .. } => {
            Finding::new(Rule::RecordMismatch, message).in_file(path.clone())
        }
        WheelProblem::Read { path, .. } => {
            Finding::new(Rule::Unreadable, message).in_file(path.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_round_trip_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in Rule::ALL {
            assert!(seen.insert(rule.as_str()), "{rule} twice");
            assert_eq!(rule.as_str().parse::<Rule>(), Ok(*rule));
            let json = serde_json::to_string(rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.as_str()));
        }
        insta::assert_snapshot!("x".parse::<Rule>().unwrap_err(), @"unknown rule `x`");
    }

    #[test]
    fn every_rule_is_in_the_module_table_with_its_severity() {
        let source = include_str!("verdict.rs");
        for rule in Rule::ALL {
            let row = format!("//! | `{}` | {} |", rule.as_str(), rule.severity());
            assert!(
                source.lines().any(|l| l.starts_with(&row)),
                "no row `{row}`"
            );
        }
        let rows = source.lines().filter(|l| l.starts_with("//! | `")).count();
        assert_eq!(
            rows,
            Rule::ALL.len(),
            "a row for a rule that does not exist"
        );
    }

    #[test]
    fn a_warning_alone_is_installable() {
        let mut verdict = Verdict::default();
        verdict.push(
            Finding::new(Rule::WheelFormat, "`Generator` given more than once")
                .in_file("demo-1.0.dist-info/WHEEL")
                .at_line(3)
                .for_field("Generator"),
        );
        assert!(verdict.is_installable());
        insta::assert_snapshot!(verdict, @r"
        installable
          warning [wheel-format] demo-1.0.dist-info/WHEEL line 3 (Generator): `Generator` given more than once
        ");
        verdict.push(Finding::new(Rule::RecordMismatch, "bad digest").in_file("demo/x.py"));
        assert!(!verdict.is_installable());
        assert_eq!(verdict.refusals().count(), 1);
        assert_eq!(verdict.warnings().count(), 1);
    }
}
