//! Choosing among a project's files: ordering, pre-release policy, `--only-binary` /
//! `--no-binary`, and the best file for a [`Target`].
//!
//! This follows pip 26.3's `PackageFinder`: candidates are the wheels the target supports and
//! (when source builds are allowed) the sdists; versions are filtered by the specifier with
//! packaging's pre-release rule; the best candidate has the highest version, then the best tag
//! priority (an sdist ranks below every wheel), then the highest build tag. Files of other
//! projects and of other kinds are ignored. Among equally good files the first one listed wins,
//! as with pip's `max`.
//!
//! Deliberate difference: pip still accepts legacy source archives (`.tar.bz2`, `.tgz`,
//! `.tar.xz`, `.tar`) as sdists; here only PEP 625 `.tar.gz` and legacy `.zip` sdists are
//! candidates, since the others cannot carry the PEP 625 name and are not uploadable to PyPI.
//! [`best_file`] works on filenames; [`page::choose`] takes the files of parsed project pages and
//! adds what pip does with what a page says of them: `Requires-Python`, the `--hash` filter and
//! PEP 592 yanking.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use crate::PackageName;
use crate::filename::{BuildTag, DistFilename};
use crate::name::NameError;
use crate::tags::{Priority, Target};
use crate::version::{Version, VersionSpecifiers};

pub mod page;

/// When pre-releases (and dev releases) may be chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum PrereleasePolicy {
    /// Only if the specifier names a pre-release (`>=2.0b1`) or no final release satisfies
    /// it: packaging's `SpecifierSet.filter(prereleases=None)`, pip's default.
    #[default]
    IfNeeded,
    /// Always (`pip install --pre`).
    Allow,
    /// Never.
    Disallow,
}

/// Which projects must use wheels and which must build from source: pip's `FormatControl`,
/// filled by `--only-binary` and `--no-binary` in the order given.
///
/// # Examples
///
/// ```
/// use pypackaging::select::FormatControl;
///
/// let mut control = FormatControl::default();
/// control.only_binary(":all:")?;
/// control.no_binary("pyyaml")?;
/// let pyyaml = "PyYAML".parse()?;
/// assert_eq!(control.allowed(&pyyaml), (false, true)); // (binary, source)
/// let numpy = "numpy".parse()?;
/// assert_eq!(control.allowed(&numpy), (true, false));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormatControl {
    only_binary: Set,
    no_binary: Set,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Set {
    all: bool,
    names: BTreeSet<PackageName>,
}

impl Set {
    fn clear(&mut self) {
        self.all = false;
        self.names.clear();
    }
}

impl FormatControl {
    /// Applies `--only-binary VALUE` (comma-separated names, `:all:`, `:none:`).
    ///
    /// # Errors
    ///
    /// A name that is not a valid project name.
    pub fn only_binary(&mut self, value: &str) -> Result<(), NameError> {
        let FormatControl {
            only_binary,
            no_binary,
        } = self;
        apply(value, only_binary, no_binary)
    }

    /// Applies `--no-binary VALUE` (comma-separated names, `:all:`, `:none:`).
    ///
    /// # Errors
    ///
    /// A name that is not a valid project name.
    pub fn no_binary(&mut self, value: &str) -> Result<(), NameError> {
        let FormatControl {
            only_binary,
            no_binary,
        } = self;
        apply(value, no_binary, only_binary)
    }

    /// Whether `(wheels, sdists)` may be used for `project`: a project named in a list wins
    /// over `:all:`, and `--only-binary` is checked first, as in pip's `get_allowed_formats`.
    pub fn allowed(&self, project: &PackageName) -> (bool, bool) {
        if self.only_binary.names.contains(project) {
            (true, false)
        } else if self.no_binary.names.contains(project) {
            (false, true)
        } else if self.only_binary.all {
            (true, false)
        } else if self.no_binary.all {
            (false, true)
        } else {
            (true, true)
        }
    }
}

/// pip's `FormatControl.handle_mutual_excludes`.
fn apply(value: &str, target: &mut Set, other: &mut Set) -> Result<(), NameError> {
    let mut items: Vec<&str> = value.split(',').collect();
    while let Some(at) = items.iter().position(|i| *i == ":all:") {
        other.clear();
        target.clear();
        target.all = true;
        items.drain(..=at);
        if !items.contains(&":none:") {
            return Ok(());
        }
    }
    for item in items {
        if item == ":none:" {
            target.clear();
            continue;
        }
        let name = PackageName::new(item)?;
        other.names.remove(&name);
        target.names.insert(name);
    }
    Ok(())
}

/// The versions among `versions` that `specifiers` allows under `policy`.
pub fn allowed_versions<'a>(
    versions: impl IntoIterator<Item = &'a Version>,
    specifiers: &VersionSpecifiers,
    policy: PrereleasePolicy,
) -> Vec<&'a Version> {
    let matching: Vec<&Version> = versions
        .into_iter()
        .filter(|v| specifiers.contains(v))
        .collect();
    let names_pre = specifiers.iter().any(|s| s.version().any_prerelease());
    let allow_pre = match policy {
        PrereleasePolicy::Allow => true,
        PrereleasePolicy::Disallow => false,
        PrereleasePolicy::IfNeeded => names_pre || matching.iter().all(|v| v.any_prerelease()),
    };
    matching
        .into_iter()
        .filter(|v| allow_pre || !v.any_prerelease())
        .collect()
}

/// The ordering key of a file for a target: version, then tag priority (wheels the target
/// cannot install and sdists come below every supported wheel), then build tag.
fn key<'a>(
    file: &'a DistFilename,
    target: &Target,
) -> Option<(&'a Version, Option<Priority>, Option<&'a BuildTag>)> {
    match file {
        DistFilename::Wheel(w) => Some((w.version(), target.best_priority(w.tags()), w.build())),
        DistFilename::Sdist(s) => Some((s.version(), None, None)),
        DistFilename::Other(_) => None,
    }
}

