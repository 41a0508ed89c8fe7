//! The simple repository API: the pages a package index serves, in both encodings.
//!
//! The [Simple repository API](https://packaging.python.org/en/latest/specifications/simple-repository-api/)
//! has two page kinds, a root page listing projects ([`ProjectList`]) and a project page listing
//! files ([`ProjectPage`]), and two encodings:
//!
//! - [`html`]: [PEP 503](https://peps.python.org/pep-0503/) HTML, with the data attributes of
//!   PEP 592 (yanked), PEP 629 (repository version), PEP 658 and PEP 714 (core metadata),
//!   PEP 740 (provenance) and PEP 792 (project status, as `<meta>` tags).
//! - [`json`]: [PEP 691](https://peps.python.org/pep-0691/) JSON, with PEP 700 (`versions`,
//!   `size`, `upload-time`), PEP 714, PEP 740 and PEP 792.
//!
//! [`negotiate`] holds the serving helpers: PEP 691 content negotiation and project-URL
//! normalization. Nothing here does I/O: parsers take `&str` (or, for the streaming JSON root
//! page, a reader the caller gives), renderers write into a [`fmt::Write`] or [`io::Write`]
//! the caller gives.
//!
//! # API versions
//!
//! Pages are rendered at the version their model carries ([`Meta::render_version`]; a page
//! read at 1.0 is written at 1.0), or at [`ApiVersion::LATEST`], 1.4, the latest version the living
//! specification defines (1.1: PEP 700; 1.2: PEP 708, since rejected; 1.3: PEP 740; 1.4:
//! PEP 792). Parsers accept every 1.x page, report a newer minor version as a
//! [`Warning::NewerMinorVersion`] and reject any other major version ([`SimpleError::UnsupportedApiVersion`]),
//! as [PEP 629](https://peps.python.org/pep-0629/) requires.
//!
//! # What a page may hold that the model keeps as text
//!
//! Servers send values this crate cannot always parse: `requires-python` strings that are not
//! PEP 440 specifiers, `versions` that are not PEP 440 versions, `upload-time` values in another
//! format, hashes in algorithms `hashlib` has but packaging does not use. The model keeps each
//! as the server sent it (so nothing is lost and a page renders back unchanged), and the parsers
//! report each as a [`Warning`] beside the page. Typed views are one call away:
//! [`File::requires_python_specifiers`], [`ProjectPage::parsed_versions`].
//!
//! # Where we follow pip rather than the letter of the specification
//!
//! - A yank reason that is the empty string means "yanked, no reason given", as pip treats it:
//!   [`Yanked::Yanked`] holds `None` then, in both encodings.
//! - PEP 708 (`tracks`, `alternate-locations`) was rejected, but some servers still send it: the
//!   parsers keep what they find, the renderers write it only when the model holds it.
//! - PEP 792 was first transcribed into the living specification as two `meta` keys,
//!   `project-status` and `project-status-reason`; the PEP (and the specification since its
//!   erratum) puts a `project-status` object `{"status", "reason"}` beside `meta`. The JSON parser
//!   accepts both spellings and reports the old one; the renderer writes the PEP's.

use std::fmt;
use std::io;
use std::str::FromStr;

use crate::diagnostic::Quoted;
use crate::hash::{Digest, HashAlgorithm};
use crate::version::{Version, VersionSpecifiers};

pub mod html;
pub mod json;
pub mod negotiate;

pub use negotiate::{Format, NotAcceptable, ProjectPath};

/// A simple API version, `MAJOR.MINOR` ([PEP 629](https://peps.python.org/pep-0629/)).
///
/// # Examples
///
/// ```
/// use pypackaging::simple::ApiVersion;
///
/// let v: ApiVersion = "1.1".parse()?;
/// assert!(v.is_supported());
/// assert_eq!(ApiVersion::LATEST.to_string(), "1.4");
/// assert!("2.0".parse::<ApiVersion>()?.major() == 2);
/// assert!("1".parse::<ApiVersion>().is_err());
/// # Ok::<(), pypackaging::simple::SimpleError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion {
    major: u32,
    minor: u32,
}

impl ApiVersion {
    /// 1.0: PEP 503 HTML as versioned by PEP 629, and PEP 691 JSON.
    pub const V1_0: ApiVersion = ApiVersion::new(1, 0);
    /// The latest version the specification defines and the one this crate renders: 1.4.
    pub const LATEST: ApiVersion = ApiVersion::new(1, 4);

    /// A version from its parts.
    pub const fn new(major: u32, minor: u32) -> Self {
        ApiVersion { major, minor }
    }

    /// The major part: a client must refuse a page whose major version it does not know.
    pub const fn major(self) -> u32 {
        self.major
    }

