//! `.pypackaging/manifest.json` under a location: every key the publisher wrote there, with
//! the size, sha256 and ETag it verified, so that a later run knows what it may replace or
//! delete (nothing else: a key it did not write is never touched) and what it need not put
//! again.
//!
//! The manifest is a journal: before the first put of a run, every key the run may write is
//! recorded with no sha256 ("may be under way"); at the end it is exactly what the run
//! published. A killed run leaves keys recorded as under way, which the next run verifies
//! again (puts them again, or deletes them when the index no longer has them).

use std::collections::{BTreeMap, BTreeSet};

use futures_util::TryStreamExt;
use object_store::{ObjectMeta, ObjectStoreExt, PutPayload};
use pypackaging::Digest;
use pypackaging::index::publish::StoredObject;
use serde::{Deserialize, Serialize};

use crate::Location;

/// The manifest's key under the location.
pub const KEY: &str = ".pypackaging/manifest.json";
/// The private prefix: never part of an index, never served.
pub const PRIVATE: &str = ".pypackaging/";

/// One key the publisher wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Its size.
    pub size: u64,
    /// Its sha256, verified after the put; `None` while a put may be under way.
    pub sha256: Option<Digest>,
    /// For a put that may be under way: when it was journaled (seconds since the Unix epoch).
    /// A killed run's request can still land after the next run lists the store, so the key
    /// stays ours, listed or not, until [`PENDING_FOR`] has passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_since: Option<u64>,
    /// The store's ETag of the verified object: a listing with another ETag means the
    /// object was replaced since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e_tag: Option<String>,
}

/// The manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The format, 1.
    pub version: u32,
    /// Set by the journal, cleared by the last write of a run: a run that finds it set knows
    /// the previous one was cut, and lets its last requests settle before listing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unfinished: bool,
    /// Every key written, relative to the location.
    pub objects: BTreeMap<String, Entry>,
}

/// What a location holds, read from its listing and manifest.
#[derive(Debug, Clone, Default)]
pub struct Holding {
    /// The manifest (empty for a location never published to).
    pub manifest: Manifest,
    /// Our keys that are there, with what the manifest verified; a key under way or
    /// replaced since gets a digest of zeros, so a plan puts it again (or deletes it).
    pub ours: Vec<StoredObject>,
    /// Keys there that we did not write (never replaced, never deleted).
    pub foreign: BTreeSet<String>,
    /// The listing, by key.
    pub listed: BTreeMap<String, ObjectMeta>,
}

/// How long a journaled put that never showed in a listing stays ours.
pub const PENDING_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn unknown() -> Digest {
    Digest::from_bytes(pypackaging::HashAlgorithm::Sha256, &[0; 32]).expect("32 bytes")
}

/// Reads the manifest (absent: empty).
pub async fn read(location: &Location) -> Result<Manifest, String> {
    match location.store.get(&location.path(KEY)).await {
        Ok(got) => {
            let bytes = got
                .bytes()
                .await
                .map_err(|e| format!("{location}{KEY}: {e}"))?;
            serde_json::from_slice(&bytes).map_err(|e| format!("{location}{KEY}: {e}"))
        }
        Err(object_store::Error::NotFound { .. }) => Ok(Manifest::default()),
        Err(e) => Err(format!("{location}{KEY}: {e}")),
    }
}

/// Writes the manifest (one put: readers see the old or the new one).
pub async fn write(location: &Location, manifest: &Manifest) -> Result<(), String> {
    let bytes = serde_json::to_vec_pretty(manifest).map_err(|e| e.to_string())?;
    location
        .store
        .put(&location.path(KEY), PutPayload::from(bytes))
        .await
        .map(|_| ())
        .map_err(|e| format!("{location}{KEY}: {e}"))
}

/// Every object under the location, by key (the private prefix left out).
pub async fn list(location: &Location) -> Result<BTreeMap<String, ObjectMeta>, String> {
    let listed: Vec<ObjectMeta> = location
        .store
        .list(Some(&location.prefix))
        .try_collect()
        .await
        .map_err(|e| format!("listing {location}: {e}"))?;
    Ok(listed
        .into_iter()
        .filter_map(|meta| {
            let key = location.key(&meta.location)?;
            (!key.starts_with(PRIVATE)).then_some((key, meta))
        })
        .collect())
}

/// What the location holds: the listing, split into ours (as the manifest verified them)
/// and foreign keys. When the manifest says the last run was cut, the requests it had sent
/// are given `settle` to land before the store is listed (a killed client's put or delete
/// can still be carried out after it died).
pub async fn holding(location: &Location, settle: std::time::Duration) -> Result<Holding, String> {
    let mut manifest = read(location).await?;
    if manifest.unfinished && !settle.is_zero() {
        tracing::warn!(
            "{location}: the last publish was cut; waiting {settle:?} for its requests to settle"
        );
        tokio::time::sleep(settle).await;
        manifest = read(location).await?;
    }
    let listed = list(location).await?;
    let mut ours = Vec::new();
    let mut foreign = BTreeSet::new();
    for (key, meta) in &listed {
        match manifest.objects.get(key) {
            Some(entry) => {
                let verified =
                    entry.size == meta.size && entry.e_tag.is_some() && entry.e_tag == meta.e_tag;
                ours.push(StoredObject {
                    key: key.clone(),
                    size: meta.size,
                    sha256: match entry.sha256 {
                        Some(sha) if verified => sha,
                        _ => unknown(),
                    },
                });
            }
            None => {
                foreign.insert(key.clone());
            }
        }
    }
    Ok(Holding {
        manifest,
        ours,
        foreign,
        listed,
    })
}
