//! Unicode normalization for Vietnamese text: NFC, one tone-mark placement,
//! odd spaces and invisible characters.
//!
//! Canonical tone placement: the one used by current government documents
//! (and the majority of the seeds): in the open syllables "oa", "oe", "uy"
//! (no final consonant) the tone sits on the FIRST vowel — "hòa", "khỏe",
//! "thủy", "ủy"; with a final consonant it sits on the second vowel —
//! "hoàng", "toán", "huỳnh". "qu"/"gi" onsets are not vowels ("quý", "quà").
//! The other placement ("hoà", "khoẻ", "thuỷ") is rewritten to this one, so
//! both spellings compare equal everywhere downstream.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

const GRAVE: char = '\u{300}';
const ACUTE: char = '\u{301}';
const TILDE: char = '\u{303}';
const HOOK: char = '\u{309}';
const DOT_BELOW: char = '\u{323}';

fn is_tone(c: char) -> bool {
    matches!(c, GRAVE | ACUTE | TILDE | HOOK | DOT_BELOW)
}

/// Characters removed outright: soft hyphen, zero-width space/joiners, BOM,
/// word joiner.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Space-like characters mapped to a plain space (tab is kept: it carries
/// table structure in DOCX exports).
fn is_odd_space(c: char) -> bool {
    matches!(c, '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\u{1680}')
}

/// Normalize one line (or a whole text): invisible characters dropped, odd
/// spaces → ' ', Eth typo 'Ð' → 'Đ', NFC, canonical tone placement.
pub fn normalize_text(input: &str) -> String {
    if input.is_ascii() || already_normal(input) {
        return input.to_string();
    }
    full_normalization(input)
}

/// [`normalize_text`] of an owned line: the same string back when it is
/// already normal (the usual line), without a copy.
pub fn normalize_string(input: String) -> String {
    if input.is_ascii() || already_normal(&input) {
        return input;
    }
    full_normalization(&input)
}

/// The whole normalization, without the fast paths (they must agree with it).
fn full_normalization(input: &str) -> String {
    let cleaned: String = input
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| {
            if is_odd_space(c) {
                ' '
            } else if c == '\u{D0}' {
                'Đ'
            } else {
                c
            }
        })
        .collect();
    let nfc: String = if is_nfc_quick(cleaned.chars()) == IsNormalized::Yes { cleaned } else { cleaned.nfc().collect() };
    fix_tone_placement(&nfc)
}

/// True when `normalize_text` would return `input` unchanged, decided in one
/// pass for the usual line: no character to drop or map, only ASCII and
/// precomposed starters (so NFC already), no word to re-tone.
fn already_normal(input: &str) -> bool {
    let mut prev = ' ';
    // `prev` is a toned a/e/y after o/u: a word to re-tone unless a letter follows.
    let mut retone_end = false;
    for c in input.chars() {
        if retone_end && !c.is_alphabetic() {
            return false;
        }
        retone_end = false;
        if !c.is_ascii() {
            if is_invisible(c) || is_odd_space(c) || c == '\u{D0}' || !nfc_starter(c) {
                return false;
            }
            retone_end = is_toned_a_e_y(c) && matches!(prev, 'o' | 'O' | 'u' | 'U');
        }
        prev = c;
    }
    !retone_end
}

const STARTER_TABLE_END: u32 = 0x2000;

/// Bit per character below U+2000: a starter (combining class 0) whose NFC
/// quick check is Yes. A text of such characters and ASCII is NFC.
static NFC_STARTERS: once_cell::sync::Lazy<Vec<u64>> = once_cell::sync::Lazy::new(|| {
    let mut bits = vec![0u64; (STARTER_TABLE_END / 64) as usize];
    for u in 0..STARTER_TABLE_END {
        if let Some(c) = char::from_u32(u) {
            if unicode_normalization::char::canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes {
                bits[(u / 64) as usize] |= 1 << (u % 64);
            }
        }
    }
    bits
});

fn nfc_starter(c: char) -> bool {
    let u = c as u32;
    u < STARTER_TABLE_END && NFC_STARTERS[(u / 64) as usize] & (1 << (u % 64)) != 0
}

/// Rewrites "hoà/khoẻ/thuỷ"-style words to "hòa/khỏe/thủy" (see module doc).
/// Words are maximal runs of letters and combining marks; only a word ending
/// in o/u + toned a/e/y can change, so only those are cut out and re-toned
/// (the rest of the text is copied in slices).
pub(crate) fn fix_tone_placement(text: &str) -> String {
    let is_word = |c: char| c.is_alphabetic() || is_combining_mark(c);
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        let candidate = is_toned_a_e_y(c) && matches!(prev, 'o' | 'O' | 'u' | 'U');
        prev = c;
        if !candidate {
            continue;
        }
        let end = i + c.len_utf8();
        if text[end..].chars().next().is_some_and(is_word) {
            continue;
        }
        let start = text[..i].char_indices().rev().take_while(|&(_, ch)| is_word(ch)).last().map_or(i, |(k, _)| k);
        if let Some(w) = retone_word(&text[start..end]) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..start]);
            o.push_str(&w);
            copied = end;
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            o
        }
        None => text.to_string(),
    }
}

