//! METADATA and PKG-INFO: the raw tier ([`RawMetadata`]) and the validated tier
//! ([`CoreMetadata`]).

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use super::field::{Field, MetadataVersion, json_key};
use super::license::{LicenseExpression, LicenseExpressionError};
use super::rfc822;
use crate::diagnostic::Quoted;
use crate::name::{ExtraName, NameError, PackageName};
use crate::version::is_python_space;
use crate::version::{Requirement, Version, VersionSpecifiers};

/// Why a field went to [`RawMetadata::unparsed`] instead of being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnparsedReason {
    /// A header this crate does not know.
    Unknown,
    /// A single-use field given more than once.
    Repeated,
    /// A value that is not valid UTF-8 (kept decoded as Latin-1, as packaging does).
    InvalidUtf8,
    /// `Project-URL` with the same label twice.
    DuplicateLabel,
    /// A `Description` header and a message body both given.
    DescriptionTwice,
}

impl fmt::Display for UnparsedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UnparsedReason::Unknown => "unknown field",
            UnparsedReason::Repeated => "a single-use field given more than once",
            UnparsedReason::InvalidUtf8 => "not valid UTF-8",
            UnparsedReason::DuplicateLabel => "the same label given twice",
            UnparsedReason::DescriptionTwice => "a `Description` header and a message body",
        })
    }
}

/// A field that could not be read, with its values as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Unparsed {
    /// The header name, lower-cased.
    pub name: String,
    /// Every value, in file order (Latin-1 decoded where not UTF-8).
    pub values: Vec<String>,
    /// Why it was not read.
    pub reason: UnparsedReason,
}

/// The fields of a METADATA or PKG-INFO file as text, exactly as `packaging.metadata.parse_email`
/// reads them: lenient, never failing, losing nothing.
///
/// Known fields hold their values in file order; a single-use field holds one value. Fields that
/// cannot be read (unknown, repeated single-use fields, non-UTF-8 values, duplicate
/// `Project-URL` labels, a description given both as header and body) are kept in
/// [`unparsed`](Self::unparsed). Typed access to each field is on [`CoreMetadata`], which
/// [`validate`](Self::validate) builds.
///
/// # Examples
///
/// ```
/// use pypackaging::metadata::{Field, RawMetadata};
///
/// let raw = RawMetadata::parse(b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nX-Custom: 1\n\nHello\n");
/// assert_eq!(raw.get(Field::Name), Some("demo"));
/// assert_eq!(raw.get(Field::Description), Some("Hello\n"));
/// assert_eq!(raw.unparsed()[0].name, "x-custom");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RawMetadata {
    /// The values of each field, indexed by [`Field::index`]; `None` when absent.
    fields: [Option<Vec<String>>; Field::COUNT],
    unparsed: Vec<Unparsed>,
}

impl Default for RawMetadata {
    fn default() -> Self {
        RawMetadata {
            fields: std::array::from_fn(|_| None),
            unparsed: Vec::new(),
        }
    }
}

impl fmt::Debug for RawMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawMetadata")
            .field("fields", &DebugFields(self))
            .field("unparsed", &self.unparsed)
            .finish()
    }
}

/// The present fields as a map, for `Debug`.
struct DebugFields<'a>(&'a RawMetadata);

impl fmt::Debug for DebugFields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.fields()).finish()
    }
}

