//! Reading PEP 503 pages: the page walker, anchors to files, project pages and root pages
//! in memory.

use std::borrow::Cow;

use crate::simple::{
    ApiVersion, CoreMetadata, File, Hashes, Meta, Parsed, ProjectEntry, ProjectList, ProjectPage,
    ProjectStatus, Resolver, SimpleError, StatusMarker, Warning, Yanked,
};

use super::entities::decode;
use super::tokenize::{Tag, Token, Tokenizer, is_space};

/// An anchor with the attributes simple pages use.
#[derive(Default)]
pub(super) struct RawAnchor<'a> {
    pub(super) href: Cow<'a, str>,
    pub(super) requires_python: Option<Cow<'a, str>>,
    pub(super) yanked: Option<Cow<'a, str>>,
    pub(super) core_metadata: Option<Cow<'a, str>>,
    pub(super) dist_info_metadata: Option<Cow<'a, str>>,
    pub(super) gpg_sig: Option<Cow<'a, str>>,
    pub(super) provenance: Option<Cow<'a, str>>,
    pub(super) text: Cow<'a, str>,
}

impl<'a> RawAnchor<'a> {
    pub(super) fn new(tag: &mut Tag<'a>) -> Option<Self> {
        let mut anchor = RawAnchor::default();
        let mut href = None;
        for (name, value) in tag.attributes.drain(..) {
            let slot = if name.eq_ignore_ascii_case("href") {
                &mut href
            } else if name.len() > 5 && name.as_bytes()[..5].eq_ignore_ascii_case(b"data-") {
                // The first five bytes are ASCII, so byte 5 starts a character.
                let rest = &name[5..];
                if rest.eq_ignore_ascii_case("requires-python") {
                    &mut anchor.requires_python
                } else if rest.eq_ignore_ascii_case("yanked") {
                    &mut anchor.yanked
                } else if rest.eq_ignore_ascii_case("core-metadata") {
                    &mut anchor.core_metadata
                } else if rest.eq_ignore_ascii_case("dist-info-metadata") {
                    &mut anchor.dist_info_metadata
                } else if rest.eq_ignore_ascii_case("gpg-sig") {
                    &mut anchor.gpg_sig
                } else if rest.eq_ignore_ascii_case("provenance") {
                    &mut anchor.provenance
                } else {
                    continue;
                }
            } else {
                continue;
            };
            *slot = Some(value);
        }
        // pip skips anchors without an href, or with an empty one.
        anchor.href = href.filter(|h| !h.is_empty())?;
        Some(anchor)
    }
}

/// What the page walker reports.
pub(super) enum Event<'a> {
    Anchor(RawAnchor<'a>),
    Meta {
        name: &'a str,
        content: Cow<'a, str>,
    },
    Base(Cow<'a, str>),
    Title(String),
    Serial(&'a str),
}

/// Walks a page and reports anchors (with their text), `pypi:` meta tags, the first base
/// `href`, the title and PyPI's serial comment.
pub(super) struct Walker<'a> {
    pub(super) tokens: Tokenizer<'a>,
    pub(super) anchor: Option<RawAnchor<'a>>,
    pub(super) title: Option<String>,
    pub(super) seen_base: bool,
}

impl<'a> Walker<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        Walker {
            tokens: Tokenizer::new(src),
            anchor: None,
            title: None,
            seen_base: false,
        }
    }

    /// Handles a start tag; the event it completes, if any.
    pub(super) fn start(&mut self, tag: &mut Tag<'a>) -> Option<Event<'a>> {
        if tag.is("a") {
            // An `<a>` inside an open anchor closes it (HTML5 adoption agency).
            let previous = self.anchor.take();
            self.anchor = RawAnchor::new(tag);
            return previous.map(Event::Anchor);
        }
        if tag.is("meta") {
            if let (Some(name), Some(content)) = (tag.get("name"), tag.get("content"))
                && let Some(rest) = name.strip_prefix("pypi:")
            {
                // Names borrow from the source when they have no references.
                let name = match name {
                    Cow::Borrowed(n) => &n[5..],
                    Cow::Owned(_) => match rest {
                        "repository-version" => "repository-version",
                        "project-status" => "project-status",
                        "project-status-reason" => "project-status-reason",
                        "tracks" => "tracks",
                        "alternate-locations" => "alternate-locations",
                        _ => return None,
                    },
                };
                return Some(Event::Meta {
                    name,
                    content: content.clone(),
                });
            }
        } else if tag.is("base") {
            if !self.seen_base
                && let Some(href) = tag.get("href")
            {
                self.seen_base = true;
                return Some(Event::Base(href.clone()));
            }
        } else if tag.is("title") && self.anchor.is_none() {
            self.title = Some(String::new());
        }
        None
    }

    pub(super) fn next_event(&mut self) -> Option<Event<'a>> {
        loop {
            let Some(token) = self.tokens.next_token() else {
                return self.anchor.take().map(Event::Anchor);
            };
            match token {
                Token::Text(text) => {
                    if let Some(anchor) = &mut self.anchor {
                        let piece = decode(text, false);
                        if anchor.text.is_empty() {
                            anchor.text = piece;
                        } else {
                            anchor.text.to_mut().push_str(&piece);
                        }
                    } else if let Some(title) = &mut self.title {
                        title.push_str(&decode(text, false));
                    }
                }
                Token::Start(mut tag) => {
                    let event = self.start(&mut tag);
                    tag.attributes.clear();
                    self.tokens.spare = tag.attributes;
                    if event.is_some() {
                        return event;
                    }
                }
                Token::End(name) => {
                    if name.eq_ignore_ascii_case("a") {
                        if let Some(anchor) = self.anchor.take() {
                            return Some(Event::Anchor(anchor));
                        }
                    } else if name.eq_ignore_ascii_case("title")
                        && let Some(title) = self.title.take()
                    {
                        return Some(Event::Title(title));
                    }
                }
                Token::Comment(text) => {
                    if let Some(serial) = text.strip_prefix("SERIAL ").map(str::trim)
                        && !serial.is_empty()
                        && serial.bytes().all(|b| b.is_ascii_digit())
                    {
                        return Some(Event::Serial(serial));
                    }
                }
            }
        }
    }
}

