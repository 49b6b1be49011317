//! Province names (before and after the 2025 merger) and where to read them.
//! The list with the merger mapping is `[metadata] provinces` in
//! `schemas/vocab.toml`.

use once_cell::sync::Lazy;
use regex::Regex;
use std::collections::HashMap;

use crate::vn::normalize::normalize_text;
use crate::vocab::{vocab, Province};

struct Index {
    /// Every printed form (name and aliases), longest first, word-bounded,
    /// anchored at the start of the text.
    ci: Regex,
    /// The same with an optional "tỉnh / thành phố / TP." before it (case-sensitive, body text).
    body: Regex,
    /// Lower-cased printed form → entry.
    by_form: HashMap<String, &'static Province>,
    /// Every printed form as a plain substring: a line holding none of them
    /// cannot match `body` (most lines), so the regex runs only on the others.
    any_form: aho_corasick::AhoCorasick,
    /// The bytes a printed form starts with (capitals, the lead byte of "Đ"):
    /// `any_form` is tried, anchored, only where one of them stands.
    first_bytes: [bool; 256],
}

static INDEX: Lazy<Index> = Lazy::new(|| {
    let mut forms: Vec<(String, &'static Province)> = Vec::new();
    for p in &vocab().metadata.provinces {
        for f in std::iter::once(&p.name).chain(&p.aliases) {
            forms.push((normalize_text(f), p));
        }
    }
    forms.sort_by_key(|(f, _)| std::cmp::Reverse(f.chars().count()));
    let alt = forms.iter().map(|(f, _)| regex::escape(f)).collect::<Vec<_>>().join("|");
    let ci = Regex::new(&format!(r"^(?i)(?:{alt})\b")).expect("valid regex");
    let body = Regex::new(&format!(r"(?:\b(tỉnh|Tỉnh|thành phố|Thành phố|TP\.|Tp\.|TP)\s*)?\b({alt})\b")).expect("valid regex");
    let any_form = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .start_kind(aho_corasick::StartKind::Both)
        .build(forms.iter().map(|(f, _)| f.as_str()))
        .expect("province forms build an automaton");
    let mut first_bytes = [false; 256];
    for (f, _) in &forms {
        if let Some(&b) = f.as_bytes().first() {
            first_bytes[usize::from(b)] = true;
        }
    }
    let by_form = forms.into_iter().map(|(f, p)| (f.to_lowercase(), p)).collect();
    Index { ci, body, by_form, any_form, first_bytes }
});

/// The entry for a printed name ("CÀ MAU", "Thành phố Hồ Chí Minh", "Đăk Lăk").
pub(crate) fn lookup(name: &str) -> Option<&'static Province> {
    let n = normalize_text(name.trim()).to_lowercase();
    let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
    INDEX.by_form.get(&n).copied()
}

/// The province at the very start of `text` (any case), with its byte length.
pub(crate) fn at_start(text: &str) -> Option<(&'static Province, usize)> {
    let m = INDEX.ci.find(text)?;
    Some((lookup(m.as_str())?, m.end()))
}

/// Where `body` can match in `line`: the line cut after the character that
/// follows the last printed form (every match ends with a form, and the
/// word boundary after it still sees that character), and a start before
/// the first form, its spaces and a "tỉnh"/"thành phố" word (no match
/// starts earlier). None when no form occurs. `captures_at` from that start
/// on that slice finds the same matches as `captures_iter` on the line, while
/// the slow Unicode-boundary regex reads only that part of a long line.
fn body_window(line: &str) -> Option<(&str, usize)> {
    if !holds_form(line) {
        return None;
    }
    let mut first = usize::MAX;
    let mut last = 0;
    for m in INDEX.any_form.find_overlapping_iter(line) {
        first = first.min(m.start());
        last = last.max(m.end());
    }
    if first == usize::MAX {
        return None;
    }
    let end = line[last..].chars().next().map_or(last, |c| last + c.len_utf8());
    let before = line[..first].trim_end_matches(char::is_whitespace);
    let from = before.char_indices().rev().nth(PREFIX_CHARS - 1).map_or(0, |(k, _)| k);
    Some((&line[..end], from))
}

/// Whether a printed form that `body` can match occurs in `line`: the
/// automaton is run anchored at the bytes a form can start with (a few per
/// line) instead of over every byte. A form starts with a letter and `body`
/// wants a word boundary before it, so a start right after an ASCII letter,
/// digit or '_' (the "BND" of "UBND") is not tried.
fn holds_form(line: &str) -> bool {
    let ix = &*INDEX;
    let bytes = line.as_bytes();
    bytes.iter().enumerate().any(|(p, &b)| {
        ix.first_bytes[usize::from(b)]
            && !(p > 0 && (bytes[p - 1].is_ascii_alphanumeric() || bytes[p - 1] == b'_'))
            && ix.any_form.is_match(aho_corasick::Input::new(line).span(p..line.len()).anchored(aho_corasick::Anchored::Yes))
    })
}

/// Characters of the longest word `body` accepts before a name ("Thành phố"), with margin.
const PREFIX_CHARS: usize = 12;

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
        let Some((hay, from)) = body_window(l) else {
            continue;
        };
        let mut at = from;
        while let Some(c) = INDEX.body.captures_at(hay, at) {
            at = c.get(0).map_or(hay.len(), |m| m.end());
            let Some(p) = c.get(2).and_then(|m| lookup(m.as_str())) else {
                continue;
            };
            *score.entry(p.name.as_str()).or_default() += if c.get(1).is_some() { 4 } else { 1 };
            first.entry(p.name.as_str()).or_insert(n);
            n += 1;
        }
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
        // `holds_form` relies on it (a word boundary stands before every form).
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
}
