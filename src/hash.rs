//! Hash algorithms and digests, in every spelling the packaging formats use.
//!
//! | where | form | constructor | writer |
//! |---|---|---|---|
//! | requirements files, [`--hash`](https://pip.pypa.io/en/stable/topics/secure-installs/#hash-checking-mode) | `sha256:HEX` | [`Digest::from_str`] | [`Display`](std::fmt::Display) |
//! | [PEP 503](https://peps.python.org/pep-0503/) URL fragments | `sha256=HEX` | [`Digest::from_url_fragment`] | [`Digest::url_fragment`] |
//! | wheel [`RECORD`](https://packaging.python.org/en/latest/specifications/recording-installed-packages/#the-record-file) | `sha256=URLSAFE_BASE64_NOPAD` | [`Digest::from_record`] | [`Digest::record`] |
//! | [PEP 691](https://peps.python.org/pep-0691/#project-detail) JSON | `{"sha256": "HEX"}` | [`Digest::from_hex`] | [`Digest::hex`] |
//!
//! Hex digits are accepted in either case and always written lower-case. RECORD values are
//! URL-safe base64 without padding, as the wheel specification writes them; padding and
//! non-canonical trailing bits are rejected, so every accepted value prints back unchanged.
//!
//! [`Hasher`] computes several algorithms in one pass over bytes the caller feeds it, and
//! [`Digests::verify`] checks the result against the digests a requirement or an index allows.
//!
//! # Strong and weak algorithms
//!
//! sha256, sha384 and sha512 are strong: pip's hash-checking mode accepts only these
//! (`pip._internal.utils.hashes.STRONG_HASHES`). md5, sha1 and sha224 appear in old index pages
//! and are recognised so that a caller can report and refuse them ([`HashAlgorithm::is_strong`]).
//! [`Hasher`] computes the SHA-2 family (sha224 included); it does not compute md5 or sha1, whose
//! only use in this field is as a weak fragment that a careful client refuses.

use std::fmt;
use std::io;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::Digest as _;

use crate::diagnostic::Quoted;

/// A hash algorithm named in packaging formats (`hashlib` names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// MD5: weak.
    Md5,
    /// SHA-1: weak.
    Sha1,
    /// SHA-224: weak (pip does not accept it in hash-checking mode).
    Sha224,
    /// SHA-256: strong; the algorithm PyPI and the wheel format use.
    Sha256,
    /// SHA-384: strong.
    Sha384,
    /// SHA-512: strong.
    Sha512,
}

impl HashAlgorithm {
    /// Every algorithm, weakest first.
    pub const ALL: [HashAlgorithm; 6] = [
        HashAlgorithm::Md5,
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ];

    /// The `hashlib` name: `sha256`, ...
    pub const fn as_str(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "md5",
            HashAlgorithm::Sha1 => "sha1",
            HashAlgorithm::Sha224 => "sha224",
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sha384 => "sha384",
            HashAlgorithm::Sha512 => "sha512",
        }
    }

    /// The digest length in bytes.
    pub const fn digest_len(self) -> usize {
        match self {
            HashAlgorithm::Md5 => 16,
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha224 => 28,
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }

    /// Whether pip accepts the algorithm in hash-checking mode (sha256, sha384, sha512).
    pub const fn is_strong(self) -> bool {
        matches!(
            self,
            HashAlgorithm::Sha256 | HashAlgorithm::Sha384 | HashAlgorithm::Sha512
        )
    }

    /// Whether [`Hasher`] can compute it (the SHA-2 family).
    pub const fn is_computable(self) -> bool {
        !matches!(self, HashAlgorithm::Md5 | HashAlgorithm::Sha1)
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for HashAlgorithm {
    type Err = HashError;

    /// Parses a lower-case `hashlib` name. Upper-case spellings are errors with a hint: pip
    /// compares the name case-sensitively, and PEP 503 says the name is lower-case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        for algorithm in HashAlgorithm::ALL {
            if s == algorithm.as_str() {
                return Ok(algorithm);
            }
        }
        match HashAlgorithm::ALL
            .into_iter()
            .find(|a| s.eq_ignore_ascii_case(a.as_str()))
        {
            Some(algorithm) => Err(HashError::UppercaseAlgorithm {
                given: s.to_owned(),
                algorithm,
            }),
            None => Err(HashError::UnknownAlgorithm {
                given: s.to_owned(),
            }),
        }
    }
}

