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

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use crate::vn::syllable::{is_valid_syllable, syllable_stats, SyllableStats};

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
    pub const ALL: [Encoding; 8] = [
        Encoding::Utf8,
        Encoding::Utf8Bom,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
        Encoding::Cp1258,
        Encoding::Tcvn3,
        Encoding::Vni,
        Encoding::Viscii,
    ];

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
        let key: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' ' | '.'))
            .flat_map(char::to_lowercase)
            .collect();
        let enc = match key.as_str() {
            "utf8" => Encoding::Utf8,
            "utf8bom" | "utf8sig" => Encoding::Utf8Bom,
            "utf16le" | "utf16" | "ucs2le" => Encoding::Utf16Le,
            "utf16be" | "ucs2be" => Encoding::Utf16Be,
            "cp1258" | "windows1258" | "win1258" | "vietnamesewindows" => Encoding::Cp1258,
            "tcvn3" | "tcvn" | "abc" | "tcvn5712" | "tcvn57121" | "tcvn5712vn3" | "vn3"
            | "vntime" => Encoding::Tcvn3,
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
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<Decoded, DecodeError> {
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
    if let Ok(text) = std::str::from_utf8(bytes) {
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

// ---------------------------------------------------------------------------------------
// BOM / UTF-16 / binary sniffing
// ---------------------------------------------------------------------------------------

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn sniff_bom(bytes: &[u8]) -> Option<(Encoding, usize)> {
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
fn sniff_utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
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
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.contains(&0) {
        return true;
    }
    let sample = &bytes[..bytes.len().min(SAMPLE_HEAD)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A))
        .count();
    controls * 10 > sample.len()
}

fn decode_unicode(bytes: &[u8], enc: Encoding) -> Cow<'_, str> {
    match enc {
        Encoding::Utf16Le => encoding_rs::UTF_16LE.decode_without_bom_handling(bytes).0,
        Encoding::Utf16Be => encoding_rs::UTF_16BE.decode_without_bom_handling(bytes).0,
        _ => String::from_utf8_lossy(bytes),
    }
}

fn crlf_to_lf(text: String) -> String {
    if text.contains("\r\n") {
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
const BYTE_CANDIDATES: [Encoding; 5] =
    [Encoding::Utf8, Encoding::Cp1258, Encoding::Tcvn3, Encoding::Vni, Encoding::Viscii];

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

fn choose_by_sample(bytes: &[u8]) -> Encoding {
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

// ---------------------------------------------------------------------------------------
// Line-wise decoding with repair of mixed lines
// ---------------------------------------------------------------------------------------

/// A line is re-examined when it scores below this under the main encoding.
const SECOND_OPINION_BELOW: f32 = 0.75;
/// A replacement must beat the original by this much …
const CLEAR_MARGIN: f32 = 0.25;
/// … and reach at least this score.
const MIN_REPAIRED_SCORE: f32 = 0.6;

fn clearly_better(candidate: SyllableStats, current: SyllableStats) -> bool {
    candidate.valid > current.valid
        && candidate.score() >= current.score() + CLEAR_MARGIN
        && candidate.score() >= MIN_REPAIRED_SCORE
}

fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Decode `bytes` with `main`, one line at a time, repairing lines that another encoding
/// explains clearly better.
fn decode_lines(bytes: &[u8], main: Encoding) -> Decoded {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut repaired = Vec::new();
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let start = out.len();
        if decode_line(line, main, &mut out) {
            repaired.push(line_number(index));
        } else if main == Encoding::Tcvn3 && may_have_vntimeh_caps(line) {
            let restored = restore_vntimeh_caps(out[start..].to_string());
            out.truncate(start);
            out.push_str(&restored);
        }
    }
    Decoded { text: out, encoding: main, repaired_lines: repaired }
}

/// Append one decoded line; returns true when it was repaired with another encoding.
fn decode_line(line: &[u8], main: Encoding, out: &mut String) -> bool {
    if main == Encoding::Utf8 {
        if let Ok(text) = std::str::from_utf8(line) {
            return push_unicode_line(text, out);
        }
    }
    let start = out.len();
    decode_with(main, line, out);
    if !has_non_ascii_or_control(line) {
        return false;
    }
    let current = syllable_stats(&out[start..]);
    let invalid_utf8 = main == Encoding::Utf8;
    if !invalid_utf8 && (current.counted == 0 || current.score() >= SECOND_OPINION_BELOW) {
        return false;
    }
    let mut best: Option<(String, SyllableStats)> = None;
    for enc in BYTE_CANDIDATES.into_iter().filter(|&e| e != main) {
        let mut candidate = String::new();
        if enc == Encoding::Utf8 {
            match std::str::from_utf8(line) {
                Ok(s) => candidate.push_str(s),
                Err(_) => continue,
            }
        } else {
            decode_with(enc, line, &mut candidate);
        }
        let stats = syllable_stats(&candidate);
        let bar = best.as_ref().map_or(current, |b| b.1);
        let wins = if invalid_utf8 && best.is_none() {
            // Replacement characters are never right: any legacy reading that is at least
            // as good as the lossy one is preferred.
            stats.score() >= current.score()
        } else {
            clearly_better(stats, bar) || (best.is_some() && stats.score() > bar.score())
        };
        if wins {
            best = Some((candidate, stats));
        }
    }
    match best {
        Some((text, _)) => {
            out.truncate(start);
            out.push_str(&text);
            true
        }
        None => false,
    }
}

fn has_non_ascii_or_control(line: &[u8]) -> bool {
    line.iter().any(|&b| b >= 0x80 || (b < 0x20 && !matches!(b, b'\t' | b'\r')))
}

/// Repair mojibake lines of already-Unicode text.
fn repair_unicode_text(text: &str, encoding: Encoding) -> Decoded {
    let mut out = String::with_capacity(text.len());
    let mut repaired = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if push_unicode_line(line, &mut out) {
            repaired.push(line_number(index));
        }
    }
    Decoded { text: out, encoding, repaired_lines: repaired }
}

/// Append a Unicode line, replacing it by its legacy reading when it is mojibake.
fn push_unicode_line(line: &str, out: &mut String) -> bool {
    if let Some(fixed) = repair_mojibake_line(line) {
        out.push_str(&fixed);
        true
    } else {
        out.push_str(line);
        false
    }
}

/// Characters that legacy text shows when read through windows-1252 / Latin-1 but that
/// genuine Vietnamese text does not use: C1 controls and Latin-1 symbols/letters other than
/// the Vietnamese ones (à á â ã è é ê ì í ò ó ô õ ù ú ý and capitals).
fn is_mojibake_signal(c: char) -> bool {
    ('\u{80}'..='\u{FF}').contains(&c)
        && !matches!(
            c,
            '\u{A0}' | 'À' | 'Á' | 'Â' | 'Ã' | 'È' | 'É' | 'Ê' | 'Ì' | 'Í' | 'Ò' | 'Ó' | 'Ô' | 'Õ'
                | 'Ù' | 'Ú' | 'Ý' | 'à' | 'á' | 'â' | 'ã' | 'è' | 'é' | 'ê' | 'ì' | 'í' | 'ò'
                | 'ó' | 'ô' | 'õ' | 'ù' | 'ú' | 'ý'
        )
}

/// If `line` looks like legacy bytes shown through windows-1252, return the best legacy
/// reading when it raises the syllable score clearly.
fn repair_mojibake_line(line: &str) -> Option<String> {
    if !line.chars().any(is_mojibake_signal) {
        return None;
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(line);
    if unmappable {
        return None;
    }
    let current = syllable_stats(line);
    let mut best: Option<(String, SyllableStats)> = None;
    for enc in [Encoding::Tcvn3, Encoding::Vni, Encoding::Viscii, Encoding::Cp1258] {
        let mut candidate = String::with_capacity(line.len() + 16);
        decode_with(enc, &bytes, &mut candidate);
        let stats = syllable_stats(&candidate);
        let bar = best.as_ref().map_or(current, |b| b.1);
        if clearly_better(stats, bar) || (best.is_some() && stats.score() > bar.score()) {
            best = Some((candidate, stats));
        }
    }
    best.map(|(text, _)| text)
}

// ---------------------------------------------------------------------------------------
// Per-encoding byte decoding
// ---------------------------------------------------------------------------------------

/// Append the decoding of `bytes` with `enc` to `out`. Unicode encodings decode lossily.
fn decode_with(enc: Encoding, bytes: &[u8], out: &mut String) {
    match enc {
        Encoding::Cp1258 => {
            let (text, _) = encoding_rs::WINDOWS_1258.decode_without_bom_handling(bytes);
            out.push_str(&text);
        }
        Encoding::Tcvn3 => LegacyTable::tcvn3().decode_into(bytes, out),
        Encoding::Vni => LegacyTable::vni().decode_into(bytes, out),
        Encoding::Viscii => LegacyTable::viscii().decode_into(bytes, out),
        unicode => out.push_str(&decode_unicode(bytes, unicode)),
    }
}

/// Cheap byte-level pre-check for [`restore_vntimeh_caps`]: a TCVN3 lowercase toned code
/// (0xB5..) between capitals, or after two capitals at a word end ("B¸O", "CH¸").
fn may_have_vntimeh_caps(line: &[u8]) -> bool {
    let upper = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_uppercase() || (0xA1..=0xA7).contains(&b));
    let letter = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_alphabetic() || b >= 0xA1);
    (1..line.len()).any(|i| {
        line[i] >= 0xB5
            && upper(line.get(i - 1))
            && (upper(line.get(i + 1))
                || (!letter(line.get(i + 1)) && i >= 2 && upper(line.get(i - 2))))
    })
}

/// `.VnTimeH`-style text: all-caps words typed with lowercase legacy codes
/// ("BáO", "TRƯờNG") are restored to capitals when the rest of the word is capital.
fn restore_vntimeh_caps(text: String) -> String {
    let needs = |word: &str| {
        let mut upper = 0;
        let mut toned_lower = 0;
        for c in word.chars() {
            if c.is_ascii_uppercase() || (!c.is_ascii() && c.is_uppercase()) {
                upper += 1;
            } else if c.is_lowercase() {
                if c.is_ascii() || matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư' | 'đ') {
                    return false;
                }
                toned_lower += 1;
            }
        }
        upper >= 2 && toned_lower > 0
    };
    let is_word_char = |c: char| {
        if c.is_ascii() {
            c.is_ascii_alphabetic()
        } else {
            is_combining(c) || c.is_alphabetic()
        }
    };
    let words = text.split(|c: char| !is_word_char(c));
    if !words.clone().any(needs) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut word_start = 0;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if is_word_char(c) {
            continue;
        }
        let word = &text[word_start..i];
        if needs(word) {
            out.extend(word.chars().flat_map(char::to_uppercase));
        } else {
            out.push_str(word);
        }
        if i < text.len() {
            out.push(c);
        }
        word_start = i + c.len_utf8();
    }
    out
}

