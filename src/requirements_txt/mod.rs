//! pip requirements files (`requirements.txt`), read exactly as pip 26.3 reads them, without I/O,
//! and kept byte for byte so that tools can edit them.
//!
//! The format is pip's own, specified by its implementation and documented in
//! [pip's user guide](https://pip.pypa.io/en/stable/reference/requirements-file-format/). This
//! module follows pip 26.3's `pip/_internal/req/req_file.py` step by step:
//!
//! - **Decoding** ([`decode`]): a UTF-8, UTF-16 or UTF-32 byte-order mark, else a PEP 263
//!   `coding:` comment in the first two lines, else UTF-8. pip then falls back to the locale's
//!   encoding; that depends on the machine, so here it is an error naming the byte offset.
//! - **Lines** (module `line`): Python's `splitlines` boundaries, `\` continuations (not on
//!   comment lines), comments (`#` at the start or after whitespace), `${VAR}` expansion through a
//!   caller-supplied lookup. pip's odd cases are kept: `foo # note \` swallows the next line.
//! - **Options** (module `options`): every option pip accepts in a file, with every spelling,
//!   unique-prefix abbreviations, `--opt=value`, `--opt value` and `-ovalue`, parsed as pip's
//!   `shlex` + `optparse` pipeline does.
//! - **Requirements** ([`RequirementForm`]): PEP 508, `name @ url`, bare URLs with `#egg=`,
//!   local wheels, sdists and directories, editables, judged by appearance (no file system).
//! - **Includes** ([`resolve`]): `-r`/`-c` are data on the line; [`resolve`] walks them through
//!   a [`Loader`] the caller implements, joining paths and URLs as pip does.
//!
//! # The grammar as implemented
//!
//! ```text
//! file          = physical lines, split as Python's str.splitlines()
//! logical line  = physical lines joined while one ends in "\" and is not a comment line
//! comment       = "#" at the start of the line or after whitespace, to the end of the line
//! line          = requirement-words [" " options] | options
//! requirement   = the words (split on single spaces) before the first word starting with "-"
//! options       = shlex words read by optparse:
//!   file level:      -r/--requirement FILE  -c/--constraint FILE  -i/--index-url/--pypi-url URL
//!                    --extra-index-url URL  --no-index  -f/--find-links URL  --trusted-host HOST
//!                    --require-hashes  --no-require-hashes  --only-binary NAMES  --no-binary NAMES
//!                    --prefer-binary  --pre  --all-releases NAMES  --only-final NAMES
//!                    --use-feature FEATURE
//!   requirement:     -e/--editable TARGET  --hash ALG:HEX  -C/--config-settings KEY=VALUE
//! ```
//!
//! A line with requirement words, or with `-e`, is a requirement line; its file-level options
//! are ignored by pip (a [`Warning`] here), except `--only-binary`, `--no-binary`,
//! `--all-releases` and `--only-final`, which pip applies wherever they appear. An editable
//! takes only `--config-settings`.
//!
//! # What depends on the file system or the network
//!
//! pip checks local paths as it reads them (a directory must exist and hold a `pyproject.toml`
//! or `setup.py`; a name that is neither a directory nor valid PEP 508 fails) and fetches URL
//! includes. This module never does: a path is reported as [`RequirementForm::Path`] with the
//! [`ArtifactKind`] its name suggests, for the caller to check, and includes go through the
//! caller's [`Loader`], whose errors are reported at the including line.
//!
//! # Where this crate is stricter than pip, or reports more
//!
//! - pip reads every error lazily and stops at the first; here every line is read and every
//!   error reported, each with file, line and column.
//! - `--hash` values are checked as digests (length, hex); pip accepts any text after `alg:`
//!   and fails later when nothing matches.
//! - `--require-hashes` with `--no-require-hashes` is an error at the line that conflicts;
//!   pip rejects the pair only after reading all files. (`--pre` with `--only-final` or
//!   `--all-releases` is accepted, as pip accepts it in a file: an option line's `--pre` adds
//!   `:all:` to `--all-releases` after the line's own release controls.)
//! - Where pip ignores something silently (a file-level option on a requirement line, words
//!   after the options, a second `-e` or `-r` on one line), a [`Warning`] says so.
//!
//! # Example
//!
//! ```
//! use pypackaging::requirements_txt::RequirementsTxt;
//!
//! let text = "--index-url https://mirror.example/simple\n\
//!             requests==2.32.3 \\\n    --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6\n";
//! let parsed = RequirementsTxt::parse_str("requirements.txt", text, &|_| None);
//! assert!(parsed.errors.is_empty());
//! let entry = parsed.file.entries().next().unwrap();
//! // pip's text keeps the spaces before the continued `--hash` (it strips them later).
//! assert_eq!(entry.requirement(), "requests==2.32.3    ");
//! assert_eq!(entry.form().name(), Some("requests"));
//! assert_eq!(entry.hashes().len(), 1);
//! assert_eq!(parsed.file.to_string(), text); // lossless
//! ```