impl Serialize for HashAlgorithm {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for HashAlgorithm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Which textual form a digest value was written in, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DigestEncoding {
    /// Hexadecimal digits.
    Hex,
    /// URL-safe base64 without padding (RECORD).
    Base64,
}

impl fmt::Display for DigestEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DigestEncoding::Hex => "hex",
            DigestEncoding::Base64 => "unpadded URL-safe base64",
        })
    }
}

/// Why a hash algorithm or digest could not be parsed, computed or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HashError {
    /// The algorithm name is not one of md5, sha1, sha224, sha256, sha384, sha512.
    #[error(
        "unknown hash algorithm `{}` (expected one of md5, sha1, sha224, sha256, sha384, sha512)",
        Quoted(.given)
    )]
    UnknownAlgorithm {
        /// The name as given.
        given: String,
    },
    /// The algorithm name is spelled with upper-case letters.
    #[error("hash algorithm `{}` must be lower-case: `{algorithm}`", Quoted(.given))]
    UppercaseAlgorithm {
        /// The name as given.
        given: String,
        /// The algorithm it would name.
        algorithm: HashAlgorithm,
    },
    /// There is no separator between algorithm and value.
    #[error(
        "invalid digest `{}`: expected `ALGORITHM{separator}VALUE`, as in `sha256{separator}…`",
        Quoted(.given)
    )]
    MissingSeparator {
        /// The text as given.
        given: String,
        /// The separator that form uses (`:` or `=`).
        separator: char,
    },
    /// The value has the wrong length for its algorithm.
    #[error(
        "invalid {algorithm} digest `{}`: expected {expected} {encoding} characters, found {found}",
        Quoted(.value)
    )]
    InvalidLength {
        /// The algorithm.
        algorithm: HashAlgorithm,
        /// The value as given.
        value: String,
        /// How it was encoded.
        encoding: DigestEncoding,
        /// The number of characters a value of that algorithm has.
        expected: usize,
        /// The number of characters given.
        found: usize,
    },
    /// The value holds a character outside its encoding's alphabet.
    #[error(
        "invalid {algorithm} digest `{}`: character {character:?} at column {column} is not allowed in {encoding}",
        Quoted(.value)
    )]
    InvalidCharacter {
        /// The algorithm.
        algorithm: HashAlgorithm,
        /// The value as given.
        value: String,
        /// How it was encoded.
        encoding: DigestEncoding,
        /// The offending character.
        character: char,
        /// Its 1-based column in the value (in characters).
        column: usize,
    },
    /// A base64 value whose last character carries bits beyond the digest (not canonical).
    #[error(
        "invalid {algorithm} digest `{}`: the last character encodes bits beyond the digest (not canonical base64)",
        Quoted(.value)
    )]
    NonCanonicalBase64 {
        /// The algorithm.
        algorithm: HashAlgorithm,
        /// The value as given.
        value: String,
    },
    /// [`Hasher`] was asked for md5 or sha1.
    #[error(
        "cannot compute {algorithm} digests: only sha224, sha256, sha384 and sha512 are supported"
    )]
    NotComputable {
        /// The algorithm.
        algorithm: HashAlgorithm,
    },
}

/// The largest digest: sha512.
const MAX_LEN: usize = 64;

/// A digest: an algorithm and the bytes it produced.
///
/// Stored inline (no allocation), compared and hashed by algorithm and bytes.
///
/// # Syntax
///
/// `Display` and `FromStr` use pip's `--hash` form, `ALGORITHM:HEX`:
///
/// ```text
/// sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae
/// ```
///
/// # Examples
///
/// ```
/// use pypackaging::{Digest, HashAlgorithm};
///
/// let digest: Digest =
///     "sha256:2C26B46B68FFC68FF99B453C1D30413413422D706483BFA0F98A5E886266E7AE".parse()?;
/// assert_eq!(digest.algorithm(), HashAlgorithm::Sha256);
/// assert_eq!(
///     digest.url_fragment().to_string(),
///     "sha256=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
/// );
/// assert_eq!(
///     digest.record().to_string(),
///     "sha256=LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564"
/// );
/// # Ok::<(), pypackaging::hash::HashError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest {
    algorithm: HashAlgorithm,
    bytes: [u8; MAX_LEN],
}

