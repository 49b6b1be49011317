//! The section-marker grammar: the numbered heading (or bullet) at the start
//! of a line. A leaf module: the layout stage (paragraph starts) and the
//! sections stage (the tree) both use it. Words come from `[sections]` of
//! `schemas/vocab.toml`.
//!
//! ```text
//! marker  := part | roman | article | arabic | letter_num | letter
//! part    := "Phần" (" thứ " ORDINAL | " " ROMAN)          Phần thứ nhất, Phần I
//! roman   := ROMAN "." " "+ Upper                          I. Công tác chỉ đạo
//! article := "Điều" " " N "."                              Điều 1.
//! arabic  := N ("." N)* "."? " "+ Upper | N " " N "." " "  1.  1.1.  2.2.1  "3 1." (typo)
//! letter  := [a-zđ] ")" " "+                                a) b)
//! letter_num := [a-z] N "." " "+                            a1. b2.
//! bullet  := "-" | "+" | "·" | "*" | "•" … " "              list items, never sections
//! ```

use nom::branch::alt;
use nom::bytes::complete::{take_while1, take_while_m_n};
use nom::character::complete::{char, digit1, one_of, space0, space1};
use nom::combinator::{map, map_opt, opt, peek, recognize, verify};
use nom::multi::many0;
use nom::sequence::{preceded, terminated};
use nom::{IResult, Parser};

use crate::grammar::roman::roman_value;
use crate::grammar::word;
use crate::vocab::{chars_eq_ci, starts_with_word, vocab};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    Part,
    Roman,
    Article,
    /// Arabic with its depth: "1." = 1, "1.1." = 2.
    Arabic(usize),
    Letter,
    LetterNum,
}

impl Style {
    pub fn rank(&self) -> usize {
        match self {
            Style::Part => 0,
            Style::Roman | Style::Article => 1,
            Style::Arabic(d) => 1 + d,
            Style::Letter => 10,
            Style::LetterNum => 11,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub style: Style,
    /// Normalized number ("III", "1.2", "3.1", "a", "a1", "Phần I", "Điều 1").
    pub number: String,
    /// Byte length of the marker including trailing spaces.
    pub len: usize,
}

fn upper_next(i: &str) -> IResult<&str, char> {
    peek(verify(nom::character::complete::anychar, |c: &char| c.is_uppercase() || *c == '“' || *c == '"')).parse(i)
}

fn roman_numeral(i: &str) -> IResult<&str, &str> {
    verify(take_while1(|c: char| matches!(c, 'I' | 'V' | 'X' | 'L')), |s: &str| roman_value(s).is_some()).parse(i)
}

/// "nhất", "hai" … → "I", "II" …
fn ordinal(i: &str) -> IResult<&str, String> {
    for (k, o) in vocab().sections.ordinals.iter().enumerate() {
        if let Some(n) = starts_with_word(i, o) {
            return Ok((&i[n..], to_roman(k + 1)));
        }
    }
    Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Tag)))
}

fn part(i: &str) -> IResult<&str, String> {
    let v = &vocab().sections;
    preceded((word(&v.part_label), space1), alt((preceded((word(&v.ordinal_word), space1), ordinal), map(roman_numeral, str::to_string)))).parse(i)
}

fn to_roman(n: usize) -> String {
    const R: [&str; 11] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
    R.get(n).map_or(n.to_string(), |s| s.to_string())
}

fn roman_heading(i: &str) -> IResult<&str, String> {
    map(terminated(roman_numeral, (char('.'), space1, upper_next)), str::to_string).parse(i)
}

fn article(i: &str) -> IResult<&str, String> {
    let w: &'static str = &vocab().sections.article_word;
    map(terminated(preceded((word(w), space1), digit1), (char('.'), space0)), move |n| format!("{w} {n}")).parse(i)
}

fn small_num(i: &str) -> IResult<&str, &str> {
    verify(take_while_m_n(1, 2, |c: char| c.is_ascii_digit()), |s: &str| s.parse::<u32>().is_ok_and(|n| n <= 60)).parse(i)
}

/// "1.", "1.1.", "2.2.1", "3 1." → ("3.1", depth).
fn arabic(i: &str) -> IResult<&str, (String, usize)> {
    alt((
        // "3 1." typo for 3.1 (a space where the dot should be).
        map(terminated((small_num, char(' '), small_num), (char('.'), space1, upper_next)), |(a, _, b)| (format!("{a}.{b}"), 2)),
        map_opt(
            (recognize((small_num, many0(preceded(char('.'), small_num)))), opt(char('.')), space1, upper_next),
            |(num, dot, _, _): (&str, Option<char>, &str, char)| {
                let depth = num.split('.').count();
                // A single number needs its dot: "2025 trên" is not a heading.
                (depth > 1 || dot.is_some()).then(|| (num.to_string(), depth))
            },
        ),
    ))
    .parse(i)
}

/// The letters of `letter` ("a)") and of `letter_num` ("a1.").
const LETTERS: &str = "abcdđeghiklmnopqrstuvxy";
const NUM_LETTERS: &str = "abcdđeghik";

fn letter(i: &str) -> IResult<&str, String> {
    map(terminated(one_of(LETTERS), (char(')'), space1)), |c| c.to_string()).parse(i)
}

fn letter_num(i: &str) -> IResult<&str, String> {
    map(terminated((one_of(NUM_LETTERS), take_while_m_n(1, 2, |c: char| c.is_ascii_digit())), (opt(one_of(".)")), space1, upper_next)), |(c, n)| {
        format!("{c}{n}")
    })
    .parse(i)
}

