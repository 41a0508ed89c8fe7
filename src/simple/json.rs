//! [PEP 691](https://peps.python.org/pep-0691/) JSON pages: render and parse.
//!
//! # Rendering
//!
//! [`write_project_page`] and [`write_project_list`] write compact JSON at
//! [`ApiVersion::LATEST`] (1.4) into a [`fmt::Write`]; the `_io` variants into an [`io::Write`].
//! A project page has `meta` (`api-version`, `_last-serial` when known, PEP 708 `tracks` when
//! the model has them), `name`, `files`, then `versions`, `project-status` (the PEP 792 object,
//! not the early `meta` spelling) and `alternate-locations` when the model has them. Each file
//! has `filename`, `url`, `hashes` and `yanked`, then whichever of `requires-python`,
//! `core-metadata` (also written as `dist-info-metadata`, as PyPI does, for clients older than
//! PEP 714), `gpg-sig`, `size`, `upload-time` and `provenance` the model holds. API 1.1 makes
//! `versions` and `size` mandatory: fill them in the model to serve a conforming page.
//!
//! # Parsing
//!
//! Every 1.x page: unknown keys are ignored, `meta.api-version` is required and checked
//! (PEP 629), a newer minor version is a warning. Values of the wrong JSON type are errors with
//! line and column. Relative `url` and `provenance` values are resolved against the page URL.
//! `dist-info-metadata` is read when `core-metadata` is absent (PEP 714), and so is
//! `data-dist-info-metadata`, the spelling PyPI actually writes in JSON; `_last-serial` may be
//! a number or a string. The project status is read from a top-level `project-status` object
//! (PEP 792) or from `meta.project-status` / `meta.project-status-reason` (the first
//! transcription of PEP 792 in the living specification), the latter with a warning.
//!
//! [`for_each_project`] reads a root page as a stream from any [`io::Read`] (and
//! [`for_each_project_in`] from a `&str`), calling back once per project without collecting the
//! list.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::io;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{
    ApiVersion, CoreMetadata, File, Hashes, Meta, Parsed, ProjectEntry, ProjectList, ProjectPage,
    ProjectStatus, RenderOptions, Resolver, SimpleError, StatusMarker, Warning, Yanked,
};

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/// Writes `s` as a JSON string.
fn string<W: fmt::Write + ?Sized>(out: &mut W, s: &str) -> fmt::Result {
    out.write_str("\"")?;
    string_body(out, s)?;
    out.write_str("\"")
}

/// Flags the bytes of a word a JSON string cannot hold as they are (see [`find_first`]).
///
/// [`find_first`]: crate::bytes::find_first
fn json_mask(w: u64) -> u64 {
    use crate::bytes::{byte_mask, less_mask};
    less_mask(w, 0x20) | byte_mask(w, b'"') | byte_mask(w, b'\\')
}

/// A byte a JSON string cannot hold as it is.
fn json_special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Writes the inside of a JSON string: `s` escaped, without the quotes.
fn string_body<W: fmt::Write + ?Sized>(out: &mut W, s: &str) -> fmt::Result {
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(i) = crate::bytes::find_first_short(bytes, start, json_mask, json_special) {
        out.write_str(&s[start..i])?;
        let b = bytes[i];
        match b {
            b'"' => out.write_str("\\\"")?,
            b'\\' => out.write_str("\\\\")?,
            b'\n' => out.write_str("\\n")?,
            b'\r' => out.write_str("\\r")?,
            b'\t' => out.write_str("\\t")?,
            _ => write!(out, "\\u{b:04x}")?,
        }
        start = i + 1;
    }
    out.write_str(&s[start..])
}

/// Writes `n` in decimal, without going through `fmt`.
fn decimal(out: &mut impl fmt::Write, mut n: u64) -> fmt::Result {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.write_str(std::str::from_utf8(&buf[at..]).map_err(|_| fmt::Error)?)
}

fn key(out: &mut impl fmt::Write, k: &str) -> fmt::Result {
    out.write_str(",\"")?;
    out.write_str(k)?;
    out.write_str("\":")
}

fn string_list(out: &mut impl fmt::Write, items: &[String]) -> fmt::Result {
    out.write_char('[')?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.write_char(',')?;
        }
        string(out, item)?;
    }
    out.write_char(']')
}

fn hashes<W: fmt::Write + ?Sized>(out: &mut W, h: &Hashes) -> fmt::Result {
    out.write_char('{')?;
    let mut first = true;
    let mut sep = |out: &mut W| {
        let r = if first { Ok(()) } else { out.write_char(',') };
        first = false;
        r
    };
    for d in &h.digests {
        sep(out)?;
        out.write_char('"')?;
        out.write_str(d.algorithm().as_str())?;
        out.write_str("\":\"")?;
        crate::hash::write_hex(out, d.as_bytes())?;
        out.write_char('"')?;
    }
    for (name, value) in &h.unparsed {
        sep(out)?;
        string(out, name)?;
        out.write_char(':')?;
        string(out, value)?;
    }
    out.write_char('}')
}

fn meta(out: &mut impl fmt::Write, meta: &Meta) -> fmt::Result {
    write!(
        out,
        "{{\"meta\":{{\"api-version\":\"{}\"",
        ApiVersion::LATEST
    )?;
    if let Some(serial) = &meta.last_serial {
        key(out, "_last-serial")?;
        if !serial.is_empty()
            && serial.len() < 19
            && serial.bytes().all(|b| b.is_ascii_digit())
            && !(serial.len() > 1 && serial.starts_with('0'))
        {
            out.write_str(serial)?;
        } else {
            string(out, serial)?;
        }
    }
    if !meta.tracks.is_empty() {
        key(out, "tracks")?;
        string_list(out, &meta.tracks)?;
    }
    out.write_char('}')
}

