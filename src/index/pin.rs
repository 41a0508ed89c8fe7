//! The requirements file's pins: for each project, the release pip would pick on each Python
//! version, with the hashes of the files that install there.
//!
//! # What pip picks
//!
//! `pip install NAME` on Python `x` considers the files whose tags and `Requires-Python`
//! admit `x`, skips yanked files, and takes the newest version among them, preferring final
//! releases to pre-releases. So the release depends on `x`: the newest numpy may need 3.12
//! while an older one still has 3.11 wheels. `pins` writes one plain `name==V` line when one
//! release is what pip would pick on every Python the project's files support (and the range
//! the caller asked for), else one line per range of Python versions, each with a PEP 508
//! marker on `python_full_version`:
//!
//! ```text
//! numpy==1.26.4 ; python_full_version >= "3.10" and python_full_version < "3.12" --hash=…
//! numpy==2.3.1 ; python_full_version >= "3.12" and python_full_version < "3.14" --hash=…
//! ```
//!
//! # What a file admits
//!
//! A Python version is `(major, minor, patch)`, compared as PEP 440 versions.
//!
//! - An sdist admits every version its `Requires-Python` admits.
//! - A wheel admits the versions one of its (Python tag, ABI tag) pairs admits, as
//!   `packaging.tags` lists them for CPython: `pyX` every X.*; `pyXY` X.Y and every later X
//!   minor (pip lists `py311-none-any` for 3.12); `cpXY`/`ppXY` with an ABI other than `abi3`,
//!   and any tag with a `cpXY` or `pypyXY_*` ABI, X.Y only; `cpXY-abi3` X.Y and every later X
//!   minor. Other Python tags (`ip27`, `graalpy311`), and `cpX` without a minor outside `abi3`,
//!   admit nothing. Platforms are not looked at: a file counts where it installs on some
//!   platform, and the implementation (CPython, PyPy) is not told apart.
//! - Either way, intersected with the file's `Requires-Python`; a file without one, or with
//!   one that does not parse, admits every version (pip ignores a `Requires-Python` it cannot
//!   parse).
//!
//! # The pieces
//!
//! Which release pip picks only changes at a version some specifier or tag names. For each
//! version `v` a specifier mentions (cut to three parts), the boundaries are `v`, its next
//! patch, next minor and next major (these catch `==3.8.*`, `~=3.8`, `!=3.8.1`, `<=3.8.1.5`);
//! a tag's range ends are boundaries too. Between two boundaries every Python gets the same
//! answer, so the choice is evaluated once per piece at its lower end, and adjacent pieces
//! with the same release merge into one line. Pieces where the project has nothing
//! installable, or outside the caller's range, get no line. A plain line carries the hashes
//! of every file of its release (as before this module); a marker line those of the files
//! that install in its range. A project none of whose files admits any version (only
//! `graalpy311` wheels, say) gets the plain line of its preferred release, as before.
//!
//! # Cost
//!
//! With F files, R releases and P pieces (P is at most one more than four per distinct
//! specifier clause plus two per distinct tag range): each clause of each distinct
//! `Requires-Python` is evaluated at most five times (once per stretch between its own
//! boundaries), and the rest is bit sets of
//! P bits: O(F·P/64) word operations to combine each file's tags and `Requires-Python`, and
//! O(R·P/64) to hand each piece to the preferred release. Linear in the files for a bounded
//! number of boundaries (the common case: a handful); a project whose every file names a new
//! version is quadratic in words, 4,000 such files taking about 0.2 s.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use crate::filename::DistFilename;
use crate::name::PackageName;
use crate::tags::{AbiTag, LanguageTag};
use crate::version::{Version, VersionSpecifier, VersionSpecifiers};

use super::DistFile;

/// A Python version, `(major, minor, patch)`.
type Python = (u64, u64, u64);

/// `[start, end)` of Python versions.
type Range = (Python, Python);

/// The version a specifier clause names, cut (or padded) to three parts.
fn three_parts(version: &Version) -> Python {
    let part = |i: usize| version.release().get(i).copied().unwrap_or(0);
    (part(0), part(1), part(2))
}

