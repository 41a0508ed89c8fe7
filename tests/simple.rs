//! The `simple` module through its public API: rendering (escaping, validity, URL styles),
//! parsing (streams, warnings), negotiation, and render/parse round trips (proptest).

mod laws;

use laws::simple::{PAGE_URL, html_view, json_view};
use proptest::prelude::*;
use pypackaging::simple::{
    ApiVersion, CoreMetadata, File, Format, Hashes, Meta, ProjectEntry, ProjectList, ProjectPage,
    ProjectStatus, RenderOptions, StatusMarker, Warning, Yanked, html, json, negotiate,
};
use pypackaging::{Digest, HashAlgorithm};

fn sha256(byte: u8) -> Digest {
    Digest::from_bytes(HashAlgorithm::Sha256, &[byte; 32]).unwrap()
}

fn render_html(page: &ProjectPage, options: &RenderOptions) -> String {
    let mut out = String::new();
    html::write_project_page(&mut out, page, options).unwrap();
    out
}

fn render_json(page: &ProjectPage) -> String {
    let mut out = String::new();
    json::write_project_page(&mut out, page, &RenderOptions::absolute()).unwrap();
    out
}

const HOSTILE: &str = "\"><script>alert('x')</script><a href=\"evil\">&amp;\r\n\t\u{1}é";

fn hostile_page() -> ProjectPage {
    let mut file = File::new(
        format!("demo-1.0{HOSTILE}.tar.gz"),
        "https://files.example/a%22b/demo-1.0.tar.gz?x=1&y=%3Cz%3E",
    );
    file.hashes = Hashes::from_digests([sha256(1)]);
    file.requires_python = Some(HOSTILE.to_owned());
    file.yanked = Yanked::Yanked(Some(HOSTILE.to_owned()));
    file.core_metadata = CoreMetadata::Available(Hashes::from_digests([sha256(2)]));
    file.gpg_sig = Some(false);
    file.provenance = Some("https://files.example/p?a=1&b=%27".to_owned());
    ProjectPage {
        meta: Meta {
            api_version: Some(ApiVersion::LATEST),
            last_serial: Some("42".into()),
            tracks: vec![],
        },
        name: format!("demo{HOSTILE}"),
        files: vec![file],
        versions: None,
        status: Some(ProjectStatus {
            status: Some(StatusMarker::Archived),
            reason: Some(HOSTILE.to_owned()),
        }),
        alternate_locations: vec![],
    }
}

#[test]
fn hostile_values_cannot_break_out_of_html() {
    let page = hostile_page();
    let out = render_html(&page, &RenderOptions::absolute());
    // Exactly the markup we wrote: one anchor, one script-free document.
    assert_eq!(out.matches("<a ").count(), 1, "{out}");
    assert!(!out.contains("<script"), "{out}");
    assert!(!out.contains('\r'), "{out}");
    assert_eq!(out.matches("<meta ").count(), 4, "{out}");
    let parsed = html::parse_project_page(&out, PAGE_URL).unwrap();
    assert_eq!(parsed.value, html_view(&page));
}

#[test]
fn hostile_values_survive_json() {
    let page = hostile_page();
    let out = render_json(&page);
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(value["files"][0]["yanked"], HOSTILE);
    assert_eq!(
        json::parse_project_page(&out, PAGE_URL).unwrap().value,
        json_view(&page)
    );
}