impl Digest {
    /// A digest from its raw bytes.
    ///
    /// # Errors
    ///
    /// [`HashError::InvalidLength`] when `bytes` is not as long as `algorithm`'s digests.
    pub fn from_bytes(algorithm: HashAlgorithm, bytes: &[u8]) -> Result<Self, HashError> {
        if bytes.len() != algorithm.digest_len() {
            return Err(HashError::InvalidLength {
                algorithm,
                value: encode_hex(bytes),
                encoding: DigestEncoding::Hex,
                expected: algorithm.digest_len() * 2,
                found: bytes.len() * 2,
            });
        }
        let mut digest = Digest {
            algorithm,
            bytes: [0; MAX_LEN],
        };
        digest.bytes[..bytes.len()].copy_from_slice(bytes);
        Ok(digest)
    }

    /// A digest from an algorithm and its hex value, as PEP 691's `hashes` map holds them.
    ///
    /// # Errors
    ///
    /// The value has the wrong length for the algorithm, or a character that is not a hex character.
    pub fn from_hex(algorithm: HashAlgorithm, hex: &str) -> Result<Self, HashError> {
        let mut digest = Digest {
            algorithm,
            bytes: [0; MAX_LEN],
        };
        let expected = algorithm.digest_len() * 2;
        // Every digest length is a multiple of four bytes: eight hex digits at a time.
        if hex.len() == expected {
            let mut valid = true;
            for (out, digits) in digest
                .bytes
                .chunks_exact_mut(4)
                .zip(hex.as_bytes().chunks_exact(8))
            {
                let word = u64::from_le_bytes(digits.try_into().expect("eight digits"));
                match decode_hex_word(word) {
                    Some(bytes) => out.copy_from_slice(&bytes),
                    None => valid = false,
                }
            }
            if valid {
                return Ok(digest);
            }
        }
        Err(value_error(
            algorithm,
            hex,
            DigestEncoding::Hex,
            &HEX_VALUE,
            expected,
        ))
    }

    /// Parses `ALGORITHM=HEX`, the PEP 503 URL fragment (a leading `#` is allowed).
    ///
    /// # Errors
    ///
    /// No `=`, an unknown algorithm, or a bad hex value.
    pub fn from_url_fragment(fragment: &str) -> Result<Self, HashError> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let (algorithm, value) = split(fragment, '=')?;
        Digest::from_hex(algorithm, value)
    }

    /// Parses a RECORD hash: `ALGORITHM=URLSAFE_BASE64_NOPAD`.
    ///
    /// # Errors
    ///
    /// No `=`, an unknown algorithm, a value that is not canonical unpadded URL-safe base64, or
    /// one of the wrong length.
    pub fn from_record(value: &str) -> Result<Self, HashError> {
        let (algorithm, encoded) = split(value, '=')?;
        let mut digest = Digest {
            algorithm,
            bytes: [0; MAX_LEN],
        };
        decode_base64(
            algorithm,
            encoded,
            &mut digest.bytes[..algorithm.digest_len()],
        )?;
        Ok(digest)
    }

    /// The algorithm.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }

    /// The digest bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.algorithm.digest_len()]
    }

    /// Whether the algorithm is strong ([`HashAlgorithm::is_strong`]).
    pub fn is_strong(&self) -> bool {
        self.algorithm.is_strong()
    }

    /// The value in lower-case hex.
    pub fn hex(&self) -> String {
        encode_hex(self.as_bytes())
    }

    /// Writes `ALGORITHM=HEX`, the PEP 503 URL fragment (without `#`).
    pub fn url_fragment(&self) -> impl fmt::Display + '_ {
        Form(self, FormKind::Fragment)
    }

    /// Writes `ALGORITHM=URLSAFE_BASE64_NOPAD`, the RECORD form.
    pub fn record(&self) -> impl fmt::Display + '_ {
        Form(self, FormKind::Record)
    }
}

