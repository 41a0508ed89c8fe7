//! Laws of `hash` (fuzz target `digest`).

use pypackaging::Digest;

/// Digests: each textual form either fails or round-trips exactly (after lower-casing hex), and
/// every accepted digest prints in the other forms, which parse back to it.
pub fn digest(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let check_all_forms = |digest: &Digest| {
        let pip = digest.to_string();
        assert_eq!(pip.parse::<Digest>().as_ref(), Ok(digest), "{pip}");
        let fragment = digest.url_fragment().to_string();
        assert_eq!(
            Digest::from_url_fragment(&fragment).as_ref(),
            Ok(digest),
            "{fragment}"
        );
        let record = digest.record().to_string();
        assert_eq!(
            Digest::from_record(&record).as_ref(),
            Ok(digest),
            "{record}"
        );
        assert_eq!(
            Digest::from_hex(digest.algorithm(), &digest.hex()).as_ref(),
            Ok(digest)
        );
    };
    if let Ok(d) = text.parse::<Digest>() {
        assert_eq!(
            d.to_string(),
            text.to_ascii_lowercase(),
            "pip form round-trips"
        );
        check_all_forms(&d);
    }
    if let Ok(d) = Digest::from_url_fragment(text) {
        let bare = text.strip_prefix('#').unwrap_or(text);
        assert_eq!(d.url_fragment().to_string(), bare.to_ascii_lowercase());
        check_all_forms(&d);
    }
    if let Ok(d) = Digest::from_record(text) {
        assert_eq!(
            d.record().to_string(),
            text,
            "RECORD form round-trips byte for byte"
        );
        check_all_forms(&d);
    }
}