mod edit;
mod form;
mod hashes;
mod include;
mod line;
mod options;

use std::fmt;
use std::sync::Arc;

use crate::diagnostic::Quoted;
use crate::hash::{Digest, HashAlgorithm, HashError};

pub use edit::EditError;
pub use form::{ArtifactKind, FormError, RequirementForm};

pub use hashes::allowed_digests;
pub use hashes::{HashCheck, HashViolation, check_hashes};
pub use include::{Included, Loader, Resolved, ResolvedEntry, resolve, resolve_bytes};
pub use line::{DecodeError, Encoding, TextEncoding, decode};
pub use options::OptionError;

use options::{Given, Opt};

/// A parsed requirements file: every line, in order, with the bytes it came from.
///
/// `Display` writes the file back: unchanged, it reproduces the decoded text exactly, and
/// [`RequirementsTxt::to_bytes`] the original bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementsTxt {
    name: String,
    encoding: TextEncoding,
    lines: Vec<Line>,
}

/// One logical line: one or more physical lines joined by `\` continuations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    raw: Raw,
    number: usize,
    entry: Option<Box<Entry>>,
    options: Vec<FileOption>,
}

/// A line's text: a range of the text the file was read from, which every line of the file
/// shares (reading a file copies its text once, not once per line), or text of its own after
/// an edit.
#[derive(Clone)]
enum Raw {
    Shared {
        text: Arc<str>,
        start: usize,
        end: usize,
    },
    Owned(String),
}

impl Raw {
    /// The text, to change it.
    fn to_mut(&mut self) -> &mut String {
        if let Raw::Shared { .. } = self {
            *self = Raw::Owned(self.to_string());
        }
        match self {
            Raw::Owned(text) => text,
            Raw::Shared { .. } => unreachable!("made owned above"),
        }
    }
}

impl std::ops::Deref for Raw {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Raw::Shared { text, start, end } => &text[*start..*end],
            Raw::Owned(text) => text,
        }
    }
}

impl From<String> for Raw {
    fn from(text: String) -> Self {
        Raw::Owned(text)
    }
}

impl PartialEq for Raw {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Raw {}

impl fmt::Debug for Raw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl Line {
    /// The physical text of the line, line breaks included.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The 1-based number of the physical line where the logical line starts.
    pub fn number(&self) -> usize {
        self.number
    }

    /// The requirement on the line, if any.
    pub fn entry(&self) -> Option<&Entry> {
        self.entry.as_deref()
    }

    /// The file-level options on the line, in order. On a requirement line pip ignores them,
    /// except `--only-binary`, `--no-binary`, `--all-releases` and `--only-final`, which take
    /// effect wherever they are.
    pub fn options(&self) -> &[FileOption] {
        &self.options
    }
}

/// A requirement line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    line: usize,
    text: String,
    form: RequirementForm,
    editable: bool,
    hashes: Vec<Digest>,
    config_settings: Vec<(String, String)>,
}

impl Entry {
    /// The 1-based line where the entry's logical line starts.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The requirement text as pip passes it on (after joining, comment removal and `${VAR}`
    /// expansion): a PEP 508 string, a URL or a path. Like pip's, it keeps the spaces that
    /// stood before the options (`foo==1  --hash=...` gives `foo==1 `); pip strips them later.
    pub fn requirement(&self) -> &str {
        &self.text
    }

    /// What the requirement names.
    pub fn form(&self) -> &RequirementForm {
        &self.form
    }

    /// The project the requirement is for, normalized, when its form names one that is a
    /// valid project name (constraints and hash checks match requirements by it).
    pub fn project(&self) -> Option<crate::name::PackageName> {
        self.form.name().and_then(|n| n.parse().ok())
    }

    /// Whether it came with `-e`/`--editable`.
    pub fn is_editable(&self) -> bool {
        self.editable
    }

    /// The `--hash` digests, in order.
    pub fn hashes(&self) -> &[Digest] {
        &self.hashes
    }

