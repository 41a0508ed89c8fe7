//! pip's [hash-checking mode](https://pip.pypa.io/en/stable/topics/secure-installs/#hash-checking-mode):
//! every violation at once, in pip's categories.
//!
//! pip turns the mode on with `--require-hashes`, or when any requirement has a `--hash` option
//! and `--no-require-hashes` was not given (a `#sha256=` URL fragment does not turn it on, but
//! counts as a hash). pip stops at the first artifact that fails and then prints the failures of
//! that kind; [`check_hashes`] lists every violation of every kind in one pass:
//!
//! | pip's error | [`HashViolation`] |
//! |---|---|
//! | `HashUnpinned`: "all requirements must have their versions pinned with ==" | [`HashViolation::Unpinned`] |
//! | `HashMissing`: "Hashes are required in --require-hashes mode, but they are missing" | [`HashViolation::Missing`] |
//! | `VcsHashUnsupported` | [`HashViolation::Vcs`] |
//! | `DirectoryUrlHashUnsupported` | [`HashViolation::Directory`] |
//! | "The editable requirement ... cannot be installed when requiring hashes" | [`HashViolation::Editable`] |
//! | constraint and requirement hashes intersected to nothing (pip then fails every download) | [`HashViolation::NoCommonHash`] |
//! | `HashMismatch` | [`HashViolation::Mismatch`] |
//!
//! Pinning follows pip's `InstallRequirement.is_pinned`: exactly one specifier, `==` or `===`
//! (so `==1.*` counts as pinned, as in pip). URL and path requirements need no pin. A constraint
//! pins or hashes the requirement of the same name, as in pip's resolver, where a requirement
//! without hashes takes its constraint's and one with hashes keeps only those both allow.

use std::collections::BTreeMap;
use std::fmt;

use super::{ArtifactKind, Entry, FileOptions, Location, RequirementForm, Resolved, ResolvedEntry};
use crate::hash::{Digest, Digests, HashAlgorithm, VerifyError};
use crate::name::PackageName;
use crate::version::{Operator, VersionOrUrl};

/// One reason an install in hash-checking mode would fail. Its serde form is an object with
/// a `kind` (`unpinned`, `missing`, `vcs`, `directory`, `editable`, `no-common-hash`,
/// `mismatch`) and the variant's fields.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum HashViolation {
    /// A named requirement not pinned with `==` or `===`.
    Unpinned {
        /// Where the requirement is.
        location: Location,
        /// The requirement text.
        requirement: String,
    },
    /// A requirement without any hash. `computed` is the sha256 of its artifact when the caller
    /// gave one: `Display` then prints pip's ready-to-paste line.
    Missing {
        /// Where the requirement is.
        location: Location,
        /// The requirement text.
        requirement: String,
        /// The artifact's sha256, if known.
        computed: Option<Digest>,
    },
    /// A version-control requirement: there is no single file to hash.
    Vcs {
        /// Where the requirement is.
        location: Location,
        /// The requirement text.
        requirement: String,
    },
    /// A local directory or a `file:` URL to a directory.
    Directory {
        /// Where the requirement is.
        location: Location,
        /// The requirement text.
        requirement: String,
    },
    /// An editable requirement.
    Editable {
        /// Where the requirement is.
        location: Location,
        /// The requirement text.
        requirement: String,
    },
    /// The requirement's hashes and its constraint's have no digest in common.
    NoCommonHash {
        /// Where the requirement is.
        location: Location,
        /// The requirement text.
        requirement: String,
        /// Where the constraint is.
        constraint: Location,
    },
    /// The artifact's digests match none allowed.
    Mismatch {
        /// Where the requirement is.
        location: Location,
        /// The requirement text.
        requirement: String,
        /// The digests allowed.
        expected: Vec<Digest>,
        /// The digests the caller computed.
        got: Vec<Digest>,
    },
}

impl fmt::Display for HashViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HashViolation::Unpinned {
                location,
                requirement,
            } => {
                write!(
                    f,
                    "{location}: `{requirement}` is not pinned with == or ==="
                )
            }
            HashViolation::Missing {
                location,
                requirement,
                computed: Some(d),
            } => {
                write!(
                    f,
                    "{location}: no hash for `{requirement}`; add:\n    {requirement} --hash={d}"
                )
            }
            HashViolation::Missing {
                location,
                requirement,
                computed: None,
            } => {
                write!(f, "{location}: no hash for `{requirement}`")
            }
            HashViolation::Vcs {
                location,
                requirement,
            } => write!(
                f,
                "{location}: cannot verify hashes of version-control requirement `{requirement}`"
            ),
            HashViolation::Directory {
                location,
                requirement,
            } => write!(
                f,
                "{location}: cannot verify hashes of `{requirement}`: it points to a directory"
            ),
            HashViolation::Editable {
                location,
                requirement,
            } => write!(
                f,
                "{location}: editable requirement `{requirement}` cannot be installed when requiring hashes"
            ),
            HashViolation::NoCommonHash {
                location,
                requirement,
                constraint,
            } => write!(
                f,
                "{location}: the hashes of `{requirement}` and of its constraint at {constraint} have no digest in common"
            ),
            HashViolation::Mismatch {
                location,
                requirement,
                expected,
                got,
            } => {
                let show = |d: &[Digest]| {
                    d.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" or ")
                };
                write!(
                    f,
                    "{location}: hash mismatch for `{requirement}`: expected {}, got {}",
                    show(expected),
                    show(got)
                )
            }
        }
    }
}

