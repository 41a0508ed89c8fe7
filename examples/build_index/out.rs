//! OUT: which of its entries are ours, the manifest that says so, and carrying out a publish
//! plan in place.
//!
//! ```text
//! OUT/
//!   simple/index.html, simple/index.json          the root pages
//!   simple/<project>/index.html, index.json       the project pages
//!   simple/<project>/<file>, <file>.metadata      the files and their PEP 658 sidecars
//!   requirements.txt
//!   .pypackaging/manifest.json                    every key this tool wrote (size, sha256)
//!   .pypackaging/build-report.json                the last run's verdicts
//!   .pypackaging/tmp/                             where puts are staged (emptied at start)
//! ```
//!
//! Anything else in OUT is foreign: never deleted, never overwritten.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self};
use std::path::{Component, Path, PathBuf};

use pypackaging::Digest;
use pypackaging::index::publish::{Body, Object, Plan, Step, StoredObject};
use pypackaging::metadata::Finding;

/// The marker folder.
pub const MARK: &str = ".pypackaging";
/// The old tool's state file, which makes an index one we may take over.
const LEGACY: &str = ".build_index.json";

/// One key this tool wrote.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
pub struct Entry {
    pub size: u64,
    /// `None` while a put of the key may be under way (the journal before the puts).
    pub sha256: Option<Digest>,
}

/// What a previous run learned about one wheelhouse file, reused when its size and mtime are
/// unchanged.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
pub struct Seen {
    pub size: u64,
    pub mtime_ns: String,
    pub sha256: Digest,
    pub requires_python: Option<String>,
    pub project: String,
    pub version: String,
    /// The sha256 of the wheel's METADATA, served as the sidecar.
    pub metadata_sha256: Option<Digest>,
    /// The check's findings (warnings only: refused files are not recorded).
    pub findings: Vec<Finding>,
}

/// `OUT/.pypackaging/manifest.json`.
#[derive(serde::Serialize, serde::Deserialize, Default, Debug)]
pub struct Manifest {
    pub version: u32,
    /// Every key this tool wrote, relative to OUT.
    pub objects: BTreeMap<String, Entry>,
    /// What each wheelhouse file was.
    pub sources: BTreeMap<String, Seen>,
}

/// An OUT we may write to.
#[derive(Debug)]
pub struct Out {
    pub root: PathBuf,
    pub manifest: Manifest,
    /// Taken over from the old tool: its state file goes once the manifest is written.
    pub legacy: bool,
    /// The files the previous build indexed, with their sha256 (for the change summary).
    pub previous: BTreeMap<String, Digest>,
}

fn io_err(path: &Path) -> impl Fn(io::Error) -> String + '_ {
    move |e| format!("`{}`: {e}", path.display())
}

/// The canonical form of a path that may not exist yet: its nearest existing ancestor
/// canonicalized, then the rest.
fn canonical(path: &Path) -> Result<PathBuf, String> {
    let absolute = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}"))?
            .join(path)
    };
    let mut rest = Vec::new();
    let mut at = absolute.as_path();
    loop {
        match at.canonicalize() {
            Ok(mut c) => {
                for part in rest.iter().rev() {
                    c.push(part);
                }
                return Ok(c);
            }
            Err(_) => {
                let (Some(parent), Some(name)) = (at.parent(), at.file_name()) else {
                    return Err(format!("`{}` has no existing ancestor", path.display()));
                };
                rest.push(name.to_owned());
                at = parent;
            }
        }
    }
}

impl Out {
    /// Whether `path` (existing or not) lies inside OUT, where only the tool's own keys go.
    pub fn contains(&self, path: &Path) -> Result<bool, String> {
        Ok(canonical(path)?.starts_with(&self.root))
    }
}