/// Writes `"` + `s` escaped + `"` after `prefix` (a key and its colon: one write for the
/// constant part).
fn keyed_string(out: &mut impl fmt::Write, prefix: &str, s: &str) -> fmt::Result {
    out.write_str(prefix)?;
    string_body(out, s)?;
    out.write_char('"')
}

fn file(out: &mut impl fmt::Write, file: &File, options: &RenderOptions) -> fmt::Result {
    keyed_string(out, "{\"filename\":\"", &file.filename)?;
    keyed_string(out, ",\"url\":\"", &options.link(&file.url))?;
    out.write_str(",\"hashes\":")?;
    hashes(out, &file.hashes)?;
    if let Some(rp) = &file.requires_python {
        keyed_string(out, ",\"requires-python\":\"", rp)?;
    }
    match &file.yanked {
        Yanked::No => out.write_str(",\"yanked\":false")?,
        Yanked::Yanked(None) => out.write_str(",\"yanked\":true")?,
        Yanked::Yanked(Some(reason)) => keyed_string(out, ",\"yanked\":\"", reason)?,
    }
    if file.core_metadata != CoreMetadata::Absent {
        for name in [",\"core-metadata\":", ",\"dist-info-metadata\":"] {
            out.write_str(name)?;
            match &file.core_metadata {
                CoreMetadata::Absent => {}
                CoreMetadata::Unavailable => out.write_str("false")?,
                CoreMetadata::Available(h) if h.is_empty() => out.write_str("true")?,
                CoreMetadata::Available(h) => hashes(out, h)?,
            }
        }
    }
    if let Some(sig) = file.gpg_sig {
        out.write_str(if sig {
            ",\"gpg-sig\":true"
        } else {
            ",\"gpg-sig\":false"
        })?;
    }
    if let Some(size) = file.size {
        out.write_str(",\"size\":")?;
        decimal(out, size)?;
    }
    if let Some(t) = &file.upload_time {
        keyed_string(out, ",\"upload-time\":\"", t)?;
    }
    if let Some(p) = &file.provenance {
        keyed_string(out, ",\"provenance\":\"", &options.link(p))?;
    }
    out.write_char('}')
}

/// Writes a project page as PEP 691 JSON at API version [`ApiVersion::LATEST`].
///
/// # Examples
///
/// ```
/// use pypackaging::simple::{File, ProjectPage, RenderOptions, json};
///
/// let mut page = ProjectPage { name: "demo".into(), ..ProjectPage::default() };
/// page.files.push(File::new("demo-1.0.tar.gz", "https://files.example/demo-1.0.tar.gz"));
/// let mut out = String::new();
/// json::write_project_page(&mut out, &page, &RenderOptions::absolute())?;
/// assert_eq!(
///     out,
///     r#"{"meta":{"api-version":"1.4"},"name":"demo","files":[{"filename":"demo-1.0.tar.gz","url":"https://files.example/demo-1.0.tar.gz","hashes":{},"yanked":false}]}"#
/// );
/// # Ok::<(), std::fmt::Error>(())
/// ```
pub fn write_project_page(
    out: &mut impl fmt::Write,
    page: &ProjectPage,
    options: &RenderOptions,
) -> fmt::Result {
    meta(out, &page.meta)?;
    key(out, "name")?;
    string(out, &page.name)?;
    key(out, "files")?;
    out.write_char('[')?;
    for (i, f) in page.files.iter().enumerate() {
        if i > 0 {
            out.write_char(',')?;
        }
        file(out, f, options)?;
    }
    out.write_char(']')?;
    if let Some(versions) = &page.versions {
        key(out, "versions")?;
        string_list(out, versions)?;
    }
    if let Some(status) = &page.status {
        key(out, "project-status")?;
        out.write_char('{')?;
        let mut first = true;
        if let Some(marker) = &status.status {
            out.write_str("\"status\":")?;
            string(out, marker.as_str())?;
            first = false;
        }
        if let Some(reason) = &status.reason {
            if !first {
                out.write_char(',')?;
            }
            out.write_str("\"reason\":")?;
            string(out, reason)?;
        }
        out.write_char('}')?;
    }
    if !page.alternate_locations.is_empty() {
        key(out, "alternate-locations")?;
        string_list(out, &page.alternate_locations)?;
    }
    out.write_char('}')
}

/// Writes a root page as PEP 691 JSON: `{"meta": …, "projects": [{"name": …}, …]}`, names as
/// written (entry URLs are an HTML matter and are not written).
pub fn write_project_list(out: &mut impl fmt::Write, list: &ProjectList) -> fmt::Result {
    meta(out, &list.meta)?;
    out.write_str(",\"projects\":[")?;
    for (i, entry) in list.projects.iter().enumerate() {
        out.write_str(if i == 0 {
            "{\"name\":\""
        } else {
            ",{\"name\":\""
        })?;
        string_body(out, &entry.name)?;
        out.write_str("\"}")?;
    }
    out.write_str("]}")
}

/// [`write_project_page`] into an [`io::Write`].
///
/// # Errors
///
/// The writer's error.
pub fn write_project_page_io(
    out: impl io::Write,
    page: &ProjectPage,
    options: &RenderOptions,
) -> io::Result<()> {
    super::render_io(out, |w| write_project_page(w, page, options))
}

/// [`write_project_list`] into an [`io::Write`].
///
/// # Errors
///
/// The writer's error.
pub fn write_project_list_io(out: impl io::Write, list: &ProjectList) -> io::Result<()> {
    super::render_io(out, |w| write_project_list(w, list))
}

