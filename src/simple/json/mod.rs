//! [PEP 691](https://peps.python.org/pep-0691/) JSON pages: render and parse.
//!
//! # Rendering
//!
//! [`write_project_page`] and [`write_project_list`] write compact JSON at the version the model
//! carries ([`Meta::render_version`], [`ApiVersion::LATEST`] (1.4) when it has none) into a [`fmt::Write`]; the `_io` variants into an [`io::Write`].
//! A project page has `meta` (`api-version`, `_last-serial` when known, PEP 708 `tracks` when
//! the model has them), `name`, `files`, then `versions`, `project-status` (the PEP 792 object,
//! not the early `meta` spelling) and `alternate-locations` when the model has them. Each file
//! has `filename`, `url`, `hashes` and `yanked`, then whichever of `requires-python`,
//! `core-metadata` (also written as `dist-info-metadata`, as PyPI does, for clients older than
//! PEP 714), `gpg-sig`, `size`, `upload-time` and `provenance` the model holds. API 1.1 makes
//! `versions` and `size` mandatory: fill them in the model to serve a conforming page.
//!
//! # Parsing
//!
//! Every 1.x page: unknown keys are ignored, `meta.api-version` is required and checked
//! (PEP 629), a newer minor version is a warning. Values of the wrong JSON type are errors with
//! line and column. Relative `url` and `provenance` values are resolved against the page URL.
//! `dist-info-metadata` is read when `core-metadata` is absent (PEP 714), and so is
//! `data-dist-info-metadata`, the spelling PyPI actually writes in JSON; `_last-serial` may be
//! a number or a string. The project status is read from a top-level `project-status` object
//! (PEP 792) or from `meta.project-status` / `meta.project-status-reason` (the first
//! transcription of PEP 792 in the living specification), the latter with a warning.
//!
//! [`for_each_project`] reads a root page as a stream from any [`io::Read`] (and
//! [`for_each_project_in`] from a `&str`), calling back once per project without collecting the
//! list.
//!
//! [`fmt::Write`]: std::fmt::Write
//! [`io::Write`]: std::io::Write
//! [`io::Read`]: std::io::Read
//! [`ApiVersion::LATEST`]: crate::simple::ApiVersion::LATEST
//! [`Meta::render_version`]: crate::simple::Meta::render_version

mod read;
mod scan;
mod stream;
mod wire;
mod write;

