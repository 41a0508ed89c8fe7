//! Byte-level helpers shared by the scanners and renderers: compile-time byte tables and
//! word-at-a-time (SWAR) tests, in safe code.

/// A `[bool; 256]` table, built at compile time, of the bytes `c` for which `$holds` is true.
macro_rules! byte_table {
    (|$c:ident| $holds:expr) => {{
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            let $c = b as u8;
            table[b] = $holds;
            b += 1;
        }
        table
    }};
}

// Word-at-a-time scanning: whether any byte of the eight in a little-endian word is below `n`
// (`n` at most 128) or non-ASCII, and masks of the bytes that are zero, equal to `b` or below
// `n`. Each test is exact for the word as a whole (the classic bit tricks can misreport single bytes only above a byte that really
// matches), which is all the scanners ask: a word with no hit is skipped whole.

const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Some byte of `w` is below `n` (`n <= 128`).
pub(crate) fn has_less(w: u64, n: u8) -> bool {
    w.wrapping_sub(LOW * u64::from(n)) & !w & HIGH != 0
}

/// Test inputs for the escapers: every ASCII byte at every offset of a 19-byte run (longer
/// than two words) followed by a non-ASCII character, with the byte and its offset.
#[cfg(test)]
pub(crate) fn every_byte_at_every_offset() -> impl Iterator<Item = (u8, usize, String)> {
    (0u8..0x80).flat_map(|b| {
        (0..19).map(move |at| {
            let mut text: Vec<u8> = b"abcdefghijklmnopqrs".to_vec();
            text[at] = b;
            (b, at, String::from_utf8(text).expect("ASCII") + "\u{e9}z")
        })
    })
}

/// The high bit of each byte of `w` that is zero, and possibly of bytes above one that is
/// (the lowest bit set is always exact).
pub(crate) fn zero_mask(w: u64) -> u64 {
    w.wrapping_sub(LOW) & !w & HIGH
}

/// [`zero_mask`] for bytes equal to `b`.
pub(crate) fn byte_mask(w: u64, b: u8) -> u64 {
    zero_mask(w ^ (LOW * u64::from(b)))
}

/// [`zero_mask`] for bytes below `n` (`n <= 128`).
pub(crate) fn less_mask(w: u64, n: u8) -> u64 {
    w.wrapping_sub(LOW * u64::from(n)) & !w & HIGH
}

/// The index of the first byte of `bytes` at or after `from` for which `special` holds, eight
/// bytes at a time: `mask` flags the bytes of a word that may be special, as the `*_mask`
/// functions do (every byte that is, and perhaps bytes above one that is: the lowest flag
/// is exact). The last few bytes are tested as one word padded with `a`, which `mask` must
/// not flag.
#[inline]
pub(crate) fn find_first(
    bytes: &[u8],
    from: usize,
    mask: impl Fn(u64) -> u64,
    special: impl Fn(u8) -> bool,
) -> Option<usize> {
    find_first_with::<false>(bytes, from, mask, special)
}

/// [`find_first`] for short texts (the values an escaper writes): the last few bytes are
/// tested as the overlapping last word where that is exact, which saves building a padded
/// word for most values (and costs a little on long scans).
#[inline]
pub(crate) fn find_first_short(
    bytes: &[u8],
    from: usize,
    mask: impl Fn(u64) -> u64,
    special: impl Fn(u8) -> bool,
) -> Option<usize> {
    find_first_with::<true>(bytes, from, mask, special)
}

#[inline(always)]
fn find_first_with<const OVERLAP: bool>(
    bytes: &[u8],
    mut from: usize,
    mask: impl Fn(u64) -> u64,
    special: impl Fn(u8) -> bool,
) -> Option<usize> {
    // Every byte from `unflagged` up to `from` was in a word `mask` did not flag.
    let mut unflagged = from;
    loop {
        // The word at `from`; when fewer than eight bytes are left, the last eight if the
        // ones before `from` among them were not flagged (then they cannot be: a false flag
        // needs a flagged byte below it), else what is left, padded.
        let (base, word) = match bytes.get(from..from + 8) {
            Some(chunk) => (
                from,
                u64::from_le_bytes(chunk.try_into().expect("eight bytes")),
            ),
            None if from >= bytes.len() => return None,
            None => match bytes.len().checked_sub(8) {
                Some(start) if OVERLAP && start >= unflagged => (
                    start,
                    u64::from_le_bytes(bytes[start..].try_into().expect("eight bytes")),
                ),
                _ => (
                    from,
                    bytes[from..]
                        .iter()
                        .rev()
                        .fold(u64::from_le_bytes([b'a'; 8]), |w, &b| {
                            (w << 8) | u64::from(b)
                        }),
                ),
            },
        };
        match mask(word) {
            0 if OVERLAP && base + 8 >= bytes.len() => return None,
            0 => from += 8,
            flags => {
                let at = base + (flags.trailing_zeros() / 8) as usize;
                if special(bytes[at]) {
                    return Some(at);
                }
                // Flagged but not special (a tab for a `< 0x20` test that allows it): the
                // flags above it may be wrong, so look again from the next byte.
                from = at + 1;
                unflagged = from;
            }
        }
    }
}

/// Some byte of `w` is not ASCII.
pub(crate) fn has_non_ascii(w: u64) -> bool {
    w & HIGH != 0
}

#[cfg(test)]
mod tests {
    /// `find_first` and `find_first_short` agree with a byte-by-byte
    /// search for every length up to three words, every start, and a special byte (or none)
    /// at every offset, with and without flagged bytes that are not special (tabs) around
    /// it: the padded and overlapping last words hide nothing.
    #[test]
    fn find_first_matches_bytewise() {
        let special = |b: u8| b == b'"' || (b < 0x20 && b != b'\t');
        let mask = |w: u64| super::byte_mask(w, b'"') | super::less_mask(w, 0x20);
        for len in 0..24 {
            for at in (0..len).map(Some).chain([None]) {
                for b in [b'"', 0, 0x1f, b'\t'] {
                    for tabs in [false, true] {
                        let mut text = vec![b'x'; len];
                        if tabs {
                            text.iter_mut().step_by(3).for_each(|t| *t = b'\t');
                        }
                        if let Some(at) = at {
                            text[at] = b;
                        }
                        for from in 0..=len {
                            let expected = text[from..]
                                .iter()
                                .position(|&c| special(c))
                                .map(|p| p + from);
                            assert_eq!(
                                super::find_first(&text, from, mask, special),
                                expected,
                                "len {len}, byte {b:#x} at {at:?}, tabs {tabs}, from {from}"
                            );
                            assert_eq!(
                                super::find_first_short(&text, from, mask, special),
                                expected,
                                "short: len {len}, byte {b:#x} at {at:?}, tabs {tabs}, from {from}"
                            );
                        }
                    }
                }
            }
        }
    }
}