fn decode(bytes: &[u8]) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(_) => Err(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// Whether two `Project-URL` values have the same label: a scan of the earlier labels for a
/// few values (real files have a handful), a set beyond that, so that a hostile file with many
/// costs linear time.
fn has_duplicate_label(values: &[String]) -> bool {
    if values.len() <= SMALL {
        return values.iter().enumerate().any(|(i, value)| {
            let label = project_url_label(value);
            values[..i].iter().any(|v| project_url_label(v) == label)
        });
    }
    let mut seen = std::collections::HashSet::with_capacity(values.len());
    !values.iter().all(|v| seen.insert(project_url_label(v)))
}

/// Up to this many items a linear scan beats hashing; past it, a hash set keeps the reader
/// linear in its input.
const SMALL: usize = 16;

/// The label of `label, url`: up to the first comma, trimmed.
fn project_url_label(value: &str) -> &str {
    value
        .split_once(',')
        .map_or(value, |(label, _)| label)
        .trim_matches(is_python_space)
}

/// Splits `label, url` at the first comma, both sides trimmed (packaging's `partition`).
pub(super) fn split_project_url(value: &str) -> (String, String) {
    let (label, url) = value.split_once(',').unwrap_or((value, ""));
    (
        label.trim_matches(is_python_space).to_owned(),
        url.trim_matches(is_python_space).to_owned(),
    )
}

impl RawMetadata {
    /// An empty set of fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a METADATA or PKG-INFO file.
    ///
    /// Headers are split as CPython's `email` package does with the `compat32` policy (see the
    /// [module documentation](super)); folded values keep their line breaks. The body, when
    /// not empty, is the description.
    pub fn parse(data: &[u8]) -> RawMetadata {
        let mut raw = RawMetadata::default();
        // One pass over the headers, decoding each value into its field. Per known field: the
        // position of its first header (`unparsed` is in order of first appearance) and
        // whether a value was not UTF-8.
        let mut first = [usize::MAX; Field::COUNT];
        let mut latin1 = [false; Field::COUNT];
        // Unknown names, lower-cased: first position, values, whether all were UTF-8.
        let mut unknown: Vec<(usize, String, Vec<String>, bool)> = Vec::new();
        // Their index by lower-cased name bytes, once there are more than a few (a hostile file
        // with a million distinct names must not cost a scan per header).
        let mut unknown_index: std::collections::HashMap<Vec<u8>, usize> =
            std::collections::HashMap::new();
        let mut position = 0;
        let body = rfc822::parse_each(data, |header| {
            let (value, utf8) = match decode(header.value) {
                Ok(value) => (value, true),
                Err(value) => (value, false),
            };
            match Field::from_name_bytes(header.name) {
                Some(field) => {
                    let i = field.index();
                    if first[i] == usize::MAX {
                        first[i] = position;
                    }
                    latin1[i] |= !utf8;
                    raw.fields[i].get_or_insert_with(Vec::new).push(value);
                }
                None => {
                    let found = if unknown.len() <= SMALL {
                        unknown
                            .iter()
                            .position(|u| u.1.as_bytes().eq_ignore_ascii_case(header.name))
                    } else {
                        if unknown_index.is_empty() {
                            for (i, u) in unknown.iter().enumerate() {
                                unknown_index.insert(u.1.as_bytes().to_ascii_lowercase(), i);
                            }
                        }
                        unknown_index
                            .get(&header.name.to_ascii_lowercase())
                            .copied()
                    };
                    match found {
                        Some(i) => {
                            let group = &mut unknown[i];
                            group.2.push(value);
                            group.3 &= utf8;
                        }
                        None => {
                            let name = String::from_utf8_lossy(header.name).to_ascii_lowercase();
                            // Keyed as the scan compares: the stored (lossy) name against the
                            // header's bytes, so a name that is not UTF-8 never matches.
                            if !unknown_index.is_empty() {
                                unknown_index.insert(name.as_bytes().to_vec(), unknown.len());
                            }
                            unknown.push((position, name, vec![value], utf8));
                        }
                    }
                }
            }
            position += 1;
        });
        // The fields that cannot be read, with the position of their first header.
        let mut unparsed: Vec<(usize, Unparsed)> = Vec::new();
        for (i, &field) in Field::ALL.iter().enumerate() {
            let Some(values) = &raw.fields[i] else {
                continue;
            };
            let reason = if latin1[i] {
                UnparsedReason::InvalidUtf8
            } else if !field.is_multiple_use() && values.len() != 1 {
                UnparsedReason::Repeated
            } else if field == Field::ProjectUrl && has_duplicate_label(values) {
                UnparsedReason::DuplicateLabel
            } else {
                if field == Field::ImportName && values == &[""] {
                    raw.fields[i] = Some(Vec::new());
                }
                continue;
            };
            let values = raw.fields[i].take().unwrap_or_default();
            unparsed.push((
                first[i],
                Unparsed {
                    name: field.as_str().to_ascii_lowercase(),
                    values,
                    reason,
                },
            ));
        }
        for (position, name, values, utf8) in unknown {
            let reason = if utf8 {
                UnparsedReason::Unknown
            } else {
                UnparsedReason::InvalidUtf8
            };
            unparsed.push((
                position,
                Unparsed {
                    name,
                    values,
                    reason,
                },
            ));
        }
        unparsed.sort_by_key(|(position, _)| *position);
        raw.unparsed = unparsed.into_iter().map(|(_, u)| u).collect();
        if !body.is_empty() {
            match decode(body) {
                Ok(body) => {
                    if let Some(header) = raw.fields[Field::Description.index()].take() {
                        raw.unparsed.push(Unparsed {
                            name: "description".into(),
                            values: header.into_iter().chain([body]).collect(),
                            reason: UnparsedReason::DescriptionTwice,
                        });
                    } else if let Some(entry) =
                        raw.unparsed.iter_mut().find(|u| u.name == "description")
                    {
                        entry.values.push(body);
                    } else {
                        raw.fields[Field::Description.index()] = Some(vec![body]);
                    }
                }
                Err(latin1) => match raw.unparsed.iter_mut().find(|u| u.name == "description") {
                    Some(entry) => entry.values.push(latin1),
                    None => raw.unparsed.push(Unparsed {
                        name: "description".into(),
                        values: vec![latin1],
                        reason: UnparsedReason::InvalidUtf8,
                    }),
                },
            }
        }
        raw
    }

    /// The value of a single-use field (the first value of a multiple-use one).
    pub fn get(&self, field: Field) -> Option<&str> {
        self.fields[field.index()]
            .as_ref()
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// Every value of a field, in file order (empty when absent).
    pub fn get_all(&self, field: Field) -> &[String] {
        self.fields[field.index()]
            .as_ref()
            .map_or(&[], Vec::as_slice)
    }

    /// Whether the field is present (`Import-Name` may be present with no value).
    pub fn contains(&self, field: Field) -> bool {
        self.fields[field.index()].is_some()
    }

    /// Sets a field's values (replacing any), or removes it when `values` is empty and the
    /// field is not `Import-Name` (whose empty form means "no import names").
    pub fn set(&mut self, field: Field, values: Vec<String>) {
        self.fields[field.index()] = if values.is_empty() && field != Field::ImportName {
            None
        } else {
            Some(values)
        };
    }

    /// Removes a field.
    pub fn remove(&mut self, field: Field) -> Option<Vec<String>> {
        self.fields[field.index()].take()
    }

    /// The present fields with their values, in writing order.
    pub fn fields(&self) -> impl Iterator<Item = (Field, &[String])> {
        Field::ALL
            .iter()
            .zip(&self.fields)
            .filter_map(|(f, v)| Some((*f, v.as_deref()?)))
    }

    /// The fields that could not be read, in order of first appearance.
    pub fn unparsed(&self) -> &[Unparsed] {
        &self.unparsed
    }

    /// `Keywords` split on commas, each trimmed, as packaging splits it.
    pub fn keywords(&self) -> Option<Vec<String>> {
        self.get(Field::Keywords).map(split_keywords)
    }

    /// `Project-URL` as (label, URL) pairs, in file order.
    pub fn project_urls(&self) -> Vec<(String, String)> {
        self.get_all(Field::ProjectUrl)
            .iter()
            .map(|v| split_project_url(v))
            .collect()
    }

    /// The fields in the [PEP 566 JSON form](https://peps.python.org/pep-0566/#json-compatible-metadata):
    /// keys lower-case with `_` for `-`, multiple-use fields as lists, `keywords` split on
    /// commas (as packaging does; PEP 566 says whitespace, which no tool writes), `project_url`
    /// as `label, url` strings, the description as `description`. Unparsed fields are included
    /// as lists of their values.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        for (field, values) in self.fields() {
            let value = match field {
                Field::Keywords => Value::from(self.keywords().unwrap_or_default()),
                Field::ProjectUrl => Value::from(
                    self.project_urls()
                        .into_iter()
                        .map(|(l, u)| format!("{l}, {u}"))
                        .collect::<Vec<_>>(),
                ),
                f if f.is_multiple_use() => Value::from(values.to_vec()),
                _ => Value::from(values[0].clone()),
            };
            map.insert(field.json_key(), value);
        }
        for unparsed in &self.unparsed {
            map.insert(
                json_key(&unparsed.name),
                Value::from(unparsed.values.clone()),
            );
        }
        Value::Object(map)
    }
}

