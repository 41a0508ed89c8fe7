//! Whether pip and pypa/installer would install a distribution file, apart from whether it is
//! spec-perfect.
//!
//! [`WheelArchive::verify`](super::WheelArchive::verify) and
//! [`CoreMetadata::parse`](super::CoreMetadata::parse) are strict: they report everything a
//! file gets wrong. Real files from PyPI get many small things wrong that no installer cares
//! about (`Generator` twice in `WHEEL` from delocate, a build tag in the filename without a
//! `Build:` line, `License-File` under metadata 2.1). A tool that publishes files must not
//! refuse them, and must not let through what an installer would refuse or what would let a
//! bad file through. A [`Verdict`] keeps both answers: every [`Finding`] has a [`Severity`],
//! and [`Verdict::is_installable`] is true when no finding is a [`Severity::Refusal`].
//!
//! [`check_wheel`] and [`check_sdist`] give the verdict for one file, read from a reader the
//! caller supplies, with the exact core metadata bytes when they could be read. Each
//! [`Rule`] documents what pip 26.3 and installer do with such a file.

use std::fmt;
use std::io::{Read, Seek};

use serde::{Deserialize, Serialize};

use super::archive::{WheelArchive, WheelError, WheelProblem};
use crate::filename::{SdistFilename, WheelFilename};

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
    /// `.tar.gz`), or a member cannot be decompressed. pip and installer fail to open it.
    Unreadable = "unreadable", Refusal;
    /// A local zip header disagrees with the central directory. Python's `zipfile` raises
    /// `BadZipFile` when it reads such a member, so pip fails mid-install.
    InconsistentHeaders = "inconsistent-headers", Refusal;
    /// The archive lists the same member name twice. Which copy an extractor writes depends
    /// on the tool, so the RECORD check cannot vouch for what is installed.
    DuplicateMember = "duplicate-member", Refusal;
    /// A member or RECORD path is absolute, has a drive letter, a `..` component or a NUL:
    /// installer refuses paths outside the target; pip refuses members outside the target
    /// directory ("trying to install outside target directory").
    UnsafePath = "unsafe-path", Refusal;
    /// No `.dist-info` directory, several, or one not named for the filename's project:
    /// pip's `wheel_dist_info_dir` raises `UnsupportedWheel`.
    DistInfo = "dist-info", Refusal;
    /// `WHEEL`, `METADATA` or `RECORD` is missing (or a sdist has no archive member at all):
    /// pip needs `WHEEL` and `METADATA`; installer needs `RECORD`.
    MissingFile = "missing-file", Refusal;
    /// A metadata member is larger than the reader's cap (16 MiB by default).
    TooLarge = "too-large", Refusal;
    /// `WHEEL` has no usable `Wheel-Version`, or a major version other than 1: pip's
    /// `wheel_version` / `check_compatibility` raise `UnsupportedWheel`.
    WheelVersion = "wheel-version", Refusal;
    /// `WHEEL` is not spec-perfect (a field twice, such as delocate's second `Generator`; an
    /// unknown `Root-Is-Purelib` value; a malformed `Tag` or `Build`). pip reads `WHEEL` with
    /// `email.parser` and uses only `Wheel-Version` and `Root-Is-Purelib`.
    WheelFormat = "wheel-format", Warning;
    /// `WHEEL`'s `Tag` lines are not the tags the filename expands to. pip and installer take
    /// the tags from the filename and never compare.
    WheelTagMismatch = "wheel-tag-mismatch", Warning;
    /// `WHEEL`'s `Build` is not the filename's build tag (old numpy wheels have a build tag in
    /// the filename and no `Build:` line). pip and installer do not compare.
    WheelBuildMismatch = "wheel-build-mismatch", Warning;
    /// `RECORD` cannot be parsed: installer refuses the wheel.
    RecordFormat = "record-format", Refusal;
    /// A member is not listed in `RECORD` (other than `RECORD.jws` / `RECORD.p7s`):
    /// installer's `validate_record` refuses it, and its bytes would go unchecked.
    NotInRecord = "not-in-record", Refusal;
    /// A `RECORD` row names no member. Neither pip nor installer checks; nothing is installed
    /// unchecked.
    RecordEntryMissing = "record-entry-missing", Warning;
    /// A member's digest or size differs from its `RECORD` row: installer refuses it, and it
    /// is a file other than the one its author built.
    RecordMismatch = "record-mismatch", Refusal;
    /// `METADATA` (or `PKG-INFO`) has no `Name` or `Version`, or a `Version` that is not
    /// PEP 440: pip cannot use the distribution.
    MetadataRequired = "metadata-required", Refusal;
    /// `METADATA`'s `Name` or `Version` is not the filename's: pip's resolver raises
    /// `MetadataInconsistent`.
    NameVersionMismatch = "name-version-mismatch", Refusal;
    /// A `Requires-Dist` that is not PEP 508: pip 24.1 and later refuse to install the
    /// distribution when it reads its dependencies.
    RequiresDist = "requires-dist", Refusal;
    /// A field strict validation finds fault with (`License-File` under metadata 2.1, an
    /// unknown field, an invalid `Requires-Python`, ...) that pip ignores.
    MetadataFormat = "metadata-format", Warning;
    /// An sdist with no `PKG-INFO` in its top-level directory: pip builds it from source and
    /// takes the metadata from the build, so it installs; the index has no metadata for it.
    SdistNoPkgInfo = "sdist-no-pkg-info", Warning;
    /// An sdist tar member that is a link pointing outside the archive's tree, or a device or
    /// FIFO: pip's tar extraction (the `data` filter) refuses it.
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
/// against `RECORD`, `WHEEL` and `METADATA` against `filename`, and validates `METADATA`
/// strictly, classing each finding by its [`Rule`].
pub fn check_wheel<R: Read + Seek>(reader: R, filename: &WheelFilename) -> DistCheck {
    let mut verdict = Verdict::default();
    let mut archive = match WheelArchive::for_filename(reader, filename) {
        Ok(archive) => archive,
        Err(e) => {
            verdict.push(open_finding(&e));
            return DistCheck {
                verdict,
                metadata: None,
            };
        }
    };
    let verification = archive.verify_filename(filename);
    let dist_info = archive.dist_info().to_owned();
    for problem in &verification.problems {
        verdict.push(problem_finding(problem, &dist_info));
    }
    let metadata = archive.read_dist_info_file("METADATA").ok();
    DistCheck { verdict, metadata }
}

/// Checks an sdist: opens the archive (`.tar.gz` with the `sdist` feature, `.zip`), checks
/// its member paths, reads `PKG-INFO` from its top-level directory and checks its `Name` and
/// `Version` against `filename`, and validates it strictly, classing each finding by its
/// [`Rule`].
pub fn check_sdist<R: Read + Seek>(reader: R, filename: &SdistFilename) -> DistCheck {
    super::sdist::check(reader, filename)
}

/// The finding for a wheel that could not be opened.
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
    Finding::new(rule, error.to_string())
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
        WheelProblem::UnsafePath { in_record, .. } => {
            let finding = Finding::new(Rule::UnsafePath, message);
            if *in_record {
                finding.in_file(member("RECORD"))
            } else {
                finding
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
