//! Text encoding detection and decoding for Vietnamese documents, including the legacy
//! 8-bit encodings still found in administrative archives: windows-1258, TCVN3 (ABC,
//! ".VnTime" fonts), VNI-Windows ("VNI-Times" fonts) and VISCII.
//!
//! # Detection
//! 1. A byte-order mark decides (UTF-8, UTF-16LE/BE); UTF-16 without BOM is recognised
//!    from its NUL-byte pattern. Any other NUL byte means [`DecodeError::Binary`].
//! 2. Valid UTF-8 is UTF-8. Lines that carry legacy mojibake (e.g. TCVN3 text pasted through
//!    a windows-1252 font: `C«ng t¸c`) are re-encoded to windows-1252 bytes and re-decoded
//!    with the legacy table that clearly raises their syllable score; their numbers are
//!    reported in [`Decoded::repaired_lines`].
//! 3. Otherwise every candidate (UTF-8 with replacement, cp1258, TCVN3, VNI, VISCII) decodes
//!    a bounded sample (first 64 KiB + 32 KiB from the middle) and the one with the best
//!    [`syllable_stats`] score wins. The file is then decoded once, line by line, with the
//!    winner; a line that scores poorly is re-tried with the other candidates and replaced
//!    (and reported) when one is clearly better.
//!
//! Cost bound: every byte is decoded once by the winner; the ≤ 96 KiB sample is decoded
//! five more times; a byte on a poorly scoring line with non-ASCII bytes at most four more.
//!
//! The returned text is *not* NFC-normalised (windows-1258 and VNI yield base letter +
//! combining marks); `crate::vn::normalize` does that. CRLF line ends become LF.
//!
//! The legacy tables are data files (`schemas/encodings/*.tsv`) parsed once on first use.

mod bytes;
mod detect;
mod legacy;
mod repair;
#[cfg(test)]
mod tests;

use bytes::decode_with;
use detect::{choose_by_sample, crlf_to_lf, decode_unicode, looks_binary, sniff_bom, sniff_utf16_without_bom, UTF8_BOM};
use repair::{decode_lines, repair_unicode_text};

pub use bytes::{decode_legacy_bytes, legacy_font_from_name};

// ---------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------

/// Encodings the decoder can detect or be told to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Cp1258,
    Tcvn3,
    Vni,
    Viscii,
}

impl Encoding {
    /// Every encoding, in tie-break preference order for legacy detection.
    pub const ALL: [Encoding; 8] =
        [Encoding::Utf8, Encoding::Utf8Bom, Encoding::Utf16Le, Encoding::Utf16Be, Encoding::Cp1258, Encoding::Tcvn3, Encoding::Vni, Encoding::Viscii];

    /// Stable lower-case name (stored in `documents.parquet`).
    pub fn name(&self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Cp1258 => "cp1258",
            Encoding::Tcvn3 => "tcvn3",
            Encoding::Vni => "vni",
            Encoding::Viscii => "viscii",
        }
    }

    /// Parse a name or common alias, case-insensitively ("windows-1258", "tcvn", "abc",
    /// "vni-windows", "utf8" …).
    pub fn from_name(s: &str) -> Option<Self> {
        let key: String = s.trim().chars().filter(|c| !matches!(c, '-' | '_' | ' ' | '.')).flat_map(char::to_lowercase).collect();
        let enc = match key.as_str() {
            "utf8" => Encoding::Utf8,
            "utf8bom" | "utf8sig" => Encoding::Utf8Bom,
            "utf16le" | "utf16" | "ucs2le" => Encoding::Utf16Le,
            "utf16be" | "ucs2be" => Encoding::Utf16Be,
            "cp1258" | "windows1258" | "win1258" | "vietnamesewindows" => Encoding::Cp1258,
            "tcvn3" | "tcvn" | "abc" | "tcvn5712" | "tcvn57121" | "tcvn5712vn3" | "vn3" | "vntime" => Encoding::Tcvn3,
            "vni" | "vniwindows" | "vniwin" | "vnitimes" => Encoding::Vni,
            "viscii" | "viscii11" => Encoding::Viscii,
            _ => return None,
        };
        Some(enc)
    }

    /// True for the 8-bit legacy encodings (cp1258, TCVN3, VNI, VISCII).
    pub fn is_legacy(&self) -> bool {
        matches!(self, Encoding::Cp1258 | Encoding::Tcvn3 | Encoding::Vni | Encoding::Viscii)
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Decoded document text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// Unicode text (not yet NFC-normalised), LF line ends.
    pub text: String,
    /// The file's main encoding.
    pub encoding: Encoding,
    /// 1-based line numbers that were repaired from a different legacy encoding than the
    /// main one (mixed files).
    pub repaired_lines: Vec<u32>,
}

