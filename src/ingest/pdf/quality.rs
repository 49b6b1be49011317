//! Per-font checks of the decoded text: a ToUnicode map that yields
//! non-Vietnamese text is reported (and replaced by the font's encoding when
//! that reads better), unmapped glyphs and missing widths are reported.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::content::Glyph;
use super::font::Font;
use super::words::sort_key;
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
    // Per font: used at all, and how many of its glyphs have no Unicode mapping.
    let mut used = vec![false; fonts.len()];
    let mut unmapped = vec![0usize; fonts.len()];
    for g in pages.iter().flatten() {
        if let Some(u) = used.get_mut(g.font) {
            *u = true;
            unmapped[g.font] += usize::from(g.text.contains('\u{FFFD}'));
        }
    }
    // The words of every page once, each spelled onto the texts of the
    // fonts it takes part in (see [`font_texts`]).
    let decoded = |g: &Glyph, word: &mut String| word.push_str(&g.text);
    let any_to_unicode = fonts.iter().zip(&used).any(|(f, &u)| u && f.uses_to_unicode());
    let texts = if any_to_unicode { font_texts(pages, fonts.len(), decoded) } else { Vec::new() };
    for (idx, font) in fonts.iter().enumerate().filter(|&(i, _)| used[i]) {
        if let Some(l) = font.legacy {
            warnings.push(format!("font {}: legacy Vietnamese font decoded as {l:?}", font.name));
        }
        if !font.has_widths {
            warnings.push(format!("font {}: no glyph widths in the PDF; word gaps are approximate", font.name));
        }
        if unmapped[idx] > 0 {
            warnings.push(format!("font {}: {} glyphs have no Unicode mapping", font.name, unmapped[idx]));
        }
        if font.uses_to_unicode() {
            warnings.extend(check_to_unicode(font, idx, pages, texts.get(idx).map_or("", String::as_str)));
        }
    }
    warnings
}

/// The glyphs of a page in line order: baselines (to 0.1 pt) top down, then x.
fn line_order(page: &[Glyph]) -> Vec<&Glyph> {
    // Integer keys; the index makes equal keys keep their order.
    let mut ordered: Vec<(i64, u32, usize)> = page.iter().enumerate().map(|(i, g)| (-((g.baseline * 10.0).round() as i64), sort_key(g.x0), i)).collect();
    ordered.sort();
    ordered.into_iter().filter_map(|(_, _, i)| page.get(i)).collect()
}

/// Whether glyph `g` starts a new word after `prev`.
fn breaks(prev: Option<&Glyph>, g: &Glyph) -> bool {
    prev.is_none_or(|p| g.x0 - p.x1 > 0.1 * g.size || g.x0 < p.x0 - g.size || (g.baseline - p.baseline).abs() > 0.3 * g.size)
}

/// Each font's text (indexed by font, `n_fonts` of them): the first
/// [`SAMPLE_WORDS`] words of the pages it takes part in (NFC), each followed
/// by a space — enough for a syllable score. Each glyph is spelled onto its
/// word by `spell`. Words are runs of adjacent glyphs of any font on a
/// baseline (producers often paint each font's run separately), so a font
/// that only supplies some letters of a word (a fallback font, a diacritic)
/// is judged on whole words.
fn font_texts(pages: &[Vec<Glyph>], n_fonts: usize, spell: impl Fn(&Glyph, &mut String)) -> Vec<String> {
    let mut texts = FontTexts { texts: vec![String::new(); n_fonts], words: vec![0; n_fonts] };
    let mut word = String::new();
    let mut fonts: Vec<usize> = Vec::new();
    for page in pages {
        let mut prev: Option<&Glyph> = None;
        for g in line_order(page) {
            if breaks(prev, g) || g.text.chars().all(char::is_whitespace) {
                texts.push_word(&mut word, &mut fonts);
            }
            spell(g, &mut word);
            if !fonts.contains(&g.font) {
                fonts.push(g.font);
            }
            prev = Some(g);
        }
        texts.push_word(&mut word, &mut fonts);
    }
    texts.texts
}

/// Font texts being gathered, with the number of words each holds.
struct FontTexts {
    texts: Vec<String>,
    words: Vec<usize>,
}

impl FontTexts {
    /// Add a finished word to the texts of its fonts; clear it for the next.
    fn push_word(&mut self, word: &mut String, fonts: &mut Vec<usize>) {
        let w = word.trim();
        if !w.is_empty() {
            // Most words are NFC already: no rebuild char by char.
            let nfc: Cow<str> = if is_nfc_quick(w.chars()) == IsNormalized::Yes { Cow::Borrowed(w) } else { Cow::Owned(w.nfc().collect()) };
            for &f in fonts.iter() {
                if let (Some(text), Some(n)) = (self.texts.get_mut(f), self.words.get_mut(f)) {
                    if *n < SAMPLE_WORDS {
                        text.push_str(&nfc);
                        text.push(' ');
                        *n += 1;
                    }
                }
            }
        }
        word.clear();
        fonts.clear();
    }
}

/// Score the ToUnicode text; fall back to the encoding when it reads better.
fn check_to_unicode(font: &Font, idx: usize, pages: &mut [Vec<Glyph>], text: &str) -> Option<String> {
    if text.chars().filter(|c| c.is_alphabetic()).take(MIN_LETTERS).count() < MIN_LETTERS {
        return None;
    }
    let score = syllable_score(text);
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
    let alt = font_texts(pages, idx + 1, fallback).swap_remove(idx);
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
