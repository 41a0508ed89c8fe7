//! Publishing an index to a store: the ordered puts and deletes that take a store from what it
//! holds to a built [`Index`], such that a reader never meets a page that links to a missing
//! file.
//!
//! The store is anything that maps keys to bytes: a folder (`examples/build_index`), or an
//! object store. Nothing here does I/O. The caller lists what the store holds as
//! [`StoredObject`]s (key, size, sha256), asks [`Index::objects`] for the [`Object`]s of the
//! index (every page, file, `.metadata` sidecar and `requirements.txt`, each with its content
//! type and cache rule), and carries out the [`Plan`] that [`plan`] returns, one step after the
//! other, in order.
//!
//! # Keys
//!
//! | key | content |
//! |---|---|
//! | `simple/index.html`, `simple/index.json` | the root page, PEP 503 HTML and PEP 691 JSON |
//! | `simple/<project>/index.html`, `…/index.json` | a project page |
//! | `simple/<project>/<filename>` | a wheel or an sdist |
//! | `simple/<project>/<filename>.metadata` | its PEP 658 core metadata |
//! | `requirements.txt` | the hashed pins of [`Index::requirements`] |
//!
//! `<project>` is the normalized name; files are linked from their page by filename (or by
//! `<base-url><project>/<filename>`), so a store served at `…/` answers every link.
//!
//! # Content types and caching
//!
//! | object | `Content-Type` | cache |
//! |---|---|---|
//! | HTML pages | `text/html; charset=utf-8` | [`CachePolicy::Short`] |
//! | JSON pages | `application/vnd.pypi.simple.v1+json` | [`CachePolicy::Short`] |
//! | `.whl`, `.zip` | `application/zip` | [`CachePolicy::Immutable`] |
//! | `.tar.gz` | `application/gzip` | [`CachePolicy::Immutable`] |
//! | `.metadata` | `text/plain; charset=utf-8` (core metadata is UTF-8 text) | [`CachePolicy::Immutable`] |
//! | `requirements.txt` | `text/plain; charset=utf-8` | [`CachePolicy::Short`] |
//!
//! These are the types the index server (`server/`) answers with, and [`key_rules`] gives for any key, so a tree served from a folder and
//! one served from a bucket look the same to a client. Distribution files get their archive
//! type and never a `Content-Encoding`: pip and uv hash the bytes as sent.
//!
//! # Order
//!
//! Puts come first, deletes last. Puts go from the leaves up: files and `.metadata`, then
//! project pages, then the root pages and `requirements.txt`. Deletes go the other way: root
//! objects no longer wanted, then the pages of removed projects, then the files and sidecars no
//! page links any more. Applied in order, each step leaves a store where every page present
//! links only to files present, and the root lists only projects whose pages are present
//! (tested by `tests/publish.rs` over random pairs of indexes).
//!
//! A step is skipped when the store already holds the key with the same size and sha256, so a
//! second plan from the store the first left behind is empty.
//!
//! # The limit
//!
//! A put replaces one object at a time. A file put again under the same key with other bytes
//! (a wheel rebuilt without a version bump) is visible under the old page, with the old
//! page's hash, until the new page is put a few steps later: a client reading in between gets
//! a hash mismatch and must retry. Publishing new bytes under a new filename (a new version or
//! build tag) never has this window, and PyPI forbids reuse of a filename for this reason. An
//! immutable cache rule makes a cache keep the old bytes for a reused key even after the page
//! changed; purge it or do not reuse filenames.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::Index;
use crate::diagnostic::Quoted;
use crate::hash::{Digest, HashAlgorithm};
use crate::simple::CoreMetadata as MetadataLink;

/// One object a store holds now, as its listing (or a manifest) gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StoredObject {
    /// The key, `/`-separated, relative to the store's root (`simple/demo/index.html`).
    pub key: String,
    /// The size in bytes.
    pub size: u64,
    /// The sha256 digest of the bytes.
    pub sha256: Digest,
}

/// How long a cache may keep an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CachePolicy {
    /// Never changes under its key: distribution files and their `.metadata`.
    Immutable,
    /// Changes at each publish: pages and `requirements.txt`.
    Short,
}

