//! Carrying out a `pypackaging::index::publish::Plan` on a location: the journal first, then
//! each tier of puts in parallel (with a bound), every object verified (size and sha256)
//! before the next tier, which may link to it, starts; then the deletes, tier by tier; then
//! the manifest. The journal is saved after each tier and every [`CHECKPOINT`] steps, so a
//! run cut short costs the next run only the puts that were in flight.
//!
//! # Verification
//!
//! The bytes put are checked against the object's size and sha256 as they are read (a file
//! of the built folder that changed since the build is refused). After the put, the store's
//! HEAD must give the size; its ETag must be the MD5 of the bytes where the store says so
//! (S3 and Garage do for a single-part put, shown as 32 hex digits), else the object is read
//! back and its sha256 compared. An object that fails is put once more, then the run stops
//! before anything that links to it is written.
//!
//! # Large files
//!
//! Files up to [`SINGLE_PUT`] are read whole and put in one request; larger files stream as
//! a multipart upload in [`PART`]-byte parts and are always read back to verify. A killed
//! multipart upload leaves no object (its parts are the store's to expire: an S3 lifecycle
//! rule `AbortIncompleteMultipartUpload` does that).

use std::collections::BTreeMap;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt, stream};
use indicatif::{ProgressBar, ProgressStyle};
use md5::Digest as _;
use object_store::{
    Attribute, Attributes, ObjectStoreExt, PutMultipartOptions, PutOptions, PutPayload,
    WriteMultipart,
};
use pypackaging::Digest;
use pypackaging::index::publish::{Body, Object, ObjectKind, Plan, Step};
use tokio::io::AsyncReadExt;

use crate::Location;
use crate::manifest::{self, Entry, Holding, Manifest};

/// Files up to this size go in one put.
pub const SINGLE_PUT: u64 = 32 << 20;
/// Steps between two checkpoints of the journal within a tier (and one after each tier).
pub const CHECKPOINT: usize = 100;
/// The part size of a multipart upload.
pub const PART: usize = 16 << 20;

/// Where the bytes of a [`Body::File`] come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A folder: the name is a path relative to it (a built index's key, a wheelhouse file).
    Folder(PathBuf),
    /// Another location of the same store: the name is a key there, copied server-side.
    Copy(Location),
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Objects put (copies included).
    pub puts: usize,
    /// Of which server-side copies.
    pub copies: usize,
    /// Keys deleted.
    pub deletes: usize,
    /// Bytes sent.
    pub bytes: u64,
    /// Objects read back to verify them (the rest were verified by ETag).
    pub read_back: usize,
    /// Puts made a second time after a failed verification.
    pub retried: usize,
    /// Objects put again because they were gone before what links them was put.
    pub repaired: usize,
    /// Seconds the run took.
    pub seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "put {} ({} copied server-side, {:.1} MB sent, {} put again after a cut run), deleted {}, {} read back to verify, {} retried, {:.2} s",
            self.puts,
            self.copies,
            self.bytes as f64 / 1e6,
            self.repaired,
            self.deletes,
            self.read_back,
            self.retried,
            self.seconds
        )
    }
}

/// The tier of a step: puts leaves first, deletes root first (the order of the plan).
fn tier(step: &Step) -> (u8, u8) {
    let rank = |kind: ObjectKind| match kind {
        ObjectKind::File | ObjectKind::Metadata => 0,
        ObjectKind::ProjectPage => 1,
        ObjectKind::Root | ObjectKind::Other => 2,
    };
    match step {
        Step::Put(o) => (0, rank(o.kind())),
        Step::Delete(k) => (1, 2 - rank(ObjectKind::of_key(k))),
    }
}

/// The refusals before anything is written: a key the index wants that someone else wrote.
pub fn conflicts(holding: &Holding, desired: &[Object]) -> Vec<String> {
    desired
        .iter()
        .filter(|o| holding.foreign.contains(&o.key))
        .map(|o| o.key.clone())
        .collect()
}

