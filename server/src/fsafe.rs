//! Opening paths inside the root only: no `..`, no hidden names, no symlinks.
//!
//! Every directory on the way is checked with `lstat` (a symlink is refused, whatever it points
//! to), and the file itself is opened with `O_NOFOLLOW` (a symlink fails to open) and
//! `O_NONBLOCK` (a FIFO does not hang the worker), then checked to be a regular file with
//! `fstat`. The tree is written by build_index and this server only; a directory swapped for a
//! symlink between the `lstat` and the `open` by someone else who can write the tree is out of
//! scope.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Whether `name` may be one component of a served path.
pub fn valid_component(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.bytes().any(|b| b == b'/' || b == b'\\' || b == 0)
}

/// The path of `components` below `root`, each checked with [`valid_component`].
fn join(root: &Path, components: &[&str]) -> Option<PathBuf> {
    let mut path = root.to_owned();
    for c in components {
        if !valid_component(c) {
            return None;
        }
        path.push(c);
    }
    Some(path)
}

/// Whether `root/components...` is a directory reached without a symlink.
pub fn is_dir(root: &Path, components: &[&str]) -> bool {
    let Some(_) = join(root, components) else {
        return false;
    };
    let mut path = root.to_owned();
    for c in components {
        path.push(c);
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_dir() => {}
            _ => return false,
        }
    }
    true
}

/// Opens the regular file `root/components...` without following any symlink; `None` when it
/// is not one (absent, a directory, a symlink, a device, a hidden name).
pub fn open_file(root: &Path, components: &[&str]) -> Option<(File, Metadata)> {
    let (last, dirs) = components.split_last()?;
    if !is_dir(root, dirs) || !valid_component(last) {
        return None;
    }
    let path = join(root, components)?;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .ok()?;
    let meta = file.metadata().ok()?;
    meta.file_type().is_file().then_some((file, meta))
}

/// Writes `bytes` to `path` atomically: a temporary file in `tmp`, synced, renamed into place.
pub fn write_atomic(tmp: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let staged = tmp.join(format!(
        "serve-{}-{}.part",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = File::create(&staged)?;
        f.write_all(bytes)?;
        f.sync_data()?;
        fs::rename(&staged, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&staged);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlinks_and_hidden_names_are_refused() {
        let root = std::env::temp_dir().join(format!("fsafe-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("simple/demo")).unwrap();
        fs::create_dir_all(root.join(".pypackaging")).unwrap();
        fs::write(root.join("simple/demo/a.whl"), b"x").unwrap();
        fs::write(root.join(".pypackaging/manifest.json"), b"{}").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("simple/demo/passwd")).unwrap();
        std::os::unix::fs::symlink(root.join("simple/demo"), root.join("simple/link")).unwrap();
        assert!(open_file(&root, &["simple", "demo", "a.whl"]).is_some());
        assert!(open_file(&root, &["simple", "demo", "passwd"]).is_none());
        assert!(open_file(&root, &["simple", "link", "a.whl"]).is_none());
        assert!(open_file(&root, &[".pypackaging", "manifest.json"]).is_none());
        assert!(open_file(&root, &["simple", "demo", ".."]).is_none());
        assert!(open_file(&root, &["simple", "demo"]).is_none());
        assert!(is_dir(&root, &["simple", "demo"]));
        assert!(!is_dir(&root, &["simple", "link"]));
        fs::remove_dir_all(&root).unwrap();
    }
}