/// Orders files of one project for a target, worst first: by version, then tag priority, then
/// build tag; files of other kinds sort first. Ties keep their order (the sort is stable).
pub fn sort_files(files: &mut [DistFilename], target: &Target) {
    files.sort_by(|a, b| compare(a, b, target));
}

fn compare(a: &DistFilename, b: &DistFilename, target: &Target) -> Ordering {
    key(a, target).cmp(&key(b, target))
}

/// The file pip would pick for `project` on `target`: among the wheels the target supports
/// (when binaries are allowed) and the sdists (when sources are allowed), whose version
/// `specifiers` and `policy` allow, the highest version, then the best tag priority (wheels
/// before sdists), then the highest build tag. `None` when nothing fits.
pub fn best_file<'a>(
    project: &PackageName,
    files: &'a [DistFilename],
    target: &Target,
    specifiers: &VersionSpecifiers,
    policy: PrereleasePolicy,
    formats: &FormatControl,
) -> Option<&'a DistFilename> {
    let (binary, source) = formats.allowed(project);
    let candidates: Vec<(&DistFilename, Option<Priority>)> = files
        .iter()
        .filter(|f| f.name() == Some(project))
        .filter_map(|f| match f {
            DistFilename::Wheel(w) if binary => {
                target.best_priority(w.tags()).map(|p| (f, Some(p)))
            }
            DistFilename::Sdist(_) if source => Some((f, None)),
            _ => None,
        })
        .collect();
    let allowed = allowed_versions(
        candidates.iter().filter_map(|(f, _)| f.version()),
        specifiers,
        policy,
    );
    // `rev` because `max_by` keeps the last of equal elements and pip's `max` the first.
    candidates
        .into_iter()
        .filter(|(f, _)| f.version().is_some_and(|v| allowed.contains(&v)))
        .rev()
        .max_by(|(a, pa), (b, pb)| {
            let build = |f: &DistFilename| match f {
                DistFilename::Wheel(w) => w.build().cloned(),
                _ => None,
            };
            a.version()
                .cmp(&b.version())
                .then(pa.cmp(pb))
                .then_with(|| build(a).cmp(&build(b)))
        })
        .map(|(f, _)| f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::TargetSpec;

    fn files(names: &[&str]) -> Vec<DistFilename> {
        names.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn best_file_follows_pip() {
        let spec = TargetSpec::new("cp", "3.11", &["cp311"], &["manylinux_2_28_x86_64"]).unwrap();
        let target = Target::pip(&spec).unwrap();
        let project: PackageName = "foo".parse().unwrap();
        let all = files(&[
            "foo-1.0.tar.gz",
            "foo-1.0.zip",
            "foo-1.0-py3-none-any.whl",
            "foo-1.0-cp311-cp311-manylinux_2_28_x86_64.whl",
            "foo-1.0-1-cp311-cp311-manylinux_2_28_x86_64.whl",
            "foo-1.1-cp311-cp311-win_amd64.whl",
            "foo-2.0b1.tar.gz",
            "bar-9.0.tar.gz",
            "foo-3.0.egg",
        ]);
        let any: VersionSpecifiers = "".parse().unwrap();
        let pick = |spec: &VersionSpecifiers, policy, control: &FormatControl| {
            best_file(&project, &all, &target, spec, policy, control).map(ToString::to_string)
        };
        let control = FormatControl::default();
        assert_eq!(
            pick(&any, PrereleasePolicy::IfNeeded, &control).unwrap(),
            "foo-1.0-1-cp311-cp311-manylinux_2_28_x86_64.whl"
        );
        assert_eq!(
            pick(&any, PrereleasePolicy::Allow, &control).unwrap(),
            "foo-2.0b1.tar.gz"
        );
        let pre: VersionSpecifiers = ">=2.0b1".parse().unwrap();
        assert_eq!(
            pick(&pre, PrereleasePolicy::IfNeeded, &control).unwrap(),
            "foo-2.0b1.tar.gz"
        );
        let mut only = FormatControl::default();
        only.only_binary(":all:").unwrap();
        assert_eq!(pick(&pre, PrereleasePolicy::IfNeeded, &only), None);
        let mut no = FormatControl::default();
        no.no_binary(":all:").unwrap();
        assert_eq!(
            pick(&any, PrereleasePolicy::Disallow, &no).unwrap(),
            "foo-1.0.tar.gz"
        );
        no.no_binary(":none:").unwrap();
        assert_eq!(no, FormatControl::default());
    }

    #[test]
    fn sort_order() {
        let spec = TargetSpec::new("cp", "3.11", &["cp311"], &["win_amd64"]).unwrap();
        let target = Target::pip(&spec).unwrap();
        let mut all = files(&[
            "foo-1.0-cp311-cp311-win_amd64.whl",
            "foo-1.0.tar.gz",
            "foo-0.9-py3-none-any.whl",
            "foo-1.0-py3-none-any.whl",
            "foo-1.0-2-py3-none-any.whl",
        ]);
        sort_files(&mut all, &target);
        let names: Vec<String> = all.iter().map(ToString::to_string).collect();
        assert_eq!(
            names,
            [
                "foo-0.9-py3-none-any.whl",
                "foo-1.0.tar.gz",
                "foo-1.0-py3-none-any.whl",
                "foo-1.0-2-py3-none-any.whl",
                "foo-1.0-cp311-cp311-win_amd64.whl",
            ]
        );
    }
}