/// Carries the plan out; see the module docs. `desired` is the whole index (the manifest
/// ends as exactly its keys).
pub async fn apply(
    location: &Location,
    holding: &Holding,
    plan: &Plan,
    desired: &[Object],
    source: &Source,
    jobs: usize,
    bar: &ProgressBar,
) -> Result<Summary, String> {
    let start = Instant::now();
    let mut journal = holding.manifest.clone();
    journal.version = 1;
    journal.unfinished = true;
    let now = manifest::now();
    for step in &plan.steps {
        if let Step::Put(o) = step {
            journal.objects.insert(
                o.key.clone(),
                Entry {
                    size: o.size,
                    sha256: None,
                    pending_since: Some(now),
                    e_tag: None,
                },
            );
        }
    }
    if !plan.is_empty() {
        manifest::write(location, &journal).await?;
    }
    let total: u64 = plan
        .steps
        .iter()
        .map(|s| match s {
            Step::Put(o) => o.size,
            Step::Delete(_) => 0,
        })
        .sum();
    bar.set_length(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        )
        .expect("template")
        .progress_chars("=> "),
    );
    let mut summary = Summary::default();
    let mut e_tags: BTreeMap<String, Option<String>> = BTreeMap::new();
    let cut = holding.manifest.unfinished;
    let mut checked: Vec<ObjectKind> = Vec::new();
    let mut i = 0;
    while i < plan.steps.len() {
        let t = tier(&plan.steps[i]);
        let end = plan.steps[i..]
            .iter()
            .position(|s| tier(s) != t)
            .map_or(plan.steps.len(), |n| i + n);
        let group = &plan.steps[i..end];
        bar.set_message(match t {
            (0, 0) => "files",
            (0, 1) => "project pages",
            (0, _) => "root",
            _ => "deletes",
        });
        // After a cut run, what this run did not put because the listing showed it may have
        // been removed since by that run's late deletes: before the first page or root is
        // put, the files are checked again (and put again if gone); before the root, the
        // project pages.
        if cut {
            for (needed, kinds) in [
                (t >= (0, 1), &[ObjectKind::File, ObjectKind::Metadata][..]),
                (t >= (0, 2), &[ObjectKind::ProjectPage][..]),
            ] {
                if needed && !checked.contains(&kinds[0]) {
                    checked.push(kinds[0]);
                    let missing = missing(location, desired, kinds, &e_tags, jobs).await?;
                    repair(&missing, &mut summary);
                    pass(
                        location,
                        &missing,
                        source,
                        jobs,
                        bar,
                        &mut journal,
                        &mut summary,
                        &mut e_tags,
                        true,
                    )
                    .await?;
                }
            }
        }
        pass(
            location,
            group,
            source,
            jobs,
            bar,
            &mut journal,
            &mut summary,
            &mut e_tags,
            end < plan.steps.len(),
        )
        .await?;
        i = end;
    }
    if cut {
        for kinds in [
            &[ObjectKind::File, ObjectKind::Metadata][..],
            &[ObjectKind::ProjectPage][..],
        ] {
            if !checked.contains(&kinds[0]) {
                let missing = missing(location, desired, kinds, &e_tags, jobs).await?;
                repair(&missing, &mut summary);
                pass(
                    location,
                    &missing,
                    source,
                    jobs,
                    bar,
                    &mut journal,
                    &mut summary,
                    &mut e_tags,
                    true,
                )
                .await?;
            }
        }
    }
    let mut last = Manifest {
        version: 1,
        unfinished: false,
        objects: BTreeMap::new(),
    };
    // A put a cut run journaled and that no listing has shown yet may still land: it stays
    // ours (and is cleaned up by the run that lists it) for a while.
    let fresh = |e: &Entry| {
        e.pending_since
            .is_some_and(|t| now.saturating_sub(t) < manifest::PENDING_FOR.as_secs())
    };
    for (key, entry) in &holding.manifest.objects {
        if entry.sha256.is_none() && fresh(entry) && !holding.listed.contains_key(key) {
            last.objects.insert(key.clone(), entry.clone());
        }
    }
    for o in desired {
        let e_tag = match e_tags.remove(&o.key) {
            Some(e) => e,
            None => holding.listed.get(&o.key).and_then(|m| m.e_tag.clone()),
        };
        last.objects.insert(
            o.key.clone(),
            Entry {
                size: o.size,
                sha256: Some(o.sha256),
                pending_since: None,
                e_tag,
            },
        );
    }
    if !plan.is_empty() || last != holding.manifest {
        manifest::write(location, &last).await?;
    }
    bar.finish_and_clear();
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// One group of steps in parallel (with a bound), the journal updated as each finishes and
/// saved every [`CHECKPOINT`] steps and at the end (unless `last`).
#[allow(clippy::too_many_arguments)]
async fn pass(
    location: &Location,
    group: &[Step],
    source: &Source,
    jobs: usize,
    bar: &ProgressBar,
    journal: &mut Manifest,
    summary: &mut Summary,
    e_tags: &mut BTreeMap<String, Option<String>>,
    more: bool,
) -> Result<(), String> {
    let mut done = stream::iter(group.iter().map(|step| run(location, step, source, bar)))
        .buffer_unordered(jobs.max(1));
    let mut unsaved = 0;
    while let Some(d) = done.next().await {
        match d? {
            Done::Put {
                key,
                size,
                sha256,
                e_tag,
                bytes,
                copied,
                read_back,
                retried,
            } => {
                summary.puts += 1;
                summary.copies += usize::from(copied);
                summary.bytes += bytes;
                summary.read_back += usize::from(read_back);
                summary.retried += usize::from(retried);
                journal.objects.insert(
                    key.clone(),
                    Entry {
                        size,
                        sha256: Some(sha256),
                        pending_since: None,
                        e_tag: e_tag.clone(),
                    },
                );
                e_tags.insert(key, e_tag);
            }
            Done::Delete(key) => {
                summary.deletes += 1;
                journal.objects.remove(&key);
            }
        }
        unsaved += 1;
        // A checkpoint now and then: a run cut later puts again only what was in flight.
        if unsaved == CHECKPOINT {
            manifest::write(location, journal).await?;
            unsaved = 0;
        }
    }
    drop(done);
    if unsaved > 0 && more {
        manifest::write(location, journal).await?;
    }
    Ok(())
}

