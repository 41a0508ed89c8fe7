//! [PEP 503](https://peps.python.org/pep-0503/) HTML pages: render and parse.
//!
//! # Rendering
//!
//! [`write_project_page`] and [`write_project_list`] write valid HTML5 into a [`fmt::Write`]
//! (`String`), and the `_io` variants into an [`io::Write`]. A project page carries a
//! `pypi:repository-version` meta tag ([PEP 629](https://peps.python.org/pep-0629/)) at
//! the version its model carries ([`Meta::render_version`], [`ApiVersion::LATEST`] when it has
//! none), the PEP 792 `pypi:project-status` and `pypi:project-status-reason`
//! tags, PyPI's `<!--SERIAL n-->` comment when the model has a serial, and one anchor per file:
//! `href` with the strongest digest as `#ALG=HEX` fragment, then `data-requires-python`,
//! `data-yanked`, `data-core-metadata` with its old spelling `data-dist-info-metadata` (PEP 714
//! lets servers keep both for older clients), `data-gpg-sig` and `data-provenance`. Every value
//! is escaped: `&`, `<`, `>`, `"` and `'` become character references, and so do C0 control
//! characters other than tab and line feed (a raw `\r` would be turned into `\n` by every HTML
//! parser), and NUL, which no HTML parser keeps, is written as U+FFFD. The output is valid
//! HTML5 (`scripts/check-simple-clients` checks it with html5lib in strict mode) unless a value
//! holds control characters, which HTML5 cannot carry without a parse error. HTML cannot carry
//! `size`, `upload-time`, `versions`, a second digest or `core-metadata: false`; the renderers
//! leave them out.
//!
//! # Parsing
//!
//! The parser is a hand-written scanner for the part of the HTML5 tokenizer simple pages need,
//! lenient as browsers are:
//!
//! - tag and attribute names in any case; attribute values double-quoted, single-quoted or
//!   unquoted; the first of duplicate attributes wins (HTML5);
//! - character references in attribute values and text as the HTML5 tokenizer reads them
//!   (checked against html5lib's): every WHATWG named reference, the legacy ones also without
//!   `;` (longest first: `&notit;` is `¬it;`), except in an attribute value where one is
//!   followed by `=` or an alphanumeric (`?a=1&copy=2` keeps `&copy`); numeric ones in decimal
//!   or hex, `;` optional, with U+FFFD for zero, surrogates and values past U+10FFFF and the
//!   windows-1252 remapping of 0x80–0x9F. Python's `html.unescape` (pip, pypi-simple) differs
//!   on the attribute rule and drops controls (DEVIATIONS.md);
//! - comments, `<!DOCTYPE>` and processing instructions are skipped, and the content of
//!   `<script>`, `<style>`, `<xmp>`, `<iframe>`, `<noembed>` (raw text) and `<textarea>`,
//!   `<title>` (text with references) is text up to its end tag, so an `<a>` there is no link
//!   (the first `<title>` outside an anchor names the project); anchors may sit inside any other markup (tables, lists, `<pre>`), and
//!   markup inside an anchor adds only its text; an `<a>` inside an open anchor closes it;
//! - `<base href>`: the first one wins, resolved against the page URL, and applies to every
//!   link of a project page (as in HTML5 and pip). On a root page read as a stream it applies
//!   to the anchors after it;
//! - anchors without `href`, or with an empty one, are skipped, as pip skips them.
//!
//! Relative URLs are resolved with the WHATWG URL parser (the `url` crate), so the model holds
//! normalized absolute URLs (`%20` for a space, a lower-case host); an `href` that does not
//! parse as a whole is resolved without its fragment, as the JSON reader resolves a `url`.
//! The project's name (from the title, or the page URL) is normalized (PEP 503). A file's name is its anchor
//! text with surrounding whitespace removed (as pypi-simple reads it), or the last segment of
//! its URL when the text is empty; a difference between the two is a
//! [`Warning::FilenameMismatch`].
//!
//! [`fmt::Write`]: std::fmt::Write
//! [`io::Write`]: std::io::Write
//! [`ApiVersion::LATEST`]: crate::simple::ApiVersion::LATEST
//! [`Meta::render_version`]: crate::simple::Meta::render_version
//! [`Warning::FilenameMismatch`]: crate::simple::Warning::FilenameMismatch