/// `v`, its next patch, next minor and next major: where a clause on `v` can change its mind.
fn boundaries_of(v: Python, into: &mut BTreeSet<Python>) {
    let (major, minor, patch) = v;
    into.insert(v);
    into.insert((major, minor, patch.saturating_add(1)));
    into.insert((major, minor.saturating_add(1), 0));
    into.insert((major.saturating_add(1), 0, 0));
}

/// The Python versions one (Python tag, ABI tag) pair installs on; `None` for none.
fn tag_range(python: &LanguageTag, abi: &AbiTag) -> Option<Range> {
    let minor_only = |major: u8, minor: u8| {
        let (major, minor) = (u64::from(major), u64::from(minor));
        ((major, minor, 0), (major, minor + 1, 0))
    };
    let from_minor = |major: u8, minor: u8| {
        let (major, minor) = (u64::from(major), u64::from(minor));
        ((major, minor, 0), (major + 1, 0, 0))
    };
    match abi {
        AbiTag::CPython { major, minor, .. } => return Some(minor_only(*major, *minor)),
        AbiTag::PyPy {
            python_major,
            python_minor,
            ..
        } => return Some(minor_only(*python_major, *python_minor)),
        AbiTag::Abi3 | AbiTag::Abi3t => {
            return match python.version()? {
                (major, Some(minor)) => Some(from_minor(major, minor)),
                (major, None) => Some(from_minor(major, 0)),
            };
        }
        _ => {}
    }
    match python {
        LanguageTag::Python { major, minor } => Some(from_minor(*major, minor.unwrap_or(0))),
        LanguageTag::CPython { major, minor } | LanguageTag::PyPy { major, minor } => {
            minor.map(|minor| minor_only(*major, minor))
        }
        _ => None,
    }
}

/// What one file admits by its kind: every Python (an sdist) or a union of ranges (a wheel).
fn kind_ranges(file: &DistFile) -> Option<Vec<Range>> {
    let DistFilename::Wheel(wheel) = &file.dist else {
        return None;
    };
    let tags = wheel.tags();
    let mut ranges: Vec<Range> = tags
        .pythons()
        .iter()
        .flat_map(|p| tags.abis().iter().filter_map(move |a| tag_range(p, a)))
        .collect();
    ranges.sort_unstable();
    ranges.dedup();
    Some(ranges)
}

/// `1.2` for `(1, 2, 0)`, `1.2.3` otherwise.
fn show(python: Python) -> String {
    match python {
        (major, minor, 0) => format!("{major}.{minor}"),
        (major, minor, patch) => format!("{major}.{minor}.{patch}"),
    }
}