    /// The `-C`/`--config-settings` pairs, in order.
    pub fn config_settings(&self) -> &[(String, String)] {
        &self.config_settings
    }
}

/// A file-level option.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FileOption {
    /// `-i`, `--index-url`, `--pypi-url`.
    IndexUrl(String),
    /// `--extra-index-url`.
    ExtraIndexUrl(String),
    /// `--no-index`.
    NoIndex,
    /// `-f`, `--find-links`.
    FindLinks(String),
    /// `--trusted-host`.
    TrustedHost(String),
    /// `--require-hashes`.
    RequireHashes,
    /// `--no-require-hashes`.
    NoRequireHashes,
    /// `--only-binary` (names separated by commas, `:all:`, `:none:`).
    OnlyBinary(String),
    /// `--no-binary`.
    NoBinary(String),
    /// `--prefer-binary`.
    PreferBinary,
    /// `--pre`.
    Pre,
    /// `--all-releases`.
    AllReleases(String),
    /// `--only-final`.
    OnlyFinal(String),
    /// `--use-feature`.
    UseFeature(String),
    /// `-r`, `--requirement`: include another requirements file.
    Requirement(String),
    /// `-c`, `--constraint`: include a constraints file.
    Constraint(String),
}

impl fmt::Display for FileOption {
    /// The canonical spelling: `--long-name value`, the value quoted for `shlex` when needed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, value) = match self {
            FileOption::IndexUrl(v) => ("--index-url", Some(v)),
            FileOption::ExtraIndexUrl(v) => ("--extra-index-url", Some(v)),
            FileOption::NoIndex => ("--no-index", None),
            FileOption::FindLinks(v) => ("--find-links", Some(v)),
            FileOption::TrustedHost(v) => ("--trusted-host", Some(v)),
            FileOption::RequireHashes => ("--require-hashes", None),
            FileOption::NoRequireHashes => ("--no-require-hashes", None),
            FileOption::OnlyBinary(v) => ("--only-binary", Some(v)),
            FileOption::NoBinary(v) => ("--no-binary", Some(v)),
            FileOption::PreferBinary => ("--prefer-binary", None),
            FileOption::Pre => ("--pre", None),
            FileOption::AllReleases(v) => ("--all-releases", Some(v)),
            FileOption::OnlyFinal(v) => ("--only-final", Some(v)),
            FileOption::UseFeature(v) => ("--use-feature", Some(v)),
            FileOption::Requirement(v) => ("--requirement", Some(v)),
            FileOption::Constraint(v) => ("--constraint", Some(v)),
        };
        f.write_str(name)?;
        if let Some(value) = value {
            write!(f, " {}", shell_quote(value))?;
        }
        Ok(())
    }
}

impl std::str::FromStr for FileOption {
    type Err = RequirementsTxtErrors;

    /// Reads one option as a requirements file line would hold it, in any spelling pip accepts
    /// (`-i URL`, `--index-url=URL`, `--no-i`, ...).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parsed = RequirementsTxt::parse_str("option", s, &|_| None);
        if !parsed.errors.is_empty() {
            return Err(RequirementsTxtErrors(parsed.errors));
        }
        let mut options = parsed
            .file
            .lines
            .into_iter()
            .filter(|l| l.entry.is_none())
            .flat_map(|l| l.options);
        match (options.next(), options.next()) {
            (Some(option), None) => Ok(option),
            _ => Err(RequirementsTxtErrors(vec![RequirementsTxtError {
                location: Location {
                    file: "option".into(),
                    line: 1,
                    column: 1,
                },
                text: s.to_owned(),
                kind: ErrorKind::NotOneOption,
            }])),
        }
    }
}

/// Quotes a value so that `shlex.split` gives it back, also when it holds characters that
/// Python's `str.strip` removes from the ends of a line (U+001C..U+001F, ...), which pip strips
/// before `shlex` sees the line.
pub(crate) fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value.chars().all(|c| {
            !(matches!(c, ' ' | '\t' | '\r' | '\n' | '\'' | '"' | '\\' | '#')
                || line::is_py_space(c))
        });
    if plain {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', "'\"'\"'"))
    }
}