/// Why a byte string could not be turned into text.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("binary file (NUL bytes / not text)")]
    Binary,
    #[error("input is not valid {encoding} (first bad byte at offset {offset})")]
    Malformed { encoding: &'static str, offset: usize },
}

/// Legacy font families recognisable from a PDF font name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyFont {
    /// ".VnTime", ".VnArial" … (TCVN3 / ABC).
    Tcvn3,
    /// ".VnTimeH", ".VnArialH" … uppercase-only TCVN3 fonts: lowercase codes draw capitals.
    Tcvn3Upper,
    /// "VNI-Times", "VNI-Helve" …
    Vni,
}

// ---------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------

/// Decode a whole file. With `forced`, exactly that decoding is applied (no detection, no
/// line repair; a BOM matching the forced encoding is skipped).
pub(crate) fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<Decoded, DecodeError> {
    let decoded = match forced {
        Some(enc) => decode_forced(bytes, enc)?,
        None => detect_and_decode(bytes)?,
    };
    Ok(Decoded { text: crlf_to_lf(decoded.text), ..decoded })
}

fn detect_and_decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((enc, bom_len)) = sniff_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        return Ok(repair_unicode_text(&decode_unicode(body, enc), enc));
    }
    if let Some(enc) = sniff_utf16_without_bom(bytes) {
        return Ok(repair_unicode_text(&decode_unicode(bytes, enc), enc));
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    // SIMD validation of the usual input; only the yes/no is needed here.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(repair_unicode_text(text, Encoding::Utf8));
    }
    let main = choose_by_sample(bytes);
    Ok(decode_lines(bytes, main))
}

fn decode_forced(bytes: &[u8], enc: Encoding) -> Result<Decoded, DecodeError> {
    let text = match enc {
        Encoding::Utf8 | Encoding::Utf8Bom => {
            let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
            match std::str::from_utf8(body) {
                Ok(s) => s.to_owned(),
                Err(e) => {
                    let offset = e.valid_up_to() + (bytes.len() - body.len());
                    return Err(DecodeError::Malformed { encoding: enc.name(), offset });
                }
            }
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let bom_len = match sniff_bom(bytes) {
                Some((found, len)) if found == enc => len,
                _ => 0,
            };
            decode_unicode(bytes.get(bom_len..).unwrap_or_default(), enc).into_owned()
        }
        legacy => {
            let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
            decode_with(legacy, bytes, &mut out);
            out
        }
    };
    Ok(Decoded { text, encoding: enc, repaired_lines: Vec::new() })
}

/// Punctuation that the 8-bit encodings cannot hold, folded the way the
/// fixture generator (fixtures/encodings/make_variants.py) writes it: used to
/// compare a lossy variant with its Unicode original.
pub fn fold_lossy_punctuation(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{201C}' | '\u{201D}' => out.push('"'),
            '\u{2018}' | '\u{2019}' => out.push('\''),
            '\u{2013}' | '\u{2014}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            '\u{A0}' => out.push(' '),
            '\u{B7}' | '\u{2022}' => out.push('*'),
            c => out.push(c),
        }
    }
    out
}
