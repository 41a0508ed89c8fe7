//! pip's choice among the files of parsed project pages: what `pip download` and
//! `pip install` take for one requirement, given the pages the caller fetched.
//!
//! In pip 26.3's order (`PackageFinder.find_all_candidates`, then
//! `CandidateEvaluator.compute_best_candidate`):
//!
//! 1. **Candidates** ([`candidates`]): every file of every page, the first listing of a
//!    filename winning (pip takes the indexes, then `--find-links`, in order); a file whose
//!    name does not parse as a wheel or sdist of the project is left out, as is one whose
//!    `Requires-Python` excludes the target's Python (pip's `_check_link_requires_python`;
//!    a `Requires-Python` that does not parse does not exclude, as in pip).
//! 2. **The `--hash` filter** (`filter_unallowed_hashes`): with hashes required, when at least
//!    one file pip would take has an allowed hash, only the files with an allowed hash, or with
//!    no hash on the page, stay. When none has, nothing is filtered: the best file is then
//!    refused by its digest after download, as pip refuses it.
//! 3. **Yanking** (PEP 592): yanked files are left out, unless the requirement pins a version
//!    (`==` without a wildcard, or `===`) and nothing else fits.
//! 4. **The best file** ([`super::best_file`]): version, tag priority, build tag; or, with
//!    [`Query::every_platform`], every file of the best version whatever its platform (a mirror
//!    of all platforms).
//!
//! `scripts/check-mirror-pypi` compares the `mirror` example, built on this, with `pip
//! download` on real projects and three targets.

use crate::PackageName;
use crate::filename::DistFilename;
use crate::hash::Digest;
use crate::simple::File;
use crate::tags::Target;
use crate::version::{Operator, Version, VersionSpecifiers};

use super::{FormatControl, PrereleasePolicy, allowed_versions, best_file};

/// What is asked for: one requirement, for one target.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    /// The project.
    pub project: &'a PackageName,
    /// Its version specifiers (with the constraints' added).
    pub specifiers: &'a VersionSpecifiers,
    /// `--pre` and the specifiers' own pre-release rule.
    pub policy: PrereleasePolicy,
    /// `--only-binary` / `--no-binary`.
    pub formats: &'a FormatControl,
    /// The target's tags.
    pub target: &'a Target,
    /// The required `--hash` values (strong ones); empty for none.
    pub required: &'a [Digest],
    /// Every file of the best version, on any platform, rather than the one file the target
    /// installs.
    pub every_platform: bool,
}

/// A file of a page, with its parsed name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'f> {
    /// The file as its page lists it.
    pub file: &'f File,
    /// Its name.
    pub dist: DistFilename,
}

/// The candidates among `files` (step 1 of the module docs) for `project` on `python`.
pub fn candidates<'f>(
    files: impl IntoIterator<Item = &'f File>,
    project: &PackageName,
    python: &Version,
) -> Vec<Candidate<'f>> {
    let mut out: Vec<Candidate<'f>> = Vec::new();
    for file in files {
        if out.iter().any(|c| c.file.filename == file.filename) {
            continue;
        }
        let Ok(dist) = DistFilename::parse(&file.filename) else {
            continue;
        };
        if dist.name() != Some(project) || matches!(dist, DistFilename::Other(_)) {
            continue;
        }
        if let Some(Ok(rp)) = file.requires_python_specifiers()
            && !rp.contains(python)
        {
            continue;
        }
        out.push(Candidate { file, dist });
    }
    out
}

