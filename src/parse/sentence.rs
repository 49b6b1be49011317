//! Sentences and subjects inside a paragraph: where a sentence ends, and
//! the phrase a figure quantifies. Used by the figure rows (pipeline) and by
//! the claims stage.

use crate::grammar::EndKeys;
use crate::vocab::{ends_with_word, vocab};

/// Sentence byte ranges: a sentence ends at ". ", "! ", "? " before an
/// uppercase letter, a bullet or a digit, or at the end.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    for i in memchr::memchr3_iter(b'.', b'!', b'?', b) {
        if b.get(i + 1) == Some(&b' ') {
            let next = text[i + 1..].trim_start().chars().next();
            let prev_word = text[start..i].rsplit(' ').next().unwrap_or("");
            let abbreviation = prev_word.chars().count() <= 2 && prev_word.chars().all(char::is_uppercase) || prev_word == "v.v";
            if next.is_some_and(|c| c.is_uppercase() || matches!(c, '-' | '+' | '*' | '(')) && !abbreviation {
                out.push((start, i + 1));
                start = i + 2;
            }
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// The clause boundaries: ',', ';', '(', ')', ':', '.' (ASCII bytes, never
/// inside a multi-byte character, so the search runs over bytes).
fn is_boundary(b: &u8) -> bool {
    matches!(b, b',' | b';' | b'(' | b')' | b':' | b'.')
}

/// The last characters of the subject's trimmed connectives.
static TRIM_ENDS: once_cell::sync::Lazy<EndKeys> = once_cell::sync::Lazy::new(|| EndKeys::new(vocab().figures.subject_trim.iter().map(String::as_str)));

/// The phrase a figure quantifies: the words before it in its clause
/// ("Số lượng hồ sơ đã giải quyết: 7.259 hồ sơ"), or after it when nothing
/// useful precedes ("có 2.328 lượt đánh giá rất hài lòng").
pub(crate) fn subject_of(sentence: &str, start: usize, end: usize) -> Option<String> {
    let mut before = sentence[..start].trim_end();
    loop {
        let trimmed = before.trim_end_matches([':', ' ']);
        let cut = if TRIM_ENDS.may_end(trimmed) { vocab().figures.subject_trim.iter().find_map(|w| ends_with_word(trimmed, w)) } else { None };
        match cut {
            Some(p) if p < trimmed.len() => before = trimmed[..p].trim_end(),
            _ => {
                before = trimmed;
                break;
            }
        }
    }
    let clause = before.bytes().rposition(|b| is_boundary(&b)).map_or(before, |p| &before[p + 1..]).trim();
    let clause = strip_leading_noise(clause);
    // Words after the last one holding a digit ("… năm 2025 có tổng số người
    // tham gia cuộc thi"), read from the end (the words before it are not needed).
    let mut words: Vec<&str> = clause.split_whitespace().rev().take_while(|w| !w.chars().any(|c| c.is_ascii_digit())).collect();
    words.reverse();
    let lead = words.iter().take_while(|w| matches!(**w, "có" | "là" | "đã" | "và")).count();
    let words = &words[lead..];
    if words.len() >= 2 {
        let keep = &words[words.len().saturating_sub(14)..];
        return Some(keep.join(" "));
    }
    // After the figure: "2.328 lượt đánh giá rất hài lòng".
    let after = sentence.get(end..).unwrap_or("");
    let after = after.as_bytes().iter().position(is_boundary).map_or(after, |p| &after[..p]).trim();
    let words: Vec<&str> = after.split_whitespace().take(10).collect();
    if words.len() >= 2 {
        return Some(words.join(" "));
    }
    None
}

fn strip_leading_noise(mut s: &str) -> &str {
    loop {
        let before = s;
        for n in &vocab().figures.subject_noise {
            if let Some(r) = s.strip_prefix(n) {
                if r.starts_with([' ', ':', ',']) || r.is_empty() {
                    s = r.trim_start_matches([' ', ':', ',']);
                }
            }
        }
        if s == before {
            return s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_split() {
        let t = "Đạt 100%. Số hóa 1.246. P. Trương Quang Trọng, ngày 06.";
        let s: Vec<&str> = sentences(t).iter().map(|(a, b)| &t[*a..*b]).collect();
        assert_eq!(s, vec!["Đạt 100%.", "Số hóa 1.246.", "P. Trương Quang Trọng, ngày 06."]);
    }

    #[test]
    fn subjects() {
        let s = "- Số lượng hồ sơ đã giải quyết: 7.259 hồ sơ, trong đó: giải quyết trước hạn: 7.256 hồ sơ";
        let p = s.find("7.259").unwrap_or(0);
        assert_eq!(subject_of(s, p, p + 12).as_deref(), Some("Số lượng hồ sơ đã giải quyết"));
        let s = "* Tiếp nhận hồ sơ qua ứng dụng dịch vụ công trực tuyến là: 831/832 hồ sơ đạt 99,87%";
        let p = s.find("831").unwrap_or(0);
        assert_eq!(subject_of(s, p, p + 14).as_deref(), Some("Tiếp nhận hồ sơ qua ứng dụng dịch vụ công trực tuyến"));
        let s = "trong đó, có 2.328 lượt đánh giá rất hài lòng, 70 lượt";
        let p = s.find("2.328").unwrap_or(0);
        assert_eq!(subject_of(s, p, p + 5).as_deref(), Some("lượt đánh giá rất hài lòng"));
    }
}