/// The requirement lines for one project's files (sorted by version, as `build` keeps them),
/// each `name==V[ ; marker] --hash=…` on one line; none when every file is yanked or nothing
/// installs in `range`. See the module docs.
pub(super) fn pins(
    name: &PackageName,
    files: &[DistFile],
    range: Option<&VersionSpecifiers>,
) -> Vec<String> {
    let candidates: Vec<&DistFile> = files.iter().filter(|f| !f.yanked.is_yanked()).collect();
    if candidates.is_empty() {
        return Vec::new();
    }

    // Each distinct `Requires-Python` parsed once; an unparsable one admits all (`None`).
    let mut specifiers: BTreeMap<&str, Option<VersionSpecifiers>> = BTreeMap::new();
    for f in &candidates {
        if let Some(text) = f.requires_python.as_deref() {
            specifiers
                .entry(text)
                .or_insert_with(|| VersionSpecifiers::from_str(text).ok());
        }
    }
    let kinds: Vec<Option<Vec<Range>>> = candidates.iter().map(|f| kind_ranges(f)).collect();

    // The pieces: `[bounds[i], bounds[i + 1])`, the last one unbounded above.
    let mut bounds: BTreeSet<Python> = BTreeSet::from([(0, 0, 0)]);
    let clauses = specifiers
        .values()
        .flatten()
        .chain(range)
        .flat_map(|s| s.iter());
    for clause in clauses {
        boundaries_of(three_parts(clause.version()), &mut bounds);
    }
    for &(start, end) in kinds.iter().flatten().flatten() {
        bounds.insert(start);
        bounds.insert(end);
    }
    let bounds: Vec<Python> = bounds.into_iter().collect();
    let pieces = bounds.len();
    let index_of = |python: Python| bounds.binary_search(&python).expect("a boundary");

    // Which pieces each `Requires-Python`, then each file, admits.
    let admitted_by = |spec: &VersionSpecifiers| {
        let mut bits = Bits::new(pieces, true);
        for clause in spec.iter() {
            bits.and(&clause_bits(clause, &bounds, &index_of));
        }
        bits
    };
    let admitted_by_text: BTreeMap<&str, Bits> = specifiers
        .iter()
        .map(|(text, spec)| {
            let bits = spec
                .as_ref()
                .map_or_else(|| Bits::new(pieces, true), admitted_by);
            (*text, bits)
        })
        .collect();
    let admits: Vec<Bits> = candidates
        .iter()
        .zip(&kinds)
        .map(|(f, kind)| {
            let mut bits = match kind {
                None => Bits::new(pieces, true),
                Some(ranges) => {
                    let mut bits = Bits::new(pieces, false);
                    for &(start, end) in ranges {
                        bits.set_range(index_of(start), index_of(end));
                    }
                    bits
                }
            };
            if let Some(text) = f.requires_python.as_deref() {
                bits.and(&admitted_by_text[text]);
            }
            bits
        })
        .collect();

    // Releases in pip's order of preference: finals newest first, then pre-releases; each
    // with its files (by candidate index) and the pieces they cover.
    let mut by_release: BTreeMap<&Version, (Vec<usize>, Bits)> = BTreeMap::new();
    for (k, f) in candidates.iter().enumerate() {
        let (files, covered) = by_release
            .entry(f.version())
            .or_insert_with(|| (Vec::new(), Bits::new(pieces, false)));
        files.push(k);
        covered.or(&admits[k]);
    }
    let mut releases: Vec<&Version> = by_release.keys().copied().collect();
    releases.sort_unstable_by(|a, b| {
        (a.any_prerelease(), std::cmp::Reverse(*a))
            .cmp(&(b.any_prerelease(), std::cmp::Reverse(*b)))
    });
    let files_of = |release: &Version| by_release[release].0.iter().copied();

    if !admits.iter().any(Bits::any) {
        // No file says which Python it is for (only other implementations' tags, or specifiers
        // that admit no version): pin the preferred release as a whole, as pip given the
        // right interpreter would.
        let all = hashes(&candidates, files_of(releases[0]));
        return vec![line(name, releases[0], None, all)];
    }

    // The release pip picks on each piece, where the caller's range allows: each release in
    // turn takes the pieces it covers that no preferred release took.
    let mut open = range.map_or_else(|| Bits::new(pieces, true), admitted_by);
    let mut choice: Vec<Option<&Version>> = vec![None; pieces];
    for &release in &releases {
        let covered = &by_release[release].1;
        for i in open.take(covered) {
            choice[i] = Some(release);
        }
    }
    let mut runs: Vec<(usize, usize, &Version)> = Vec::new();
    for (i, picked) in choice.iter().enumerate() {
        let Some(release) = picked else { continue };
        match runs.last_mut() {
            Some((_, end, last)) if *end == i && last == release => *end = i + 1,
            _ => runs.push((i, i + 1, release)),
        }
    }
    let distinct: BTreeSet<&Version> = runs.iter().map(|r| r.2).collect();
    if distinct.len() <= 1 {
        return runs
            .first()
            .map(|&(_, _, release)| {
                line(name, release, None, hashes(&candidates, files_of(release)))
            })
            .into_iter()
            .collect();
    }
    runs.iter()
        .map(|&(start, end, release)| {
            let mut marker = Vec::new();
            if bounds[start] != (0, 0, 0) {
                marker.push(format!(
                    "python_full_version >= \"{}\"",
                    show(bounds[start])
                ));
            }
            if let Some(&upper) = bounds.get(end) {
                marker.push(format!("python_full_version < \"{}\"", show(upper)));
            }
            let installable = files_of(release).filter(|&k| admits[k].any_in(start, end));
            let hashes = hashes(&candidates, installable);
            line(name, release, Some(&marker.join(" and ")), hashes)
        })
        .collect()
}

