//! Sniffing (BOM, UTF-16 without BOM, binary) and the sample-based choice of
//! the main encoding of byte input that is not valid UTF-8.

use std::borrow::Cow;

use super::bytes::decode_with;
use super::Encoding;
use crate::vn::syllable::{syllable_stats, SyllableStats};

pub(super) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) fn sniff_bom(bytes: &[u8]) -> Option<(Encoding, usize)> {
    if bytes.starts_with(UTF8_BOM) {
        Some((Encoding::Utf8Bom, 3))
    } else if bytes.starts_with(b"\xFF\xFE") {
        Some((Encoding::Utf16Le, 2))
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some((Encoding::Utf16Be, 2))
    } else {
        None
    }
}

/// UTF-16 text without BOM has NUL high bytes for every ASCII character, all on one side.
pub(super) fn sniff_utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    if pairs < 8 {
        return None;
    }
    let nul_at = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (nul_at(0), nul_at(1));
    let mostly = |n: usize| n * 4 >= pairs; // ≥ 25 % of code units
    let rarely = |n: usize| n * 50 <= pairs; // ≤ 2 %
    if mostly(odd) && rarely(even) {
        Some(Encoding::Utf16Le)
    } else if mostly(even) && rarely(odd) {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// NUL bytes, or a sample dominated by C0 control bytes, mean "not a text file".
pub(super) fn looks_binary(bytes: &[u8]) -> bool {
    if memchr::memchr(0, bytes).is_some() {
        return true;
    }
    let sample = &bytes[..bytes.len().min(SAMPLE_HEAD)];
    // The C0 bytes (counted in a u8 per chunk of 255 bytes, which
    // vectorizes) less the text ones: tab, newline, CR, form feed, SUB
    // (counted with memchr).
    let c0: usize = sample.chunks(255).map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + u8::from(b < 0x20)))).sum();
    let text_controls: usize = [b'\t', b'\n', b'\r', 0x0C, 0x1A].iter().map(|&t| memchr::memchr_iter(t, sample).count()).sum();
    let controls = c0 - text_controls;
    controls * 10 > sample.len()
}

pub(super) fn decode_unicode(bytes: &[u8], enc: Encoding) -> Cow<'_, str> {
    match enc {
        Encoding::Utf16Le => encoding_rs::UTF_16LE.decode_without_bom_handling(bytes).0,
        Encoding::Utf16Be => encoding_rs::UTF_16BE.decode_without_bom_handling(bytes).0,
        _ => String::from_utf8_lossy(bytes),
    }
}

pub(super) fn crlf_to_lf(text: String) -> String {
    if memchr::memmem::find(text.as_bytes(), b"\r\n").is_some() {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

// ---------------------------------------------------------------------------------------
// Sample-based choice of the main encoding
// ---------------------------------------------------------------------------------------

const SAMPLE_HEAD: usize = 64 * 1024;
const SAMPLE_MIDDLE: usize = 32 * 1024;

/// Candidates for byte input that is not valid UTF-8, in tie-break order.
pub(super) const BYTE_CANDIDATES: [Encoding; 5] = [Encoding::Utf8, Encoding::Cp1258, Encoding::Tcvn3, Encoding::Vni, Encoding::Viscii];

/// The sample: the head and, for large inputs, a chunk from the middle, both cut at line
/// ends so multi-byte sequences are not split.
fn sample_slices(bytes: &[u8]) -> Vec<&[u8]> {
    if bytes.len() <= SAMPLE_HEAD + SAMPLE_MIDDLE {
        return vec![bytes];
    }
    let head = cut_at_line_end(&bytes[..SAMPLE_HEAD]);
    let mid_start = bytes.len() / 2;
    let middle = &bytes[mid_start..mid_start + SAMPLE_MIDDLE];
    let middle = match middle.iter().position(|&b| b == b'\n') {
        Some(nl) => cut_at_line_end(&middle[nl + 1..]),
        None => middle,
    };
    vec![head, middle]
}

fn cut_at_line_end(slice: &[u8]) -> &[u8] {
    match slice.iter().rposition(|&b| b == b'\n') {
        Some(nl) => &slice[..=nl],
        None => slice,
    }
}

pub(super) fn choose_by_sample(bytes: &[u8]) -> Encoding {
    let slices = sample_slices(bytes);
    let mut best = (Encoding::Cp1258, f32::MIN);
    let mut scratch = String::new();
    for enc in BYTE_CANDIDATES {
        let mut stats = SyllableStats::default();
        for slice in &slices {
            scratch.clear();
            decode_with(enc, slice, &mut scratch);
            let s = syllable_stats(&scratch);
            stats.counted += s.counted;
            stats.valid += s.valid;
        }
        if stats.score() > best.1 {
            best = (enc, stats.score());
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The control count of [`looks_binary`] as one filter over the bytes.
    fn looks_binary_by_filter(bytes: &[u8]) -> bool {
        if bytes.contains(&0) {
            return true;
        }
        let sample = &bytes[..bytes.len().min(SAMPLE_HEAD)];
        let controls = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A)).count();
        controls * 10 > sample.len()
    }

    #[test]
    fn counted_controls_agree_with_the_filter() {
        // Every C0 byte at densities around the 10 % threshold, in texts
        // shorter and longer than the sample.
        let mut seed = 7u32;
        for len in [0, 1, 9, 10, 11, 100, 1000, SAMPLE_HEAD + 500] {
            for control in 0u8..0x20 {
                for per_hundred in [0, 5, 9, 10, 11, 12, 50] {
                    let bytes: Vec<u8> = (0..len)
                        .map(|_| {
                            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                            if (seed >> 8) % 100 < per_hundred {
                                control
                            } else {
                                b"ab \n\t\xc3\xa0"[((seed >> 16) % 7) as usize]
                            }
                        })
                        .collect();
                    assert_eq!(looks_binary(&bytes), looks_binary_by_filter(&bytes), "len {len} control {control} {per_hundred}%");
                }
            }
        }
    }
}
