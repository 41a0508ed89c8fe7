//! Publishing to a store: minimal plans, keys of others untouched, and a run cut at every
//! point never leaves a page that links to a missing object (the next run completes it).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path as FsPath;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{
    CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore,
    ObjectStoreExt, PutMultipartOptions, PutOptions, PutPayload, PutResult,
};
use pypackaging::index::publish::{Body, plan};
use pypackaging::index::{BuildOptions, DistFile, build};
use pypackaging::simple::json;
use pypackaging_store::publish::{self, Source};
use pypackaging_store::{Location, manifest};

/// A store that fails every write after the first `budget` writes (puts, copies, deletes):
/// a publisher killed at that point, as far as the store can tell.
#[derive(Debug)]
struct Cut {
    inner: Arc<InMemory>,
    budget: AtomicUsize,
    writes: AtomicUsize,
}

impl fmt::Display for Cut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cut")
    }
}

impl Cut {
    /// Each write takes its own time (0-3 ms, from a fixed sequence), so parallel puts finish
    /// out of order, as on a real store.
    async fn lag(&self) {
        let n = self.writes.fetch_add(1, Ordering::SeqCst) as u64;
        let ms = n.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17) % 4;
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }

    fn spend(&self) -> object_store::Result<()> {
        self.budget
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |b| b.checked_sub(1))
            .map(|_| ())
            .map_err(|_| object_store::Error::Generic {
                store: "Cut",
                source: "the publisher was cut here".into(),
            })
    }
}

#[async_trait]
impl ObjectStore for Cut {
    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> object_store::Result<PutResult> {
        self.lag().await;
        self.spend()?;
        self.inner.put_opts(location, payload, opts).await
    }
    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> object_store::Result<Box<dyn MultipartUpload>> {
        self.spend()?;
        self.inner.put_multipart_opts(location, opts).await
    }
    async fn get_opts(
        &self,
        location: &Path,
        options: GetOptions,
    ) -> object_store::Result<GetResult> {
        self.inner.get_opts(location, options).await
    }
    fn delete_stream(
        &self,
        locations: BoxStream<'static, object_store::Result<Path>>,
    ) -> BoxStream<'static, object_store::Result<Path>> {
        let allowed = self.spend().is_ok();
        if allowed {
            self.inner.delete_stream(locations)
        } else {
            futures_util::stream::once(async {
                Err(object_store::Error::Generic {
                    store: "Cut",
                    source: "the publisher was cut here".into(),
                })
            })
            .boxed()
        }
    }
    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        self.inner.list(prefix)
    }
    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> object_store::Result<ListResult> {
        self.inner.list_with_delimiter(prefix).await
    }
    async fn copy_opts(
        &self,
        from: &Path,
        to: &Path,
        options: CopyOptions,
    ) -> object_store::Result<()> {
        self.lag().await;
        self.spend()?;
        self.inner.copy_opts(from, to, options).await
    }
}

fn location(store: Arc<dyn ObjectStore>) -> Location {
    let base = Path::from("idx");
    Location {
        store,
        prefix: base.clone().join("prod"),
        base,
        origin: "mem://test".into(),
        is_s3: false,
        signer: None,
    }
}

