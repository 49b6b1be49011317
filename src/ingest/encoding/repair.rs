//! Line-wise decoding with repair of mixed lines: a line another encoding
//! explains clearly better is replaced (and its number reported).

use super::bytes::{decode_with, may_have_vntimeh_caps, restore_vntimeh_caps};
use super::detect::BYTE_CANDIDATES;
use super::{Decoded, Encoding};
use crate::vn::syllable::{syllable_stats, SyllableStats};

/// A line is re-examined when it scores below this under the main encoding.
const SECOND_OPINION_BELOW: f32 = 0.75;
/// A replacement must beat the original by this much …
const CLEAR_MARGIN: f32 = 0.25;
/// … and reach at least this score.
const MIN_REPAIRED_SCORE: f32 = 0.6;

fn clearly_better(candidate: SyllableStats, current: SyllableStats) -> bool {
    candidate.valid > current.valid && candidate.score() >= current.score() + CLEAR_MARGIN && candidate.score() >= MIN_REPAIRED_SCORE
}

fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Decode `bytes` with `main`, one line at a time, repairing lines that another encoding
/// explains clearly better.
pub(super) fn decode_lines(bytes: &[u8], main: Encoding) -> Decoded {
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
pub(super) fn repair_unicode_text(text: &str, encoding: Encoding) -> Decoded {
    if !has_mojibake_signal(text) {
        // The usual text: no line to look at, the text as it is.
        return Decoded { text: text.to_owned(), encoding, repaired_lines: Vec::new() };
    }
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
            '\u{A0}'
                | 'À'
                | 'Á'
                | 'Â'
                | 'Ã'
                | 'È'
                | 'É'
                | 'Ê'
                | 'Ì'
                | 'Í'
                | 'Ò'
                | 'Ó'
                | 'Ô'
                | 'Õ'
                | 'Ù'
                | 'Ú'
                | 'Ý'
                | 'à'
                | 'á'
                | 'â'
                | 'ã'
                | 'è'
                | 'é'
                | 'ê'
                | 'ì'
                | 'í'
                | 'ò'
                | 'ó'
                | 'ô'
                | 'õ'
                | 'ù'
                | 'ú'
                | 'ý'
        )
}

/// True when some character of `text` is an [`is_mojibake_signal`]. The signals are
/// U+0080..=U+00FF, whose UTF-8 starts with byte 0xC2 or 0xC3: only those bytes are looked at.
fn has_mojibake_signal(text: &str) -> bool {
    memchr::memchr2_iter(0xC2, 0xC3, text.as_bytes()).any(|at| text.get(at..).and_then(|rest| rest.chars().next()).is_some_and(is_mojibake_signal))
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