// ---------------------------------------------------------------------------------------
// PDF legacy fonts
// ---------------------------------------------------------------------------------------

/// Recognise a legacy Vietnamese font family from a PDF `BaseFont` name such as
/// `ABCDEF+.VnTimeH,Bold`, `.VnArial`, `VNI-Times-Bold`.
pub fn legacy_font_from_name(base_font: &str) -> Option<LegacyFont> {
    let name = base_font.rsplit_once('+').map_or(base_font, |(_, rest)| rest);
    let name = name.strip_prefix("#2E").or_else(|| name.strip_prefix("#2e")).unwrap_or(name);
    let name = name.trim_start_matches('.');
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("vni") && lower[3..].starts_with(['-', '_', ' ']) {
        return Some(LegacyFont::Vni);
    }
    if !(lower.starts_with("vn") && lower[2..].starts_with(|c: char| c.is_ascii_alphabetic())) {
        return None;
    }
    // Family without style suffix: ".VnTimeH,Bold" / ".VnTimeH-Italic" → "VnTimeH".
    let family = name.split([',', '-', ' ']).next().unwrap_or(name);
    if family.len() > 3 && family.ends_with('H') {
        Some(LegacyFont::Tcvn3Upper)
    } else {
        Some(LegacyFont::Tcvn3)
    }
}

