//! Building a static package index from a list of distribution files.
//!
//! [`build`] turns what a caller learned about a folder of wheels and sdists (each file's name,
//! digests and size, the exact `METADATA` bytes of each wheel, `Requires-Python`, yank reasons)
//! into the pages of a [simple repository](https://packaging.python.org/en/latest/specifications/simple-repository-api/):
//! the root [`ProjectList`] and one [`ProjectPage`] per normalized project, with
//! [PEP 700](https://peps.python.org/pep-0700/) `versions` and `size`, and
//! [PEP 658](https://peps.python.org/pep-0658/) core-metadata hashes; plus a hashed,
//! vendor-style `requirements.txt` pinning the release pip would pick for each project, written by
//! [`RequirementsTxt::to_canonical_string`]. Nothing here does I/O: the caller reads the files,
//! hashes them (with [`crate::Hasher`]) and writes the pages with [`crate::simple::html`] and
//! [`crate::simple::json`].
//!
//! # Layout and URLs
//!
//! Each file is linked at `<filename>` relative to its project page (so a static tree keeps it
//! in `simple/<project>/<filename>`, its core metadata in `<filename>.metadata` beside it), or at
//! `<base-url><project>/<filename>` when [`BuildOptions::base_url`] is set.
//!
//! # Choices where the specifications are silent
//!
//! - Files are listed by version, then build tag, then sdists before wheels, then by filename,
//!   so that a page is the same whatever order the caller found its files in.
//! - The requirements file pins, for each project, the newest version that is not yanked, and
//!   among those a final release when there is one, which is what `pip install NAME` would pick
//!   from the index with default options (pip skips yanked files and pre-releases unless nothing
//!   else matches). Every file of that version contributes its hashes, so the pin installs on
//!   every platform the index serves. When that release does not install on every Python
//!   version the project's files support, the project gets one line per range of Python
//!   versions instead, each with a `python_full_version` marker and the release pip would pick
//!   there (see `pin.rs`'s docs: tags and `Requires-Python` decide).
//! - Two files whose names differ are two files, even when they spell the same project
//!   differently (`Tiny_Utils-0.1.0.tar.gz` and `tiny_utils-0.1.0.tar.gz`); the same filename
//!   twice is an error.

pub mod publish;

pub use publish::{Object, Plan, Step, StoredObject, plan};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::diagnostic::Quoted;
use crate::filename::DistFilename;
use crate::hash::{Digest, HashAlgorithm, Hasher};
use crate::metadata::{Field, RawMetadata};
use crate::name::PackageName;
use crate::requirements_txt::RequirementsTxt;
use crate::simple::{
    ApiVersion, CoreMetadata as MetadataLink, File, Hashes, Meta, ProjectEntry, ProjectList,
    ProjectPage, RenderOptions, Yanked, html, json,
};
use crate::version::{Version, VersionSpecifiers};

mod pin;

/// What the caller knows about one distribution file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistFile {
    /// The file name as it is on disk and will be served.
    pub filename: String,
    /// The parsed name: a wheel or an sdist.
    pub dist: DistFilename,
    /// Digests of the whole file; at least one strong digest (sha256 for pip and uv).
    pub digests: Vec<Digest>,
    /// The file's size in bytes.
    pub size: u64,
    /// `Requires-Python` from the file's metadata, as written.
    pub requires_python: Option<String>,
    /// Digests of the exact core metadata bytes served beside the file as `<filename>.metadata`
    /// (PEP 658); `None` when none is served (sdists, normally).
    pub metadata_digests: Option<Vec<Digest>>,
    /// PEP 592 yank status.
    pub yanked: Yanked,
}

