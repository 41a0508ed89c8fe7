//! The publish plan over random pairs of indexes, applied step by step to a store modelled as
//! a map: after every step each page present links only to files and `.metadata` present,
//! and the root lists only projects whose pages are present; at the end the store is exactly
//! the new index, and a second plan is empty.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use pypackaging::index::publish::{Body, Object, Step, StoredObject, plan};
use pypackaging::index::{BuildOptions, DistFile, Index, build};
use pypackaging::simple::{CoreMetadata, html, json};
use pypackaging::{Digest, HashAlgorithm, Hasher};

const BASE: &str = "https://x.test/";

fn sha(bytes: &[u8]) -> Digest {
    let mut hasher = Hasher::sha256();
    hasher.update(bytes);
    *hasher.finish().get(HashAlgorithm::Sha256).unwrap()
}

/// The pool every index draws from: three projects, two versions, a wheel and an sdist each.
fn pool() -> Vec<String> {
    let mut names = Vec::new();
    for project in ["alpha", "beta", "gamma"] {
        for version in ["1.0", "2.0"] {
            names.push(format!("{project}-{version}.tar.gz"));
            names.push(format!("{project}-{version}-py3-none-any.whl"));
        }
    }
    names
}

/// One side of a pair: for each pool entry, absent or present with a content variant (the
/// same filename with other bytes is a rebuilt file) and, for wheels, whether its metadata is
/// served.
type Side = Vec<Option<(u8, bool)>>;

struct Built {
    objects: Vec<Object>,
    /// Each file's bytes by filename.
    files: BTreeMap<String, Vec<u8>>,
}

fn build_side(side: &Side, yank_first: bool) -> Built {
    let mut dist = Vec::new();
    let mut files = BTreeMap::new();
    let mut metadata = BTreeMap::new();
    for (name, choice) in pool().into_iter().zip(side) {
        let Some((variant, with_metadata)) = *choice else {
            continue;
        };
        let bytes = format!("{name} variant {variant}").into_bytes();
        let mut file = DistFile::new(&name, vec![sha(&bytes)], bytes.len() as u64).unwrap();
        if with_metadata && name.ends_with(".whl") {
            let project = name.split('-').next().unwrap();
            let text = format!(
                "Metadata-Version: 2.1\nName: {project}\nVersion: 1.0\nSummary: {variant}\n"
            );
            file = file.with_metadata(text.as_bytes());
            metadata.insert(name.clone(), text.into_bytes());
        }
        if yank_first && dist.is_empty() {
            file.yanked = pypackaging::simple::Yanked::with_reason("test");
        }
        files.insert(name, bytes);
        dist.push(file);
    }
    let index: Index = build(dist, &BuildOptions::default()).unwrap();
    let objects = index
        .objects(|f| metadata.get(f).map(Vec::as_slice))
        .unwrap();
    Built { objects, files }
}

/// The model store: key → (size, sha256, bytes).
type Store = BTreeMap<String, (u64, Digest, Vec<u8>)>;

fn put(store: &mut Store, object: &Object, files: &BTreeMap<String, Vec<u8>>) {
    let bytes = match &object.body {
        Body::Bytes(b) => b.clone(),
        Body::File(name) => files[name].clone(),
    };
    assert_eq!(bytes.len() as u64, object.size, "{}", object.key);
    assert_eq!(sha(&bytes), object.sha256, "{}", object.key);
    store.insert(object.key.clone(), (object.size, object.sha256, bytes));
}

fn listing(store: &Store) -> Vec<StoredObject> {
    store
        .iter()
        .map(|(key, (size, sha256, _))| StoredObject {
            key: key.clone(),
            size: *size,
            sha256: *sha256,
        })
        .collect()
}

/// Every violation of (a) and (b) in `store`; `rewritten` are the keys whose bytes differ
/// between the two indexes (the documented window where a page states the old hash).
fn violations(store: &Store, rewritten: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    let text = |key: &str| std::str::from_utf8(&store[key].2).unwrap().to_owned();
    for key in store.keys() {
        let Some(rest) = key.strip_prefix("simple/") else {
            continue;
        };
        let Some((project, page)) = rest.split_once('/') else {
            continue;
        };
        if page != "index.html" && page != "index.json" {
            continue;
        }
        let url = format!("{BASE}simple/{project}/");
        let parsed = if page == "index.json" {
            json::parse_project_page(&text(key), &url).unwrap().value
        } else {
            html::parse_project_page(&text(key), &url).unwrap().value
        };
        for file in &parsed.files {
            let target = file.url.strip_prefix(BASE).unwrap().to_owned();
            match store.get(&target) {
                None => out.push(format!("{key} links {target}, which is missing")),
                Some((_, digest, _)) => {
                    let stated = file.hashes.get(HashAlgorithm::Sha256).unwrap();
                    if stated != digest && !rewritten.contains(&target) {
                        out.push(format!("{key} states another hash for {target}"));
                    }
                }
            }
            if let CoreMetadata::Available(hashes) = &file.core_metadata {
                let sidecar = format!("{target}.metadata");
                match store.get(&sidecar) {
                    None => out.push(format!("{key} links {sidecar}, which is missing")),
                    Some((_, digest, _)) => {
                        let stated = hashes.get(HashAlgorithm::Sha256).unwrap();
                        if stated != digest && !rewritten.contains(&sidecar) {
                            out.push(format!("{key} states another hash for {sidecar}"));
                        }
                    }
                }
            }
        }
    }
    let mut listed = Vec::new();
    if store.contains_key("simple/index.json") {
        let list = json::parse_project_list(&text("simple/index.json")).unwrap();
        listed.extend(list.value.projects.into_iter().map(|p| p.name));
    }
    if store.contains_key("simple/index.html") {
        let url = format!("{BASE}simple/");
        let list = html::parse_project_list(&text("simple/index.html"), &url).unwrap();
        listed.extend(list.value.projects.into_iter().map(|p| p.name));
    }
    for name in listed {
        for page in ["index.html", "index.json"] {
            let key = format!("simple/{name}/{page}");
            if !store.contains_key(&key) {
                out.push(format!("the root lists {name}, and {key} is missing"));
            }
        }
    }
    out
}