/// The desired objects of `kinds` that this run has not put and that the store no longer
/// holds (by HEAD), as puts.
async fn missing(
    location: &Location,
    desired: &[Object],
    kinds: &[ObjectKind],
    put: &BTreeMap<String, Option<String>>,
    jobs: usize,
) -> Result<Vec<Step>, String> {
    let check = desired
        .iter()
        .filter(|o| kinds.contains(&o.kind()) && !put.contains_key(&o.key));
    let gone: Vec<Option<Step>> = stream::iter(check.map(|o| async move {
        match location.store.head(&location.path(&o.key)).await {
            Ok(meta) if meta.size == o.size => Ok(None),
            Ok(_) | Err(object_store::Error::NotFound { .. }) => Ok(Some(Step::Put(o.clone()))),
            Err(e) => Err(format!("{location}{}: {e}", o.key)),
        }
    }))
    .buffer_unordered(jobs.max(1))
    .try_collect()
    .await?;
    Ok(gone.into_iter().flatten().collect())
}

fn repair(missing: &[Step], summary: &mut Summary) {
    if !missing.is_empty() {
        tracing::warn!(
            "{} object(s) listed at the start are gone (a cut run's late deletes); putting them \
             again before what links them",
            missing.len()
        );
        summary.repaired += missing.len();
    }
}

enum Done {
    Put {
        key: String,
        size: u64,
        sha256: Digest,
        e_tag: Option<String>,
        bytes: u64,
        copied: bool,
        read_back: bool,
        retried: bool,
    },
    Delete(String),
}

async fn run(
    location: &Location,
    step: &Step,
    source: &Source,
    bar: &ProgressBar,
) -> Result<Done, String> {
    match step {
        Step::Delete(key) => {
            match location.store.delete(&location.path(key)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(format!("deleting {location}{key}: {e}")),
            }
            Ok(Done::Delete(key.clone()))
        }
        Step::Put(object) => {
            let mut retried = false;
            loop {
                match put_verified(location, object, source).await {
                    Ok((e_tag, read_back, copied)) => {
                        bar.inc(object.size);
                        return Ok(Done::Put {
                            key: object.key.clone(),
                            size: object.size,
                            sha256: object.sha256,
                            e_tag,
                            bytes: if copied { 0 } else { object.size },
                            copied,
                            read_back,
                            retried,
                        });
                    }
                    Err(Failure::Verify(why)) if !retried => {
                        tracing::warn!("{location}{}: {why}; putting it again", object.key);
                        retried = true;
                    }
                    Err(Failure::Verify(why) | Failure::Other(why)) => {
                        return Err(format!("{location}{}: {why}", object.key));
                    }
                }
            }
        }
    }
}