/// The file-level settings a requirements file (and what it includes) leaves behind, computed
/// as pip computes them line by line.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FileOptions {
    /// The `--index-url` pip ends up with: the last one, unless `--no-index` came on an
    /// earlier line or the same one (pip's finder then has no index URLs).
    pub index_url: Option<String>,
    /// The `--extra-index-url`s pip ends up with, in order: those given after the last
    /// `--index-url` line (an `--index-url` replaces pip's whole list of index URLs, dropping
    /// the extras before it; on one line the index URL comes first), none after
    /// `--no-index`.
    pub extra_index_urls: Vec<String>,
    /// `--no-index` was given.
    pub no_index: bool,
    /// Every `--find-links` pip uses (the first on each line, as pip), in order.
    pub find_links: Vec<String>,
    /// Every `--trusted-host`, in order, each once (pip's session keeps one entry per host and
    /// port; hosts compared without case).
    pub trusted_hosts: Vec<String>,
    /// `--require-hashes` was given.
    pub require_hashes: bool,
    /// `--no-require-hashes` was given.
    pub no_require_hashes: bool,
    /// The final `--only-binary` set: normalized names, or `:all:`.
    pub only_binary: Vec<String>,
    /// The final `--no-binary` set.
    pub no_binary: Vec<String>,
    /// `--prefer-binary` was given.
    pub prefer_binary: bool,
    /// `--pre` was given.
    pub pre: bool,
    /// The final `--all-releases` set (`--pre` adds `:all:`, as pip does).
    pub all_releases: Vec<String>,
    /// The final `--only-final` set.
    pub only_final: Vec<String>,
    /// Every `--use-feature`, in order, each once.
    pub features: Vec<String>,
}