/// The pieces one specifier clause admits. Its answer changes only at its own boundaries, so
/// it is asked once per stretch between them (at most five times), not once per piece.
fn clause_bits(
    clause: &VersionSpecifier,
    bounds: &[Python],
    index_of: &impl Fn(Python) -> usize,
) -> Bits {
    let mut own = BTreeSet::new();
    boundaries_of(three_parts(clause.version()), &mut own);
    let mut starts: Vec<usize> = own.into_iter().map(index_of).collect();
    starts.push(0);
    starts.sort_unstable();
    starts.dedup();
    let mut bits = Bits::new(bounds.len(), false);
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(bounds.len());
        let (a, b, c) = bounds[start];
        if clause.contains(&Version::new([a, b, c])) {
            bits.set_range(start, end);
        }
    }
    bits
}

/// A set of pieces, one bit each.
#[derive(Debug, Clone)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(len: usize, value: bool) -> Bits {
        let mut bits = Bits(vec![0; len.div_ceil(64)]);
        if value {
            bits.set_range(0, len);
        }
        bits
    }

    /// Sets `start..end`, a word at a time.
    fn set_range(&mut self, start: usize, end: usize) {
        let mut i = start;
        while i < end {
            let (word, bit) = (i / 64, i % 64);
            let width = (64 - bit).min(end - i);
            let mask = if width == 64 {
                u64::MAX
            } else {
                ((1u64 << width) - 1) << bit
            };
            self.0[word] |= mask;
            i += width;
        }
    }

    fn and(&mut self, other: &Bits) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= b);
    }

    fn or(&mut self, other: &Bits) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a |= b);
    }

    fn any(&self) -> bool {
        self.0.iter().any(|w| *w != 0)
    }

    fn get(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }

    fn any_in(&self, start: usize, end: usize) -> bool {
        (start..end).any(|i| self.get(i))
    }

    /// Removes `other`'s members from `self` and returns them (those `self` had).
    fn take(&mut self, other: &Bits) -> Vec<usize> {
        let mut taken = Vec::new();
        for (w, (a, b)) in self.0.iter_mut().zip(&other.0).enumerate() {
            let mut both = *a & b;
            *a &= !b;
            while both != 0 {
                taken.push(w * 64 + both.trailing_zeros() as usize);
                both &= both - 1;
            }
        }
        taken
    }
}

