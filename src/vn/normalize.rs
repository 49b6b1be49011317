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
    if input.is_ascii() {
        return input.to_string();
    }
    match shape(input) {
        Shape::Normal => input.to_string(),
        Shape::CleanNfc { from } => retoned(input, from).unwrap_or_else(|| input.to_string()),
        Shape::Other => full_normalization(input),
    }
}

/// [`normalize_text`] of an owned line: the same string back when it is
/// already normal (the usual line), without a copy.
pub fn normalize_string(input: String) -> String {
    if input.is_ascii() {
        return input;
    }
    match shape(&input) {
        Shape::Normal => input,
        Shape::CleanNfc { from } => retoned(&input, from).unwrap_or(input),
        Shape::Other => full_normalization(&input),
    }
}

/// The whole normalization, without the fast paths (they must agree with it).
fn full_normalization(input: &str) -> String {
    fix_tone_placement(&nfc(cleaned(input)))
}

/// `input` without invisible characters, odd spaces made plain, 'Ð' (U+00D0) made 'Đ'.
fn cleaned(input: &str) -> String {
    input
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
        .collect()
}

/// NFC of a text with no invisible character, odd space or 'Ð' left, composed
/// piece by piece: the text is cut before every character [`kept_as_is`] (a
/// starter whose NFC quick check is Yes: nothing before it composes with it
/// or with what follows, and canonical reordering never crosses a starter),
/// so its NFC is the NFC of the pieces, and only the pieces holding another
/// character (a combining mark, a decomposed letter) need composing.
fn nfc(text: String) -> String {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    // The piece not yet copied starts at `piece`; `dirty` when it needs composing.
    let mut piece = 0;
    let mut dirty = false;
    for (at, c) in text.char_indices() {
        if c.is_ascii() || kept_as_is(c) {
            push_piece(&mut out, &text[piece..at], dirty);
            piece = at;
            dirty = false;
        } else {
            dirty = true;
        }
    }
    push_piece(&mut out, &text[piece..], dirty);
    out
}

fn push_piece(out: &mut String, piece: &str, dirty: bool) {
    if dirty {
        out.extend(piece.nfc());
    } else {
        out.push_str(piece);
    }
}

/// What one pass over a line tells about its normalization.
#[derive(Debug, PartialEq)]
enum Shape {
    /// Returned unchanged: nothing to drop or map, NFC already, no word to re-tone.
    Normal,
    /// Nothing to drop or map and NFC already (only ASCII and precomposed
    /// starters), but a word may need re-toning: only
    /// [`fix_tone_placement`] of the full normalization can change it. No
    /// word ends before the toned vowel at byte `from` that can.
    CleanNfc { from: usize },
    /// Anything else: the full normalization.
    Other,
}

/// Only the non-ASCII characters are looked at: ASCII is always kept as is,
/// and it matters for re-toning only as the o/u before a toned a/e/y (an
/// ASCII byte of UTF-8 is a whole character) and as the character after it.
fn shape(input: &str) -> Shape {
    let mut retone = None;
    for (at, c) in non_ascii_chars(input, 0) {
        if !kept_as_is(c) {
            return Shape::Other;
        }
        // A toned a/e/y after o/u ends a word to re-tone unless a letter follows.
        if retone.is_none() && after_o_u(input, at) && is_toned_a_e_y(c) && !input[at + c.len_utf8()..].chars().next().is_some_and(char::is_alphabetic) {
            retone = Some(at);
        }
    }
    match retone {
        Some(from) => Shape::CleanNfc { from },
        None => Shape::Normal,
    }
}

/// The non-ASCII characters of `text` from byte `from` (a character
/// boundary) with their byte offsets; the ASCII between them is skipped
/// byte by byte without decoding.
fn non_ascii_chars(text: &str, from: usize) -> NonAscii<'_> {
    NonAscii { text, at: from }
}

struct NonAscii<'a> {
    text: &'a str,
    at: usize,
}

impl Iterator for NonAscii<'_> {
    type Item = (usize, char);

    #[inline]
    fn next(&mut self) -> Option<(usize, char)> {
        let bytes = self.text.as_bytes();
        while *bytes.get(self.at)? < 0x80 {
            self.at += 1;
        }
        let found = self.at;
        let c = self.text.get(found..)?.chars().next()?;
        self.at += c.len_utf8();
        Some((found, c))
    }
}

/// Whether the character before byte `at` is an o or u (an ASCII byte of
/// UTF-8 is a whole character).
fn after_o_u(text: &str, at: usize) -> bool {
    matches!(text.as_bytes()[..at].last(), Some(b'o' | b'O' | b'u' | b'U'))
}

/// True when `normalize_text` would return `input` unchanged, decided in one
/// pass for the usual line (see [`Shape::Normal`]).
#[cfg(test)]
fn already_normal(input: &str) -> bool {
    shape(input) == Shape::Normal
}

/// A character the normalization leaves where it is: not dropped or mapped,
/// and a starter (combining class 0) whose NFC quick check is Yes, so a text
/// of such characters and ASCII is NFC.
#[inline(never)]
fn is_kept_as_is(c: char) -> bool {
    !is_invisible(c)
        && !is_odd_space(c)
        && c != '\u{D0}'
        && unicode_normalization::char::canonical_combining_class(c) == 0
        && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
}

