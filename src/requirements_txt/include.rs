//! `-r` and `-c` includes, followed through a loader the caller implements.
//!
//! pip's rules (`RequirementsFileParser._parse_and_recurse`):
//! - a target in a file read from a URL (`http:`, `https:`, `file:`) is URL-joined to it;
//! - otherwise a target that is not such a URL is joined to the including file's directory;
//! - a file that is already on the include chain (its ancestors) is a cycle, an error; the same
//!   file included from two different places (siblings) is read twice, as pip does;
//! - `-r` inside a constraints file (`-c`) includes *requirements*, not constraints (pip's
//!   rule; uv differs), and `-c` anywhere includes constraints.

use std::fmt;

use super::{
    Entry, ErrorKind, FileOptions, Location, RequirementsTxt, RequirementsTxtError, Warning,
};

/// Reads the files a requirements file includes: from the file system, HTTP, memory, ...
pub trait Loader {
    /// The loader's error.
    type Error: fmt::Display;

    /// The bytes at `location`: a path joined as pip joins it (`sub/../base.txt`), or a URL.
    /// `constraint` says whether it is read as a constraints file.
    ///
    /// # Errors
    ///
    /// Whatever prevents reading it; [`resolve`] reports it at the including line.
    fn load(&mut self, location: &str, constraint: bool) -> Result<Vec<u8>, Self::Error>;
}

/// A closure is a loader: `|location: &str, constraint: bool| -> Result<Vec<u8>, E>`.
///
/// ```
/// use pypackaging::requirements_txt::resolve;
///
/// let mut files = |location: &str, _constraint: bool| match location {
///     "requirements.txt" => Ok(b"-r base.txt\nattrs==25.4.0\n".to_vec()),
///     "base.txt" => Ok(b"idna==3.11\n".to_vec()),
///     other => Err(format!("no file `{other}`")),
/// };
/// let resolved = resolve("requirements.txt", &mut files, &|_| None);
/// assert!(resolved.errors.is_empty());
/// assert_eq!(resolved.entries.len(), 2);
/// ```
impl<F, E> Loader for F
where
    F: FnMut(&str, bool) -> Result<Vec<u8>, E>,
    E: fmt::Display,
{
    type Error = E;

    fn load(&mut self, location: &str, constraint: bool) -> Result<Vec<u8>, E> {
        self(location, constraint)
    }
}

/// One file read while resolving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Included {
    /// The file, as read.
    pub file: RequirementsTxt,
    /// Whether it was read as a constraints file.
    pub constraint: bool,
    /// The file and line that included it (`None` for the top file).
    pub included_from: Option<(String, usize)>,
}

/// One requirement of a [`Resolved`] set of files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEntry {
    /// The index of its file in [`Resolved::files`].
    pub file: usize,
    /// Whether it comes from a constraints file (`-c`): it narrows the requirement of the same
    /// name, and installs nothing of its own.
    pub constraint: bool,
    /// The entry.
    pub entry: Entry,
}

/// A requirements file and everything it includes, in pip's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Every file read, in the order it was first opened.
    pub files: Vec<Included>,
    /// Every requirement, in pip's order (an include's entries at the line that includes it).
    pub entries: Vec<ResolvedEntry>,
    /// The settings all files leave behind, applied line by line in pip's order.
    pub options: FileOptions,
    /// Every error, in reading order.
    pub errors: Vec<RequirementsTxtError>,
    /// Every warning, in reading order.
    pub warnings: Vec<Warning>,
}

fn has_url_scheme(s: &str) -> bool {
    let lower = s.get(..6).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("file:")
}

/// `os.path.join(os.path.dirname(parent), target)` with `/` and `\` separators.
fn join_path(parent: &str, target: &str) -> String {
    if target.starts_with('/') || target.starts_with('\\') {
        return target.to_owned();
    }
    match parent.rfind(['/', '\\']) {
        Some(i) => {
            let dir = &parent[..i];
            if dir.is_empty() {
                format!("/{target}")
            } else {
                format!("{dir}/{target}")
            }
        }
        None => target.to_owned(),
    }
}