/// A folder as build_index leaves it: the objects of an index over `files` (name, bytes) and
/// its manifest.
fn built(dir: &FsPath, files: &[(&str, &[u8])]) {
    let mut dist = Vec::new();
    let mut meta = BTreeMap::new();
    for (name, bytes) in files {
        let sha = pypackaging::hash::sha256(bytes);
        let mut f = DistFile::new(name, vec![sha], bytes.len() as u64).unwrap();
        if name.ends_with(".whl") {
            let m = format!("Metadata-Version: 2.1\nName: x\nVersion: 1\n\n{name}\n").into_bytes();
            f = f.with_metadata(&m);
            meta.insert(name.to_string(), m);
        }
        dist.push(f);
    }
    let index = build(dist, &BuildOptions::default()).unwrap();
    let objects = index.objects(|f| meta.get(f).map(Vec::as_slice)).unwrap();
    let mut entries = serde_json::Map::new();
    for o in &objects {
        let path = dir.join(&o.key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let bytes: Vec<u8> = match &o.body {
            Body::Bytes(b) => b.clone(),
            Body::File(name) => files.iter().find(|(n, _)| n == name).unwrap().1.to_vec(),
        };
        std::fs::write(&path, bytes).unwrap();
        entries.insert(
            o.key.clone(),
            serde_json::json!({"size": o.size, "sha256": o.sha256}),
        );
    }
    std::fs::create_dir_all(dir.join(".pypackaging")).unwrap();
    std::fs::write(
        dir.join(".pypackaging/manifest.json"),
        serde_json::to_vec(&serde_json::json!({"version": 1, "objects": entries, "sources": {}}))
            .unwrap(),
    )
    .unwrap();
}

const V1: &[(&str, &[u8])] = &[
    ("demo-1.0-py3-none-any.whl", b"wheel one"),
    ("demo-1.0.tar.gz", b"sdist one"),
    ("old-2.0-py3-none-any.whl", b"old wheel"),
];
const V2: &[(&str, &[u8])] = &[
    ("demo-1.0-py3-none-any.whl", b"wheel one"),
    ("demo-1.0.tar.gz", b"sdist one"),
    ("demo-1.1-py3-none-any.whl", b"wheel two"),
    ("new-0.1.tar.gz", b"new sdist"),
];

async fn push(loc: &Location, dir: &FsPath, jobs: usize) -> Result<publish::Summary, String> {
    let desired = publish::built_folder(dir)?;
    let holding = manifest::holding(loc, std::time::Duration::ZERO).await?;
    let conflicts = publish::conflicts(&holding, &desired);
    if !conflicts.is_empty() {
        return Err(format!("conflict {conflicts:?}"));
    }
    let p = plan(&holding.ours, &desired);
    let bar = indicatif::ProgressBar::hidden();
    publish::apply(
        loc,
        &holding,
        &p,
        &desired,
        &Source::Folder(dir.to_owned()),
        jobs,
        &bar,
    )
    .await
}

/// Keys present under the location (the private prefix left out).
async fn keys(loc: &Location) -> BTreeSet<String> {
    manifest::list(loc).await.unwrap().into_keys().collect()
}

/// Every page present links only to files present; the root lists only projects whose
/// pages are present.
async fn consistent(loc: &Location) -> Result<(), String> {
    let present = keys(loc).await;
    let text = |key: String| {
        let loc = loc.clone();
        async move {
            let got = loc.store.get(&loc.path(&key)).await.unwrap();
            String::from_utf8(got.bytes().await.unwrap().to_vec()).unwrap()
        }
    };
    if present.contains("simple/index.json") {
        let list = json::parse_project_list(&text("simple/index.json".into()).await)
            .unwrap()
            .value;
        for p in &list.projects {
            let name = pypackaging::name::normalize(&p.name);
            for page in ["index.json", "index.html"] {
                let key = format!("simple/{name}/{page}");
                if !present.contains(&key) {
                    return Err(format!("the root lists {name}, and {key} is missing"));
                }
            }
        }
    }
    for key in present
        .iter()
        .filter(|k| k.ends_with("/index.json") && *k != "simple/index.json")
    {
        let project = key.split('/').nth(1).unwrap();
        let page = json::parse_project_page(
            &text(key.clone()).await,
            &format!("https://x.invalid/simple/{project}/"),
        )
        .unwrap()
        .value;
        for f in &page.files {
            let file = format!("simple/{project}/{}", f.filename);
            if !present.contains(&file) {
                return Err(format!("{key} links {file}, which is missing"));
            }
            if matches!(
                f.core_metadata,
                pypackaging::simple::CoreMetadata::Available(_)
            ) && !present.contains(&format!("{file}.metadata"))
            {
                return Err(format!("{key} links {file}.metadata, which is missing"));
            }
        }
    }
    Ok(())
}

#[tokio::test]
async fn unchanged_puts_nothing_and_one_new_wheel_puts_its_objects() {
    let tmp = tempfile::tempdir().unwrap();
    let (d1, d2) = (tmp.path().join("v1"), tmp.path().join("v2"));
    built(&d1, V1);
    let mut one_more: Vec<(&str, &[u8])> = V1.to_vec();
    one_more.push(("demo-1.2-py3-none-any.whl", b"wheel three"));
    built(&d2, &one_more);
    let loc = location(Arc::new(InMemory::new()));
    let first = push(&loc, &d1, 4).await.unwrap();
    assert_eq!(first.puts, 12, "{first}");
    assert_eq!(push(&loc, &d1, 4).await.unwrap().puts, 0);
    let second = push(&loc, &d2, 4).await.unwrap();
    // The wheel, its .metadata, its project's two pages, requirements.txt (the root pages
    // do not change: no new project).
    assert_eq!((second.puts, second.deletes), (5, 0), "{second}");
    assert_eq!(push(&loc, &d2, 4).await.unwrap().puts, 0);
    consistent(&loc).await.unwrap();
}

#[tokio::test]
async fn keys_of_others_are_never_replaced_or_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    built(tmp.path(), V1);
    let mem = Arc::new(InMemory::new());
    let loc = location(mem.clone());
    mem.put(&loc.path("notes.txt"), PutPayload::from_static(b"mine"))
        .await
        .unwrap();
    push(&loc, tmp.path(), 2).await.unwrap();
    assert!(keys(&loc).await.contains("notes.txt"));
    // A foreign object where the index wants a key: refused before anything is written.
    let other = location(Arc::new(InMemory::new()));
    other
        .store
        .put(
            &other.path("simple/index.html"),
            PutPayload::from_static(b"theirs"),
        )
        .await
        .unwrap();
    let err = push(&other, tmp.path(), 2).await.unwrap_err();
    assert!(err.contains("simple/index.html"), "{err}");
    assert_eq!(keys(&other).await.len(), 1);
}