const KEPT_TABLE_END: u32 = 0x2000;

/// [`is_kept_as_is`] as a bit per character below U+2000 (Latin, Vietnamese
/// letters and the other alphabets of the usual line).
static KEPT_AS_IS: once_cell::sync::Lazy<Vec<u64>> = once_cell::sync::Lazy::new(|| {
    let mut bits = vec![0u64; (KEPT_TABLE_END / 64) as usize];
    for u in 0..KEPT_TABLE_END {
        if char::from_u32(u).is_some_and(is_kept_as_is) {
            bits[(u / 64) as usize] |= 1 << (u % 64);
        }
    }
    bits
});

/// [`is_kept_as_is`], from the table below U+2000 and computed above it
/// (punctuation such as … ‘ ’ “ ” – •, rarer on a line).
#[inline]
fn kept_as_is(c: char) -> bool {
    let u = c as u32;
    if u < KEPT_TABLE_END {
        KEPT_AS_IS[(u / 64) as usize] & (1 << (u % 64)) != 0
    } else {
        is_kept_as_is(c)
    }
}

/// Rewrites "hoà/khoẻ/thuỷ"-style words to "hòa/khỏe/thủy" (see module doc).
/// Words are maximal runs of letters and combining marks; only a word ending
/// in o/u + toned a/e/y can change, so only those are cut out and re-toned
/// (the rest of the text is copied in slices).
pub(crate) fn fix_tone_placement(text: &str) -> String {
    retoned(text, 0).unwrap_or_else(|| text.to_string())
}

/// [`fix_tone_placement`], None when no word changes; the toned vowels that
/// end a word to re-tone are looked for from byte `from` on (a character
/// boundary before which none is).
fn retoned(text: &str, from: usize) -> Option<String> {
    let is_word = |c: char| c.is_alphabetic() || is_combining_mark(c);
    let mut out: Option<String> = None;
    let mut copied = 0;
    // A toned a/e/y is never ASCII: only the other characters are looked at.
    for (i, c) in non_ascii_chars(text, from) {
        if !(after_o_u(text, i) && is_toned_a_e_y(c)) {
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
    out.map(|mut o| {
        o.push_str(&text[copied..]);
        o
    })
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
            "“Một cửa” – 100% … ‘x’ • ok",
            "\u{2026}\u{301}",
            "\u{212B}",
            "\u{2126} \u{3000}x \u{200B}",
            "\u{1D15E}",
            "hoà…",
            "hoà–",
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
    fn punctuation_above_the_table_takes_the_fast_path() {
        assert!(already_normal("“Một cửa” – 100% … ‘x’ • ok"));
        assert!(!already_normal("x\u{2009}y"));
        assert!(!already_normal("x\u{200B}y"));
        assert!(!already_normal("\u{2126}"));
        assert!(!already_normal("x\u{20D7}"));
    }

    /// The normalization as it was before the fast paths and the piecewise
    /// NFC: the whole text composed at once.
    fn reference(input: &str) -> String {
        fix_tone_placement(&cleaned(input).nfc().collect::<String>())
    }

    /// Every line of the text fixtures and real documents, as typed, in NFD,
    /// with a combining mark after each word and with odd spaces.
    #[test]
    fn fast_paths_agree_with_the_reference_on_real_lines() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut lines = 0;
        for dir in [root.join("fixtures/text"), root.join("../shared/realtexts/docs")] {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let Ok(text) = std::fs::read_to_string(e.path()) else { continue };
                for line in text.lines() {
                    let nfd: String = line.nfd().collect();
                    let marked = line.replace(' ', "\u{301} ");
                    let odd = line.replace(' ', "\u{A0}").replace('a', "a\u{AD}");
                    for s in [line, nfd.as_str(), marked.as_str(), odd.as_str()] {
                        let want = reference(s);
                        assert_eq!(normalize_text(s), want, "{s:?}");
                        assert_eq!(normalize_string(s.to_string()), want, "{s:?}");
                        lines += 1;
                    }
                }
            }
        }
        assert!(lines > 1000, "{lines} lines");
    }

    /// Generated shapes: every sequence of up to three characters from a set
    /// mixing starters that compose, combining marks of several classes,
    /// Hangul jamo, singletons and ASCII.
    #[test]
    fn piecewise_nfc_is_nfc() {
        let set = [
            'a',
            'e',
            'o',
            'u',
            'y',
            'A',
            'ơ',
            'ư',
            '\u{301}',
            '\u{300}',
            '\u{323}',
            '\u{306}',
            '\u{302}',
            '\u{31B}',
            '\u{1100}',
            '\u{1161}',
            '\u{11A8}',
            '\u{AC00}',
            '\u{212B}',
            '\u{F900}',
            '\u{0F73}',
            '\u{0344}',
            ' ',
            '.',
            'ắ',
            'ệ',
            '\u{1D15E}',
            '\u{0B47}',
            '\u{0B3E}',
        ];
        let mut s = String::new();
        for a in set {
            for b in set {
                for c in set {
                    s.clear();
                    s.extend([a, b, c]);
                    assert_eq!(nfc(s.clone()), s.nfc().collect::<String>(), "{s:?}");
                    assert_eq!(normalize_text(&s), reference(&s), "{s:?}");
                }
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