    /// The minor part: a newer one than the client knows is worth a warning only.
    pub const fn minor(self) -> u32 {
        self.minor
    }

    /// Whether this crate can read a page of this version (major version 1).
    pub const fn is_supported(self) -> bool {
        self.major == ApiVersion::LATEST.major
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for ApiVersion {
    type Err = SimpleError;

    /// Parses `MAJOR.MINOR`, two runs of ASCII digits: PEP 629 allows nothing else (no third
    /// part, no pre-release or local part).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || SimpleError::InvalidApiVersion {
            given: s.to_owned(),
        };
        let (major, minor) = s.split_once('.').ok_or_else(invalid)?;
        let part = |p: &str| {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            p.parse::<u32>().map_err(|_| invalid())
        };
        Ok(ApiVersion::new(part(major)?, part(minor)?))
    }
}

impl serde::Serialize for ApiVersion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for ApiVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Page-level metadata: the `meta` object of PEP 691, the `pypi:` meta tags of HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Meta {
    /// The API version the page declares; `None` when an HTML page has no
    /// `pypi:repository-version` tag (which PEP 629 reads as 1.0).
    pub api_version: Option<ApiVersion>,
    /// PyPI's `_last-serial` (JSON only; a private, underscore-prefixed key), as sent.
    pub last_serial: Option<String>,
    /// PEP 708 `tracks` (rejected; parsed where servers still send it).
    pub tracks: Vec<String>,
}

impl Meta {
    /// The API version a page rendered from this model declares: the version the model
    /// carries when this crate can write it (a 1.x version no newer than
    /// [`ApiVersion::LATEST`]; a page parsed at 1.0 is written at 1.0), [`ApiVersion::LATEST`]
    /// otherwise (no version, a newer minor or another major one).
    ///
    /// ```
    /// use pypackaging::simple::{ApiVersion, Meta};
    ///
    /// let mut meta = Meta::default();
    /// assert_eq!(meta.render_version(), ApiVersion::LATEST);
    /// meta.api_version = Some(ApiVersion::V1_0);
    /// assert_eq!(meta.render_version(), ApiVersion::V1_0);
    /// meta.api_version = Some(ApiVersion::new(1, 9));
    /// assert_eq!(meta.render_version(), ApiVersion::LATEST);
    /// ```
    pub fn render_version(&self) -> ApiVersion {
        match self.api_version {
            Some(v) if v.is_supported() && v <= ApiVersion::LATEST => v,
            _ => ApiVersion::LATEST,
        }
    }
}

/// A project's status marker ([PEP 792](https://peps.python.org/pep-0792/)).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusMarker {
    /// The default: the project is active.
    Active,
    /// The project expects no further updates.
    Archived,
    /// The project is unsafe to use (malware, say); indexes hide its files.
    Quarantined,
    /// The project is obsolete, perhaps superseded.
    Deprecated,
    /// A marker this crate does not know (PEP 792 asks clients to treat it as `active`), kept
    /// as sent and reported as a warning.
    Other(String),
}

impl StatusMarker {
    /// The marker as the page spells it.
    pub fn as_str(&self) -> &str {
        match self {
            StatusMarker::Active => "active",
            StatusMarker::Archived => "archived",
            StatusMarker::Quarantined => "quarantined",
            StatusMarker::Deprecated => "deprecated",
            StatusMarker::Other(s) => s,
        }
    }

    /// The marker for a page's text: never fails, unknown text is [`StatusMarker::Other`].
    pub fn new(s: &str) -> Self {
        match s {
            "active" => StatusMarker::Active,
            "archived" => StatusMarker::Archived,
            "quarantined" => StatusMarker::Quarantined,
            "deprecated" => StatusMarker::Deprecated,
            other => StatusMarker::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for StatusMarker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The project status of a page (PEP 792): a marker and an optional free-text reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ProjectStatus {
    /// The marker; `None` when the page gives only a reason.
    pub status: Option<StatusMarker>,
    /// Why the project has that status.
    pub reason: Option<String>,
}

/// Whether a file is yanked ([PEP 592](https://peps.python.org/pep-0592/)).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Yanked {
    /// Not yanked.
    #[default]
    No,
    /// Yanked, with the reason if one is given. An empty reason is stored as `None`, as pip
    /// reads it.
    Yanked(Option<String>),
}

impl Yanked {
    /// Yanked with `reason`, where an empty reason is no reason.
    pub fn with_reason(reason: &str) -> Self {
        Yanked::Yanked((!reason.is_empty()).then(|| reason.to_owned()))
    }

    /// Whether the file is yanked.
    pub fn is_yanked(&self) -> bool {
        matches!(self, Yanked::Yanked(_))
    }

    /// The reason, if the file is yanked with one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Yanked::Yanked(Some(r)) => Some(r),
            _ => None,
        }
    }
}

