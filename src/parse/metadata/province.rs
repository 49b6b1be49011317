//! Province names (before and after the 2025 merger) and where to read them.
//! The list with the merger mapping is `[metadata] provinces` in
//! `schemas/vocab.toml`.

use once_cell::sync::Lazy;
use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
use std::collections::HashMap;

use crate::vn::normalize::normalize_text;
use crate::vocab::{vocab, Province};

struct Index {
    /// Every printed form (name and aliases), longest first.
    forms: Vec<String>,
    /// The same, each character as the class `(?i)` makes of it (its simple
    /// case folding, as the regex crate reads it): "Cà" → [cC][àÀ].
    folded: Vec<Vec<ClassUnicode>>,
    /// Lower-cased printed form → entry.
    by_form: HashMap<String, &'static Province>,
    /// For each byte, the printed forms that start with it (indexes into
    /// `forms`, longest first).
    by_first_byte: Vec<Vec<usize>>,
    /// Every printed form: the longest one at a place (anchored search:
    /// most places where a form could start hold none), and whether a line
    /// holds one at all (most lines do not: then they hold no match).
    longest: aho_corasick::AhoCorasick,
    /// The bytes a printed form starts with: a form is tried only where one
    /// of them stands.
    first_bytes: [bool; 256],
}

/// The words that make a name count four times in the body, in the order
/// they are tried.
/// (All start with 't' or 'T'.)
const PREFIXES: [&str; 7] = ["tỉnh", "Tỉnh", "thành phố", "Thành phố", "TP.", "Tp.", "TP"];

static INDEX: Lazy<Index> = Lazy::new(|| {
    let mut forms: Vec<(String, &'static Province)> = Vec::new();
    for p in &vocab().metadata.provinces {
        for f in std::iter::once(&p.name).chain(&p.aliases) {
            forms.push((normalize_text(f), p));
        }
    }
    forms.sort_by_key(|(f, _)| std::cmp::Reverse(f.chars().count()));
    let folded = forms.iter().map(|(f, _)| f.chars().map(case_class).collect()).collect();
    let mut by_first_byte = vec![Vec::new(); 256];
    for (k, (f, _)) in forms.iter().enumerate() {
        if let Some(&b) = f.as_bytes().first() {
            by_first_byte[usize::from(b)].push(k);
        }
    }
    let longest = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .start_kind(aho_corasick::StartKind::Both)
        .build(forms.iter().map(|(f, _)| f.as_str()))
        .expect("province forms build an automaton");
    let mut first_bytes = [false; 256];
    for f in forms.iter().map(|(f, _)| f.as_str()) {
        if let Some(&b) = f.as_bytes().first() {
            first_bytes[usize::from(b)] = true;
        }
    }
    let by_form = forms.iter().map(|(f, p)| (f.to_lowercase(), *p)).collect();
    Index { folded, forms: forms.into_iter().map(|(f, _)| f).collect(), by_form, by_first_byte, longest, first_bytes }
});

/// The entry for a printed name ("CÀ MAU", "Thành phố Hồ Chí Minh", "Đăk Lăk").
pub(crate) fn lookup(name: &str) -> Option<&'static Province> {
    let n = normalize_text(name.trim()).to_lowercase();
    let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
    INDEX.by_form.get(&n).copied()
}

/// The province at the very start of `text` (any case), with its byte
/// length: the match of `^(?i)(?:FORM|FORM…)\b` (forms longest first), the
/// first form that stands there, in any case, before a word boundary.
pub(crate) fn at_start(text: &str) -> Option<(&'static Province, usize)> {
    let end = INDEX.folded.iter().find_map(|form| folded_prefix(text, form).filter(|&e| word_boundary(text, e)))?;
    Some((lookup(&text[..end])?, end))
}

/// The characters `(?i)` lets stand for `c`.
fn case_class(c: char) -> ClassUnicode {
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    class
}

/// The byte length of the start of `text` that is `form` (one character
/// of each class), if it is.
fn folded_prefix(text: &str, form: &[ClassUnicode]) -> Option<usize> {
    let mut cs = text.char_indices();
    for class in form {
        let (_, c) = cs.next()?;
        if !class.ranges().iter().any(|r| r.start() <= c && c <= r.end()) {
            return None;
        }
    }
    Some(cs.next().map_or(text.len(), |(k, _)| k))
}

/// Whether a Unicode word boundary (regex `\b`) stands at byte `k` of `s`
/// (a char boundary).
fn word_boundary(s: &str, k: usize) -> bool {
    // ASCII word characters (`\w`) without a table look-up.
    let is_word = |c: Option<char>| c.is_some_and(|c| if c.is_ascii() { c.is_ascii_alphanumeric() || c == '_' } else { regex_syntax::is_word_character(c) });
    is_word(s[..k].chars().next_back()) != is_word(s[k..].chars().next())
}

