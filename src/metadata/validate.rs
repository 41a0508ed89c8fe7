//! Strict validation of [`RawMetadata`] against its `Metadata-Version`, following
//! `packaging.metadata.Metadata.from_email(data, validate=True)` of packaging 26.3.

use super::core::{
    CoreMetadata, MetadataError, MetadataErrors, RawMetadata, split_keywords,
    split_project_url_owned,
};
use super::field::{Field, MetadataVersion};
use super::license::LicenseExpression;
use super::rfc822::is_line_boundary;
use crate::name::{ExtraName, PackageName};
use crate::version::is_python_space;
use crate::version::{MarkerCache, Requirement, Version, VersionSpecifiers};

/// The typed values of the fields validation parses; the others are text.
struct Checked {
    metadata_version: MetadataVersion,
    version: Version,
    dynamic: Vec<Field>,
    provides_extra: Vec<ExtraName>,
    requires_python: Option<VersionSpecifiers>,
    requires_dist: Vec<Requirement>,
    license_expression: Option<LicenseExpression>,
}

impl RawMetadata {
    /// Validates every field against the declared `Metadata-Version`, as
    /// `packaging.metadata.Metadata.from_email(data, validate=True)` does, reporting every
    /// problem at once.
    ///
    /// # Errors
    ///
    /// [`MetadataErrors`] holding one [`MetadataError`](super::MetadataError) per problem.
    pub fn validate(&self) -> Result<CoreMetadata, MetadataErrors> {
        validate(self, &mut MarkerCache::new())
    }
}

impl CoreMetadata {
    /// Reads and validates a METADATA or PKG-INFO file.
    ///
    /// # Errors
    ///
    /// Every problem [`RawMetadata::validate`] finds, and every field that could not be read.
    pub fn parse(data: &[u8]) -> Result<CoreMetadata, MetadataErrors> {
        CoreMetadata::parse_with(data, &mut MarkerCache::new())
    }

    /// [`CoreMetadata::parse`], reading each `Requires-Dist` marker through `markers`: the
    /// same result, faster when many files are read with one cache (an index builder reading
    /// every wheel's METADATA), as real files repeat the same few markers.
    ///
    /// # Errors
    ///
    /// As [`CoreMetadata::parse`].
    pub fn parse_with(
        data: &[u8],
        markers: &mut MarkerCache,
    ) -> Result<CoreMetadata, MetadataErrors> {
        validate_owned(RawMetadata::parse(data), markers)
    }
}

/// Validates `raw`, copying its text into the result.
pub(crate) fn validate(
    raw: &RawMetadata,
    markers: &mut MarkerCache,
) -> Result<CoreMetadata, MetadataErrors> {
    let checked = check(raw, markers)?;
    Ok(build(checked, |field| {
        raw.contains(field).then(|| raw.get_all(field).to_vec())
    }))
}

/// Validates `raw`, moving its text into the result.
pub(crate) fn validate_owned(
    mut raw: RawMetadata,
    markers: &mut MarkerCache,
) -> Result<CoreMetadata, MetadataErrors> {
    let checked = check(&raw, markers)?;
    Ok(build(checked, |field| raw.remove(field)))
}

/// Builds the metadata from the checked values and the text of every other field, which
/// `take` gives (`None` when absent).
fn build(checked: Checked, mut take: impl FnMut(Field) -> Option<Vec<String>>) -> CoreMetadata {
    let mut text = |field: Field| take(field).and_then(|v| v.into_iter().next());
    let name = text(Field::Name).unwrap_or_else(|| unreachable!("validated name"));
    let summary = text(Field::Summary);
    let description = text(Field::Description);
    let description_content_type = text(Field::DescriptionContentType);
    let keywords = text(Field::Keywords).map(|k| split_keywords(&k));
    let home_page = text(Field::HomePage);
    let download_url = text(Field::DownloadUrl);
    let author = text(Field::Author);
    let author_email = text(Field::AuthorEmail);
    let maintainer = text(Field::Maintainer);
    let maintainer_email = text(Field::MaintainerEmail);
    let license = text(Field::License);
    let import_names = take(Field::ImportName);
    let mut texts = |field: Field| take(field).unwrap_or_default();
    CoreMetadata {
        metadata_version: checked.metadata_version,
        name,
        version: checked.version,
        dynamic: checked.dynamic,
        platforms: texts(Field::Platform),
        supported_platforms: texts(Field::SupportedPlatform),
        summary,
        description,
        description_content_type,
        keywords,
        home_page,
        download_url,
        author,
        author_email,
        maintainer,
        maintainer_email,
        license,
        license_expression: checked.license_expression,
        license_files: texts(Field::LicenseFile),
        classifiers: texts(Field::Classifier),
        requires_dist: checked.requires_dist,
        requires_python: checked.requires_python,
        requires_external: texts(Field::RequiresExternal),
        project_urls: texts(Field::ProjectUrl)
            .into_iter()
            .map(split_project_url_owned)
            .collect(),
        provides_extra: checked.provides_extra,
        provides_dist: texts(Field::ProvidesDist),
        obsoletes_dist: texts(Field::ObsoletesDist),
        import_names,
        import_namespaces: texts(Field::ImportNamespace),
        requires: texts(Field::Requires),
        provides: texts(Field::Provides),
        obsoletes: texts(Field::Obsoletes),
    }
}