/// Collects `pypi:` meta tags into the page's metadata.
#[derive(Default)]
pub(super) struct MetaState {
    pub(super) meta: Meta,
    pub(super) status: Option<ProjectStatus>,
    pub(super) alternate_locations: Vec<String>,
    pub(super) version_seen: bool,
}

impl MetaState {
    pub(super) fn apply(
        &mut self,
        name: &str,
        content: &str,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), SimpleError> {
        match name {
            "repository-version" if !self.version_seen => {
                self.version_seen = true;
                let version: ApiVersion = content.parse()?;
                crate::simple::check_api_version(version, warnings)?;
                self.meta.api_version = Some(version);
            }
            "project-status" => {
                let status = self.status.get_or_insert_with(ProjectStatus::default);
                if status.status.is_none() {
                    status.status = Some(StatusMarker::new(content));
                }
            }
            "project-status-reason" => {
                let status = self.status.get_or_insert_with(ProjectStatus::default);
                if status.reason.is_none() {
                    status.reason = Some(content.to_owned());
                }
            }
            "tracks" => self.meta.tracks.push(content.to_owned()),
            "alternate-locations" => self.alternate_locations.push(content.to_owned()),
            _ => {}
        }
        Ok(())
    }
}

/// Resolves `href` against the page URL (for `<base href>`); an unresolvable one is reported
/// and `None`.
pub(super) fn resolve(
    base: &url::Url,
    href: &str,
    warnings: &mut Vec<Warning>,
) -> Option<url::Url> {
    match base.join(url_trim(href)) {
        Ok(url) => Some(url),
        Err(e) => {
            warnings.push(Warning::UnresolvableUrl {
                href: href.to_owned(),
                reason: e.to_string(),
            });
            None
        }
    }
}

/// One pass over the `<` of `html`: whether it has `<base` anywhere, in any case (a cheap,
/// conservative test for a `<base>` element: one in a comment or a script counts too), and how
/// many `<a` followed by whitespace it has (an estimate of its anchors, to size the file list;
/// at most one per 12 bytes, the shortest anchor with an `href` and a text).
fn prescan(html: &str) -> (bool, usize) {
    let b = html.as_bytes();
    let mut base = false;
    let mut anchors = 0usize;
    for i in memchr::memchr_iter(b'<', b) {
        match b.get(i + 1) {
            Some(b'a' | b'A') if b.get(i + 2).is_some_and(|&c| is_space(c)) => anchors += 1,
            Some(b'b' | b'B')
                if b.get(i + 1..i + 5)
                    .is_some_and(|n| n.eq_ignore_ascii_case(b"base")) =>
            {
                base = true
            }
            _ => {}
        }
    }
    (base, anchors.min(b.len() / 12))
}