/// The digests a page gives for a file or its metadata.
///
/// `digests` holds the values this crate can check (one per algorithm, in algorithm order);
/// `unparsed` keeps every other `name → value` pair as sent (an algorithm outside
/// [`HashAlgorithm`], a value of the wrong length), which the parsers also report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Hashes {
    /// Parsed digests, sorted by algorithm, at most one per algorithm.
    pub digests: Vec<Digest>,
    /// Pairs that did not parse as a [`Digest`], sorted by name.
    pub unparsed: Vec<(String, String)>,
}

impl Hashes {
    /// No digests.
    pub fn new() -> Self {
        Hashes::default()
    }

    /// Digests from parsed values (sorted and deduplicated by algorithm, the last one kept).
    pub fn from_digests(digests: impl IntoIterator<Item = Digest>) -> Self {
        let mut hashes = Hashes::new();
        for digest in digests {
            hashes.insert(digest);
        }
        hashes
    }

    /// Adds a digest, replacing one of the same algorithm.
    pub fn insert(&mut self, digest: Digest) {
        match self
            .digests
            .binary_search_by_key(&digest.algorithm(), Digest::algorithm)
        {
            Ok(i) => self.digests[i] = digest,
            Err(i) => {
                // Most files have one digest: grow by one, not to `Vec`'s first four (a
                // `Digest` is 65 bytes).
                self.digests.reserve_exact(1);
                self.digests.insert(i, digest)
            }
        }
    }

    /// Adds a `name → value` pair as a page gives it: parsed when it can be, kept in
    /// `unparsed` otherwise (and then returned as a warning for the caller to report).
    pub(crate) fn insert_raw(&mut self, name: &str, value: &str) -> Option<Warning> {
        let parsed = name
            .parse::<HashAlgorithm>()
            .and_then(|a| Digest::from_hex(a, value));
        match parsed {
            Ok(digest) => {
                self.insert(digest);
                None
            }
            Err(error) => {
                match self
                    .unparsed
                    .binary_search_by(|(n, _)| n.as_str().cmp(name))
                {
                    Ok(i) => self.unparsed[i].1 = value.to_owned(),
                    Err(i) => self.unparsed.insert(i, (name.to_owned(), value.to_owned())),
                }
                Some(Warning::UnparsedHash {
                    name: name.to_owned(),
                    value: value.to_owned(),
                    reason: error.to_string(),
                })
            }
        }
    }

    /// The digest for `algorithm`, if any.
    pub fn get(&self, algorithm: HashAlgorithm) -> Option<&Digest> {
        self.digests.iter().find(|d| d.algorithm() == algorithm)
    }

    /// The strongest parsed digest: the one a PEP 503 URL fragment carries.
    pub fn strongest(&self) -> Option<&Digest> {
        self.digests
            .iter()
            .rev()
            .find(|d| d.is_strong())
            .or(self.digests.last())
    }

    /// Whether there are no digests at all, parsed or not.
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty() && self.unparsed.is_empty()
    }
}

/// Whether a file's core metadata is served beside it ([PEP 658](https://peps.python.org/pep-0658/),
/// [PEP 714](https://peps.python.org/pep-0714/)).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum CoreMetadata {
    /// The page says nothing.
    #[default]
    Absent,
    /// The page says there is none (JSON `false`; HTML cannot say this, it omits the attribute).
    Unavailable,
    /// It is served at the file's URL plus `.metadata`, with these digests (possibly none).
    Available(Hashes),
}

impl CoreMetadata {
    /// Whether the metadata is available.
    pub fn is_available(&self) -> bool {
        matches!(self, CoreMetadata::Available(_))
    }
}

/// One file on a project page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct File {
    /// The file name as the page gives it (anchor text in HTML, `filename` in JSON).
    pub filename: String,
    /// The URL, absolute once parsed from a page (relative URLs are resolved), without the hash
    /// fragment.
    pub url: String,
    /// Digests of the file (HTML carries at most one, in the URL fragment).
    pub hashes: Hashes,
    /// `requires-python` as sent: a PEP 440 specifier set, normally.
    pub requires_python: Option<String>,
    /// PEP 592 yank status.
    pub yanked: Yanked,
    /// PEP 658/714 core metadata availability.
    pub core_metadata: CoreMetadata,
    /// Whether a `.asc` signature is served beside the file; `None` when the page does not say.
    pub gpg_sig: Option<bool>,
    /// Size in bytes (PEP 700, JSON only).
    pub size: Option<u64>,
    /// Upload time as sent (PEP 700, JSON only), normally `YYYY-MM-DDThh:mm:ss[.ffffff]Z`.
    pub upload_time: Option<String>,
    /// URL of the PEP 740 provenance object, absolute once parsed.
    pub provenance: Option<String>,
}