/// Decode byte codes shown with a legacy font (PDF simple font without ToUnicode). Pass
/// whole strings when possible: TCVN3 codes 0x85/0x91–0x97 are resolved from context. VNI
/// mark bytes become combining marks, so per-byte calls concatenated and NFC-normalised
/// also give the right text.
pub fn decode_legacy_bytes(bytes: &[u8], font: LegacyFont) -> String {
    let mut out = String::with_capacity(bytes.len() + 4);
    match font {
        LegacyFont::Tcvn3 => LegacyTable::tcvn3().decode_into(bytes, &mut out),
        LegacyFont::Tcvn3Upper => {
            LegacyTable::tcvn3().decode_into(bytes, &mut out);
            out = out.chars().flat_map(char::to_uppercase).collect();
        }
        LegacyFont::Vni => LegacyTable::vni().decode_into(bytes, &mut out),
    }
    out
}

// ---------------------------------------------------------------------------------------
// Legacy tables (data-driven)
// ---------------------------------------------------------------------------------------

const TCVN3_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/encodings/tcvn3.tsv"));
const VNI_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/encodings/vni.tsv"));
const VISCII_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/encodings/viscii.tsv"));

/// One row of a table file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TableRow {
    bytes: Vec<u8>,
    text: char,
    ambiguous: bool,
}