/// The outcome of [`check_hashes`].
///
/// Three outcomes, never to be confused: violations (the install would fail), requirements
/// whose artifact was not checked (the caller's closure gave no digests, so nothing is known of
/// their bytes), and requirements whose artifact matched. [`is_verified`](Self::is_verified)
/// is true only when every requirement is of the last kind.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HashCheck {
    /// Whether hash-checking mode is on.
    pub enabled: bool,
    /// Every violation, in requirement order (empty when the mode is off).
    pub violations: Vec<HashViolation>,
    /// Where each requirement is whose artifact was not checked: it has hashes, but the
    /// caller gave no computed digests for it. Not a violation and not a pass.
    pub unchecked: Vec<Location>,
    /// How many requirements' artifacts were checked and matched.
    pub verified: usize,
}

impl HashCheck {
    /// Whether hash-checking mode is on, nothing violates it, and every requirement's artifact
    /// was checked and matched.
    pub fn is_verified(&self) -> bool {
        self.enabled && self.violations.is_empty() && self.unchecked.is_empty()
    }
}

/// The digests an entry allows: its `--hash` options plus a `#sha256=` URL fragment.
fn allowed(entry: &Entry) -> Vec<Digest> {
    let mut digests = entry.hashes().to_vec();
    let url = match entry.form() {
        RequirementForm::Url { url, .. } => Some(url.as_str()),
        RequirementForm::Pep508(r) => match &r.version_or_url {
            Some(VersionOrUrl::Url(u)) => Some(u.given().unwrap_or(u.as_str())),
            _ => None,
        },
        RequirementForm::Path { .. } => None,
    };
    if let Some(fragment) = url.and_then(|u| u.split_once('#')).map(|(_, f)| f) {
        for part in fragment.split('&') {
            if let Ok(d) = Digest::from_url_fragment(part)
                && d.algorithm().is_strong()
                && !digests.contains(&d)
            {
                digests.push(d);
            }
        }
    }
    digests
}

fn is_pinned(entry: &Entry) -> bool {
    match entry.form() {
        RequirementForm::Pep508(r) => match &r.version_or_url {
            Some(VersionOrUrl::VersionSpecifier(s)) => {
                s.len() == 1
                    && matches!(
                        s[0].operator(),
                        Operator::Equal | Operator::EqualStar | Operator::ExactEqual
                    )
            }
            Some(VersionOrUrl::Url(_)) => true,
            None => false,
        },
        RequirementForm::Url { .. } | RequirementForm::Path { .. } => true,
    }
}

fn is_vcs(entry: &Entry) -> bool {
    match entry.form() {
        RequirementForm::Url { kind, .. } => *kind == ArtifactKind::Vcs,
        RequirementForm::Pep508(r) => match &r.version_or_url {
            Some(VersionOrUrl::Url(u)) => {
                let s = u.given().unwrap_or(u.as_str());
                s.split(':')
                    .next()
                    .is_some_and(|scheme| scheme.contains('+'))
            }
            _ => false,
        },
        RequirementForm::Path { .. } => false,
    }
}

fn is_directory(entry: &Entry) -> bool {
    match entry.form() {
        RequirementForm::Path { kind, .. } | RequirementForm::Url { kind, .. } => {
            *kind == ArtifactKind::Directory
        }
        RequirementForm::Pep508(_) => false,
    }
}

/// `Hashes.__and__`: an empty side allows what the other allows; otherwise only digests both
/// allow.
fn intersect(a: &[Digest], b: &[Digest]) -> Vec<Digest> {
    if a.is_empty() {
        return b.to_vec();
    }
    if b.is_empty() {
        return a.to_vec();
    }
    a.iter().filter(|d| b.contains(d)).copied().collect()
}

