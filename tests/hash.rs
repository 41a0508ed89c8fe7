//! `hash`: algorithms, digests in every form, the streaming hasher and verification.

use std::io::Write;

use insta::assert_snapshot;
use proptest::prelude::*;
use pypackaging::hash::{HashError, VerifyError};
use pypackaging::{Digest, HashAlgorithm, Hasher};

/// sha256(b"foo"), written out by Python's hashlib and base64 modules.
const FOO_HEX: &str = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
const FOO_B64: &str = "LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564";
/// sha512(b"") in hex and RECORD base64.
const EMPTY_SHA512_HEX: &str = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
const EMPTY_SHA512_B64: &str =
    "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg_SpIdNs6c5H0NE8XYXysP-DGNKHfuwvY7kxvUdBeoGlODJ6-SfaPg";

#[track_caller]
fn digest(s: &str) -> Digest {
    s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

#[test]
fn algorithms() {
    let strong: Vec<_> = HashAlgorithm::ALL
        .into_iter()
        .filter(|a| a.is_strong())
        .collect();
    assert_eq!(
        strong,
        [
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
            HashAlgorithm::Sha512
        ]
    );
    for a in HashAlgorithm::ALL {
        assert_eq!(a.as_str().parse::<HashAlgorithm>(), Ok(a));
        assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{a}\""));
    }
    assert!(!HashAlgorithm::Md5.is_computable());
    assert!(HashAlgorithm::Sha224.is_computable());
    assert_snapshot!("SHA256".parse::<HashAlgorithm>().unwrap_err(), @"hash algorithm `SHA256` must be lower-case: `sha256`");
    assert_snapshot!("blake2b".parse::<HashAlgorithm>().unwrap_err(), @"unknown hash algorithm `blake2b` (expected one of md5, sha1, sha224, sha256, sha384, sha512)");
}

#[test]
fn every_form_of_one_digest() {
    let d = digest(&format!("sha256:{FOO_HEX}"));
    assert_eq!(
        d,
        digest(&format!("sha256:{}", FOO_HEX.to_uppercase())),
        "hex is case-insensitive"
    );
    assert_eq!(d.to_string(), format!("sha256:{FOO_HEX}"));
    assert_eq!(d.url_fragment().to_string(), format!("sha256={FOO_HEX}"));
    assert_eq!(d.record().to_string(), format!("sha256={FOO_B64}"));
    assert_eq!(d.hex(), FOO_HEX);
    assert_eq!(
        Digest::from_url_fragment(&format!("#sha256={FOO_HEX}")),
        Ok(d)
    );
    assert_eq!(
        Digest::from_url_fragment(&format!("sha256={FOO_HEX}")),
        Ok(d)
    );
    assert_eq!(Digest::from_record(&format!("sha256={FOO_B64}")), Ok(d));
    assert_eq!(Digest::from_hex(HashAlgorithm::Sha256, FOO_HEX), Ok(d));
    assert_eq!(
        Digest::from_bytes(HashAlgorithm::Sha256, d.as_bytes()),
        Ok(d)
    );
    assert_eq!(format!("{d:?}"), format!("Digest(sha256:{FOO_HEX})"));
    assert_eq!(
        serde_json::to_string(&d).unwrap(),
        format!("\"sha256:{FOO_HEX}\"")
    );
    assert_eq!(
        serde_json::from_str::<Digest>(&format!("\"sha256:{FOO_HEX}\"")).unwrap(),
        d
    );

    let d = Digest::from_record(&format!("sha512={EMPTY_SHA512_B64}")).unwrap();
    assert_eq!(d.hex(), EMPTY_SHA512_HEX);
}