fn check(raw: &RawMetadata, markers: &mut MarkerCache) -> Result<Checked, MetadataErrors> {
    let mut errors: Vec<MetadataError> = raw
        .unparsed()
        .iter()
        .map(|u| MetadataError::Unparsed {
            name: u.name.clone(),
            reason: u.reason,
        })
        .collect();
    let unparsed = |field: Field| {
        raw.unparsed()
            .iter()
            .any(|u| u.name.eq_ignore_ascii_case(field.as_str()))
    };

    let metadata_version = match raw.get(Field::MetadataVersion) {
        None => {
            if !unparsed(Field::MetadataVersion) {
                errors.push(MetadataError::MissingMetadataVersion);
            }
            None
        }
        Some(text) => match text.parse::<MetadataVersion>() {
            Ok(v) => Some(v),
            Err(e) => {
                errors.push(e.into());
                None
            }
        },
    };
    if let Some(declared) = metadata_version {
        for (field, _) in raw.fields() {
            if field.added() > declared {
                errors.push(MetadataError::TooNew {
                    field,
                    added: field.added(),
                    declared,
                });
            }
        }
    }
    // A field too new for the declared version is reported once, not also checked.
    let too_new = |field: Field| metadata_version.is_some_and(|v| field.added() > v);
    let check = |field: Field| raw.contains(field) && !too_new(field);

    let name = match raw.get(Field::Name) {
        Some(name) if !name.is_empty() => match PackageName::new(name) {
            Ok(_) => Some(()),
            Err(source) => {
                errors.push(MetadataError::InvalidName { source });
                None
            }
        },
        _ => {
            if !unparsed(Field::Name) {
                errors.push(MetadataError::Missing { field: Field::Name });
            }
            None
        }
    };
    let version = match raw.get(Field::Version) {
        Some(text) if !text.is_empty() => match crate::version::parse_version(text) {
            Ok(v) => Some(v),
            Err(e) => {
                errors.push(MetadataError::InvalidVersion {
                    value: text.to_owned(),
                    reason: e.to_string(),
                });
                None
            }
        },
        _ => {
            if !unparsed(Field::Version) {
                errors.push(MetadataError::Missing {
                    field: Field::Version,
                });
            }
            None
        }
    };

    if let Some(value) = raw.get(Field::Summary)
        && check(Field::Summary)
        && value.chars().any(is_line_boundary)
    {
        errors.push(MetadataError::MultilineSummary {
            value: value.to_owned(),
        });
    }

    if let Some(value) = raw.get(Field::DescriptionContentType)
        && check(Field::DescriptionContentType)
        && let Err(reason) = check_content_type(value)
    {
        errors.push(MetadataError::InvalidContentType {
            value: value.to_owned(),
            reason,
        });
    }

    let mut dynamic = Vec::new();
    if check(Field::Dynamic) {
        for value in raw.get_all(Field::Dynamic) {
            match Field::from_name(value) {
                Some(Field::Name | Field::Version | Field::MetadataVersion) => {
                    errors.push(MetadataError::InvalidDynamic {
                        value: value.clone(),
                        reason: "`Name`, `Version` and `Metadata-Version` cannot be dynamic",
                    });
                }
                Some(field) => dynamic.push(field),
                None => errors.push(MetadataError::InvalidDynamic {
                    value: value.clone(),
                    reason: "not a core metadata field",
                }),
            }
        }
    }

    let mut provides_extra = Vec::new();
    if check(Field::ProvidesExtra) {
        for value in raw.get_all(Field::ProvidesExtra) {
            match ExtraName::new(value) {
                Ok(extra) => {
                    if let Some(declared) = metadata_version
                        && declared >= MetadataVersion::V2_3
                        && extra.as_str() != value
                    {
                        errors.push(MetadataError::UnnormalizedExtra {
                            value: value.clone(),
                            normalized: extra.clone(),
                            declared,
                        });
                    }
                    provides_extra.push(extra);
                }
                Err(source) => errors.push(MetadataError::InvalidExtra { source }),
            }
        }
    }

    let mut requires_python = None;
    if let Some(value) = raw.get(Field::RequiresPython)
        && check(Field::RequiresPython)
    {
        // packaging's `SpecifierSet` drops empty items (`>=3.8,` is `>=3.8`).
        let items: Vec<&str> = value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        match items.join(", ").parse::<VersionSpecifiers>() {
            Ok(s) => requires_python = Some(s),
            Err(e) => errors.push(MetadataError::InvalidRequiresPython {
                value: value.to_owned(),
                reason: first_line(&e.to_string()),
            }),
        }
    }

    let mut requires_dist = Vec::new();
    if check(Field::RequiresDist) {
        for value in raw.get_all(Field::RequiresDist) {
            match parse_requirement(value, markers) {
                Ok(r) => requires_dist.push(r),
                Err(reason) => errors.push(MetadataError::InvalidRequirement {
                    value: value.clone(),
                    reason,
                }),
            }
        }
    }

    let mut license_expression = None;
    if let Some(value) = raw.get(Field::LicenseExpression)
        && check(Field::LicenseExpression)
    {
        match value.parse::<LicenseExpression>() {
            Ok(e) => license_expression = Some(e),
            Err(source) => errors.push(MetadataError::InvalidLicenseExpression { source }),
        }
    }

    if check(Field::LicenseFile) {
        for value in raw.get_all(Field::LicenseFile) {
            if let Err(reason) = check_license_file(value) {
                errors.push(MetadataError::InvalidLicenseFile {
                    value: value.clone(),
                    reason,
                });
            }
        }
    }

    for field in [Field::ImportName, Field::ImportNamespace] {
        if check(field) {
            for value in raw.get_all(field) {
                if let Err(reason) = check_import_name(value) {
                    errors.push(MetadataError::InvalidImportName {
                        field,
                        value: value.clone(),
                        reason,
                    });
                }
            }
        }
    }

    let (Some(metadata_version), Some(()), Some(version), true) =
        (metadata_version, name, version, errors.is_empty())
    else {
        return Err(MetadataErrors(errors));
    };
    Ok(Checked {
        metadata_version,
        version,
        dynamic,
        provides_extra,
        requires_python,
        requires_dist,
        license_expression,
    })
}

