//! Planning: which files each requirement line needs, as pip's finder picks them.

use std::collections::BTreeMap;

use pypackaging::hash::Digest;
use pypackaging::requirements_txt::{Entry, HashViolation, Location, RequirementForm, Resolved};
use pypackaging::select::page;
use pypackaging::simple::{File as IndexFile, Yanked};
use pypackaging::version::{MarkerEnvironment, VersionOrUrl, VersionSpecifier};
use pypackaging::{DistFilename, PackageName, Target, Version, VersionSpecifiers};

use crate::args::Settings;
use crate::net::Client;

/// One file to fetch.
#[derive(Debug, Clone)]
pub struct Job {
    pub requirement: String,
    pub filename: String,
    pub dist: DistFilename,
    pub url: String,
    /// The requirement's strong `--hash` values (and `#sha256=` fragment).
    pub required: Vec<Digest>,
    /// The index's strong hashes for the file.
    pub index: Vec<Digest>,
    /// The size the index declares (PEP 700).
    pub size: Option<u64>,
    /// The upstream's yank status, carried into the published index.
    pub yanked: Yanked,
    /// The upstream's `Requires-Python` (wheels' own metadata wins when publishing).
    pub requires_python: Option<String>,
    /// The PEP 740 provenance URL the upstream page gives, for the review.
    pub provenance: Option<String>,
}

pub fn violation_location(v: &HashViolation) -> Option<&Location> {
    match v {
        HashViolation::Unpinned { location, .. }
        | HashViolation::Missing { location, .. }
        | HashViolation::Vcs { location, .. }
        | HashViolation::Directory { location, .. }
        | HashViolation::Editable { location, .. }
        | HashViolation::NoCommonHash { location, .. }
        | HashViolation::Mismatch { location, .. } => Some(location),
        _ => None,
    }
}

pub fn direct_url(entry: &Entry) -> Option<&str> {
    match entry.form() {
        RequirementForm::Url { url, .. } => Some(url),
        RequirementForm::Pep508(r) => match &r.version_or_url {
            Some(VersionOrUrl::Url(u)) => Some(u.given().unwrap_or(u.as_str())),
            _ => None,
        },
        _ => None,
    }
}

/// The version specifiers of the `-c` constraints by project, which pip's resolver adds to the
/// requirement of the same name (their hashes: [`requirements_txt::allowed_digests`]).
pub fn constraints(resolved: &Resolved) -> BTreeMap<PackageName, Vec<VersionSpecifier>> {
    let mut out: BTreeMap<PackageName, Vec<VersionSpecifier>> = BTreeMap::new();
    for resolved_entry in &resolved.entries {
        let RequirementForm::Pep508(r) = resolved_entry.entry.form() else {
            continue;
        };
        if !resolved_entry.constraint {
            continue;
        }
        let Ok(name) = r.name.as_ref().parse::<PackageName>() else {
            continue;
        };
        if let Some(VersionOrUrl::VersionSpecifier(s)) = &r.version_or_url {
            out.entry(name).or_default().extend(s.iter().cloned());
        }
    }
    out
}

pub enum Planned {
    Skip(String),
    Fail(String),
}