/// `packaging.utils.canonicalize_name` without validation: runs of `-_.` become `-`, lower-case.
fn canonical_loose(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

/// pip's `handle_mutual_excludes` (format and release control): `:all:`, `:none:`, names.
fn mutual_excludes(value: &str, target: &mut Vec<String>, other: &mut Vec<String>) {
    let mut new: Vec<&str> = value.split(',').collect();
    while let Some(at) = new.iter().position(|n| *n == ":all:") {
        other.clear();
        target.clear();
        target.push(":all:".into());
        new.drain(..=at);
        if !new.contains(&":none:") {
            return;
        }
    }
    for name in new {
        if name == ":none:" {
            target.clear();
            continue;
        }
        let name = canonical_loose(name);
        other.retain(|n| *n != name);
        if !target.contains(&name) {
            target.push(name);
        }
    }
}

impl FileOptions {
    /// Applies one line as pip does: options of an option line, and the format and release
    /// controls of any line. Returns a conflict, if the line creates one.
    pub(crate) fn apply(&mut self, line: &Line) -> Option<ErrorKind> {
        let option_line = line.entry.is_none();
        let mut first_find_links = true;
        for option in &line.options {
            match option {
                FileOption::OnlyBinary(v) => {
                    mutual_excludes(v, &mut self.only_binary, &mut self.no_binary)
                }
                FileOption::NoBinary(v) => {
                    mutual_excludes(v, &mut self.no_binary, &mut self.only_binary)
                }
                FileOption::AllReleases(v) => {
                    mutual_excludes(v, &mut self.all_releases, &mut self.only_final)
                }
                FileOption::OnlyFinal(v) => {
                    mutual_excludes(v, &mut self.only_final, &mut self.all_releases)
                }
                _ if !option_line => {}
                // Applied below, in pip's order for a line.
                FileOption::IndexUrl(_) | FileOption::ExtraIndexUrl(_) | FileOption::NoIndex => {}
                FileOption::FindLinks(v) => {
                    if first_find_links {
                        self.find_links.push(v.clone());
                    }
                    first_find_links = false;
                }
                FileOption::TrustedHost(v) => {
                    if !self.trusted_hosts.iter().any(|h| h.eq_ignore_ascii_case(v)) {
                        self.trusted_hosts.push(v.clone());
                    }
                }
                FileOption::RequireHashes => self.require_hashes = true,
                FileOption::NoRequireHashes => self.no_require_hashes = true,
                FileOption::PreferBinary => self.prefer_binary = true,
                FileOption::Pre => self.pre = true,
                FileOption::UseFeature(v) => {
                    if !self.features.contains(v) {
                        self.features.push(v.clone());
                    }
                }
                FileOption::Requirement(_) | FileOption::Constraint(_) => {}
            }
        }
        if option_line {
            self.apply_index_urls(line);
        }
        if option_line
            && line.options.contains(&FileOption::Pre)
            && !self.all_releases.iter().any(|n| n == ":all:")
        {
            self.all_releases.push(":all:".into());
        }
        let mentions = |f: fn(&FileOption) -> bool| line.options.iter().any(f);
        if self.require_hashes
            && self.no_require_hashes
            && mentions(|o| matches!(o, FileOption::RequireHashes | FileOption::NoRequireHashes))
        {
            return Some(ErrorKind::Conflict {
                first: "--require-hashes",
                second: "--no-require-hashes",
            });
        }
        None
    }

    /// pip's `handle_option_line` for the index URLs of one option line: `--no-index` empties
    /// the list for good; then the line's `--index-url` (the last on the line) replaces the
    /// list, and its `--extra-index-url`s extend it.
    fn apply_index_urls(&mut self, line: &Line) {
        if line.options.contains(&FileOption::NoIndex) {
            self.no_index = true;
            self.index_url = None;
            self.extra_index_urls.clear();
        }
        if self.no_index {
            return;
        }
        let index_url = line.options.iter().rev().find_map(|o| match o {
            FileOption::IndexUrl(v) => Some(v),
            _ => None,
        });
        if let Some(url) = index_url {
            self.index_url = Some(url.clone());
            self.extra_index_urls.clear();
        }
        for option in &line.options {
            if let FileOption::ExtraIndexUrl(v) = option {
                self.extra_index_urls.push(v.clone());
            }
        }
    }
}

/// Where in which file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// The file, as the caller (or the include that led to it) named it.
    pub file: String,
    /// The 1-based line where the logical line starts.
    pub line: usize,
    /// The 1-based column (in characters) in the logical line as joined.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// An error in a requirements file: where, the line's text, and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {kind} (in `{}`)", Quoted(.text))]
pub struct RequirementsTxtError {
    /// Where.
    pub location: Location,
    /// The logical line (or what the error is about), as read.
    pub text: String,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// What went wrong on a line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The options could not be read.
    #[error(transparent)]
    Option(#[from] OptionError),
    /// The requirement could not be read.
    #[error(transparent)]
    Requirement(#[from] FormError),
    /// A `--hash` value without `:`.
    #[error("`--hash` takes ALGORITHM:DIGEST, as in `--hash=sha256:…`; found `{}`", Quoted(.0))]
    HashFormat(String),
    /// A `--hash` algorithm pip does not accept.
    #[error("`--hash` algorithm `{}` is not allowed: use sha256, sha384 or sha512", Quoted(.0))]
    WeakHash(String),
    /// A `--hash` digest that is not valid for its algorithm.
    #[error(transparent)]
    Digest(#[from] HashError),
    /// Two options that exclude each other.
    #[error("`{first}` cannot be used with `{second}`")]
    Conflict {
        /// The one given first.
        first: &'static str,
        /// The other.
        second: &'static str,
    },
    /// Parsing a [`FileOption`] from text that holds no option, several, or a requirement.
    #[error("expected exactly one file-level option")]
    NotOneOption,
    /// An editable requirement in a constraints file.
    #[error("editable requirements are not allowed as constraints")]
    EditableConstraint,
    /// An include that leads back to a file already on the chain.
    #[error("`{}` recursively references itself: {}", Quoted(.target), .chain.join(" -> "))]
    Cycle {
        /// The file included again.
        target: String,
        /// The include chain, from the top file to the repeated one.
        chain: Vec<String>,
    },
    /// The loader could not read an included file.
    #[error("cannot read included file `{}`: {message}", Quoted(.target))]
    Load {
        /// The file, as resolved.
        target: String,
        /// The loader's message.
        message: String,
    },
    /// An included file could not be decoded.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// Something pip accepts but ignores or warns about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where.
    pub location: Location,
    /// What.
    pub kind: WarningKind,
}

/// What a [`Warning`] is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WarningKind {
    /// `--hash` on a line without a requirement (pip warns and ignores it).
    #[error("`--hash` without a requirement is ignored")]
    HashWithoutRequirement,
    /// An option pip ignores where it is (a file-level option on a requirement line, `--hash`
    /// on an editable, `--config-settings` on an option line).
    #[error("option `{0}` is ignored on this line")]
    IgnoredOption(String),
    /// Words after the options, which pip ignores.
    #[error("`{}` after the options is ignored", Quoted(.0))]
    IgnoredWords(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: warning: {}", self.location, self.kind)
    }
}

/// The result of reading a file: the file (always, lossless), its errors and its warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The file, every byte kept, including lines with errors.
    pub file: RequirementsTxt,
    /// Every error, in line order.
    pub errors: Vec<RequirementsTxtError>,
    /// Every warning, in line order.
    pub warnings: Vec<Warning>,
}

/// The reasons a file could not be read, all of them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct RequirementsTxtErrors(pub Vec<RequirementsTxtError>);

struct LineReader<'a> {
    file: &'a str,
    env: &'a dyn Fn(&str) -> Option<String>,
    errors: Vec<RequirementsTxtError>,
    warnings: Vec<Warning>,
    memo: crate::version::MarkerCache,
}

impl LineReader<'_> {
    /// Line `number`, at byte `at` of the logical line `text`.
    fn location(&self, number: usize, text: &str, at: usize) -> Location {
        Location {
            file: self.file.to_owned(),
            line: number,
            column: text.get(..at).map_or(1, |s| s.chars().count() + 1),
        }
    }

    fn error(&mut self, number: usize, text: &str, at: usize, kind: ErrorKind) {
        let location = self.location(number, text, at);
        self.errors.push(RequirementsTxtError {
            location,
            text: text.to_owned(),
            kind,
        });
    }

    fn warn(&mut self, number: usize, text: &str, at: usize, kind: WarningKind) {
        let location = self.location(number, text, at);
        self.warnings.push(Warning { location, kind });
    }

    /// Reads one logical line (already joined); `None` for a line with errors.
    fn read(
        &mut self,
        number: usize,
        joined: &str,
    ) -> Option<(Option<Box<Entry>>, Vec<FileOption>)> {
        let (kept, _) = line::strip_comment(joined);
        if kept.is_empty() {
            return Some((None, Vec::new()));
        }
        let text = line::expand(kept, self.env);
        let text = &*text;
        let (args, options_at) = options::break_args_options(text);
        let mut given = Vec::new();
        if let Some(at) = options_at {
            let words = match options::shlex_split(&text[at..], at) {
                Ok(words) => words,
                Err((e, at)) => {
                    self.error(number, text, at, e.into());
                    return None;
                }
            };
            let parsed = match options::parse_words(words) {
                Ok(parsed) => parsed,
                Err((e, at)) => {
                    self.error(number, text, at, e.into());
                    return None;
                }
            };
            if let Some(first) = parsed.ignored.first() {
                let words: Vec<&str> = parsed.ignored.iter().map(|w| &*w.text).collect();
                self.warn(
                    number,
                    text,
                    first.at,
                    WarningKind::IgnoredWords(words.join(" ")),
                );
            }
            given = parsed.options;
        }
        let mut hashes = Vec::new();
        let mut config = Vec::new();
        let mut editables = Vec::new();
        let mut file_options = Vec::new();
        for Given {
            opt,
            spelled,
            value,
            at,
        } in &given
        {
            let value: &str = value.as_deref().unwrap_or_default();
            let fail = |this: &mut Self, kind: ErrorKind| {
                this.error(number, text, *at, kind);
            };
            match opt {
                Opt::Hash => {
                    let Some((algorithm, digest)) = split_once_ascii(value, b':') else {
                        fail(self, ErrorKind::HashFormat(value.to_owned()));
                        return None;
                    };
                    let algorithm = match algorithm {
                        "sha256" => HashAlgorithm::Sha256,
                        "sha384" => HashAlgorithm::Sha384,
                        "sha512" => HashAlgorithm::Sha512,
                        _ => {
                            fail(self, ErrorKind::WeakHash(algorithm.to_owned()));
                            return None;
                        }
                    };
                    match Digest::from_hex(algorithm, digest) {
                        Ok(d) => hashes.push(d),
                        Err(e) => {
                            fail(self, e.into());
                            return None;
                        }
                    }
                }
                Opt::ConfigSettings => match value.split_once('=') {
                    Some((k, v)) => config.push((k.to_owned(), v.to_owned())),
                    None => {
                        fail(
                            self,
                            OptionError::ConfigSetting {
                                option: spelled.to_string(),
                                value: value.to_owned(),
                            }
                            .into(),
                        );
                        return None;
                    }
                },
                Opt::Editable => editables.push((value.to_owned(), *at)),
                Opt::NoBinary | Opt::OnlyBinary | Opt::AllReleases | Opt::OnlyFinal
                    if value.starts_with('-') =>
                {
                    fail(
                        self,
                        OptionError::DashValue {
                            option: opt.to_string(),
                            value: value.to_owned(),
                        }
                        .into(),
                    );
                    return None;
                }
                Opt::UseFeature if !options::FEATURES.contains(&value) => {
                    fail(self, OptionError::UnknownFeature(value.to_owned()).into());
                    return None;
                }
                _ => file_options.push((
                    file_option(*opt, value.to_owned()),
                    spelled.to_string(),
                    *at,
                )),
            }
        }
        let requirement = if !args.is_empty() {
            Some((args.to_owned(), 0))
        } else {
            editables.first().cloned()
        };
        let Some((requirement, req_at)) = requirement else {
            // An option line.
            if !hashes.is_empty() {
                let at = given
                    .iter()
                    .find(|g| g.opt == Opt::Hash)
                    .map_or(0, |g| g.at);
                self.warn(number, text, at, WarningKind::HashWithoutRequirement);
            }
            if let Some(g) = given.iter().find(|g| g.opt == Opt::ConfigSettings) {
                self.warn(
                    number,
                    text,
                    g.at,
                    WarningKind::IgnoredOption(g.spelled.to_string()),
                );
            }
            let includes: Vec<&(FileOption, String, usize)> = file_options
                .iter()
                .filter(|(o, _, _)| {
                    matches!(o, FileOption::Requirement(_) | FileOption::Constraint(_))
                })
                .collect();
            let used = includes
                .iter()
                .position(|(o, _, _)| matches!(o, FileOption::Requirement(_)))
                .unwrap_or(0);
            for (i, (_, spelled, at)) in includes.iter().enumerate() {
                if i != used {
                    self.warn(
                        number,
                        text,
                        *at,
                        WarningKind::IgnoredOption(spelled.clone()),
                    );
                }
            }
            return Some((None, file_options.into_iter().map(|(o, _, _)| o).collect()));
        };
        let editable = !editables.is_empty();
        for (i, (_, at)) in editables.iter().enumerate() {
            if i > 0 || !args.is_empty() {
                self.warn(
                    number,
                    text,
                    *at,
                    WarningKind::IgnoredOption("--editable".into()),
                );
            }
        }
        for (option, spelled, at) in &file_options {
            if !matches!(
                option,
                FileOption::OnlyBinary(_)
                    | FileOption::NoBinary(_)
                    | FileOption::AllReleases(_)
                    | FileOption::OnlyFinal(_)
            ) {
                self.warn(
                    number,
                    text,
                    *at,
                    WarningKind::IgnoredOption(spelled.clone()),
                );
            }
        }
        if editable && !hashes.is_empty() {
            let at = given
                .iter()
                .find(|g| g.opt == Opt::Hash)
                .map_or(0, |g| g.at);
            self.warn(
                number,
                text,
                at,
                WarningKind::IgnoredOption("--hash".into()),
            );
            hashes.clear();
        }
        let form = if editable {
            form::classify_editable(&requirement, &mut self.memo)
        } else {
            form::classify_with(&requirement, &mut self.memo)
        };
        let form = match form {
            Ok(form) => form,
            Err(e) => {
                self.error(number, text, req_at, e.into());
                return None;
            }
        };
        let entry = Box::new(Entry {
            line: number,
            text: requirement,
            form,
            editable,
            hashes,
            config_settings: config,
        });
        Some((
            Some(entry),
            file_options.into_iter().map(|(o, _, _)| o).collect(),
        ))
    }
}

