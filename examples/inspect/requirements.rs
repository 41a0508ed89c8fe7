//! `inspect requirements FILE`: a pip requirements file with its includes, as pip reads it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pypackaging::requirements_txt::{self, Loader};
use serde_json::{Value, json};

/// Reads includes relative to the directory of the top file, as the top file names them.
struct Files {
    dir: PathBuf,
}

impl Loader for Files {
    type Error = String;

    fn load(&mut self, location: &str, _constraint: bool) -> Result<Vec<u8>, String> {
        if location.contains("://") || location.starts_with("file:") {
            return Err("the probe does not fetch URLs".into());
        }
        let path = Path::new(location);
        let path = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.dir.join(path)
        };
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// The probe's answer for the file at `path`, with `${VAR}` looked up by `env`.
pub fn probe_file(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> Value {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let resolved = requirements_txt::resolve(&name, &mut Files { dir }, env);
    if let Some(error) = resolved.errors.first() {
        return json!({
            "error": error.to_string(),
            "file": error.location.file,
            "line": error.location.line,
            "errors": resolved.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        });
    }
    let entries: Vec<Value> = resolved
        .entries
        .iter()
        .map(|r| {
            let (file, constraint, entry) = (&r.file, r.constraint, &r.entry);
            let mut hashes: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for digest in entry.hashes() {
                hashes
                    .entry(digest.algorithm().to_string())
                    .or_default()
                    .push(digest.hex());
            }
            json!({
                "file": resolved.files[*file].file.name(),
                "line": entry.line(),
                "requirement": entry.requirement(),
                "editable": entry.is_editable(),
                "constraint": constraint,
                "hashes": hashes,
            })
        })
        .collect();
    let o = &resolved.options;
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    json!({
        "entries": entries,
        "options": {
            "index_url": o.index_url,
            "extra_index_urls": o.extra_index_urls,
            "no_index": o.no_index,
            "find_links": o.find_links,
            "trusted_hosts": o.trusted_hosts,
            "require_hashes": o.require_hashes,
            "no_require_hashes": o.no_require_hashes,
            "only_binary": sorted(&o.only_binary),
            "no_binary": sorted(&o.no_binary),
            "prefer_binary": o.prefer_binary,
            "pre": o.pre,
            "all_releases": sorted(&o.all_releases),
            "only_final": sorted(&o.only_final),
        },
        "warnings": resolved.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

/// `inspect requirements FILE`, with `${VAR}` taken from the environment.
pub fn probe(args: &[String]) -> Result<String, (u8, String)> {
    let [file] = args else {
        return Err((2, "usage: inspect requirements FILE".into()));
    };
    let path = Path::new(file);
    if let Err(e) = std::fs::metadata(path) {
        return Err((1, format!("{file}: {e}")));
    }
    let value = probe_file(path, &|name| std::env::var(name).ok());
    serde_json::to_string(&value).map_err(|e| (1, e.to_string()))
}