pub use read::parse_project_page;
pub use stream::{for_each_project, for_each_project_in, parse_project_list};
pub use write::{
    write_project_list, write_project_list_io, write_project_page, write_project_page_io,
};

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use super::{read::*, scan::*, stream::*, wire::*, write::*};
    #[allow(unused_imports)]
    use crate::simple::*;

    const PAGE: &str = "https://index.example/simple/demo/";

    /// Every ASCII byte at every offset of a run longer than two words is escaped as a
    /// byte-by-byte escaper would and reads back with `serde_json` (the word-at-a-time scan may
    /// skip nothing it should not).
    #[test]
    fn string_scan_matches_bytewise() {
        for (b, at, text) in crate::bytes::every_byte_at_every_offset() {
            let mut out = String::new();
            string(&mut out, &text).unwrap();
            let bytewise: String = text
                .chars()
                .map(|c| match c {
                    '"' => "\\\"".to_owned(),
                    '\\' => "\\\\".to_owned(),
                    '\n' => "\\n".to_owned(),
                    '\r' => "\\r".to_owned(),
                    '\t' => "\\t".to_owned(),
                    c if (c as u32) < 0x20 => format!("\\u{:04x}", c as u32),
                    c => c.to_string(),
                })
                .collect();
            assert_eq!(out, format!("\"{bytewise}\""), "byte {b:#x} at {at}");
            assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text);
        }
    }

    #[test]
    fn strings_escape() {
        let mut out = String::new();
        string(&mut out, "a\"b\\c\n\u{1}é</").unwrap();
        assert_eq!(out, r#""a\"b\\c\n\u0001é</""#);
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, "a\"b\\c\n\u{1}é</");
    }

    #[test]
    fn errors_have_positions() {
        let err = parse_project_page(
            r#"{"meta": {"api-version": "1.0"}, "name": 3, "files": []}"#,
            PAGE,
        )
        .unwrap_err();
        insta::assert_snapshot!(err, @"invalid PEP 691 JSON at line 1, column 42: invalid type: integer `3`, expected a string");
        let err =
            parse_project_page(r#"{"meta": {}, "name": "x", "files": []}"#, PAGE).unwrap_err();
        insta::assert_snapshot!(err, @"invalid PEP 691 JSON: `meta.api-version` is missing");
        let err = parse_project_page(
            r#"{"meta": {"api-version": "2.0"}, "name": "x", "files": []}"#,
            PAGE,
        )
        .unwrap_err();
        insta::assert_snapshot!(err, @"unsupported API version 2.0: this crate reads major version 1");
        let err =
            parse_project_list(r#"{"meta": {"api-version": "3.1"}, "projects": [{"name": "a"}]}"#)
                .unwrap_err();
        insta::assert_snapshot!(err, @"unsupported API version 3.1: this crate reads major version 1");
        let err = parse_project_page(r#"{"meta": {"api-version": "1.0"}, "name": "x", "files": [{"filename": "a", "url": "a", "hashes": {}, "yanked": 3}]}"#, PAGE).unwrap_err();
        insta::assert_snapshot!(err, @"invalid PEP 691 JSON at line 1, column 111: invalid type: integer `3`, expected a boolean or a string");
    }

    #[test]
    fn legacy_status_spelling() {
        let parsed = parse_project_page(
            r#"{"meta": {"api-version": "1.4", "project-status": "archived", "project-status-reason": "done"}, "name": "x", "files": []}"#,
            PAGE,
        )
        .unwrap();
        assert_eq!(
            parsed.value.status,
            Some(ProjectStatus {
                status: Some(StatusMarker::Archived),
                reason: Some("done".into())
            })
        );
        assert_eq!(parsed.warnings, [Warning::LegacyStatusSpelling]);
    }

    #[test]
    fn root_stream() {
        let text = r#"{"meta": {"_last-serial": 5, "api-version": "1.0"}, "projects": [{"name": "A", "_last-serial": 1}, {"name": "b\u00e9"}], "extra": [1]}"#;
        let mut names = Vec::new();
        let meta = for_each_project(text.as_bytes(), |e| names.push(e.name)).unwrap();
        assert_eq!(names, ["A", "bé"]);
        assert_eq!(meta.value.last_serial.as_deref(), Some("5"));
        assert_eq!(parse_project_list(text).unwrap().value.projects.len(), 2);
    }

    /// The fast path of `for_each_project_in` and the `serde_json` reader over the same text
    /// report the same projects and the same result, message for message, on every committed
    /// JSON seed and test page.
    #[test]
    fn fast_root_agrees_with_serde() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut checked = 0;
        for dir in ["fuzz/seeds/simple_json", "tests/data/simple"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                let a = for_each_project_in(&text, |e| fast.push(e)).map_err(|e| e.to_string());
                let mut d = serde_json::Deserializer::from_str(&text);
                let b = run_root(&mut d, &mut |e| slow.push(e))
                    .and_then(|meta| {
                        d.end().map_err(|e| SimpleError::json(&e))?;
                        Ok(meta)
                    })
                    .map_err(|e| e.to_string());
                assert_eq!(a, b, "{}", path.display());
                assert_eq!(fast, slow, "{}", path.display());
                checked += 1;
            }
        }
        assert!(checked > 20, "{checked} files");
    }

    /// The fast reader of project pages and `serde_json` read the same page, message for
    /// message, from every committed JSON seed and test page.
    #[test]
    fn fast_project_agrees_with_serde() {
        let root = env!("CARGO_MANIFEST_DIR");
        let (mut checked, mut fast) = (0, 0);
        for dir in ["fuzz/seeds/simple_json", "tests/data/simple"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let a = parse_project_page_with(&text, PAGE, true).map_err(|e| e.to_string());
                let b = parse_project_page_with(&text, PAGE, false).map_err(|e| e.to_string());
                assert_eq!(a, b, "{}", path.display());
                checked += 1;
                let resolver = Resolver::new(super::super::page_url_parse(PAGE).unwrap());
                let mut files = Files {
                    resolver: &resolver,
                    last_valid: None,
                    warnings: Vec::new(),
                    list: Vec::new(),
                };
                fast += usize::from(fast_project(&text, &mut files).is_some());
            }
        }
        assert!(
            checked > 30 && fast >= 9,
            "{checked} files, {fast} read fast"
        );
    }
}