/// Splits `ALGORITHM<sep>VALUE` and parses the algorithm.
fn split(text: &str, separator: char) -> Result<(HashAlgorithm, &str), HashError> {
    let Some((algorithm, value)) = text.split_once(separator) else {
        return Err(HashError::MissingSeparator {
            given: text.to_owned(),
            separator,
        });
    };
    Ok((algorithm.parse()?, value))
}

impl FromStr for Digest {
    type Err = HashError;

    /// Parses pip's `ALGORITHM:HEX` form.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (algorithm, value) = split(s, ':')?;
        Digest::from_hex(algorithm, value)
    }
}

#[derive(Clone, Copy)]
enum FormKind {
    Fragment,
    Record,
}

struct Form<'a>(&'a Digest, FormKind);

impl fmt::Display for Form<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Form(digest, kind) = *self;
        f.write_str(digest.algorithm.as_str())?;
        f.write_str("=")?;
        match kind {
            FormKind::Fragment => write_hex(f, digest.as_bytes()),
            FormKind::Record => write_base64(f, digest.as_bytes()),
        }
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.algorithm.as_str())?;
        f.write_str(":")?;
        write_hex(f, self.as_bytes())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({self})")
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Marks a byte outside an encoding's alphabet in [`HEX_VALUE`] and [`BASE64_VALUE`].
const INVALID: u8 = 0x80;

/// The value of each hex digit, either case; [`INVALID`] for other bytes.
static HEX_VALUE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 16 {
        table[HEX_DIGITS[i] as usize] = i as u8;
        table[HEX_DIGITS[i].to_ascii_uppercase() as usize] = i as u8;
        i += 1;
    }
    table
};

/// The error for a value that is not `expected` characters of an alphabet: the first character
/// outside the alphabet if there is one, else the length.
fn value_error(
    algorithm: HashAlgorithm,
    value: &str,
    encoding: DigestEncoding,
    alphabet: &[u8; 256],
    expected: usize,
) -> HashError {
    match value
        .char_indices()
        .find(|&(_, c)| u8::try_from(c).map_or(true, |b| alphabet[usize::from(b)] & INVALID != 0))
    {
        Some((i, character)) => HashError::InvalidCharacter {
            algorithm,
            value: value.to_owned(),
            encoding,
            character,
            column: value[..i].chars().count() + 1,
        },
        None => HashError::InvalidLength {
            algorithm,
            value: value.to_owned(),
            encoding,
            expected,
            found: value.len(),
        },
    }
}