impl File {
    /// A file with a name and URL and nothing else known.
    pub fn new(filename: impl Into<String>, url: impl Into<String>) -> Self {
        File {
            filename: filename.into(),
            url: url.into(),
            ..File::default()
        }
    }

    /// `requires-python` parsed as PEP 440 specifiers; `None` when absent.
    ///
    /// # Errors
    ///
    /// The string is not a valid specifier set.
    pub fn requires_python_specifiers(
        &self,
    ) -> Option<Result<VersionSpecifiers, crate::version::VersionSpecifiersParseError>> {
        self.requires_python
            .as_deref()
            .map(VersionSpecifiers::from_str)
    }
}

/// A project page: `/simple/<project>/`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ProjectPage {
    /// Page metadata.
    pub meta: Meta,
    /// The project name: JSON `name`; for HTML the name in `<title>Links for NAME</title>` (the
    /// form PyPI writes and this crate renders), else the last segment of the page URL.
    pub name: String,
    /// The files, in page order.
    pub files: Vec<File>,
    /// Every version of the project, as sent (PEP 700, JSON at API 1.1+); `None` when absent.
    pub versions: Option<Vec<String>>,
    /// PEP 792 project status; `None` when the page says nothing.
    pub status: Option<ProjectStatus>,
    /// PEP 708 `alternate-locations` (rejected; parsed where servers still send it).
    pub alternate_locations: Vec<String>,
}

impl ProjectPage {
    /// The `versions` that parse as PEP 440 versions, in page order, with the rest as text.
    pub fn parsed_versions(&self) -> (Vec<Version>, Vec<&str>) {
        let mut good = Vec::new();
        let mut bad = Vec::new();
        for v in self.versions.iter().flatten() {
            match v.parse() {
                Ok(version) => good.push(version),
                Err(_) => bad.push(v.as_str()),
            }
        }
        (good, bad)
    }
}

/// One project on a root page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProjectEntry {
    /// The name as written (JSON `name`, HTML anchor text).
    pub name: String,
    /// The project page URL (HTML only: resolved `href`); `None` renders as the normalized
    /// name plus `/`, relative to the root page.
    pub url: Option<String>,
}

/// A root page: `/simple/`, the list of every project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ProjectList {
    /// Page metadata.
    pub meta: Meta,
    /// The projects, in page order.
    pub projects: Vec<ProjectEntry>,
}

/// A parse result with the inconsistencies found on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    /// What was parsed.
    pub value: T,
    /// What the page got wrong but did not stop the parse, in page order.
    pub warnings: Vec<Warning>,
}

/// Something a page gets wrong that does not stop the parse. Each names the file (by its
/// index on the page) or the page part it is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Warning {
    /// The page declares an API version newer than [`ApiVersion::LATEST`] with the same major
    /// version: some of its data may be missed.
    #[error(
        "the page declares API version {declared}, newer than {}, the latest this crate knows",
        ApiVersion::LATEST
    )]
    NewerMinorVersion {
        /// The declared version.
        declared: ApiVersion,
    },
    /// A hash whose algorithm or value could not be parsed; kept in [`Hashes::unparsed`].
    #[error("hash `{}={}` kept as text: {reason}", Quoted(.name), Quoted(.value))]
    UnparsedHash {
        /// The algorithm name as sent.
        name: String,
        /// The value as sent.
        value: String,
        /// Why it did not parse.
        reason: String,
    },
    /// An HTML anchor's text differs from the file name at the end of its URL.
    #[error(
        "file {index}: anchor text `{}` differs from the file name `{}` in its URL",
        Quoted(.text),
        Quoted(.url_filename)
    )]
    FilenameMismatch {
        /// The file's index on the page.
        index: usize,
        /// The anchor text (the model's `filename`).
        text: String,
        /// The last URL path segment, percent-decoded.
        url_filename: String,
    },
    /// A URL fragment that is not a `ALGORITHM=HEX` hash.
    #[error("file {index}: URL fragment `{}` is not a hash", Quoted(.fragment))]
    NotAHashFragment {
        /// The file's index on the page.
        index: usize,
        /// The fragment, without `#`.
        fragment: String,
    },
    /// `upload-time` is not in the form `YYYY-MM-DDThh:mm:ss[.ffffff]Z` PEP 700 requires.
    #[error("file {index}: upload-time `{}` is not in the form YYYY-MM-DDThh:mm:ss[.ffffff]Z", Quoted(.value))]
    BadUploadTime {
        /// The file's index on the page.
        index: usize,
        /// The value as sent.
        value: String,
    },
    /// `requires-python` is not a PEP 440 specifier set.
    #[error("file {index}: requires-python `{}` is not a valid specifier set", Quoted(.value))]
    BadRequiresPython {
        /// The file's index on the page.
        index: usize,
        /// The value as sent.
        value: String,
    },
    /// An entry of `versions` is not a PEP 440 version.
    #[error("version `{}` in `versions` is not a valid PEP 440 version", Quoted(.value))]
    BadVersion {
        /// The value as sent.
        value: String,
    },
    /// A project status marker PEP 792 does not define.
    #[error("unknown project status `{}` (PEP 792 says to treat it as `active`)", Quoted(.value))]
    UnknownStatus {
        /// The marker as sent.
        value: String,
    },
    /// The project status uses the `meta.project-status` / `meta.project-status-reason` keys
    /// of the living specification's first transcription of PEP 792.
    #[error(
        "project status given as `meta.project-status` (an early transcription of PEP 792); the PEP puts a `project-status` object beside `meta`"
    )]
    LegacyStatusSpelling,
    /// Both `core-metadata` and `dist-info-metadata` are present and disagree; the
    /// `core-metadata` value is used.
    #[error(
        "file {index}: `core-metadata` and `dist-info-metadata` disagree; using `core-metadata`"
    )]
    MetadataKeysDisagree {
        /// The file's index on the page.
        index: usize,
    },
    /// An attribute value the parser could not read (`data-gpg-sig="maybe"`, say).
    #[error("file {index}: attribute {attribute} has the value `{}`, which is not allowed there", Quoted(.value))]
    BadAttribute {
        /// The file's index on the page.
        index: usize,
        /// The attribute name.
        attribute: &'static str,
        /// The value as sent.
        value: String,
    },
    /// A link `href` that could not be resolved against the page URL; kept as written.
    #[error("link `{}` could not be resolved against the page URL: {reason}", Quoted(.href))]
    UnresolvableUrl {
        /// The `href` as written.
        href: String,
        /// Why.
        reason: String,
    },
}

