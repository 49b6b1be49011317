//! Sections: numbered headings and their tree.
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
//! Ranks order the styles (part < roman/article < 1. < 1.1. < a) < a1.);
//! a heading's parent is the nearest previous heading of a smaller rank, so
//! documents that skip a style or number out of order (I, III, II) keep
//! their original order and a sensible tree.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1, take_while_m_n};
use nom::character::complete::{char, digit1, one_of, space0, space1};
use nom::combinator::{map, map_opt, opt, peek, recognize, verify};
use nom::multi::many0;
use nom::sequence::{preceded, terminated};
use nom::{IResult, Parser};

use crate::layout::Para;
use crate::model::Section;
use crate::parse::figures::roman_value;
use crate::vocab::{starts_with_word, vocab};

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
    fn rank(&self) -> usize {
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
    preceded(
        (word("phần"), space1),
        alt((preceded((word("thứ"), space1), ordinal), map(roman_numeral, str::to_string))),
    )
    .parse(i)
}

fn to_roman(n: usize) -> String {
    const R: [&str; 11] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
    R.get(n).map_or(n.to_string(), |s| s.to_string())
}

fn word<'a>(w: &'static str) -> impl Fn(&'a str) -> IResult<&'a str, &'a str> {
    move |i: &'a str| match starts_with_word(i, w) {
        Some(n) => Ok((&i[n..], &i[..n])),
        None => Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Tag))),
    }
}

fn roman_heading(i: &str) -> IResult<&str, String> {
    map(terminated(roman_numeral, (char('.'), space1, upper_next)), str::to_string).parse(i)
}

fn article(i: &str) -> IResult<&str, String> {
    map(terminated(preceded((word(ARTICLE), space1), digit1), (char('.'), space0)), |n| format!("Điều {n}")).parse(i)
}

static ARTICLE: &str = "Điều";

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

fn letter(i: &str) -> IResult<&str, String> {
    map(terminated(one_of("abcdđeghiklmnopqrstuvxy"), (char(')'), space1)), |c| c.to_string()).parse(i)
}

fn letter_num(i: &str) -> IResult<&str, String> {
    map(terminated((one_of("abcdđeghik"), take_while_m_n(1, 2, |c: char| c.is_ascii_digit())), (opt(one_of(".)")), space1, upper_next)), |(c, n)| format!("{c}{n}")).parse(i)
}

/// The heading marker at the start of a line, if any.
pub fn marker(text: &str) -> Option<Marker> {
    let t = text.trim_start();
    let lead = text.len() - t.len();
    let done = |rest: &str, style: Style, number: String| {
        let len = text.len() - rest.trim_start().len();
        Some(Marker { style, number, len })
    };
    if let Ok((rest, n)) = part(t) {
        let rest_ok = rest.trim_start().is_empty() || rest.starts_with([' ', ':', '.', '\t']);
        if rest_ok {
            let rest = rest.trim_start_matches([':', '.']);
            return done(rest, Style::Part, format!("Phần {n}"));
        }
    }
    if let Ok((rest, n)) = roman_heading(t) {
        return done(rest, Style::Roman, n);
    }
    if let Ok((rest, n)) = article(t) {
        return done(rest, Style::Article, n);
    }
    if let Ok((rest, (n, d))) = arabic(t) {
        return done(rest, Style::Arabic(d), n);
    }
    if let Ok((rest, n)) = letter_num(t) {
        return done(rest, Style::LetterNum, n);
    }
    if let Ok((rest, n)) = letter(t) {
        return done(rest, Style::Letter, n);
    }
    let _ = lead;
    None
}

/// Bullet list item ("- ", "+ ", "· ", "* ").
pub fn bullet(text: &str) -> bool {
    let t = text.trim_start();
    vocab().sections.bullets.iter().any(|b| {
        t.strip_prefix(b.as_str()).is_some_and(|rest| rest.starts_with([' ', '\t']) || (b != "o" && rest.starts_with(|c: char| c.is_uppercase())))
    })
}

/// Used by layout to start a new paragraph.
pub fn starts_with_marker(text: &str) -> bool {
    marker(text).is_some() || bullet(text) || tag::<_, _, nom::error::Error<&str>>("Nơi nhận").parse(text.trim_start()).is_ok()
}

/// Longest title kept before the body is split off a heading paragraph.
const MAX_TITLE_CHARS: usize = 220;

/// Splits a heading paragraph into (title, inline body).
fn split_title(rest: &str) -> (String, String) {
    let rest = rest.trim();
    // "4. Xây dựng Kế hoạch …: Theo kế hoạch …" → title before the colon.
    if let Some(p) = rest.find(':') {
        let (a, b) = (&rest[..p], rest[p + 1..].trim());
        let clock = a.ends_with(|c: char| c.is_ascii_digit()) && b.starts_with(|c: char| c.is_ascii_digit());
        if !b.is_empty() && a.chars().count() <= MAX_TITLE_CHARS && !clock {
            return (a.trim().to_string(), b.to_string());
        }
    }
    if rest.chars().count() <= MAX_TITLE_CHARS {
        return (rest.trim_end_matches(':').trim().to_string(), String::new());
    }
    // A long lettered paragraph: the first sentence is the title.
    if let Some(p) = rest.find(". ") {
        if rest[..p].chars().count() <= MAX_TITLE_CHARS * 2 {
            return (rest[..p].to_string(), rest[p + 2..].to_string());
        }
    }
    (rest.to_string(), String::new())
}

fn is_upper_line(t: &str) -> bool {
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase())
}

