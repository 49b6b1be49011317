//! Per-encoding byte decoding (with `.VnTimeH` capitals restored) and the
//! legacy fonts of PDF files.

use super::detect::decode_unicode;
use super::legacy::{is_combining, LegacyTable};
use super::{Encoding, LegacyFont};

/// Append the decoding of `bytes` with `enc` to `out`. Unicode encodings decode lossily.
pub(super) fn decode_with(enc: Encoding, bytes: &[u8], out: &mut String) {
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
pub(super) fn may_have_vntimeh_caps(line: &[u8]) -> bool {
    let upper = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_uppercase() || (0xA1..=0xA7).contains(&b));
    let letter = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_alphabetic() || b >= 0xA1);
    (1..line.len())
        .any(|i| line[i] >= 0xB5 && upper(line.get(i - 1)) && (upper(line.get(i + 1)) || (!letter(line.get(i + 1)) && i >= 2 && upper(line.get(i - 2)))))
}

/// `.VnTimeH`-style text: all-caps words typed with lowercase legacy codes
/// ("BáO", "TRƯờNG") are restored to capitals when the rest of the word is capital.
pub(super) fn restore_vntimeh_caps(text: String) -> String {
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