/// Parse a TSV table; malformed lines are returned as errors (tested to be none).
fn parse_table(tsv: &str) -> (Vec<TableRow>, Vec<String>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in tsv.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_row(line) {
            Some(row) => rows.push(row),
            None => errors.push(format!("line {}: {line:?}", n + 1)),
        }
    }
    (rows, errors)
}

fn parse_row(line: &str) -> Option<TableRow> {
    let mut fields = line.split('\t');
    let bytes = fields
        .next()?
        .split_whitespace()
        .map(|h| u8::from_str_radix(h, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    let mut cps = fields.next()?.split_whitespace();
    let text = char::from_u32(u32::from_str_radix(cps.next()?.strip_prefix("U+")?, 16).ok()?)?;
    if cps.next().is_some() || bytes.is_empty() || bytes.len() > 2 {
        return None;
    }
    let _glyph = fields.next();
    let ambiguous = fields.next().map(str::trim) == Some("ctx");
    Some(TableRow { bytes, text, ambiguous })
}

/// What a byte means on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ByteKind {
    /// ASCII that decodes to itself.
    Plain,
    /// A table letter / character.
    Mapped(char),
    /// A table letter that also has a common windows-1252 punctuation meaning.
    Ambiguous { letter: char, punct: char },
    /// A VNI-style mark byte (combining sequence index into `marks`).
    Mark(usize),
    /// Not in the table: windows-1252 meaning.
    Fallback(char),
}

/// A legacy 8-bit table: single-byte codes, optional two-byte base+mark codes.
struct LegacyTable {
    kinds: [ByteKind; 256],
    /// First byte → (second byte, char) for two-byte codes.
    pairs: Vec<Vec<(u8, char)>>,
    /// Combining sequences for mark bytes.
    marks: Vec<String>,
    /// Whether a byte is part of a word (for context resolution).
    letter: [bool; 256],
    /// Unicode → bytes, for round-trip tests.
    #[cfg_attr(not(test), allow(dead_code))]
    encoder: HashMap<char, Vec<u8>>,
}

impl LegacyTable {
    fn tcvn3() -> &'static LegacyTable {
        static T: OnceLock<LegacyTable> = OnceLock::new();
        T.get_or_init(|| LegacyTable::from_tsv(TCVN3_TSV))
    }

    fn vni() -> &'static LegacyTable {
        static T: OnceLock<LegacyTable> = OnceLock::new();
        T.get_or_init(|| LegacyTable::from_tsv(VNI_TSV))
    }

    fn viscii() -> &'static LegacyTable {
        static T: OnceLock<LegacyTable> = OnceLock::new();
        T.get_or_init(|| LegacyTable::from_tsv(VISCII_TSV))
    }

    fn from_tsv(tsv: &str) -> LegacyTable {
        let (rows, _errors) = parse_table(tsv);
        let mut kinds = [ByteKind::Plain; 256];
        for (b, kind) in kinds.iter_mut().enumerate() {
            if b >= 0x80 {
                *kind = ByteKind::Fallback(cp1252_char(b as u8));
            }
        }
        let mut pairs = vec![Vec::new(); 256];
        let mut encoder = HashMap::new();
        for row in &rows {
            encoder.entry(row.text).or_insert_with(|| row.bytes.clone());
            match row.bytes.as_slice() {
                [b] if row.ambiguous => {
                    kinds[*b as usize] = ByteKind::Ambiguous { letter: row.text, punct: cp1252_char(*b) }
                }
                [b] => kinds[*b as usize] = ByteKind::Mapped(row.text),
                [first, second] => pairs[*first as usize].push((*second, row.text)),
                _ => {}
            }
        }
        let marks = derive_marks(&rows, &kinds);
        let mut table = LegacyTable { kinds, pairs, marks: Vec::new(), letter: [false; 256], encoder };
        table.install_marks(marks);
        table.letter = std::array::from_fn(|b| table.is_letter_kind(table.kinds[b], b as u8));
        table
    }

    fn install_marks(&mut self, marks: Vec<(u8, String)>) {
        for (byte, seq) in marks {
            if matches!(self.kinds[byte as usize], ByteKind::Fallback(_)) {
                self.kinds[byte as usize] = ByteKind::Mark(self.marks.len());
                self.marks.push(seq);
            }
        }
    }

    fn is_letter_kind(&self, kind: ByteKind, byte: u8) -> bool {
        match kind {
            ByteKind::Plain => byte.is_ascii_alphabetic(),
            ByteKind::Mapped(c) => c.is_alphabetic() || is_combining(c),
            ByteKind::Mark(_) => true,
            ByteKind::Ambiguous { .. } | ByteKind::Fallback(_) => false,
        }
    }

    fn pair(&self, first: u8, second: u8) -> Option<char> {
        self.pairs[first as usize].iter().find(|(s, _)| *s == second).map(|(_, c)| *c)
    }

    /// Append the decoding of `bytes`.
    fn decode_into(&self, bytes: &[u8], out: &mut String) {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if let Some(&next) = bytes.get(i + 1) {
                if let Some(c) = self.pair(b, next) {
                    out.push(c);
                    i += 2;
                    continue;
                }
            }
            match self.kinds[b as usize] {
                ByteKind::Plain => {
                    let run = bytes[i..]
                        .iter()
                        .position(|&x| self.kinds[x as usize] != ByteKind::Plain || !self.pairs[x as usize].is_empty())
                        .map_or(bytes.len() - i, |n| n.max(1));
                    out.extend(bytes[i..i + run].iter().map(|&x| x as char));
                    i += run;
                    continue;
                }
                ByteKind::Mapped(c) | ByteKind::Fallback(c) => out.push(c),
                ByteKind::Ambiguous { letter, punct } => {
                    out.push(if self.resolve_ambiguous(bytes, i, letter) { letter } else { punct })
                }
                ByteKind::Mark(m) => out.push_str(self.marks.get(m).map_or("", String::as_str)),
            }
            i += 1;
        }
    }

    /// Is the ambiguous byte at `i` a letter? Inside a word: yes; standing alone: no
    /// (punctuation); at a word edge: yes iff the word it completes is a valid syllable
    /// (so `“Một` keeps its quote and `HỌ` its capital).
    fn resolve_ambiguous(&self, bytes: &[u8], i: usize, letter: char) -> bool {
        let is_letter = |j: Option<usize>| j.and_then(|j| bytes.get(j)).is_some_and(|&b| self.letter[b as usize]);
        match (is_letter(i.checked_sub(1)), is_letter(i.checked_add(1))) {
            (true, true) => true,
            (false, false) => false,
            _ => {
                let mut start = i;
                while start > 0 && self.letter[bytes[start - 1] as usize] {
                    start -= 1;
                }
                let mut end = i + 1;
                while end < bytes.len() && self.letter[bytes[end] as usize] {
                    end += 1;
                }
                let mut word = String::with_capacity(end - start + 4);
                for (j, &b) in bytes[start..end].iter().enumerate() {
                    if start + j == i {
                        word.push(letter);
                    } else {
                        self.decode_into(std::slice::from_ref(&b), &mut word);
                    }
                }
                is_valid_syllable(&word)
            }
        }
    }

    /// Unicode → legacy bytes; `None` when a character has no code.
    #[cfg(test)]
    fn encode(&self, text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.nfc() {
            match self.encoder.get(&c) {
                Some(bytes) => out.extend_from_slice(bytes),
                None if c.is_ascii() => out.push(c as u8),
                None => return None,
            }
        }
        Some(out)
    }
}

