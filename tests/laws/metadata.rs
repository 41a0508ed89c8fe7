//! Laws of `metadata` (fuzz targets `core_metadata`, `wheel_info`, `record`).

use pypackaging::metadata::{CoreMetadata, RawMetadata, Record, WheelInfo};

/// METADATA: reading never panics; writing what was read reads back to the same fields when
/// nothing was unparsed, and writing then reading settles after two rounds otherwise; metadata
/// that validates writes and validates back to itself.
pub fn core_metadata(data: &[u8]) {
    let raw = RawMetadata::parse(data);
    let written = raw.to_string();
    let again = RawMetadata::parse(written.as_bytes());
    if raw.unparsed().is_empty() {
        assert_eq!(again, raw, "round trip of {written:?}");
    }
    let settled = RawMetadata::parse(again.to_string().as_bytes()).to_string();
    assert_eq!(
        RawMetadata::parse(settled.as_bytes()).to_string(),
        settled,
        "fixpoint from {data:?}"
    );
    let _ = raw.to_json();
    if let Ok(metadata) = raw.validate() {
        let text = metadata.to_string();
        assert_eq!(
            CoreMetadata::parse(text.as_bytes()).as_ref(),
            Ok(&metadata),
            "typed round trip of {text:?}"
        );
    }
}

/// WHEEL: parsing never panics, strictly or leniently; a file strict parsing accepts reads
/// leniently to the same value with nothing to warn about; an accepted file writes and parses
/// back to itself.
pub fn wheel_info(data: &[u8]) {
    let lenient = WheelInfo::parse_lenient(data);
    if let Ok(info) = WheelInfo::parse(data) {
        assert_eq!(
            lenient.as_ref().map(|(i, w)| (i, w.len())),
            Ok((&info, 0)),
            "{data:?}"
        );
        let text = info.to_string();
        assert_eq!(
            WheelInfo::parse(text.as_bytes()).as_ref(),
            Ok(&info),
            "{text:?}"
        );
    }
}

/// RECORD: parsing never panics, strictly or leniently; strict parsing accepts exactly the
/// files the lenient reader finds nothing wrong with, as the same rows; an accepted file writes
/// and parses back to itself.
pub fn record(data: &[u8]) {
    let strict = Record::parse(data);
    match Record::parse_lenient(data) {
        Ok((record, problems)) if problems.is_empty() => {
            assert_eq!(strict.as_ref(), Ok(&record), "{data:?}")
        }
        Ok((_, problems)) => assert_eq!(strict.as_ref().err(), problems.first(), "{data:?}"),
        Err(e) => assert_eq!(strict.as_ref().err(), Some(&e), "{data:?}"),
    }
    if let Ok(record) = strict {
        let text = record.to_string();
        assert_eq!(
            Record::parse(text.as_bytes()).as_ref(),
            Ok(&record),
            "{text:?}"
        );
    }
}