/// Why a page could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SimpleError {
    /// The page's API version is not `MAJOR.MINOR`.
    #[error("invalid API version `{}`: expected MAJOR.MINOR, as in `1.4`", Quoted(.given))]
    InvalidApiVersion {
        /// The version as given.
        given: String,
    },
    /// The page's major API version is not 1 (PEP 629: a client must not read it).
    #[error("unsupported API version {declared}: this crate reads major version {}", ApiVersion::LATEST.major())]
    UnsupportedApiVersion {
        /// The declared version.
        declared: ApiVersion,
    },
    /// The page URL given by the caller is not an absolute URL.
    #[error("invalid page URL `{}`: {reason}", Quoted(.url))]
    InvalidPageUrl {
        /// The URL as given.
        url: String,
        /// Why.
        reason: String,
    },
    /// JSON that is not a PEP 691 page (syntax, a wrong type, a missing key).
    #[error("invalid PEP 691 JSON at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde_json says.
        message: String,
    },
    /// A JSON page without `meta.api-version` (PEP 691 requires it).
    #[error("invalid PEP 691 JSON: `meta.api-version` is missing")]
    MissingApiVersion,
    /// The reader a page is streamed from failed.
    #[error("reading the page failed: {message}")]
    Io {
        /// The I/O error's message.
        message: String,
    },
    /// A page streamed from a reader is not UTF-8.
    #[error("the page is not UTF-8: invalid byte sequence at byte {offset}")]
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence in the page.
        offset: u64,
    },
}

impl SimpleError {
    pub(crate) fn json(e: &serde_json::Error) -> Self {
        let message = e.to_string();
        // serde_json appends " at line L column C"; the position has its own fields.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_owned(),
            None => message,
        };
        SimpleError::Json {
            line: e.line(),
            column: e.column(),
            message,
        }
    }
}

/// Checks a declared API version: an unsupported major is an error, a newer minor a warning.
pub(crate) fn check_api_version(
    version: ApiVersion,
    warnings: &mut Vec<Warning>,
) -> Result<(), SimpleError> {
    if !version.is_supported() {
        return Err(SimpleError::UnsupportedApiVersion { declared: version });
    }
    if version > ApiVersion::LATEST {
        warnings.push(Warning::NewerMinorVersion { declared: version });
    }
    Ok(())
}