fn side() -> impl Strategy<Value = Side> {
    proptest::collection::vec(proptest::option::of((0u8..2, any::<bool>())), pool().len())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_step_leaves_a_readable_store(old in side(), new in side(), yank in any::<bool>()) {
        let old = build_side(&old, false);
        let new = build_side(&new, yank);
        let mut store = Store::new();
        for object in &old.objects {
            put(&mut store, object, &old.files);
        }
        let before: BTreeMap<&str, Digest> =
            old.objects.iter().map(|o| (o.key.as_str(), o.sha256)).collect();
        let rewritten: BTreeSet<String> = new
            .objects
            .iter()
            .filter(|o| before.get(o.key.as_str()).is_some_and(|d| *d != o.sha256))
            .map(|o| o.key.clone())
            .collect();
        prop_assert_eq!(violations(&store, &rewritten), Vec::<String>::new());

        let steps = plan(&listing(&store), &new.objects);
        for step in &steps.steps {
            match step {
                Step::Put(object) => put(&mut store, object, &new.files),
                Step::Delete(key) => {
                    prop_assert!(store.remove(key).is_some(), "deleting {} twice", key);
                }
            }
            let seen = violations(&store, &rewritten);
            prop_assert!(seen.is_empty(), "after {:?}: {:?}", step.key(), seen);
        }

        // (c) exactly the new index.
        let want: Vec<StoredObject> = {
            let mut v: Vec<StoredObject> = new.objects.iter().map(Object::stored).collect();
            v.sort_by(|a, b| a.key.cmp(&b.key));
            v
        };
        prop_assert_eq!(listing(&store), want);
        // (d) nothing more to do.
        prop_assert!(plan(&listing(&store), &new.objects).is_empty());
        // Minimal: every put changes the store and every delete removes a key that was there.
        let puts = steps.puts();
        let changed = new
            .objects
            .iter()
            .filter(|o| before.get(o.key.as_str()) != Some(&o.sha256))
            .count();
        prop_assert_eq!(puts, changed);
    }
}

#[test]
fn the_plan_puts_leaves_first_and_deletes_roots_first() {
    let mut old: Side = vec![None; pool().len()];
    old[0] = Some((0, false)); // alpha-1.0.tar.gz
    let mut new: Side = vec![None; pool().len()];
    new[3] = Some((0, true)); // alpha-2.0-py3-none-any.whl
    new[4] = Some((0, false)); // beta-1.0.tar.gz
    let old = build_side(&old, false);
    let new = build_side(&new, false);
    let stored: Vec<StoredObject> = old.objects.iter().map(Object::stored).collect();
    let steps: Vec<String> = plan(&stored, &new.objects)
        .steps
        .iter()
        .map(|s| match s {
            Step::Put(o) => format!("put    {}", o.key),
            Step::Delete(k) => format!("delete {k}"),
        })
        .collect();
    insta::assert_snapshot!(steps.join("\n"), @r"
    put    simple/alpha/alpha-2.0-py3-none-any.whl
    put    simple/alpha/alpha-2.0-py3-none-any.whl.metadata
    put    simple/beta/beta-1.0.tar.gz
    put    simple/alpha/index.html
    put    simple/alpha/index.json
    put    simple/beta/index.html
    put    simple/beta/index.json
    put    requirements.txt
    put    simple/index.html
    put    simple/index.json
    delete simple/alpha/alpha-1.0.tar.gz
    ");
}

/// A page outside the index layout (a find-links page) may link to the index's files: it is
/// put after every file and page, with the root.
#[test]
fn a_find_links_page_is_put_after_the_files_it_links() {
    let mut new: Side = vec![None; pool().len()];
    new[4] = Some((0, false)); // beta-1.0.tar.gz
    let mut new = build_side(&new, false);
    let page = b"<a href=\"../simple/beta/beta-1.0.tar.gz\">beta-1.0.tar.gz</a>".to_vec();
    new.objects.insert(
        0,
        Object {
            key: "find-links/index.html".to_owned(),
            size: page.len() as u64,
            sha256: sha(&page),
            content_type: "text/html; charset=utf-8".to_owned(),
            cache: new.objects[0].cache,
            body: Body::Bytes(page),
        },
    );
    let keys: Vec<String> = plan(&[], &new.objects)
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Put(o) => Some(o.key.clone()),
            Step::Delete(_) => None,
        })
        .collect();
    let at = |key: &str| keys.iter().position(|k| k == key).unwrap();
    assert!(
        at("find-links/index.html") > at("simple/beta/beta-1.0.tar.gz"),
        "{keys:?}"
    );
    assert!(
        at("find-links/index.html") > at("simple/beta/index.html"),
        "{keys:?}"
    );
}