/// Lexical normalization (`os.path.normpath`), the key pip compares for cycles.
fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

/// `urllib.parse.urljoin(base, reference)` for the hierarchical URLs includes use.
fn url_join(base: &str, reference: &str) -> String {
    if let Some(colon) = reference.find(':') {
        let scheme = &reference[..colon];
        if !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            return reference.to_owned();
        }
    }
    let base = &base[..base.find('#').unwrap_or(base.len())];
    let scheme_end = base.find(':').map_or(0, |i| i + 1);
    let (scheme, rest) = base.split_at(scheme_end);
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find(['/', '?']).unwrap_or(after.len());
            (&rest[..end + 2], &after[end..])
        }
        None => ("", rest),
    };
    if reference.is_empty() {
        return base.to_owned();
    }
    if reference.starts_with("//") {
        return format!("{scheme}{reference}");
    }
    let path_only = &path[..path.find('?').unwrap_or(path.len())];
    let (ref_path, ref_tail) = match reference.find(['?', '#']) {
        Some(i) => reference.split_at(i),
        None => (reference, ""),
    };
    let merged = if ref_path.starts_with('/') {
        ref_path.to_owned()
    } else if ref_path.is_empty() {
        path_only.to_owned()
    } else {
        let dir = &path_only[..path_only.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{ref_path}")
    };
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = merged.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let mut path = out.join("/");
    if merged.starts_with('/') && !path.starts_with('/') {
        path.insert(0, '/');
    }
    format!("{scheme}{authority}{path}{ref_tail}")
}

/// Where pip reads an include named `target` in the file `parent`.
pub(crate) fn locate(parent: &str, target: &str) -> String {
    if has_url_scheme(parent) {
        url_join(parent, target)
    } else if !has_url_scheme(target) {
        join_path(parent, target)
    } else {
        target.to_owned()
    }
}

fn key(location: &str) -> String {
    if has_url_scheme(location) {
        location.to_owned()
    } else {
        normalize(location)
    }
}

struct Walker<'a, L> {
    loader: &'a mut L,
    env: &'a dyn Fn(&str) -> Option<String>,
    out: Resolved,
}

impl<'a, L: Loader> Walker<'a, L> {
    fn walk(
        &mut self,
        file: RequirementsTxt,
        constraint: bool,
        from: Option<(String, usize)>,
        chain: &mut Vec<(String, String)>,
    ) {
        let index = self.out.files.len();
        self.out.files.push(Included {
            file: file.clone(),
            constraint,
            included_from: from,
        });
        let name = file.name().to_owned();
        for line in file.lines() {
            if let Some(kind) = self.out.options.apply(line) {
                self.error(&name, line.number(), line.raw().trim_end(), kind);
            }
            if let Some(entry) = line.entry() {
                if constraint && entry.is_editable() {
                    self.error(
                        &name,
                        line.number(),
                        entry.requirement(),
                        ErrorKind::EditableConstraint,
                    );
                }
                self.out.entries.push(ResolvedEntry {
                    file: index,
                    constraint,
                    entry: entry.clone(),
                });
                continue;
            }
            let include = line.options().iter().find_map(|o| match o {
                super::FileOption::Requirement(t) => Some((t.clone(), false)),
                _ => None,
            });
            let include = include.or_else(|| {
                line.options().iter().find_map(|o| match o {
                    super::FileOption::Constraint(t) => Some((t.clone(), true)),
                    _ => None,
                })
            });
            let Some((target, nested_constraint)) = include else {
                continue;
            };
            let location = locate(&name, &target);
            let k = key(&location);
            if chain.iter().any(|(c, _)| *c == k) {
                let mut shown: Vec<String> = chain.iter().map(|(_, d)| d.clone()).collect();
                shown.push(location.clone());
                self.error(
                    &name,
                    line.number(),
                    &target,
                    ErrorKind::Cycle {
                        target: location,
                        chain: shown,
                    },
                );
                continue;
            }
            let bytes = match self.loader.load(&location, nested_constraint) {
                Ok(bytes) => bytes,
                Err(e) => {
                    self.error(
                        &name,
                        line.number(),
                        &target,
                        ErrorKind::Load {
                            target: location,
                            message: e.to_string(),
                        },
                    );
                    continue;
                }
            };
            let parsed = match RequirementsTxt::parse_bytes(&location, &bytes, self.env) {
                Ok(parsed) => parsed,
                Err(e) => {
                    self.error(&name, line.number(), &target, e.into());
                    continue;
                }
            };
            self.take(parsed.errors, parsed.warnings);
            chain.push((k, location));
            self.walk(
                parsed.file,
                nested_constraint,
                Some((name.clone(), line.number())),
                chain,
            );
            chain.pop();
        }
    }

