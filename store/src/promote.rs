//! Promoting one release from a stage to another of the same store (`dev` → `prod`): its
//! files and `.metadata` are copied server-side, and the target stage's pages are rendered
//! again from what they list plus the release, so only the pages the release changes are put
//! (its project's pages, the root when the project is new there, `requirements.txt`).
//!
//! The pages are the record of a stage: the index rendered again is what the target's root
//! page lists, each project's files as its JSON page lists them, the `.metadata` bytes read
//! back from the target. It is rendered with the default `BuildOptions` (relative links, pins
//! over every Python), as `publish push` of a folder built with the defaults.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::{StreamExt, TryStreamExt, stream};
use object_store::ObjectStoreExt;
use pypackaging::PackageName;
use pypackaging::index::publish::{Body, Object, ObjectKind, Plan, plan};
use pypackaging::index::{BuildOptions, DistFile, build};
use pypackaging::simple::json;
use pypackaging::version::Version;

use crate::Location;
use crate::manifest::{self, Holding};

const PAGE_BASE: &str = "https://index.invalid/simple/";

/// What a promotion would do, or did.
#[derive(Debug)]
pub struct Promotion {
    /// The release's files, by filename.
    pub files: Vec<String>,
    /// The files that were already in the target with the same sha256.
    pub already: Vec<String>,
    /// The target's plan.
    pub plan: Plan,
    /// The whole target index after the promotion.
    pub desired: Vec<Object>,
    /// What the target held.
    pub holding: Holding,
}

