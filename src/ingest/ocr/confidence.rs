//! Confidence of OCRed figures and cells: the lowest confidence of the
//! words they span (0–1), from the word confidences kept in [`OcrInfo`].

use crate::model::{Cell, Figure, OcrInfo};
use crate::util::row_key::KEY_REPAIRED;

/// Confidence factor of the cells of a row whose key was repaired.
const REPAIRED_FACTOR: f64 = 0.8;

/// A word without the punctuation around it.
fn core(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '%')
}

/// One word of `raw` found among `words`: same word, or one inside the other.
fn matches(token: &str, word: &str) -> bool {
    let (t, w) = (core(token), core(word));
    !t.is_empty() && !w.is_empty() && (t == w || (t.len() >= 2 && w.contains(t)) || (w.len() >= 2 && t.contains(w)))
}

fn rounded(conf: f32) -> f64 {
    (f64::from(conf) / 100.0 * 1000.0).round() / 1000.0
}

/// Lowest confidence of the words of `raw` among `words` (None when none is found).
fn lowest<'a>(raw: &str, words: impl Iterator<Item = (&'a String, &'a f32)> + Clone) -> Option<f32> {
    raw.split_whitespace()
        .filter(|t| !core(t).is_empty())
        .filter_map(|t| words.clone().filter(|(w, _)| matches(t, w)).map(|(_, c)| *c).reduce(f32::min))
        .reduce(f32::min)
}

/// Sets `confidence` on the figures of OCRed lines (a figure may run onto
/// the next line of its paragraph).
pub fn figures(ocr: &OcrInfo, figures: &mut [Figure]) {
    for f in figures {
        let Ok(line) = u32::try_from(f.line) else { continue };
        let Some(words) = ocr.lines.get(&line) else { continue };
        let next = ocr.lines.get(&(line + 1)).map(Vec::as_slice).unwrap_or_default();
        let all = words.iter().chain(next).map(|(w, c)| (w, c));
        let conf = lowest(&f.raw, all).or_else(|| words.iter().map(|w| w.1).reduce(f32::min));
        f.confidence = conf.map(rounded);
    }
}

/// Sets `confidence` on the cells of OCRed pages (words looked up on the
/// cell's page; the document's mean when none is found).
pub fn cells(ocr: &OcrInfo, cells: &mut [Cell]) {
    for c in cells {
        let Some(page) = c.page.and_then(|p| u32::try_from(p).ok()) else { continue };
        let Some(words) = ocr.pages.get(&page) else { continue };
        let exact = c.raw.split_whitespace().filter(|t| !core(t).is_empty()).map(|t| words.get(t).copied()).collect::<Option<Vec<f32>>>();
        let conf = match exact {
            Some(v) if !v.is_empty() => v.into_iter().reduce(f32::min),
            _ => lowest(&c.raw, words.iter()),
        };
        let mut conf = conf.map_or_else(|| (ocr.mean_confidence / 100.0 * 1000.0).round() / 1000.0, rounded);
        // A row key repaired from the row sequence (`tables::stt`) is a guess.
        if c.warning.as_deref().is_some_and(|w| w.starts_with(KEY_REPAIRED)) {
            conf = (conf * REPAIRED_FACTOR * 1000.0).round() / 1000.0;
        }
        c.confidence = Some(conf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowest_word_of_a_figure() {
        let words = [("đạt".to_string(), 95.0), ("99,52%;".to_string(), 61.0), ("843/847".to_string(), 88.0)];
        assert_eq!(lowest("843/847 hồ sơ", words.iter().map(|(w, c)| (w, c))), Some(88.0));
        assert_eq!(lowest("99,52%", words.iter().map(|(w, c)| (w, c))), Some(61.0));
        assert_eq!(lowest("12", words.iter().map(|(w, c)| (w, c))), None);
    }
}
