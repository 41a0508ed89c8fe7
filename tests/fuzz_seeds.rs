//! Replays every committed fuzz seed (`fuzz/seeds/<target>/`) and past crash
//! (`fuzz/regressions/<target>/`) through the law its fuzz target asserts.

mod laws;
mod util;

#[track_caller]
fn replay(target: &str, law: fn(&[u8])) {
    let mut count = 0;
    for dir in ["fuzz/seeds", "fuzz/regressions"] {
        let dir = util::path(&format!("{dir}/{target}"));
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("directory entry").path();
            let data = std::fs::read(&path).expect("seed file");
            let outcome = std::panic::catch_unwind(|| law(&data));
            assert!(
                outcome.is_ok(),
                "law `{target}` broken by {}",
                path.display()
            );
            count += 1;
        }
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