#[test]
fn error_messages() {
    let e = |s: &str| s.parse::<Digest>().unwrap_err();
    assert_snapshot!(e("sha256"), @"invalid digest `sha256`: expected `ALGORITHM:VALUE`, as in `sha256:…`");
    assert_snapshot!(e("sha256:abc"), @"invalid sha256 digest `abc`: expected 64 hex characters, found 3");
    assert_snapshot!(e(&format!("sha256:{}g", &FOO_HEX[1..])), @"invalid sha256 digest `c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7aeg`: character 'g' at column 64 is not allowed in hex");
    assert_snapshot!(e(&format!("sha384:{FOO_HEX}")), @"invalid sha384 digest `2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae`: expected 96 hex characters, found 64");
    assert_snapshot!(e(&format!("Sha256:{FOO_HEX}")), @"hash algorithm `Sha256` must be lower-case: `sha256`");
    assert_snapshot!(e("sha256=abc"), @"invalid digest `sha256=abc`: expected `ALGORITHM:VALUE`, as in `sha256:…`");
    let r = |s: &str| Digest::from_record(s).unwrap_err();
    assert_snapshot!(r(&format!("sha256={FOO_B64}=")), @"invalid sha256 digest `LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564=`: character '=' at column 44 is not allowed in unpadded URL-safe base64");
    assert_snapshot!(r("sha256=LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564"), @"invalid sha256 digest `LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564`: character '/' at column 8 is not allowed in unpadded URL-safe base64");
    assert_snapshot!(r("sha256=LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm565"), @"invalid sha256 digest `LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm565`: the last character encodes bits beyond the digest (not canonical base64)");
    assert_snapshot!(r("sha256=LCa0"), @"invalid sha256 digest `LCa0`: expected 43 unpadded URL-safe base64 characters, found 4");
    assert_snapshot!(r(&format!("sha256:{FOO_B64}")), @"invalid digest `sha256:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564`: expected `ALGORITHM=VALUE`, as in `sha256=…`");
    assert_snapshot!(e("sha256:\n"), @r"invalid sha256 digest `\n`: character '\n' at column 1 is not allowed in hex");
}

#[test]
fn hasher_computes_several_algorithms_in_one_pass() {
    let mut hasher = Hasher::new(&[
        HashAlgorithm::Sha512,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha256,
    ])
    .unwrap();
    hasher.write_all(b"f").unwrap();
    hasher.update(b"oo");
    assert_eq!(hasher.bytes_hashed(), 3);
    let digests = hasher.finish();
    assert_eq!(digests.size(), 3);
    let algorithms: Vec<_> = digests.as_slice().iter().map(Digest::algorithm).collect();
    assert_eq!(algorithms, [HashAlgorithm::Sha256, HashAlgorithm::Sha512]);
    assert_eq!(digests.get(HashAlgorithm::Sha256).unwrap().hex(), FOO_HEX);
    assert_eq!(digests.get(HashAlgorithm::Sha384), None);

    let empty = Hasher::new(&[HashAlgorithm::Sha512]).unwrap().finish();
    assert_eq!(empty.as_slice()[0].hex(), EMPTY_SHA512_HEX);
    let sha224 = Hasher::new(&[HashAlgorithm::Sha224]).unwrap().finish();
    assert_eq!(
        sha224.as_slice()[0].hex(),
        "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f"
    );
    assert_snapshot!(Hasher::new(&[HashAlgorithm::Md5]).unwrap_err(), @"cannot compute md5 digests: only sha224, sha256, sha384 and sha512 are supported");
}

#[test]
fn verification_as_pip_does_it() {
    let good = digest(&format!("sha256:{FOO_HEX}"));
    let other = digest(&format!("sha256:{}", "0".repeat(64)));
    let sha512 = digest(&format!("sha512:{EMPTY_SHA512_HEX}"));
    let mut hasher = Hasher::for_digests(&[other, good, sha512]).unwrap();
    hasher.update(b"foo");
    let computed = hasher.finish();

    // Any one allowed digest matching is enough.
    assert_eq!(computed.verify(&[other, good]), Ok(&good));
    assert_eq!(computed.verify(&[sha512, good]), Ok(&good));

    let err = computed.verify(&[other, sha512]).unwrap_err();
    assert!(
        matches!(&err, VerifyError::Mismatch { expected, actual } if expected.len() == 2 && actual.len() == 2)
    );
    assert_snapshot!(err, @"hash mismatch: expected sha256:0000000000000000000000000000000000000000000000000000000000000000 or sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e; got sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae, sha512:f7fbba6e0636f890e56fbbf3283e524c6fa3204ae298382d624741d0dc6638326e282c41be5e4254d8820772c5518a2c5a8c0c7f7eda19594a7eb539453e1ed7");
    assert_snapshot!(computed.verify(&[]).unwrap_err(), @"no allowed digests to verify against");

    let only256 = Hasher::sha256().finish();
    assert_snapshot!(only256.verify(&[sha512]).unwrap_err(), @"none of the allowed digests (sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e) uses a computed algorithm (sha256)");
}