/// Strips what the WHATWG URL parser strips from both ends of its input: C0 controls and
/// spaces (HTML's surrounding ASCII whitespace among them).
pub(super) fn url_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// Percent-decodes a URL path segment (lossy for invalid UTF-8).
pub(super) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(b[i + 1]) << 4 | hex(b[i + 2]));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(super) fn file_from_anchor(
    index: usize,
    anchor: RawAnchor<'_>,
    resolver: &Resolver,
    last_valid: &mut Option<String>,
    warnings: &mut Vec<Warning>,
) -> File {
    let href = url_trim(&anchor.href);
    let mut failed = Vec::new();
    let resolved = resolver.resolve_text(href, &mut failed);
    let (url, fragment) = if failed.is_empty() {
        match resolved.split_once('#') {
            Some((u, f)) => (u.to_owned(), Some(f.to_owned())),
            None => (resolved, None),
        }
    } else {
        // The href does not parse as a whole. The model's URL has no fragment, and the JSON
        // reader resolves it on its own, so resolve the part before the fragment as that reader
        // would (the parser strips the control characters a fragment no longer follows); what
        // still fails is kept as written, trimmed as the parser trims.
        let (before, fragment) = match href.split_once('#') {
            Some((u, f)) => (u, Some(f.to_owned())),
            None => (href, None),
        };
        let before = url_trim(before);
        let mut again = Vec::new();
        let url = resolver.resolve_text(before, &mut again);
        if !again.is_empty() {
            warnings.append(&mut failed);
        }
        (url, fragment)
    };
    let url_filename = {
        let path = url.split(['?']).next().unwrap_or("");
        let after_authority = path.find("://").map_or(path, |i| &path[i + 3..]);
        match after_authority.find('/') {
            Some(i) => percent_decode(after_authority[i..].rsplit('/').next().unwrap_or("")),
            None => String::new(),
        }
    };
    let mut hashes = Hashes::new();
    if let Some(fragment) = fragment {
        match fragment.split_once('=') {
            // A fragment is a hash when it names an algorithm or carries a hex value;
            // anything else (`#egg=name`, `#md5`) is reported and dropped.
            // An empty value (`#sha256=`) is no hash (as pypi-simple reads it).
            Some((name, "")) if name.parse::<crate::hash::HashAlgorithm>().is_ok() => {
                warnings.push(Warning::NotAHashFragment { index, fragment });
            }
            Some((name, value))
                if !name.is_empty()
                    && (name.parse::<crate::hash::HashAlgorithm>().is_ok()
                        || (!value.is_empty() && value.bytes().all(|b| b.is_ascii_hexdigit()))) =>
            {
                if let Some(w) = hashes.insert_raw(name, value) {
                    warnings.push(w);
                }
            }
            _ if fragment.is_empty() => {}
            _ => warnings.push(Warning::NotAHashFragment { index, fragment }),
        }
    }
    let text = anchor.text.trim();
    let filename = if text.is_empty() {
        url_filename.trim().to_owned()
    } else {
        text.to_owned()
    };
    if filename != url_filename {
        warnings.push(Warning::FilenameMismatch {
            index,
            text: filename.clone(),
            url_filename,
        });
    }
    let metadata_value = match (&anchor.core_metadata, &anchor.dist_info_metadata) {
        (Some(a), Some(b)) => {
            if a != b {
                warnings.push(Warning::MetadataKeysDisagree { index });
            }
            Some(a)
        }
        (Some(a), None) | (None, Some(a)) => Some(a),
        (None, None) => None,
    };
    let core_metadata = match metadata_value {
        None => CoreMetadata::Absent,
        Some(v) if v == "true" => CoreMetadata::Available(Hashes::new()),
        Some(v) => {
            // As pip reads it: any other value means "available", with a hash when it has one.
            let mut hashes = Hashes::new();
            match v.split_once('=') {
                Some((name, value)) => {
                    if let Some(w) = hashes.insert_raw(name, value) {
                        warnings.push(w);
                    }
                }
                None => warnings.push(Warning::BadAttribute {
                    index,
                    attribute: "data-core-metadata",
                    value: v.to_string(),
                }),
            }
            CoreMetadata::Available(hashes)
        }
    };
    let gpg_sig = anchor.gpg_sig.map(|v| {
        if v.eq_ignore_ascii_case("true") {
            true
        } else {
            // pypi-simple reads any value but `true` as "no signature"; `false` is the only
            // other value PEP 503 allows.
            if !v.eq_ignore_ascii_case("false") {
                warnings.push(Warning::BadAttribute {
                    index,
                    attribute: "data-gpg-sig",
                    value: v.into_owned(),
                });
            }
            false
        }
    });
    let provenance = anchor
        .provenance
        .map(|p| resolver.resolve_text(url_trim(&p), warnings));
    let file = File {
        filename,
        url,
        hashes,
        requires_python: anchor.requires_python.map(Cow::into_owned),
        yanked: match anchor.yanked {
            None => Yanked::No,
            Some(reason) => Yanked::with_reason(&reason),
        },
        core_metadata,
        gpg_sig,
        size: None,
        upload_time: None,
        provenance,
    };
    crate::simple::check_file(index, &file, last_valid, warnings);
    file
}