// ---------------------------------------------------------------------------------------------
// Wire structs
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
struct WireMeta {
    #[serde(rename = "api-version")]
    api_version: Option<String>,
    #[serde(rename = "_last-serial", default, deserialize_with = "serial")]
    last_serial: Option<String>,
    #[serde(default)]
    tracks: Vec<String>,
    #[serde(rename = "project-status")]
    project_status: Option<serde_json::Value>,
    #[serde(rename = "project-status-reason")]
    project_status_reason: Option<String>,
}

fn serial<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Serial {
        Number(u64),
        Text(String),
    }
    Ok(Option::<Serial>::deserialize(d)
        .map_err(|_| de::Error::custom("`_last-serial` must be a number or a string"))?
        .map(|s| match s {
            Serial::Number(n) => n.to_string(),
            Serial::Text(t) => t,
        }))
}

#[derive(Deserialize)]
struct WireStatus {
    status: Option<String>,
    reason: Option<String>,
}

#[derive(Deserialize)]
struct WireProject<'a> {
    meta: WireMeta,
    name: String,
    #[serde(borrow)]
    files: Vec<WireFile<'a>>,
    versions: Option<Vec<String>>,
    #[serde(rename = "project-status")]
    project_status: Option<WireStatus>,
    #[serde(rename = "alternate-locations", default)]
    alternate_locations: Vec<String>,
}

#[derive(Deserialize)]
struct WireFile<'a> {
    filename: String,
    #[serde(borrow)]
    url: Text<'a>,
    #[serde(borrow)]
    hashes: RawHashes<'a>,
    #[serde(rename = "requires-python")]
    requires_python: Option<String>,
    #[serde(default)]
    yanked: Option<BoolOr<String>>,
    #[serde(rename = "core-metadata", borrow)]
    core_metadata: Option<BoolOr<RawHashes<'a>>>,
    #[serde(rename = "dist-info-metadata", borrow)]
    dist_info_metadata: Option<BoolOr<RawHashes<'a>>>,
    /// The key PyPI writes in JSON (an HTML attribute name that leaked into JSON).
    #[serde(rename = "data-dist-info-metadata", borrow)]
    data_dist_info_metadata: Option<BoolOr<RawHashes<'a>>>,
    #[serde(rename = "gpg-sig")]
    gpg_sig: Option<bool>,
    size: Option<u64>,
    #[serde(rename = "upload-time")]
    upload_time: Option<String>,
    #[serde(borrow)]
    provenance: Option<Text<'a>>,
}

/// A string borrowed from the input when it holds no escapes.
#[derive(PartialEq)]
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A `hashes` object, `{"sha256": "…", …}`, in page order, read without copying (and, for the
/// usual single pair, without allocating).
#[derive(PartialEq)]
struct RawHashes<'a> {
    first: Option<(Text<'a>, Text<'a>)>,
    rest: Vec<(Text<'a>, Text<'a>)>,
}

impl RawHashes<'_> {
    fn pairs(&self) -> impl Iterator<Item = &(Text<'_>, Text<'_>)> {
        self.first.iter().chain(&self.rest)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawHashes<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawHashes<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of hashes")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawHashes<'de>, A::Error> {
                let first = map.next_entry::<Text<'de>, Text<'de>>()?;
                let mut rest = Vec::new();
                if first.is_some() {
                    while let Some(pair) = map.next_entry::<Text<'de>, Text<'de>>()? {
                        rest.push(pair);
                    }
                }
                Ok(RawHashes { first, rest })
            }
        }
        d.deserialize_map(V)
    }
}

/// What a [`BoolOr`] value is when it is not a boolean, for error messages.
trait Expected {
    const WHAT: &'static str;
}

impl Expected for String {
    const WHAT: &'static str = "a boolean or a string";
}

impl Expected for RawHashes<'_> {
    const WHAT: &'static str = "a boolean or an object of hashes";
}

/// A value that is `true`, `false` or a `T` (yanked: a reason; core-metadata: hashes), read
/// without buffering.
#[derive(PartialEq)]
enum BoolOr<T> {
    Bool(bool),
    Value(T),
}

