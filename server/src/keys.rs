//! Access keys: the keys file, its reloading, and checking a request's credentials.
//!
//! One key a line, `sha256:HEX SCOPE [NAME]`: the sha256 of the key (never the key itself),
//! its scope (`read`, `upload` or `read,upload`) and an optional name for the log. Blank lines
//! and `#` comments are ignored. A line that is a single word not starting with `sha256:` is
//! a key in plain text, the format of the old example server: it is accepted with the scope
//! `read` only, and a warning says to replace it with the line `serve hash-key` prints.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use base64::Engine as _;
use pypackaging::{Digest, HashAlgorithm};
use subtle::ConstantTimeEq;

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scope {
    pub read: bool,
    pub upload: bool,
}

impl Scope {
    pub fn parse(text: &str) -> Result<Scope, String> {
        let mut scope = Scope::default();
        for part in text.split(',') {
            match part {
                "read" => scope.read = true,
                "upload" => scope.upload = true,
                _ => {
                    return Err(format!(
                        "unknown scope `{part}`: expected `read`, `upload` or `read,upload`"
                    ));
                }
            }
        }
        Ok(scope)
    }

    pub fn as_str(self) -> &'static str {
        match (self.read, self.upload) {
            (true, true) => "read,upload",
            (false, true) => "upload",
            _ => "read",
        }
    }
}

struct Key {
    sha256: [u8; 32],
    scope: Scope,
    name: String,
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(pypackaging::hash::sha256(bytes).as_bytes());
    out
}

/// The keys file line for `key`.
pub fn line_for(key: &str, scope: Scope, name: Option<&str>) -> String {
    let digest = Digest::from_bytes(HashAlgorithm::Sha256, &sha256(key.as_bytes()))
        .expect("32 bytes are a sha256 digest");
    let mut line = format!("sha256:{} {}", digest.hex(), scope.as_str());
    if let Some(name) = name {
        line.push(' ');
        line.push_str(name);
    }
    line
}

/// Parses a keys file; `Err` names the line at fault. Warnings go to `warn`.
fn parse(text: &str, path: &Path, warn: &mut dyn FnMut(String)) -> Result<Vec<Key>, String> {
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = || format!("{} line {}", path.display(), i + 1);
        let mut words = line.split_whitespace();
        let first = words.next().expect("a non-empty line has a word");
        if let Some(hex) = first.strip_prefix("sha256:") {
            let digest = Digest::from_hex(HashAlgorithm::Sha256, hex)
                .map_err(|e| format!("{}: {e}", at()))?;
            let scope = words
                .next()
                .ok_or_else(|| format!("{}: no scope after the digest", at()))
                .and_then(|s| Scope::parse(s).map_err(|e| format!("{}: {e}", at())))?;
            let name = words.collect::<Vec<_>>().join(" ");
            let mut sha = [0; 32];
            sha.copy_from_slice(digest.as_bytes());
            keys.push(Key {
                sha256: sha,
                scope,
                name: if name.is_empty() {
                    format!("line {}", i + 1)
                } else {
                    name
                },
            });
        } else if words.next().is_none() {
            warn(format!(
                "{}: a key in plain text, accepted for `read` only; replace the line with what `serve hash-key` prints",
                at()
            ));
            keys.push(Key {
                sha256: sha256(first.as_bytes()),
                scope: Scope {
                    read: true,
                    upload: false,
                },
                name: format!("line {}", i + 1),
            });
        } else {
            return Err(format!(
                "{}: expected `sha256:HEX SCOPE [NAME]` (or one plain key)",
                at()
            ));
        }
    }
    if keys.is_empty() {
        return Err(format!("{}: no keys", path.display()));
    }
    Ok(keys)
}

/// What the credentials of a request are worth.
pub enum Auth {
    /// No keys file: everything is open.
    Open,
    /// No credentials, or none that match a key.
    Unknown,
    /// A key, with its scope and name.
    Key(Scope, String),
}

struct Loaded {
    keys: Arc<Vec<Key>>,
    stamp: Option<(SystemTime, u64)>,
}