/// Parses a PEP 503 project page served at `page_url`.
///
/// # Errors
///
/// `page_url` is not an absolute URL, or the page declares an API version this crate cannot
/// read ([`SimpleError::InvalidApiVersion`], [`SimpleError::UnsupportedApiVersion`]).
///
/// # Examples
///
/// ```
/// use pypackaging::simple::html;
///
/// let page = html::parse_project_page(
///     r#"<!DOCTYPE html><html><head><base href="/files/"><title>Links for demo</title></head>
///     <body><A HREF='demo-1.0.tar.gz#sha256=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae'
///     data-requires-python="&gt;=3.9">demo-1.0.tar.gz</A></body></html>"#,
///     "https://index.example/simple/demo/",
/// )?;
/// let file = &page.value.files[0];
/// assert_eq!(page.value.name, "demo");
/// assert_eq!(file.url, "https://index.example/files/demo-1.0.tar.gz");
/// assert_eq!(file.requires_python.as_deref(), Some(">=3.9"));
/// assert!(page.warnings.is_empty());
/// # Ok::<(), pypackaging::simple::SimpleError>(())
/// ```
pub fn parse_project_page(html: &str, page_url: &str) -> Result<Parsed<ProjectPage>, SimpleError> {
    let page = crate::simple::page_url_parse(page_url)?;
    let mut warnings = Vec::new();
    let mut walker = Walker::new(html);
    let mut state = MetaState::default();
    let mut base = None;
    let mut title = None;
    let mut serial = None;
    let mut last_valid = None;
    // A `<base href>` applies to every link, those before it too, so a page that may have one
    // holds its anchors until the end; any other page (nearly all) turns each anchor into its
    // `File` at once, without holding the anchor.
    let mut held = Vec::new();
    let (has_base, estimate) = prescan(html);
    let direct = (!has_base).then(|| Resolver::new(page.clone()));
    let mut files = Vec::with_capacity(if has_base { 0 } else { estimate });
    while let Some(event) = walker.next_event() {
        match event {
            Event::Anchor(a) => match &direct {
                Some(resolver) => {
                    let index = files.len();
                    files.push(file_from_anchor(
                        index,
                        a,
                        resolver,
                        &mut last_valid,
                        &mut warnings,
                    ));
                }
                None => held.push(a),
            },
            Event::Meta { name, content } => state.apply(name, &content, &mut warnings)?,
            Event::Base(href) => {
                if let Some(url) = resolve(&page, &href, &mut warnings) {
                    base = Some(url);
                }
            }
            Event::Title(t) => {
                title.get_or_insert(t);
            }
            Event::Serial(s) => {
                serial.get_or_insert(s);
            }
        }
    }
    if direct.is_none() {
        let resolver = Resolver::new(base.unwrap_or_else(|| page.clone()));
        files.reserve_exact(held.len());
        for (i, a) in held.into_iter().enumerate() {
            files.push(file_from_anchor(
                i,
                a,
                &resolver,
                &mut last_valid,
                &mut warnings,
            ));
        }
    }
    if files.capacity() > files.len() + files.len() / 4 {
        // The estimate counted `<a ` that were no anchors (or had no `href`).
        files.shrink_to_fit();
    }
    let name = match title.as_deref().map(str::trim) {
        Some(t) if t.starts_with("Links for ") => t["Links for ".len()..].trim().to_owned(),
        _ => page
            .path_segments()
            .and_then(|mut s| s.rfind(|s| !s.is_empty()))
            .map(percent_decode)
            .unwrap_or_default(),
    };
    // PEP 503: the project's name, normalized.
    let name = match crate::name::normalize(&name) {
        std::borrow::Cow::Borrowed(_) => name,
        std::borrow::Cow::Owned(n) => n,
    };
    state.meta.last_serial = serial.map(str::to_owned);
    let project = ProjectPage {
        meta: state.meta,
        name,
        files,
        versions: None,
        status: state.status,
        alternate_locations: state.alternate_locations,
    };
    crate::simple::check_page(&project, &mut warnings);
    Ok(Parsed {
        value: project,
        warnings,
    })
}