impl<'de, T: Deserialize<'de> + Expected> Deserialize<'de> for BoolOr<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer};
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Expected> Visitor<'de> for V<T> {
            type Value = BoolOr<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::WHAT)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<BoolOr<T>, E> {
                Ok(BoolOr::Bool(v))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<BoolOr<T>, E> {
                T::deserialize(BorrowedStrDeserializer::new(v)).map(BoolOr::Value)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<BoolOr<T>, E> {
                T::deserialize(de::IntoDeserializer::<E>::into_deserializer(v.to_owned()))
                    .map(BoolOr::Value)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<BoolOr<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(BoolOr::Value)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

fn api_version(meta: &WireMeta, warnings: &mut Vec<Warning>) -> Result<ApiVersion, SimpleError> {
    let text = meta
        .api_version
        .as_deref()
        .ok_or(SimpleError::MissingApiVersion)?;
    let version: ApiVersion = text.parse()?;
    super::check_api_version(version, warnings)?;
    Ok(version)
}

/// The files of a project page turned into the model one by one, with their warnings.
struct Files<'r> {
    resolver: &'r Resolver,
    /// The last `requires-python` that parsed (see [`super::check_file`]).
    last_valid: Option<String>,
    warnings: Vec<Warning>,
    list: Vec<File>,
}

impl Files<'_> {
    fn push(&mut self, f: WireFile<'_>) {
        let index = self.list.len();
        let warnings = &mut self.warnings;
        let core_metadata = match (
            f.core_metadata,
            f.dist_info_metadata.or(f.data_dist_info_metadata),
        ) {
            // The same text twice (as PyPI writes it): one parse.
            (Some(a), Some(b)) if a == b => metadata_from(Some(a), warnings),
            (Some(a), Some(b)) => {
                let chosen = metadata_from(Some(a), warnings);
                if metadata_from(Some(b), &mut Vec::new()) != chosen {
                    warnings.push(Warning::MetadataKeysDisagree { index });
                }
                chosen
            }
            (a, b) => metadata_from(a.or(b), warnings),
        };
        let file = File {
            filename: f.filename,
            url: self.resolver.resolve_text(&f.url.0, warnings),
            hashes: hashes_from(f.hashes, warnings),
            requires_python: f.requires_python,
            yanked: match f.yanked {
                None | Some(BoolOr::Bool(false)) => Yanked::No,
                Some(BoolOr::Bool(true)) => Yanked::Yanked(None),
                Some(BoolOr::Value(reason)) => Yanked::with_reason(&reason),
            },
            core_metadata,
            gpg_sig: f.gpg_sig,
            size: f.size,
            upload_time: f.upload_time,
            provenance: f
                .provenance
                .map(|p| self.resolver.resolve_text(&p.0, warnings)),
        };
        super::check_file(index, &file, &mut self.last_valid, warnings);
        self.list.push(file);
    }
}

fn hashes_from(raw: RawHashes<'_>, warnings: &mut Vec<Warning>) -> Hashes {
    let mut h = Hashes::new();
    for (name, value) in raw.pairs() {
        if let Some(w) = h.insert_raw(&name.0, &value.0) {
            warnings.push(w);
        }
    }
    h
}

fn metadata_from(
    value: Option<BoolOr<RawHashes<'_>>>,
    warnings: &mut Vec<Warning>,
) -> CoreMetadata {
    match value {
        None => CoreMetadata::Absent,
        Some(BoolOr::Bool(false)) => CoreMetadata::Unavailable,
        Some(BoolOr::Bool(true)) => CoreMetadata::Available(Hashes::new()),
        Some(BoolOr::Value(map)) => CoreMetadata::Available(hashes_from(map, warnings)),
    }
}

/// Parses a PEP 691 project page served at `page_url` (against which relative URLs resolve).
///
/// # Errors
///
/// Not JSON, a value of the wrong type, a missing required key (`meta.api-version`, `name`,
/// `files`, a file's `filename`, `url`, `hashes`), or an unsupported API version.
///
/// # Examples
///
/// ```
/// use pypackaging::simple::{json, Yanked};
///
/// let page = json::parse_project_page(
///     r#"{"meta": {"api-version": "1.1", "_last-serial": 7}, "name": "demo", "versions": ["1.0"],
///        "files": [{"filename": "demo-1.0.tar.gz", "url": "../../files/demo-1.0.tar.gz",
///                   "hashes": {}, "yanked": "broken", "size": 1024,
///                   "upload-time": "2024-01-02T03:04:05.000006Z"}]}"#,
///     "https://index.example/simple/demo/",
/// )?;
/// let file = &page.value.files[0];
/// assert_eq!(file.url, "https://index.example/files/demo-1.0.tar.gz");
/// assert_eq!(file.yanked, Yanked::Yanked(Some("broken".into())));
/// assert_eq!(page.value.meta.last_serial.as_deref(), Some("7"));
/// # Ok::<(), pypackaging::simple::SimpleError>(())
/// ```
pub fn parse_project_page(json: &str, page_url: &str) -> Result<Parsed<ProjectPage>, SimpleError> {
    parse_project_page_with(json, page_url, true)
}

/// [`parse_project_page`], with the fast reader of the common shape first (`fast`) or
/// `serde_json` only (to test that both read the same).
fn parse_project_page_with(
    json: &str,
    page_url: &str,
    fast: bool,
) -> Result<Parsed<ProjectPage>, SimpleError> {
    let resolver = Resolver::new(super::page_url_parse(page_url)?);
    // Files are turned into the model as they are read (on the fast path: no vector of wire
    // files), their warnings kept apart to come after the API version's.
    let mut files = Files {
        resolver: &resolver,
        last_valid: None,
        warnings: Vec::new(),
        list: Vec::new(),
    };
    let wire = match fast.then(|| fast_project(json, &mut files)).flatten() {
        Some(wire) => wire,
        None => {
            files.last_valid = None;
            files.warnings.clear();
            files.list.clear();
            let mut wire: WireProject =
                serde_json::from_str(json).map_err(|e| SimpleError::json(&e))?;
            files.list.reserve(wire.files.len());
            for f in std::mem::take(&mut wire.files) {
                files.push(f);
            }
            wire
        }
    };
    let mut warnings = Vec::new();
    let version = api_version(&wire.meta, &mut warnings)?;
    warnings.append(&mut files.warnings);
    let files = files.list;
    let status = match (wire.project_status, &wire.meta.project_status) {
        (Some(s), _) => Some(ProjectStatus {
            status: s.status.as_deref().map(StatusMarker::new),
            reason: s.reason,
        }),
        (None, Some(legacy)) => {
            warnings.push(Warning::LegacyStatusSpelling);
            let (status, reason) = match legacy {
                serde_json::Value::String(s) => (Some(s.clone()), None),
                serde_json::Value::Object(o) => (
                    o.get("status").and_then(|v| v.as_str()).map(str::to_owned),
                    o.get("reason").and_then(|v| v.as_str()).map(str::to_owned),
                ),
                _ => (None, None),
            };
            Some(ProjectStatus {
                status: status.as_deref().map(StatusMarker::new),
                reason: reason.or_else(|| wire.meta.project_status_reason.clone()),
            })
        }
        (None, None) => wire.meta.project_status_reason.clone().map(|r| {
            warnings.push(Warning::LegacyStatusSpelling);
            ProjectStatus {
                status: None,
                reason: Some(r),
            }
        }),
    };
    let page = ProjectPage {
        meta: Meta {
            api_version: Some(version),
            last_serial: wire.meta.last_serial,
            tracks: wire.meta.tracks,
        },
        name: wire.name,
        files,
        versions: wire.versions,
        status,
        alternate_locations: wire.alternate_locations,
    };
    super::check_page(&page, &mut warnings);
    Ok(Parsed {
        value: page,
        warnings,
    })
}

/// A root-page entry as sent: `{"name": …}` plus keys we ignore (PyPI's `_last-serial`).
#[derive(Deserialize)]
struct WireEntry<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
}