/// A heading found in the paragraphs: index of its paragraph, marker, title
/// and how many following paragraphs its title consumed.
#[derive(Debug, Clone)]
pub struct Heading {
    pub para: usize,
    pub marker: Marker,
    pub title: String,
    pub body: String,
    pub consumed: usize,
}

/// Finds headings among paragraphs (bullets are list items, not headings).
pub fn headings(paras: &[Para]) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < paras.len() {
        let text = &paras[k].text;
        let Some(m) = marker(text) else {
            k += 1;
            continue;
        };
        let rest = &text[m.len.min(text.len())..];
        let (mut title, body) = split_title(rest);
        let mut consumed = 0;
        // "Phần thứ nhất" alone: the title is the next all-caps paragraph.
        if m.style == Style::Part && title.is_empty() {
            if let Some(next) = paras.get(k + 1).filter(|p| is_upper_line(&p.text)) {
                title = next.text.trim().to_string();
                consumed = 1;
            }
        }
        out.push(Heading { para: k, marker: m, title, body, consumed });
        k += 1 + consumed;
    }
    out
}

/// Builds the section rows for a document. `section_of[para]` gives the
/// section id each paragraph belongs to (None before the first heading).
pub fn build(doc_id: &str, paras: &[Para]) -> (Vec<Section>, Vec<Option<usize>>) {
    let heads = headings(paras);
    let mut sections: Vec<Section> = Vec::with_capacity(heads.len());
    let mut stack: Vec<(usize, usize)> = Vec::new(); // (rank, index in sections)
    let mut owner: Vec<Option<usize>> = vec![None; paras.len()];
    let mut current: Option<usize> = None;
    let mut h_iter = heads.iter().peekable();
    let mut k = 0;
    while k < paras.len() {
        if let Some(h) = h_iter.peek().filter(|h| h.para == k) {
            let rank = h.marker.style.rank();
            while stack.last().is_some_and(|(r, _)| *r >= rank) {
                stack.pop();
            }
            let parent = stack.last().map(|(_, i)| *i);
            let idx = sections.len();
            let p = &paras[k];
            sections.push(Section {
                doc_id: doc_id.to_string(),
                section_id: format!("{}:s{}", short(doc_id), idx + 1),
                parent_id: parent.map(|i| sections[i].section_id.clone()),
                level: i32::try_from(stack.len() + 1).unwrap_or(i32::MAX),
                number: h.marker.number.clone(),
                title: h.title.clone(),
                page: p.page().and_then(|x| i32::try_from(x).ok()),
                line: i32::try_from(p.line()).unwrap_or(i32::MAX),
                text: h.body.clone(),
            });
            stack.push((rank, idx));
            current = Some(idx);
            for j in k..=(k + h.consumed).min(paras.len() - 1) {
                owner[j] = current;
            }
            k += 1 + h.consumed;
            h_iter.next();
            continue;
        }
        owner[k] = current;
        if let Some(i) = current {
            let s = &mut sections[i];
            if !s.text.is_empty() {
                s.text.push('\n');
            }
            s.text.push_str(&paras[k].text);
        }
        k += 1;
    }
    (sections, owner)
}

/// First 12 hex chars of a doc id, used to make ids readable but unique.
pub fn short(doc_id: &str) -> &str {
    doc_id.get(..12).unwrap_or(doc_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(t: &str) -> Option<String> {
        marker(t).map(|m| m.number)
    }

    #[test]
    fn markers() {
        assert_eq!(num("I. Công tác chỉ đạo, điều hành"), Some("I".into()));
        assert_eq!(num("III. Nhận xét, đánh giá:"), Some("III".into()));
        assert_eq!(num("1. Xây dựng và tổ chức"), Some("1".into()));
        assert_eq!(num("1.1. Xây dựng các kế hoạch"), Some("1.1".into()));
        assert_eq!(num("3 1. Thống kê TTHC"), Some("3.1".into()));
        assert_eq!(num("2.2.1 Tổng số VBQPPL"), Some("2.2.1".into()));
        assert_eq!(num("a) Về cán bộ, công chức:"), Some("a".into()));
        assert_eq!(num("a1. Hàng năm, Văn phòng"), Some("a1".into()));
        assert_eq!(num("Phần thứ nhất "), Some("Phần I".into()));
        assert_eq!(num("Phần I "), Some("Phần I".into()));
        assert_eq!(num("Điều 1. Ban hành kèm theo"), Some("Điều 1".into()));
        assert_eq!(num(" 10. Thực hiện nghiêm"), Some("10".into()));
        // Not headings.
        assert_eq!(num("2025 trên địa bàn"), None);
        assert_eq!(num("26 thủ tục; số TTHC"), None);
        assert_eq!(num("17/9/2025 của Chính phủ"), None);
        assert_eq!(num("1.246. Đăng 10 bài"), None);
        assert_eq!(num("- Ban hành 01 Quyết định"), None);
        assert!(bullet("- Ban hành 01 Quyết định"));
        assert!(bullet("+ Số hồ sơ phát sinh"));
        assert!(bullet("· Đã chỉ đạo"));
        assert!(bullet("* Tiếp nhận hồ sơ"));
    }

    #[test]
    fn titles() {
        assert_eq!(split_title("Xây dựng Kế hoạch cải cách hành chính năm 2026: Theo kế hoạch thời gian thực hiện hoàn thành trước 31/12/2025.").0, "Xây dựng Kế hoạch cải cách hành chính năm 2026");
        assert_eq!(split_title("Công tác thể chế:").0, "Công tác thể chế");
    }
}