/// Checks OUT against the wheelhouse and finds out what in it is ours; writes nothing.
pub fn open(out: &Path, wheelhouse: &Path) -> Result<Out, String> {
    let wh = wheelhouse
        .canonicalize()
        .map_err(|e| format!("cannot read wheelhouse `{}`: {e}", wheelhouse.display()))?;
    if !wh.is_dir() {
        return Err(format!(
            "wheelhouse `{}` is not a folder",
            wheelhouse.display()
        ));
    }
    let root = canonical(out)?;
    if root == wh {
        return Err(format!(
            "OUT `{}` is the wheelhouse itself; give another folder",
            out.display()
        ));
    }
    if root.starts_with(&wh) {
        return Err(format!(
            "OUT `{}` is inside the wheelhouse `{}`; give a folder outside it",
            out.display(),
            wheelhouse.display()
        ));
    }
    if wh.starts_with(&root) {
        return Err(format!(
            "the wheelhouse `{}` is inside OUT `{}`; give a folder that does not contain it",
            wheelhouse.display(),
            out.display()
        ));
    }
    let meta = match fs::metadata(&root) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Out {
                root,
                manifest: Manifest::default(),
                legacy: false,
                previous: BTreeMap::new(),
            });
        }
        Err(e) => return Err(format!("`{}`: {e}", out.display())),
    };
    if !meta.is_dir() {
        return Err(format!(
            "OUT `{}` is a file, not a folder; refusing to touch it (give a new or empty folder)",
            out.display()
        ));
    }
    let manifest_path = root.join(MARK).join("manifest.json");
    if let Ok(bytes) = fs::read(&manifest_path) {
        let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| {
            format!(
                "`{}` does not parse ({e}); refusing to guess what in OUT is ours",
                manifest_path.display()
            )
        })?;
        let previous = manifest
            .sources
            .iter()
            .map(|(name, seen)| (name.clone(), seen.sha256))
            .collect();
        return Ok(Out {
            root,
            manifest,
            legacy: false,
            previous,
        });
    }
    let mut names: Vec<String> = fs::read_dir(&root)
        .map_err(io_err(&root))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    if root.join(LEGACY).is_file() {
        return take_over(root);
    }
    // Empty, or only our marker (a first run killed before its first manifest).
    match names.iter().find(|n| n.as_str() != MARK) {
        None => Ok(Out {
            root,
            manifest: Manifest::default(),
            legacy: false,
            previous: BTreeMap::new(),
        }),
        Some(first) => Err(format!(
            "OUT `{}` is not empty and is not an index build_index made (no {MARK}/manifest.json); \
             first foreign entry: `{first}`; refusing to write there (give a new or empty folder)",
            out.display()
        )),
    }
}

/// An index the old tool built: what its state lists, plus the pages, are ours.
fn take_over(root: PathBuf) -> Result<Out, String> {
    #[derive(serde::Deserialize)]
    struct Old {
        size: u64,
        sha256: Digest,
        project: String,
    }
    let path = root.join(LEGACY);
    let state: BTreeMap<String, Old> = fs::read(&path).map_err(io_err(&path)).and_then(|b| {
        serde_json::from_slice(&b).map_err(|e| format!("`{}` does not parse: {e}", path.display()))
    })?;
    let mut keys: BTreeMap<String, Option<(u64, Digest)>> = BTreeMap::new();
    for key in ["simple/index.html", "simple/index.json", "requirements.txt"] {
        keys.insert(key.to_owned(), None);
    }
    for (filename, old) in &state {
        let dir = format!("simple/{}", old.project);
        keys.insert(format!("{dir}/index.html"), None);
        keys.insert(format!("{dir}/index.json"), None);
        keys.insert(format!("{dir}/{filename}"), Some((old.size, old.sha256)));
        keys.insert(format!("{dir}/{filename}.metadata"), None);
    }
    let mut manifest = Manifest::default();
    for (key, known) in keys {
        let file = root.join(&key);
        let Ok(meta) = fs::symlink_metadata(&file) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let sha256 = match known {
            Some((size, sha)) if size == meta.len() => sha,
            _ => hash_file(&file).map_err(io_err(&file))?.0,
        };
        manifest.objects.insert(
            key,
            Entry {
                size: meta.len(),
                sha256: Some(sha256),
            },
        );
    }
    // Not reused as sources: the old tool did not check sdists, so every file is checked.
    let previous = state.iter().map(|(n, o)| (n.clone(), o.sha256)).collect();
    Ok(Out {
        root,
        manifest,
        legacy: true,
        previous,
    })
}