fn encode_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
        out.push(char::from(HEX_DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Writes `bytes` as lower-case hex in one `write_str` (the renderers of index pages use it
/// for every digest they write, without a temporary `String`).
pub(crate) fn write_hex<W: fmt::Write + ?Sized>(f: &mut W, bytes: &[u8]) -> fmt::Result {
    let mut buf = [0u8; MAX_LEN * 2];
    let whole = bytes.len() / 4 * 4;
    for (out, four) in buf.chunks_exact_mut(8).zip(bytes[..whole].chunks_exact(4)) {
        let word = u32::from_le_bytes(four.try_into().expect("four bytes"));
        out.copy_from_slice(&encode_hex_word(word).to_le_bytes());
    }
    for (out, &b) in buf[whole * 2..].chunks_exact_mut(2).zip(&bytes[whole..]) {
        out[0] = HEX_DIGITS[usize::from(b >> 4)];
        out[1] = HEX_DIGITS[usize::from(b & 0xf)];
    }
    let text = std::str::from_utf8(&buf[..bytes.len() * 2]).map_err(|_| fmt::Error)?;
    f.write_str(text)
}

/// Bytes `0x01` in every lane of a word.
const LANES: u64 = 0x0101_0101_0101_0101;

/// Decodes eight hex digits (either case), the bytes of a little-endian `word` in text order,
/// into four bytes; `None` when one is not a hex digit. Word-at-a-time, with each range test
/// exact for ASCII bytes (bytes from `0x80` up are rejected first).
fn decode_hex_word(word: u64) -> Option<[u8; 4]> {
    const HIGH: u64 = LANES * 0x80;
    // The high bit of each lane set when its byte (below 0x80) lies in `lo..=hi`.
    let in_range = |x: u64, lo: u8, hi: u8| {
        let at_least_lo = x + LANES * u64::from(0x80 - lo);
        let above_hi = x + LANES * u64::from(0x7f - hi);
        at_least_lo & !above_hi & HIGH
    };
    if word & HIGH != 0 {
        return None;
    }
    let digit = in_range(word, b'0', b'9');
    let letter = in_range(word | (LANES * 0x20), b'a', b'f');
    if digit | letter != HIGH {
        return None;
    }
    // Each lane's value: its low four bits, plus nine for a letter (`a` is 0x61, `A` 0x41).
    let nibbles = (word & (LANES * 0x0f)) + (letter >> 7) * 9;
    // Pairs of lanes, first digit high: one byte in the low half of each 16-bit lane, then
    // the four bytes gathered into the low 32 bits.
    const PAIR_LOW: u64 = 0x000f_000f_000f_000f;
    let pairs = ((nibbles & PAIR_LOW) << 4) | ((nibbles >> 8) & PAIR_LOW);
    let halves = (pairs | (pairs >> 8)) & 0x0000_ffff_0000_ffff;
    let bytes = (halves | (halves >> 16)) as u32;
    Some(bytes.to_le_bytes())
}

/// The eight lower-case hex digits of four bytes (the little-endian `word`), in text order, as
/// a little-endian word.
fn encode_hex_word(word: u32) -> u64 {
    let spread = u64::from(word);
    let spread = (spread | (spread << 16)) & 0x0000_ffff_0000_ffff;
    let spread = (spread | (spread << 8)) & 0x00ff_00ff_00ff_00ff;
    const PAIR_LOW: u64 = 0x000f_000f_000f_000f;
    // The high nibble first (the low byte of each 16-bit lane), then the low nibble.
    let nibbles = ((spread >> 4) & PAIR_LOW) | ((spread & PAIR_LOW) << 8);
    // `0`-`9` are 0x30 on; `a`-`f` 39 further (0x61 - 0x30 - 10).
    let letters = ((nibbles + LANES * 6) & (LANES * 0x10)) >> 4;
    nibbles + LANES * u64::from(b'0') + letters * 39
}

/// The URL-safe base64 alphabet ([RFC 4648 §5](https://www.rfc-editor.org/rfc/rfc4648#section-5)).
const BASE64_URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Length of the unpadded base64 encoding of `n` bytes.
const fn base64_len(n: usize) -> usize {
    (n * 4).div_ceil(3)
}

/// The value of each URL-safe base64 digit; [`INVALID`] for other bytes (`=` included: RECORD
/// values are unpadded).
static BASE64_VALUE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[BASE64_URL[i] as usize] = i as u8;
        i += 1;
    }
    table
};

fn write_base64(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    let mut buf = [0u8; base64_len(MAX_LEN)];
    let mut n = 0;
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let word = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            buf[n] = BASE64_URL[((word >> (18 - 6 * i)) & 0x3f) as usize];
            n += 1;
        }
    }
    let text = std::str::from_utf8(&buf[..n]).map_err(|_| fmt::Error)?;
    f.write_str(text)
}

/// Decodes canonical unpadded URL-safe base64 into `out`, whose length is the digest length.
fn decode_base64(algorithm: HashAlgorithm, text: &str, out: &mut [u8]) -> Result<(), HashError> {
    let expected = base64_len(out.len());
    if text.len() != expected
        || text
            .bytes()
            .any(|b| BASE64_VALUE[usize::from(b)] & INVALID != 0)
    {
        return Err(value_error(
            algorithm,
            text,
            DigestEncoding::Base64,
            &BASE64_VALUE,
            expected,
        ));
    }
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut written = 0;
    for b in text.bytes() {
        bits = (bits << 6) | u32::from(BASE64_VALUE[usize::from(b)]);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out[written] = (bits >> nbits) as u8;
            written += 1;
            bits &= (1 << nbits) - 1;
        }
    }
    if bits != 0 {
        return Err(HashError::NonCanonicalBase64 {
            algorithm,
            value: text.to_owned(),
        });
    }
    Ok(())
}