#[tokio::test]
async fn a_changed_file_in_the_built_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    built(tmp.path(), V1);
    std::fs::write(tmp.path().join("simple/demo/demo-1.0.tar.gz"), b"sdist 0ne").unwrap();
    let loc = location(Arc::new(InMemory::new()));
    let err = push(&loc, tmp.path(), 1).await.unwrap_err();
    assert!(err.contains("changed since the build"), "{err}");
    // Refused while putting files: no page was written.
    assert!(!keys(&loc).await.iter().any(|k| k.ends_with(".html")));
}

#[tokio::test]
async fn a_run_cut_at_every_point_leaves_a_consistent_store_and_the_next_run_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let (d1, d2) = (tmp.path().join("v1"), tmp.path().join("v2"));
    built(&d1, V1);
    built(&d2, V2);
    let want = {
        let loc = location(Arc::new(InMemory::new()));
        push(&loc, &d2, 1).await.unwrap();
        keys(&loc).await
    };
    for budget in 0.. {
        let mem = Arc::new(InMemory::new());
        push(&location(mem.clone()), &d1, 3).await.unwrap();
        let cut = Arc::new(Cut {
            inner: mem.clone(),
            budget: AtomicUsize::new(budget),
            writes: AtomicUsize::new(0),
        });
        let result = push(&location(cut), &d2, 8).await;
        let loc = location(mem);
        consistent(&loc)
            .await
            .map_err(|e| format!("cut after {budget} writes: {e}"))
            .unwrap();
        if result.is_ok() {
            // Every write of the run was a cut point once.
            assert!(budget > 10, "only {budget} cut points");
            break;
        }
        push(&loc, &d2, 3).await.unwrap();
        assert_eq!(keys(&loc).await, want, "after a cut at {budget}");
        assert_eq!(push(&loc, &d2, 3).await.unwrap().puts, 0);
    }
}

#[tokio::test]
async fn promote_copies_a_release_and_renders_the_affected_pages() {
    let tmp = tempfile::tempdir().unwrap();
    built(tmp.path(), V2);
    let mem: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
    let base = location(mem);
    let dev = base.at_stage(Some("dev"));
    let prod = base.at_stage(Some("prod"));
    push(&dev, tmp.path(), 2).await.unwrap();
    let name = "demo".parse().unwrap();
    let version = "1.1".parse().unwrap();
    let p = pypackaging_store::promote::prepare(
        &dev,
        &prod,
        &name,
        &version,
        2,
        std::time::Duration::ZERO,
    )
    .await
    .unwrap();
    assert_eq!(p.files, ["demo-1.1-py3-none-any.whl"]);
    let bar = indicatif::ProgressBar::hidden();
    let s = publish::apply(
        &prod,
        &p.holding,
        &p.plan,
        &p.desired,
        &Source::Copy(dev.clone()),
        2,
        &bar,
    )
    .await
    .unwrap();
    // The wheel (copied), its .metadata, demo's two pages, the root pages (demo is new
    // there), requirements.txt.
    assert_eq!((s.puts, s.copies), (7, 1), "{s}");
    let prod_keys = keys(&prod).await;
    assert!(prod_keys.contains("simple/demo/demo-1.1-py3-none-any.whl"));
    assert!(!prod_keys.contains("simple/demo/demo-1.0.tar.gz"));
    assert!(!prod_keys.contains("simple/new/index.html"));
    consistent(&prod).await.unwrap();
    let again = pypackaging_store::promote::prepare(
        &dev,
        &prod,
        &name,
        &version,
        2,
        std::time::Duration::ZERO,
    )
    .await
    .unwrap();
    assert!(again.plan.is_empty());
    let missing = pypackaging_store::promote::prepare(
        &dev,
        &prod,
        &name,
        &"9".parse().unwrap(),
        2,
        std::time::Duration::ZERO,
    )
    .await
    .unwrap_err();
    assert!(missing.contains("has no files"), "{missing}");
    // A key of someone else's where the promotion would write: refused, nothing written.
    let test = base.at_stage(Some("test"));
    test.store
        .put(
            &test.path("simple/index.html"),
            PutPayload::from_static(b"theirs"),
        )
        .await
        .unwrap();
    let err = pypackaging_store::promote::prepare(
        &dev,
        &test,
        &name,
        &version,
        2,
        std::time::Duration::ZERO,
    )
    .await
    .unwrap_err();
    assert!(err.contains("did not write"), "{err}");
}