impl DistFile {
    /// A file from its name, digests and size, with no metadata and not yanked.
    ///
    /// # Errors
    ///
    /// The name is neither a wheel nor an sdist filename ([`IndexError::NotADistribution`]).
    pub fn new(filename: &str, digests: Vec<Digest>, size: u64) -> Result<DistFile, IndexError> {
        let dist = match DistFilename::parse(filename) {
            Ok(d @ (DistFilename::Wheel(_) | DistFilename::Sdist(_))) => d,
            Ok(_) => {
                return Err(IndexError::NotADistribution {
                    filename: filename.to_owned(),
                    reason: "not a wheel or an sdist".to_owned(),
                });
            }
            Err(e) => return Err(IndexError::Filename(e)),
        };
        Ok(DistFile {
            filename: filename.to_owned(),
            dist,
            digests,
            size,
            requires_python: None,
            metadata_digests: None,
            yanked: Yanked::No,
        })
    }

    /// Records the exact core metadata bytes served beside the file: their sha256 digest
    /// becomes the PEP 658 hash, and their `Requires-Python` the file's.
    pub fn with_metadata(mut self, metadata: &[u8]) -> DistFile {
        let mut hasher = Hasher::sha256();
        hasher.update(metadata);
        self.metadata_digests = Some(hasher.finish().as_slice().to_vec());
        self.requires_python = requires_python(metadata);
        self
    }

    /// A file as a project page lists it (a page this module rendered, read back with
    /// [`crate::simple::json::parse_project_page`]): its digests, size (0 when the page gives
    /// none), `Requires-Python`, yank status and PEP 658 digests. The metadata bytes
    /// themselves are not on the page: a caller that publishes the file again reads them from
    /// the `.metadata` sidecar and gives them to [`Index::objects`].
    ///
    /// # Errors
    ///
    /// As [`DistFile::new`].
    pub fn from_listed(file: &File) -> Result<DistFile, IndexError> {
        let mut out = DistFile::new(
            &file.filename,
            file.hashes.digests.clone(),
            file.size.unwrap_or(0),
        )?;
        out.requires_python.clone_from(&file.requires_python);
        out.yanked = file.yanked.clone();
        if let MetadataLink::Available(h) = &file.core_metadata {
            out.metadata_digests = Some(h.digests.clone());
        }
        Ok(out)
    }

    /// A distribution file from its bytes: the sha256 and size of `bytes`, then
    /// [`DistFile::checked`]. The way to a PEP 691 file entry ([`DistFile::to_listed`]) or a
    /// page ([`build`]) from a file in hand.
    ///
    /// # Errors
    ///
    /// As [`DistFile::new`]: the name is not a wheel or an sdist filename.
    ///
    /// # Examples
    ///
    /// ```
    /// use pypackaging::index::DistFile;
    ///
    /// // Not a zip archive: refused by the install verdict, still described.
    /// let (file, check) = DistFile::from_bytes("demo-1.0-py3-none-any.whl", b"not a zip")?;
    /// assert!(!check.verdict.is_installable());
    /// assert_eq!(file.size, 9);
    /// let entry = file.to_listed(Some("https://example.org/simple/"));
    /// assert_eq!(entry.url, "https://example.org/simple/demo/demo-1.0-py3-none-any.whl");
    /// assert_eq!(entry.hashes.digests[0].hex().len(), 64);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_bytes(
        filename: &str,
        bytes: &[u8],
    ) -> Result<(DistFile, crate::metadata::DistCheck), IndexError> {
        let file = DistFile::new(
            filename,
            vec![crate::hash::sha256(bytes)],
            bytes.len() as u64,
        )?;
        Ok(file.checked(std::io::Cursor::new(bytes)))
    }

    /// The install verdict over the file's bytes (`metadata::check_wheel` or `check_sdist`),
    /// and, when it is installable, what the index serves with it: a wheel's `METADATA` as its
    /// PEP 658 sidecar ([`DistFile::with_metadata`]), an sdist's `Requires-Python` from its
    /// `PKG-INFO` (an sdist gets no sidecar: its PKG-INFO may be out of date). The digests and
    /// size are the caller's, for the same bytes.
    pub fn checked<R: std::io::Read + std::io::Seek>(
        mut self,
        reader: R,
    ) -> (DistFile, crate::metadata::DistCheck) {
        let check = match &self.dist {
            DistFilename::Wheel(w) => crate::metadata::check_wheel(reader, w),
            DistFilename::Sdist(s) => crate::metadata::check_sdist(reader, s),
            DistFilename::Other(_) => unreachable!("DistFile::new accepts wheels and sdists only"),
        };
        if check.verdict.is_installable()
            && let Some(bytes) = &check.metadata
        {
            if matches!(self.dist, DistFilename::Wheel(_)) {
                self = self.with_metadata(bytes);
            } else {
                self.requires_python = requires_python(bytes);
            }
        }
        (self, check)
    }

    /// Its entry on a project page, as [`build`] writes it: the link is the filename, under
    /// `<base_url><project>/` when a base URL is given.
    pub fn to_listed(&self, base_url: Option<&str>) -> File {
        page_file(
            self.project(),
            self,
            &BuildOptions {
                base_url: base_url.map(str::to_owned),
                ..BuildOptions::default()
            },
        )
    }

    /// The project, normalized.
    pub fn project(&self) -> &PackageName {
        self.dist.name().expect("a DistFile is a wheel or an sdist")
    }

    /// The version.
    pub fn version(&self) -> &Version {
        self.dist
            .version()
            .expect("a DistFile is a wheel or an sdist")
    }

    /// The sha256 digest, when the caller gave one.
    pub fn sha256(&self) -> Option<&Digest> {
        self.digests
            .iter()
            .find(|d| d.algorithm() == HashAlgorithm::Sha256)
    }
}