#[test]
fn html_shape() {
    let mut page = hostile_page();
    page.files[0].filename = "demo-1.0.tar.gz".into();
    page.files[0].yanked = Yanked::Yanked(None);
    page.files[0].requires_python = Some(">=3.8".into());
    page.status = None;
    page.name = "demo".into();
    let out = render_html(&page, &RenderOptions::absolute());
    let digest1 = sha256(1).hex();
    let digest2 = sha256(2).hex();
    assert_eq!(
        out,
        format!(
            "<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n    \
             <meta name=\"pypi:repository-version\" content=\"1.4\">\n    \
             <title>Links for demo</title>\n  </head>\n  <body>\n    <h1>Links for demo</h1>\n    \
             <a href=\"https://files.example/a%22b/demo-1.0.tar.gz?x=1&amp;y=%3Cz%3E#sha256={digest1}\" \
             data-requires-python=\"&gt;=3.8\" data-yanked=\"\" data-core-metadata=\"sha256={digest2}\" \
             data-dist-info-metadata=\"sha256={digest2}\" data-gpg-sig=\"false\" \
             data-provenance=\"https://files.example/p?a=1&amp;b=%27\">demo-1.0.tar.gz</a><br>\n  \
             </body>\n</html>\n<!--SERIAL 42-->\n"
        )
    );
}