/// The end of the first printed form (longest first) at byte `k` of `line`
/// with a word boundary after it: the longest form there, else (a word
/// goes on after it: "Long Anh") a shorter one.
fn form_at(line: &str, k: usize) -> Option<usize> {
    let ix = &*INDEX;
    let m = ix.longest.find(aho_corasick::Input::new(line).span(k..line.len()).anchored(aho_corasick::Anchored::Yes))?;
    if word_boundary(line, m.end()) {
        return Some(m.end());
    }
    let rest = &line.as_bytes()[k..];
    let candidates = rest.first().map_or(&[][..], |&b| &ix.by_first_byte[usize::from(b)][..]);
    candidates.iter().map(|&f| &ix.forms[f]).filter(|f| rest.starts_with(f.as_bytes())).map(|f| k + f.len()).find(|&e| word_boundary(line, e))
}

/// Printed names in the body text of `line`, in order, each with whether a
/// "tỉnh / thành phố / TP." word stands before it: the leftmost-first,
/// non-overlapping matches of
///
/// ```text
/// (?:\b(tỉnh|Tỉnh|thành phố|Thành phố|TP\.|Tp\.|TP)\s*)?\b(FORM|FORM…)\b
/// ```
///
/// (forms longest first, case-sensitive, Unicode `\b` and `\s`): at each
/// place, from left to right, a prefix word, spaces and a form, else a
/// form alone. Every match ends with a form: a line without one is skipped.
fn body_names(line: &str, mut found: impl FnMut(&str, bool)) {
    let ix = &*INDEX;
    if !ix.longest.is_match(line) {
        return;
    }
    let bytes = line.as_bytes();
    let mut p = 0;
    while p < bytes.len() {
        let b = bytes[p];
        let may_prefix = matches!(b, b't' | b'T');
        if !(may_prefix || ix.first_bytes[usize::from(b)]) || !line.is_char_boundary(p) || !word_boundary(line, p) {
            p += 1;
            continue;
        }
        let prefixes = if may_prefix { &PREFIXES[..] } else { &[] };
        let prefixed = prefixes.iter().filter(|w| bytes[p..].starts_with(w.as_bytes())).find_map(|w| {
            let after = &line[p + w.len()..];
            let q = line.len() - after.trim_start_matches(char::is_whitespace).len();
            if !word_boundary(line, q) {
                return None;
            }
            form_at(line, q).map(|e| (q, e))
        });
        if let Some((q, e)) = prefixed {
            found(&line[q..e], true);
            p = e;
        } else if let Some(e) = form_at(line, p) {
            found(&line[p..e], false);
            p = e;
        } else {
            p += 1;
        }
    }
}

/// Post-merger name of a printed province name.
pub(crate) fn canonical(name: &str) -> Option<String> {
    lookup(name).map(|p| p.after_2025.clone())
}