/// `Requires-Python` from core metadata bytes (the last one when repeated, as
/// `email.parser` reads it); `None` when absent or blank.
pub fn requires_python(metadata: &[u8]) -> Option<String> {
    RawMetadata::parse(metadata)
        .get(Field::RequiresPython)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// How [`build`] writes the pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// The URL where the `simple/` directory is served, ending in `/`; file URLs are then
    /// `<base_url><project>/<filename>`. `None` links files relative to their project page.
    pub base_url: Option<String>,
    /// The Python versions the requirements file must install on. `None` means every version
    /// the project's own files support; either way the file's first line says which range
    /// was used (`# Python >=3.9`, `# Python: every version the files support`). Pieces of
    /// the range where a project has nothing installable get no line for it.
    pub python: Option<VersionSpecifiers>,
}

/// A built index: the pages and the requirements file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The root page, projects sorted by normalized name.
    pub list: ProjectList,
    /// Each project's normalized name and page, sorted by name.
    pub pages: Vec<(PackageName, ProjectPage)>,
    /// The hashed requirements file, pinning for each project the release pip would pick on
    /// each Python version (see [`BuildOptions::python`]).
    pub requirements: String,
}

impl Index {
    /// Every page rendered, as `(path, text)` with paths relative to the tree's root:
    /// `simple/index.html`, `simple/index.json`, then `simple/<project>/index.html` and
    /// `simple/<project>/index.json` for each project (file links as [`build`] made them).
    pub fn render(&self) -> Vec<(String, String)> {
        let options = RenderOptions::absolute();
        let mut out = Vec::with_capacity(2 + 2 * self.pages.len());
        let mut text = String::new();
        html::write_project_list(&mut text, &self.list, &options).expect("writing to a String");
        out.push(("simple/index.html".to_owned(), text));
        let mut text = String::new();
        json::write_project_list(&mut text, &self.list).expect("writing to a String");
        out.push(("simple/index.json".to_owned(), text));
        for (name, page) in &self.pages {
            let mut text = String::new();
            html::write_project_page(&mut text, page, &options).expect("writing to a String");
            out.push((format!("simple/{name}/index.html"), text));
            let mut text = String::new();
            json::write_project_page(&mut text, page, &options).expect("writing to a String");
            out.push((format!("simple/{name}/index.json"), text));
        }
        out
    }
}