/// Checks a resolved file set as pip's hash-checking mode would, listing every violation.
///
/// `artifact` gives, for a requirement, the digests the caller computed over the artifact it
/// resolved to (with [`Hasher`](crate::Hasher)), or `None` when it has none yet: with digests,
/// a missing hash comes with the line to paste and a mismatch is reported; without, a
/// requirement that has hashes is listed in [`HashCheck::unchecked`], never counted as passed.
pub fn check_hashes(
    resolved: &Resolved,
    artifact: &mut dyn FnMut(&Entry) -> Option<Digests>,
) -> HashCheck {
    let options: &FileOptions = &resolved.options;
    let location = |file: usize, entry: &Entry| Location {
        file: resolved.files[file].file.name().to_owned(),
        line: entry.line(),
        column: 1,
    };
    let requirements: Vec<&ResolvedEntry> =
        resolved.entries.iter().filter(|r| !r.constraint).collect();
    let enabled = options.require_hashes
        || (!options.no_require_hashes
            && requirements.iter().any(|r| !r.entry.hashes().is_empty()));
    if !enabled {
        return HashCheck {
            enabled,
            violations: Vec::new(),
            unchecked: Vec::new(),
            verified: 0,
        };
    }
    // Constraints by name: whether one pins, and the digests they allow together.
    let mut constraints: BTreeMap<PackageName, (bool, Vec<Digest>, Location)> = BTreeMap::new();
    for ResolvedEntry { file, entry, .. } in resolved.entries.iter().filter(|r| r.constraint) {
        let Some(name) = entry.project() else {
            continue;
        };
        let slot = constraints
            .entry(name)
            .or_insert_with(|| (false, Vec::new(), location(*file, entry)));
        slot.0 |= is_pinned(entry);
        slot.1 = intersect(&slot.1, &allowed(entry));
    }
    let mut violations = Vec::new();
    let mut unchecked = Vec::new();
    let mut verified = 0;
    for ResolvedEntry { file, entry, .. } in requirements {
        let at = location(*file, entry);
        let requirement = entry.requirement().to_owned();
        if entry.is_editable() {
            violations.push(HashViolation::Editable {
                location: at,
                requirement,
            });
            continue;
        }
        if is_vcs(entry) {
            violations.push(HashViolation::Vcs {
                location: at,
                requirement,
            });
            continue;
        }
        if is_directory(entry) {
            violations.push(HashViolation::Directory {
                location: at,
                requirement,
            });
            continue;
        }
        let constraint = entry.project().and_then(|n| constraints.get(&n));
        if !is_pinned(entry) && !constraint.is_some_and(|c| c.0) {
            violations.push(HashViolation::Unpinned {
                location: at.clone(),
                requirement: requirement.clone(),
            });
        }
        let own = allowed(entry);
        let digests = match constraint {
            Some((_, theirs, where_)) => {
                let both = intersect(&own, theirs);
                if both.is_empty() && !(own.is_empty() && theirs.is_empty()) {
                    violations.push(HashViolation::NoCommonHash {
                        location: at,
                        requirement,
                        constraint: where_.clone(),
                    });
                    continue;
                }
                both
            }
            None => own,
        };
        let computed = artifact(entry);
        if digests.is_empty() {
            let sha256 = computed
                .as_ref()
                .and_then(|c| c.get(HashAlgorithm::Sha256))
                .copied();
            violations.push(HashViolation::Missing {
                location: at,
                requirement,
                computed: sha256,
            });
            continue;
        }
        let Some(computed) = computed else {
            unchecked.push(at);
            continue;
        };
        {
            match computed.verify(&digests) {
                Ok(_) => verified += 1,
                Err(VerifyError::Mismatch { expected, actual }) => {
                    violations.push(HashViolation::Mismatch {
                        location: at,
                        requirement,
                        expected,
                        got: actual,
                    })
                }
                Err(_) => violations.push(HashViolation::Mismatch {
                    location: at,
                    requirement,
                    expected: digests,
                    got: computed.as_slice().to_vec(),
                }),
            }
        }
    }
    HashCheck {
        enabled,
        violations,
        unchecked,
        verified,
    }
}

/// The digests the artifact of the requirement `entry` (one of `resolved`'s) must match, as
/// pip computes them: its `--hash` values and a strong `#sha256=`-style URL fragment, then
/// intersected with those of every constraint (`-c`) on the same project (a side that gives
/// none allows what the other allows, so a requirement without hashes takes its
/// constraints'). Empty when neither gives any, or when they have no digest in common
/// ([`HashViolation::NoCommonHash`] in [`check_hashes`]): either way nothing can be verified.
pub fn allowed_digests(resolved: &Resolved, entry: &Entry) -> Vec<Digest> {
    let name = |e: &Entry| e.form().name().and_then(|n| n.parse::<PackageName>().ok());
    let Some(project) = name(entry) else {
        return allowed(entry);
    };
    let mut digests = allowed(entry);
    let mut conflict = false;
    for constraint in resolved
        .entries
        .iter()
        .filter(|r| r.constraint && name(&r.entry).as_ref() == Some(&project))
        .map(|r| &r.entry)
    {
        let theirs = allowed(constraint);
        let both = intersect(&digests, &theirs);
        conflict |= both.is_empty() && !(digests.is_empty() && theirs.is_empty());
        digests = both;
    }
    if conflict { Vec::new() } else { digests }
}