/// The keys, reloaded when the file changes (checked at most once a second) or on demand.
pub struct KeyStore {
    path: Option<PathBuf>,
    loaded: RwLock<Loaded>,
    checked: Mutex<Instant>,
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn load(path: &Path) -> Result<Loaded, String> {
    let stamp = stamp(path);
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let keys = parse(&text, path, &mut |w| tracing::warn!("{w}"))?;
    Ok(Loaded {
        keys: Arc::new(keys),
        stamp,
    })
}

impl KeyStore {
    pub fn open(path: Option<PathBuf>) -> Result<KeyStore, String> {
        let loaded = match &path {
            Some(p) => load(p)?,
            None => Loaded {
                keys: Arc::new(Vec::new()),
                stamp: None,
            },
        };
        Ok(KeyStore {
            path,
            loaded: RwLock::new(loaded),
            checked: Mutex::new(Instant::now()),
        })
    }

    pub fn required(&self) -> bool {
        self.path.is_some()
    }

    /// Reloads the file; on error the old keys stay and the error is logged.
    pub fn reload(&self) {
        let Some(path) = &self.path else { return };
        match load(path) {
            Ok(loaded) => {
                tracing::info!(
                    "keys reloaded from {}: {} key(s)",
                    path.display(),
                    loaded.keys.len()
                );
                *self.loaded.write().expect("keys lock") = loaded;
            }
            Err(e) => tracing::error!("keys not reloaded, the old ones stay: {e}"),
        }
    }

    /// Reloads when the file's mtime or size changed, at most once a second.
    fn refresh(&self) {
        let Some(path) = &self.path else { return };
        {
            let mut checked = self.checked.lock().expect("keys lock");
            if checked.elapsed() < Duration::from_secs(1) {
                return;
            }
            *checked = Instant::now();
        }
        let now = stamp(path);
        if now != self.loaded.read().expect("keys lock").stamp {
            self.reload();
        }
    }

    /// Checks the `Authorization` header: basic (any user name, the key as password) or
    /// bearer. Every key is compared, in constant time.
    pub fn check(&self, authorization: Option<&[u8]>) -> Auth {
        if self.path.is_none() {
            return Auth::Open;
        }
        self.refresh();
        let Some(offered) = authorization.and_then(offered_key) else {
            return Auth::Unknown;
        };
        let offered = sha256(&offered);
        let keys = Arc::clone(&self.loaded.read().expect("keys lock").keys);
        let mut found: Option<&Key> = None;
        for key in keys.iter() {
            if bool::from(key.sha256.ct_eq(&offered)) && found.is_none() {
                found = Some(key);
            }
        }
        match found {
            Some(k) => Auth::Key(k.scope, k.name.clone()),
            None => Auth::Unknown,
        }
    }
}

/// The key in an `Authorization` header value.
fn offered_key(header: &[u8]) -> Option<Vec<u8>> {
    let header = std::str::from_utf8(header).ok()?.trim();
    let (scheme, value) = header.split_once(' ')?;
    let value = value.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        Some(value.as_bytes().to_vec())
    } else if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(value)
            .ok()?;
        let colon = decoded.iter().position(|&b| b == b':')?;
        Some(decoded[colon + 1..].to_vec())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let line = line_for("s3cret", Scope::parse("read,upload").unwrap(), Some("ci"));
        let mut warnings = Vec::new();
        let keys = parse(
            &format!("# comment\n\n{line}\nplain-key\n"),
            Path::new("keys"),
            &mut |w| warnings.push(w),
        )
        .unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0].name, "ci");
        assert!(keys[0].scope.upload && keys[0].scope.read);
        assert!(keys[1].scope.read && !keys[1].scope.upload);
        assert_eq!(warnings.len(), 1);
        assert!(parse("sha256:zz read\n", Path::new("keys"), &mut |_| {}).is_err());
        assert!(parse("sha256:".to_owned().as_str(), Path::new("k"), &mut |_| {}).is_err());
        assert!(parse("a b\n", Path::new("keys"), &mut |_| {}).is_err());
    }

    #[test]
    fn basic_and_bearer() {
        let basic = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("__token__:k1")
        );
        assert_eq!(offered_key(basic.as_bytes()).unwrap(), b"k1");
        assert_eq!(offered_key(b"Bearer k2").unwrap(), b"k2");
        assert!(offered_key(b"Digest x").is_none());
    }
}