/// Calls back once per element of `projects`.
struct Projects<'f, F>(&'f mut F);

impl<'de, F: FnMut(ProjectEntry)> DeserializeSeed<'de> for Projects<'_, F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(ProjectEntry)> Visitor<'de> for Projects<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of projects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<WireEntry<'de>>()? {
            (self.0)(ProjectEntry {
                name: entry.name.into_owned(),
                url: None,
            });
        }
        Ok(())
    }
}

/// The top-level object of a root page.
struct Root<'f, F> {
    callback: &'f mut F,
    warnings: &'f RefCell<Vec<Warning>>,
    failure: &'f RefCell<Option<SimpleError>>,
}

impl<'de, F: FnMut(ProjectEntry)> Visitor<'de> for Root<'_, F> {
    type Value = Meta;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a PEP 691 project list object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Meta, A::Error> {
        let mut meta: Option<Meta> = None;
        let mut seen_projects = false;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match &*key {
                "meta" if meta.is_none() => {
                    let wire: WireMeta = map.next_value()?;
                    let version = api_version(&wire, &mut self.warnings.borrow_mut());
                    match version {
                        Ok(v) => {
                            meta = Some(Meta {
                                api_version: Some(v),
                                last_serial: wire.last_serial,
                                tracks: wire.tracks,
                            });
                        }
                        Err(e) => {
                            let message = e.to_string();
                            *self.failure.borrow_mut() = Some(e);
                            return Err(de::Error::custom(message));
                        }
                    }
                }
                "projects" if !seen_projects => {
                    seen_projects = true;
                    map.next_value_seed(Projects(self.callback))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !seen_projects {
            return Err(de::Error::missing_field("projects"));
        }
        match meta {
            Some(meta) => Ok(meta),
            None => {
                *self.failure.borrow_mut() = Some(SimpleError::MissingApiVersion);
                Err(de::Error::missing_field("meta"))
            }
        }
    }
}

fn run_root<'de, D, F>(d: D, callback: &mut F) -> Result<Parsed<Meta>, SimpleError>
where
    D: Deserializer<'de, Error = serde_json::Error>,
    F: FnMut(ProjectEntry),
{
    let warnings = RefCell::new(Vec::new());
    let failure = RefCell::new(None);
    let result = d.deserialize_map(Root {
        callback,
        warnings: &warnings,
        failure: &failure,
    });
    match result {
        Ok(meta) => Ok(Parsed {
            value: meta,
            warnings: warnings.into_inner(),
        }),
        Err(e) => Err(failure
            .into_inner()
            .unwrap_or_else(|| SimpleError::json(&e))),
    }
}

/// Reads a PEP 691 root page from `reader` as a stream, calling `callback` for each project in
/// page order, and returns the page metadata.
///
/// The list is never collected. When `meta` comes first (as PyPI sends it) an unsupported API
/// version stops the read before any project is reported; when it comes last, the projects
/// have been reported by the time the error is returned.
///
/// # Errors
///
/// As [`parse_project_list`].
pub fn for_each_project(
    reader: impl io::Read,
    mut callback: impl FnMut(ProjectEntry),
) -> Result<Parsed<Meta>, SimpleError> {
    let mut d = serde_json::Deserializer::from_reader(reader);
    let meta = run_root(&mut d, &mut callback)?;
    d.end().map_err(|e| SimpleError::json(&e))?;
    Ok(meta)
}

/// [`for_each_project`] over text already in memory: the same callbacks, several times faster
/// than through a reader (names without escapes are not copied before the callback).
///
/// # Errors
///
/// As [`parse_project_list`].
pub fn for_each_project_in(
    json: &str,
    mut callback: impl FnMut(ProjectEntry),
) -> Result<Parsed<Meta>, SimpleError> {
    let mut reported = 0usize;
    if let Some(meta) = fast_root(json, &mut |entry| {
        reported += 1;
        callback(entry);
    }) {
        return Ok(meta);
    }
    // The page left the fast path's shape (or is not valid): read it all again with
    // `serde_json`, which decides and words every error, without reporting a second time the
    // projects the fast path reported (the same ones, in the same order).
    let mut skip = reported;
    let mut d = serde_json::Deserializer::from_str(json);
    let meta = run_root(&mut d, &mut |entry| {
        if skip > 0 {
            skip -= 1;
        } else {
            callback(entry);
        }
    })?;
    d.end().map_err(|e| SimpleError::json(&e))?;
    Ok(meta)
}

/// A cursor over the bytes of a JSON text, for [`fast_root`].
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    /// The next byte after JSON whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.at) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.at += 1;
        }
        None
    }

    /// Consumes `b` after whitespace.
    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.at += 1)
    }

    /// A string without escapes or control characters (`None` for any other value).
    fn plain_string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        let end = crate::bytes::find_first(self.text.as_bytes(), start, json_mask, json_special)?;
        (self.text.as_bytes()[end] == b'"').then(|| {
            self.at = end + 1;
            &self.text[start..end]
        })
    }

    /// A value read by `serde_json` from the cursor on (what the fast path does not read
    /// itself), `None` when it fails or nests so deep that the whole-page reader, which
    /// counts nesting from the top, might reject it.
    fn serde_value<T: Deserialize<'a>>(&mut self) -> Option<T> {
        self.peek()?;
        let rest = &self.text[self.at..];
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<T>();
        let value = values.next()?.ok()?;
        let end = values.byte_offset();
        if max_nesting(&rest.as_bytes()[..end]) > 64 {
            return None;
        }
        self.at += end;
        Some(value)
    }

    /// A string: borrowed when it has no escapes, decoded by `serde_json` otherwise.
    fn string(&mut self) -> Option<Text<'a>> {
        let start = self.at;
        match self.plain_string() {
            Some(s) => Some(Text(Cow::Borrowed(s))),
            None => {
                self.at = start;
                self.serde_value()
            }
        }
    }

    /// Consumes `word` (`true`, `false`, `null`) if it comes next.
    fn literal(&mut self, word: &str) -> bool {
        let found = self.peek().is_some() && self.text[self.at..].starts_with(word);
        if found {
            self.at += word.len();
        }
        found
    }

    /// `null` or a string.
    fn optional_string(&mut self) -> Option<Option<Text<'a>>> {
        if self.literal("null") {
            return Some(None);
        }
        self.string().map(Some)
    }

    /// A `hashes` object of strings.
    fn raw_hashes(&mut self) -> Option<RawHashes<'a>> {
        self.eat(b'{')?;
        let mut hashes = RawHashes {
            first: None,
            rest: Vec::new(),
        };
        if self.eat(b'}').is_some() {
            return Some(hashes);
        }
        loop {
            let name = self.string()?;
            self.eat(b':')?;
            let pair = (name, self.string()?);
            if hashes.first.is_none() {
                hashes.first = Some(pair);
            } else {
                hashes.rest.push(pair);
            }
            if self.eat(b',').is_none() {
                self.eat(b'}')?;
                return Some(hashes);
            }
        }
    }

    /// `null`, a boolean, or what `value` reads.
    fn optional_bool_or<T>(
        &mut self,
        value: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<BoolOr<T>>> {
        Some(if self.literal("null") {
            None
        } else if self.literal("true") {
            Some(BoolOr::Bool(true))
        } else if self.literal("false") {
            Some(BoolOr::Bool(false))
        } else {
            Some(BoolOr::Value(value(self)?))
        })
    }

    /// `null` or an integer that fits a `u64` (a fraction, exponent or sign: `None`).
    fn optional_size(&mut self) -> Option<Option<u64>> {
        if self.literal("null") {
            return Some(None);
        }
        self.peek()?;
        let bytes = &self.text.as_bytes()[self.at..];
        let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0
            || (digits > 1 && bytes[0] == b'0')
            || matches!(bytes.get(digits), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        let mut n: u64 = 0;
        for &d in &bytes[..digits] {
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
        }
        self.at += digits;
        Some(Some(n))
    }

    /// A file object whose keys are all ones [`WireFile`] reads.
    fn file(&mut self) -> Option<WireFile<'a>> {
        self.eat(b'{')?;
        let (mut filename, mut url, mut hashes) = (None, None, None);
        let (mut requires_python, mut yanked, mut gpg_sig, mut size) = (None, None, None, None);
        let (mut upload_time, mut provenance) = (None, None);
        let (mut core, mut dist_info, mut data_dist_info) = (None, None, None);
        if self.eat(b'}').is_none() {
            loop {
                let key = self.string()?;
                self.eat(b':')?;
                match &*key.0 {
                    "filename" => once(&mut filename, self.string()?.0.into_owned())?,
                    "url" => once(&mut url, self.string()?)?,
                    "hashes" => once(&mut hashes, self.raw_hashes()?)?,
                    "requires-python" => {
                        let value = self.optional_string()?.map(|t| t.0.into_owned());
                        once(&mut requires_python, value)?;
                    }
                    "yanked" => {
                        let value =
                            self.optional_bool_or(|c| c.string().map(|t| t.0.into_owned()))?;
                        once(&mut yanked, value)?;
                    }
                    "core-metadata" => {
                        once(&mut core, self.optional_bool_or(Self::raw_hashes)?)?;
                    }
                    "dist-info-metadata" => {
                        once(&mut dist_info, self.optional_bool_or(Self::raw_hashes)?)?;
                    }
                    "data-dist-info-metadata" => {
                        once(
                            &mut data_dist_info,
                            self.optional_bool_or(Self::raw_hashes)?,
                        )?;
                    }
                    "gpg-sig" => once(&mut gpg_sig, self.serde_value::<Option<bool>>()?)?,
                    "size" => once(&mut size, self.optional_size()?)?,
                    "upload-time" => {
                        let value = self.optional_string()?.map(|t| t.0.into_owned());
                        once(&mut upload_time, value)?;
                    }
                    "provenance" => once(&mut provenance, self.optional_string()?)?,
                    _ => return None,
                }
                if self.eat(b',').is_none() {
                    self.eat(b'}')?;
                    break;
                }
            }
        }
        Some(WireFile {
            filename: filename?,
            url: url?,
            hashes: hashes?,
            requires_python: requires_python.flatten(),
            yanked: yanked.flatten(),
            core_metadata: core.flatten(),
            dist_info_metadata: dist_info.flatten(),
            data_dist_info_metadata: data_dist_info.flatten(),
            gpg_sig: gpg_sig.flatten(),
            size: size.flatten(),
            upload_time: upload_time.flatten(),
            provenance: provenance.flatten(),
        })
    }

    /// Skips a value that is a plain string, an integer, `true`, `false` or `null`, and that
    /// ends where a member of an object may end.
    fn simple_value(&mut self) -> Option<()> {
        let bytes = self.text.as_bytes();
        match self.peek()? {
            b'"' => {
                self.plain_string()?;
            }
            b'-' | b'0'..=b'9' => {
                let start = self.at + usize::from(bytes[self.at] == b'-');
                let digits = bytes[start..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if digits == 0 || (digits > 1 && bytes[start] == b'0') {
                    return None;
                }
                self.at = start + digits;
            }
            _ => {
                let word = ["true", "false", "null"]
                    .into_iter()
                    .find(|w| self.text[self.at..].starts_with(w))?;
                self.at += word.len();
            }
        }
        matches!(self.peek()?, b',' | b'}').then_some(())
    }
}

/// Sets a field read once; `None` (leave the fast path) when it was already set, which
/// `serde` reports as a duplicate field.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    slot.is_none().then(|| *slot = Some(value))
}