/// What reading a root page accumulates besides its entries: metadata, `<base>`, warnings.
pub(super) struct ListState {
    pub(super) page: url::Url,
    pub(super) resolver: Resolver,
    pub(super) state: MetaState,
    pub(super) warnings: Vec<Warning>,
}

impl ListState {
    pub(super) fn new(page_url: &str) -> Result<Self, SimpleError> {
        let page = crate::simple::page_url_parse(page_url)?;
        Ok(ListState {
            resolver: Resolver::new(page.clone()),
            page,
            state: MetaState::default(),
            warnings: Vec::new(),
        })
    }

    /// Applies one event: the entry it completes, an error that ends the page, or nothing.
    pub(super) fn apply(&mut self, event: Event<'_>) -> Option<Result<ProjectEntry, SimpleError>> {
        match event {
            Event::Anchor(anchor) => {
                let url = self
                    .resolver
                    .resolve_text(url_trim(&anchor.href), &mut self.warnings);
                Some(Ok(ProjectEntry {
                    name: match anchor.text.trim() {
                        t if t.len() == anchor.text.len() => anchor.text.into_owned(),
                        t => t.to_owned(),
                    },
                    url: Some(url),
                }))
            }
            Event::Meta { name, content } => self
                .state
                .apply(name, &content, &mut self.warnings)
                .err()
                .map(Err),
            Event::Base(href) => {
                if let Some(base) = resolve(&self.page, &href, &mut self.warnings) {
                    self.resolver = Resolver::new(base);
                }
                None
            }
            Event::Title(_) => None,
            Event::Serial(s) => {
                if self.state.meta.last_serial.is_none() {
                    self.state.meta.last_serial = Some(s.to_owned());
                }
                None
            }
        }
    }
}

/// A root page read as a stream: an iterator of its projects.
///
/// Nothing is collected: each anchor becomes a [`ProjectEntry`] as the scanner reaches it.
/// [`meta`](ProjectListReader::meta) and [`warnings`](ProjectListReader::warnings) hold what
/// has been seen so far (complete once the iterator is exhausted). An unsupported API version
/// is yielded as an error, after which the iterator ends. [`ProjectListStream`](super::ProjectListStream)
/// does the same from an [`io::Read`](std::io::Read), without holding the whole page.
pub struct ProjectListReader<'a> {
    walker: Walker<'a>,
    list: ListState,
    failed: bool,
}

impl<'a> ProjectListReader<'a> {
    /// Starts reading a root page served at `page_url`.
    ///
    /// # Errors
    ///
    /// `page_url` is not an absolute URL.
    pub fn new(html: &'a str, page_url: &str) -> Result<Self, SimpleError> {
        Ok(ProjectListReader {
            walker: Walker::new(html),
            list: ListState::new(page_url)?,
            failed: false,
        })
    }

    /// The page metadata seen so far.
    pub fn meta(&self) -> &Meta {
        &self.list.state.meta
    }

    /// The warnings so far.
    pub fn warnings(&self) -> &[Warning] {
        &self.list.warnings
    }

    /// The metadata and warnings, once done.
    pub fn finish(self) -> (Meta, Vec<Warning>) {
        (self.list.state.meta, self.list.warnings)
    }
}

impl Iterator for ProjectListReader<'_> {
    type Item = Result<ProjectEntry, SimpleError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            let event = self.walker.next_event()?;
            if let Some(item) = self.list.apply(event) {
                self.failed = item.is_err();
                return Some(item);
            }
        }
    }
}

/// Parses a PEP 503 root page served at `page_url` into a [`ProjectList`]. For a large page,
/// [`ProjectListReader`] gives the same entries one by one.
///
/// # Errors
///
/// As [`parse_project_page`].
pub fn parse_project_list(html: &str, page_url: &str) -> Result<Parsed<ProjectList>, SimpleError> {
    let mut reader = ProjectListReader::new(html, page_url)?;
    let mut projects = Vec::new();
    for entry in reader.by_ref() {
        projects.push(entry?);
    }
    let (meta, warnings) = reader.finish();
    Ok(Parsed {
        value: ProjectList { meta, projects },
        warnings,
    })
}