/// Whether `s` has the PEP 700 `upload-time` form: `YYYY-MM-DDThh:mm:ss` with an optional
/// fraction of 1 to 6 digits and a `Z`, as `datetime.fromisoformat` and pypi-simple read it.
pub(crate) fn is_upload_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || b[10] != b'T'
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
        || b[b.len() - 1] != b'Z'
    {
        return false;
    }
    let two = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
    let (month, day, hour, minute, second) = (two(5), two(8), two(11), two(14), two(17));
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return false;
    }
    let rest = &b[19..b.len() - 1];
    match rest.split_first() {
        None => true,
        Some((b'.', frac)) => (1..=6).contains(&frac.len()) && frac.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

/// The checks shared by both parsers on each file. `last_valid` remembers the last
/// `requires-python` that parsed: most pages repeat one value for file after file.
pub(crate) fn check_file(
    index: usize,
    file: &File,
    last_valid: &mut Option<String>,
    warnings: &mut Vec<Warning>,
) {
    if let Some(t) = &file.upload_time
        && !is_upload_time(t)
    {
        warnings.push(Warning::BadUploadTime {
            index,
            value: t.clone(),
        });
    }
    if let Some(rp) = &file.requires_python
        && last_valid.as_ref() != Some(rp)
    {
        if VersionSpecifiers::from_str(rp).is_ok() {
            *last_valid = Some(rp.clone());
        } else {
            warnings.push(Warning::BadRequiresPython {
                index,
                value: rp.clone(),
            });
        }
    }
}

/// The checks shared by both parsers on a finished project page.
pub(crate) fn check_page(page: &ProjectPage, warnings: &mut Vec<Warning>) {
    for v in page.parsed_versions().1 {
        warnings.push(Warning::BadVersion {
            value: v.to_owned(),
        });
    }
    if let Some(ProjectStatus {
        status: Some(StatusMarker::Other(s)),
        ..
    }) = &page.status
    {
        warnings.push(Warning::UnknownStatus { value: s.clone() });
    }
}

impl serde::Serialize for ProjectPage {
    /// The page as PEP 691 JSON, URLs as the model holds them ([`json::write_project_page`]).
    /// There is no `Deserialize`: a JSON page's relative URLs need the page URL, which
    /// [`json::parse_project_page`] takes.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut text = String::new();
        json::write_project_page(&mut text, self, &RenderOptions::absolute())
            .map_err(serde::ser::Error::custom)?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(serde::ser::Error::custom)?;
        value.serialize(s)
    }
}

impl serde::Serialize for ProjectList {
    /// The root page as PEP 691 JSON ([`json::write_project_list`]).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut text = String::new();
        json::write_project_list(&mut text, self).map_err(serde::ser::Error::custom)?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(serde::ser::Error::custom)?;
        value.serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for ProjectList {
    /// From PEP 691 JSON ([`json::parse_project_list`]; its warnings are dropped).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        json::parse_project_list(&value.to_string())
            .map(|parsed| parsed.value)
            .map_err(serde::de::Error::custom)
    }
}

/// How a renderer writes URLs.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// When set, URLs are written relative to this page URL where they can be (same scheme
    /// and host); otherwise as the model holds them.
    pub relative_to: Option<url::Url>,
}

impl RenderOptions {
    /// URLs as the model holds them.
    pub fn absolute() -> Self {
        RenderOptions::default()
    }

    /// URLs relative to `page_url` where possible.
    ///
    /// # Errors
    ///
    /// `page_url` is not an absolute URL.
    pub fn relative_to(page_url: &str) -> Result<Self, SimpleError> {
        Ok(RenderOptions {
            relative_to: Some(page_url_parse(page_url)?),
        })
    }

    /// `url` as it should be written.
    pub(crate) fn link<'a>(&self, url: &'a str) -> std::borrow::Cow<'a, str> {
        if let Some(base) = &self.relative_to
            && let Ok(target) = url::Url::parse(url)
            && let Some(relative) = base.make_relative(&target)
        {
            return relative.into();
        }
        url.into()
    }
}

/// Resolves links against a base URL, with a fast path for the plain URLs index pages are made
/// of, so that a root page of a million links does not pay for a full WHATWG parse per link.
pub(crate) struct Resolver {
    base: url::Url,
    /// `scheme://host[:port]` of the base.
    origin: String,
    /// The base up to and including the last `/` of its path.
    directory: String,
}

/// Bytes a fast-path URL may hold after the authority: ones the WHATWG parser copies unchanged
/// into paths, queries and fragments of special URLs (no `%`, `\\`, `'`, quotes, spaces or
/// controls).
static PLAIN: [bool; 256] = byte_table!(|c| c.is_ascii_alphanumeric()
    || matches!(
        c,
        b'-' | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b':'
            | b'@'
            | b'?'
            | b'#'
    ));

/// [`PLAIN`] by kind: 0 not plain, 1 plain, 2 plain and ending a path segment (`/`, `?`, `#`).
static PLAIN_KIND: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        if PLAIN[b] {
            table[b] = if matches!(b as u8, b'/' | b'?' | b'#') {
                2
            } else {
                1
            };
        }
        b += 1;
    }
    table
};