fn is_toned_a_e_y(c: char) -> bool {
    matches!(
        c,
        'à' | 'á'
            | 'ả'
            | 'ã'
            | 'ạ'
            | 'è'
            | 'é'
            | 'ẻ'
            | 'ẽ'
            | 'ẹ'
            | 'ỳ'
            | 'ý'
            | 'ỷ'
            | 'ỹ'
            | 'ỵ'
            | 'À'
            | 'Á'
            | 'Ả'
            | 'Ã'
            | 'Ạ'
            | 'È'
            | 'É'
            | 'Ẻ'
            | 'Ẽ'
            | 'Ẹ'
            | 'Ỳ'
            | 'Ý'
            | 'Ỷ'
            | 'Ỹ'
            | 'Ỵ'
    )
}

/// Returns the re-toned word when it is an open "oa"/"oe"/"uy" syllable with
/// the tone on the second vowel; None when nothing changes.
fn retone_word(word: &str) -> Option<String> {
    let decomposed: Vec<char> = word.nfd().collect();
    // Group into (base, marks).
    let mut letters: Vec<(char, Vec<char>)> = Vec::with_capacity(decomposed.len());
    for c in decomposed {
        if is_combining_mark(c) {
            if let Some(last) = letters.last_mut() {
                last.1.push(c);
            } else {
                return None;
            }
        } else {
            letters.push((c, Vec::new()));
        }
    }
    let n = letters.len();
    if n < 2 {
        return None;
    }
    // The pair must end the word (open syllable).
    let (first, second) = (&letters[n - 2], &letters[n - 1]);
    let f = first.0.to_ascii_lowercase();
    let s = second.0.to_ascii_lowercase();
    let pair_ok = matches!((f, s), ('o', 'a') | ('o', 'e') | ('u', 'y'));
    if !pair_ok || !first.1.is_empty() {
        return None;
    }
    // "qu" + y: u belongs to the onset.
    if f == 'u' && n >= 3 && letters[n - 3].0.eq_ignore_ascii_case(&'q') {
        return None;
    }
    // Second vowel must carry only a tone mark.
    let tone = match second.1.as_slice() {
        [t] if is_tone(*t) => *t,
        _ => return None,
    };
    // No other vowel before the pair (e.g. "ngoà" is fine, "uoa" is not a word).
    let mut rebuilt = String::with_capacity(word.len());
    for (i, (base, marks)) in letters.iter().enumerate() {
        rebuilt.push(*base);
        if i == n - 2 {
            rebuilt.push(tone);
        }
        if i != n - 1 {
            for m in marks {
                rebuilt.push(*m);
            }
        }
    }
    Some(rebuilt.nfc().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_placement_is_canonical() {
        assert_eq!(normalize_text("hoà"), "hòa");
        assert_eq!(normalize_text("hòa"), "hòa");
        assert_eq!(normalize_text("thuỷ"), "thủy");
        assert_eq!(normalize_text("khoẻ"), "khỏe");
        assert_eq!(normalize_text("Đảng uỷ phường"), "Đảng ủy phường");
        assert_eq!(normalize_text("Uỷ ban"), "Ủy ban");
        assert_eq!(normalize_text("số hoá thành phần"), "số hóa thành phần");
        // Closed syllables and qu- onsets are untouched.
        assert_eq!(normalize_text("hoàng toán huỳnh quý quà"), "hoàng toán huỳnh quý quà");
    }

    #[test]
    fn fast_path_agrees_with_the_full_normalization() {
        let samples = [
            "Ủy ban nhân dân phường Cẩm Thành",
            "số hoá",
            "a\u{A0}b",
            "Ðảng",
            "e\u{301}",
            "\u{2000}x",
            "tiếng Việt\u{300}",
            "ƠƯơư Ăă Đđ ễ ỹ ỳ",
            "Ω K Å",
            "hoà",
            "hoà.",
            "hoàng",
            "thuỷ lợi",
            "Hoá",
            "uý",
            "toà án",
        ];
        for s in samples {
            let slow = full_normalization(s);
            assert_eq!(normalize_text(s), slow, "{s}");
            assert_eq!(normalize_string(s.to_string()), slow, "{s}");
            if already_normal(s) {
                assert_eq!(slow, s);
            }
        }
    }

    #[test]
    fn nfd_and_spaces() {
        let nfd: String = "Trương Quang Trọng".nfd().collect();
        assert_eq!(normalize_text(&nfd), "Trương Quang Trọng");
        assert_eq!(normalize_text("a\u{A0}b\u{AD}c\u{200B}d"), "a bcd");
        assert_eq!(normalize_text("\u{D0}ảng"), "Đảng");
        assert_eq!(normalize_text("\tx"), "\tx");
    }
}
