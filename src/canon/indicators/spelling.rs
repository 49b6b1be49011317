//! Diacritics of OCR-read table labels, from the catalog's wording.
//!
//! Tesseract's commonest slip on Vietnamese keeps the letters and gets a
//! mark wrong: "chỉ" for "chi", "tính" for "tinh", "để" for "đề", "tuyền"
//! for "tuyến" (a speck near a vowel reads as a tone). Statistics appendices
//! label their rows with the wording of the reporting templates, which the
//! catalog holds (indicator names, aliases and the spellings listed in
//! `[[matching.phrase]]`, template typos such as "hổ sơ" included). So a
//! word of an OCR label is respelled when
//!
//! ```text
//! pairs(w)  = known(prev, w) + known(w, next)      (word pairs of the catalog, lowercase)
//! respell w → v   iff  pairs(w) = 0
//!                 and  fold(v) = fold(w), v ≠ w      (same letters, other marks)
//!                 and  known(prev, v) and known(v, next), for each neighbour w has
//!                 and  v is the only such form with the most pairs
//! ```
//!
//! Both neighbours are asked for because one is not enough: with one side,
//! "hộ nghèo" became "hồ nghèo" ("tỷ lệ hồ sơ") and "Sở Công Thương" became
//! "Số Công Thương". Measured on the 357 distinct labels of the text-layer
//! tables of fixtures/ and the 25 realtexts: 2 changed, both the author's own
//! typos ("thẩm quyển", "bảo cáo").
//!
//! Only labels of cells read by OCR (`Cell::confidence` set) are touched; a
//! text layer is the author's spelling and stays as it is. The cell's
//! `warning` names every change.

use std::collections::HashMap;

use once_cell::sync::Lazy;

use super::{fold, Catalog};
use crate::model::Cell;

/// Word pairs of the catalog's wording and, per folded word, its spellings.
#[derive(Debug, Default)]
pub struct Lexicon {
    pairs: HashMap<(String, String), u32>,
    forms: HashMap<String, Vec<String>>,
}

/// The word of a token: `(prefix, core, suffix)`, punctuation around the core.
fn core(token: &str) -> (&str, &str, &str) {
    let start = token.find(char::is_alphanumeric).unwrap_or(token.len());
    let end = token.rfind(char::is_alphanumeric).map_or(start, |i| i + token[i..].chars().next().map_or(0, char::len_utf8));
    (&token[..start], &token[start..end.max(start)], &token[end.max(start)..])
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(|t| core(t).1.to_lowercase()).collect()
}

impl Lexicon {
    /// The lexicon of the catalog compiled into the binary.
    pub fn builtin() -> &'static Lexicon {
        static LEXICON: Lazy<Lexicon> = Lazy::new(|| Lexicon::of(Catalog::builtin()));
        &LEXICON
    }

    /// The wording of a catalog: indicator names, aliases and phrase spellings.
    pub fn of(cat: &Catalog) -> Lexicon {
        let phrases = cat.indicators.iter().flat_map(|i| std::iter::once(&i.name).chain(&i.aliases)).chain(&cat.phrase_spellings);
        let mut lex = Lexicon::default();
        for phrase in phrases {
            lex.add(phrase);
        }
        lex
    }

    fn add(&mut self, phrase: &str) {
        let ws = words(phrase);
        for w in ws.iter().filter(|w| !w.is_empty()) {
            let forms = self.forms.entry(fold(w)).or_default();
            if !forms.contains(w) {
                forms.push(w.clone());
            }
        }
        for p in ws.windows(2) {
            if !p[0].is_empty() && !p[1].is_empty() {
                *self.pairs.entry((p[0].clone(), p[1].clone())).or_default() += 1;
            }
        }
    }

    fn known(&self, a: &str, b: &str) -> u32 {
        // Allocation-free lookups are not worth it here: labels are short and
        // only OCR labels come this way.
        self.pairs.get(&(a.to_string(), b.to_string())).copied().unwrap_or(0)
    }

    fn support(&self, prev: Option<&str>, w: &str, next: Option<&str>) -> u32 {
        prev.map_or(0, |p| self.known(p, w)) + next.map_or(0, |n| self.known(w, n))
    }

    /// The label respelled, with the changes made (`(was, now)`), or `None`
    /// when no word changes.
    pub fn respell(&self, label: &str) -> Option<(String, Vec<(String, String)>)> {
        let tokens: Vec<&str> = label.split_whitespace().collect();
        let mut lower: Vec<String> = tokens.iter().map(|t| core(t).1.to_lowercase()).collect();
        let mut changes = Vec::new();
        let mut out: Vec<String> = tokens.iter().map(|t| t.to_string()).collect();
        for i in 0..tokens.len() {
            let w = &lower[i];
            if w.is_empty() {
                continue;
            }
            let Some(forms) = self.forms.get(&fold(w)) else { continue };
            if forms.len() < 2 && forms.first() == Some(w) {
                continue;
            }
            let prev = i.checked_sub(1).map(|j| lower[j].as_str()).filter(|p| !p.is_empty());
            let next = lower.get(i + 1).map(String::as_str).filter(|n| !n.is_empty());
            if self.support(prev, w, next) > 0 {
                continue;
            }
            // A respelling must fit every neighbour the word has.
            let fits = |v: &str| prev.is_none_or(|p| self.known(p, v) > 0) && next.is_none_or(|n| self.known(v, n) > 0);
            let mut scored: Vec<(u32, &String)> = forms.iter().filter(|v| *v != w && fits(v)).map(|v| (self.support(prev, v, next), v)).collect();
            scored.sort_by_key(|s| std::cmp::Reverse(s.0));
            let best = match scored.as_slice() {
                [(n, v), ..] if *n > 0 && scored.get(1).is_none_or(|s| s.0 < *n) => (*v).clone(),
                _ => continue,
            };
            let (pre, was, post) = core(tokens[i]);
            let now = same_case(was, &best);
            changes.push((was.to_string(), now.clone()));
            out[i] = format!("{pre}{now}{post}");
            lower[i] = best;
        }
        (!changes.is_empty()).then(|| (out.join(" "), changes))
    }
}