/// The deepest nesting of arrays and objects in a JSON value's text.
fn max_nesting(text: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0, false, false);
    for &b in text {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    deepest
}

/// A project page read straight from its bytes when its files have only the keys
/// [`WireFile`] reads: the same [`WireProject`] `serde_json` would build (the other values,
/// and strings with escapes, are handed to it one by one), or `None` as soon as the page
/// leaves that shape or is not valid, for `serde_json` to read it whole.
fn fast_project<'a>(json: &'a str, files: &mut Files<'_>) -> Option<WireProject<'a>> {
    let mut c = Cursor { text: json, at: 0 };
    let (mut meta, mut name, mut seen_files) = (None, None, None);
    let (mut versions, mut status, mut alternates) = (None, None, None);
    c.eat(b'{')?;
    if c.eat(b'}').is_none() {
        loop {
            let key = c.string()?;
            c.eat(b':')?;
            match &*key.0 {
                "meta" => once(&mut meta, c.serde_value::<WireMeta>()?)?,
                "name" => once(&mut name, c.string()?.0.into_owned())?,
                "files" => {
                    // Read into `files` (the wire struct keeps an empty list).
                    once(&mut seen_files, Vec::new())?;
                    c.eat(b'[')?;
                    if c.eat(b']').is_none() {
                        loop {
                            files.push(c.file()?);
                            if c.eat(b',').is_none() {
                                c.eat(b']')?;
                                break;
                            }
                        }
                    }
                }
                "versions" => once(&mut versions, c.serde_value::<Option<Vec<String>>>()?)?,
                "project-status" => {
                    once(&mut status, c.serde_value::<Option<WireStatus>>()?)?;
                }
                "alternate-locations" => {
                    once(&mut alternates, c.serde_value::<Vec<String>>()?)?;
                }
                _ => return None,
            }
            if c.eat(b',').is_none() {
                c.eat(b'}')?;
                break;
            }
        }
    }
    if c.peek().is_some() {
        return None;
    }
    Some(WireProject {
        meta: meta?,
        name: name?,
        files: seen_files?,
        versions: versions.flatten(),
        project_status: status.flatten(),
        alternate_locations: alternates.unwrap_or_default(),
    })
}