impl CachePolicy {
    /// The `Cache-Control` value: a year and `immutable`, or one minute.
    pub fn cache_control(self) -> &'static str {
        match self {
            CachePolicy::Immutable => "public, max-age=31536000, immutable",
            CachePolicy::Short => "public, max-age=60",
        }
    }
}

/// What a key holds, as far as the order of a plan goes (from the key alone, see
/// [`ObjectKind::of_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectKind {
    /// `simple/<project>/<filename>`: a distribution file.
    File,
    /// `simple/<project>/<filename>.metadata`: PEP 658 core metadata.
    Metadata,
    /// `simple/<project>/index.html` or `index.json`.
    ProjectPage,
    /// `simple/index.html`, `simple/index.json` or `requirements.txt`.
    Root,
    /// Any other key: not part of the index layout (a find-links page, a note). Such an
    /// object may link to the index's files (a find-links page does), so it is put with the
    /// root, after the files and pages, and removed with it, first.
    Other,
}

impl ObjectKind {
    /// The kind of a key in the layout of this module.
    ///
    /// ```
    /// use pypackaging::index::publish::ObjectKind;
    ///
    /// assert_eq!(ObjectKind::of_key("simple/index.json"), ObjectKind::Root);
    /// assert_eq!(ObjectKind::of_key("simple/demo/index.html"), ObjectKind::ProjectPage);
    /// assert_eq!(ObjectKind::of_key("simple/demo/demo-1.0.tar.gz"), ObjectKind::File);
    /// assert_eq!(ObjectKind::of_key("notes.txt"), ObjectKind::Other);
    /// ```
    pub fn of_key(key: &str) -> ObjectKind {
        if key == "requirements.txt" || key == "simple/index.html" || key == "simple/index.json" {
            return ObjectKind::Root;
        }
        let Some(rest) = key.strip_prefix("simple/") else {
            return ObjectKind::Other;
        };
        match rest.split_once('/') {
            Some((project, name)) if !project.is_empty() && !name.is_empty() => {
                if name.contains('/') {
                    ObjectKind::Other
                } else if name == "index.html" || name == "index.json" {
                    ObjectKind::ProjectPage
                } else if name.ends_with(".metadata") {
                    ObjectKind::Metadata
                } else {
                    ObjectKind::File
                }
            }
            _ => ObjectKind::Other,
        }
    }

    /// The tier of a put: leaves first.
    fn put_tier(self) -> u8 {
        match self {
            ObjectKind::File | ObjectKind::Metadata => 0,
            ObjectKind::ProjectPage => 1,
            ObjectKind::Root | ObjectKind::Other => 2,
        }
    }
}

/// Where the bytes of an [`Object`] come from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Body {
    /// Bytes held here: pages, `.metadata` and `requirements.txt`.
    Bytes(Vec<u8>),
    /// Bytes the caller reads and streams from elsewhere, by the name it chose: the
    /// distribution file of this name in a wheelhouse ([`Index::objects`]), a key of a built
    /// folder, an object of another stage. The object's size and sha256 are those the bytes
    /// must have.
    File(String),
}

/// One object of the index to publish.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Object {
    /// The key (see the module's table).
    pub key: String,
    /// The size in bytes.
    pub size: u64,
    /// The sha256 digest of the bytes.
    pub sha256: Digest,
    /// The `Content-Type` to serve it with.
    pub content_type: String,
    /// How long caches may keep it.
    pub cache: CachePolicy,
    /// The bytes, or the file they come from.
    pub body: Body,
}