mod entities;
mod entity_table;
mod read;
mod stream;
mod tokenize;
mod write;
pub(crate) use write::escape;

pub use read::{ProjectListReader, parse_project_list, parse_project_page};
pub use stream::ProjectListStream;
pub use write::{
    write_project_list, write_project_list_io, write_project_page, write_project_page_io,
};

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use super::{entities::*, read::*, tokenize::*, write::*};
    use crate::hash::Digest;
    #[allow(unused_imports)]
    use crate::simple::*;

    /// Every byte value at every offset of a run longer than two words escapes exactly as a
    /// byte-by-byte escaper would (the word-at-a-time scan may skip nothing it should not).
    #[test]
    fn escape_scan_matches_bytewise() {
        fn bytewise(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    '\0' => out.push('\u{fffd}'),
                    '\t' | '\n' => out.push(c),
                    c if (c as u32) < 0x20 || c == '\x7f' => {
                        out.push_str(&format!("&#{};", c as u32));
                    }
                    c => out.push(c),
                }
            }
            out
        }
        for (b, at, text) in crate::bytes::every_byte_at_every_offset() {
            let mut out = String::new();
            escape(&mut out, &text).unwrap();
            assert_eq!(out, bytewise(&text), "byte {b:#x} at {at}");
        }
    }

    fn one(d: Digest) -> Hashes {
        Hashes::from_digests([d])
    }

    const PAGE: &str = "https://index.example/simple/demo/";

    fn tokens(src: &str) -> Vec<String> {
        let mut t = Tokenizer::new(src);
        let mut out = Vec::new();
        while let Some(token) = t.next_token() {
            out.push(match token {
                Token::Start(tag) => format!(
                    "<{}{}>",
                    tag.name,
                    tag.attributes
                        .iter()
                        .map(|(n, v)| format!(" {n}={v:?}"))
                        .collect::<String>()
                ),
                Token::End(n) => format!("</{n}>"),
                Token::Text(s) => format!("{s:?}"),
                Token::Comment(s) => format!("<!--{s}-->"),
            });
        }
        out
    }

    #[test]
    fn tokenizer_quoting_and_case() {
        assert_eq!(
            tokens(
                r#"<A HREF=x.whl Data-Yanked='it&apos;s' data-gpg-sig = "true" checked/>t</a >"#
            ),
            [
                r#"<A HREF="x.whl" Data-Yanked="it's" data-gpg-sig="true" checked="">"#,
                r#""t""#,
                "</a>"
            ]
        );
        assert_eq!(tokens("<a href=a href=b>"), [r#"<a href="a">"#]);
        assert_eq!(
            tokens("a < b <!-- c --> <!---->"),
            [
                r#""a ""#,
                r#""<""#,
                r#"" b ""#,
                "<!-- c -->",
                r#"" ""#,
                "<!---->"
            ]
        );
        assert_eq!(
            tokens("<script>if (a<b) '<a href=x>'</SCRIPT>"),
            ["<script>", r#""if (a<b) '<a href=x>'""#, "</SCRIPT>"]
        );
        assert_eq!(tokens("<a href='unterminated"), Vec::<String>::new());
    }

    #[test]
    fn references() {
        assert_eq!(
            decode("a&amp;b&lt;&#60;&#x3C;&#X3c&quot;", false),
            "a&b<<<<\""
        );
        assert_eq!(decode("?a=1&amp=2&ampx&amp", true), "?a=1&amp=2&ampx&");
        assert_eq!(
            decode("&copy; &#0; &#xD800; &#99999999;", false),
            "\u{a9} \u{fffd} \u{fffd} \u{fffd}"
        );
        // The whole WHATWG table; legacy names longest first, without `;` too.
        assert_eq!(
            decode(
                "&period;&CounterClockwiseContourIntegral;&notin;&notit;",
                false
            ),
            ".\u{2233}\u{2209}\u{ac}it;"
        );
        assert_eq!(
            decode("&nosuch; &AMP &ampx &copy2", false),
            "&nosuch; & &x \u{a9}2"
        );
        // In attributes a legacy match followed by `=` or an alphanumeric stays as written.
        assert_eq!(
            decode("&notit; &copy=1 &copy-1 &gt=3", true),
            "&notit; &copy=1 \u{a9}-1 &gt=3"
        );
        // The C1 remapping table, kept holes, zero padding, overflow.
        assert_eq!(
            decode(
                "&#x80;&#x81;&#150;&#x9f;&#x00000041;&#x0000000000041;&#x110000;&#1114112",
                false
            ),
            "\u{20ac}\u{81}\u{2013}\u{178}AA\u{fffd}\u{fffd}"
        );
        assert_eq!(decode("&", false), "&");
        assert_eq!(decode("&#;", false), "&#;");
    }

    #[test]
    fn escaping_is_decoded_back() {
        let hostile = "\"><script>alert('x')</script>&amp;\r\n\t\u{1}é";
        let mut out = String::new();
        escape(&mut out, hostile).unwrap();
        assert!(!out.contains('<') && !out.contains('"') && !out.contains('\r'));
        assert_eq!(decode(&out, true), hostile);
    }

    #[test]
    fn parse_pypi_shape() {
        let sha = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
        let html = format!(
            "<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" content=\"1.1\">\
             <title>Links for Demo</title></head><body><h1>Links for Demo</h1>\
             <a href=\"../../files/demo-1.0-py3-none-any.whl#sha256={sha}\" \
             data-requires-python=\"&gt;=3.8\" data-dist-info-metadata=\"sha256={sha}\" \
             data-core-metadata=\"sha256={sha}\" data-yanked=\"\">demo-1.0-py3-none-any.whl</a><br/>\
             </body></html>\n<!--SERIAL 42-->"
        );
        let parsed = parse_project_page(&html, PAGE).unwrap();
        assert_eq!(parsed.warnings, []);
        let page = parsed.value;
        // PEP 503: the name is normalized.
        assert_eq!(page.name, "demo");
        assert_eq!(page.meta.api_version, Some(ApiVersion::new(1, 1)));
        assert_eq!(page.meta.last_serial.as_deref(), Some("42"));
        let file = &page.files[0];
        assert_eq!(
            file.url,
            "https://index.example/files/demo-1.0-py3-none-any.whl"
        );
        let digest = Digest::from_url_fragment(&format!("sha256={sha}")).unwrap();
        assert_eq!(file.hashes, one(digest));
        assert_eq!(file.core_metadata, CoreMetadata::Available(one(digest)));
        assert_eq!(file.yanked, Yanked::Yanked(None));
    }

    #[test]
    fn warnings_and_errors() {
        let html = "<a href='x/other.whl#md5=zz'>demo.whl</a><a href='y.whl#egg=y' data-gpg-sig=maybe>y.whl</a>";
        let parsed = parse_project_page(html, PAGE).unwrap();
        let text: Vec<String> = parsed.warnings.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(text.join("\n"), @r"
        hash `md5=zz` kept as text: invalid md5 digest `zz`: character 'z' at column 1 is not allowed in hex
        file 0: anchor text `demo.whl` differs from the file name `other.whl` in its URL
        file 1: URL fragment `egg=y` is not a hash
        file 1: attribute data-gpg-sig has the value `maybe`, which is not allowed there
        ");
        let err = parse_project_page("<meta name='pypi:repository-version' content='2.0'>", PAGE)
            .unwrap_err();
        insta::assert_snapshot!(err, @"unsupported API version 2.0: this crate reads major version 1");
        let newer = parse_project_page("<meta name='pypi:repository-version' content='1.9'>", PAGE)
            .unwrap();
        insta::assert_snapshot!(newer.warnings[0], @"the page declares API version 1.9, newer than 1.4, the latest this crate knows");
    }
}