/// Mark bytes of two-byte codes: the combining sequence a mark byte adds to its base
/// (NFD of the letter minus NFD of the base), so that "Aù" or a lone mark still decode.
fn derive_marks(rows: &[TableRow], kinds: &[ByteKind; 256]) -> Vec<(u8, String)> {
    let mut marks: Vec<(u8, String)> = Vec::new();
    for row in rows {
        let &[base, mark] = row.bytes.as_slice() else { continue };
        let base_text = match kinds[base as usize] {
            ByteKind::Mapped(c) => c.to_string(),
            _ => (base as char).to_string(),
        };
        let full: String = row.text.to_string().nfd().collect();
        let base_nfd: String = base_text.nfd().collect();
        if let Some(seq) = full.strip_prefix(base_nfd.as_str()) {
            if !seq.is_empty() && !marks.iter().any(|(b, _)| *b == mark) {
                marks.push((mark, seq.to_string()));
            }
        }
    }
    marks
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
}

/// windows-1252 meaning of a byte (WHATWG: undefined codes map to C1 controls), with the
/// common typo U+00D0 Ð read as Đ.
fn cp1252_char(b: u8) -> char {
    static TABLE: OnceLock<[char; 256]> = OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|b| {
            let byte = [b as u8];
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            match text.chars().next() {
                Some('Ð') => 'Đ',
                Some(c) => c,
                None => char::REPLACEMENT_CHARACTER,
            }
        })
    })[b as usize]
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

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/encodings");
    const SEEDS: &str = "/work/shared/seeds";

    const VOWEL_ROWS: [&str; 12] = [
        "aáàảãạ", "ăắằẳẵặ", "âấầẩẫậ", "eéèẻẽẹ", "êếềểễệ", "iíìỉĩị",
        "oóòỏõọ", "ôốồổỗộ", "ơớờởỡợ", "uúùủũụ", "ưứừửữự", "yýỳỷỹỵ",
    ];

    /// Every Vietnamese letter: 12 vowels × 6 tones + đ, lower and upper case.
    fn all_letters() -> Vec<char> {
        let lower: Vec<char> = VOWEL_ROWS.iter().flat_map(|r| r.chars()).chain(['đ']).collect();
        let upper: Vec<char> = lower.iter().flat_map(|c| c.to_uppercase()).collect();
        lower.into_iter().chain(upper).collect()
    }

    fn nfc(s: &str) -> String {
        s.nfc().collect()
    }

    fn read_fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// (file, expected encoding, lossy, repaired lines) from the generated manifest.
    fn manifest() -> Vec<(String, String, bool, Vec<u32>)> {
        let text = String::from_utf8(read_fixture("manifest.tsv")).expect("manifest utf-8");
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let repaired = f.get(3).map_or(vec![], |r| {
                    r.split(',').filter(|x| !x.is_empty()).map(|x| x.parse().expect("line no")).collect()
                });
                (f[0].to_string(), f[1].to_string(), f.get(2) == Some(&"1"), repaired)
            })
            .collect()
    }


    #[test]
    fn tables_parse_cleanly() {
        for (name, tsv, min_rows) in [("tcvn3", TCVN3_TSV, 130), ("vni", VNI_TSV, 134), ("viscii", VISCII_TSV, 134)] {
            let (rows, errors) = parse_table(tsv);
            assert!(errors.is_empty(), "{name}: {errors:?}");
            assert!(rows.len() >= min_rows, "{name}: {} rows", rows.len());
        }
    }

    /// Unicode → bytes → Unicode identity for every letter, alone and inside a word.
    /// (TCVN3 codes flagged `ctx` are punctuation when they stand alone, by design.)
    fn round_trip(table: &LegacyTable, name: &str) {
        for c in all_letters() {
            for s in [c.to_string(), format!("N{c}N")] {
                let bytes = table.encode(&s).unwrap_or_else(|| panic!("{name}: no code for {c}"));
                let standalone_ctx = bytes.len() == 1
                    && matches!(table.kinds[bytes[0] as usize], ByteKind::Ambiguous { .. });
                if standalone_ctx {
                    continue;
                }
                let mut back = String::new();
                table.decode_into(&bytes, &mut back);
                assert_eq!(nfc(&back), s, "{name}: {c} -> {bytes:02X?}");
            }
        }
    }

    #[test]
    fn tcvn3_round_trip() {
        round_trip(LegacyTable::tcvn3(), "tcvn3");
    }

    #[test]
    fn vni_round_trip() {
        round_trip(LegacyTable::vni(), "vni");
    }

    #[test]
    fn viscii_round_trip() {
        round_trip(LegacyTable::viscii(), "viscii");
    }

    #[test]
    fn cp1258_round_trip() {
        // encoding_rs cannot encode precomposed toned letters; build the cp1258 form
        // (base letter with its own diacritic + a tone mark byte) from the decomposition.
        for c in all_letters() {
            let s = c.to_string();
            let nfd: String = s.nfd().collect();
            let (base, tone): (String, String) = nfd.chars().partition(|ch| !"\u{300}\u{301}\u{303}\u{309}\u{323}".contains(*ch));
            let input = format!("{}{}", nfc(&base), tone);
            let (bytes, _, bad) = encoding_rs::WINDOWS_1258.encode(&input);
            assert!(!bad, "cp1258 cannot encode {c}");
            let mut back = String::new();
            decode_with(Encoding::Cp1258, &bytes, &mut back);
            assert_eq!(nfc(&back), s, "cp1258: {c}");
        }
    }

    #[test]
    fn tcvn3_uppercase_font_reuses_lowercase_codes() {
        let table = LegacyTable::tcvn3();
        for c in all_letters().into_iter().filter(|c| c.is_lowercase()) {
            let bytes = table.encode(&c.to_string()).expect("lowercase code");
            let upper: String = c.to_uppercase().collect();
            assert_eq!(nfc(&decode_legacy_bytes(&bytes, LegacyFont::Tcvn3Upper)), upper);
            assert_eq!(nfc(&decode_legacy_bytes(&bytes, LegacyFont::Tcvn3)), c.to_string());
        }
        assert_eq!(decode_legacy_bytes(b"\xD6", LegacyFont::Tcvn3), "\u{1EC7}"); // ệ
        assert_eq!(decode_legacy_bytes(b"\xD6", LegacyFont::Tcvn3Upper), "\u{1EC6}"); // Ệ
    }

    #[test]
    fn vni_per_byte_decoding_composes() {
        let word = "Việt Nam độc lập tự do hạnh phúc NGƯỜI";
        let bytes = LegacyTable::vni().encode(word).expect("vni");
        let per_byte: String = bytes.iter().map(|b| decode_legacy_bytes(&[*b], LegacyFont::Vni)).collect();
        assert_eq!(nfc(&per_byte), word);
        // Mixed-case mark after a capital base still works ("Aù" → "Á").
        assert_eq!(nfc(&decode_legacy_bytes(b"A\xF9", LegacyFont::Vni)), "Á");
    }

    #[test]
    fn tcvn3_ambiguous_bytes_resolved_from_context() {
        // “Một” … – HỌ Ọ; 0x93/0x94 quotes, 0x85 ellipsis, 0x96 dash and Ọ.
        let cases: [(&[u8], &str); 5] = [
            (b"\x93M\xe9t\x94", "“Một”"),
            (b"nh\xb5\x85", "nhà…"),
            (b"2020 \x96 2025", "2020 – 2025"),
            (b"H\x96 t\xaan", "HỌ tên"),
            (b"C\x97NG", "CỘNG"),
        ];
        for (bytes, want) in cases {
            assert_eq!(nfc(&decode_legacy_bytes(bytes, LegacyFont::Tcvn3)), want);
        }
    }

    #[test]
    fn vntimeh_caps_restored() {
        // "BÁO CÁO" typed with lowercase codes under an uppercase font.
        let d = decode(b"B\xb8O C\xb8O k\xd5t qu\xb6 c\xabng t\xb8c c\xb6i c\xb8ch h\xb5nh ch\xddnh", None).expect("decode");
        assert_eq!(d.encoding, Encoding::Tcvn3);
        assert_eq!(nfc(&d.text), "BÁO CÁO kết quả công tác cải cách hành chính");
    }

    #[test]
    fn names_and_aliases() {
        for enc in Encoding::ALL {
            assert_eq!(Encoding::from_name(enc.name()), Some(enc));
            assert_eq!(Encoding::from_name(&enc.name().to_uppercase()), Some(enc));
        }
        assert_eq!(Encoding::from_name("windows-1258"), Some(Encoding::Cp1258));
        assert_eq!(Encoding::from_name("TCVN"), Some(Encoding::Tcvn3));
        assert_eq!(Encoding::from_name("abc"), Some(Encoding::Tcvn3));
        assert_eq!(Encoding::from_name("VNI-Windows"), Some(Encoding::Vni));
        assert_eq!(Encoding::from_name("latin-1"), None);
    }

    #[test]
    fn font_names() {
        use LegacyFont::*;
        for (name, want) in [
            (".VnTime", Some(Tcvn3)),
            (".VnTimeH", Some(Tcvn3Upper)),
            ("ABCDEF+.VnTimeH,Bold", Some(Tcvn3Upper)),
            (".VnArial", Some(Tcvn3)),
            (".VnArialH", Some(Tcvn3Upper)),
            ("VnTime-Italic", Some(Tcvn3)),
            ("VNI-Times", Some(Vni)),
            ("XYZABC+VNI-Helve-Bold", Some(Vni)),
            ("TimesNewRomanPSMT", None),
            ("Arial,Bold", None),
            ("Verdana", None),
        ] {
            assert_eq!(legacy_font_from_name(name), want, "{name}");
        }
    }

    #[test]
    fn genuine_utf8_seeds_stay_utf8() {
        let Ok(dir) = std::fs::read_dir(SEEDS) else { return };
        let mut n = 0;
        for entry in dir.flatten() {
            let bytes = std::fs::read(entry.path()).expect("seed");
            let d = decode(&bytes, None).expect("decode");
            assert_eq!(d.encoding, Encoding::Utf8, "{:?}", entry.path());
            assert!(d.repaired_lines.is_empty(), "{:?}: {:?}", entry.path(), d.repaired_lines);
            assert_eq!(d.text, String::from_utf8(bytes).expect("utf-8"));
            n += 1;
        }
        assert!(n >= 5);
    }

    #[test]
    fn fixture_variants_detected_and_decoded() {
        let entries = manifest();
        assert!(entries.len() >= 19);
        for (file, want, lossy, repaired) in entries {
            let original = String::from_utf8(read_fixture(&format!("{}_utf8.txt", &file[..3]))).expect("utf-8");
            let d = decode(&read_fixture(&file), None).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(d.encoding.name(), want, "{file}");
            assert_eq!(d.repaired_lines, repaired, "{file}");
            let (mut got, mut exp) = (nfc(&d.text), nfc(&original));
            if lossy {
                (got, exp) = (fold_lossy_punctuation(&got), fold_lossy_punctuation(&exp));
            }
            if file.contains("oldtone") {
                continue; // tone placement is normalised later by vn::normalize
            }
            if got != exp {
                let line = got.lines().zip(exp.lines()).position(|(a, b)| a != b);
                panic!("{file}: text differs at line {line:?}");
            }
        }
    }

    #[test]
    fn forced_encoding_is_obeyed() {
        let bytes = read_fixture("001_tcvn3.txt");
        let d = decode(&bytes, Some(Encoding::Vni)).expect("forced");
        assert_eq!(d.encoding, Encoding::Vni);
        assert!(matches!(decode(b"a\xffb", Some(Encoding::Utf8)), Err(DecodeError::Malformed { offset: 1, .. })));
        assert_eq!(decode(b"\xEF\xBB\xBFabc", Some(Encoding::Utf8)).expect("bom").text, "abc");
    }

    #[test]
    fn binary_and_edge_inputs() {
        assert!(matches!(decode(b"PK\x03\x04\x00\x00binary", None), Err(DecodeError::Binary)));
        assert_eq!(decode(b"", None).expect("empty").text, "");
        let utf16: Vec<u8> = "Công tác cải cách hành chính năm 2025".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let d = decode(&utf16, None).expect("utf-16 without BOM");
        assert_eq!(d.encoding, Encoding::Utf16Le);
        assert_eq!(d.text, "Công tác cải cách hành chính năm 2025");
    }

    #[test]
    fn mixed_raw_legacy_line_in_utf8_file() {
        let mut bytes = "Công tác cải cách hành chính\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"C\xabng t\xb8c c\xb6i c\xb8ch h\xb5nh ch\xddnh n\xa8m nay\n");
        bytes.extend_from_slice("Kết quả đạt được trong năm\n".as_bytes());
        let d = decode(&bytes, None).expect("decode");
        assert_eq!(d.encoding, Encoding::Utf8);
        assert_eq!(d.repaired_lines, vec![2]);
        assert_eq!(nfc(&d.text), "Công tác cải cách hành chính\nCông tác cải cách hành chính năm nay\nKết quả đạt được trong năm\n");
    }

    #[test]
    fn no_panic_on_arbitrary_bytes() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for len in [0usize, 1, 2, 3, 7, 64, 1000, 5000] {
            for _ in 0..50 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        (state >> 24) as u8
                    })
                    .collect();
                let _ = decode(&bytes, None);
                for enc in Encoding::ALL {
                    let _ = decode(&bytes, Some(enc));
                }
                for font in [LegacyFont::Tcvn3, LegacyFont::Tcvn3Upper, LegacyFont::Vni] {
                    let _ = decode_legacy_bytes(&bytes, font);
                }
            }
        }
    }
}