/// The sorted, distinct sha256 digests of the candidates at `indices`.
fn hashes(candidates: &[&DistFile], indices: impl Iterator<Item = usize>) -> Vec<String> {
    let mut out: Vec<String> = indices
        .filter_map(|k| candidates[k].sha256())
        .map(ToString::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `name==version[ ; marker] --hash=… --hash=…`.
fn line(
    name: &PackageName,
    version: &Version,
    marker: Option<&str>,
    hashes: Vec<String>,
) -> String {
    let mut line = format!("{name}=={version}");
    if let Some(marker) = marker {
        line.push_str(" ; ");
        line.push_str(marker);
    }
    for h in hashes {
        line.push_str(" --hash=");
        line.push_str(&h);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::super::{BuildOptions, DistFile, build};
    use crate::hash::{Digest, HashAlgorithm};
    use crate::requirements_txt::RequirementsTxt;
    use crate::simple::Yanked;

    /// A file whose sha256 is `byte` 32 times, with `Requires-Python` when given.
    fn file(name: &str, byte: u8, requires_python: Option<&str>) -> DistFile {
        let sha = Digest::from_bytes(HashAlgorithm::Sha256, &[byte; 32]).unwrap();
        let mut f = DistFile::new(name, vec![sha], 1).unwrap();
        f.requires_python = requires_python.map(str::to_owned);
        f
    }

    /// The requirements file for `files`, each 64-digit hash cut to its byte: `sha256:1a`.
    fn pins_with(files: Vec<DistFile>, python: Option<&str>) -> String {
        let options = BuildOptions {
            python: python.map(|p| p.parse().unwrap()),
            ..BuildOptions::default()
        };
        let text = build(files, &options).unwrap().requirements;
        let parsed = RequirementsTxt::parse_str("r.txt", &text, &|_| None);
        assert!(parsed.errors.is_empty(), "{:?}\n{text}", parsed.errors);
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("sha256:") {
            let (head, tail) = rest.split_at(at + "sha256:".len());
            out.push_str(head);
            out.push_str(&tail[..2]);
            assert_eq!(tail[..64], tail[..2].repeat(32));
            rest = &tail[64..];
        }
        out.push_str(rest);
        out
    }

    fn pins(files: Vec<DistFile>) -> String {
        pins_with(files, None)
    }

    /// The claim the pieces rest on: a clause's answer is constant between its boundaries.
    #[test]
    fn clause_answers_are_constant_between_boundaries() {
        use super::{Python, boundaries_of, clause_bits, three_parts};
        use crate::version::{Version, VersionSpecifiers};
        use std::collections::BTreeSet;
        let grid: Vec<Python> = (1..5)
            .flat_map(|a| (0..14).flat_map(move |b| (0..4).map(move |c| (a, b, c))))
            .collect();
        for text in [
            ">=3.8",
            ">3.8",
            "<3.8",
            "<=3.8",
            "==3.8",
            "!=3.8",
            ">=3.8.1",
            ">3.8.1",
            "<=3.8.1",
            "<3.8.1",
            "==3.8.1",
            "!=3.8.1",
            "==3.8.*",
            "!=3.8.*",
            "==3.*",
            "!=3.*",
            "~=3.8",
            "~=3.8.1",
            "~=3.8.1.2",
            "<=3.8.1.5",
            ">3.8.0.0",
            "==3.8.1.5.*",
            ">=3.8.0rc1",
            "<3.8.0rc1",
            ">=1!3",
            "<3.8.post1",
            ">3.8.post1",
            "==3.8.1+local",
            "==3",
            "===3.8.0",
        ] {
            let spec: VersionSpecifiers = text.parse().unwrap();
            let clause = &spec[0];
            let mut bounds = BTreeSet::from([(0, 0, 0)]);
            boundaries_of(three_parts(clause.version()), &mut bounds);
            bounds.extend(grid.iter().copied());
            let bounds: Vec<Python> = bounds.into_iter().collect();
            let index_of = |p: Python| bounds.binary_search(&p).unwrap();
            let bits = clause_bits(clause, &bounds, &index_of);
            for (i, &(a, b, c)) in bounds.iter().enumerate() {
                let want = clause.contains(&Version::new([a, b, c]));
                assert_eq!(bits.get(i), want, "{text} on {a}.{b}.{c}");
            }
        }
    }

    #[test]
    fn numpy_newest_needs_312_older_has_310_and_311_wheels() {
        let files = || {
            vec![
                file("numpy-2.3.1.tar.gz", 0x20, Some(">=3.12")),
                file(
                    "numpy-2.3.1-cp312-cp312-manylinux_2_28_x86_64.whl",
                    0x21,
                    Some(">=3.12"),
                ),
                file(
                    "numpy-2.3.1-cp313-cp313-win_amd64.whl",
                    0x22,
                    Some(">=3.12"),
                ),
                file(
                    "numpy-1.26.4-cp310-cp310-manylinux_2_17_x86_64.whl",
                    0x10,
                    Some(">=3.10"),
                ),
                file(
                    "numpy-1.26.4-cp311-cp311-win_amd64.whl",
                    0x11,
                    Some(">=3.10"),
                ),
            ]
        };
        insta::assert_snapshot!(pins(files()), @r#"
        # Python: every version the files support
        numpy==1.26.4 ; python_full_version >= "3.10" and python_full_version < "3.12" \
            --hash=sha256:10 \
            --hash=sha256:11
        numpy==2.3.1 ; python_full_version >= "3.12" \
            --hash=sha256:20 \
            --hash=sha256:21 \
            --hash=sha256:22
        "#);
        // Restricted to what the newest serves: the plain line of today.
        insta::assert_snapshot!(pins_with(files(), Some(">=3.12")), @r"
        # Python >=3.12
        numpy==2.3.1 \
            --hash=sha256:20 \
            --hash=sha256:21 \
            --hash=sha256:22
        ");
        // A range starting inside the older release's piece cuts its marker there.
        insta::assert_snapshot!(pins_with(files(), Some(">=3.11, <3.13")), @r#"
        # Python >=3.11, <3.13
        numpy==1.26.4 ; python_full_version >= "3.11" and python_full_version < "3.12" \
            --hash=sha256:11
        numpy==2.3.1 ; python_full_version >= "3.12" and python_full_version < "3.13" \
            --hash=sha256:20 \
            --hash=sha256:21
        "#);
    }

    #[test]
    fn abi3_wheels_serve_later_minors() {
        let files = vec![
            file(
                "crypto-42.0-cp39-abi3-manylinux_2_28_x86_64.whl",
                0x42,
                Some(">=3.9"),
            ),
            file(
                "crypto-41.0-cp37-abi3-manylinux_2_28_x86_64.whl",
                0x41,
                Some(">=3.7"),
            ),
            file(
                "crypto-41.0-cp36-cp36m-manylinux_2_28_x86_64.whl",
                0x36,
                None,
            ),
        ];
        insta::assert_snapshot!(pins(files), @r#"
        # Python: every version the files support
        crypto==41.0 ; python_full_version >= "3.6" and python_full_version < "3.9" \
            --hash=sha256:36 \
            --hash=sha256:41
        crypto==42.0 ; python_full_version >= "3.9" and python_full_version < "4.0" \
            --hash=sha256:42
        "#);
    }

    #[test]
    fn pure_wheels_by_requires_python_and_python_tag() {
        let files = vec![
            file("demo-2.0-py3-none-any.whl", 0x20, Some(">=3.12")),
            file("demo-1.0-py3-none-any.whl", 0x10, Some(">=3.8")),
            file("demo-0.9-py2.py3-none-any.whl", 0x09, None),
            // pip lists `py311-none-any` for 3.11 and every later 3.x.
            file("other-2.0-py311-none-any.whl", 0x21, None),
            file("other-1.0-py3-none-any.whl", 0x11, None),
        ];
        insta::assert_snapshot!(pins(files), @r#"
        # Python: every version the files support
        demo==0.9 ; python_full_version >= "2.0" and python_full_version < "3.8" \
            --hash=sha256:09
        demo==1.0 ; python_full_version >= "3.8" and python_full_version < "3.12" \
            --hash=sha256:10
        demo==2.0 ; python_full_version >= "3.12" and python_full_version < "4.0" \
            --hash=sha256:20
        other==1.0 ; python_full_version >= "3.0" and python_full_version < "3.11" \
            --hash=sha256:11
        other==2.0 ; python_full_version >= "3.11" and python_full_version < "4.0" \
            --hash=sha256:21
        "#);
    }

    #[test]
    fn sdists_only() {
        let files = vec![
            file("demo-2.0.tar.gz", 0x20, Some(">=3.10")),
            file("demo-1.0.tar.gz", 0x10, None),
        ];
        insta::assert_snapshot!(pins(files), @r#"
        # Python: every version the files support
        demo==1.0 ; python_full_version < "3.10" \
            --hash=sha256:10
        demo==2.0 ; python_full_version >= "3.10" \
            --hash=sha256:20
        "#);
    }

    #[test]
    fn yanked_newest_is_skipped() {
        let mut yanked = file("demo-2.0-py3-none-any.whl", 0x20, None);
        yanked.yanked = Yanked::with_reason("broken");
        let files = vec![
            yanked,
            file("demo-1.5-py3-none-any.whl", 0x15, Some(">=3.9")),
            file("demo-1.0-py3-none-any.whl", 0x10, None),
        ];
        insta::assert_snapshot!(pins(files), @r#"
        # Python: every version the files support
        demo==1.0 ; python_full_version >= "3.0" and python_full_version < "3.9" \
            --hash=sha256:10
        demo==1.5 ; python_full_version >= "3.9" and python_full_version < "4.0" \
            --hash=sha256:15
        "#);
    }

    #[test]
    fn pre_releases_when_no_final_installs() {
        let files = vec![
            file("pre-2.0a1.tar.gz", 0x20, Some(">=3.10")),
            file("pre-1.0b1.tar.gz", 0x10, Some(">=3.8")),
            // A final wins where it installs; a newer pre-release only where it does not.
            file("mix-2.0rc1.tar.gz", 0x21, None),
            file("mix-1.0.tar.gz", 0x11, Some(">=3.8")),
        ];
        insta::assert_snapshot!(pins(files), @r#"
        # Python: every version the files support
        mix==1.0 ; python_full_version >= "3.8" \
            --hash=sha256:11
        mix==2.0rc1 ; python_full_version < "3.8" \
            --hash=sha256:21
        pre==1.0b1 ; python_full_version >= "3.8" and python_full_version < "3.10" \
            --hash=sha256:10
        pre==2.0a1 ; python_full_version >= "3.10" \
            --hash=sha256:20
        "#);
    }

    #[test]
    fn not_equal_and_wildcards_cut_pieces() {
        let files = vec![
            file("ne-2.0.tar.gz", 0x20, Some(">=3.8,!=3.8.1")),
            file("ne-1.0.tar.gz", 0x10, Some(">=3.6")),
            file("star-2.0.tar.gz", 0x21, Some("==3.9.*")),
            file("star-1.0.tar.gz", 0x11, None),
            file("tilde-2.0.tar.gz", 0x22, Some("~=3.8.1")),
            file("tilde-1.0.tar.gz", 0x12, Some("<4")),
        ];
        insta::assert_snapshot!(pins(files), @r#"
        # Python: every version the files support
        ne==1.0 ; python_full_version >= "3.6" and python_full_version < "3.8" \
            --hash=sha256:10
        ne==1.0 ; python_full_version >= "3.8.1" and python_full_version < "3.8.2" \
            --hash=sha256:10
        ne==2.0 ; python_full_version >= "3.8" and python_full_version < "3.8.1" \
            --hash=sha256:20
        ne==2.0 ; python_full_version >= "3.8.2" \
            --hash=sha256:20
        star==1.0 ; python_full_version < "3.9" \
            --hash=sha256:11
        star==1.0 ; python_full_version >= "3.10" \
            --hash=sha256:11
        star==2.0 ; python_full_version >= "3.9" and python_full_version < "3.10" \
            --hash=sha256:21
        tilde==1.0 ; python_full_version < "3.8.1" \
            --hash=sha256:12
        tilde==1.0 ; python_full_version >= "3.9" and python_full_version < "4.0" \
            --hash=sha256:12
        tilde==2.0 ; python_full_version >= "3.8.1" and python_full_version < "3.9" \
            --hash=sha256:22
        "#);
    }

    #[test]
    fn newest_covering_everything_is_todays_line() {
        let files = vec![
            file("hello-1.1.tar.gz", 2, Some(">=3.8")),
            file("hello-1.1-py3-none-any.whl", 3, Some(">=3.8")),
            file("hello-1.0-py3-none-any.whl", 1, Some(">=3.8")),
            // Unparsable: ignored, as pip does.
            file("odd-1.0-py3-none-any.whl", 4, Some(">=3.8,,")),
            file("odd-0.9-py3-none-any.whl", 5, Some(">=3.6")),
        ];
        let h = |b: u8| Digest::from_bytes(HashAlgorithm::Sha256, &[b; 32]).unwrap();
        let text = build(files, &BuildOptions::default()).unwrap().requirements;
        assert_eq!(
            text,
            format!(
                "# Python: every version the files support\nhello==1.1 \\\n    --hash={} \\\n    --hash={}\nodd==1.0 \\\n    --hash={}\n",
                h(2),
                h(3),
                h(4)
            )
        );
    }

    #[test]
    fn nothing_known_pins_the_newest_and_nothing_in_range_pins_nothing() {
        let files = vec![
            file(
                "gp-1.0-graalpy311-graalpy242_311_native-linux_x86_64.whl",
                1,
                None,
            ),
            file("old-1.0-py2-none-any.whl", 2, None),
        ];
        insta::assert_snapshot!(pins_with(files, Some(">=3.8")), @r"
        # Python >=3.8
        gp==1.0 \
            --hash=sha256:01
        ");
    }
}