/// sha256 and size of a file.
pub fn hash_file(path: &Path) -> io::Result<(Digest, u64)> {
    pypackaging::hash::sha256_reader(fs::File::open(path)?)
}

impl Out {
    fn tmp(&self) -> PathBuf {
        self.root.join(MARK).join("tmp")
    }

    fn path(&self, key: &str) -> PathBuf {
        let mut path = self.root.clone();
        path.extend(key.split('/'));
        path
    }

    /// Creates OUT and the marker, empties the tmp folder (what a killed run left there).
    pub fn prepare(&self) -> Result<(), String> {
        let tmp = self.tmp();
        fs::create_dir_all(&tmp).map_err(io_err(&tmp))?;
        for entry in fs::read_dir(&tmp).map_err(io_err(&tmp))? {
            let entry = entry.map_err(io_err(&tmp))?;
            let path = entry.path();
            let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            removed.map_err(io_err(&path))?;
        }
        Ok(())
    }

    /// What OUT holds of ours now, read from the manifest; a key whose put may have been
    /// under way, or whose size changed, is hashed again; a missing key is not held.
    pub fn current(&self) -> Result<Vec<StoredObject>, String> {
        let mut out = Vec::new();
        for (key, entry) in &self.manifest.objects {
            if !safe_key(key) {
                continue;
            }
            let path = self.path(key);
            let Ok(meta) = fs::symlink_metadata(&path) else {
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            let sha256 = match entry.sha256 {
                Some(sha) if entry.size == meta.len() => sha,
                _ => hash_file(&path).map_err(io_err(&path))?.0,
            };
            out.push(StoredObject {
                key: key.clone(),
                size: meta.len(),
                sha256,
            });
        }
        Ok(out)
    }

    /// The first key of `desired` that OUT holds and we did not write, or whose folder is
    /// not a plain folder of OUT.
    pub fn foreign_conflict(&self, desired: &[Object]) -> Option<String> {
        for object in desired {
            let mut at = self.root.clone();
            let parts: Vec<&str> = object.key.split('/').collect();
            for (i, part) in parts.iter().enumerate() {
                at.push(part);
                let Ok(meta) = fs::symlink_metadata(&at) else {
                    break;
                };
                let last = i + 1 == parts.len();
                if meta.file_type().is_symlink() || (!last && !meta.is_dir()) {
                    return Some(parts[..=i].join("/"));
                }
                if last && !self.manifest.objects.contains_key(&object.key) {
                    return Some(object.key.clone());
                }
            }
        }
        None
    }

    /// Writes the manifest atomically (through the tmp folder).
    pub fn write_manifest(&self) -> Result<(), String> {
        let bytes = serde_json::to_vec_pretty(&self.manifest).map_err(|e| e.to_string())?;
        self.write_mark("manifest.json", &bytes)
    }

    /// Writes `OUT/.pypackaging/NAME` atomically.
    pub fn write_mark(&self, name: &str, bytes: &[u8]) -> Result<(), String> {
        let tmp = self.tmp().join(format!("{name}.{}", std::process::id()));
        fs::write(&tmp, bytes).map_err(io_err(&tmp))?;
        let path = self.root.join(MARK).join(name);
        fs::rename(&tmp, &path).map_err(io_err(&path))
    }

    /// Carries out the plan: the manifest first records every key the run may leave behind,
    /// then each put is staged in tmp and renamed onto its key, each delete removes its key
    /// (and its project folder once empty of anything, ours or not), and the manifest ends
    /// as exactly `desired`.
    pub fn apply(
        &mut self,
        plan: &Plan,
        desired: &[Object],
        sources: BTreeMap<String, Seen>,
        wheelhouse: &Path,
        copy: bool,
    ) -> Result<(), String> {
        for step in &plan.steps {
            if let Step::Put(object) = step {
                self.manifest.objects.insert(
                    object.key.clone(),
                    Entry {
                        size: object.size,
                        sha256: None,
                    },
                );
            }
        }
        self.manifest.version = 1;
        self.manifest.sources = sources;
        self.write_manifest()?;
        let tmp = self.tmp();
        for (n, step) in plan.steps.iter().enumerate() {
            match step {
                Step::Put(object) => {
                    let path = self.path(&object.key);
                    let stage = tmp.join(format!("{n}"));
                    match &object.body {
                        Body::Bytes(bytes) => fs::write(&stage, bytes).map_err(io_err(&stage))?,
                        Body::File(name) => {
                            let from = wheelhouse.join(name);
                            if copy || fs::hard_link(&from, &stage).is_err() {
                                fs::copy(&from, &stage).map_err(io_err(&from))?;
                            }
                            // The bytes published are the bytes the page states.
                            let (sha256, size) = hash_file(&stage).map_err(io_err(&stage))?;
                            if sha256 != object.sha256 || size != object.size {
                                return Err(format!(
                                    "`{}` changed while the index was built (now {size} bytes, \
                                     {sha256}); run again",
                                    from.display()
                                ));
                            }
                        }
                    }
                    let dir = path.parent().expect("a key has a folder");
                    fs::create_dir_all(dir).map_err(io_err(dir))?;
                    fs::rename(&stage, &path).map_err(io_err(&path))?;
                    // Renaming a link onto another link of the same file leaves both.
                    let _ = fs::remove_file(&stage);
                }
                Step::Delete(key) => {
                    let path = self.path(key);
                    match fs::remove_file(&path) {
                        Ok(()) => {}
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                        Err(e) => return Err(format!("`{}`: {e}", path.display())),
                    }
                    // A project folder goes with its last entry; fails (and stays) while
                    // anything, ours or foreign, is left in it.
                    if let Some(dir) = path.parent()
                        && dir != self.root.join("simple")
                        && dir.starts_with(self.root.join("simple"))
                    {
                        let _ = fs::remove_dir(dir);
                    }
                }
            }
        }
        self.manifest.objects = desired
            .iter()
            .map(|o| {
                (
                    o.key.clone(),
                    Entry {
                        size: o.size,
                        sha256: Some(o.sha256),
                    },
                )
            })
            .collect();
        self.write_manifest()?;
        if self.legacy {
            let path = self.root.join(LEGACY);
            let _ = fs::remove_file(path);
            self.legacy = false;
        }
        Ok(())
    }

    /// Leftovers of the old tool beside OUT (`.OUT.new-PID`, `.OUT.old-PID`), which this tool
    /// never writes and does not remove.
    pub fn legacy_leftovers(&self) -> Vec<PathBuf> {
        let (Some(parent), Some(name)) = (self.root.parent(), self.root.file_name()) else {
            return Vec::new();
        };
        let name = name.to_string_lossy();
        let prefixes = [format!(".{name}.new-"), format!(".{name}.old-")];
        let Ok(listing) = fs::read_dir(parent) else {
            return Vec::new();
        };
        let mut found: Vec<PathBuf> = listing
            .filter_map(Result::ok)
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                prefixes.iter().any(|p| n.starts_with(p.as_str()))
            })
            .map(|e| e.path())
            .collect();
        found.sort();
        found
    }
}

/// Whether `key` (from the manifest) stays inside OUT: no `..`, no absolute part.
pub fn safe_key(key: &str) -> bool {
    Path::new(key)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
}
