//! Per-font checks of the decoded text: a ToUnicode map that yields
//! non-Vietnamese text is reported (and replaced by the font's encoding when
//! that reads better), unmapped glyphs and missing widths are reported.

use unicode_normalization::UnicodeNormalization;

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
    let words = if used.iter().any(|&i| fonts.get(i).is_some_and(Font::uses_to_unicode)) { page_words(pages) } else { Vec::new() };
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

fn page_words(pages: &[Vec<Glyph>]) -> Vec<FontWord> {
    let mut out = Vec::new();
    for page in pages {
        let mut word = String::new();
        let mut fonts: Vec<usize> = Vec::new();
        let mut prev: Option<&Glyph> = None;
        for g in line_order(page) {
            if breaks(prev, g) || g.text.chars().all(char::is_whitespace) {
                push_word(&mut out, &mut word, &mut fonts);
            }
            word.push_str(&g.text);
            if !fonts.contains(&g.font) {
                fonts.push(g.font);
            }
            prev = Some(g);
        }
        push_word(&mut out, &mut word, &mut fonts);
    }
    out
}

fn push_word(out: &mut Vec<FontWord>, word: &mut String, fonts: &mut Vec<usize>) {
    let w = word.trim();
    if !w.is_empty() {
        out.push(FontWord { text: w.nfc().collect(), fonts: std::mem::take(fonts) });
    }
    word.clear();
    fonts.clear();
}

fn count_unmapped(pages: &[Vec<Glyph>], idx: usize) -> usize {
    pages.iter().flatten().filter(|g| g.font == idx && g.text.contains('\u{FFFD}')).count()
}

/// Score the ToUnicode text; fall back to the encoding when it reads better.
fn check_to_unicode(font: &Font, idx: usize, pages: &mut [Vec<Glyph>], words: &[FontWord]) -> Option<String> {
    // A font is judged on a sample of its words (enough for a syllable score).
    let mut text = String::new();
    for w in words.iter().filter(|w| w.fonts.contains(&idx)).take(SAMPLE_WORDS) {
        text.push_str(&w.text);
        text.push(' ');
    }
    if text.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    let score = syllable_score(&text);
    if score >= MIN_SCORE {
        return None;
    }
    let alt: String = font_text(pages, idx, |g| font.fallback_text(g.code)).split(' ').take(SAMPLE_WORDS).collect::<Vec<_>>().join(" ");
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

/// The words (NFC) that contain at least one glyph of font `idx`, with that
/// font's glyphs spelled by `text_of` (the fallback reading of a suspicious
/// font; [`page_words`] gives the text as decoded). Words are runs of adjacent glyphs of
/// any font on a baseline (producers often paint each font's run separately),
/// so a font that only supplies some letters of a word (a fallback font, a
/// diacritic) is judged on whole words.
fn font_text(pages: &[Vec<Glyph>], idx: usize, text_of: impl Fn(&Glyph) -> Option<String>) -> String {
    let mut out = String::new();
    for page in pages {
        if !page.iter().any(|g| g.font == idx) {
            continue;
        }
        let mut word = String::new();
        let mut has_font = false;
        let mut prev: Option<&Glyph> = None;
        for g in line_order(page) {
            if breaks(prev, g) || g.text.chars().all(char::is_whitespace) {
                flush_word(&mut out, &mut word, &mut has_font);
            }
            if g.font == idx {
                has_font = true;
                word.push_str(&text_of(g).unwrap_or_default());
            } else {
                word.push_str(&g.text);
            }
            prev = Some(g);
        }
        flush_word(&mut out, &mut word, &mut has_font);
    }
    out
}

fn flush_word(out: &mut String, word: &mut String, has_font: &mut bool) {
    let w = word.trim();
    if *has_font && !w.is_empty() {
        out.extend(w.nfc());
        out.push(' ');
    }
    word.clear();
    *has_font = false;
}