/// The files to fetch for one requirement line.
#[expect(
    clippy::too_many_arguments,
    reason = "one call site, each argument distinct"
)]
pub fn plan(
    entry: &Entry,
    required: Vec<Digest>,
    constraint: Option<&Vec<VersionSpecifier>>,
    settings: &Settings,
    client: &Client,
    target: &Target,
    env: &MarkerEnvironment,
    python: &Version,
    all_platforms: bool,
    find_links: &[IndexFile],
) -> Result<Vec<Job>, Planned> {
    let marker = match entry.form() {
        RequirementForm::Pep508(r) => Some(&r.marker),
        RequirementForm::Url { marker, .. } | RequirementForm::Path { marker, .. } => {
            marker.as_ref()
        }
        _ => None,
    };
    if let Some(marker) = marker
        && !marker.evaluate(env, &[])
    {
        return Err(Planned::Skip(format!(
            "marker `{}` is false for the target",
            marker.try_to_string().unwrap_or_default()
        )));
    }
    if entry.is_editable() {
        return Err(Planned::Skip(
            "editable requirements are not mirrored".into(),
        ));
    }
    if let Some(url) = direct_url(entry) {
        return direct(entry, url, required);
    }
    let requirement = match entry.form() {
        RequirementForm::Pep508(r) => r,
        RequirementForm::Path { path, .. } => {
            return Err(Planned::Skip(format!(
                "local path `{path}` is not mirrored"
            )));
        }
        _ => return Err(Planned::Fail("unsupported requirement form".into())),
    };
    let project: PackageName = requirement
        .name
        .as_ref()
        .parse()
        .map_err(|e: pypackaging::name::NameError| Planned::Fail(e.to_string()))?;
    let mut specifiers: Vec<VersionSpecifier> = match &requirement.version_or_url {
        Some(VersionOrUrl::VersionSpecifier(s)) => s.iter().cloned().collect(),
        _ => Vec::new(),
    };
    if let Some(c) = constraint {
        specifiers.extend(c.iter().cloned());
    }
    let specifiers: VersionSpecifiers = specifiers.into_iter().collect();

    // Every file the indexes list, then the `--find-links` files of the project (the first
    // listing of a filename wins), as pip collects candidates; pip's choice among them is the
    // library's (`select::page`).
    let mut listed: Vec<IndexFile> = Vec::new();
    let mut found = false;
    for index in &settings.indexes {
        let page = client
            .project_page(index, project.as_str())
            .map_err(Planned::Fail)?;
        let Some(page) = page else { continue };
        found = true;
        listed.extend(page.files);
    }
    let candidates = page::candidates(listed.iter().chain(find_links), &project, python);
    found |= find_links
        .iter()
        .any(|f| DistFilename::parse(&f.filename).is_ok_and(|d| d.name() == Some(&project)));
    if !found {
        return Err(Planned::Fail(format!(
            "no index has project `{project}` (looked in {})",
            settings.indexes.join(", ")
        )));
    }
    let query = page::Query {
        project: &project,
        specifiers: &specifiers,
        policy: settings.policy,
        formats: &settings.formats,
        target,
        required: &required,
        every_platform: all_platforms,
    };
    let chosen = page::choose(&candidates, &query);
    if chosen.is_empty() {
        return Err(Planned::Fail(format!(
            "no file of `{project}` matching `{specifiers}` fits the target ({} files listed)",
            candidates.len()
        )));
    }
    Ok(chosen
        .into_iter()
        .map(|file| {
            let dist = DistFilename::parse(&file.filename).expect("a candidate's name parses");
            Job {
                requirement: entry.requirement().to_owned(),
                filename: file.filename.clone(),
                dist: dist.clone(),
                url: file.url.clone(),
                required: required.clone(),
                index: file
                    .hashes
                    .digests
                    .iter()
                    .copied()
                    .filter(Digest::is_strong)
                    .collect(),
                size: file.size,
                yanked: file.yanked.clone(),
                requires_python: file.requires_python.clone(),
                provenance: file.provenance.clone(),
            }
        })
        .collect())
}

/// A requirement naming a URL: that one file, checked against the line's hashes.
pub fn direct(entry: &Entry, url: &str, required: Vec<Digest>) -> Result<Vec<Job>, Planned> {
    let bare = url.split(['#', '?']).next().unwrap_or(url);
    let filename = bare.rsplit('/').next().unwrap_or(bare).to_owned();
    let dist = DistFilename::from_url(url).map_err(|_| {
        Planned::Skip(format!(
            "`{url}` is not a wheel or sdist (version control or directory)"
        ))
    })?;
    Ok(vec![Job {
        requirement: entry.requirement().to_owned(),
        filename,
        dist,
        url: bare.to_owned(),
        required,
        index: Vec::new(),
        size: None,
        yanked: Yanked::No,
        requires_python: None,
        provenance: None,
    }])
}