/// Whether `rest` (a path with optional query and fragment) is copied unchanged by the URL
/// parser: plain bytes only and no `.` or `..` segment in the path.
fn plain_rest(rest: &str) -> bool {
    // One pass: every byte plain, and each path segment (up to the first `?` or `#`) checked
    // as its `/` (or the end of the path) is reached; one table look-up for most bytes.
    let bytes = rest.as_bytes();
    let dots = |segment: &[u8]| segment == b"." || segment == b"..";
    let mut in_path = true;
    let mut segment_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match PLAIN_KIND[usize::from(b)] {
            1 => {}
            0 => return false,
            _ => {
                if in_path {
                    if dots(&bytes[segment_start..i]) {
                        return false;
                    }
                    segment_start = i + 1;
                    in_path = b == b'/';
                }
            }
        }
    }
    !(in_path && dots(&bytes[segment_start..]))
}

impl Resolver {
    pub(crate) fn new(base: url::Url) -> Self {
        let origin = match base.host_str() {
            Some(_) if base.cannot_be_a_base() => String::new(),
            Some(_) => base[..url::Position::BeforePath].to_owned(),
            None => String::new(),
        };
        let path_end = &base[..url::Position::AfterPath];
        let directory = match path_end.rfind('/') {
            Some(i) if !origin.is_empty() && i >= origin.len() => path_end[..=i].to_owned(),
            _ => String::new(),
        };
        Resolver {
            base,
            origin,
            directory,
        }
    }

    /// The fast path: `None` when the full parser must decide.
    fn fast(&self, href: &str) -> Option<String> {
        let special = matches!(self.base.scheme(), "http" | "https");
        if !special || self.origin.is_empty() || href.is_empty() {
            return None;
        }
        if let Some(rest) = href
            .strip_prefix("https://")
            .or_else(|| href.strip_prefix("http://"))
        {
            // An absolute URL: a lower-case DNS name whose last label starts with a letter (so it
            // is not an IPv4 address), no port, user or IDNA label, and a plain path.
            let slash = rest.find('/')?;
            let host = &rest[..slash];
            let last = host.rsplit('.').next()?;
            let host_ok = !host.is_empty()
                && host.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-'
                })
                && last.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
                && !host.contains("xn--")
                && !host.contains("..")
                && !host.starts_with('.');
            return (host_ok && plain_rest(&rest[slash..])).then(|| href.to_owned());
        }
        if href.starts_with("//") || !plain_rest(href) {
            return None;
        }
        let prefix = if href.starts_with('/') {
            &self.origin
        } else {
            // A relative path: its first segment must not look like a scheme, and it must
            // not be a query or fragment only.
            let first = href.split('/').next().unwrap_or("");
            if first.contains(':') || href.starts_with(['?', '#']) || self.directory.is_empty() {
                return None;
            }
            &self.directory
        };
        let mut out = String::with_capacity(prefix.len() + href.len());
        out.push_str(prefix);
        out.push_str(href);
        Some(out)
    }

    /// Resolves `href` to text; an unresolvable one is reported and kept as written.
    pub(crate) fn resolve_text(&self, href: &str, warnings: &mut Vec<Warning>) -> String {
        if let Some(fast) = self.fast(href) {
            return fast;
        }
        match self.base.join(href) {
            Ok(url) => url.into(),
            Err(e) => {
                warnings.push(Warning::UnresolvableUrl {
                    href: href.to_owned(),
                    reason: e.to_string(),
                });
                href.to_owned()
            }
        }
    }
}

/// Parses the page URL a caller gives.
pub(crate) fn page_url_parse(url: &str) -> Result<url::Url, SimpleError> {
    url::Url::parse(url).map_err(|e| SimpleError::InvalidPageUrl {
        url: url.to_owned(),
        reason: e.to_string(),
    })
}

/// Adapts an [`io::Write`] to [`fmt::Write`], keeping the first I/O error.
pub(crate) struct IoAdapter<W> {
    pub(crate) inner: W,
    pub(crate) error: Option<io::Error>,
}

impl<W: io::Write> fmt::Write for IoAdapter<W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.inner.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            fmt::Error
        })
    }
}

/// Runs a `fmt::Write` renderer into an `io::Write`.
pub(crate) fn render_io<W: io::Write>(
    out: W,
    render: impl FnOnce(&mut IoAdapter<W>) -> fmt::Result,
) -> io::Result<()> {
    let mut adapter = IoAdapter {
        inner: out,
        error: None,
    };
    match render(&mut adapter) {
        Ok(()) => Ok(()),
        Err(fmt::Error) => Err(adapter
            .error
            .unwrap_or_else(|| io::Error::other("formatting failed"))),
    }
}

#[cfg(test)]
mod tests {