/// Whether pip would take the file as a candidate before any hash or yank rule: its kind is
/// allowed, a wheel supports the target (or every platform is asked for), its version is
/// allowed.
fn applicable(candidates: &[Candidate<'_>], query: &Query<'_>) -> Vec<bool> {
    let (binary, source) = query.formats.allowed(query.project);
    let kind_ok: Vec<bool> = candidates
        .iter()
        .map(|c| match &c.dist {
            DistFilename::Wheel(w) => {
                binary && (query.every_platform || query.target.is_compatible(w.tags()))
            }
            DistFilename::Sdist(_) => source,
            DistFilename::Other(_) => false,
        })
        .collect();
    let versions = allowed_versions(
        candidates
            .iter()
            .zip(&kind_ok)
            .filter(|(_, ok)| **ok)
            .filter_map(|(c, _)| c.dist.version()),
        query.specifiers,
        query.policy,
    );
    candidates
        .iter()
        .zip(kind_ok)
        .map(|(c, ok)| ok && c.dist.version().is_some_and(|v| versions.contains(&v)))
        .collect()
}

/// Step 2: the files that stay under the `--hash` filter (by index into `candidates`).
pub fn hash_allowed(candidates: &[Candidate<'_>], query: &Query<'_>) -> Vec<usize> {
    let all: Vec<usize> = (0..candidates.len()).collect();
    if query.required.is_empty() {
        return all;
    }
    let allowed = |c: &Candidate<'_>| {
        c.file
            .hashes
            .digests
            .iter()
            .any(|d| query.required.contains(d))
    };
    let applicable = applicable(candidates, query);
    if !candidates
        .iter()
        .zip(&applicable)
        .any(|(c, ok)| *ok && allowed(c))
    {
        return all;
    }
    // A file the page gives no hash for stays, as in pip (its bytes are checked after
    // download).
    all.into_iter()
        .filter(|&i| candidates[i].file.hashes.digests.is_empty() || allowed(&candidates[i]))
        .collect()
}

/// Whether the specifiers pin one version (pip's `is_pinned`: an `===`, or an `==` without a
/// wildcard).
pub fn is_pinned(specifiers: &VersionSpecifiers) -> bool {
    specifiers
        .iter()
        .any(|s| matches!(s.operator(), Operator::Equal | Operator::ExactEqual))
}

/// The files pip would take (steps 2 to 4 of the module docs): one file, or with
/// [`Query::every_platform`] every file of the best version; none when nothing fits.
///
/// # Examples
///
/// ```
/// use pypackaging::select::page::{Query, candidates, choose};
/// use pypackaging::select::{FormatControl, PrereleasePolicy};
/// use pypackaging::simple::{File, Yanked};
/// use pypackaging::tags::{Target, TargetSpec};
///
/// let spec = TargetSpec::new("cp", "3.11", &["cp311"], &["manylinux_2_28_x86_64"])?;
/// let target = Target::pip(&spec)?;
/// let mut files = vec![
///     File::new("demo-2.0-py3-none-any.whl", "https://x.invalid/demo-2.0-py3-none-any.whl"),
///     File::new("demo-1.0-py3-none-any.whl", "https://x.invalid/demo-1.0-py3-none-any.whl"),
///     File::new("demo-1.0.tar.gz", "https://x.invalid/demo-1.0.tar.gz"),
/// ];
/// files[0].yanked = Yanked::Yanked(Some("broken".into()));
/// let project = "demo".parse()?;
/// let python = "3.11.9".parse()?;
/// let any = "".parse()?;
/// let query = Query {
///     project: &project, specifiers: &any, policy: PrereleasePolicy::IfNeeded,
///     formats: &FormatControl::default(), target: &target, required: &[],
///     every_platform: false,
/// };
/// let found = candidates(&files, &project, &python);
/// // 2.0 is yanked and not pinned: 1.0's wheel.
/// assert_eq!(choose(&found, &query)[0].filename, "demo-1.0-py3-none-any.whl");
/// let pinned = "==2.0".parse()?;
/// let query = Query { specifiers: &pinned, ..query };
/// assert_eq!(choose(&found, &query)[0].filename, "demo-2.0-py3-none-any.whl");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn choose<'f>(candidates: &[Candidate<'f>], query: &Query<'_>) -> Vec<&'f File> {
    let kept = hash_allowed(candidates, query);
    let pick = |include_yanked: bool| -> Vec<&'f File> {
        let indices: Vec<usize> = kept
            .iter()
            .copied()
            .filter(|&i| include_yanked || !candidates[i].file.yanked.is_yanked())
            .collect();
        let names: Vec<DistFilename> = indices
            .iter()
            .map(|&i| candidates[i].dist.clone())
            .collect();
        if query.every_platform {
            let (binary, source) = query.formats.allowed(query.project);
            let kind_ok = |d: &DistFilename| match d {
                DistFilename::Wheel(_) => binary,
                DistFilename::Sdist(_) => source,
                DistFilename::Other(_) => false,
            };
            let best = allowed_versions(
                names
                    .iter()
                    .filter(|d| kind_ok(d))
                    .filter_map(DistFilename::version),
                query.specifiers,
                query.policy,
            )
            .into_iter()
            .max()
            .cloned();
            let Some(best) = best else {
                return Vec::new();
            };
            indices
                .iter()
                .zip(&names)
                .filter(|(_, d)| kind_ok(d) && d.version() == Some(&best))
                .map(|(&i, _)| candidates[i].file)
                .collect()
        } else {
            best_file(
                query.project,
                &names,
                query.target,
                query.specifiers,
                query.policy,
                query.formats,
            )
            .and_then(|best| names.iter().position(|n| std::ptr::eq(n, best)))
            .map(|k| vec![candidates[indices[k]].file])
            .unwrap_or_default()
        }
    };
    let chosen = pick(false);
    if chosen.is_empty() && is_pinned(query.specifiers) {
        return pick(true);
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::HashAlgorithm;
    use crate::simple::Hashes;
    use crate::tags::TargetSpec;

    fn digest(byte: u8) -> Digest {
        Digest::from_bytes(HashAlgorithm::Sha256, &[byte; 32]).unwrap()
    }

    fn file(name: &str, byte: Option<u8>) -> File {
        let mut f = File::new(name, format!("https://x.invalid/{name}"));
        f.hashes = Hashes {
            digests: byte.map(digest).into_iter().collect(),
            unparsed: Vec::new(),
        };
        f
    }

    #[test]
    fn only_files_with_an_allowed_hash_remain_as_pip_filters_them() {
        let spec = TargetSpec::new("cp", "3.12", &["cp312"], &["manylinux_2_34_x86_64"]).unwrap();
        let target = Target::pip(&spec).unwrap();
        let files = [
            file("c-1.0-cp39-abi3-manylinux_2_34_x86_64.whl", None),
            file("c-1.0-cp39-abi3-manylinux_2_28_x86_64.whl", Some(1)),
            file("c-1.0-cp37-abi3-manylinux_2_17_x86_64.whl", Some(2)),
            file("c-1.0-cp37-abi3-win_amd64.whl", Some(3)),
            file("c-1.0.tar.gz", Some(4)),
        ];
        let project: PackageName = "c".parse().unwrap();
        let python: Version = "3.12.0".parse().unwrap();
        let any: VersionSpecifiers = "".parse().unwrap();
        let formats = FormatControl::default();
        let found = candidates(&files, &project, &python);
        let names = |kept: Vec<usize>| -> Vec<&str> {
            kept.iter()
                .map(|&i| found[i].file.filename.as_str())
                .collect()
        };
        let query = |required| Query {
            project: &project,
            specifiers: &any,
            policy: PrereleasePolicy::IfNeeded,
            formats: &formats,
            target: &target,
            required,
            every_platform: false,
        };
        // The requirement allows the cp37 Linux wheel and the sdist: the hashed cp39 wheel
        // goes, the unhashed one stays.
        let two_and_four = [digest(2), digest(4)];
        assert_eq!(
            names(hash_allowed(&found, &query(&two_and_four))),
            [
                "c-1.0-cp39-abi3-manylinux_2_34_x86_64.whl",
                "c-1.0-cp37-abi3-manylinux_2_17_x86_64.whl",
                "c-1.0.tar.gz"
            ]
        );
        // The best file pip takes among those: the unhashed cp39 wheel (best tag).
        assert_eq!(
            choose(&found, &query(&two_and_four))[0].filename,
            "c-1.0-cp39-abi3-manylinux_2_34_x86_64.whl"
        );
        // No hashes: nothing filtered.
        assert_eq!(hash_allowed(&found, &query(&[])).len(), 5);
        // The only allowed file is not a candidate (another platform): nothing filtered, so
        // the best candidate is chosen and then refused by its digest, as pip refuses it.
        let three = [digest(3)];
        assert_eq!(hash_allowed(&found, &query(&three)).len(), 5);
    }

    #[test]
    fn requires_python_names_and_duplicates() {
        let mut old = file("d-2.0-py3-none-any.whl", Some(1));
        old.requires_python = Some(">=3.13".into());
        let mut bad = file("d-3.0-py3-none-any.whl", Some(2));
        bad.requires_python = Some("not a specifier".into());
        let files = [
            old,
            bad,
            file("d-1.0-py3-none-any.whl", Some(3)),
            file("d-1.0-py3-none-any.whl", Some(4)),
            file("other-9.0-py3-none-any.whl", Some(5)),
            file("d-1.0.egg", Some(6)),
        ];
        let found = candidates(&files, &"d".parse().unwrap(), &"3.12.1".parse().unwrap());
        let names: Vec<(&str, u8)> = found
            .iter()
            .map(|c| {
                (
                    c.file.filename.as_str(),
                    c.file.hashes.digests[0].as_bytes()[0],
                )
            })
            .collect();
        // 2.0 needs 3.13; an unparsable Requires-Python excludes nothing; the first listing
        // of a filename wins; other projects and eggs are not candidates.
        assert_eq!(
            names,
            [("d-3.0-py3-none-any.whl", 2), ("d-1.0-py3-none-any.whl", 3)]
        );
    }
}