impl Object {
    /// An object of the layout, its content type and cache rule from its key (the module's
    /// tables): what a store's listing or a built folder's manifest gives, made publishable.
    ///
    /// ```
    /// use pypackaging::index::publish::{Body, CachePolicy, Object};
    /// use pypackaging::{Digest, HashAlgorithm};
    ///
    /// let sha = Digest::from_bytes(HashAlgorithm::Sha256, &[7; 32])?;
    /// let key = "simple/demo/demo-1.0-py3-none-any.whl.metadata";
    /// let o = Object::new(key.into(), 40, sha, Body::File(key.into()));
    /// assert_eq!((o.content_type.as_str(), o.cache), ("text/plain; charset=utf-8", CachePolicy::Immutable));
    /// let o = Object::new("simple/demo/index.json".into(), 9, sha, Body::File("x".into()));
    /// assert_eq!((o.content_type.as_str(), o.cache), ("application/vnd.pypi.simple.v1+json", CachePolicy::Short));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(key: String, size: u64, sha256: Digest, body: Body) -> Object {
        let (content_type, cache) = key_rules(&key);
        Object {
            key,
            size,
            sha256,
            content_type: content_type.to_owned(),
            cache,
            body,
        }
    }

    /// An object whose bytes are held here, typed by [`Object::new`].
    pub fn from_bytes(key: String, bytes: Vec<u8>) -> Object {
        let (size, sha256) = (bytes.len() as u64, sha256_of(&bytes));
        Object::new(key, size, sha256, Body::Bytes(bytes))
    }

    /// Its kind, from its key.
    pub fn kind(&self) -> ObjectKind {
        ObjectKind::of_key(&self.key)
    }

    /// What a store holds once it is put.
    pub fn stored(&self) -> StoredObject {
        StoredObject {
            key: self.key.clone(),
            size: self.size,
            sha256: self.sha256,
        }
    }
}

fn sha256_of(bytes: &[u8]) -> Digest {
    crate::hash::sha256(bytes)
}

/// The `Content-Type` of a distribution file by its name (see the module's table).
pub fn dist_content_type(filename: &str) -> &'static str {
    if filename.ends_with(".tar.gz") {
        "application/gzip"
    } else if filename.ends_with(".whl") || filename.ends_with(".zip") {
        "application/zip"
    } else {
        "application/octet-stream"
    }
}

/// The `Content-Type` and cache rule of a key (the module's tables); a key outside the layout
/// by its extension, with a short cache rule.
pub fn key_rules(key: &str) -> (&'static str, CachePolicy) {
    let name = key.rsplit('/').next().unwrap_or(key);
    match ObjectKind::of_key(key) {
        ObjectKind::File => (dist_content_type(name), CachePolicy::Immutable),
        ObjectKind::Metadata => (TEXT, CachePolicy::Immutable),
        _ if name.ends_with(".html") => (HTML, CachePolicy::Short),
        ObjectKind::Root | ObjectKind::ProjectPage if name.ends_with(".json") => {
            (JSON, CachePolicy::Short)
        }
        _ if name.ends_with(".json") => ("application/json", CachePolicy::Short),
        _ if name.ends_with(".txt") => (TEXT, CachePolicy::Short),
        _ => ("application/octet-stream", CachePolicy::Short),
    }
}

/// `Content-Type` of HTML pages.
pub const HTML: &str = "text/html; charset=utf-8";
/// `Content-Type` of JSON pages (PEP 691).
pub const JSON: &str = "application/vnd.pypi.simple.v1+json";
/// `Content-Type` of `.metadata` and `requirements.txt`.
pub const TEXT: &str = "text/plain; charset=utf-8";

/// Why [`Index::objects`] cannot list the objects of an index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PublishError {
    /// A file on a page without a sha256 digest.
    #[error("`{}` has no sha256 digest on its page", Quoted(.filename))]
    MissingSha256 {
        /// The file name.
        filename: String,
    },
    /// A file on a page without a size.
    #[error("`{}` has no size on its page", Quoted(.filename))]
    MissingSize {
        /// The file name.
        filename: String,
    },
    /// A page says core metadata is served for a file, and the caller gave none.
    #[error("`{}` has core metadata on its page, and no `.metadata` bytes were given", Quoted(.filename))]
    MissingMetadata {
        /// The file name.
        filename: String,
    },
    /// The `.metadata` bytes given do not have the digest the page states.
    #[error("the `.metadata` bytes given for `{}` have sha256 {actual}, and its page states {expected}", Quoted(.filename))]
    MetadataMismatch {
        /// The file name.
        filename: String,
        /// The digest on the page.
        expected: Box<Digest>,
        /// The digest of the bytes given.
        actual: Box<Digest>,
    },
}

