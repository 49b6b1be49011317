//! Vietnamese post-correction where OCR is known to slip.
//!
//! * Words that cannot be Vietnamese syllables (and are not numbers or short
//!   all-caps abbreviations) get a lower confidence: [`flag_words`].
//! * Inside number-like words, letters that look like digits (O/o → 0,
//!   l/I/| → 1) are read as digits only when the result is a figure for the
//!   figure grammar (the `valid` check handed in by the pipeline); nothing is
//!   ever added: [`fix_digits`].

use super::OcrPage;
use crate::ingest::pdf::PdfWord;
use crate::model::Ingested;
use crate::vn::syllable::is_valid_syllable;

/// Confidence factor of a word that is not a Vietnamese syllable.
const ODD_WORD: f32 = 0.6;
/// Confidence factor of the parts of a split run-together word.
const SPLIT_WORD: f32 = 0.9;
/// Confidence factor of a word whose look-alike letters were read as digits.
const FIXED_WORD: f32 = 0.8;
/// All-caps words up to this many letters are abbreviations (UBND, TTHC).
const ABBREVIATION: usize = 6;

/// Splits words that are two Vietnamese syllables (or a syllable and an
/// abbreviation or a number) run together because the space between them
/// was narrow ("Sốliệu", "hoạchCCHC", "số02/KH-"): Vietnamese writes one
/// syllable per word, so a word that is no syllable but splits into two is
/// two words. Boxes are shared in proportion to the characters.
pub fn split_joined(page: &mut OcrPage) {
    for (line, confs) in page.page.lines.iter_mut().zip(page.word_conf.iter_mut()) {
        let mut words = Vec::with_capacity(line.words.len());
        let mut cs = Vec::with_capacity(confs.len());
        for (w, c) in std::mem::take(&mut line.words).into_iter().zip(confs.iter().copied()) {
            let parts = split_word(&w.text);
            if parts.len() < 2 {
                words.push(w);
                cs.push(c);
                continue;
            }
            let total = parts.iter().map(|p| p.chars().count()).sum::<usize>().max(1) as f32;
            let mut x = w.x0;
            for p in parts {
                let width = (w.x1 - w.x0) * p.chars().count() as f32 / total;
                words.push(PdfWord { text: p, x0: x, x1: x + width, ..w.clone() });
                cs.push(c * SPLIT_WORD);
                x += width;
            }
        }
        line.text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
        line.words = words;
        *confs = cs;
    }
}