#[test]
fn weak_digests_are_recognised_not_computed() {
    let md5 = digest("md5:d41d8cd98f00b204e9800998ecf8427e");
    assert!(!md5.is_strong());
    assert!(matches!(
        Hasher::for_digests(&[md5]),
        Err(HashError::NotComputable {
            algorithm: HashAlgorithm::Md5
        })
    ));
    let sha1 = Digest::from_url_fragment("sha1=da39a3ee5e6b4b0d3255bfef95601890afd80709").unwrap();
    assert_eq!(
        sha1.record().to_string(),
        "sha1=2jmj7l5rSw0yVb_vlWAYkK_YBwk"
    );
}

#[test]
fn types_are_send_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Digest>();
    assert_send_sync::<Hasher>();
    assert_send_sync::<HashError>();
    assert_send_sync::<VerifyError>();
}

fn any_digest() -> impl Strategy<Value = Digest> {
    (
        0..HashAlgorithm::ALL.len(),
        proptest::collection::vec(any::<u8>(), 64),
    )
        .prop_map(|(i, bytes)| {
            let algorithm = HashAlgorithm::ALL[i];
            Digest::from_bytes(algorithm, &bytes[..algorithm.digest_len()]).unwrap()
        })
}

proptest! {
    #[test]
    fn every_form_round_trips(d in any_digest()) {
        prop_assert_eq!(d.to_string().parse::<Digest>(), Ok(d));
        prop_assert_eq!(Digest::from_url_fragment(&d.url_fragment().to_string()), Ok(d));
        prop_assert_eq!(Digest::from_record(&d.record().to_string()), Ok(d));
        prop_assert_eq!(Digest::from_hex(d.algorithm(), &d.hex().to_uppercase()), Ok(d));
    }

    #[test]
    fn any_text_parses_or_errors(s in "\\PC*") {
        let _ = s.parse::<Digest>();
        let _ = Digest::from_url_fragment(&s);
        if let Ok(d) = Digest::from_record(&s) {
            prop_assert_eq!(d.record().to_string(), s);
        }
    }

    #[test]
    fn record_values_near_valid_ones_round_trip_or_fail(d in any_digest(), i in 0usize..86, c in "[A-Za-z0-9_=+/-]") {
        let text = d.record().to_string();
        let (alg, value) = text.split_once('=').unwrap();
        let i = i % value.len();
        let mutated = format!("{alg}={}{c}{}", &value[..i], &value[i + 1..]);
        if let Ok(parsed) = Digest::from_record(&mutated) {
            prop_assert_eq!(parsed.record().to_string(), mutated);
        }
    }

    #[test]
    fn hashing_in_pieces_equals_hashing_at_once(data in proptest::collection::vec(any::<u8>(), 0..512), cut in 0usize..512) {
        let cut = cut.min(data.len());
        let mut whole = Hasher::new(&[HashAlgorithm::Sha256, HashAlgorithm::Sha384]).unwrap();
        whole.update(&data);
        let mut pieces = Hasher::new(&[HashAlgorithm::Sha384, HashAlgorithm::Sha256]).unwrap();
        pieces.update(&data[..cut]);
        pieces.update(&data[cut..]);
        prop_assert_eq!(whole.finish(), pieces.finish());
    }
}