impl Index {
    /// Every object of the index, each page rendered once: the root pages, then each
    /// project's pages, files and `.metadata` sidecars, then `requirements.txt` (the order of
    /// [`plan`] is its own; this one is only stable).
    ///
    /// `metadata` gives the exact core metadata bytes of a file by filename, for every file
    /// whose page says they are served (the bytes [`super::DistFile::with_metadata`] took);
    /// their sha256 must be the one on the page.
    ///
    /// # Errors
    ///
    /// A file without a sha256 or a size on its page, or metadata bytes missing or not those
    /// the page states.
    ///
    /// # Examples
    ///
    /// ```
    /// use pypackaging::index::publish::{Body, ObjectKind};
    /// use pypackaging::index::{BuildOptions, DistFile, build};
    /// use pypackaging::{Digest, HashAlgorithm};
    ///
    /// let sha = Digest::from_hex(HashAlgorithm::Sha256, &"ab".repeat(32))?;
    /// let meta = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n";
    /// let wheel = DistFile::new("demo-1.0-py3-none-any.whl", vec![sha], 10)?.with_metadata(meta);
    /// let index = build(vec![wheel], &BuildOptions::default())?;
    /// let objects = index.objects(|_| Some(&meta[..]))?;
    /// let keys: Vec<&str> = objects.iter().map(|o| o.key.as_str()).collect();
    /// assert_eq!(keys, [
    ///     "simple/index.html",
    ///     "simple/index.json",
    ///     "simple/demo/index.html",
    ///     "simple/demo/index.json",
    ///     "simple/demo/demo-1.0-py3-none-any.whl",
    ///     "simple/demo/demo-1.0-py3-none-any.whl.metadata",
    ///     "requirements.txt",
    /// ]);
    /// assert_eq!(objects[4].body, Body::File("demo-1.0-py3-none-any.whl".into()));
    /// assert_eq!(objects[4].kind(), ObjectKind::File);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn objects<'m>(
        &self,
        metadata: impl Fn(&str) -> Option<&'m [u8]>,
    ) -> Result<Vec<Object>, PublishError> {
        let mut rendered = self.render().into_iter();
        let mut out = Vec::with_capacity(3 + 4 * self.pages.len());
        let page = |key: String, text: String| Object::from_bytes(key, text.into_bytes());
        for (key, text) in rendered.by_ref().take(2) {
            out.push(page(key, text));
        }
        for (name, project) in &self.pages {
            for (key, text) in rendered.by_ref().take(2) {
                out.push(page(key, text));
            }
            for file in &project.files {
                let filename = &file.filename;
                let sha256 = *file.hashes.get(HashAlgorithm::Sha256).ok_or_else(|| {
                    PublishError::MissingSha256 {
                        filename: filename.clone(),
                    }
                })?;
                let size = file.size.ok_or_else(|| PublishError::MissingSize {
                    filename: filename.clone(),
                })?;
                out.push(Object::new(
                    format!("simple/{name}/{filename}"),
                    size,
                    sha256,
                    Body::File(filename.clone()),
                ));
                if let MetadataLink::Available(hashes) = &file.core_metadata {
                    let bytes =
                        metadata(filename).ok_or_else(|| PublishError::MissingMetadata {
                            filename: filename.clone(),
                        })?;
                    let object = Object::from_bytes(
                        format!("simple/{name}/{filename}.metadata"),
                        bytes.to_vec(),
                    );
                    if let Some(expected) = hashes.get(HashAlgorithm::Sha256)
                        && *expected != object.sha256
                    {
                        return Err(PublishError::MetadataMismatch {
                            filename: filename.clone(),
                            expected: Box::new(*expected),
                            actual: Box::new(object.sha256),
                        });
                    }
                    out.push(object);
                }
            }
        }
        out.push(Object::from_bytes(
            "requirements.txt".to_owned(),
            self.requirements.clone().into_bytes(),
        ));
        Ok(out)
    }
}