/// Why an index cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// A file name that is not a wheel or an sdist.
    #[error("`{}` is not a distribution: {reason}", Quoted(.filename))]
    NotADistribution {
        /// The file name.
        filename: String,
        /// Why.
        reason: String,
    },
    /// A file name that does not parse.
    #[error(transparent)]
    Filename(#[from] crate::filename::DistFilenameError),
    /// The same file name twice.
    #[error("`{}` is listed twice", Quoted(.filename))]
    DuplicateFile {
        /// The file name.
        filename: String,
    },
    /// A file without a sha256 digest (pip and uv check sha256).
    #[error("`{}` has no sha256 digest", Quoted(.filename))]
    MissingSha256 {
        /// The file name.
        filename: String,
    },
    /// `base_url` is not an absolute URL ending in `/`.
    #[error("base URL `{}` is not an absolute URL ending in `/`", Quoted(.url))]
    BaseUrl {
        /// The URL.
        url: String,
    },
}

/// The order of files on a page: version, build tag, sdists first, filename.
fn file_order(a: &DistFile, b: &DistFile) -> std::cmp::Ordering {
    let build = |f: &DistFile| match &f.dist {
        DistFilename::Wheel(w) => (1, w.build().cloned()),
        _ => (0, None),
    };
    a.version()
        .cmp(b.version())
        .then_with(|| build(a).cmp(&build(b)))
        .then_with(|| a.filename.cmp(&b.filename))
}

/// Builds the pages and requirements file for `files`.
///
/// # Errors
///
/// The first of: a duplicate file name, a file with no sha256 digest, a bad base URL.
///
/// # Examples
///
/// ```
/// use pypackaging::index::{BuildOptions, DistFile, build};
/// use pypackaging::{Digest, HashAlgorithm};
///
/// let sha = Digest::from_hex(HashAlgorithm::Sha256, &"ab".repeat(32))?;
/// let wheel = DistFile::new("Demo-1.0-py3-none-any.whl", vec![sha.clone()], 10)?
///     .with_metadata(b"Metadata-Version: 2.1\nName: Demo\nVersion: 1.0\nRequires-Python: >=3.9\n");
/// let index = build(vec![wheel], &BuildOptions::default())?;
/// assert_eq!(index.pages[0].1.files[0].url, "Demo-1.0-py3-none-any.whl");
/// assert_eq!(index.pages[0].1.files[0].requires_python.as_deref(), Some(">=3.9"));
/// assert!(index.requirements.starts_with(
///     "# Python: every version the files support\ndemo==1.0 \\\n    --hash=sha256:abab"
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn build(mut files: Vec<DistFile>, options: &BuildOptions) -> Result<Index, IndexError> {
    if let Some(url) = &options.base_url
        && (!url.ends_with('/') || url::Url::parse(url).is_err())
    {
        return Err(IndexError::BaseUrl { url: url.clone() });
    }
    let mut seen = BTreeSet::new();
    for f in &files {
        if !seen.insert(f.filename.as_str()) {
            return Err(IndexError::DuplicateFile {
                filename: f.filename.clone(),
            });
        }
        if f.sha256().is_none() {
            return Err(IndexError::MissingSha256 {
                filename: f.filename.clone(),
            });
        }
    }
    files.sort_by(|a, b| a.project().cmp(b.project()).then_with(|| file_order(a, b)));
    let mut projects: BTreeMap<PackageName, Vec<DistFile>> = BTreeMap::new();
    for f in files {
        projects.entry(f.project().clone()).or_default().push(f);
    }

    let meta = Meta {
        api_version: Some(ApiVersion::LATEST),
        ..Meta::default()
    };
    let mut list = ProjectList {
        meta: meta.clone(),
        projects: Vec::new(),
    };
    let mut pages = Vec::new();
    let mut pins = String::new();
    for (name, files) in projects {
        list.projects.push(ProjectEntry {
            name: name.to_string(),
            url: None,
        });
        for line in pin::pins(&name, &files, options.python.as_ref()) {
            pins.push_str(&line);
            pins.push('\n');
        }
        let mut versions: Vec<&Version> = files.iter().map(DistFile::version).collect();
        versions.dedup();
        let page = ProjectPage {
            meta: meta.clone(),
            name: name.to_string(),
            versions: Some(versions.iter().map(ToString::to_string).collect()),
            files: files.iter().map(|f| page_file(&name, f, options)).collect(),
            status: None,
            alternate_locations: Vec::new(),
        };
        pages.push((name, page));
    }
    // One parse of every pin, then the canonical renderer (appending line by line would
    // renumber the file at each line).
    let parsed = RequirementsTxt::parse_str("requirements.txt", &pins, &|_| None);
    debug_assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    // The canonical form keeps no comments: the range goes on top afterwards.
    let mut requirements = match &options.python {
        Some(range) => format!("# Python {range}\n"),
        None => "# Python: every version the files support\n".to_owned(),
    };
    requirements.push_str(&parsed.file.to_canonical_string());
    Ok(Index {
        list,
        pages,
        requirements,
    })
}

