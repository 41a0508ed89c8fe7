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

/// WHEEL: parsing never panics; an accepted file writes and parses back to itself.
pub fn wheel_info(data: &[u8]) {
    if let Ok(info) = WheelInfo::parse(data) {
        let text = info.to_string();
        assert_eq!(
            WheelInfo::parse(text.as_bytes()).as_ref(),
            Ok(&info),
            "{text:?}"
        );
    }
}

/// RECORD: parsing never panics; an accepted file writes and parses back to itself.
pub fn record(data: &[u8]) {
    if let Ok(record) = Record::parse(data) {
        let text = record.to_string();
        assert_eq!(
            Record::parse(text.as_bytes()).as_ref(),
            Ok(&record),
            "{text:?}"
        );
    }
}
