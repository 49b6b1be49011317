//! Per-font checks of the decoded text: a ToUnicode map that yields
//! non-Vietnamese text is reported (and replaced by the font's encoding when
//! that reads better), unmapped glyphs and missing widths are reported.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::content::Glyph;
use super::font::Font;
use crate::vn::syllable::syllable_score;

/// Below this syllable score a font's text is suspicious.
const MIN_SCORE: f32 = 0.5;
/// Letters needed before a font's text is judged at all.
const MIN_LETTERS: usize = 20;
/// How much better the encoding must read to replace ToUnicode.
const MIN_GAIN: f32 = 0.2;
/// Words of a font its syllable score is taken on.
const SAMPLE_WORDS: usize = 3_000;

/// Check every font used on the pages; may rewrite glyph texts.
pub(crate) fn check_fonts(fonts: &[Font], pages: &mut [Vec<Glyph>]) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut used: Vec<usize> = pages.iter().flatten().map(|g| g.font).collect();
    used.sort_unstable();
    used.dedup();
    // The words of every page once, each with the fonts it uses: a font's
    // text is then the words it takes part in (see [`font_text`]).
    let decoded = |g: &Glyph, word: &mut String| word.push_str(&g.text);
    let words = if used.iter().any(|&i| fonts.get(i).is_some_and(Font::uses_to_unicode)) { page_words(pages, decoded) } else { Vec::new() };
    for idx in used {
        let Some(font) = fonts.get(idx) else { continue };
        if let Some(l) = font.legacy {
            warnings.push(format!("font {}: legacy Vietnamese font decoded as {l:?}", font.name));
        }
        if !font.has_widths {
            warnings.push(format!("font {}: no glyph widths in the PDF; word gaps are approximate", font.name));
        }
        let unmapped = count_unmapped(pages, idx);
        if unmapped > 0 {
            warnings.push(format!("font {}: {unmapped} glyphs have no Unicode mapping", font.name));
        }
        if font.uses_to_unicode() {
            warnings.extend(check_to_unicode(font, idx, pages, &words));
        }
    }
    warnings
}

/// A word of a page (NFC) and the fonts its glyphs come from.
struct FontWord {
    text: String,
    fonts: Vec<usize>,
}

/// The glyphs of a page in line order: baselines (to 0.1 pt) top down, then x.
fn line_order(page: &[Glyph]) -> Vec<&Glyph> {
    let mut ordered: Vec<(i64, &Glyph)> = page.iter().map(|g| (-((g.baseline * 10.0).round() as i64), g)).collect();
    ordered.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.x0.total_cmp(&b.1.x0)));
    ordered.into_iter().map(|(_, g)| g).collect()
}

/// Whether glyph `g` starts a new word after `prev`.
fn breaks(prev: Option<&Glyph>, g: &Glyph) -> bool {
    prev.is_none_or(|p| g.x0 - p.x1 > 0.1 * g.size || g.x0 < p.x0 - g.size || (g.baseline - p.baseline).abs() > 0.3 * g.size)
}

/// The words of the pages (NFC) with the fonts their glyphs come from, each
/// glyph spelled onto its word by `spell`. Words are runs of adjacent glyphs of any font on
/// a baseline (producers often paint each font's run separately), so a font
/// that only supplies some letters of a word (a fallback font, a diacritic)
/// is judged on whole words.
fn page_words(pages: &[Vec<Glyph>], spell: impl Fn(&Glyph, &mut String)) -> Vec<FontWord> {
    let mut out = Vec::new();
    for page in pages {
        let mut word = String::new();
        let mut fonts: Vec<usize> = Vec::new();
        let mut prev: Option<&Glyph> = None;
        for g in line_order(page) {
            if breaks(prev, g) || g.text.chars().all(char::is_whitespace) {
                push_word(&mut out, &mut word, &mut fonts);
            }
            spell(g, &mut word);
            if !fonts.contains(&g.font) {
                fonts.push(g.font);
            }
            prev = Some(g);
        }
        push_word(&mut out, &mut word, &mut fonts);
    }
    out
}

/// A font's text: the first [`SAMPLE_WORDS`] words it takes part in (enough
/// for a syllable score).
fn font_text(words: &[FontWord], idx: usize) -> String {
    let mut text = String::new();
    for w in words.iter().filter(|w| w.fonts.contains(&idx)).take(SAMPLE_WORDS) {
        text.push_str(&w.text);
        text.push(' ');
    }
    text
}

fn push_word(out: &mut Vec<FontWord>, word: &mut String, fonts: &mut Vec<usize>) {
    let w = word.trim();
    if !w.is_empty() {
        // Most words are NFC already: no rebuild char by char.
        let text = if is_nfc_quick(w.chars()) == IsNormalized::Yes { w.to_string() } else { w.nfc().collect() };
        out.push(FontWord { text, fonts: std::mem::take(fonts) });
    }
    word.clear();
    fonts.clear();
}

fn count_unmapped(pages: &[Vec<Glyph>], idx: usize) -> usize {
    pages.iter().flatten().filter(|g| g.font == idx && g.text.contains('\u{FFFD}')).count()
}

/// Score the ToUnicode text; fall back to the encoding when it reads better.
fn check_to_unicode(font: &Font, idx: usize, pages: &mut [Vec<Glyph>], words: &[FontWord]) -> Option<String> {
    let text = font_text(words, idx);
    if text.chars().filter(|c| c.is_alphabetic()).take(MIN_LETTERS).count() < MIN_LETTERS {
        return None;
    }
    let score = syllable_score(&text);
    if score >= MIN_SCORE {
        return None;
    }
    // The same words with this font's glyphs read through its encoding.
    let fallback = |g: &Glyph, word: &mut String| {
        if g.font != idx {
            word.push_str(&g.text);
        } else if let Some(t) = font.fallback_text(g.code) {
            word.push_str(&t);
        }
    };
    let alt = font_text(&page_words(pages, fallback), idx);
    let alt_score = if alt.trim().is_empty() { 0.0 } else { syllable_score(&alt) };
    if alt_score >= score + MIN_GAIN {
        for g in pages.iter_mut().flatten().filter(|g| g.font == idx) {
            if let Some(t) = font.fallback_text(g.code) {
                g.text = t.into();
            }
        }
        return Some(format!("font {}: ToUnicode map looks broken (Vietnamese score {score:.2}); used the font encoding instead ({alt_score:.2})", font.name));
    }
    Some(format!("font {}: decoded text does not look Vietnamese (score {score:.2}); ToUnicode map may be broken", font.name))
}
