//! The index on disk as uploads change it: what each project page lists, storing a verified
//! file, and writing the pages again.
//!
//! The pages are the record: a project's files are what its `index.json` lists (as
//! build_index or an earlier upload wrote it), so the tree stays what build_index builds and
//! a file on disk that no page lists (an upload cut between its rename and its pages) is never
//! offered to a client. After a file is stored (sidecar first, then the file, each renamed in
//! from `.pypackaging/tmp/`), `pypackaging::index::build` runs over every listed file and the
//! uploaded project's pages, then the root pages, then `requirements.txt` are replaced, each by
//! a rename.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use pypackaging::index::{self, BuildOptions, DistFile};
use pypackaging::simple::{CoreMetadata as MetadataLink, json};
use pypackaging::{Digest, PackageName};

use crate::fsafe;

pub const MARK: &str = ".pypackaging";

pub fn tmp_dir(root: &Path) -> PathBuf {
    root.join(MARK).join("tmp")
}

/// Empties `.pypackaging/tmp/` of this server's leftovers (a restart after a cut upload).
pub fn clean_tmp(root: &Path) -> io::Result<usize> {
    let tmp = tmp_dir(root);
    fs::create_dir_all(&tmp)?;
    let mut removed = 0;
    for entry in fs::read_dir(&tmp)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with("serve-") {
            let _ = fs::remove_file(entry.path());
            removed += 1;
        }
    }
    Ok(removed)
}

const PAGE_BASE: &str = "http://index.invalid/simple/";

/// The files a project page lists, as `DistFile`s, and the base URL its links use (`None`
/// when relative).
fn page_files(root: &Path, project: &str) -> Result<(Vec<DistFile>, Option<String>), String> {
    let path = root.join("simple").join(project).join("index.json");
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), None)),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let page_url = format!("{PAGE_BASE}{project}/");
    let page = json::parse_project_page(&text, &page_url)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .value;
    let mut base_url = None;
    let mut files = Vec::with_capacity(page.files.len());
    for f in page.files {
        let local = format!("{page_url}{}", f.filename);
        if f.url != local
            && let Some(prefix) = f.url.strip_suffix(&format!("{project}/{}", f.filename))
        {
            base_url = Some(prefix.to_owned());
        }
        let mut file = DistFile::new(&f.filename, f.hashes.digests.clone(), f.size.unwrap_or(0))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        file.requires_python = f.requires_python.clone();
        file.yanked = f.yanked.clone();
        if let MetadataLink::Available(h) = &f.core_metadata {
            file.metadata_digests = Some(h.digests.clone());
        }
        files.push(file);
    }
    Ok((files, base_url))
}

/// The projects listed on the root page.
fn projects(root: &Path) -> Result<Vec<String>, String> {
    let path = root.join("simple").join("index.json");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let list = json::parse_project_list(&text)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .value;
    Ok(list.projects.iter().map(|p| simple_name(&p.name)).collect())
}

fn simple_name(name: &str) -> String {
    pypackaging::name::normalize(name).into_owned()
}

/// The sha256 of the file `filename` as the project's page lists it.
pub fn listed_sha256(root: &Path, project: &str, filename: &str) -> Result<Option<Digest>, String> {
    let (files, _) = page_files(root, project)?;
    Ok(files
        .iter()
        .find(|f| f.filename == filename)
        .and_then(|f| f.sha256().copied()))
}

/// A verified upload, staged in `.pypackaging/tmp/`.
pub struct Staged {
    pub project: PackageName,
    pub filename: String,
    pub path: PathBuf,
    pub sha256: Digest,
    pub size: u64,
    /// The wheel's METADATA, served as the sidecar.
    pub metadata: Option<Vec<u8>>,
    /// Requires-Python from the file's own metadata.
    pub requires_python: Option<String>,
}