/// [`crate::version::parse_requirement`] (plain requirements and repeated markers read once,
/// through `memo`), with the column in the message.
fn parse_requirement(value: &str, memo: &mut MarkerCache) -> Result<Requirement, String> {
    crate::version::parse_requirement_memo(value, memo).map_err(|e| match e.column {
        Some(column) => format!("{} (column {column})", e.message),
        None => e.message,
    })
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().to_owned()
}

/// `Description-Content-Type`: `text/plain`, `text/x-rst` or `text/markdown`, with an optional
/// `charset` that must be UTF-8 and, for Markdown, an optional `variant` of `GFM` or
/// `CommonMark` ([spec](https://packaging.python.org/en/latest/specifications/core-metadata/#description-content-type)).
fn check_content_type(value: &str) -> Result<(), String> {
    const TYPES: [&str; 3] = ["text/plain", "text/x-rst", "text/markdown"];
    let is_token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&b))
    };
    let mut parts = split_params(value).into_iter();
    let mime = parts.next().unwrap_or_default();
    let mime = mime.trim();
    let valid_mime = mime
        .split_once('/')
        .is_some_and(|(t, s)| is_token(t) && is_token(s));
    let mime = mime.to_ascii_lowercase();
    if !valid_mime || !TYPES.contains(&mime.as_str()) {
        return Err("expected `text/plain`, `text/x-rst` or `text/markdown`".into());
    }
    let mut charset = None;
    let mut variant = None;
    for param in parts {
        let param = param.trim();
        if param.is_empty() {
            continue;
        }
        let Some((key, val)) = param.split_once('=') else {
            return Err(format!("parameter `{param}` has no value"));
        };
        let key = key.trim().to_ascii_lowercase();
        let val = val.trim();
        let val = match val.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\\\"", "\"").replace("\\\\", "\\"),
            None if is_token(val) => val.to_owned(),
            None => return Err(format!("parameter value `{val}` is not a token")),
        };
        match key.as_str() {
            "charset" => charset = Some(val),
            "variant" => variant = Some(val),
            _ if !is_token(&key) || key.contains('*') => {
                return Err(format!("invalid parameter name `{key}`"));
            }
            _ => {}
        }
    }
    if let Some(charset) = charset
        && !charset.eq_ignore_ascii_case("utf-8")
    {
        return Err(format!("the charset can only be UTF-8, not `{charset}`"));
    }
    if mime == "text/markdown"
        && let Some(variant) = variant
        && variant != "GFM"
        && variant != "CommonMark"
    {
        return Err(format!(
            "the Markdown variant must be `GFM` or `CommonMark`, not `{variant}`"
        ));
    }
    Ok(())
}

