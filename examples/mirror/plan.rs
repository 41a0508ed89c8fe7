//! Planning: which files each requirement line needs, as pip's finder picks them.

use std::collections::BTreeMap;

use pypackaging::hash::Digest;
use pypackaging::requirements_txt::{Entry, HashViolation, Location, RequirementForm, Resolved};
use pypackaging::select;
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
    for (_, constraint, entry) in &resolved.entries {
        let RequirementForm::Pep508(r) = entry.form() else {
            continue;
        };
        if !*constraint {
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

    // Every file the indexes list (the first index listing a filename wins), as pip collects
    // candidates from all of them.
    let mut files: Vec<(IndexFile, DistFilename)> = Vec::new();
    let mut found = false;
    for index in &settings.indexes {
        let page = client
            .project_page(index, project.as_str())
            .map_err(Planned::Fail)?;
        let Some(page) = page else { continue };
        found = true;
        for file in page.files {
            if files.iter().any(|(f, _)| f.filename == file.filename) {
                continue;
            }
            // pip ignores links whose names do not parse, and files whose Requires-Python
            // excludes the target.
            let Ok(dist) = DistFilename::parse(&file.filename) else {
                continue;
            };
            if let Some(Ok(rp)) = file.requires_python_specifiers()
                && !rp.contains(python)
            {
                continue;
            }
            files.push((file, dist));
        }
    }
    // `--find-links` files of the project, after the indexes' (as pip adds them to the
    // candidates; hash checks are the same).
    for file in find_links {
        if files.iter().any(|(f, _)| f.filename == file.filename) {
            continue;
        }
        let Ok(dist) = DistFilename::parse(&file.filename) else {
            continue;
        };
        if dist.name() != Some(&project) {
            continue;
        }
        found = true;
        files.push((file.clone(), dist));
    }
    if !found {
        return Err(Planned::Fail(format!(
            "no index has project `{project}` (looked in {})",
            settings.indexes.join(", ")
        )));
    }
    // pip's `filter_unallowed_hashes`: with `--hash` values, the candidates whose index hash
    // is one of them are the only ones left, when there are some; the best-tagged file is
    // chosen among those, not refused after download.
    let (binary, source) = settings.formats.allowed(&project);
    keep_hash_allowed(&mut files, &required, |names| {
        let candidates: Vec<&DistFilename> = names
            .iter()
            .copied()
            .filter(|d| d.name() == Some(&project))
            .filter(|d| match d {
                DistFilename::Wheel(w) => {
                    binary && (all_platforms || target.compatibility(w.tags()).is_ok())
                }
                DistFilename::Sdist(_) => source,
                _ => false,
            })
            .collect();
        let versions = select::allowed_versions(
            candidates.iter().filter_map(|d| d.version()),
            &specifiers,
            settings.policy,
        );
        names
            .iter()
            .map(|d| candidates.contains(d) && d.version().is_some_and(|v| versions.contains(&v)))
            .collect()
    });
    // PEP 592: yanked files only when pinned and nothing else fits (pip's `is_pinned`: an `===`,
    // or an `==` without a wildcard, among the specifiers).
    // (`==1.*` is pep440's `EqualStar`, not `Equal`.)
    let pinned = specifiers.iter().any(|s| {
        matches!(
            s.operator(),
            pypackaging::version::Operator::Equal | pypackaging::version::Operator::ExactEqual
        )
    });
    let pick = |include_yanked: bool| -> Vec<usize> {
        let indices: Vec<usize> = (0..files.len())
            .filter(|&i| include_yanked || !files[i].0.yanked.is_yanked())
            .collect();
        let names: Vec<DistFilename> = indices.iter().map(|&i| files[i].1.clone()).collect();
        if all_platforms {
            let (binary, source) = settings.formats.allowed(&project);
            let allowed_kind = |d: &DistFilename| match d {
                DistFilename::Wheel(_) => binary,
                DistFilename::Sdist(_) => source,
                _ => false,
            };
            let versions: Vec<&Version> = names
                .iter()
                .filter(|d| d.name() == Some(&project) && allowed_kind(d))
                .filter_map(DistFilename::version)
                .collect();
            let best = select::allowed_versions(versions, &specifiers, settings.policy)
                .into_iter()
                .max()
                .cloned();
            let Some(best) = best else { return Vec::new() };
            indices
                .iter()
                .zip(&names)
                .filter(|(_, d)| {
                    d.name() == Some(&project) && allowed_kind(d) && d.version() == Some(&best)
                })
                .map(|(&i, _)| i)
                .collect()
        } else {
            select::best_file(
                &project,
                &names,
                target,
                &specifiers,
                settings.policy,
                &settings.formats,
            )
            .and_then(|best| names.iter().position(|n| std::ptr::eq(n, best)))
            .map(|k| vec![indices[k]])
            .unwrap_or_default()
        }
    };
    let mut chosen = pick(false);
    if chosen.is_empty() && pinned {
        chosen = pick(true);
    }
    if chosen.is_empty() {
        return Err(Planned::Fail(format!(
            "no file of `{project}` matching `{specifiers}` fits the target ({} files listed)",
            files.len()
        )));
    }
    Ok(chosen
        .into_iter()
        .map(|i| {
            let (file, dist) = &files[i];
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

/// Keeps only the files whose index hash is one of `required` (or that have none), when
/// `applicable` (which says,
/// for each filename, whether pip would take it as a candidate) holds for at least one of them:
/// pip's `CandidateEvaluator.get_applicable_candidates` with `filter_unallowed_hashes`.
/// Nothing changes without `required`, or when no applicable file's hash is allowed (the best
/// file is then refused by its digest after download, as pip refuses it).
pub fn keep_hash_allowed(
    files: &mut Vec<(IndexFile, DistFilename)>,
    required: &[Digest],
    applicable: impl FnOnce(&[&DistFilename]) -> Vec<bool>,
) {
    if required.is_empty() {
        return;
    }
    let allowed = |f: &IndexFile| f.hashes.digests.iter().any(|d| required.contains(d));
    let names: Vec<&DistFilename> = files.iter().map(|(_, d)| d).collect();
    let applicable = applicable(&names);
    if files
        .iter()
        .zip(&applicable)
        .any(|((f, _), ok)| *ok && allowed(f))
    {
        // Files the index gives no hash for stay, as in pip (their bytes are checked after
        // download).
        files.retain(|(f, _)| f.hashes.digests.is_empty() || allowed(f));
    }
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

#[cfg(test)]
mod tests {
    use pypackaging::hash::HashAlgorithm;
    use pypackaging::simple::Hashes;

    use super::*;

    fn digest(byte: u8) -> Digest {
        Digest::from_bytes(HashAlgorithm::Sha256, &[byte; 32]).unwrap()
    }

    fn file(name: &str, byte: u8) -> (IndexFile, DistFilename) {
        let mut f = IndexFile::new(name, name);
        f.hashes = Hashes {
            digests: vec![digest(byte)],
            unparsed: Vec::new(),
        };
        (f, DistFilename::parse(name).unwrap())
    }

    fn names(files: &[(IndexFile, DistFilename)]) -> Vec<&str> {
        files.iter().map(|(f, _)| f.filename.as_str()).collect()
    }

    #[test]
    fn only_files_with_an_allowed_hash_remain_as_pip_filters_them() {
        let mut unhashed = file("c-1.0-cp39-abi3-manylinux_2_34_x86_64.whl", 0);
        unhashed.0.hashes = Hashes::default();
        let all = vec![
            unhashed,
            file("c-1.0-cp39-abi3-manylinux_2_28_x86_64.whl", 1),
            file("c-1.0-cp37-abi3-manylinux_2_17_x86_64.whl", 2),
            file("c-1.0-cp37-abi3-win_amd64.whl", 3),
            file("c-1.0.tar.gz", 4),
        ];
        let everything = |n: &[&DistFilename]| vec![true; n.len()];
        // The requirement allows the cp37 Linux wheel and the sdist: the hashed cp39 wheel
        // goes, the unhashed one stays.
        let mut files = all.clone();
        keep_hash_allowed(&mut files, &[digest(2), digest(4)], everything);
        assert_eq!(
            names(&files),
            [
                "c-1.0-cp39-abi3-manylinux_2_34_x86_64.whl",
                "c-1.0-cp37-abi3-manylinux_2_17_x86_64.whl",
                "c-1.0.tar.gz"
            ]
        );
        // No hashes: nothing filtered.
        let mut files = all.clone();
        keep_hash_allowed(&mut files, &[], everything);
        assert_eq!(files.len(), 5);
        // The only allowed file is not a candidate (another platform): nothing filtered, so
        // the best candidate is chosen and then refused by its digest, as pip refuses it.
        let mut files = all.clone();
        keep_hash_allowed(&mut files, &[digest(3)], |n| {
            n.iter().map(|d| !d.to_string().contains("win")).collect()
        });
        assert_eq!(files.len(), 5);
    }
}
