//! Reading PEP 691 project pages: wire structs to the model.

use crate::simple::{
    ApiVersion, CoreMetadata, File, Hashes, Meta, Parsed, ProjectPage, ProjectStatus, Resolver,
    SimpleError, StatusMarker, Warning, Yanked,
};

use super::scan::fast_project;
use super::wire::{BoolOr, RawHashes, WireFile, WireMeta, WireProject, WireStatus};

pub(super) fn api_version(
    meta: &WireMeta,
    warnings: &mut Vec<Warning>,
) -> Result<ApiVersion, SimpleError> {
    let text = meta
        .api_version
        .as_deref()
        .ok_or(SimpleError::MissingApiVersion)?;
    let version: ApiVersion = text.parse()?;
    crate::simple::check_api_version(version, warnings)?;
    Ok(version)
}

/// The files of a project page turned into the model one by one, with their warnings.
pub(super) struct Files<'r> {
    pub(super) resolver: &'r Resolver,
    /// The last `requires-python` that parsed (see [`super::check_file`]).
    pub(super) last_valid: Option<String>,
    pub(super) warnings: Vec<Warning>,
    pub(super) list: Vec<File>,
}

impl Files<'_> {
    pub(super) fn push(&mut self, f: WireFile<'_>) {
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
        crate::simple::check_file(index, &file, &mut self.last_valid, warnings);
        self.list.push(file);
    }
}

pub(super) fn hashes_from(raw: RawHashes<'_>, warnings: &mut Vec<Warning>) -> Hashes {
    let mut h = Hashes::new();
    for (name, value) in raw.pairs() {
        if let Some(w) = h.insert_raw(&name.0, &value.0) {
            warnings.push(w);
        }
    }
    h
}

pub(super) fn metadata_from(
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
pub(super) fn parse_project_page_with(
    json: &str,
    page_url: &str,
    fast: bool,
) -> Result<Parsed<ProjectPage>, SimpleError> {
    let resolver = Resolver::new(crate::simple::page_url_parse(page_url)?);
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
        // `{"status": null}` (or `{}`) says nothing: no status, as pypi-simple reads it.
        (
            Some(WireStatus {
                status: None,
                reason: None,
            }),
            _,
        ) => None,
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
            let reason = reason.or_else(|| wire.meta.project_status_reason.clone());
            // A legacy value that says nothing is no status, as an empty object is.
            (status.is_some() || reason.is_some()).then(|| ProjectStatus {
                status: status.as_deref().map(StatusMarker::new),
                reason,
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
    crate::simple::check_page(&page, &mut warnings);
    Ok(Parsed {
        value: page,
        warnings,
    })
}