#[test]
fn relative_urls_when_asked() {
    let mut page = ProjectPage {
        name: "demo".into(),
        ..ProjectPage::default()
    };
    page.files.push(File::new(
        "demo-1.0.tar.gz",
        "https://index.example/files/demo-1.0.tar.gz",
    ));
    page.files.push(File::new(
        "demo-2.0.tar.gz",
        "https://elsewhere.example/demo-2.0.tar.gz",
    ));
    let options = RenderOptions::relative_to(PAGE_URL).unwrap();
    let out = render_html(&page, &options);
    assert!(
        out.contains(r#"<a href="../../files/demo-1.0.tar.gz">"#),
        "{out}"
    );
    assert!(
        out.contains(r#"<a href="https://elsewhere.example/demo-2.0.tar.gz">"#),
        "{out}"
    );
    let back = html::parse_project_page(&out, PAGE_URL).unwrap().value;
    assert_eq!(back.files[0].url, page.files[0].url);
    let mut json_out = String::new();
    json::write_project_page(&mut json_out, &page, &options).unwrap();
    assert!(
        json_out.contains(r#""url":"../../files/demo-1.0.tar.gz""#),
        "{json_out}"
    );
    assert_eq!(
        json::parse_project_page(&json_out, PAGE_URL)
            .unwrap()
            .value
            .files,
        page.files
    );
}

#[test]
fn io_writers_get_the_same_bytes() {
    let page = hostile_page();
    let mut bytes = Vec::new();
    html::write_project_page_io(&mut bytes, &page, &RenderOptions::absolute()).unwrap();
    assert_eq!(
        bytes,
        render_html(&page, &RenderOptions::absolute()).into_bytes()
    );
    let mut bytes = Vec::new();
    json::write_project_page_io(&mut bytes, &page, &RenderOptions::absolute()).unwrap();
    assert_eq!(bytes, render_json(&page).into_bytes());
}

#[test]
fn root_pages_both_ways() {
    let list = ProjectList {
        meta: Meta {
            api_version: Some(ApiVersion::LATEST),
            ..Meta::default()
        },
        projects: ["Zope.Interface", "requests", "a<b"]
            .map(|name| ProjectEntry {
                name: name.into(),
                url: None,
            })
            .to_vec(),
    };
    let mut out = String::new();
    html::write_project_list(&mut out, &list, &RenderOptions::absolute()).unwrap();
    assert!(
        out.contains(r#"<a href="zope-interface/">Zope.Interface</a>"#),
        "{out}"
    );
    assert!(out.contains(r#"<a href="a&lt;b/">a&lt;b</a>"#), "{out}");
    let root = "https://index.example/simple/";
    let mut reader = html::ProjectListReader::new(&out, root).unwrap();
    let first = reader.next().unwrap().unwrap();
    assert_eq!(
        first.url.as_deref(),
        Some("https://index.example/simple/zope-interface/")
    );
    assert_eq!(reader.meta().api_version, Some(ApiVersion::LATEST));
    assert_eq!(reader.count(), 2);
    let mut out = String::new();
    json::write_project_list(&mut out, &list).unwrap();
    assert_eq!(
        out,
        r#"{"meta":{"api-version":"1.4"},"projects":[{"name":"Zope.Interface"},{"name":"requests"},{"name":"a<b"}]}"#
    );
    assert_eq!(json::parse_project_list(&out).unwrap().value, list);
}

#[test]
fn root_stream_stops_at_an_unsupported_version() {
    let page = "<meta name=pypi:repository-version content=2.0><a href=x/>x</a>";
    let mut reader = html::ProjectListReader::new(page, PAGE_URL).unwrap();
    insta::assert_snapshot!(reader.next().unwrap().unwrap_err(), @"unsupported API version 2.0: this crate reads major version 1");
    assert!(reader.next().is_none());
}

#[test]
fn warnings_are_reported_beside_the_page() {
    let page = r#"{"meta": {"api-version": "1.1"}, "name": "demo", "versions": ["1.0", "one"],
        "project-status": {"status": "frozen"},
        "files": [{"filename": "demo-1.0.tar.gz", "url": "https://files.example/demo-1.0.tar.gz",
                   "hashes": {"sha256": "00", "whirlpool": "ab"}, "requires-python": ">=3.x",
                   "upload-time": "yesterday", "core-metadata": true, "dist-info-metadata": false}]}"#;
    let parsed = json::parse_project_page(page, PAGE_URL).unwrap();
    let text: Vec<String> = parsed.warnings.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(text.join("\n"), @r"
    file 0: `core-metadata` and `dist-info-metadata` disagree; using `core-metadata`
    hash `sha256=00` kept as text: invalid sha256 digest `00`: expected 64 hex characters, found 2
    hash `whirlpool=ab` kept as text: unknown hash algorithm `whirlpool` (expected one of md5, sha1, sha224, sha256, sha384, sha512)
    file 0: upload-time `yesterday` is not in the form YYYY-MM-DDThh:mm:ss[.ffffff]Z
    file 0: requires-python `>=3.x` is not a valid specifier set
    version `one` in `versions` is not a valid PEP 440 version
    unknown project status `frozen` (PEP 792 says to treat it as `active`)
    ");
    let file = &parsed.value.files[0];
    assert_eq!(file.hashes.unparsed.len(), 2);
    assert_eq!(file.core_metadata, CoreMetadata::Available(Hashes::new()));
    assert!(matches!(
        parsed.warnings[0],
        Warning::MetadataKeysDisagree { index: 0 }
    ));
}

#[test]
fn negotiation_content_types() {
    assert_eq!(
        negotiate::negotiate(Some("application/vnd.pypi.simple.v1+json")).map(Format::content_type),
        Ok("application/vnd.pypi.simple.v1+json")
    );
    assert_eq!(
        negotiate::negotiate(Some(
            "text/html;q=0.5, application/vnd.pypi.simple.v1+html;q=0.5"
        )),
        Ok(Format::HtmlV1)
    );
    assert!(negotiate::negotiate(Some("image/png")).is_err());
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<ProjectPage>();
    check::<ProjectList>();
    check::<html::ProjectListReader<'static>>();
    check::<pypackaging::simple::SimpleError>();
}

// ---------------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------------

/// Text a page may hold: hostile markup characters, controls, and any printable Unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\"'<>&=/#;:?%a-z0-9 \\x01\\r\\n\\t-]{0,12}",
        "\\PC{0,12}",
        Just("&amp;&lt;&#39;&#x0;".to_owned()),
    ]
}

/// Text that survives as HTML anchor or title text (which parsers trim): non-empty, no
/// surrounding whitespace.
fn trimmed() -> impl Strategy<Value = String> {
    text().prop_filter("trimmed, non-empty", |s| !s.is_empty() && s.trim() == s)
}

/// An absolute URL in the normal form the WHATWG parser gives, without a fragment (HTML uses
/// the fragment for the hash).
fn url() -> impl Strategy<Value = String> {
    text().prop_map(|path| {
        let mut url = url::Url::parse("https://files.example/pkgs/")
            .unwrap()
            .join(&path)
            .unwrap_or_else(|_| url::Url::parse("https://files.example/x").unwrap());
        url.set_fragment(None);
        url.into()
    })
}

fn hashes() -> impl Strategy<Value = Hashes> {
    proptest::collection::vec((0..HashAlgorithm::ALL.len(), any::<u8>()), 0..3).prop_map(|ds| {
        Hashes::from_digests(ds.into_iter().map(|(i, b)| {
            let a = HashAlgorithm::ALL[i];
            Digest::from_bytes(a, &vec![b; a.digest_len()]).unwrap()
        }))
    })
}

prop_compose! {
    fn file()(
        filename in trimmed(),
        url in url(),
        hashes in hashes(),
        requires_python in proptest::option::of(text()),
        yanked in prop_oneof![
            Just(Yanked::No),
            Just(Yanked::Yanked(None)),
            trimmed().prop_map(|r| Yanked::Yanked(Some(r))),
        ],
        core_metadata in prop_oneof![
            Just(CoreMetadata::Absent),
            Just(CoreMetadata::Unavailable),
            hashes().prop_map(CoreMetadata::Available),
        ],
        gpg_sig in proptest::option::of(any::<bool>()),
        size in proptest::option::of(any::<u64>()),
        upload_time in proptest::option::of(prop_oneof![
            Just("2024-01-02T03:04:05.678901Z".to_owned()),
            text(),
        ]),
        provenance in proptest::option::of(url()),
    ) -> File {
        File { filename, url, hashes, requires_python, yanked, core_metadata, gpg_sig, size, upload_time, provenance }
    }
}

fn marker() -> impl Strategy<Value = StatusMarker> {
    prop_oneof![
        Just(StatusMarker::Active),
        Just(StatusMarker::Archived),
        Just(StatusMarker::Quarantined),
        Just(StatusMarker::Deprecated),
        "[a-z]{1,8}".prop_map(|s| StatusMarker::new(&s)),
    ]
}

prop_compose! {
    fn page()(
        name in trimmed(),
        files in proptest::collection::vec(file(), 0..4),
        versions in proptest::option::of(proptest::collection::vec(text(), 0..3)),
        status in proptest::option::of((proptest::option::of(marker()), proptest::option::of(text()))),
        serial in proptest::option::of("[0-9]{1,12}"),
        tracks in proptest::collection::vec(url(), 0..2),
        alternate_locations in proptest::collection::vec(url(), 0..2),
    ) -> ProjectPage {
        ProjectPage {
            meta: Meta { api_version: Some(ApiVersion::LATEST), last_serial: serial, tracks },
            name,
            files,
            versions,
            status: status.map(|(status, reason)| ProjectStatus { status, reason }),
            alternate_locations,
        }
    }
}

/// What JSON keeps of a status: nothing when there is neither marker nor reason (as
/// `{"status": null}` reads).
fn json_expected(page: &ProjectPage) -> ProjectPage {
    let mut expected = page.clone();
    if expected
        .status
        .as_ref()
        .is_some_and(|s| s.status.is_none() && s.reason.is_none())
    {
        expected.status = None;
    }
    expected
}

/// What HTML keeps of a status: nothing when there is neither marker nor reason.
fn html_expected(page: &ProjectPage) -> ProjectPage {
    let mut expected = html_view(page);
    if expected
        .status
        .as_ref()
        .is_some_and(|s| s.status.is_none() && s.reason.is_none())
    {
        expected.status = None;
    }
    expected
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// parse(render(page)) == page for JSON, and == the HTML view of the page for HTML, with
    /// no warnings about anything the renderer wrote.
    #[test]
    fn project_pages_round_trip(page in page()) {
        let json_text = render_json(&page);
        let back = json::parse_project_page(&json_text, PAGE_URL).unwrap();
        prop_assert_eq!(&back.value, &json_expected(&page), "{}", json_text);
        let html_text = render_html(&page, &RenderOptions::absolute());
        let back = html::parse_project_page(&html_text, PAGE_URL).unwrap();
        prop_assert_eq!(&back.value, &html_expected(&page), "{}", html_text);
    }

    /// Root pages: JSON keeps the names; HTML keeps them and links each to its normalized page.
    #[test]
    fn project_lists_round_trip(names in proptest::collection::vec(trimmed(), 0..5)) {
        let list = ProjectList {
            meta: Meta { api_version: Some(ApiVersion::LATEST), ..Meta::default() },
            projects: names.iter().map(|n| ProjectEntry { name: n.clone(), url: None }).collect(),
        };
        let mut out = String::new();
        json::write_project_list(&mut out, &list).unwrap();
        prop_assert_eq!(json::parse_project_list(&out).unwrap().value, list.clone());
        let mut out = String::new();
        html::write_project_list(&mut out, &list, &RenderOptions::absolute()).unwrap();
        let back = html::parse_project_list(&out, "https://index.example/simple/").unwrap().value;
        let got: Vec<&str> = back.projects.iter().map(|p| p.name.as_str()).collect();
        prop_assert_eq!(got, names.iter().map(String::as_str).collect::<Vec<_>>(), "{}", out);
    }

    /// Any text: the parsers and the negotiator never panic, and the laws of the fuzz targets hold.
    #[test]
    fn any_text(s in "\\PC{0,200}") {
        laws::simple::simple_html(s.as_bytes());
        laws::simple::simple_json(s.as_bytes());
        laws::simple::accept_header(s.as_bytes());
    }
}

/// What [`html::ProjectListStream`] yields from `page`, read `window` bytes at a time.
fn stream_entries(page: &str, window: usize) -> (Vec<Result<ProjectEntry, String>>, Meta, usize) {
    let mut stream = html::ProjectListStream::new(page.as_bytes(), PAGE_URL)
        .unwrap()
        .with_window(window);
    let entries: Vec<_> = stream
        .by_ref()
        .map(|e| e.map_err(|e| e.to_string()))
        .collect();
    let (meta, warnings) = stream.finish();
    (entries, meta, warnings.len())
}

/// What [`html::ProjectListReader`] yields from the whole text.
fn reader_entries(page: &str) -> (Vec<Result<ProjectEntry, String>>, Meta, usize) {
    let mut reader = html::ProjectListReader::new(page, PAGE_URL).unwrap();
    let entries: Vec<_> = reader
        .by_ref()
        .map(|e| e.map_err(|e| e.to_string()))
        .collect();
    let (meta, warnings) = reader.finish();
    (entries, meta, warnings.len())
}

#[test]
fn root_stream_from_a_reader_equals_the_whole_text_at_every_window() {
    let pages = [
        std::fs::read_to_string("tests/data/simple/pypi-root.html").unwrap(),
        std::fs::read_to_string("tests/data/simple/devpi-root.html").unwrap(),
        // Comments, a script holding `</a>`, a base, an unclosed anchor, non-ASCII names.
        concat!(
            "<!DOCTYPE html><html><head><base href=\"https://mirror.example/s/\">",
            "<meta name=\"pypi:repository-version\" content=\"1.1\"><title>Simple index</title>",
            "<script>document.write('<a href=x>no</a>')</script></head><body>\n",
            "<!-- <a href=\"c/\">commented</a> -->\n<a href=\"caf%C3%A9/\">café</a>\n",
            "<a href='zope-interface/'>Zope.Interface</a><a href=unclosed/>ünclosed\n",
            "<a HREF=last/>Last</a></body></html><!--SERIAL 42-->"
        )
        .to_owned(),
    ];
    for page in &pages {
        let expected = reader_entries(page);
        assert!(!expected.0.is_empty());
        for window in [1, 2, 3, 5, 7, 16, 64, 1 << 16] {
            assert_eq!(stream_entries(page, window), expected, "window {window}");
        }
    }
}

#[test]
fn root_stream_reports_bad_utf8_and_a_failing_reader() {
    let mut page = b"<a href=a/>a</a>\n<a href=b/>".to_vec();
    page.extend_from_slice(b"\xff</a>");
    let items: Vec<_> = html::ProjectListStream::new(&page[..], PAGE_URL)
        .unwrap()
        .with_window(4)
        .collect();
    assert_eq!(items[0].as_ref().unwrap().name, "a");
    insta::assert_snapshot!(items.last().unwrap().as_ref().unwrap_err(), @"the page is not UTF-8: invalid byte sequence at byte 28");

    struct Failing;
    impl std::io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }
    let mut stream = html::ProjectListStream::new(Failing, PAGE_URL).unwrap();
    insta::assert_snapshot!(stream.next().unwrap().unwrap_err(), @"reading the page failed: disk on fire");
    assert!(stream.next().is_none());
}

proptest! {
    #[test]
    fn root_stream_equals_whole_text(
        names in proptest::collection::vec(text(), 0..8),
        junk in proptest::collection::vec(text(), 0..4),
        window in 1usize..40,
    ) {
        let mut page = String::from("<html><body>");
        for (i, name) in names.iter().enumerate() {
            page.push_str(&format!("<a href=\"p{i}/\">{name}</a>"));
            if let Some(j) = junk.get(i) {
                page.push_str(j);
            }
        }
        page.push_str("</body></html>");
        prop_assert_eq!(stream_entries(&page, window), reader_entries(&page));
    }
}

/// Counts this thread's live heap bytes and their peak (other test threads are not counted).
mod heap {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    thread_local! {
        static LIVE: Cell<isize> = const { Cell::new(0) };
        static PEAK: Cell<isize> = const { Cell::new(0) };
    }

    fn add(delta: isize) {
        let _ = LIVE.try_with(|live| {
            let now = live.get() + delta;
            live.set(now);
            let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
        });
    }

    pub struct Counting;

    // SAFETY: every call is forwarded to `System` unchanged; the counters only observe sizes.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            add(layout.size() as isize);
            // SAFETY: forwarded with the caller's layout.
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            add(-(layout.size() as isize));
            // SAFETY: forwarded with the caller's pointer and layout.
            unsafe { System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            add(new_size as isize - layout.size() as isize);
            // SAFETY: forwarded with the caller's pointer, layout and size.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }

    /// Runs `f` and returns its result with the peak of live bytes above the start.
    pub fn peak<T>(f: impl FnOnce() -> T) -> (T, usize) {
        let start = LIVE.with(Cell::get);
        PEAK.with(|p| p.set(start));
        let value = f();
        let peak = PEAK.with(Cell::get) - start;
        (value, peak.max(0) as usize)
    }
}

#[global_allocator]
static COUNTING: heap::Counting = heap::Counting;

/// Hostile cost: the heap a page of many anchors takes beyond its text, per anchor, against a
/// budget (the `File`s themselves, their strings, and what parsing holds at its peak).
#[test]
fn many_anchors_heap_per_anchor() {
    // `PYPACKAGING_ANCHORS=1000000` for the figure of the hostile page itself.
    let anchors = std::env::var("PYPACKAGING_ANCHORS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200_000);
    let mut page = String::from("<!DOCTYPE html><html><body>\n");
    for i in 0..anchors {
        page.push_str(&format!(
            "<a href=\"/f/p-{i}.tar.gz#sha256=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\">p-{i}.tar.gz</a>\n"
        ));
    }
    page.push_str("</body></html>\n");
    let (parsed, peak) = heap::peak(|| html::parse_project_page(&page, PAGE_URL).unwrap());
    assert_eq!(parsed.value.files.len(), anchors);
    let per_anchor = peak / anchors;
    eprintln!(
        "{anchors} anchors, {} B of HTML: peak heap {peak} B beyond it, {per_anchor} B per anchor (a File is {} B)",
        page.len(),
        std::mem::size_of::<File>()
    );
    // 828 B before the file list was sized and anchors stopped being held; 381 B since.
    assert!(per_anchor < 450, "{per_anchor} B per anchor");
}

/// The deliberate deviations of DEVIATIONS.md ("Simple pages"), one case each.
mod deviations {
    use super::*;

    fn page(body: &str) -> pypackaging::simple::Parsed<ProjectPage> {
        html::parse_project_page(
            &format!("<!DOCTYPE html><html><head><title>Links for Demo_Project</title></head><body>{body}</body></html>"),
            PAGE_URL,
        )
        .unwrap()
    }

    #[test]
    fn attribute_rule_keeps_legacy_references_before_equals_or_alphanumerics() {
        let p = page(
            r#"<a href="d-1.0.tar.gz?a=1&copy=2&amp;b" data-requires-python="&gt=3.9">d-1.0.tar.gz &notit;</a>"#,
        );
        let file = &p.value.files[0];
        assert_eq!(
            file.url,
            "https://index.example/simple/demo/d-1.0.tar.gz?a=1&copy=2&b"
        );
        assert_eq!(file.requires_python.as_deref(), Some("&gt=3.9"));
        // In text the same legacy reference is decoded, the longest first.
        assert_eq!(file.filename, "d-1.0.tar.gz \u{ac}it;");
    }

    #[test]
    fn numeric_references_keep_controls_and_noncharacters() {
        let p = page(
            r#"<a href="d-1.0.tar.gz" data-yanked="&#x7f;&#xFDD0;&#x80;&#0;">d-1.0.tar.gz</a>"#,
        );
        assert_eq!(
            p.value.files[0].yanked,
            Yanked::Yanked(Some("\u{7f}\u{fdd0}\u{20ac}\u{fffd}".into()))
        );
    }

    #[test]
    fn rcdata_and_rawtext_hold_no_anchors_and_empty_hrefs_are_skipped() {
        let p = page(concat!(
            "<textarea><a href='/x-1.0.tar.gz'>x</a></textarea><title><a href='/y-1.0.tar.gz'>y</a></title>",
            "<script>'<a href=\"/z-1.0.tar.gz\">z</a>'</script><style><a href='/s-1.0.tar.gz'>s</a></style>",
            "<!-- <a href='/c-1.0.tar.gz'>c</a> --><a>none-1.0.tar.gz</a><a href=''>empty-1.0.tar.gz</a>",
            "<title>x</titlex><a href='/t-1.0.tar.gz'>t</a></title>",
            "<!-- --!><a href='d-1.0.tar.gz'>d-1.0.tar.gz</a>",
        ));
        let names: Vec<&str> = p.value.files.iter().map(|f| f.filename.as_str()).collect();
        assert_eq!(names, ["d-1.0.tar.gz"]);
    }

    #[test]
    fn provenance_is_resolved_against_the_base() {
        let p = page(
            r#"<base href="../../files/"><a href="d-1.0.tar.gz" data-provenance="d-1.0.tar.gz.provenance">d-1.0.tar.gz</a>"#,
        );
        assert_eq!(
            p.value.files[0].provenance.as_deref(),
            Some("https://index.example/files/d-1.0.tar.gz.provenance")
        );
    }

    #[test]
    fn empty_digest_is_no_hash_and_digest_case_does_not_matter() {
        let hex = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
        let p = page(&format!(
            "<a href='a-1.0.tar.gz#sha256='>a-1.0.tar.gz</a><a href='b-1.0.tar.gz#sha256={}'>b-1.0.tar.gz</a>",
            hex.to_ascii_uppercase()
        ));
        assert!(p.value.files[0].hashes.is_empty());
        assert!(matches!(
            p.warnings[0],
            Warning::NotAHashFragment { index: 0, .. }
        ));
        let computed = pypackaging::Digest::from_hex(HashAlgorithm::Sha256, hex).unwrap();
        assert_eq!(
            p.value.files[1].hashes.get(HashAlgorithm::Sha256),
            Some(&computed)
        );
    }

    #[test]
    fn gpg_sig_other_than_true_is_false_with_a_warning() {
        let p = page(r#"<a href="d-1.0.tar.gz" data-gpg-sig="yes">d-1.0.tar.gz</a>"#);
        assert_eq!(p.value.files[0].gpg_sig, Some(false));
        assert!(matches!(
            p.warnings[0],
            Warning::BadAttribute {
                attribute: "data-gpg-sig",
                ..
            }
        ));
    }

    #[test]
    fn name_is_normalized_and_version_kept() {
        let p = html::parse_project_page(
            r#"<meta name="pypi:repository-version" content="1.0"><title>Links for Demo_Project</title>"#,
            PAGE_URL,
        )
        .unwrap();
        assert_eq!(p.value.name, "demo-project");
        assert_eq!(p.value.meta.api_version, Some(ApiVersion::V1_0));
        let html_text = render_html(&p.value, &RenderOptions::absolute());
        assert!(html_text.contains(r#"content="1.0""#), "{html_text}");
        assert!(render_json(&p.value).contains(r#""api-version":"1.0""#));
    }

    #[test]
    fn one_url_rule_for_both_readers() {
        // The whole href fails (a control character in the host); without its fragment it
        // resolves as the JSON reader resolves the same URL.
        let p = page("<a href=\"https://host.example\u{1a}#sha256=00\">d-1.0.tar.gz</a>");
        let json_page = json::parse_project_page(
            "{\"meta\":{\"api-version\":\"1.1\"},\"name\":\"demo\",\"files\":[{\"filename\":\"d-1.0.tar.gz\",\"url\":\"https://host.example\\u001a\",\"hashes\":{}}]}",
            PAGE_URL,
        )
        .unwrap();
        assert_eq!(p.value.files[0].url, "https://host.example/");
        assert_eq!(json_page.value.files[0].url, p.value.files[0].url);
    }

    #[test]
    fn json_size_as_string_nulls_and_empty_status() {
        let p = json::parse_project_page(
            r#"{"meta":{"api-version":"1.1"},"name":"demo","project-status":{"status":null},"files":[
              {"filename":"d-1.0.tar.gz","url":"d-1.0.tar.gz","hashes":{},"size":"123","requires-python":null,"upload-time":null},
              {"filename":"d-1.1.tar.gz","url":"d-1.1.tar.gz","hashes":{},"requires-python":""}]}"#,
            PAGE_URL,
        )
        .unwrap()
        .value;
        assert_eq!(p.status, None);
        assert_eq!(p.files[0].size, Some(123));
        assert_eq!(p.files[0].requires_python, None);
        assert_eq!(p.files[0].upload_time, None);
        assert_eq!(p.files[1].requires_python.as_deref(), Some(""));
        let bad = json::parse_project_page(
            r#"{"meta":{"api-version":"1.1"},"name":"demo","files":[{"filename":"d","url":"d","hashes":{},"size":"12a"}]}"#,
            PAGE_URL,
        );
        assert!(bad.is_err());
    }
}

/// The serde form of a project page is its PEP 691 JSON; a root page reads back.
#[test]
fn pages_serialize_as_pep_691_json() {
    let page_url = "https://index.example/simple/demo/";
    let text = r#"{"meta":{"api-version":"1.1"},"name":"demo","files":[{"filename":"demo-1.0.tar.gz","url":"https://files.example/demo-1.0.tar.gz","hashes":{"sha256":"0000000000000000000000000000000000000000000000000000000000000000"},"yanked":"broken","size":3}],"versions":["1.0"]}"#;
    let page = pypackaging::simple::json::parse_project_page(text, page_url)
        .unwrap()
        .value;
    let value = serde_json::to_value(&page).unwrap();
    assert_eq!(value["files"][0]["yanked"], "broken");
    assert_eq!(value["files"][0]["size"], 3);
    assert_eq!(value["versions"][0], "1.0");
    let again = pypackaging::simple::json::parse_project_page(&value.to_string(), page_url)
        .unwrap()
        .value;
    assert_eq!(again, page);
    let list = pypackaging::simple::json::parse_project_list(
        r#"{"meta":{"api-version":"1.0"},"projects":[{"name":"Demo"},{"name":"other"}]}"#,
    )
    .unwrap()
    .value;
    let back: pypackaging::simple::ProjectList =
        serde_json::from_value(serde_json::to_value(&list).unwrap()).unwrap();
    assert_eq!(back, list);
}