/// The province the body text is about: names after "tỉnh"/"thành phố"
/// count four times, bare names once. Only used for local issuers whose
/// header names no province.
pub(crate) fn from_body(lines: &[&str]) -> Option<String> {
    let mut score: HashMap<&str, usize> = HashMap::new();
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut n = 0;
    for l in lines {
        body_names(l, |name, prefixed| {
            let Some(p) = lookup(name) else {
                return;
            };
            *score.entry(p.name.as_str()).or_default() += if prefixed { 4 } else { 1 };
            first.entry(p.name.as_str()).or_insert(n);
            n += 1;
        });
    }
    let best = score.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| first[b.0].cmp(&first[a.0])))?;
    Some(best.0.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_forms_and_merger() {
        assert_eq!(lookup("CÀ MAU").map(|p| p.name.as_str()), Some("Cà Mau"));
        assert_eq!(lookup("Thành phố Hồ Chí Minh").map(|p| p.name.as_str()), Some("TP. Hồ Chí Minh"));
        assert_eq!(lookup("ĐẮK LẮK").map(|p| p.name.as_str()), Some("Đắk Lắk"));
        assert_eq!(canonical("Bình Dương").as_deref(), Some("TP. Hồ Chí Minh"));
        assert_eq!(canonical("Quảng Nam").as_deref(), Some("Đà Nẵng"));
        assert_eq!(canonical("Thừa Thiên Huế").as_deref(), Some("Huế"));
        assert_eq!(canonical("Khánh Hoà").as_deref(), Some("Khánh Hòa"));
        assert_eq!(at_start("CẦN THƠ -------").map(|(p, n)| (p.name.as_str(), n)), Some(("Cần Thơ", "CẦN THƠ".len())));
    }

    #[test]
    fn all_63_old_provinces_map_to_34() {
        let ps = &vocab().metadata.provinces;
        let after: std::collections::HashSet<_> = ps.iter().map(|p| p.after_2025.as_str()).collect();
        assert_eq!(after.len(), 34);
        assert!(after.iter().all(|a| ps.iter().any(|p| p.name == *a)), "every post-2025 name is a printed name too");
        assert_eq!(ps.iter().filter(|p| p.name != "Huế").count(), 63);
    }

    #[test]
    fn printed_forms_start_with_a_letter() {
        // Names: `body_names` finds a form only after a word boundary.
        assert!(PREFIXES.iter().all(|w| w.starts_with(['t', 'T'])));
        for p in &vocab().metadata.provinces {
            for f in std::iter::once(&p.name).chain(&p.aliases) {
                assert!(f.starts_with(char::is_alphabetic), "{f}");
            }
        }
    }

    #[test]
    fn body_province_is_word_bounded() {
        // "Long Anh" is a ward of Thanh Hóa, not the province Long An.
        let lines = ["Trang thông tin điện tử Phường Long Anh - TP.Thanh Hóa", "Kế hoạch số 127/KH-UBND của UBND thành phố Thanh Hóa", "phường Long Anh"];
        assert_eq!(from_body(&lines).as_deref(), Some("Thanh Hóa"));
    }

    /// Lines of the text fixtures and the real documents.
    fn fixture_lines() -> Vec<String> {
        let mut lines = Vec::new();
        for dir in ["fixtures/text", "fixtures/realtexts/docs"] {
            let Ok(entries) = std::fs::read_dir(dir) else { panic!("{dir} missing") };
            for entry in entries.flatten() {
                let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
                lines.extend(text.lines().map(normalize_text));
            }
        }
        lines
    }

    #[test]
    fn at_start_matches_the_regex() {
        let alt = INDEX.forms.iter().map(|f| regex::escape(f)).collect::<Vec<_>>().join("|");
        let re = regex::Regex::new(&format!(r"^(?i)(?:{alt})\b")).expect("valid regex");
        let mut texts = fixture_lines();
        for f in &INDEX.forms {
            for form in [f.clone(), f.to_uppercase(), f.to_lowercase(), header_title(f)] {
                for tail in ["", " ", " -------", "X", "x", "1", "_", ".", "Ờ", " PHÒNG NỘI VỤ"] {
                    texts.push(format!("{form}{tail}"));
                    texts.push(format!(" {form}{tail}"));
                }
            }
        }
        texts
            .extend(["ĐẮK LẮK", "đắk lắk", "THÀNH PHỐ HỒ CHÍ MINH", "TP.HCM", "tp. hồ chí minh", "KHÁNH HOÀ", "K\u{212a}HÁNH HÒA", "Ꮯà Mau"].map(String::from));
        for t in &texts {
            let want = re.find(t).and_then(|m| Some((lookup(m.as_str())?.name.clone(), m.end())));
            assert_eq!(at_start(t).map(|(p, n)| (p.name.clone(), n)), want, "{t}");
        }
    }

    fn header_title(s: &str) -> String {
        super::super::header::title_case(s)
    }

    #[test]
    fn body_names_match_the_regex() {
        // The grammar `body_names` implements, as a regex.
        let alt = INDEX.forms.iter().map(|f| regex::escape(f)).collect::<Vec<_>>().join("|");
        let re = regex::Regex::new(&format!(r"(?:\b(tỉnh|Tỉnh|thành phố|Thành phố|TP\.|Tp\.|TP)\s*)?\b({alt})\b")).expect("valid regex");
        let mut lines = fixture_lines();
        let names = ["Cà Mau", "Long An", "Hồ Chí Minh", "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "TP.HCM", "TPHCM", "Đắk Lắk", "Thừa Thiên - Huế", "Huế"];
        let befores = [
            "",
            " ",
            "tỉnh ",
            "Tỉnh  ",
            "tỉnh",
            "thành phố ",
            "Thành phố\t",
            "TP.",
            "TP. ",
            "Tp.",
            "TP ",
            "TP",
            "UBND",
            "UBND ",
            "(",
            "x",
            "_",
            "ông ",
            "1",
            "é",
        ];
        let afters = ["", " ", ".", ",", "h", "x", "1", "_", "ờ", " tỉnh Cà Mau", "-Huế", " Long Anh"];
        for b in befores {
            for n in names {
                for a in afters {
                    lines.push(format!("{b}{n}{a}"));
                    lines.push(format!("Kế hoạch của {b}{n}{a} và {n}"));
                }
            }
        }
        for line in &lines {
            let want: Vec<(String, bool)> = re.captures_iter(line).filter_map(|c| Some((c.get(2)?.as_str().to_string(), c.get(1).is_some()))).collect();
            let mut got = Vec::new();
            body_names(line, |n, p| got.push((n.to_string(), p)));
            assert_eq!(got, want, "{line}");
        }
    }
}
