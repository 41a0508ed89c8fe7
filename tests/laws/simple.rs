//! Laws of `simple` (fuzz targets `simple_html`, `simple_json`, `accept_header`).

use pypackaging::simple::{
    CoreMetadata, Hashes, ProjectList, ProjectPage, RenderOptions, Warning, html, json, negotiate,
};

/// The page URL every law parses at.
pub const PAGE_URL: &str = "https://index.example/simple/demo/";

/// The part of a page PEP 503 HTML carries, as this crate renders it: the API version it
/// writes, one hash per file and per metadata file, no `size`, `upload-time`, `versions` or
/// `core-metadata: false`, numeric serials only, the project name normalized (PEP 503).
pub fn html_view(page: &ProjectPage) -> ProjectPage {
    let one = |h: &Hashes| {
        let mut kept = Hashes::new();
        if let Some(d) = h.strongest() {
            kept.insert(*d);
        } else if let Some(pair) = h.unparsed.first() {
            kept.unparsed.push(pair.clone());
        }
        kept
    };
    let mut page = page.clone();
    page.meta.api_version = Some(page.meta.render_version());
    // A parsed HTML page has its name normalized (PEP 503).
    page.name = pypackaging::name::normalize(&page.name).into_owned();
    if let Some(s) = &page.meta.last_serial
        && (s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()))
    {
        page.meta.last_serial = None;
    }
    page.versions = None;
    for file in &mut page.files {
        file.hashes = one(&file.hashes);
        file.size = None;
        file.upload_time = None;
        file.core_metadata = match &file.core_metadata {
            CoreMetadata::Available(h) => CoreMetadata::Available(one(h)),
            _ => CoreMetadata::Absent,
        };
    }
    page
}

/// The page as JSON carries it: every field, at the API version this crate writes.
pub fn json_view(page: &ProjectPage) -> ProjectPage {
    let mut page = page.clone();
    page.meta.api_version = Some(page.meta.render_version());
    page
}

fn render_html(page: &ProjectPage) -> String {
    let mut out = String::new();
    html::write_project_page(&mut out, page, &RenderOptions::absolute()).expect("render");
    out
}

fn render_json(page: &ProjectPage) -> String {
    let mut out = String::new();
    json::write_project_page(&mut out, page, &RenderOptions::absolute()).expect("render");
    out
}

/// Whether a page had a URL its own `<base>` could not resolve (kept as written).
fn unresolved(warnings: &[Warning]) -> bool {
    warnings
        .iter()
        .any(|w| matches!(w, Warning::UnresolvableUrl { .. }))
}

/// HTML project pages: parsing never panics; a parsed page renders to HTML that parses back to
/// the same page (rendering is a fixpoint), and to JSON that parses back to the same page.
/// Root pages: the entries read back from the rendered page are the ones parsed.
pub fn simple_html(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = html::parse_project_page(text, PAGE_URL) {
        let mut page = parsed.value;
        if unresolved(&parsed.warnings) {
            // A URL that the page's own `<base>` could not resolve is kept as written; the
            // rendered page has no such base, so there it resolves against the page URL. From
            // that round on, rendering is a fixpoint.
            let rendered = render_html(&page);
            page = html::parse_project_page(&rendered, PAGE_URL)
                .unwrap_or_else(|e| panic!("rendered HTML does not parse: {e}\n{rendered}"))
                .value;
        }
        let rendered = render_html(&page);
        let again = html::parse_project_page(&rendered, PAGE_URL)
            .unwrap_or_else(|e| panic!("rendered HTML does not parse: {e}\n{rendered}"));
        assert_eq!(
            again.value,
            html_view(&page),
            "HTML round trip of {text:?}\n{rendered}"
        );
        let rendered = render_json(&page);
        let again = json::parse_project_page(&rendered, PAGE_URL)
            .unwrap_or_else(|e| panic!("rendered JSON does not parse: {e}\n{rendered}"));
        assert_eq!(
            again.value,
            json_view(&page),
            "JSON round trip of {text:?}\n{rendered}"
        );
    }
    if let Ok(parsed) = html::parse_project_list(text, PAGE_URL) {
        let render = |list: &ProjectList| {
            let mut out = String::new();
            html::write_project_list(&mut out, list, &RenderOptions::absolute()).expect("render");
            out
        };
        let mut list = parsed.value;
        if unresolved(&parsed.warnings) {
            // As for project pages: one round resolves what the page's own base could not.
            list = html::parse_project_list(&render(&list), PAGE_URL)
                .expect("rendered root parses")
                .value;
        }
        let out = render(&list);
        let again = html::parse_project_list(&out, PAGE_URL).expect("rendered root parses");
        assert_eq!(
            again.value.projects, list.projects,
            "root round trip of {text:?}\n{out}"
        );
    }
    // Reading a root page from a reader, window by window, gives what the whole text gives.
    let whole: Vec<_> = html::ProjectListReader::new(text, PAGE_URL)
        .expect("page URL")
        .map(|e| e.map_err(|e| e.to_string()))
        .collect();
    for window in [1, 7] {
        let streamed: Vec<_> = html::ProjectListStream::new(text.as_bytes(), PAGE_URL)
            .expect("page URL")
            .with_window(window)
            .map(|e| e.map_err(|e| e.to_string()))
            .collect();
        assert_eq!(streamed, whole, "window {window} of {text:?}");
    }
}