fn page_file(project: &PackageName, f: &DistFile, options: &BuildOptions) -> File {
    let url = match &options.base_url {
        Some(base) => format!("{base}{project}/{}", percent_encode(&f.filename)),
        None => percent_encode(&f.filename),
    };
    File {
        filename: f.filename.clone(),
        url,
        hashes: Hashes::from_digests(f.digests.iter().cloned()),
        requires_python: f.requires_python.clone(),
        yanked: f.yanked.clone(),
        core_metadata: match &f.metadata_digests {
            Some(d) => MetadataLink::Available(Hashes::from_digests(d.iter().cloned())),
            None => MetadataLink::Absent,
        },
        gpg_sig: None,
        size: Some(f.size),
        upload_time: None,
        provenance: None,
    }
}

/// Escapes what may not stand in a URL path segment (distribution filenames are ASCII
/// letters, digits and `._-+!` in practice; anything else is percent-encoded).
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'!') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What changed between two builds, by file name and sha256.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files only in the new build.
    pub added: Vec<String>,
    /// Files only in the old build.
    pub removed: Vec<String>,
    /// Files in both whose sha256 differs.
    pub changed: Vec<String>,
}

impl Changes {
    /// Compares two sets of `(filename, sha256)`; each list comes out sorted.
    pub fn between<'a>(
        old: impl IntoIterator<Item = (&'a str, Option<&'a Digest>)>,
        new: impl IntoIterator<Item = (&'a str, Option<&'a Digest>)>,
    ) -> Changes {
        let old: BTreeMap<&str, Option<&Digest>> = old.into_iter().collect();
        let new: BTreeMap<&str, Option<&Digest>> = new.into_iter().collect();
        let mut changes = Changes::default();
        for (name, digest) in &new {
            match old.get(name) {
                None => changes.added.push((*name).to_owned()),
                Some(d) if d != digest => changes.changed.push((*name).to_owned()),
                Some(_) => {}
            }
        }
        changes.removed = old
            .keys()
            .filter(|n| !new.contains_key(*n))
            .map(|n| (*n).to_owned())
            .collect();
        changes
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

impl fmt::Display for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no changes");
        }
        let mut parts = Vec::new();
        for (label, list) in [
            ("added", &self.added),
            ("removed", &self.removed),
            ("changed", &self.changed),
        ] {
            if !list.is_empty() {
                parts.push(format!("{label} {}", list.join(", ")));
            }
        }
        f.write_str(&parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(byte: u8) -> Digest {
        Digest::from_bytes(HashAlgorithm::Sha256, &[byte; 32]).unwrap()
    }

    fn file(name: &str, byte: u8) -> DistFile {
        DistFile::new(name, vec![sha(byte)], u64::from(byte) * 100).unwrap()
    }

    const META: &[u8] =
        b"Metadata-Version: 2.1\nName: Hello\nVersion: 1.0\nRequires-Python: >=3.8\n\nbody\n";

    #[test]
    fn groups_sorts_and_fills_pep_700_and_658() {
        let files = vec![
            file("hello-1.1.tar.gz", 4),
            file("hello-1.0-py3-none-any.whl", 1).with_metadata(META),
            file("Tiny_Utils-0.1.0.tar.gz", 3),
            file("hello-1.0.tar.gz", 2),
            file("hello-1.1-2-py3-none-any.whl", 6),
            file("hello-1.1-1-py3-none-any.whl", 5),
        ];
        let index = build(files, &BuildOptions::default()).unwrap();
        let names: Vec<&str> = index
            .list
            .projects
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["hello", "tiny-utils"]);
        let (name, page) = &index.pages[0];
        assert_eq!(name.as_ref(), "hello");
        let order: Vec<&str> = page.files.iter().map(|f| f.filename.as_str()).collect();
        assert_eq!(
            order,
            [
                "hello-1.0.tar.gz",
                "hello-1.0-py3-none-any.whl",
                "hello-1.1.tar.gz",
                "hello-1.1-1-py3-none-any.whl",
                "hello-1.1-2-py3-none-any.whl",
            ]
        );
        assert_eq!(
            page.versions.as_deref(),
            Some(&["1.0".into(), "1.1".into()][..])
        );
        let wheel = &page.files[1];
        assert_eq!(wheel.size, Some(100));
        assert_eq!(wheel.requires_python.as_deref(), Some(">=3.8"));
        let mut expected = Hasher::sha256();
        expected.update(META);
        assert_eq!(
            wheel.core_metadata,
            MetadataLink::Available(Hashes::from_digests(expected.finish().as_slice().to_vec()))
        );
        assert_eq!(page.files[0].core_metadata, MetadataLink::Absent);
        assert_eq!(index.pages[1].1.files[0].url, "Tiny_Utils-0.1.0.tar.gz");
    }

    #[test]
    fn pages_render_and_parse_back() {
        let files = vec![file("hello-1.0-py3-none-any.whl", 1).with_metadata(META)];
        let index = build(files, &BuildOptions::default()).unwrap();
        let page = &index.pages[0].1;
        let url = "https://example.test/simple/hello/";
        let mut out = String::new();
        json::write_project_page(&mut out, page, &RenderOptions::absolute()).unwrap();
        let back = json::parse_project_page(&out, url).unwrap();
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        assert_eq!(
            back.value.files[0].url,
            format!("{url}hello-1.0-py3-none-any.whl")
        );
        assert_eq!(
            back.value.files[0].core_metadata,
            page.files[0].core_metadata
        );
        assert_eq!(back.value.files[0].size, Some(100));
        let mut out = String::new();
        html::write_project_page(&mut out, page, &RenderOptions::absolute()).unwrap();
        let back = html::parse_project_page(&out, url).unwrap();
        assert_eq!(
            back.value.files[0].requires_python.as_deref(),
            Some(">=3.8")
        );
        assert!(back.value.files[0].core_metadata.is_available());
    }

    #[test]
    fn render_names_every_page() {
        let files = vec![file("hello-1.0.tar.gz", 1), file("b-1.0.tar.gz", 2)];
        let index = build(files, &BuildOptions::default()).unwrap();
        let rendered = index.render();
        let paths: Vec<&str> = rendered.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "simple/index.html",
                "simple/index.json",
                "simple/b/index.html",
                "simple/b/index.json",
                "simple/hello/index.html",
                "simple/hello/index.json",
            ]
        );
        assert!(rendered[1].1.contains(r#"{"name":"b"},{"name":"hello"}"#));
        assert!(
            rendered[0].1.contains(r#"<a href="hello/">hello</a>"#),
            "{}",
            rendered[0].1
        );
    }

    #[test]
    fn requirements_pin_the_newest_final_unyanked_release_with_every_hash() {
        let mut yanked = file("hello-2.0.tar.gz", 9);
        yanked.yanked = Yanked::with_reason("broken");
        let files = vec![
            file("hello-1.0.tar.gz", 1),
            file("hello-1.1-py3-none-any.whl", 3),
            file("hello-1.1.tar.gz", 2),
            file("hello-1.2a1.tar.gz", 4),
            yanked,
            file("pre-1.0a1.tar.gz", 5),
        ];
        let index = build(files, &BuildOptions::default()).unwrap();
        let h = |b: u8| sha(b).hex();
        assert_eq!(
            index.requirements,
            format!(
                "# Python: every version the files support\nhello==1.1 \\\n    --hash=sha256:{} \\\n    --hash=sha256:{}\npre==1.0a1 \\\n    --hash=sha256:{}\n",
                h(2),
                h(3),
                h(5)
            )
        );
        let parsed = RequirementsTxt::parse_str("r.txt", &index.requirements, &|_| None);
        assert!(parsed.errors.is_empty());
        assert_eq!(parsed.file.entries().count(), 2);
    }

    #[test]
    fn base_url_makes_absolute_links() {
        let options = BuildOptions {
            base_url: Some("https://pkgs.example/simple/".into()),
            ..Default::default()
        };
        let index = build(vec![file("a_b-1.0.tar.gz", 1)], &options).unwrap();
        assert_eq!(
            index.pages[0].1.files[0].url,
            "https://pkgs.example/simple/a-b/a_b-1.0.tar.gz"
        );
        let bad = BuildOptions {
            base_url: Some("pkgs/simple".into()),
            ..Default::default()
        };
        insta::assert_snapshot!(build(vec![], &bad).unwrap_err(), @"base URL `pkgs/simple` is not an absolute URL ending in `/`");
    }

    #[test]
    fn errors_name_the_file() {
        let err = build(
            vec![file("a-1.0.tar.gz", 1), file("a-1.0.tar.gz", 2)],
            &BuildOptions::default(),
        )
        .unwrap_err();
        insta::assert_snapshot!(err, @"`a-1.0.tar.gz` is listed twice");
        let md5 = Digest::from_bytes(HashAlgorithm::Md5, &[0; 16]).unwrap();
        let err = build(
            vec![DistFile::new("a-1.0.tar.gz", vec![md5], 1).unwrap()],
            &BuildOptions::default(),
        )
        .unwrap_err();
        insta::assert_snapshot!(err, @"`a-1.0.tar.gz` has no sha256 digest");
        insta::assert_snapshot!(DistFile::new("notes.txt", vec![], 0).unwrap_err(), @"unknown distribution file `notes.txt`: expected `.whl`, `.tar.gz`, `.zip` or a legacy format (`.egg`, `.exe`, `.tar.bz2`, ...)");
        insta::assert_snapshot!(DistFile::new("a-1.0.egg", vec![], 0).unwrap_err(), @"`a-1.0.egg` is not a distribution: not a wheel or an sdist");
    }

    #[test]
    fn changes_by_name_and_digest() {
        let (a, b) = (sha(1), sha(2));
        let old = [
            ("x.whl", Some(&a)),
            ("y.whl", Some(&a)),
            ("z.whl", Some(&a)),
        ];
        let new = [
            ("x.whl", Some(&a)),
            ("y.whl", Some(&b)),
            ("w.whl", Some(&a)),
        ];
        let changes = Changes::between(old, new);
        insta::assert_snapshot!(changes, @"added w.whl; removed z.whl; changed y.whl");
        assert!(Changes::between(old, old).is_empty());
        insta::assert_snapshot!(Changes::between(old, old), @"no changes");
    }

    #[test]
    fn requires_python_is_read_from_metadata() {
        assert_eq!(requires_python(META).as_deref(), Some(">=3.8"));
        assert_eq!(requires_python(b"Name: x\nRequires-Python:  \n"), None);
        assert_eq!(requires_python(b""), None);
    }
}