/// Writes the fields as a METADATA file: known fields in [`Field`] order with the
/// specification's spelling, then unparsed fields under their lower-cased names, a blank line,
/// and the description as the body.
///
/// Values keep the folds they were read with; other line breaks (`\n`, `\r`, `\r\n`) are
/// folded with an indentation as wide as `Name: `, as packaging writes them. Only these are
/// folded (packaging also folds `\v`, `\f`, U+2028, ... for older CPython readers, which would
/// change the value for every reader that follows the `compat32` grammar).
///
/// For every `raw` read by [`RawMetadata::parse`] that has no unparsed fields,
/// `RawMetadata::parse(raw.to_string().as_bytes()) == raw`. An empty description is written as
/// a `Description:` header, since an empty body means "no description".
impl fmt::Display for RawMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let mut body = None;
        for (field, values) in self.fields() {
            match field {
                Field::Description if !values[0].is_empty() => body = Some(&values[0]),
                Field::ImportName if values.is_empty() => {
                    rfc822::write_header(&mut out, field.as_str(), "");
                }
                _ => {
                    for value in values {
                        rfc822::write_header(&mut out, field.as_str(), value);
                    }
                }
            }
        }
        for unparsed in &self.unparsed {
            for value in &unparsed.values {
                rfc822::write_header(&mut out, &unparsed.name, value);
            }
        }
        out.push('\n');
        if let Some(body) = body {
            out.push_str(body);
        }
        f.write_str(&out)
    }
}

