//! The fast path: a scanner for the common shape of PEP 691 pages, which gives up (and lets
//! `serde_json` decide) on anything else.

use std::borrow::Cow;

use serde::Deserialize;

use crate::simple::{Meta, Parsed, ProjectEntry};

use super::read::{Files, api_version};
use super::wire::{BoolOr, RawHashes, Text, WireFile, WireMeta, WireProject, WireStatus};
use super::write::{json_mask, json_special};

/// A cursor over the bytes of a JSON text, for [`fast_root`].
pub(super) struct Cursor<'a> {
    pub(super) text: &'a str,
    pub(super) at: usize,
}

impl<'a> Cursor<'a> {
    /// The next byte after JSON whitespace, not consumed.
    pub(super) fn peek(&mut self) -> Option<u8> {
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
    pub(super) fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.at += 1)
    }

    /// A string without escapes or control characters (`None` for any other value).
    pub(super) fn plain_string(&mut self) -> Option<&'a str> {
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
    pub(super) fn serde_value<T: Deserialize<'a>>(&mut self) -> Option<T> {
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
    pub(super) fn string(&mut self) -> Option<Text<'a>> {
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
    pub(super) fn literal(&mut self, word: &str) -> bool {
        let found = self.peek().is_some() && self.text[self.at..].starts_with(word);
        if found {
            self.at += word.len();
        }
        found
    }

    /// `null` or a string.
    pub(super) fn optional_string(&mut self) -> Option<Option<Text<'a>>> {
        if self.literal("null") {
            return Some(None);
        }
        self.string().map(Some)
    }

    /// A `hashes` object of strings.
    pub(super) fn raw_hashes(&mut self) -> Option<RawHashes<'a>> {
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
    pub(super) fn optional_bool_or<T>(
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
    pub(super) fn optional_size(&mut self) -> Option<Option<u64>> {
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
    pub(super) fn file(&mut self) -> Option<WireFile<'a>> {
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
    pub(super) fn simple_value(&mut self) -> Option<()> {
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
pub(super) fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    slot.is_none().then(|| *slot = Some(value))
}

/// The deepest nesting of arrays and objects in a JSON value's text.
pub(super) fn max_nesting(text: &[u8]) -> usize {
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
pub(super) fn fast_project<'a>(json: &'a str, files: &mut Files<'_>) -> Option<WireProject<'a>> {
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
pub(super) fn fast_root(
    json: &str,
    callback: &mut impl FnMut(ProjectEntry),
) -> Option<Parsed<Meta>> {
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