/// The common shape of a root page read straight from its bytes: `{"meta": {...},
/// "projects": [{"name": "..."}, ...]}` in either order, strings without escapes, and entries
/// whose other members are plain strings, integers, booleans or nulls (PyPI's `_last-serial`).
/// `None` as soon as the page leaves that shape (the caller then reads it with `serde_json`),
/// having reported the projects before that point.
fn fast_root(json: &str, callback: &mut impl FnMut(ProjectEntry)) -> Option<Parsed<Meta>> {
    let mut c = Cursor { text: json, at: 0 };
    let mut warnings = Vec::new();
    let mut meta = None;
    let mut seen_projects = false;
    c.eat(b'{')?;
    loop {
        let key = c.plain_string()?;
        c.eat(b':')?;
        match key {
            "meta" if meta.is_none() => {
                let wire: WireMeta = c.serde_value()?;
                let version = api_version(&wire, &mut warnings).ok()?;
                meta = Some(Meta {
                    api_version: Some(version),
                    last_serial: wire.last_serial,
                    tracks: wire.tracks,
                });
            }
            "projects" if !seen_projects => {
                seen_projects = true;
                c.eat(b'[')?;
                if c.eat(b']').is_none() {
                    loop {
                        c.eat(b'{')?;
                        let mut name = None;
                        loop {
                            // Most entries are `{"name": ...}`: that key without a scan.
                            let key = if json.as_bytes()[c.at..].starts_with(b"\"name\"") {
                                c.at += 6;
                                "name"
                            } else {
                                c.plain_string()?
                            };
                            c.eat(b':')?;
                            if key == "name" {
                                if name.is_some() {
                                    return None;
                                }
                                name = Some(c.plain_string()?);
                            } else {
                                c.simple_value()?;
                            }
                            if c.eat(b',').is_none() {
                                c.eat(b'}')?;
                                break;
                            }
                        }
                        callback(ProjectEntry {
                            name: name?.to_owned(),
                            url: None,
                        });
                        if c.eat(b',').is_none() {
                            c.eat(b']')?;
                            break;
                        }
                    }
                }
            }
            _ => return None,
        }
        if c.eat(b',').is_none() {
            c.eat(b'}')?;
            break;
        }
    }
    if c.peek().is_some() || !seen_projects {
        return None;
    }
    Some(Parsed {
        value: meta?,
        warnings,
    })
}