/// [`split_project_url`] reusing the value's buffer for the URL.
pub(super) fn split_project_url_owned(mut value: String) -> (String, String) {
    let Some(comma) = value.find(',') else {
        return (
            value.trim_matches(is_python_space).to_owned(),
            String::new(),
        );
    };
    let label = value[..comma].trim_matches(is_python_space).to_owned();
    let rest = &value[comma + 1..];
    let start = comma + 1 + (rest.len() - rest.trim_start_matches(is_python_space).len());
    let end = start + rest.trim_matches(is_python_space).len();
    value.truncate(end);
    value.drain(..start);
    (label, value)
}

/// `Keywords` split as packaging splits it.
pub(super) fn split_keywords(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|k| k.trim_matches(is_python_space).to_owned())
        .collect()
}

/// Core metadata that passed validation against its `Metadata-Version`, with typed fields.
///
/// Built by [`CoreMetadata::parse`] (or [`RawMetadata::validate`]); written back by
/// [`Display`](fmt::Display) (see [`RawMetadata`]'s). Absent optional fields are `None` or
/// empty.
///
/// # Examples
///
/// ```
/// use pypackaging::metadata::CoreMetadata;
///
/// let metadata = CoreMetadata::parse(
///     b"Metadata-Version: 2.4\nName: Demo\nVersion: 1.0\nRequires-Dist: requests>=2\n\
///       License-Expression: mit\n",
/// )?;
/// assert_eq!(metadata.normalized_name().as_str(), "demo");
/// assert_eq!(metadata.requires_dist[0].name.as_ref(), "requests");
/// assert_eq!(metadata.license_expression.as_ref().unwrap().as_str(), "MIT");
/// # Ok::<(), pypackaging::metadata::MetadataErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CoreMetadata {
    /// `Metadata-Version`.
    pub metadata_version: MetadataVersion,
    /// `Name`, as written (a valid name; see [`normalized_name`](Self::normalized_name)).
    pub name: String,
    /// `Version`.
    pub version: Version,
    /// `Dynamic`.
    pub dynamic: Vec<Field>,
    /// `Platform`.
    pub platforms: Vec<String>,
    /// `Supported-Platform`.
    pub supported_platforms: Vec<String>,
    /// `Summary` (one line).
    pub summary: Option<String>,
    /// `Description` or the message body, as written (see
    /// [`unescape_description`](super::unescape_description) for the old header form).
    pub description: Option<String>,
    /// `Description-Content-Type`.
    pub description_content_type: Option<String>,
    /// `Keywords`, split on commas.
    pub keywords: Option<Vec<String>>,
    /// `Home-page`.
    pub home_page: Option<String>,
    /// `Download-URL`.
    pub download_url: Option<String>,
    /// `Author`.
    pub author: Option<String>,
    /// `Author-email`.
    pub author_email: Option<String>,
    /// `Maintainer`.
    pub maintainer: Option<String>,
    /// `Maintainer-email`.
    pub maintainer_email: Option<String>,
    /// `License` (free text).
    pub license: Option<String>,
    /// `License-Expression`, canonicalized.
    pub license_expression: Option<LicenseExpression>,
    /// `License-File`.
    pub license_files: Vec<String>,
    /// `Classifier`.
    pub classifiers: Vec<String>,
    /// `Requires-Dist`.
    pub requires_dist: Vec<Requirement>,
    /// `Requires-Python`.
    pub requires_python: Option<VersionSpecifiers>,
    /// `Requires-External` (not PEP 508: kept as text, as packaging does).
    pub requires_external: Vec<String>,
    /// `Project-URL` as (label, URL) pairs.
    pub project_urls: Vec<(String, String)>,
    /// `Provides-Extra`, normalized.
    pub provides_extra: Vec<ExtraName>,
    /// `Provides-Dist`.
    pub provides_dist: Vec<String>,
    /// `Obsoletes-Dist`.
    pub obsoletes_dist: Vec<String>,
    /// `Import-Name`: `Some(vec![])` is the empty field ("imports nothing").
    pub import_names: Option<Vec<String>>,
    /// `Import-Namespace`.
    pub import_namespaces: Vec<String>,
    /// `Requires` (deprecated).
    pub requires: Vec<String>,
    /// `Provides` (deprecated).
    pub provides: Vec<String>,
    /// `Obsoletes` (deprecated).
    pub obsoletes: Vec<String>,
}