/// JSON pages: parsing never panics; a parsed page renders to JSON that parses back to the same
/// page, and the same for root pages (the streaming reader agrees with the collecting one).
pub fn simple_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = json::parse_project_page(text, PAGE_URL) {
        let rendered = render_json(&parsed.value);
        let again = json::parse_project_page(&rendered, PAGE_URL)
            .unwrap_or_else(|e| panic!("rendered JSON does not parse: {e}\n{rendered}"));
        assert_eq!(
            again.value,
            json_view(&parsed.value),
            "JSON round trip of {text:?}\n{rendered}"
        );
        // Whatever JSON holds, the HTML rendering of it parses.
        html::parse_project_page(&render_html(&parsed.value), PAGE_URL)
            .expect("rendered HTML parses");
    }
    let streamed = {
        let mut names = Vec::new();
        json::for_each_project(text.as_bytes(), |e| names.push(e.name)).map(|_| names)
    };
    // The in-memory reader (a fast path for the common shape, `serde_json` otherwise) reports
    // the same projects, metadata and warnings as the streaming one, or fails as it does after
    // reporting the same projects (`serde_json` counts error columns differently from a
    // reader: a unit test in `simple::json` compares the messages with the `&str` reader).
    {
        let (mut from_reader, mut from_text) = (Vec::new(), Vec::new());
        let a = json::for_each_project(text.as_bytes(), |e| from_reader.push(e)).ok();
        let b = json::for_each_project_in(text, |e| from_text.push(e)).ok();
        assert_eq!(a, b, "in-memory reader agrees on {text:?}");
        assert_eq!(
            from_reader, from_text,
            "in-memory reader reports the same on {text:?}"
        );
    }
    match json::parse_project_list(text) {
        Ok(list) => {
            let names: Vec<String> = list.value.projects.iter().map(|p| p.name.clone()).collect();
            assert_eq!(
                streamed.as_ref().ok(),
                Some(&names),
                "stream agrees on {text:?}"
            );
            let mut out = String::new();
            json::write_project_list(&mut out, &list.value).expect("render");
            let again = json::parse_project_list(&out).expect("rendered root parses");
            assert_eq!(again.value.projects, list.value.projects);
        }
        Err(_) => assert!(streamed.is_err(), "stream agrees on failure for {text:?}"),
    }
}

/// `Accept` negotiation: never panics; the order of the media ranges does not matter; and
/// accepting the chosen format explicitly at q=1 keeps it chosen.
pub fn accept_header(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let result = negotiate::negotiate(Some(text));
    let reversed: Vec<&str> = text.split(',').rev().collect();
    assert_eq!(
        negotiate::negotiate(Some(&reversed.join(","))).ok(),
        result.as_ref().ok().copied(),
        "order independence for {text:?}"
    );
    if let Ok(format) = result {
        let reinforced = format!("{text},{};q=1", format.content_type());
        assert_eq!(
            negotiate::negotiate(Some(&reinforced)),
            Ok(format),
            "{text:?}"
        );
    }
}
