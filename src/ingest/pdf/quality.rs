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

/// Check every font used on the pages; may rewrite glyph texts.
pub(crate) fn check_fonts(fonts: &[Font], pages: &mut [Vec<Glyph>]) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut used: Vec<usize> = pages.iter().flatten().map(|g| g.font).collect();
    used.sort_unstable();
    used.dedup();
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
            warnings.extend(check_to_unicode(font, idx, pages));
        }
    }
    warnings
}

fn count_unmapped(pages: &[Vec<Glyph>], idx: usize) -> usize {
    pages.iter().flatten().filter(|g| g.font == idx && g.text.contains('\u{FFFD}')).count()
}

/// Score the ToUnicode text; fall back to the encoding when it reads better.
fn check_to_unicode(font: &Font, idx: usize, pages: &mut [Vec<Glyph>]) -> Option<String> {
    let text = font_text(pages, idx, |g| Some(g.text.clone()));
    if text.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    let score = syllable_score(&text);
    if score >= MIN_SCORE {
        return None;
    }
    let alt = font_text(pages, idx, |g| font.fallback_text(g.code));
    let alt_score = if alt.trim().is_empty() { 0.0 } else { syllable_score(&alt) };
    if alt_score >= score + MIN_GAIN {
        for g in pages.iter_mut().flatten().filter(|g| g.font == idx) {
            if let Some(t) = font.fallback_text(g.code) {
                g.text = t;
            }
        }
        return Some(format!("font {}: ToUnicode map looks broken (Vietnamese score {score:.2}); used the font encoding instead ({alt_score:.2})", font.name));
    }
    Some(format!("font {}: decoded text does not look Vietnamese (score {score:.2}); ToUnicode map may be broken", font.name))
}

/// The words (NFC) that contain at least one glyph of font `idx`, with that
/// font's glyphs spelled by `text_of`. Words are runs of adjacent glyphs of
/// any font on a baseline (producers often paint each font's run separately),
/// so a font that only supplies some letters of a word (a fallback font, a
/// diacritic) is judged on whole words.
fn font_text(pages: &[Vec<Glyph>], idx: usize, text_of: impl Fn(&Glyph) -> Option<String>) -> String {
    let mut out = String::new();
    for page in pages {
        if !page.iter().any(|g| g.font == idx) {
            continue;
        }
        let mut ordered: Vec<&Glyph> = page.iter().collect();
        ordered.sort_by(|a, b| (-(a.baseline * 10.0).round()).total_cmp(&-(b.baseline * 10.0).round()).then(a.x0.total_cmp(&b.x0)));
        let mut word = String::new();
        let mut has_font = false;
        let mut prev: Option<&Glyph> = None;
        for g in ordered {
            let breaks = prev.is_none_or(|p| g.x0 - p.x1 > 0.1 * g.size || g.x0 < p.x0 - g.size || (g.baseline - p.baseline).abs() > 0.3 * g.size);
            if breaks || g.text.chars().all(char::is_whitespace) {
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