/// `text.split_once(byte)` for an ASCII byte: a plain loop, cheaper than `str`'s searcher on
/// the short strings of a line.
pub(crate) fn split_once_ascii(text: &str, byte: u8) -> Option<(&str, &str)> {
    debug_assert!(byte.is_ascii());
    let at = text.bytes().position(|b| b == byte)?;
    Some((&text[..at], &text[at + 1..]))
}

fn file_option(opt: Opt, value: String) -> FileOption {
    match opt {
        Opt::IndexUrl => FileOption::IndexUrl(value),
        Opt::ExtraIndexUrl => FileOption::ExtraIndexUrl(value),
        Opt::NoIndex => FileOption::NoIndex,
        Opt::Constraint => FileOption::Constraint(value),
        Opt::Requirement => FileOption::Requirement(value),
        Opt::FindLinks => FileOption::FindLinks(value),
        Opt::NoBinary => FileOption::NoBinary(value),
        Opt::OnlyBinary => FileOption::OnlyBinary(value),
        Opt::PreferBinary => FileOption::PreferBinary,
        Opt::RequireHashes => FileOption::RequireHashes,
        Opt::NoRequireHashes => FileOption::NoRequireHashes,
        Opt::Pre => FileOption::Pre,
        Opt::AllReleases => FileOption::AllReleases(value),
        Opt::OnlyFinal => FileOption::OnlyFinal(value),
        Opt::TrustedHost => FileOption::TrustedHost(value),
        Opt::UseFeature => FileOption::UseFeature(value),
        // Handled by the caller.
        Opt::Editable | Opt::Hash | Opt::ConfigSettings => FileOption::Requirement(value),
    }
}

