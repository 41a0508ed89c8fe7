//! Core metadata (`METADATA`, `PKG-INFO`), `WHEEL`, `RECORD`, and wheel archives.
//!
//! | file | specification | types |
//! |---|---|---|
//! | `METADATA`, `PKG-INFO` | [Core metadata](https://packaging.python.org/en/latest/specifications/core-metadata/) 1.0 to 2.6 | [`RawMetadata`], [`CoreMetadata`], [`LicenseExpression`] |
//! | `WHEEL` | [binary distribution format](https://packaging.python.org/en/latest/specifications/binary-distribution-format/#the-dist-info-directory) | [`WheelInfo`] |
//! | `.whl` | [binary distribution format](https://packaging.python.org/en/latest/specifications/binary-distribution-format/) | [`WheelArchive`], [`Verification`] |
//! | sdist `PKG-INFO` | [source distribution format](https://packaging.python.org/en/latest/specifications/source-distribution-format/) | [`sdist_pkg_info_zip`], `sdist_pkg_info_tar_gz` (feature `sdist`) |
//! | install verdict | what pip 26.3 and installer 1.0 refuse: the rules in [`verdict`] | [`check_wheel`], [`check_sdist`], [`Verdict`], [`Finding`], [`Rule`] |
//! | `RECORD` | [recording installed projects](https://packaging.python.org/en/latest/specifications/recording-installed-packages/#the-record-file) | [`Record`], [`RecordEntry`] |
//!
//! # Two tiers, as in packaging
//!
//! [`RawMetadata::parse`] reads any METADATA or PKG-INFO file and never fails: it follows
//! `packaging.metadata.parse_email`, keeping every field it knows as text (in file order) and
//! everything else in [`RawMetadata::unparsed`]: unknown fields, single-use fields given twice,
//! values that are not UTF-8 (decoded as Latin-1, as packaging does, and flagged), duplicate
//! `Project-URL` labels, a description given both as a header and as the body.
//!
//! [`RawMetadata::validate`] (or [`CoreMetadata::parse`]) then checks every field against the
//! declared `Metadata-Version` and reports every problem at once, as
//! `Metadata.from_email(data, validate=True)` does in packaging 26.3: unknown or unparsable
//! fields, a missing or unknown `Metadata-Version`, fields newer than the declared version,
//! missing `Name`/`Version`, invalid names, versions, `Requires-Python` and `Requires-Dist`,
//! `Summary` on several lines, `Description-Content-Type`, `Dynamic` naming `Name`, `Version`,
//! `Metadata-Version` or no field, invalid extras, `License-Expression` against the SPDX list
//! (canonicalized), `License-File` paths (absolute, `\`, `..`, globs, unnormalized) and
//! `Import-Name` / `Import-Namespace` (dotted identifiers, no keywords, `; private`).
//!
//! # `Dynamic` between an sdist and its wheels
//!
//! The `Dynamic` rules of [PEP 643](https://peps.python.org/pep-0643/) and
//! [PEP 808](https://peps.python.org/pep-0808/) (metadata 2.6) relate two files, an sdist's
//! `PKG-INFO` and the `METADATA` of a wheel built from it: [`check_wheel_against_sdist`] checks
//! them. Within one file, validation checks that `Dynamic` names real fields other than `Name`,
//! `Version` and `Metadata-Version`, as packaging does.
//!
//! # Where this crate differs from packaging
//!
//! - Metadata 2.3 and later must write extras normalized (PEP 685); packaging does not check
//!   it, this crate reports [`MetadataError::UnnormalizedExtra`].
//! - The header reader follows CPython's `email.feedparser` with the `compat32` policy, which
//!   the specification names as the format's definition, instead of a MIME library: a line
//!   without a colon ends the headers and starts the body, folds keep their line breaks,
//!   `\r` alone ends a line. A `Content-Transfer-Encoding` header is not applied to the body
//!   and multipart bodies are not split (`email` would; no tool writes either).
//! - Names are written with the specification's spelling (`Home-page`), not lower-cased as
//!   packaging's `as_rfc822` writes them.
//! - `str.isidentifier` is approximated outside ASCII by Unicode alphabetic/alphanumeric
//!   classes (`Import-Name`).
//! - `Version`, `Requires-Python` and `Requires-Dist` use `pep440_rs`/`pep508_rs`, which
//!   differ from packaging on a few inputs (numbers beyond `u64`; see the conformance vectors).
//!
//! # The old `Description` header
//!
//! Before metadata 2.1 the description was a header, continued on lines indented with 8
//! spaces (distutils) or 7 spaces and `|` (the specification). The raw text keeps that
//! indentation, as packaging does; [`unescape_description`] removes it.

mod archive;
mod core;
mod dynamic;
mod field;
mod license;
mod record;
mod rfc822;
mod sdist;
mod spdx;
mod validate;
pub mod verdict;
mod wheel;

pub use archive::{
    DEFAULT_MAX_METADATA_SIZE, Verification, WheelArchive, WheelError, WheelProblem,
};
pub use core::{
    CoreMetadata, MetadataError, MetadataErrors, RawMetadata, Unparsed, UnparsedReason,
};
pub use dynamic::{DynamicViolation, check_wheel_against_sdist};
pub use field::{Field, MetadataVersion, MetadataVersionError};
pub use license::{LicenseExpression, LicenseExpressionError};
pub use record::{Record, RecordEntry, RecordError};
#[cfg(feature = "sdist")]
pub use sdist::sdist_pkg_info_tar_gz;
pub use sdist::{
    MIN_SDIST_UNPACKED_LIMIT, SDIST_UNPACKED_RATIO, SdistError, sdist_pkg_info_zip,
    sdist_unpacked_limit,
};
pub use verdict::{
    DistCheck, Finding, Rule, Severity, UnknownRule, Verdict, check_sdist, check_wheel,
};
pub use wheel::{WheelInfo, WheelInfoError};

/// Removes the continuation indentation of a description written as a `Description` header:
/// on every line after the first, 8 leading spaces, or 7 spaces and `|`, as setuptools reads
/// it back. Lines without either prefix are left alone.
///
/// ```
/// use pypackaging::metadata::unescape_description;
///
/// assert_eq!(unescape_description("Title\n        =====\n       |\n        text"), "Title\n=====\n\ntext");
/// ```
pub fn unescape_description(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, line) in value.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let line = line
                .strip_prefix("        ")
                .or_else(|| line.strip_prefix("       |"))
                .unwrap_or(line);
            out.push_str(line);
        } else {
            out.push_str(line);
        }
    }
    out
}