/// Splits a content type at the `;` outside quoted strings.
fn split_params(value: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        let current = parts.last_mut().unwrap_or_else(|| unreachable!());
        if escaped {
            escaped = false;
            current.push(c);
        } else if quoted && c == '\\' {
            escaped = true;
            current.push(c);
        } else if c == '"' {
            quoted = !quoted;
            current.push(c);
        } else if c == ';' && !quoted {
            parts.push(String::new());
        } else {
            current.push(c);
        }
    }
    parts
}

/// `License-File`: relative, no `..`, no glob, `/` as the only separator, normalized (as
/// packaging checks it with `PureWindowsPath(path).as_posix() == path`).
fn check_license_file(path: &str) -> Result<(), &'static str> {
    if path.contains("..") {
        return Err("parent directory indicators are not allowed");
    }
    if path.contains('*') {
        return Err("paths must be resolved");
    }
    let bytes = path.as_bytes();
    let windows_absolute = (bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'/' | b'\\'))
        || path.starts_with("\\\\");
    if path.starts_with('/') || windows_absolute {
        return Err("paths must be relative");
    }
    // What `PureWindowsPath(path).as_posix()` gives for a relative path: components split on
    // either separator, empty and `.` components dropped, joined with `/` (`.` when none).
    let parts: Vec<&str> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let posix = if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    };
    if posix != path {
        return Err("paths must use `/` as the only separator, without empty or `.` parts");
    }
    Ok(())
}

/// Python 3 keywords (`keyword.kwlist`).
const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Python's `str.isidentifier`, approximated outside ASCII by Unicode alphabetic/alphanumeric
/// (Python uses XID_Start / XID_Continue).
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first == '_' || first.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric() || (!c.is_ascii() && is_mark(c)))
}

/// Combining marks that may continue an identifier (the common ranges).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// `Import-Name` / `Import-Namespace`: a dotted name of identifiers that are not keywords,
/// optionally followed by `; private` ([spec](https://packaging.python.org/en/latest/specifications/core-metadata/#import-name)).
fn check_import_name(value: &str) -> Result<(), String> {
    let (name, private) = match value.split_once(';') {
        Some((name, private)) => (name, Some(private)),
        None => (value, None),
    };
    let name = name.trim_end_matches(is_python_space);
    for identifier in name.split('.') {
        if !is_identifier(identifier) {
            return Err(format!("`{identifier}` is not a valid identifier"));
        }
        if KEYWORDS.contains(&identifier) {
            return Err(format!("`{identifier}` is a keyword"));
        }
    }
    if let Some(private) = private
        && private.trim_start_matches(is_python_space) != "private"
    {
        return Err("the only option after `;` is `private`".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        for ok in [
            "text/markdown",
            "TEXT/Markdown; charset=utf-8; variant=CommonMark",
            "text/x-rst; charset=\"UTF-8\"",
            "text/plain;",
        ] {
            assert_eq!(check_content_type(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "text/html",
            "text/markdown; variant=gfm",
            "text/plain; charset=latin-1",
            "text/plain; charset",
            "text / plain",
        ] {
            assert!(check_content_type(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn project_urls_split_alike_owned_or_borrowed() {
        for value in [
            "Homepage, https://x",
            "  Docs ,\u{a0}https://y\u{2003} ",
            "no comma",
            "",
            ",",
            "a,b,c",
            "\u{1c}x\u{1f}, y",
        ] {
            assert_eq!(
                split_project_url_owned(value.to_owned()),
                super::super::core::split_project_url(value),
                "{value:?}"
            );
        }
    }

    #[test]
    fn license_files() {
        assert_eq!(check_license_file("LICENSE"), Ok(()));
        assert_eq!(check_license_file("licenses/LICENSE.txt"), Ok(()));
        for bad in [
            "../LICENSE",
            "/LICENSE",
            "C:\\LICENSE",
            "c:/x",
            "a\\b",
            "a//b",
            "./a",
            "a/",
            "",
            "LICEN*",
        ] {
            assert!(check_license_file(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn import_names() {
        for ok in ["foo", "foo.bar", "_x; private", "foo ;  private", "café"] {
            assert_eq!(check_import_name(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "foo.",
            "1x",
            "class",
            "a.def",
            "foo; public",
            "foo; private ",
            "a-b",
        ] {
            assert!(check_import_name(bad).is_err(), "{bad}");
        }
    }
}