async fn get_text(location: &Location, key: &str) -> Result<Option<String>, String> {
    match location.store.get(&location.path(key)).await {
        Ok(got) => {
            let bytes = got
                .bytes()
                .await
                .map_err(|e| format!("{location}{key}: {e}"))?;
            String::from_utf8(bytes.to_vec())
                .map(Some)
                .map_err(|_| format!("{location}{key}: not UTF-8"))
        }
        Err(object_store::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(format!("{location}{key}: {e}")),
    }
}

async fn get_bytes(location: &Location, key: &str) -> Result<Vec<u8>, String> {
    let got = location
        .store
        .get(&location.path(key))
        .await
        .map_err(|e| format!("{location}{key}: {e}"))?;
    Ok(got
        .bytes()
        .await
        .map_err(|e| format!("{location}{key}: {e}"))?
        .to_vec())
}

/// The files a stage's project page lists (none when it has no page).
async fn page_files(location: &Location, project: &str) -> Result<Vec<DistFile>, String> {
    let key = format!("simple/{project}/index.json");
    let Some(text) = get_text(location, &key).await? else {
        return Ok(Vec::new());
    };
    let page = json::parse_project_page(&text, &format!("{PAGE_BASE}{project}/"))
        .map_err(|e| format!("{location}{key}: {e}"))?
        .value;
    page.files
        .iter()
        .map(|f| DistFile::from_listed(f).map_err(|e| format!("{location}{key}: {e}")))
        .collect()
}

/// The projects a stage's root page lists.
async fn projects(location: &Location) -> Result<Vec<String>, String> {
    let key = "simple/index.json";
    let Some(text) = get_text(location, key).await? else {
        return Ok(Vec::new());
    };
    let list = json::parse_project_list(&text)
        .map_err(|e| format!("{location}{key}: {e}"))?
        .value;
    Ok(list
        .projects
        .iter()
        .map(|p| pypackaging::name::normalize(&p.name).into_owned())
        .collect())
}

/// Plans the promotion of `name` `version` from `from` to `to` (nothing written).
///
/// # Errors
///
/// The release is not on the source stage, a file of it is on the target with other bytes,
/// a page does not parse, or the store fails.
pub async fn prepare(
    from: &Location,
    to: &Location,
    name: &PackageName,
    version: &Version,
    jobs: usize,
    settle: std::time::Duration,
) -> Result<Promotion, String> {
    let project = name.as_str().to_owned();
    let release: Vec<DistFile> = page_files(from, &project)
        .await?
        .into_iter()
        .filter(|f| f.version() == version)
        .collect();
    if release.is_empty() {
        return Err(format!("{from}: {project} {version} has no files there"));
    }
    let holding = manifest::holding(to, settle).await?;
    let mut listed = projects(to).await?;
    if !listed.contains(&project) {
        listed.push(project.clone());
    }
    let pages: Vec<Vec<DistFile>> = stream::iter(listed.iter().map(|p| page_files(to, p)))
        .buffered(jobs.max(1))
        .try_collect()
        .await?;
    let mut files: Vec<DistFile> = pages.into_iter().flatten().collect();
    let mut already = Vec::new();
    let mut new = BTreeSet::new();
    for f in &release {
        match files.iter().find(|g| g.filename == f.filename) {
            Some(g) if g.sha256() == f.sha256() => already.push(f.filename.clone()),
            Some(g) => {
                return Err(format!(
                    "{to}: `{}` is there with other bytes ({}; {from} has {}): a filename is \
                     published once",
                    f.filename,
                    g.sha256().map(ToString::to_string).unwrap_or_default(),
                    f.sha256().map(ToString::to_string).unwrap_or_default()
                ));
            }
            None => {
                new.insert(f.filename.clone());
                files.push(f.clone());
            }
        }
    }
    // The `.metadata` bytes of every file: the release's from the source, the rest from the
    // target (Index::objects renders the sidecars from them).
    let wanted: Vec<(String, String, bool)> = files
        .iter()
        .filter(|f| f.metadata_digests.is_some())
        .map(|f| {
            let key = format!("simple/{}/{}.metadata", f.project(), f.filename);
            (f.filename.clone(), key, new.contains(&f.filename))
        })
        .collect();
    let metadata: BTreeMap<String, Vec<u8>> = stream::iter(wanted.into_iter().map(
        |(filename, key, from_source)| async move {
            let at = if from_source { from } else { to };
            get_bytes(at, &key).await.map(|b| (filename, b))
        },
    ))
    .buffer_unordered(jobs.max(1))
    .try_collect()
    .await?;
    let index = build(files, &BuildOptions::default()).map_err(|e| e.to_string())?;
    let mut desired = index
        .objects(|f| metadata.get(f).map(Vec::as_slice))
        .map_err(|e| e.to_string())?;
    for o in &mut desired {
        if matches!(o.body, Body::File(_)) {
            // The same key on the source stage.
            o.body = Body::File(o.key.clone());
        }
    }
    // Keys of ours outside the layout (a find-links page) stay as they are.
    for stored in &holding.ours {
        if ObjectKind::of_key(&stored.key) == ObjectKind::Other
            && !desired.iter().any(|o| o.key == stored.key)
        {
            desired.push(Object::new(
                stored.key.clone(),
                stored.size,
                stored.sha256,
                Body::File(stored.key.clone()),
            ));
        }
    }
    let foreign = crate::publish::conflicts(&holding, &desired);
    if let Some(first) = foreign.first() {
        return Err(format!(
            "{to} holds {} key(s) this tool did not write, which the promotion would replace \
             (first: {first}); nothing was written",
            foreign.len()
        ));
    }
    let plan = plan(&holding.ours, &desired);
    // A file put by the plan that is not the release's is not on the source: refuse, since
    // it would be copied from there.
    for step in &plan.steps {
        if let pypackaging::index::publish::Step::Put(o) = step
            && o.kind() == ObjectKind::File
            && !new.iter().any(|f| o.key.ends_with(&format!("/{f}")))
        {
            return Err(format!(
                "{to}{}: listed by its page, and not stored as the page states; publish the stage again",
                o.key
            ));
        }
    }
    Ok(Promotion {
        files: release.iter().map(|f| f.filename.clone()).collect(),
        already,
        plan,
        desired,
        holding,
    })
}