/// One running hash.
#[derive(Clone)]
enum State {
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl State {
    fn new(algorithm: HashAlgorithm) -> Result<State, HashError> {
        Ok(match algorithm {
            HashAlgorithm::Sha224 => State::Sha224(sha2::Sha224::new()),
            HashAlgorithm::Sha256 => State::Sha256(sha2::Sha256::new()),
            HashAlgorithm::Sha384 => State::Sha384(sha2::Sha384::new()),
            HashAlgorithm::Sha512 => State::Sha512(sha2::Sha512::new()),
            HashAlgorithm::Md5 | HashAlgorithm::Sha1 => {
                return Err(HashError::NotComputable { algorithm });
            }
        })
    }

    fn update(&mut self, bytes: &[u8]) {
        match self {
            State::Sha224(h) => h.update(bytes),
            State::Sha256(h) => h.update(bytes),
            State::Sha384(h) => h.update(bytes),
            State::Sha512(h) => h.update(bytes),
        }
    }

    fn algorithm(&self) -> HashAlgorithm {
        match self {
            State::Sha224(_) => HashAlgorithm::Sha224,
            State::Sha256(_) => HashAlgorithm::Sha256,
            State::Sha384(_) => HashAlgorithm::Sha384,
            State::Sha512(_) => HashAlgorithm::Sha512,
        }
    }

    fn finish(self) -> Digest {
        let algorithm = self.algorithm();
        let mut digest = Digest {
            algorithm,
            bytes: [0; MAX_LEN],
        };
        let out = &mut digest.bytes[..algorithm.digest_len()];
        match self {
            State::Sha224(h) => out.copy_from_slice(&h.finalize()),
            State::Sha256(h) => out.copy_from_slice(&h.finalize()),
            State::Sha384(h) => out.copy_from_slice(&h.finalize()),
            State::Sha512(h) => out.copy_from_slice(&h.finalize()),
        }
        digest
    }
}

/// Computes one or more digests in a single pass over bytes the caller feeds it.
///
/// `Hasher` is an [`io::Write`], so `io::copy(&mut reader, &mut hasher)` streams a file
/// through it; it does no I/O of its own.
///
/// # Examples
///
/// ```
/// use pypackaging::{Digest, HashAlgorithm, Hasher};
///
/// let allowed: Vec<Digest> =
///     vec!["sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae".parse()?];
/// let mut hasher = Hasher::for_digests(&allowed)?;
/// hasher.update(b"fo");
/// hasher.update(b"o");
/// let computed = hasher.finish();
/// assert_eq!(computed.verify(&allowed)?.algorithm(), HashAlgorithm::Sha256);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Hasher {
    states: Vec<State>,
    bytes: u64,
}

impl Hasher {
    /// A hasher for each of `algorithms` (duplicates are computed once).
    ///
    /// # Errors
    ///
    /// [`HashError::NotComputable`] for md5 and sha1.
    pub fn new(algorithms: &[HashAlgorithm]) -> Result<Self, HashError> {
        let mut wanted: Vec<HashAlgorithm> = algorithms.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        let states = wanted
            .into_iter()
            .map(State::new)
            .collect::<Result<_, _>>()?;
        Ok(Hasher { states, bytes: 0 })
    }

    /// A sha256 hasher, the common case.
    pub fn sha256() -> Self {
        Hasher {
            states: vec![State::Sha256(sha2::Sha256::new())],
            bytes: 0,
        }
    }

    /// A hasher for every algorithm that occurs in `allowed`, ready for [`Digests::verify`].
    ///
    /// # Errors
    ///
    /// [`HashError::NotComputable`] when `allowed` holds an md5 or sha1 digest: refuse those
    /// first if they may occur.
    pub fn for_digests(allowed: &[Digest]) -> Result<Self, HashError> {
        let algorithms: Vec<HashAlgorithm> = allowed.iter().map(Digest::algorithm).collect();
        Hasher::new(&algorithms)
    }