/// Parses a PEP 691 root page.
///
/// # Errors
///
/// Not JSON, no `meta.api-version` or `projects`, an entry without a string `name`, or an
/// unsupported API version.
pub fn parse_project_list(json: &str) -> Result<Parsed<ProjectList>, SimpleError> {
    let mut projects = Vec::new();
    let Parsed { value, warnings } = for_each_project_in(json, |e| projects.push(e))?;
    Ok(Parsed {
        value: ProjectList {
            meta: value,
            projects,
        },
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://index.example/simple/demo/";

    /// Every ASCII byte at every offset of a run longer than two words is escaped as a
    /// byte-by-byte escaper would and reads back with `serde_json` (the word-at-a-time scan may
    /// skip nothing it should not).
    #[test]
    fn string_scan_matches_bytewise() {
        for (b, at, text) in crate::bytes::every_byte_at_every_offset() {
            let mut out = String::new();
            string(&mut out, &text).unwrap();
            let bytewise: String = text
                .chars()
                .map(|c| match c {
                    '"' => "\\\"".to_owned(),
                    '\\' => "\\\\".to_owned(),
                    '\n' => "\\n".to_owned(),
                    '\r' => "\\r".to_owned(),
                    '\t' => "\\t".to_owned(),
                    c if (c as u32) < 0x20 => format!("\\u{:04x}", c as u32),
                    c => c.to_string(),
                })
                .collect();
            assert_eq!(out, format!("\"{bytewise}\""), "byte {b:#x} at {at}");
            assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text);
        }
    }

    #[test]
    fn strings_escape() {
        let mut out = String::new();
        string(&mut out, "a\"b\\c\n\u{1}é</").unwrap();
        assert_eq!(out, r#""a\"b\\c\n\u0001é</""#);
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, "a\"b\\c\n\u{1}é</");
    }

    #[test]
    fn errors_have_positions() {
        let err = parse_project_page(
            r#"{"meta": {"api-version": "1.0"}, "name": 3, "files": []}"#,
            PAGE,
        )
        .unwrap_err();
        insta::assert_snapshot!(err, @"invalid PEP 691 JSON at line 1, column 42: invalid type: integer `3`, expected a string");
        let err =
            parse_project_page(r#"{"meta": {}, "name": "x", "files": []}"#, PAGE).unwrap_err();
        insta::assert_snapshot!(err, @"invalid PEP 691 JSON: `meta.api-version` is missing");
        let err = parse_project_page(
            r#"{"meta": {"api-version": "2.0"}, "name": "x", "files": []}"#,
            PAGE,
        )
        .unwrap_err();
        insta::assert_snapshot!(err, @"unsupported API version 2.0: this crate reads major version 1");
        let err =
            parse_project_list(r#"{"meta": {"api-version": "3.1"}, "projects": [{"name": "a"}]}"#)
                .unwrap_err();
        insta::assert_snapshot!(err, @"unsupported API version 3.1: this crate reads major version 1");
        let err = parse_project_page(r#"{"meta": {"api-version": "1.0"}, "name": "x", "files": [{"filename": "a", "url": "a", "hashes": {}, "yanked": 3}]}"#, PAGE).unwrap_err();
        insta::assert_snapshot!(err, @"invalid PEP 691 JSON at line 1, column 111: invalid type: integer `3`, expected a boolean or a string");
    }

    #[test]
    fn legacy_status_spelling() {
        let parsed = parse_project_page(
            r#"{"meta": {"api-version": "1.4", "project-status": "archived", "project-status-reason": "done"}, "name": "x", "files": []}"#,
            PAGE,
        )
        .unwrap();
        assert_eq!(
            parsed.value.status,
            Some(ProjectStatus {
                status: Some(StatusMarker::Archived),
                reason: Some("done".into())
            })
        );
        assert_eq!(parsed.warnings, [Warning::LegacyStatusSpelling]);
    }

    #[test]
    fn root_stream() {
        let text = r#"{"meta": {"_last-serial": 5, "api-version": "1.0"}, "projects": [{"name": "A", "_last-serial": 1}, {"name": "b\u00e9"}], "extra": [1]}"#;
        let mut names = Vec::new();
        let meta = for_each_project(text.as_bytes(), |e| names.push(e.name)).unwrap();
        assert_eq!(names, ["A", "bé"]);
        assert_eq!(meta.value.last_serial.as_deref(), Some("5"));
        assert_eq!(parse_project_list(text).unwrap().value.projects.len(), 2);
    }

    /// The fast path of `for_each_project_in` and the `serde_json` reader over the same text
    /// report the same projects and the same result, message for message, on every committed
    /// JSON seed and test page.
    #[test]
    fn fast_root_agrees_with_serde() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut checked = 0;
        for dir in ["fuzz/seeds/simple_json", "tests/data/simple"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                let a = for_each_project_in(&text, |e| fast.push(e)).map_err(|e| e.to_string());
                let mut d = serde_json::Deserializer::from_str(&text);
                let b = run_root(&mut d, &mut |e| slow.push(e))
                    .and_then(|meta| {
                        d.end().map_err(|e| SimpleError::json(&e))?;
                        Ok(meta)
                    })
                    .map_err(|e| e.to_string());
                assert_eq!(a, b, "{}", path.display());
                assert_eq!(fast, slow, "{}", path.display());
                checked += 1;
            }
        }
        assert!(checked > 20, "{checked} files");
    }

    /// The fast reader of project pages and `serde_json` read the same page, message for
    /// message, from every committed JSON seed and test page.
    #[test]
    fn fast_project_agrees_with_serde() {
        let root = env!("CARGO_MANIFEST_DIR");
        let (mut checked, mut fast) = (0, 0);
        for dir in ["fuzz/seeds/simple_json", "tests/data/simple"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let a = parse_project_page_with(&text, PAGE, true).map_err(|e| e.to_string());
                let b = parse_project_page_with(&text, PAGE, false).map_err(|e| e.to_string());
                assert_eq!(a, b, "{}", path.display());
                checked += 1;
                let resolver = Resolver::new(super::super::page_url_parse(PAGE).unwrap());
                let mut files = Files {
                    resolver: &resolver,
                    last_valid: None,
                    warnings: Vec::new(),
                    list: Vec::new(),
                };
                fast += usize::from(fast_project(&text, &mut files).is_some());
            }
        }
        assert!(
            checked > 30 && fast >= 9,
            "{checked} files, {fast} read fast"
        );
    }
}