    /// Keeps a file's own errors, but its option conflicts: those are recomputed over every
    /// file in order.
    fn take(&mut self, errors: Vec<RequirementsTxtError>, warnings: Vec<Warning>) {
        self.out.errors.extend(
            errors
                .into_iter()
                .filter(|e| !matches!(e.kind, ErrorKind::Conflict { .. })),
        );
        self.out.warnings.extend(warnings);
    }

    fn new(loader: &'a mut L, env: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Walker {
            loader,
            env,
            out: Resolved {
                files: Vec::new(),
                entries: Vec::new(),
                options: FileOptions::default(),
                errors: Vec::new(),
                warnings: Vec::new(),
            },
        }
    }

    /// Reads the top file from its bytes and walks it.
    fn top(&mut self, name: &str, bytes: &[u8]) {
        match RequirementsTxt::parse_bytes(name, bytes, self.env) {
            Ok(parsed) => {
                self.take(parsed.errors, parsed.warnings);
                let mut chain = vec![(key(name), name.to_owned())];
                self.walk(parsed.file, false, None, &mut chain);
            }
            Err(e) => self.error(name, 1, name, e.into()),
        }
    }

    fn error(&mut self, file: &str, line: usize, text: &str, kind: ErrorKind) {
        self.out.errors.push(RequirementsTxtError {
            location: Location {
                file: file.to_owned(),
                line,
                column: 1,
            },
            text: text.to_owned(),
            kind,
        });
    }
}

/// Reads `name` through `loader` and follows its `-r`/`-c` includes depth-first, as pip does.
///
/// Errors in any file (and includes that cannot be read, or cycles) are collected in
/// [`Resolved::errors`]; resolution goes on past them.
pub fn resolve<L: Loader>(
    name: &str,
    loader: &mut L,
    env: &dyn Fn(&str) -> Option<String>,
) -> Resolved {
    match loader.load(name, false) {
        Ok(bytes) => resolve_bytes(name, &bytes, loader, env),
        Err(e) => {
            let mut walker = Walker::new(loader, env);
            walker.error(
                name,
                1,
                name,
                ErrorKind::Load {
                    target: name.to_owned(),
                    message: e.to_string(),
                },
            );
            walker.out
        }
    }
}

/// [`resolve`] for a top file whose bytes are already in hand (read from standard input, an
/// upload, a database): `name` names it in locations and is the base its includes are joined
/// to; only the includes go through `loader`.
pub fn resolve_bytes<L: Loader>(
    name: &str,
    bytes: &[u8],
    loader: &mut L,
    env: &dyn Fn(&str) -> Option<String>,
) -> Resolved {
    let mut walker = Walker::new(loader, env);
    walker.top(name, bytes);
    walker.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_as_pip() {
        assert_eq!(locate("requirements.txt", "base.txt"), "base.txt");
        assert_eq!(locate("sub/more.txt", "../base.txt"), "sub/../base.txt");
        assert_eq!(locate("sub/more.txt", "/abs.txt"), "/abs.txt");
        assert_eq!(
            locate("https://h/a/b/r.txt", "../c.txt"),
            "https://h/a/c.txt"
        );
        assert_eq!(locate("https://h/a/r.txt", "/c.txt"), "https://h/c.txt");
        assert_eq!(locate("r.txt", "https://h/c.txt"), "https://h/c.txt");
        assert_eq!(normalize("sub/../base.txt"), "base.txt");
        assert_eq!(normalize("../x/./y"), "../x/y");
    }
}