    /// Feeds bytes to every algorithm.
    pub fn update(&mut self, bytes: &[u8]) {
        self.bytes += bytes.len() as u64;
        for state in &mut self.states {
            state.update(bytes);
        }
    }

    /// How many bytes were fed so far.
    pub fn bytes_hashed(&self) -> u64 {
        self.bytes
    }

    /// The digests of everything fed, one per algorithm, in algorithm order.
    pub fn finish(self) -> Digests {
        Digests {
            digests: self.states.into_iter().map(State::finish).collect(),
            size: self.bytes,
        }
    }
}

impl Hasher {
    /// Feeds everything `reader` gives, in 64 KiB pieces, and returns how many bytes it gave.
    ///
    /// # Errors
    ///
    /// The reader's errors (an interrupted read is retried).
    pub fn update_reader(&mut self, mut reader: impl io::Read) -> io::Result<u64> {
        let mut buffer = vec![0; 64 * 1024];
        let mut total = 0;
        loop {
            match reader.read(&mut buffer) {
                Ok(0) => return Ok(total),
                Ok(n) => {
                    self.update(&buffer[..n]);
                    total += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// The sha256 digest of `bytes`.
///
/// ```
/// assert_eq!(
///     pypackaging::hash::sha256(b"foo").hex(),
///     "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
/// );
/// ```
pub fn sha256(bytes: &[u8]) -> Digest {
    sha256_reader(bytes)
        .expect("reading a byte slice cannot fail")
        .0
}

/// The sha256 digest of everything `reader` gives, and its size in bytes.
///
/// # Errors
///
/// The reader's errors.
pub fn sha256_reader(reader: impl io::Read) -> io::Result<(Digest, u64)> {
    let mut hasher = Hasher::sha256();
    hasher.update_reader(reader)?;
    let digests = hasher.finish();
    let digest = *digests
        .sha256()
        .expect("a sha256 hasher computes a sha256 digest");
    Ok((digest, digests.size()))
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let algorithms: Vec<HashAlgorithm> = self.states.iter().map(State::algorithm).collect();
        f.debug_struct("Hasher")
            .field("algorithms", &algorithms)
            .field("bytes", &self.bytes)
            .finish()
    }
}

impl io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The digests a [`Hasher`] computed, with the number of bytes hashed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Digests {
    digests: Vec<Digest>,
    size: u64,
}

impl Digests {
    /// The computed digests, in algorithm order.
    pub fn as_slice(&self) -> &[Digest] {
        &self.digests
    }

    /// The digest for `algorithm`, if it was computed.
    pub fn get(&self, algorithm: HashAlgorithm) -> Option<&Digest> {
        self.digests.iter().find(|d| d.algorithm == algorithm)
    }

    /// The sha256 digest, when it was computed (always, for [`Hasher::sha256`] and for a
    /// hasher whose algorithms include sha256): what pip and uv check, and what an index
    /// publishes, without naming the algorithm.
    ///
    /// ```
    /// use pypackaging::Hasher;
    ///
    /// let mut hasher = Hasher::sha256();
    /// hasher.update(b"foo");
    /// let digests = hasher.finish();
    /// assert_eq!(digests.sha256().map(|d| d.hex()).as_deref(), Some("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"));
    /// assert_eq!(digests.size(), 3);
    /// ```
    pub fn sha256(&self) -> Option<&Digest> {
        self.get(HashAlgorithm::Sha256)
    }

    /// The number of bytes hashed.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Checks the computed digests against the allowed ones, as pip's hash-checking mode does:
    /// the bytes pass when any allowed digest equals the computed digest of its algorithm.
    /// Returns the allowed digest that matched.
    ///
    /// # Errors
    ///
    /// [`VerifyError::NoDigests`] when `allowed` is empty, [`VerifyError::NotComputed`] when no
    /// allowed algorithm was computed, and [`VerifyError::Mismatch`], naming every expected value
    /// and the actual ones, when nothing matches.
    pub fn verify<'a>(&self, allowed: &'a [Digest]) -> Result<&'a Digest, VerifyError> {
        if allowed.is_empty() {
            return Err(VerifyError::NoDigests);
        }
        let mut compared = false;
        for expected in allowed {
            if let Some(actual) = self.get(expected.algorithm) {
                compared = true;
                if actual == expected {
                    return Ok(expected);
                }
            }
        }
        if !compared {
            return Err(VerifyError::NotComputed {
                expected: allowed.to_vec(),
                computed: self.digests.iter().map(Digest::algorithm).collect(),
            });
        }
        let actual = self
            .digests
            .iter()
            .filter(|d| allowed.iter().any(|a| a.algorithm == d.algorithm))
            .copied()
            .collect();
        Err(VerifyError::Mismatch {
            expected: allowed.to_vec(),
            actual,
        })
    }
}

/// Why computed digests do not satisfy the allowed ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// There was nothing to verify against.
    #[error("no allowed digests to verify against")]
    NoDigests,
    /// None of the allowed algorithms was computed.
    #[error(
        "none of the allowed digests ({}) uses a computed algorithm ({})",
        join(expected),
        join(computed)
    )]
    NotComputed {
        /// The allowed digests.
        expected: Vec<Digest>,
        /// The algorithms that were computed.
        computed: Vec<HashAlgorithm>,
    },
    /// The bytes do not match any allowed digest.
    #[error("hash mismatch: expected {}; got {}", join_or(expected), join(actual))]
    Mismatch {
        /// The allowed digests.
        expected: Vec<Digest>,
        /// The computed digests of the allowed algorithms.
        actual: Vec<Digest>,
    },
}

