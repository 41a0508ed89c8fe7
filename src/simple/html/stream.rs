//! A root page read from an `io::Read` in windows, built on the page walker.

use std::io;

use crate::simple::{Meta, ProjectEntry, SimpleError, Warning};

use super::read::{ListState, Walker};

/// How much a [`ProjectListStream`] reads at a time (it reads more when a window holds no
/// place to cut).
pub(super) const STREAM_CHUNK: usize = 64 * 1024;

/// A root page read from an [`io::Read`] as a stream of its projects, holding only a window of
/// the page in memory.
///
/// The page is scanned in windows of about 64 KiB. A window is cut where the scanner is
/// between tokens, outside any anchor, title, comment or script, and before the window's last
/// token (which may be incomplete); the rest is scanned again with the next window. A page with
/// no such place (anchors never closed) is held until one comes or the page ends, so the result
/// is always what [`parse_project_list`](super::parse_project_list) gives for the whole text.
///
/// # Examples
///
/// ```
/// use pypackaging::simple::html::ProjectListStream;
///
/// let page = "<!DOCTYPE html><html><body><a href=\"/simple/a/\">A</a><a href=\"/simple/b/\">b</a></body></html>";
/// let names: Vec<String> = ProjectListStream::new(page.as_bytes(), "https://pypi.example/simple/")?
///     .map(|entry| entry.map(|e| e.name))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(names, ["A", "b"]);
/// # Ok::<(), pypackaging::simple::SimpleError>(())
/// ```
pub struct ProjectListStream<R> {
    reader: R,
    /// The window: decoded text not yet scanned to a cut.
    text: String,
    /// Bytes read but not yet decoded (an incomplete UTF-8 sequence at a read boundary).
    undecoded: Vec<u8>,
    /// Bytes of the page before `text`, for error offsets.
    offset: u64,
    window: usize,
    next_read: usize,
    eof: bool,
    done: bool,
    seen_base: bool,
    list: ListState,
    ready: std::collections::VecDeque<Result<ProjectEntry, SimpleError>>,
}

impl<R: io::Read> ProjectListStream<R> {
    /// Starts reading a root page served at `page_url` from `reader`.
    ///
    /// # Errors
    ///
    /// `page_url` is not an absolute URL.
    pub fn new(reader: R, page_url: &str) -> Result<Self, SimpleError> {
        Ok(ProjectListStream {
            reader,
            text: String::new(),
            undecoded: Vec::new(),
            offset: 0,
            window: STREAM_CHUNK,
            next_read: STREAM_CHUNK,
            eof: false,
            done: false,
            seen_base: false,
            list: ListState::new(page_url)?,
            ready: std::collections::VecDeque::new(),
        })
    }

    /// Sets how many bytes to read at a time (64 KiB by default; at least 1).
    pub fn with_window(mut self, bytes: usize) -> Self {
        self.window = bytes.max(1);
        self.next_read = self.window;
        self
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

    /// Reads up to `next_read` more bytes and decodes what is complete.
    fn fill(&mut self) -> Result<(), SimpleError> {
        let start = self.undecoded.len();
        self.undecoded.resize(start + self.next_read, 0);
        let mut filled = start;
        while filled < self.undecoded.len() {
            match self.reader.read(&mut self.undecoded[filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(SimpleError::Io {
                        message: e.to_string(),
                    });
                }
            }
        }
        self.undecoded.truncate(filled);
        let valid = match std::str::from_utf8(&self.undecoded) {
            Ok(text) => text.len(),
            // An incomplete sequence at the end waits for the next read.
            Err(e) if e.error_len().is_none() && !self.eof => e.valid_up_to(),
            Err(e) => {
                return Err(SimpleError::InvalidUtf8 {
                    offset: self.offset + (self.text.len() + e.valid_up_to()) as u64,
                });
            }
        };
        let decoded = std::str::from_utf8(&self.undecoded[..valid]).unwrap_or_default();
        self.text.push_str(decoded);
        self.undecoded.drain(..valid);
        Ok(())
    }

    /// Scans the window, queues the entries up to the last place it can be cut (all of them at
    /// the end of the page) and drops the text before that place.
    fn scan(&mut self) {
        let ProjectListStream {
            text, list, ready, ..
        } = self;
        let mut walker = Walker::new(text);
        walker.seen_base = self.seen_base;
        let mut events = Vec::new();
        let mut cut = None;
        while let Some(event) = walker.next_event() {
            events.push(event);
            let clean = walker.anchor.is_none()
                && walker.title.is_none()
                && walker.tokens.raw_until.is_none();
            if clean && walker.tokens.pos < text.len() {
                cut = Some((events.len(), walker.tokens.pos, walker.seen_base));
            }
        }
        let (count, consumed, seen_base) = if self.eof {
            (events.len(), text.len(), walker.seen_base)
        } else {
            match cut {
                Some(cut) => cut,
                None => {
                    // No place to cut: read more before scanning again.
                    self.next_read = self.next_read.saturating_mul(2);
                    return;
                }
            }
        };
        for event in events.into_iter().take(count) {
            if let Some(item) = list.apply(event) {
                let failed = item.is_err();
                ready.push_back(item);
                if failed {
                    self.done = true;
                    break;
                }
            }
        }
        self.seen_base = seen_base;
        self.offset += consumed as u64;
        text.drain(..consumed);
        self.next_read = self.window;
    }
}

impl<R: io::Read> Iterator for ProjectListStream<R> {
    type Item = Result<ProjectEntry, SimpleError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            if let Err(e) = self.fill() {
                self.done = true;
                return Some(Err(e));
            }
            self.scan();
            if self.eof {
                self.done = true;
            }
        }
    }
}