impl RequirementsTxt {
    /// Decodes and reads a file. `name` is how errors name it; `env` answers `${NAME}` lookups
    /// (return `None` to leave a variable as written; pip reads the process environment).
    ///
    /// # Errors
    ///
    /// Only decoding can fail here; errors on lines are in [`Parsed::errors`].
    pub fn parse_bytes(
        name: &str,
        bytes: &[u8],
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Parsed, DecodeError> {
        let (text, encoding) = decode(name, bytes)?;
        let mut parsed = RequirementsTxt::parse_str(name, &text, env);
        parsed.file.encoding = encoding;
        Ok(parsed)
    }

    /// Reads decoded text. Never fails: the file keeps every byte, and the errors and warnings
    /// of every line come beside it.
    pub fn parse_str(name: &str, text: &str, env: &dyn Fn(&str) -> Option<String>) -> Parsed {
        let mut logical = line::LogicalLines::new(text);
        let mut reader = LineReader {
            file: name,
            env,
            errors: Vec::new(),
            warnings: Vec::new(),
            memo: crate::version::MarkerCache::default(),
        };
        let mut lines = Vec::new();
        let mut options = FileOptions::default();
        let shared: Arc<str> = Arc::from(text);
        while let Some(l) = logical.next_line() {
            let raw = Raw::Shared {
                text: Arc::clone(&shared),
                start: l.raw.start,
                end: l.raw.end,
            };
            let number = l.first + 1;
            let (entry, opts) = match l.joined {
                Some(joined) => reader.read(number, joined).unwrap_or_default(),
                // A comment line on its own: pip drops it whole.
                None => (None, Vec::new()),
            };
            let line = Line {
                raw,
                number,
                entry,
                options: opts,
            };
            if let Some(kind) = options.apply(&line) {
                let (kept, _) = line::strip_comment(l.joined.unwrap_or_default());
                reader.error(number, kept, 0, kind);
            }
            lines.push(line);
        }
        Parsed {
            file: RequirementsTxt {
                name: name.to_owned(),
                encoding: TextEncoding::default(),
                lines,
            },
            errors: reader.errors,
            warnings: reader.warnings,
        }
    }

    /// The name the file was given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How the file was decoded.
    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// Every logical line, in order (blank and comment lines included).
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// The requirement lines, in order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.lines.iter().filter_map(|l| l.entry.as_deref())
    }

