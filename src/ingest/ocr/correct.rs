//! Vietnamese post-correction where OCR is known to slip.
//!
//! * Words that cannot be Vietnamese syllables (and are not numbers or short
//!   all-caps abbreviations) get a lower confidence: [`flag_words`].
//! * Inside number-like words, letters that look like digits (O/o → 0,
//!   l/I/| → 1) are read as digits only when the result is a figure for the
//!   figure grammar (the `valid` check handed in by the pipeline); nothing is
//!   ever added: [`fix_digits`].

use super::OcrPage;
use crate::model::Ingested;
use crate::vn::syllable::is_valid_syllable;

/// Confidence factor of a word that is not a Vietnamese syllable.
const ODD_WORD: f32 = 0.6;
/// Confidence factor of a word whose look-alike letters were read as digits.
const FIXED_WORD: f32 = 0.8;
/// All-caps words up to this many letters are abbreviations (UBND, TTHC).
const ABBREVIATION: usize = 6;

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
    fn look_alikes_only_in_numbers() {
        assert_eq!(as_digits("1.2O4").as_deref(), Some("1.204"));
        assert_eq!(as_digits("99,5l%,").as_deref(), Some("99,51%,"));
        assert_eq!(as_digits("lO"), None); // no real digit: a word, not a number
        assert_eq!(as_digits("1.246"), None);
        assert_eq!(as_digits("10a"), None);
    }
}