impl CoreMetadata {
    /// The normalized project name.
    pub fn normalized_name(&self) -> PackageName {
        // Validation checked the name.
        PackageName::new(&self.name).unwrap_or_else(|_| unreachable!("validated name"))
    }

    /// The fields as text, the inverse of [`RawMetadata::validate`].
    pub fn to_raw(&self) -> RawMetadata {
        let mut raw = RawMetadata::new();
        let one = |v: &Option<String>| v.iter().cloned().collect::<Vec<_>>();
        let all = |v: &[String]| v.to_vec();
        raw.set(
            Field::MetadataVersion,
            vec![self.metadata_version.to_string()],
        );
        raw.set(Field::Name, vec![self.name.clone()]);
        raw.set(Field::Version, vec![self.version.to_string()]);
        raw.set(
            Field::Dynamic,
            self.dynamic.iter().map(|f| f.as_str().to_owned()).collect(),
        );
        raw.set(Field::Platform, all(&self.platforms));
        raw.set(Field::SupportedPlatform, all(&self.supported_platforms));
        raw.set(Field::Summary, one(&self.summary));
        raw.set(Field::Description, one(&self.description));
        raw.set(
            Field::DescriptionContentType,
            one(&self.description_content_type),
        );
        raw.set(
            Field::Keywords,
            self.keywords.iter().map(|k| k.join(",")).collect(),
        );
        raw.set(Field::HomePage, one(&self.home_page));
        raw.set(Field::DownloadUrl, one(&self.download_url));
        raw.set(Field::Author, one(&self.author));
        raw.set(Field::AuthorEmail, one(&self.author_email));
        raw.set(Field::Maintainer, one(&self.maintainer));
        raw.set(Field::MaintainerEmail, one(&self.maintainer_email));
        raw.set(Field::License, one(&self.license));
        raw.set(
            Field::LicenseExpression,
            self.license_expression
                .iter()
                .map(ToString::to_string)
                .collect(),
        );
        raw.set(Field::LicenseFile, all(&self.license_files));
        raw.set(Field::Classifier, all(&self.classifiers));
        raw.set(
            Field::RequiresDist,
            self.requires_dist.iter().map(ToString::to_string).collect(),
        );
        raw.set(
            Field::RequiresPython,
            self.requires_python
                .iter()
                .map(ToString::to_string)
                .collect(),
        );
        raw.set(Field::RequiresExternal, all(&self.requires_external));
        raw.set(
            Field::ProjectUrl,
            self.project_urls
                .iter()
                .map(|(l, u)| format!("{l}, {u}"))
                .collect(),
        );
        raw.set(
            Field::ProvidesExtra,
            self.provides_extra
                .iter()
                .map(ToString::to_string)
                .collect(),
        );
        raw.set(Field::ProvidesDist, all(&self.provides_dist));
        raw.set(Field::ObsoletesDist, all(&self.obsoletes_dist));
        match &self.import_names {
            Some(names) => raw.set(Field::ImportName, names.clone()),
            None => {
                raw.remove(Field::ImportName);
            }
        }
        raw.set(Field::ImportNamespace, all(&self.import_namespaces));
        raw.set(Field::Requires, all(&self.requires));
        raw.set(Field::Provides, all(&self.provides));
        raw.set(Field::Obsoletes, all(&self.obsoletes));
        raw
    }

