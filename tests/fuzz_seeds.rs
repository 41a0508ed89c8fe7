//! Replays every committed fuzz seed (`fuzz/seeds/<target>/`) and past crash
//! (`fuzz/regressions/<target>/`) through the law its fuzz target asserts.

mod laws;
mod util;

thread_local! {
    /// Whether this thread has panicked since the flag was last cleared, also where the panic
    /// was caught: libFuzzer's panic hook aborts on every panic, so a replay must fail on one
    /// too.
    static PANICKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs (once) a panic hook that raises [`PANICKED`] and then reports as usual.
fn watch_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.with(|p| p.set(true));
            report(info);
        }));
    });
}

#[track_caller]
fn replay(target: &str, law: fn(&[u8])) {
    watch_panics();
    let mut count = 0;
    // `fuzz/seeds/<target>.also` lists further seed folders, relative to `fuzz/`.
    let also = std::fs::read_to_string(util::path(&format!("fuzz/seeds/{target}.also")))
        .unwrap_or_default();
    let dirs = ["fuzz/seeds", "fuzz/regressions"]
        .iter()
        .map(|dir| format!("{dir}/{target}"))
        .chain(also.lines().map(|dir| format!("fuzz/{dir}")));
    // Every file below those folders, as libFuzzer reads a corpus folder (recursively).
    let mut pending: Vec<std::path::PathBuf> = dirs.map(|dir| util::path(&dir)).collect();
    let mut files = Vec::new();
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for path in files {
        let data = std::fs::read(&path).expect("seed file");
        PANICKED.with(|p| p.set(false));
        let outcome = std::panic::catch_unwind(|| law(&data));
        assert!(
            outcome.is_ok(),
            "law `{target}` broken by {}",
            path.display()
        );
        assert!(
            !PANICKED.with(|p| p.get()),
            "`{target}`: a panic (caught inside the crate, but fatal under libFuzzer) on {}",
            path.display()
        );
        count += 1;
    }
    assert!(count > 0, "no seeds for fuzz target `{target}`");
}

#[test]
fn name_seeds() {
    replay("name", laws::name::name);
}

#[test]
fn digest_seeds() {
    replay("digest", laws::digest::digest);
}

#[test]
fn wheel_filename_seeds() {
    replay("wheel_filename", laws::filename::wheel_filename);
}

#[test]
fn sdist_filename_seeds() {
    replay("sdist_filename", laws::filename::sdist_filename);
}

#[test]
fn platform_tag_seeds() {
    replay("platform_tag", laws::tags::platform_tag);
}

#[test]
fn simple_html_seeds() {
    replay("simple_html", laws::simple::simple_html);
}

#[test]
fn simple_json_seeds() {
    replay("simple_json", laws::simple::simple_json);
}

#[test]
fn accept_header_seeds() {
    replay("accept_header", laws::simple::accept_header);
}

#[test]
fn requirements_txt_seeds() {
    replay("requirements_txt", laws::requirements_txt::requirements_txt);
}

#[test]
fn core_metadata_seeds() {
    replay("core_metadata", laws::metadata::core_metadata);
}

#[test]
fn wheel_info_seeds() {
    replay("wheel_info", laws::metadata::wheel_info);
}

#[test]
fn record_seeds() {
    replay("record", laws::metadata::record);
}

#[test]
fn version_seeds() {
    replay("version", laws::version::version);
}
