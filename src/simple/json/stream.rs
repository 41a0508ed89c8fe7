//! Reading PEP 691 root pages as a stream of projects, from a reader or from text.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::io;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::simple::{Meta, Parsed, ProjectEntry, ProjectList, SimpleError, Warning};

use super::read::api_version;
use super::scan::fast_root;
use super::wire::WireMeta;

/// A root-page entry as sent: `{"name": …}` plus keys we ignore (PyPI's `_last-serial`).
#[derive(Deserialize)]
pub(super) struct WireEntry<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
}

/// Calls back once per element of `projects`.
pub(super) struct Projects<'f, F>(&'f mut F);

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
pub(super) struct Root<'f, F> {
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

pub(super) fn run_root<'de, D, F>(d: D, callback: &mut F) -> Result<Parsed<Meta>, SimpleError>
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