/// A part heading stands alone or before ":"/"."/a space ("Phần thứ nhất", "PHẦN I:").
fn part_heading(i: &str) -> IResult<&str, String> {
    let (rest, n) = part(i)?;
    let ok = rest.trim_start().is_empty() || rest.starts_with([' ', ':', '.', '\t']);
    if !ok {
        return Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Verify)));
    }
    let label = &vocab().sections.part_label;
    Ok((rest.trim_start_matches([':', '.']), format!("{label} {n}")))
}

/// `marker` as one grammar: the first style that matches, in rank order.
fn any_marker(i: &str) -> IResult<&str, (Style, String)> {
    alt((
        map(part_heading, |n| (Style::Part, n)),
        map(roman_heading, |n| (Style::Roman, n)),
        map(article, |n| (Style::Article, n)),
        map(arabic, |(n, d)| (Style::Arabic(d), n)),
        map(letter_num, |n| (Style::LetterNum, n)),
        map(letter, |n| (Style::Letter, n)),
    ))
    .parse(i)
}

/// False when no alternative of `marker` can match `t`, judged from its
/// first two characters: a digit (arabic), a Roman digit, the first letter of
/// the part or article word (case-insensitive, as `word` compares), a letter
/// before ")" or a letter of `letter_num` before a digit. Most lines of a
/// report start otherwise and skip the grammar.
fn may_start_marker(t: &str) -> bool {
    let mut cs = t.chars();
    let Some(c) = cs.next() else { return false };
    let next = cs.next();
    let v = &vocab().sections;
    let starts_word = |w: &str| w.chars().next().is_some_and(|f| chars_eq_ci(c, f));
    c.is_ascii_digit()
        || matches!(c, 'I' | 'V' | 'X' | 'L')
        || (next == Some(')') && LETTERS.contains(c))
        || (next.is_some_and(|n| n.is_ascii_digit()) && NUM_LETTERS.contains(c))
        || starts_word(&v.part_label)
        || starts_word(&v.article_word)
}

/// The heading marker at the start of a line, if any.
pub fn marker(text: &str) -> Option<Marker> {
    let t = text.trim_start();
    if !may_start_marker(t) {
        return None;
    }
    let (rest, (style, number)) = any_marker(t).ok()?;
    Some(Marker { style, number, len: text.len() - rest.trim_start().len() })
}

/// Bullet list item ("- ", "+ ", "· ", "* ").
pub fn bullet(text: &str) -> bool {
    let t = text.trim_start();
    let first = t.as_bytes().first();
    vocab()
        .sections
        .bullets
        .iter()
        // A bullet starts with the first byte of the line (or is empty).
        .filter(|b| b.as_bytes().first().is_none_or(|f| Some(f) == first))
        .any(|b| t.strip_prefix(b.as_str()).is_some_and(|rest| rest.starts_with([' ', '\t']) || (b != "o" && rest.starts_with(|c: char| c.is_uppercase()))))
}

/// Used by layout to start a new paragraph: a heading marker, a bullet, or
/// a word that always opens a block ("Nơi nhận:").
pub fn starts_with_marker(text: &str) -> bool {
    let t = text.trim_start();
    marker(text).is_some() || bullet(text) || vocab().sections.block_starts.iter().any(|w| t.starts_with(w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `marker` without the first-characters filter.
    fn unfiltered(text: &str) -> Option<Marker> {
        let t = text.trim_start();
        let (rest, (style, number)) = any_marker(t).ok()?;
        Some(Marker { style, number, len: text.len() - rest.trim_start().len() })
    }

    /// `bullet` without the first-byte filter.
    fn unfiltered_bullet(text: &str) -> bool {
        let t = text.trim_start();
        vocab()
            .sections
            .bullets
            .iter()
            .any(|b| t.strip_prefix(b.as_str()).is_some_and(|rest| rest.starts_with([' ', '\t']) || (b != "o" && rest.starts_with(|c: char| c.is_uppercase()))))
    }

    /// Every line of the text fixtures and real documents, and generated
    /// starts: two characters from a set covering every alternative's first
    /// characters (and their case variants) before a few tails.
    #[test]
    fn the_filter_rejects_no_marker() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = Vec::new();
        for dir in [root.join("fixtures/text"), root.join("../shared/realtexts/docs")] {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                if let Ok(text) = std::fs::read_to_string(e.path()) {
                    texts.extend(text.lines().map(crate::vn::normalize::normalize_text));
                }
            }
        }
        let set = [
            "1", "9", "I", "V", "X", "L", "i", "v", "P", "p", "Đ", "đ", "Ð", "a", "b", "k", "l", "y", "z", "A", ")", ".", " ", "\t", "-", "+", "·", "•", "o",
            "O", "PHẦN", "Phần", "phần", "ĐIỀU", "Điều", "thứ",
        ];
        let tails = ["", " ", ". Công tác", " Kết quả", ") nội dung", "1. Nội dung", " thứ nhất", " I: x", " 2.", "2 1. X"];
        for a in set {
            for b in set {
                for tail in tails {
                    texts.push(format!("{a}{b}{tail}"));
                    texts.push(format!("  {a}{b}{tail}"));
                }
            }
        }
        assert!(texts.len() > 5000, "{} texts", texts.len());
        let mut found = 0;
        for t in &texts {
            let m = unfiltered(t);
            found += usize::from(m.is_some());
            assert_eq!(marker(t), m, "{t:?}");
            assert_eq!(bullet(t), unfiltered_bullet(t), "{t:?}");
        }
        assert!(found > 100, "{found} markers");
    }
}