    /// The [PEP 566 JSON form](https://peps.python.org/pep-0566/#json-compatible-metadata)
    /// (see [`RawMetadata::to_json`]).
    pub fn to_json(&self) -> Value {
        self.to_raw().to_json()
    }
}

/// Writes the metadata as a METADATA file (see [`RawMetadata`]'s `Display`): for every
/// `m` that [`CoreMetadata::parse`] returned, `CoreMetadata::parse(m.to_string().as_bytes())
/// == Ok(m)`.
impl fmt::Display for CoreMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_raw().fmt(f)
    }
}

impl FromStr for CoreMetadata {
    type Err = MetadataErrors;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CoreMetadata::parse(s.as_bytes())
    }
}

/// One problem found by validation.
///
/// Each names its field ([`field`](Self::field)) and quotes the value at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MetadataError {
    /// A field that could not be read (see [`UnparsedReason`]).
    #[error("`{name}` could not be read: {reason}")]
    Unparsed {
        /// The header name, lower-cased.
        name: String,
        /// Why.
        reason: UnparsedReason,
    },
    /// `Metadata-Version` is missing.
    #[error("required field `Metadata-Version` is missing")]
    MissingMetadataVersion,
    /// `Metadata-Version` is not a known version.
    #[error(transparent)]
    InvalidMetadataVersion(#[from] super::field::MetadataVersionError),
    /// A required field is missing or empty.
    #[error("required field `{field}` is missing or empty")]
    Missing {
        /// `Name` or `Version`.
        field: Field,
    },
    /// A field newer than the declared `Metadata-Version`.
    #[error(
        "`{field}` was introduced in metadata version {added}, but the file declares {declared}"
    )]
    TooNew {
        /// The field.
        field: Field,
        /// The version that introduced it.
        added: MetadataVersion,
        /// The version the file declares.
        declared: MetadataVersion,
    },
    /// `Name` is not a valid project name.
    #[error("invalid `Name`: {source}")]
    InvalidName {
        /// Why.
        #[source]
        source: NameError,
    },
    /// `Version` is not a PEP 440 version.
    #[error("invalid `Version` `{}`: {reason}", Quoted(.value))]
    InvalidVersion {
        /// The value.
        value: String,
        /// The version parser's message.
        reason: String,
    },
    /// `Summary` holds a line break.
    #[error("`Summary` must be a single line: `{}`", Quoted(.value))]
    MultilineSummary {
        /// The value.
        value: String,
    },
    /// `Description-Content-Type` is not a valid content type for descriptions.
    #[error("invalid `Description-Content-Type` `{}`: {reason}", Quoted(.value))]
    InvalidContentType {
        /// The value.
        value: String,
        /// Why.
        reason: String,
    },
    /// `Dynamic` names a field it may not name.
    #[error("invalid `Dynamic` value `{}`: {reason}", Quoted(.value))]
    InvalidDynamic {
        /// The value.
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// `Provides-Extra` is not a valid extra name.
    #[error("invalid `Provides-Extra`: {source}")]
    InvalidExtra {
        /// Why.
        #[source]
        source: NameError,
    },
    /// `Provides-Extra` is not normalized, which metadata 2.3 and later require
    /// ([PEP 685](https://peps.python.org/pep-0685/#specification)). packaging does not check
    /// this.
    #[error("`Provides-Extra` `{}` must be written in normalized form `{normalized}` in metadata {declared}", Quoted(.value))]
    UnnormalizedExtra {
        /// The value.
        value: String,
        /// Its normal form.
        normalized: ExtraName,
        /// The declared version.
        declared: MetadataVersion,
    },
    /// `Requires-Python` is not a PEP 440 specifier set.
    #[error("invalid `Requires-Python` `{}`: {reason}", Quoted(.value))]
    InvalidRequiresPython {
        /// The value.
        value: String,
        /// The specifier parser's message.
        reason: String,
    },
    /// `Requires-Dist` is not a PEP 508 requirement.
    #[error("invalid `Requires-Dist` `{}`: {reason}", Quoted(.value))]
    InvalidRequirement {
        /// The value.
        value: String,
        /// The requirement parser's message (first line).
        reason: String,
    },
    /// `License-Expression` is not a valid SPDX expression.
    #[error("invalid `License-Expression`: {source}")]
    InvalidLicenseExpression {
        /// Why.
        #[source]
        source: LicenseExpressionError,
    },
    /// `License-File` is not a relative, resolved, `/`-separated path inside the project.
    #[error("invalid `License-File` `{}`: {reason}", Quoted(.value))]
    InvalidLicenseFile {
        /// The value.
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// `Import-Name` or `Import-Namespace` is not a dotted Python name with an optional
    /// `; private`.
    #[error("invalid `{field}` `{}`: {reason}", Quoted(.value))]
    InvalidImportName {
        /// `Import-Name` or `Import-Namespace`.
        field: Field,
        /// The value.
        value: String,
        /// Why.
        reason: String,
    },
}

impl MetadataError {
    /// The lower-case name of the field the problem is in (as packaging's
    /// `InvalidMetadata.field` names it).
    pub fn field(&self) -> String {
        let field = match self {
            MetadataError::Unparsed { name, .. } => return name.clone(),
            MetadataError::MissingMetadataVersion | MetadataError::InvalidMetadataVersion(_) => {
                Field::MetadataVersion
            }
            MetadataError::Missing { field } | MetadataError::TooNew { field, .. } => *field,
            MetadataError::InvalidName { .. } => Field::Name,
            MetadataError::InvalidVersion { .. } => Field::Version,
            MetadataError::MultilineSummary { .. } => Field::Summary,
            MetadataError::InvalidContentType { .. } => Field::DescriptionContentType,
            MetadataError::InvalidDynamic { .. } => Field::Dynamic,
            MetadataError::InvalidExtra { .. } | MetadataError::UnnormalizedExtra { .. } => {
                Field::ProvidesExtra
            }
            MetadataError::InvalidRequiresPython { .. } => Field::RequiresPython,
            MetadataError::InvalidRequirement { .. } => Field::RequiresDist,
            MetadataError::InvalidLicenseExpression { .. } => Field::LicenseExpression,
            MetadataError::InvalidLicenseFile { .. } => Field::LicenseFile,
            MetadataError::InvalidImportName { field, .. } => *field,
        };
        field.as_str().to_ascii_lowercase()
    }

    /// Whether pypa/packaging 26.3 reports this problem too (false for the checks this crate
    /// adds: [`UnnormalizedExtra`](Self::UnnormalizedExtra)).
    pub fn is_reported_by_packaging(&self) -> bool {
        !matches!(self, MetadataError::UnnormalizedExtra { .. })
    }
}

/// Every problem validation found, in field order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataErrors(pub(crate) Vec<MetadataError>);

impl MetadataErrors {
    /// The problems.
    pub fn errors(&self) -> &[MetadataError] {
        &self.0
    }

    /// Consumes the set, returning the problems.
    pub fn into_errors(self) -> Vec<MetadataError> {
        self.0
    }
}

impl fmt::Display for MetadataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        write!(
            f,
            "invalid metadata ({count} problem{}): ",
            if count == 1 { "" } else { "s" }
        )?;
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for MetadataErrors {}