enum Failure {
    /// The store holds other bytes than were put: worth one more try.
    Verify(String),
    /// Anything else (object_store already retried transient errors).
    Other(String),
}

fn other(e: impl std::fmt::Display) -> Failure {
    Failure::Other(e.to_string())
}

fn attributes(location: &Location, object: &Object) -> Attributes {
    let mut a = Attributes::new();
    // The folder store keeps no attributes; the server types its files by key.
    if location.is_s3 {
        a.insert(Attribute::ContentType, object.content_type.clone().into());
        a.insert(
            Attribute::CacheControl,
            object.cache.cache_control().to_owned().into(),
        );
    }
    a
}

/// Reads a whole file of the folder, checking its size and sha256 against the object.
async fn read_checked(path: &FsPath, object: &Object) -> Result<Bytes, Failure> {
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|e| Failure::Other(format!("`{}`: {e}", path.display())))?;
    let sha = pypackaging::hash::sha256(&bytes);
    if bytes.len() as u64 != object.size || sha != object.sha256 {
        return Err(Failure::Other(format!(
            "`{}` is not what the index states ({} bytes, {sha}; the index says {} bytes, {}): \
             it changed since the build, run build_index again",
            path.display(),
            bytes.len(),
            object.size,
            object.sha256
        )));
    }
    Ok(Bytes::from(bytes))
}

/// Puts the object and verifies it: `(e_tag, read back, copied)`.
async fn put_verified(
    location: &Location,
    object: &Object,
    source: &Source,
) -> Result<(Option<String>, bool, bool), Failure> {
    let path = location.path(&object.key);
    let store = &location.store;
    let (md5, copied) = match (&object.body, source) {
        (Body::Bytes(b), _) => {
            let md5 = hex_md5(b);
            let opts = PutOptions {
                attributes: attributes(location, object),
                ..PutOptions::default()
            };
            store
                .put_opts(&path, PutPayload::from(Bytes::from(b.clone())), opts)
                .await
                .map_err(other)?;
            (Some(md5), false)
        }
        (Body::File(name), Source::Folder(root)) => {
            let file = root.join(name);
            if object.size <= SINGLE_PUT {
                let bytes = read_checked(&file, object).await?;
                let md5 = hex_md5(&bytes);
                let opts = PutOptions {
                    attributes: attributes(location, object),
                    ..PutOptions::default()
                };
                store
                    .put_opts(&path, PutPayload::from(bytes), opts)
                    .await
                    .map_err(other)?;
                (Some(md5), false)
            } else {
                put_multipart(location, object, &file).await?;
                (None, false)
            }
        }
        (Body::File(name), Source::Copy(from)) => {
            store
                .copy(&from.path(name), &path)
                .await
                .map_err(|e| other(format!("copying from {from}{name}: {e}")))?;
            (None, true)
        }
    };
    let meta = store.head(&path).await.map_err(other)?;
    if meta.size != object.size {
        return Err(Failure::Verify(format!(
            "the store holds {} bytes, {} were put",
            meta.size, object.size
        )));
    }
    let plain_md5 = meta
        .e_tag
        .as_deref()
        .map(|e| e.trim_matches('"').to_ascii_lowercase())
        .filter(|e| e.len() == 32 && e.bytes().all(|b| b.is_ascii_hexdigit()));
    if let (Some(expected), Some(got)) = (&md5, &plain_md5)
        && location.is_s3
    {
        if expected != got {
            return Err(Failure::Verify(format!(
                "the store's ETag {got} is not the MD5 {expected} of the bytes put"
            )));
        }
        return Ok((meta.e_tag, false, copied));
    }
    // Read back.
    let got = store.get(&path).await.map_err(other)?;
    let mut hasher = pypackaging::Hasher::sha256();
    let mut size = 0u64;
    let mut chunks = got.into_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(other)?;
        size += chunk.len() as u64;
        hasher.update(&chunk);
    }
    let sha: Digest = hasher.finish().as_slice()[0];
    if size != object.size || sha != object.sha256 {
        return Err(Failure::Verify(format!(
            "read back, the store holds {size} bytes with {sha}; {} bytes with {} were put",
            object.size, object.sha256
        )));
    }
    Ok((meta.e_tag, true, copied))
}