/// Moves a staged file into `simple/<project>/` and writes the pages again. The caller holds
/// the project's lock and the index lock.
pub fn publish(root: &Path, staged: &Staged) -> Result<(), String> {
    let project = staged.project.as_str().to_owned();
    let tmp = tmp_dir(root);
    let dir = root.join("simple").join(&project);
    if !fsafe::is_dir(root, &["simple", &project]) {
        fs::create_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut written = Vec::new();
    // 1. The sidecar, then the file.
    if let Some(bytes) = &staged.metadata {
        let path = dir.join(format!("{}.metadata", staged.filename));
        fsafe::write_atomic(&tmp, &path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push((
            format!("simple/{project}/{}.metadata", staged.filename),
            bytes.len() as u64,
            sha256_of(bytes),
        ));
    }
    let target = dir.join(&staged.filename);
    fs::rename(&staged.path, &target).map_err(|e| format!("{}: {e}", target.display()))?;
    written.push((
        format!("simple/{project}/{}", staged.filename),
        staged.size,
        staged.sha256,
    ));

    // 2. Every listed file, with the new one.
    let mut names = projects(root)?;
    if !names.contains(&project) {
        names.push(project.clone());
    }
    let mut all = Vec::new();
    let mut base_url = None;
    for name in &names {
        let (files, base) = page_files(root, name)?;
        if base.is_some() {
            base_url = base;
        }
        all.extend(files.into_iter().filter(|f| f.filename != staged.filename));
    }
    let mut file = DistFile::new(&staged.filename, vec![staged.sha256], staged.size)
        .map_err(|e| e.to_string())?;
    if let Some(bytes) = &staged.metadata {
        file = file.with_metadata(bytes);
    }
    file.requires_python = staged.requires_python.clone();
    all.push(file);
    let options = BuildOptions {
        base_url,
        ..BuildOptions::default()
    };
    let built = index::build(all, &options).map_err(|e| e.to_string())?;

    // 3. The project's pages, then the root pages, then requirements.txt.
    let pages = built.render();
    let mine = format!("simple/{project}/");
    let (project_pages, others): (Vec<_>, Vec<_>) =
        pages.into_iter().partition(|(p, _)| p.starts_with(&mine));
    let root_pages = others
        .into_iter()
        .filter(|(p, _)| p == "simple/index.html" || p == "simple/index.json");
    for (path, text) in project_pages.into_iter().chain(root_pages) {
        let full = root.join(&path);
        fsafe::write_atomic(&tmp, &full, text.as_bytes())
            .map_err(|e| format!("{}: {e}", full.display()))?;
        written.push((path, text.len() as u64, sha256_of(text.as_bytes())));
    }
    let req = root.join("requirements.txt");
    fsafe::write_atomic(&tmp, &req, built.requirements.as_bytes())
        .map_err(|e| format!("{}: {e}", req.display()))?;
    written.push((
        "requirements.txt".to_owned(),
        built.requirements.len() as u64,
        sha256_of(built.requirements.as_bytes()),
    ));
    record_in_manifest(root, &written)?;
    Ok(())
}

fn sha256_of(bytes: &[u8]) -> Digest {
    pypackaging::hash::sha256(bytes)
}

/// Adds the keys written to `.pypackaging/manifest.json` when build_index keeps one
/// (`objects`: key -> `{size, sha256}`); other content is kept as it is.
fn record_in_manifest(root: &Path, written: &[(String, u64, Digest)]) -> Result<(), String> {
    let path = root.join(MARK).join("manifest.json");
    let Ok(bytes) = fs::read(&path) else {
        return Ok(());
    };
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let Some(top) = manifest.as_object_mut() else {
        return Err(format!("{}: not a JSON object", path.display()));
    };
    let objects = top
        .entry("objects")
        .or_insert_with(|| serde_json::Value::Object(Default::default()));
    let Some(objects) = objects.as_object_mut() else {
        return Err(format!(
            "{}: `objects` is not a JSON object",
            path.display()
        ));
    };
    let mut sorted: BTreeMap<&str, serde_json::Value> = BTreeMap::new();
    for (key, size, sha) in written {
        sorted.insert(
            key,
            serde_json::json!({"size": size, "sha256": sha.to_string()}),
        );
    }
    for (k, v) in sorted {
        objects.insert(k.to_owned(), v);
    }
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?;
    fsafe::write_atomic(&tmp_dir(root), &path, &text)
        .map_err(|e| format!("{}: {e}", path.display()))
}