#[tokio::test]
async fn a_file_past_the_single_put_size_streams_in_parts_and_is_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let big: Vec<u8> = (0..publish::SINGLE_PUT + 3 * 1024 * 1024 + 7)
        .map(|i| (i % 251) as u8)
        .collect();
    let files: [(&str, &[u8]); 1] = [("big-1.0-py3-none-any.whl", &big)];
    built(tmp.path(), &files);
    let loc = location(Arc::new(InMemory::new()));
    let s = push(&loc, tmp.path(), 2).await.unwrap();
    assert_eq!(s.puts, 7, "{s}");
    assert_eq!(
        s.read_back, 7,
        "a folder-like store gives no MD5 ETag: every object read back"
    );
    let got = loc
        .store
        .get(&loc.path("simple/big/big-1.0-py3-none-any.whl"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(got.len(), big.len());
    assert!(got == big.as_slice());
    assert_eq!(push(&loc, tmp.path(), 2).await.unwrap().puts, 0);
}

/// A put a killed run had sent can land after the next run listed the store: the key stays
/// the publisher's (journaled as under way), so a later run deletes it instead of refusing
/// it as someone else's.
#[tokio::test]
async fn a_put_landing_after_the_next_run_stays_ours() {
    let tmp = tempfile::tempdir().unwrap();
    let (d1, d2) = (tmp.path().join("v1"), tmp.path().join("v2"));
    built(&d1, V1);
    built(&d2, V2);
    let mem = Arc::new(InMemory::new());
    let loc = location(mem.clone());
    push(&loc, &d1, 2).await.unwrap();
    let want = keys(&loc).await;
    // A run towards V2 cut after its journal and one put.
    let cut = Arc::new(Cut {
        inner: mem.clone(),
        budget: AtomicUsize::new(2),
        writes: AtomicUsize::new(0),
    });
    assert!(push(&location(cut), &d2, 1).await.is_err());
    assert!(manifest::read(&loc).await.unwrap().unfinished);
    // The next run goes back to V1 before the cut run's last put lands.
    push(&loc, &d1, 2).await.unwrap();
    assert!(!manifest::read(&loc).await.unwrap().unfinished);
    let late = "simple/new/new-0.1.tar.gz";
    assert!(!keys(&loc).await.contains(late));
    mem.put(&loc.path(late), PutPayload::from_static(b"new sdist"))
        .await
        .unwrap();
    // Ours, not foreign: deleted by the next run.
    push(&loc, &d1, 2).await.unwrap();
    assert_eq!(keys(&loc).await, want);
    consistent(&loc).await.unwrap();
}

/// A delete a killed run had sent can land after the next run listed the store: before that
/// run writes what links to it (or ends), it checks again and puts the object back.
#[tokio::test]
async fn a_delete_landing_after_the_next_run_listed_is_put_back() {
    let tmp = tempfile::tempdir().unwrap();
    let (d1, d2) = (tmp.path().join("v1"), tmp.path().join("v2"));
    built(&d1, V1);
    built(&d2, V2);
    let mem = Arc::new(InMemory::new());
    let loc = location(mem.clone());
    push(&loc, &d2, 2).await.unwrap();
    let want = keys(&loc).await;
    // A run towards V1 cut right after its journal.
    let cut = Arc::new(Cut {
        inner: mem.clone(),
        budget: AtomicUsize::new(1),
        writes: AtomicUsize::new(0),
    });
    assert!(push(&location(cut), &d1, 1).await.is_err());
    // The next run lists the store; then the cut run's delete of a file lands.
    let desired = publish::built_folder(&d2).unwrap();
    let holding = manifest::holding(&loc, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert!(holding.manifest.unfinished);
    let file = "simple/new/new-0.1.tar.gz";
    mem.delete(&loc.path(file)).await.unwrap();
    let p = plan(&holding.ours, &desired);
    // The keys the cut run had journaled are put again; the file is not (it was listed).
    assert!(!p.steps.iter().any(|s| s.key() == file), "{p}");
    let bar = indicatif::ProgressBar::hidden();
    let s = publish::apply(
        &loc,
        &holding,
        &p,
        &desired,
        &Source::Folder(d2.clone()),
        2,
        &bar,
    )
    .await
    .unwrap();
    assert_eq!((s.puts, s.repaired), (p.puts() + 1, 1), "{s}");
    assert_eq!(keys(&loc).await, want);
    consistent(&loc).await.unwrap();
}