async fn put_multipart(location: &Location, object: &Object, file: &FsPath) -> Result<(), Failure> {
    let path = location.path(&object.key);
    let upload = location
        .store
        .put_multipart_opts(
            &path,
            PutMultipartOptions {
                attributes: attributes(location, object),
                ..PutMultipartOptions::default()
            },
        )
        .await
        .map_err(other)?;
    let mut writer = WriteMultipart::new_with_chunk_size(upload, PART);
    let mut f = tokio::fs::File::open(file)
        .await
        .map_err(|e| Failure::Other(format!("`{}`: {e}", file.display())))?;
    let mut hasher = pypackaging::Hasher::sha256();
    let mut size = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match f.read(&mut buf).await {
            Ok(n) => n,
            Err(e) => {
                let _ = writer.abort().await;
                return Err(Failure::Other(format!("`{}`: {e}", file.display())));
            }
        };
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
        writer.wait_for_capacity(4).await.map_err(other)?;
        writer.write(&buf[..n]);
    }
    let sha: Digest = hasher.finish().as_slice()[0];
    if size != object.size || sha != object.sha256 {
        let _ = writer.abort().await;
        return Err(Failure::Other(format!(
            "`{}` changed since the build (now {size} bytes, {sha}); run build_index again",
            file.display()
        )));
    }
    writer.finish().await.map_err(other)?;
    Ok(())
}

fn hex_md5(bytes: &[u8]) -> String {
    let sum = md5::Md5::digest(bytes);
    sum.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a folder built by `build_index` as the objects to publish: its manifest
/// (`OUT/.pypackaging/manifest.json`) lists every key it wrote with size and sha256.
///
/// # Errors
///
/// No manifest (not a folder build_index wrote), or a key recorded as under way (the last
/// build was cut: build again first).
pub fn built_folder(out: &FsPath) -> Result<Vec<Object>, String> {
    #[derive(serde::Deserialize)]
    struct Local {
        objects: BTreeMap<String, LocalEntry>,
    }
    #[derive(serde::Deserialize)]
    struct LocalEntry {
        size: u64,
        sha256: Option<Digest>,
    }
    let path = out.join(".pypackaging").join("manifest.json");
    let text = std::fs::read(&path).map_err(|e| {
        format!(
            "`{}`: {e} (is `{}` a folder build_index wrote?)",
            path.display(),
            out.display()
        )
    })?;
    let local: Local =
        serde_json::from_slice(&text).map_err(|e| format!("`{}`: {e}", path.display()))?;
    let mut objects = Vec::with_capacity(local.objects.len());
    for (key, entry) in local.objects {
        if key.starts_with(manifest::PRIVATE) {
            continue;
        }
        let Some(sha256) = entry.sha256 else {
            return Err(format!(
                "`{}`: `{key}` is recorded as being written (a build was cut): run build_index again",
                out.display()
            ));
        };
        if key
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
        {
            return Err(format!(
                "`{}`: the key `{key}` is not a plain path",
                path.display()
            ));
        }
        objects.push(Object::new(
            key.clone(),
            entry.size,
            sha256,
            Body::File(key),
        ));
    }
    if !objects.iter().any(|o| o.key == "simple/index.html") {
        return Err(format!(
            "`{}` has no simple/index.html: not an index",
            out.display()
        ));
    }
    Ok(objects)
}

/// A shared progress bar (hidden when stderr is not a terminal).
pub fn bar() -> Arc<ProgressBar> {
    Arc::new(ProgressBar::new(0))
}