/// `word` in the letter case of `like` (first letter or all capitals).
fn same_case(like: &str, word: &str) -> String {
    let mut chars = like.chars();
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    let all_upper = first_upper && like.chars().count() > 1 && like.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    if all_upper {
        return word.to_uppercase();
    }
    if first_upper {
        let mut c = word.chars();
        return c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
    }
    word.to_string()
}

/// Respells the labels of cells read by OCR (see the module comment).
pub fn respell_ocr_labels(lex: &Lexicon, cells: &mut [Cell]) {
    // Cells of one row repeat its label: respell each label once.
    let mut done: HashMap<String, Option<(String, String)>> = HashMap::new();
    for c in cells.iter_mut().filter(|c| c.confidence.is_some()) {
        let Some(label) = c.label.as_deref() else { continue };
        let hit = done
            .entry(label.to_string())
            .or_insert_with(|| {
                lex.respell(label).map(|(now, changes)| {
                    let list: Vec<String> = changes.iter().map(|(a, b)| format!("{a} → {b}")).collect();
                    (now, format!("OCR label respelled as the catalog writes it: {}", list.join(", ")))
                })
            })
            .clone();
        if let Some((now, note)) = hit {
            c.label = Some(now);
            c.warning = Some(match c.warning.take() {
                Some(w) if !w.is_empty() => format!("{w}; {note}"),
                _ => note,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> &'static Lexicon {
        Lexicon::builtin()
    }

    fn respelled(label: &str) -> String {
        lex().respell(label).map_or_else(|| label.to_string(), |(s, _)| s)
    }

    #[test]
    fn tone_slips_of_ocr_are_mended() {
        // Readings of the scanned appendix of seed 001 (fixtures/scans).
        assert_eq!(respelled("Số nhiệm vụ để ra trong kế hoạch"), "Số nhiệm vụ đề ra trong kế hoạch");
        assert_eq!(respelled("Số biên chế đã tính giản trong kỳ báo cáo"), "Số biên chế đã tinh giản trong kỳ báo cáo");
        assert_eq!(
            respelled("Số đơn vị SNCL do nhà nước đảm bảo 100% chỉ thường xuyên (lũy kế đến thời điểm báo cáo)"),
            "Số đơn vị SNCL do nhà nước đảm bảo 100% chi thường xuyên (lũy kế đến thời điểm báo cáo)"
        );
        assert_eq!(
            respelled("Số đơn vị SNCL đã thực hiện tự chủ 100% chỉ thường xuyên và chỉ đầu tư (lũy kế đến thời điểm báo cáo)"),
            "Số đơn vị SNCL đã thực hiện tự chủ 100% chi thường xuyên và chi đầu tư (lũy kế đến thời điểm báo cáo)"
        );
        assert_eq!(respelled("Xây dựng và vận hành Hệ thống họp trực tuyền"), "Xây dựng và vận hành Hệ thống họp trực tuyến");
    }

    #[test]
    fn known_wording_and_template_typos_stay() {
        for label in [
            "Tỷ lệ hổ sơ xử lý trực tuyến mức độ 4",
            "Số văn bản chỉ đạo CCHC đã ban hành/ tham mưu ban hành",
            "Chỉ tiêu thống kê",
            "(lũy kế đến thời điểm báo cáo)",
            "Số TTHC được đơn giản hóa",
        ] {
            assert_eq!(respelled(label), label);
        }
    }

    #[test]
    fn a_slip_of_the_author_is_mended_too() {
        // Seed 001's text layer itself has "bảo cáo" once: an OCR reading of
        // it is respelled like any other (the catalog writes "báo cáo").
        assert_eq!(respelled("(lũy kế đến thời điểm bảo cáo)"), "(lũy kế đến thời điểm báo cáo)");
    }

    #[test]
    fn case_and_punctuation_are_kept() {
        assert_eq!(respelled("TÍNH GIẢN biên chế"), "TINH GIẢN biên chế");
        assert_eq!(same_case("Chỉ", "chi"), "Chi");
        assert_eq!(core("(lũy"), ("(", "lũy", ""));
        assert_eq!(core("cáo)."), ("", "cáo", ")."));
        assert_eq!(core("..."), ("...", "", ""));
    }

    #[test]
    fn only_ocr_cells_change_and_say_so() {
        let mut ocr = Cell { label: Some("Số biên chế đã tính giản".into()), confidence: Some(0.9), ..Cell::default() };
        let mut text = Cell { label: Some("Số biên chế đã tính giản".into()), ..Cell::default() };
        respell_ocr_labels(lex(), std::slice::from_mut(&mut ocr));
        respell_ocr_labels(lex(), std::slice::from_mut(&mut text));
        assert_eq!(ocr.label.as_deref(), Some("Số biên chế đã tinh giản"));
        assert!(ocr.warning.as_deref().is_some_and(|w| w.contains("tính → tinh")), "{:?}", ocr.warning);
        assert_eq!(text.label.as_deref(), Some("Số biên chế đã tính giản"));
    }
}