    /// The `-r` and `-c` targets pip follows, in order: `(target, is_constraint, line)`. On a line
    /// with several, pip follows the first `-r`, else the first `-c`.
    pub fn includes(&self) -> impl Iterator<Item = (&str, bool, usize)> {
        self.lines
            .iter()
            .filter(|l| l.entry.is_none())
            .filter_map(|l| {
                let first_r = l.options.iter().find_map(|o| match o {
                    FileOption::Requirement(t) => Some((t.as_str(), false, l.number)),
                    _ => None,
                });
                first_r.or_else(|| {
                    l.options.iter().find_map(|o| match o {
                        FileOption::Constraint(t) => Some((t.as_str(), true, l.number)),
                        _ => None,
                    })
                })
            })
    }

    /// The settings this file alone leaves behind (see [`resolve`] for a file and its includes).
    pub fn options(&self) -> FileOptions {
        let mut options = FileOptions::default();
        for line in &self.lines {
            options.apply(line);
        }
        options
    }

    /// The file as bytes in its original encoding (byte-order mark included).
    pub fn to_bytes(&self) -> Vec<u8> {
        line::encode(&self.to_string(), self.encoding)
    }
}

impl fmt::Display for RequirementsTxt {
    /// The file's text, every line as it was read (or as an edit left it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.lines {
            f.write_str(&line.raw)?;
        }
        Ok(())
    }
}

impl std::str::FromStr for RequirementsTxt {
    type Err = RequirementsTxtErrors;

    /// Reads a file named `requirements.txt` without `${VAR}` expansion, strictly: any error
    /// fails.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parsed = RequirementsTxt::parse_str("requirements.txt", s, &|_| None);
        if parsed.errors.is_empty() {
            Ok(parsed.file)
        } else {
            Err(RequirementsTxtErrors(parsed.errors))
        }
    }
}