    /// The one-pass check agrees with the two-step definition: all bytes plain, no `.` or `..`
    /// segment in the path part.
    #[test]
    fn plain_rest_matches_its_definition() {
        fn reference(rest: &str) -> bool {
            rest.bytes().all(|b| PLAIN[usize::from(b)])
                && !rest
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("")
                    .split('/')
                    .any(|s| s == "." || s == "..")
        }
        let parts = ["/", ".", "..", "a", "?", "#", "%", "...", "b.c", " "];
        let mut cases = vec![String::new()];
        for _ in 0..4 {
            cases = cases
                .iter()
                .flat_map(|c| parts.iter().map(move |p| format!("{c}{p}")))
                .collect();
            for case in &cases {
                assert_eq!(plain_rest(case), reference(case), "{case:?}");
            }
        }
    }

    use super::*;

    /// The fast path agrees with the WHATWG parser wherever it answers.
    #[test]
    fn fast_resolution_agrees_with_url() {
        for base in [
            "https://index.example/simple/demo/",
            "https://index.example:8443/a/b?q#f",
            "http://index.example",
            "file:///srv/simple/demo/",
        ] {
            let resolver = Resolver::new(url::Url::parse(base).unwrap());
            for href in [
                "demo-1.0.tar.gz#sha256=00ff",
                "/simple/foo/",
                "../../files/x.whl",
                "./x",
                "a/./b",
                "https://files.example/p/x.whl#md5=00",
                "https://FILES.example/x",
                "https://1.2.3.4/x",
                "https://files.example",
                "https://files.example:443/x",
                "http://xn--nxa.example/x",
                "//other.example/x",
                "x:y/z",
                "?q=1",
                "#frag",
                "a b",
                "a%2e%2e/b",
                "foo/?a=1&b=2;c",
            ] {
                let slow = url::Url::parse(base)
                    .unwrap()
                    .join(href)
                    .map(String::from)
                    .ok();
                if let Some(fast) = resolver.fast(href) {
                    assert_eq!(Some(fast), slow, "{base} + {href}");
                }
            }
        }
    }

    proptest::proptest! {
        /// The fast path agrees with the WHATWG parser on generated links too.
        #[test]
        fn fast_resolution_agrees_on_generated_links(
            href in "(https?://[a-zA-Z0-9.-]{0,8}(:[0-9]{1,3})?)?[a-zA-Z0-9/._:?#%&=~ -]{0,16}",
        ) {
            let base = "https://index.example/simple/demo/";
            let resolver = Resolver::new(url::Url::parse(base).unwrap());
            let slow = url::Url::parse(base).unwrap().join(&href).map(String::from).ok();
            if let Some(fast) = resolver.fast(&href) {
                proptest::prop_assert_eq!(Some(fast), slow, "{}", href);
            }
        }
    }

    #[test]
    fn upload_times() {
        assert!(is_upload_time("2024-01-02T03:04:05.123456Z"));
        assert!(is_upload_time("2024-01-02T03:04:05Z"));
        assert!(is_upload_time("2024-01-02T03:04:05.1Z"));
        assert!(!is_upload_time("2024-01-02T03:04:05.1234567Z"));
        assert!(!is_upload_time("2024-01-02 03:04:05Z"));
        assert!(!is_upload_time("2024-01-02T03:04:05+00:00"));
        assert!(!is_upload_time("2024-13-02T03:04:05Z"));
        assert!(!is_upload_time("2024-01-02T03:04:05.Z"));
    }

    #[test]
    fn api_versions() {
        assert_eq!(
            "1.10".parse::<ApiVersion>().unwrap(),
            ApiVersion::new(1, 10)
        );
        for bad in ["1", "1.", ".1", "1.0.0", "v1.0", "1.0a1", " 1.0", "1.+1"] {
            assert!(bad.parse::<ApiVersion>().is_err(), "{bad}");
        }
        insta::assert_snapshot!("1.0.0".parse::<ApiVersion>().unwrap_err(), @"invalid API version `1.0.0`: expected MAJOR.MINOR, as in `1.4`");
    }

    #[test]
    fn hashes_keep_what_they_cannot_parse() {
        let mut h = Hashes::new();
        assert!(h.insert_raw("sha256", &"ab".repeat(32)).is_none());
        let w = h.insert_raw("blake2b", "00").unwrap();
        insta::assert_snapshot!(w, @"hash `blake2b=00` kept as text: unknown hash algorithm `blake2b` (expected one of md5, sha1, sha224, sha256, sha384, sha512)");
        assert_eq!(h.unparsed, [("blake2b".to_owned(), "00".to_owned())]);
        assert_eq!(h.strongest().unwrap().algorithm(), HashAlgorithm::Sha256);
    }
}