fn join<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn join_or<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_lengths() {
        assert_eq!(base64_len(32), 43);
        assert_eq!(base64_len(48), 64);
        assert_eq!(base64_len(64), 86);
        assert_eq!(base64_len(28), 38);
    }

    #[test]
    fn base64_round_trip_all_lengths() {
        for algorithm in HashAlgorithm::ALL {
            let bytes: Vec<u8> = (0..algorithm.digest_len())
                .map(|i| (i * 37 + 11) as u8)
                .collect();
            let digest = Digest::from_bytes(algorithm, &bytes).unwrap();
            let text = digest.record().to_string();
            assert_eq!(Digest::from_record(&text).unwrap(), digest, "{text}");
        }
    }

    #[test]
    fn hex_values() {
        assert_eq!(HEX_VALUE[usize::from(b'0')], 0);
        assert_eq!(HEX_VALUE[usize::from(b'F')], 15);
        assert_eq!(HEX_VALUE[usize::from(b'a')], 10);
        assert_eq!(HEX_VALUE[usize::from(b'g')], INVALID);
        assert_eq!(BASE64_VALUE[usize::from(b'_')], 63);
        assert_eq!(BASE64_VALUE[usize::from(b'=')], INVALID);
        assert_eq!(encode_hex(&[0, 255, 16]), "00ff10");
    }

    /// The word-at-a-time hex decoder agrees with the per-byte table for every byte at every
    /// position of a word (the other seven digits valid, of mixed case), and the encoder with
    /// the per-byte digits for every byte at every position.
    #[test]
    fn hex_words_match_bytewise() {
        let base = *b"0a9F5cE1";
        for at in 0..8 {
            for b in 0..=255u8 {
                let mut text = base;
                text[at] = b;
                let bytewise: Option<Vec<u8>> = text
                    .chunks_exact(2)
                    .map(|pair| {
                        let (high, low) = (
                            HEX_VALUE[usize::from(pair[0])],
                            HEX_VALUE[usize::from(pair[1])],
                        );
                        ((high | low) & INVALID == 0).then_some((high << 4) | low)
                    })
                    .collect();
                let word = decode_hex_word(u64::from_le_bytes(text));
                assert_eq!(word.map(Vec::from), bytewise, "byte {b:#x} at {at}");
            }
        }
        for at in 0..4 {
            for b in 0..=255u8 {
                let mut bytes = [0x00, 0x9f, 0xa5, 0xff];
                bytes[at] = b;
                let text = encode_hex_word(u32::from_le_bytes(bytes)).to_le_bytes();
                assert_eq!(std::str::from_utf8(&text).unwrap(), encode_hex(&bytes));
            }
        }
    }
}