/// The parts of a run-together word (one part when it is not one).
fn split_word(word: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = word.to_string();
    for _ in 0..4 {
        match split_once(&rest) {
            Some((a, b)) => {
                parts.push(a);
                rest = b;
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

fn is_caps_abbreviation(s: &str) -> bool {
    let n = s.chars().count();
    (2..=ABBREVIATION).contains(&n) && s.chars().all(|c| c.is_uppercase())
}

/// The first split of a run-together word into a syllable and the rest.
fn split_once(word: &str) -> Option<(String, String)> {
    let lead = word.len() - word.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    // The letters at the start (after leading punctuation).
    let letters_end = word[lead..].find(|c: char| !c.is_alphabetic()).map_or(word.len(), |i| lead + i);
    let letters = &word[lead..letters_end];
    if letters.is_empty() || is_valid_syllable(letters) && letters_end == word.len() {
        return None;
    }
    // "số02/KH-": a syllable then a digit.
    if letters_end < word.len() && word[letters_end..].starts_with(|c: char| c.is_ascii_digit()) && is_valid_syllable(letters) && letters.chars().count() >= 2 {
        return Some((word[..letters_end].to_string(), word[letters_end..].to_string()));
    }
    if is_valid_syllable(letters) || is_caps_abbreviation(letters) {
        return None;
    }
    let at = |i: usize| chars.iter().position(|(b, _)| *b == i);
    let start = at(lead)?;
    let end = chars.iter().position(|(b, _)| *b == letters_end).unwrap_or(chars.len());
    // Lower → upper case change: "hoạchCCHC".
    for k in start + 1..end {
        if chars[k - 1].1.is_lowercase() && chars[k].1.is_uppercase() {
            let (l, r) = (&word[lead..chars[k].0], &word[chars[k].0..letters_end]);
            if is_valid_syllable(l) && (is_valid_syllable(r) || is_caps_abbreviation(r) || split_once(r).is_some()) {
                return Some((word[..chars[k].0].to_string(), word[chars[k].0..].to_string()));
            }
        }
    }
    // Two syllables: longest first part whose both sides are syllables (parts of 2+ letters first).
    for min in [2, 1] {
        for k in (start + min..=end.saturating_sub(min)).rev() {
            let Some(&(b, _)) = chars.get(k) else { continue };
            let (l, r) = (&word[lead..b], &word[b..letters_end]);
            if is_valid_syllable(l) && is_valid_syllable(r) {
                return Some((word[..b].to_string(), word[b..].to_string()));
            }
        }
    }
    None
}

/// Lowers the confidence of words that are not Vietnamese syllables.
pub fn flag_words(page: &mut OcrPage) {
    let mut odd = 0;
    for (line, confs) in page.page.lines.iter().zip(page.word_conf.iter_mut()) {
        for (w, c) in line.words.iter().zip(confs.iter_mut()) {
            if is_odd_word(&w.text) {
                *c *= ODD_WORD;
                odd += 1;
            }
        }
    }
    page.odd_words = odd;
}

/// A word of letters only (punctuation around it ignored) that is neither a
/// Vietnamese syllable nor an abbreviation.
pub fn is_odd_word(word: &str) -> bool {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric());
    if core.is_empty() || core.chars().any(|c| !c.is_alphabetic()) {
        return false;
    }
    let letters = core.chars().count();
    if letters <= ABBREVIATION && core.chars().all(|c| !c.is_lowercase()) {
        return false;
    }
    // Syllables joined by a hyphen or slash ("G-Quảng") are checked one by one.
    !core.split(['-', '/']).all(|part| part.is_empty() || is_valid_syllable(part))
}

/// The word with look-alike letters read as digits, when it is made of
/// digits, separators and look-alikes only and has at least one real digit.
fn as_digits(word: &str) -> Option<String> {
    let core = word.trim_end_matches([',', ';', ')', ':']).trim_start_matches('(');
    let real = core.chars().filter(char::is_ascii_digit).count();
    let alike = core.chars().filter(|c| matches!(c, 'O' | 'o' | 'l' | 'I' | '|')).count();
    if real == 0 || alike == 0 || !core.chars().all(|c| c.is_ascii_digit() || matches!(c, 'O' | 'o' | 'l' | 'I' | '|' | '.' | ',' | '%' | '/')) {
        return None;
    }
    let fixed: String = core
        .chars()
        .map(|c| match c {
            'O' | 'o' => '0',
            'l' | 'I' | '|' => '1',
            c => c,
        })
        .collect();
    Some(word.replacen(core, &fixed, 1))
}

/// Reads look-alike letters as digits in the OCR lines of `ing` where the
/// result passes `valid` (the figure grammar); returns how many words changed.
pub fn fix_digits(ing: &mut Ingested, valid: &dyn Fn(&str) -> bool) -> usize {
    let Some(ocr) = ing.ocr.as_mut() else { return 0 };
    let mut fixed = 0;
    for l in &mut ing.lines {
        let Some(words) = ocr.lines.get_mut(&l.line) else { continue };
        let mut changed = false;
        let mut tokens: Vec<String> = l.text.split(' ').map(str::to_string).collect();
        for t in &mut tokens {
            let Some(d) = as_digits(t) else { continue };
            if !valid(d.trim_end_matches([',', ';', ')', ':']).trim_start_matches('(')) {
                continue;
            }
            for (wt, c) in words.iter_mut().filter(|(wt, _)| wt == t) {
                *wt = d.clone();
                *c *= FIXED_WORD;
            }
            *t = d;
            changed = true;
            fixed += 1;
        }
        if changed {
            l.text = tokens.join(" ");
        }
    }
    fixed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_words() {
        assert!(!is_odd_word("hành"));
        assert!(!is_odd_word("(TTHC),"));
        assert!(!is_odd_word("1.246"));
        assert!(!is_odd_word("G-Quảng"));
        assert!(is_odd_word("hànhh"));
        assert!(is_odd_word("thủtục"));
    }

    #[test]
    fn run_together_syllables() {
        assert_eq!(split_word("Sốliệu"), ["Số", "liệu"]);
        assert_eq!(split_word("hoạchCCHC"), ["hoạch", "CCHC"]);
        assert_eq!(split_word("số02/KH-"), ["số", "02/KH-"]);
        assert_eq!(split_word("Vănbản,"), ["Văn", "bản,"]);
        assert_eq!(split_word("(thủtục"), ["(thủ", "tục"]);
        for whole in ["hành", "CCHC", "UBND", "02/KH-", "1.246", "99,52%", "Nghị"] {
            assert_eq!(split_word(whole), [whole]);
        }
    }

    #[test]
    fn look_alikes_only_in_numbers() {
        assert_eq!(as_digits("1.2O4").as_deref(), Some("1.204"));
        assert_eq!(as_digits("99,5l%,").as_deref(), Some("99,51%,"));
        assert_eq!(as_digits("lO"), None); // no real digit: a word, not a number
        assert_eq!(as_digits("1.246"), None);
        assert_eq!(as_digits("10a"), None);
    }
}