/// One step of a [`Plan`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// Write the object under its key, replacing what is there (atomically per object).
    Put(Object),
    /// Remove the key.
    Delete(String),
}

impl Step {
    /// The key the step touches.
    pub fn key(&self) -> &str {
        match self {
            Step::Put(object) => &object.key,
            Step::Delete(key) => key,
        }
    }
}

/// The ordered steps that take a store to an index; see the module docs for the order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Plan {
    /// The steps, to be carried out one after the other.
    pub steps: Vec<Step>,
}

impl Plan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// How many puts.
    pub fn puts(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| matches!(s, Step::Put(_)))
            .count()
    }

    /// How many deletes.
    pub fn deletes(&self) -> usize {
        self.steps.len() - self.puts()
    }
}

impl fmt::Display for Plan {
    /// `put N, delete M`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "put {}, delete {}", self.puts(), self.deletes())
    }
}

/// The minimal ordered plan that takes a store holding `current` to holding exactly
/// `desired`: a put for each desired object the store lacks or holds with another size or
/// sha256, a delete for each key the store holds and `desired` lacks.
///
/// `current` is what the publisher owns: every key in it that `desired` lacks is deleted, so
/// leave out keys someone else wrote. When a key is given twice, the last one counts.
///
/// # Examples
///
/// ```
/// use pypackaging::index::publish::{Body, CachePolicy, Object, Step, StoredObject, plan};
/// use pypackaging::{Digest, HashAlgorithm};
///
/// let sha = |b: u8| Digest::from_bytes(HashAlgorithm::Sha256, &[b; 32]).unwrap();
/// let object = |key: &str, b: u8| Object {
///     key: key.into(), size: 1, sha256: sha(b), content_type: "text/plain".into(),
///     cache: CachePolicy::Short, body: Body::Bytes(vec![b]),
/// };
/// let stored = |key: &str, b: u8| object(key, b).stored();
/// let current = [stored("simple/index.html", 1), stored("simple/old/index.html", 1),
///     stored("simple/old/old-1.0.tar.gz", 1)];
/// let desired = [object("simple/index.html", 2), object("simple/new/index.html", 1),
///     object("simple/new/new-1.0.tar.gz", 1)];
/// let steps: Vec<String> = plan(&current, &desired).steps.iter()
///     .map(|s| format!("{} {}", if matches!(s, Step::Put(_)) { "put" } else { "delete" }, s.key()))
///     .collect();
/// assert_eq!(steps, [
///     "put simple/new/new-1.0.tar.gz",
///     "put simple/new/index.html",
///     "put simple/index.html",
///     "delete simple/old/index.html",
///     "delete simple/old/old-1.0.tar.gz",
/// ]);
/// let stored: Vec<StoredObject> = desired.iter().map(Object::stored).collect();
/// assert!(plan(&stored, &desired).is_empty());
/// ```
pub fn plan(current: &[StoredObject], desired: &[Object]) -> Plan {
    let held: BTreeMap<&str, &StoredObject> = current.iter().map(|o| (o.key.as_str(), o)).collect();
    let wanted: BTreeMap<&str, &Object> = desired.iter().map(|o| (o.key.as_str(), o)).collect();
    let mut puts: Vec<&Object> = wanted
        .values()
        .filter(|o| {
            held.get(o.key.as_str())
                .is_none_or(|h| h.size != o.size || h.sha256 != o.sha256)
        })
        .copied()
        .collect();
    // Stable: within a tier, keys in order.
    puts.sort_by_key(|o| o.kind().put_tier());
    let mut deletes: Vec<&str> = held
        .keys()
        .filter(|k| !wanted.contains_key(*k))
        .copied()
        .collect();
    deletes.sort_by_key(|k| {
        let tier = ObjectKind::of_key(k).put_tier();
        // Other keys last; the rest root first, files last.
        if ObjectKind::of_key(k) == ObjectKind::Other {
            3
        } else {
            2 - tier
        }
    });
    let mut steps: Vec<Step> = puts.into_iter().map(|o| Step::Put(o.clone())).collect();
    steps.extend(deletes.into_iter().map(|k| Step::Delete(k.to_owned())));
    Plan { steps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{BuildOptions, DistFile, build};

    fn sha(byte: u8) -> Digest {
        Digest::from_bytes(HashAlgorithm::Sha256, &[byte; 32]).unwrap()
    }

    const META: &[u8] = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n";

    fn index() -> Index {
        let files = vec![
            DistFile::new("demo-1.0-py3-none-any.whl", vec![sha(1)], 10)
                .unwrap()
                .with_metadata(META),
            DistFile::new("demo-1.0.tar.gz", vec![sha(2)], 20).unwrap(),
        ];
        build(files, &BuildOptions::default()).unwrap()
    }

    #[test]
    fn objects_have_types_and_cache_rules() {
        let objects = index().objects(|_| Some(META)).unwrap();
        let table: Vec<String> = objects
            .iter()
            .map(|o| format!("{} {} {:?}", o.key, o.content_type, o.cache))
            .collect();
        insta::assert_snapshot!(table.join("\n"), @r"
        simple/index.html text/html; charset=utf-8 Short
        simple/index.json application/vnd.pypi.simple.v1+json Short
        simple/demo/index.html text/html; charset=utf-8 Short
        simple/demo/index.json application/vnd.pypi.simple.v1+json Short
        simple/demo/demo-1.0.tar.gz application/gzip Immutable
        simple/demo/demo-1.0-py3-none-any.whl application/zip Immutable
        simple/demo/demo-1.0-py3-none-any.whl.metadata text/plain; charset=utf-8 Immutable
        requirements.txt text/plain; charset=utf-8 Short
        ");
        assert_eq!(objects[6].size, META.len() as u64);
        assert_eq!(objects[4].sha256, sha(2));
        assert_eq!(objects[4].size, 20);
        assert_eq!(
            CachePolicy::Immutable.cache_control(),
            "public, max-age=31536000, immutable"
        );
    }

    #[test]
    fn metadata_must_be_given_and_match() {
        insta::assert_snapshot!(index().objects(|_| None).unwrap_err(), @"`demo-1.0-py3-none-any.whl` has core metadata on its page, and no `.metadata` bytes were given");
        insta::assert_snapshot!(index().objects(|_| Some(b"other")).unwrap_err(), @"the `.metadata` bytes given for `demo-1.0-py3-none-any.whl` have sha256 sha256:d9298a10d1b0735837dc4bd85dac641b0f3cef27a47e5d53a54f2f3f5b2fcffa, and its page states sha256:34aa27a6064f958b41b781a217f290fd0ab5f9651e2b6e4acdab341b7b93c305");
    }

    #[test]
    fn keys_are_classified() {
        for (key, kind) in [
            ("simple/index.html", ObjectKind::Root),
            ("requirements.txt", ObjectKind::Root),
            ("simple/a/index.json", ObjectKind::ProjectPage),
            ("simple/a/a-1.whl.metadata", ObjectKind::Metadata),
            ("simple/a/a-1.whl", ObjectKind::File),
            ("simple/a/b/c", ObjectKind::Other),
            ("simple//x", ObjectKind::Other),
            ("simple/a", ObjectKind::Other),
            (".pypackaging/manifest.json", ObjectKind::Other),
        ] {
            assert_eq!(ObjectKind::of_key(key), kind, "{key}");
        }
    }

    #[test]
    fn unchanged_plans_nothing_and_changes_are_minimal() {
        let objects = index().objects(|_| Some(META)).unwrap();
        let stored: Vec<StoredObject> = objects.iter().map(Object::stored).collect();
        assert!(plan(&stored, &objects).is_empty());
        let mut changed = stored.clone();
        changed[4].sha256 = sha(9);
        changed.push(StoredObject {
            key: "simple/gone/gone-1.0.tar.gz".into(),
            size: 1,
            sha256: sha(3),
        });
        let p = plan(&changed, &objects);
        assert_eq!(p.to_string(), "put 1, delete 1");
        assert_eq!(p.steps[0].key(), "simple/demo/demo-1.0.tar.gz");
        assert_eq!(p.steps[1].key(), "simple/gone/gone-1.0.tar.gz");
    }
}
